/* Process and session ids pm knows but has no request of its own for
 * (getsid, getpgid, tcgetsid: looked up in pm's process list), and the
 * effective, saved and supplementary ids (PM_SETID: set-user-ID
 * programs change the effective ones). */
#include <errno.h>
#include <termios.h>
#include <unistd.h>

#include "mica/posix.h"
#include "mica/runtime.h"
#include "mica/syscall.h"

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

/* PM_SETID with PM_ID_ASK: every id of ours (and the groups into g). */
static long ask_ids(struct ipc_msg *m, gid_t *g, int max)
{
	*m = (struct ipc_msg){.tag = MAKE_TAG(PM_SETID, 0), .m = {PM_ID_ASK}};
	long r = mica_call(SLOT_PM, m);
	r = r < 0 ? r : PROTO_RESULT(m->tag);
	if (r < 0)
		return r;
	const int32_t *got = mica_ipcbuf();
	for (int i = 0; g && got && i < (int)m->m[3] && i < max; i++)
		g[i] = (gid_t)got[i];
	return 0;
}

static long set_ids(unsigned what, long a, long b)
{
	struct ipc_msg m = {.tag = MAKE_TAG(PM_SETID, 0),
	                    .m = {what, (unsigned long)a, (unsigned long)b}};
	long r = mica_call(SLOT_PM, &m);
	return mica_fail(r < 0 ? r : PROTO_RESULT(m.tag));
}

uid_t geteuid(void)
{
	struct ipc_msg m;
	return ask_ids(&m, NULL, 0) < 0 ? (uid_t)-1 : (uid_t)(m.m[0] >> 32);
}

gid_t getegid(void)
{
	struct ipc_msg m;
	return ask_ids(&m, NULL, 0) < 0 ? (gid_t)-1 : (gid_t)(m.m[1] >> 32);
}

int getresuid(uid_t *r, uid_t *e, uid_t *s)
{
	struct ipc_msg m;
	long err = ask_ids(&m, NULL, 0);
	if (err < 0)
		return (int)mica_fail(err);
	*r = (uid_t)(m.m[0] & 0xFFFFFFFF), *e = (uid_t)(m.m[0] >> 32);
	*s = (uid_t)(m.m[2] & 0xFFFFFFFF);
	return 0;
}

int getresgid(gid_t *r, gid_t *e, gid_t *s)
{
	struct ipc_msg m;
	long err = ask_ids(&m, NULL, 0);
	if (err < 0)
		return (int)mica_fail(err);
	*r = (gid_t)(m.m[1] & 0xFFFFFFFF), *e = (gid_t)(m.m[1] >> 32);
	*s = (gid_t)(m.m[2] >> 32);
	return 0;
}

/* The supplementary groups, as POSIX: the effective gid is not added. */
int getgroups(int size, gid_t list[])
{
	struct ipc_msg m;
	gid_t g[PM_NGROUPS];
	long err = ask_ids(&m, g, PM_NGROUPS);
	if (err < 0)
		return (int)mica_fail(err);
	int n = (int)m.m[3];
	if (size == 0)
		return n;
	if (size < n)
		return errno = EINVAL, -1;
	for (int i = 0; i < n; i++)
		list[i] = g[i];
	return n;
}

int setgroups(int n, const gid_t *list)
{
	if (n < 0 || n > PM_NGROUPS)
		return errno = EINVAL, -1;
	int32_t *out = mica_ipcbuf();
	if (!out)
		return errno = ENOMEM, -1;
	for (int i = 0; i < n; i++)
		out[i] = (int32_t)list[i];
	struct ipc_msg m = {.tag = MAKE_TAG(PM_SETID, (size_t)n * sizeof(int32_t)),
	                    .m = {PM_ID_GROUPS, (unsigned long)n}};
	long r = mica_call(SLOT_PM, &m);
	return (int)mica_fail(r < 0 ? r : PROTO_RESULT(m.tag));
}

int seteuid(uid_t uid)
{
	return (int)set_ids(PM_ID_EUID, (long)uid, 0);
}

int setegid(gid_t gid)
{
	return (int)set_ids(PM_ID_EGID, (long)gid, 0);
}

int setreuid(uid_t r, uid_t e)
{
	return (int)set_ids(PM_ID_REUID, r == (uid_t)-1 ? -1 : (long)r,
	                    e == (uid_t)-1 ? -1 : (long)e);
}

int setregid(gid_t r, gid_t e)
{
	return (int)set_ids(PM_ID_REGID, r == (gid_t)-1 ? -1 : (long)r,
	                    e == (gid_t)-1 ? -1 : (long)e);
}
