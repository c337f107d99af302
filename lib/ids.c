/* Process and session ids pm knows but has no request of its own for
 * (getsid, getpgid, tcgetsid: looked up in pm's process list), and the
 * effective ids, which are the real ones: Mica has no set-id programs. */
#include <errno.h>
#include <termios.h>
#include <unistd.h>

#include "mica/posix.h"

/* pid's row of pm's process list (0: the caller's), or NULL with errno. */
static const struct pm_procinfo *find_proc(pid_t pid, struct pm_procinfo *rows, int max)
{
	if (pid < 0) {
		errno = EINVAL;
		return NULL;
	}
	pid_t want = pid ? pid : getpid();
	int n = mica_ps(rows, max);
	for (int i = 0; i < n; i++)
		if (rows[i].pid == want)
			return &rows[i];
	errno = ESRCH;
	return NULL;
}

#define MAX_ROWS 64

pid_t getsid(pid_t pid)
{
	struct pm_procinfo rows[MAX_ROWS];
	const struct pm_procinfo *p = find_proc(pid, rows, MAX_ROWS);
	return p ? p->sid : -1;
}

pid_t getpgid(pid_t pid)
{
	struct pm_procinfo rows[MAX_ROWS];
	const struct pm_procinfo *p = find_proc(pid, rows, MAX_ROWS);
	return p ? p->pgid : -1;
}

/* The session of the terminal's foreground process group. */
pid_t tcgetsid(int fd)
{
	pid_t fg = tcgetpgrp(fd);
	if (fg < 0)
		return -1;
	struct pm_procinfo rows[MAX_ROWS];
	int n = mica_ps(rows, MAX_ROWS);
	for (int i = 0; i < n; i++)
		if (rows[i].pgid == fg)
			return rows[i].sid;
	errno = ENOTTY; /* no group in the foreground: no session either */
	return -1;
}

int setpgrp(void)
{
	return setpgid(0, 0);
}

uid_t geteuid(void)
{
	return getuid();
}

gid_t getegid(void)
{
	return getgid();
}

/* One group per process: its gid. */
int getgroups(int size, gid_t list[])
{
	if (size == 0)
		return 1;
	if (size < 0) {
		errno = EINVAL;
		return -1;
	}
	list[0] = getgid();
	return 1;
}

/* The effective id is the real one: changing it is setuid's change. */
int seteuid(uid_t uid)
{
	return uid == getuid() ? 0 : setuid(uid);
}

int setegid(gid_t gid)
{
	return gid == getgid() ? 0 : setgid(gid);
}
