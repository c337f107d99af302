/* What login, su and passwd share (lib/auth.c): reading a password with
 * echo off, checking it against /etc/shadow, taking on a user's ids and
 * environment, and the utmp/wtmp records of a session. */
#ifndef MICA_AUTH_H
#define MICA_AUTH_H

#include <pwd.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Longest password or name read; a longer line is read to its end and
 * refused (mica_readline returns 0). */
#define AUTH_LINE_MAX 128

/* prompt on standard error, then one line of standard input into
 * buf[0..n) without its '\n' (echo off unless `echo`): 1, 0 if the line
 * was too long, -1 at end of input. */
int auth_readline(const char *prompt, char *buf, size_t n, bool echo);

/* The stored hash of pw: /etc/shadow's when pw_passwd is "x", else
 * pw_passwd itself. NULL if there is none (no /etc/shadow, no entry). */
const char *auth_hash(const struct passwd *pw);

/* Whether key is pw's password (an empty stored hash takes any key). */
bool auth_check(const struct passwd *pw, const char *key);

/* pw's groups (initgroups), gid, then uid: 0, or -1 with errno. */
int auth_become(const struct passwd *pw);

/* HOME, SHELL, USER and LOGNAME of pw; with `fresh`, a login's clean
 * environment first (only TERM kept, PATH set). */
void auth_setenv(const struct passwd *pw, bool fresh);

/* The session's line: standard input's terminal less "/dev/". */
const char *auth_line(void);

/* A USER_PROCESS record for pid on line in utmp and wtmp. */
void auth_session_open(const char *user, const char *line, pid_t pid);
/* pid's record marked DEAD_PROCESS in utmp, and a logout in wtmp. */
void auth_session_close(pid_t pid);

#endif
