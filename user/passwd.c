/* passwd [USER]: changes a password. Asks the current one (unless the
 * caller is root), the new one twice, and rewrites /etc/shadow through
 * a temporary file renamed over it, so a crash leaves the old file or
 * the new one. Messages as Debian's passwd. Must be set-user-ID root
 * (04755) for others than root. */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <shadow.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "mica/auth.h"
#include "mica/crypt.h"
#include "mica/pwparse.h"

#define SHADOW     "/etc/shadow"
#define SHADOW_TMP "/etc/nshadow"
#define TOKEN_ERR  10 /* PAM's "Authentication token manipulation error" */

static int unchanged(const char *why)
{
	if (why)
		fprintf(stderr, "%s\n", why);
	fprintf(stderr, "passwd: Authentication token manipulation error\n");
	fprintf(stderr, "passwd: password unchanged\n");
	return TOKEN_ERR;
}

/* A fresh $6$ setting: the clock and the pid through SHA-512. */
static void new_setting(char out[20])
{
	struct {
		struct timeval tv;
		pid_t pid;
		void *stack;
	} seed;
	gettimeofday(&seed.tv, NULL);
	seed.pid = getpid(), seed.stack = &seed;
	crypt_make_setting(&seed, sizeof(seed), out);
}

/* f's lines to out, user's entry replaced by (or added as) hash. */
static int copy_with(FILE *f, FILE *out, const char *user, const char *hash)
{
	char *line = NULL;
	size_t cap = 0, ul = strlen(user);
	ssize_t len;
	int found = 0;
	long today = (long)(time(NULL) / 86400);
	struct spwd sp = {(char *)user, (char *)hash, today, 0, 99999, 7, -1, -1, 0};
	while (f && (len = getline(&line, &cap, f)) >= 0) {
		if (!strncmp(line, user, ul) && line[ul] == ':' && !found) {
			char *buf = malloc((size_t)len + 1);
			struct spwd old;
			if (buf && sp_parse(line, &old, buf, (size_t)len + 1) == 0)
				sp.sp_min = old.sp_min, sp.sp_max = old.sp_max,
				sp.sp_warn = old.sp_warn, sp.sp_inact = old.sp_inact,
				sp.sp_expire = old.sp_expire;
			free(buf);
			found = 1;
			if (putspent(&sp, out) < 0)
				break;
			continue;
		}
		fputs(line, out);
		if (len && line[len - 1] != '\n')
			fputc('\n', out);
	}
	free(line);
	if (!found)
		putspent(&sp, out);
	return ferror(out) ? -1 : 0;
}

static int write_shadow(const char *user, const char *hash)
{
	FILE *f = fopen(SHADOW, "r");
	int fd = open(SHADOW_TMP, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0 && errno == EEXIST) /* a leftover of a crash */
		unlink(SHADOW_TMP), fd = open(SHADOW_TMP, O_WRONLY | O_CREAT | O_EXCL, 0600);
	FILE *out = fd >= 0 ? fdopen(fd, "w") : NULL;
	int err = !out || copy_with(f, out, user, hash) < 0;
	if (f)
		fclose(f);
	if (out) {
		err |= fflush(out) != 0 || fsync(fd) < 0;
		err |= fclose(out) != 0;
	}
	if (err || rename(SHADOW_TMP, SHADOW) < 0) {
		unlink(SHADOW_TMP);
		return -1;
	}
	return 0;
}

/* The new password, typed twice: 0, or passwd's exit status. */
static int ask_new(char *pass, size_t n)
{
	char again[AUTH_LINE_MAX];
	int r = auth_readline("New password: ", pass, n, false);
	if (r < 0)
		return unchanged(NULL);
	if (r == 0)
		return unchanged("Password too long.");
	if (!pass[0])
		return unchanged("No password has been supplied.");
	if (auth_readline("Retype new password: ", again, sizeof(again), false) <= 0 ||
	    strcmp(pass, again))
		return memset(again, 0, sizeof(again)), unchanged("Sorry, passwords do not match.");
	memset(again, 0, sizeof(again));
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
		fprintf(stderr, "Usage: passwd [LOGIN]\n");
		return 2;
	}
	struct passwd *pw = argc == 2 ? getpwnam(argv[1]) : getpwuid(getuid());
	if (!pw) {
		fprintf(stderr, "passwd: user '%s' does not exist\n", argc == 2 ? argv[1] : "?");
		return 1;
	}
	if (getuid() != 0 && pw->pw_uid != getuid()) {
		fprintf(stderr, "passwd: You may not view or modify password information for %s.\n",
		        pw->pw_name);
		return 1;
	}
	char user[AUTH_LINE_MAX], pass[AUTH_LINE_MAX], setting[20], hash[CRYPT_MAX];
	snprintf(user, sizeof(user), "%s", pw->pw_name);
	printf("Changing password for %s.\n", user);
	if (getuid() != 0) {
		int r = auth_readline("Current password: ", pass, sizeof(pass), false);
		bool ok = r > 0 && auth_check(pw, pass);
		memset(pass, 0, sizeof(pass));
		if (!ok) {
			sleep(1);
			fprintf(stderr, "passwd: Authentication token manipulation error\n");
			fprintf(stderr, "passwd: password unchanged\n");
			return TOKEN_ERR;
		}
	}
	int st = ask_new(pass, sizeof(pass));
	if (st)
		return st;
	new_setting(setting);
	bool made = crypt_sha(pass, setting, hash, sizeof(hash)) != NULL;
	memset(pass, 0, sizeof(pass));
	if (!made || write_shadow(user, hash) < 0)
		return unchanged(NULL);
	printf("passwd: password updated successfully\n");
	return 0;
}
