/* Authentication and sessions for login, su and passwd: the password
 * prompt, the hash check, changing ids and environment, and utmp/wtmp
 * records (util-linux's login does the same steps). */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <shadow.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <termios.h>
#include <unistd.h>
#include <utmp.h>

#include "mica/auth.h"
#include "mica/crypt.h"

/* One line of fd 0 into buf[0..n) without its '\n'; as auth_readline. */
static int read_line(char *buf, size_t n)
{
	size_t len = 0;
	int fit = 1;
	char c;
	for (;;) {
		if (read(0, &c, 1) != 1) {
			if (len == 0 && fit)
				return -1;
			break;
		}
		if (c == '\n' || c == '\r')
			break;
		if (len + 1 < n)
			buf[len++] = c;
		else
			fit = 0;
	}
	buf[len] = '\0';
	return fit;
}

int auth_readline(const char *prompt, char *buf, size_t n, bool echo)
{
	struct termios old, quiet;
	bool tty = !echo && tcgetattr(0, &old) == 0;
	if (tty) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK | ECHONL);
		tcsetattr(0, TCSAFLUSH, &quiet);
	}
	fflush(stdout);
	(void)!write(2, prompt, strlen(prompt));
	int r = read_line(buf, n);
	if (tty) {
		tcsetattr(0, TCSAFLUSH, &old);
		(void)!write(2, "\n", 1);
	}
	return r;
}

const char *auth_hash(const struct passwd *pw)
{
	if (strcmp(pw->pw_passwd, "x"))
		return pw->pw_passwd;
	struct spwd *sp = getspnam(pw->pw_name);
	return sp ? sp->sp_pwdp : NULL;
}

bool auth_check(const struct passwd *pw, const char *key)
{
	const char *hash = auth_hash(pw);
	if (!hash)
		return false;
	return hash[0] == '\0' || crypt_check(key, hash);
}

int auth_become(const struct passwd *pw)
{
	/* only root may set groups; anyone else can at most become itself */
	if (initgroups(pw->pw_name, pw->pw_gid) < 0 && geteuid() == 0)
		return -1;
	if (setgid(pw->pw_gid) < 0 || setuid(pw->pw_uid) < 0)
		return -1;
	return 0;
}

void auth_setenv(const struct passwd *pw, bool fresh)
{
	if (fresh) {
		const char *t = getenv("TERM");
		char term[64];
		snprintf(term, sizeof(term), "%s", t ? t : "");
		extern char **environ;
		static char *none[1];
		environ = none;
		if (term[0])
			setenv("TERM", term, 1);
		setenv("PATH", "/bin", 1);
	}
	setenv("HOME", pw->pw_dir, 1);
	setenv("SHELL", pw->pw_shell[0] ? pw->pw_shell : "/bin/sh", 1);
	setenv("USER", pw->pw_name, 1);
	setenv("LOGNAME", pw->pw_name, 1);
}

const char *auth_line(void)
{
	const char *t = ttyname(0);
	if (!t)
		return "console";
	return strncmp(t, "/dev/", 5) ? t : t + 5;
}

/* s into a fixed-size utmp field, NUL-padded, not NUL-terminated when full. */
static void put_field(char *f, size_t n, const char *s)
{
	size_t l = strlen(s);
	memset(f, 0, n);
	memcpy(f, s, l < n ? l : n);
}

/* A record of `type` for pid on line, stamped now. */
static void fill(struct utmp *ut, short type, const char *user, const char *line, pid_t pid)
{
	struct timeval tv;
	memset(ut, 0, sizeof(*ut));
	ut->ut_type = type;
	ut->ut_pid = pid;
	put_field(ut->ut_line, sizeof(ut->ut_line), line);
	size_t ll = strlen(line);
	put_field(ut->ut_id, sizeof(ut->ut_id), ll > 4 ? line + ll - 4 : line);
	if (user)
		put_field(ut->ut_user, sizeof(ut->ut_user), user);
	gettimeofday(&tv, NULL);
	ut->ut_tv.tv_sec = (int32_t)tv.tv_sec, ut->ut_tv.tv_usec = (int32_t)tv.tv_usec;
}

void auth_session_open(const char *user, const char *line, pid_t pid)
{
	struct utmp ut;
	fill(&ut, USER_PROCESS, user, line, pid);
	setutent();
	pututline(&ut);
	endutent();
	updwtmp(_PATH_WTMP, &ut);
}

void auth_session_close(pid_t pid)
{
	struct utmp *u, ut;
	setutent();
	while ((u = getutent()))
		if (u->ut_type == USER_PROCESS && u->ut_pid == pid)
			break;
	if (u) {
		char line[UT_LINESIZE + 1] = {0};
		memcpy(line, u->ut_line, UT_LINESIZE);
		fill(&ut, DEAD_PROCESS, NULL, line, pid);
		memcpy(ut.ut_id, u->ut_id, sizeof(ut.ut_id));
		pututline(&ut);
		updwtmp(_PATH_WTMP, &ut);
	}
	endutent();
}
