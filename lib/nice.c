/* Scheduling priority as POSIX gives it to processes: getpriority,
 * setpriority and nice over pm's PM_NICE (pm keeps the value and moves
 * the process's threads to the matching kernel priority). */
#include <errno.h>
#include <sys/resource.h>
#include <unistd.h>

#include "mica/proto/pm.h"
#include "mica/syscall.h"

/* PM_NICE for pid (0: self), setting it to value if set; stores the
 * nice value in *out: 0, or -errno. */
static long pm_nice(long pid, int set, int value, int *out)
{
	struct ipc_msg m = {
	    .tag = MAKE_TAG(PM_NICE, 0),
	    .m = {(unsigned long)pid, (unsigned long)set, (unsigned long)(long)value}};
	long r = mica_call(SLOT_PM, &m);
	r = r < 0 ? r : PROTO_RESULT(m.tag);
	if (r < 0)
		return r;
	*out = (int)(long)m.m[0];
	return 0;
}

static int clamp(long v)
{
	return v < PM_NICE_MIN ? PM_NICE_MIN : v > PM_NICE_MAX ? PM_NICE_MAX : (int)v;
}

/* Only PRIO_PROCESS: groups and users would need pm to walk its table. */
static int check_which(int which, id_t who)
{
	if (which == PRIO_PGRP || which == PRIO_USER)
		return errno = ENOSYS, -1;
	if (which != PRIO_PROCESS || who > 0x7fffffff)
		return errno = EINVAL, -1;
	return 0;
}

int getpriority(int which, id_t who)
{
	int v;
	if (check_which(which, who))
		return -1;
	long r = pm_nice((long)who, 0, 0, &v);
	return r ? (errno = (int)-r, -1) : v;
}

int setpriority(int which, id_t who, int value)
{
	int v;
	if (check_which(which, who))
		return -1;
	long r = pm_nice((long)who, 1, clamp(value), &v);
	return r ? (errno = (int)-r, -1) : 0;
}

/* POSIX: lowering the value without privilege is EPERM here. */
int nice(int incr)
{
	int now, v;
	long r = pm_nice(0, 0, 0, &now);
	if (!r)
		r = pm_nice(0, 1, clamp((long)now + incr), &v);
	return r ? (errno = r == -EACCES ? EPERM : (int)-r, -1) : v;
}
