/* login [USER]: asks for a name and a password (echo off), checks it
 * against /etc/shadow and starts the user's shell as a login shell
 * ("-sh") in its home, with its ids and environment. login stays behind
 * as the session's parent: it writes the utmp/wtmp login record, waits
 * for the shell and records the logout (util-linux's login does so too).
 * "Login incorrect" after a wrong name or password, three tries. */
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mica/auth.h"

#define TRIES      3
#define FAIL_DELAY 1 /* seconds; login.defs' FAIL_DELAY, shortened */

/* Asks for a name (unless given) and a password: the user, or NULL. */
static struct passwd *ask(const char *given)
{
	char name[AUTH_LINE_MAX], pass[AUTH_LINE_MAX], host[64] = "mica";
	int fit = 1;
	if (given)
		snprintf(name, sizeof(name), "%s", given), fit = strlen(given) < sizeof(name);
	while (!given) {
		gethostname(host, sizeof(host));
		char prompt[96];
		snprintf(prompt, sizeof(prompt), "%s login: ", host);
		if ((fit = auth_readline(prompt, name, sizeof(name), true)) < 0)
			exit(1);
		if (name[0])
			break;
	}
	int r = auth_readline("Password: ", pass, sizeof(pass), false);
	if (r < 0)
		exit(1);
	struct passwd *pw = fit && r ? getpwnam(name) : NULL;
	bool ok = pw && auth_check(pw, pass);
	memset(pass, 0, sizeof(pass));
	return ok ? pw : NULL;
}

/* The shell, in the child: the user's ids, home and environment. */
static void start_shell(const struct passwd *pw)
{
	signal(SIGINT, SIG_DFL), signal(SIGQUIT, SIG_DFL), signal(SIGTSTP, SIG_DFL);
	if (auth_become(pw) < 0) {
		perror("login: cannot set user id");
		_exit(1);
	}
	auth_setenv(pw, true);
	if (chdir(pw->pw_dir) < 0) {
		printf("No directory, logging in with HOME=/\n");
		setenv("HOME", "/", 1);
		if (chdir("/") < 0)
			_exit(1);
	}
	const char *shell = pw->pw_shell[0] ? pw->pw_shell : "/bin/sh";
	const char *base = strrchr(shell, '/') ? strrchr(shell, '/') + 1 : shell;
	char arg0[64];
	snprintf(arg0, sizeof(arg0), "-%s", base);
	execl(shell, arg0, (char *)NULL);
	fprintf(stderr, "login: no shell: %s\n", shell);
	_exit(1);
}

/* The session: the shell as a child, utmp and wtmp around it. */
static int session(const struct passwd *pw)
{
	signal(SIGINT, SIG_IGN), signal(SIGQUIT, SIG_IGN), signal(SIGTSTP, SIG_IGN);
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		perror("login: fork");
		return 1;
	}
	if (pid == 0)
		start_shell(pw);
	auth_session_open(pw->pw_name, auth_line(), pid);
	int st;
	while (waitpid(pid, &st, 0) < 0)
		;
	auth_session_close(pid);
	return 0;
}

int main(int argc, char **argv)
{
	const char *given = NULL;
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-p") || !strcmp(argv[i], "--"))
			continue;
		else if (argv[i][0] == '-') {
			fprintf(stderr,
			        "login: invalid option -- '%s'\nUsage: login [-p] [username]\n",
			        argv[i] + 1);
			return 1;
		} else
			given = argv[i];
	for (int t = 0; t < TRIES; t++) {
		struct passwd *pw = ask(t ? NULL : given);
		if (pw)
			return session(pw);
		sleep(FAIL_DELAY);
		printf("\nLogin incorrect\n");
		fflush(stdout);
	}
	printf("Maximum number of tries exceeded (%d)\n", TRIES);
	return 1;
}
