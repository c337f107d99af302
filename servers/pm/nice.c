/* Scheduling shares: every process runs at PRIO_DEFAULT, and its nice
 * value is its threads' weight there, so the kernel gives it CPU time in
 * proportion (docs/sched.md). PM_NICE is getpriority and setpriority
 * for a process, a process group or a user. */
#include "mica/errno.h"
#include "mica/proto/pm.h"
#include "proc.h"

/* Linux's sched_prio_to_weight: nice 0 is SCHED_WEIGHT_DEFAULT, and each
 * step costs about 10 % of the CPU against a neighbour (a factor 1.25). */
static const uint32_t weights[PM_NICE_MAX - PM_NICE_MIN + 1] = {
    /* -20 */ 88761, 71755, 56483, 46273, 36291,
    /* -15 */ 29154, 23254, 18705, 14949, 11916,
    /* -10 */ 9548,  7620,  6100,  4904,  3906,
    /*  -5 */ 3121,  2501,  1991,  1586,  1277,
    /*   0 */ 1024,  820,   655,   526,   423,
    /*   5 */ 335,   272,   215,   172,   137,
    /*  10 */ 110,   87,    70,    56,    45,
    /*  15 */ 36,    29,    23,    18,    15,
};
_Static_assert(SCHED_WEIGHT_DEFAULT == 1024, "nice 0 has the kernel's default weight");

long nice_apply(long task, int nice)
{
	return mica_task_prio(task, PRIO_DEFAULT, weights[nice - PM_NICE_MIN]);
}

static bool names(const struct proc *p, unsigned long which, long who, const struct proc *me)
{
	if (p->state != P_ALIVE)
		return false;
	if (which == PM_PRIO_PROCESS)
		return p->pid == (who ? who : me->pid);
	if (which == PM_PRIO_PGRP)
		return p->pgid == (who ? who : me->pgid);
	return p->uid == (who ? who : me->uid);
}

/* Linux's rules: root may set anything; others only their own uid's
 * processes (EPERM), and not below the nice value now unless the
 * process's RLIMIT_NICE allows it (EACCES). */
static long set_one(const struct proc *me, struct proc *p, int nice)
{
	if (me->uid != 0 && me->uid != p->uid)
		return -EPERM;
	if (me->uid != 0 && nice < p->nice && 20ul - (unsigned long)nice > p->rlim[MRLIM_NICE].cur)
		return -EACCES;
	long err = nice_apply(p->task, nice);
	if (err)
		return err;
	p->nice = nice; /* committed */
	rlimit_tell_fs(p);
	return 0;
}

/* As Linux's getpriority and setpriority: asking answers the least nice
 * value of those named; setting sets each it may, and fails with the
 * last refusal (ESRCH if none is named). */
int pm_do_nice(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct proc *me = proc_sender(req);
	long who = (long)req->m[0], nice = (long)req->m[2], err = -ESRCH, least = PM_NICE_MAX;
	unsigned long set = req->m[1], which = req->m[3];
	if (!me)
		return rep->result = -ESRCH, SRV_REPLY;
	if (set > 1 || which > PM_PRIO_USER || who < 0 || who > 0x7fffffff ||
	    (set && (nice < PM_NICE_MIN || nice > PM_NICE_MAX)))
		return rep->result = -EINVAL, SRV_REPLY;
	for (int i = 0; i < MAX_PROCS; i++) {
		struct proc *p = &pm.procs[i];
		if (!names(p, which, who, me))
			continue;
		if (!set) {
			least = p->nice < least ? p->nice : least;
			err = 0;
			continue;
		}
		long e = set_one(me, p, (int)nice);
		err = e ? e : err == -ESRCH ? 0 : err;
	}
	rep->m[0] = (unsigned long)(set ? nice : least);
	rep->result = err;
	return SRV_REPLY;
}
