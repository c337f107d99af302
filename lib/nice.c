/* Scheduling priority as POSIX gives it to processes: getpriority,
 * setpriority and nice over pm's PM_NICE (pm keeps the value and gives
 * the process's threads the matching share of the CPU, docs/sched.md). */
#include <errno.h>
#include <sys/resource.h>
#include <unistd.h>

#include "mica/posix.h"
#include "mica/proto/pm.h"
#include "mica/syscall.h"

_Static_assert(PRIO_PROCESS == PM_PRIO_PROCESS && PRIO_PGRP == PM_PRIO_PGRP &&
                   PRIO_USER == PM_PRIO_USER,
               "<sys/resource.h> and pm name PRIO_* alike");

/* PM_NICE for which/who (0: self), setting it to value if set; stores
 * the nice value in *out: 0, or -errno. */
static long pm_nice(int which, long who, int set, int value, int *out)
{
	struct ipc_msg m = {.tag = MAKE_TAG(PM_NICE, 0),
	                    .m = {(unsigned long)who, (unsigned long)set,
	                          (unsigned long)(long)value, (unsigned long)which}};
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

static int check_which(int which, id_t who)
{
	if ((which != PRIO_PROCESS && which != PRIO_PGRP && which != PRIO_USER) || who > 0x7fffffff)
		return errno = EINVAL, -1;
	return 0;
}

int getpriority(int which, id_t who)
{
	int v;
	if (check_which(which, who))
		return -1;
	long r = pm_nice(which, (long)who, 0, 0, &v);
	return r ? (int)mica_fail(r) : v;
}

int setpriority(int which, id_t who, int value)
{
	int v;
	if (check_which(which, who))
		return -1;
	long r = pm_nice(which, (long)who, 1, clamp(value), &v);
	return r ? (int)mica_fail(r) : 0;
}

/* POSIX: lowering the value without privilege is EPERM here. */
int nice(int incr)
{
	int now, v;
	long r = pm_nice(PRIO_PROCESS, 0, 0, 0, &now);
	if (!r)
		r = pm_nice(PRIO_PROCESS, 0, 1, clamp((long)now + incr), &v);
	return r ? (int)mica_fail(r == -EACCES ? -EPERM : r) : v;
}
