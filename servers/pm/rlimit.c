/* Resource limits: each process's soft and hard limits (PM_RLIMIT, as
 * getrlimit and setrlimit), inherited by fork and kept by exec. pm
 * enforces CPU time (every tick), processes (fork), the stack (exec),
 * address space and data (mmap, brk, shmat); fs gets a copy of them
 * (FS_PM_LIMITS) and enforces file size and open files. */
#include <string.h>

#include "mica/errno.h"
#include "mica/host.h"
#include "mica/proto/fs.h"
#include "mica/proto/pm.h"
#include "proc.h"

void rlimit_init(struct proc *p)
{
	mrlimit_defaults(p->rlim);
	p->xcpu_at = 0;
}

void rlimit_fork(struct proc *child, const struct proc *parent)
{
	memcpy(child->rlim, parent->rlim, sizeof(child->rlim));
	child->xcpu_at = parent->xcpu_at;
	child->stack_size = parent->stack_size; /* the same address space */
}

void rlimit_tell_fs(const struct proc *p)
{
	struct pm_limits *l = host_buf();
	*l = (struct pm_limits){.pid = p->pid, .nice = p->nice};
	memcpy(l->rlim, p->rlim, sizeof(l->rlim));
	fsc_call(FS_PM_LIMITS, 0, 0, 0, sizeof(*l), -1);
}

unsigned long rlimit_stack(const struct proc *p)
{
	unsigned long want = p->rlim[MRLIM_STACK].cur;
	if (want >= MRLIM_STACK_MAX)
		return MRLIM_STACK_MAX;
	want = (want + 4095) & ~4095ul;
	return want < MRLIM_STACK_MIN ? MRLIM_STACK_MIN : want;
}

long rlimit_vm_check(struct proc *p, unsigned long size, unsigned long data)
{
	const struct mrlimit *as = &p->rlim[MRLIM_AS], *dl = &p->rlim[MRLIM_DATA];
	if (as->cur == MRLIM_INF && (dl->cur == MRLIM_INF || !data))
		return 0;
	struct fs_proc row; /* what /proc/N/status says: VmSize and VmData */
	vm_stats(p, &row);
	unsigned long vm = row.vm_size << 10, vd = row.vm_data << 10;
	if (as->cur != MRLIM_INF && (size > as->cur || vm > as->cur - size))
		return -ENOMEM;
	if (data && dl->cur != MRLIM_INF && (data > dl->cur || vd > dl->cur - data))
		return -ENOMEM;
	return 0;
}

/* Linux's RLIMIT_CPU: past the soft limit SIGXCPU, again every second
 * while the process lives on (it ignores or catches it); at the hard
 * limit SIGKILL. Checked every tick (100 ms), only for processes that
 * have a limit. */
void rlimit_tick(void)
{
	for (int i = 0; i < MAX_PROCS; i++) {
		struct proc *p = &pm.procs[i];
		const struct mrlimit *rl = &p->rlim[MRLIM_CPU];
		if (p->state != P_ALIVE || p->task < 0 ||
		    (rl->cur == MRLIM_INF && rl->max == MRLIM_INF))
			continue;
		unsigned long secs = task_cpu_us(p->task) / 1000000;
		struct sig_info info = {.code = PM_SI_KERNEL};
		if (secs >= rl->max) {
			sig_send(p, MSIG_KILL, 0, &info);
		} else if (secs >= rl->cur && secs >= p->xcpu_at) {
			p->xcpu_at = secs + 1;
			sig_send(p, MSIG_XCPU, 0, &info);
		}
	}
}

/* getrlimit and setrlimit for the caller: a soft limit anywhere up to
 * the hard one; the hard one lowered by anyone, raised only by root
 * (EPERM), and RLIMIT_NOFILE's never past what fs can hold (EPERM, as
 * Linux past nr_open). Answers the limits as they were. */
int pm_do_rlimit(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct proc *p = proc_sender(req);
	unsigned long res = req->m[0], set = req->m[1];
	struct mrlimit want = {req->m[2], req->m[3]};
	long err = !p ? -ESRCH : res >= MRLIM_N || set > 1 ? -EINVAL : 0;
	if (!err && set && want.cur > want.max)
		err = -EINVAL;
	if (!err && set && want.max > p->rlim[res].max && p->uid != 0)
		err = -EPERM;
	if (!err && set && res == MRLIM_NOFILE && want.max > FS_MAX_FDS)
		err = -EPERM;
	if (err)
		return rep->result = err, SRV_REPLY;
	rep->m[0] = p->rlim[res].cur, rep->m[1] = p->rlim[res].max;
	if (set) {
		p->rlim[res] = want;
		if (res == MRLIM_CPU)
			p->xcpu_at = 0;
		rlimit_tell_fs(p);
	}
	rep->result = 0;
	return SRV_REPLY;
}
