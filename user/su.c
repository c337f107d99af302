/* su [-] [-l] [-c COMMAND] [-s SHELL] [USER]: a shell as USER (root by
 * default), after USER's password unless the caller is root; "-" starts
 * a login shell in USER's home with a fresh environment. Messages and
 * exit statuses as util-linux su. Must be set-user-ID root (04755) for
 * others than root to change ids. */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mica/auth.h"

static int usage(void)
{
	fprintf(stderr, "Usage:\n su [options] [-] [<user> [<argument>...]]\n");
	fprintf(stderr, "Try 'su --help' for more information.\n");
	return 1;
}

static bool authenticate(const struct passwd *pw)
{
	char pass[AUTH_LINE_MAX];
	if (getuid() == 0)
		return true;
	int r = auth_readline("Password: ", pass, sizeof(pass), false);
	bool ok = r > 0 && auth_check(pw, pass);
	memset(pass, 0, sizeof(pass));
	if (!ok)
		sleep(1);
	return ok;
}

int main(int argc, char **argv)
{
	bool login = false;
	const char *cmd = NULL, *shell = NULL, *user = NULL;
	for (int i = 1; i < argc; i++) { /* options may follow the user, as getopt permutes */
		const char *a = argv[i];
		if (!strcmp(a, "-") || !strcmp(a, "-l") || !strcmp(a, "--login"))
			login = true;
		else if ((!strcmp(a, "-c") || !strcmp(a, "--command")) && i + 1 < argc)
			cmd = argv[++i];
		else if ((!strcmp(a, "-s") || !strcmp(a, "--shell")) && i + 1 < argc)
			shell = argv[++i];
		else if (!strcmp(a, "--help")) {
			printf("Usage:\n su [options] [-] [<user> [<argument>...]]\n");
			return 0;
		} else if (a[0] == '-' && strcmp(a, "--"))
			return usage();
		else if (!user && strcmp(a, "--"))
			user = a;
	}
	if (!user)
		user = "root";
	struct passwd *pw = getpwnam(user);
	if (!pw) {
		fprintf(stderr,
		        "su: user %s does not exist or the user entry does not contain all "
		        "the required fields\n",
		        user);
		return 1;
	}
	if (!authenticate(pw)) {
		fprintf(stderr, "su: Authentication failure\n");
		return 1;
	}
	if (!shell || getuid() != 0) /* only root may name another shell */
		shell = pw->pw_shell[0] ? pw->pw_shell : "/bin/sh";
	struct passwd who = *pw; /* the strings stay: nothing else reads passwd */
	if (auth_become(&who) < 0) {
		perror("su: cannot set user id");
		return 1;
	}
	if (login)
		auth_setenv(&who, true);
	else {
		setenv("HOME", who.pw_dir, 1), setenv("SHELL", shell, 1);
		if (who.pw_uid != 0)
			setenv("USER", who.pw_name, 1), setenv("LOGNAME", who.pw_name, 1);
	}
	if (login && chdir(who.pw_dir) < 0)
		fprintf(stderr, "su: warning: cannot change directory to %s\n", who.pw_dir);
	const char *base = strrchr(shell, '/') ? strrchr(shell, '/') + 1 : shell;
	char arg0[64];
	snprintf(arg0, sizeof(arg0), login ? "-%s" : "%s", base);
	char *args[4] = {arg0, NULL, NULL, NULL};
	if (cmd)
		args[1] = "-c", args[2] = (char *)cmd;
	execv(shell, args);
	fprintf(stderr, "su: failed to execute %s: No such file or directory\n", shell);
	return 127;
}
