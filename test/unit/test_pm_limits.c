/* pm's resource limits and nice values, on a process table built here:
 * getrlimit and setrlimit (who may raise what), inheritance by fork,
 * RLIMIT_NPROC at fork, RLIMIT_AS and RLIMIT_DATA at brk, and
 * setpriority for a process, a group and a user with Linux's errors. */
#include <criterion/criterion.h>
#include <string.h>

#include "../../servers/pm/proc.h"
#include "fake_sys.h"
#include "mica/errno.h"
#include "mica/proto/fs.h"
#include "mica/proto/pm.h"

static char out[IPC_MAX];
static srv_client next_client;
static unsigned fs_ops[64];         /* calls pm made to fs, by op */
static struct pm_limits told;       /* the last FS_PM_LIMITS */
static long prio_task, prio_weight; /* the last SYS_TASK_PRIO */

static long fake_fs(long ep, struct host_call *c)
{
	(void)ep;
	fs_ops[c->op < 64 ? c->op : 0]++;
	if (c->op == FS_PM_LIMITS)
		memcpy(&told, host_buf(), sizeof(told));
	c->result = 0;
	c->rlen = 0;
	return 0;
}

static long kernel(long n, long a0, long a1, long a2, long a3, long a4, long a5)
{
	(void)a1, (void)a3, (void)a4, (void)a5;
	if (n == SYS_TASK_PRIO) {
		prio_task = a0, prio_weight = a2;
		return 0;
	}
	return n == SYS_VM_MAP ? 0 : -ENOSYS;
}

static void setup(void)
{
	fake_reset();
	memset(&pm, 0, sizeof(pm));
	memset(fs_ops, 0, sizeof(fs_ops));
	memset(&told, 0, sizeof(told));
	pm.ep = 0, pm.fs = 3;
	pm_server.out = out;
	fake.host_call = fake_fs;
	fake.syscall = kernel;
	next_client = 500;
}

TestSuite(pm_limits, .init = setup);

static struct proc *mkproc(int ppid, int uid, int pgid)
{
	struct proc *p = proc_alloc(ppid);
	cr_assert_not_null(p);
	p->uid = uid;
	p->task = 100 + p->pid;
	p->sid = p->pid;
	p->pgid = pgid ? pgid : p->pid;
	return p;
}

static long req4(const struct proc *p, unsigned op, const unsigned long m[4], struct srv_rep *rep)
{
	struct srv_req req = {.op = op,
	                      .m = {m[0], m[1], m[2], m[3]},
	                      .data = out,
	                      .badge = proc_badge(p),
	                      .handle = -1,
	                      .call = true,
	                      .client = ++next_client};
	cr_assert_eq(srv_dispatch(&pm_server, &req, rep), SRV_REPLY);
	return rep->result;
}

static long setrl(const struct proc *p, int res, unsigned long cur, unsigned long max)
{
	struct srv_rep rep;
	return req4(p, PM_RLIMIT, (unsigned long[4]){(unsigned long)res, 1, cur, max}, &rep);
}

static struct mrlimit getrl(const struct proc *p, int res)
{
	struct srv_rep rep;
	cr_assert_eq(req4(p, PM_RLIMIT, (unsigned long[4]){(unsigned long)res, 0, 0, 0}, &rep), 0);
	return (struct mrlimit){rep.m[0], rep.m[1]};
}

Test(pm_limits, a_new_process_has_linuxs_defaults)
{
	struct proc *p = mkproc(0, 0, 0);
	struct mrlimit st = getrl(p, MRLIM_STACK), nf = getrl(p, MRLIM_NOFILE);
	cr_assert_eq(st.cur, USER_STACK_SIZE);
	cr_assert_eq(st.max, MRLIM_INF);
	cr_assert_eq(nf.cur, FS_MAX_FDS);
	cr_assert_eq(getrl(p, MRLIM_CPU).cur, MRLIM_INF);
	cr_assert_eq(getrl(p, MRLIM_CORE).cur, 0);
}

Test(pm_limits, anyone_lowers_only_root_raises_the_hard_limit)
{
	struct proc *u = mkproc(0, 1000, 0), *r = mkproc(0, 0, 0);
	cr_assert_eq(setrl(u, MRLIM_CPU, 5, 10), 0);
	cr_assert_eq(told.pid, u->pid, "fs hears of it");
	cr_assert_eq(told.rlim[MRLIM_CPU].max, 10);
	cr_assert_eq(setrl(u, MRLIM_CPU, 10, 10), 0, "the soft one up to the hard one");
	cr_assert_eq(setrl(u, MRLIM_CPU, 5, 11), -EPERM);
	cr_assert_eq(getrl(u, MRLIM_CPU).max, 10, "a refusal changes nothing");
	cr_assert_eq(setrl(r, MRLIM_CPU, 5, 10), 0);
	cr_assert_eq(setrl(r, MRLIM_CPU, 5, 20), 0, "root raises it");
}

Test(pm_limits, bad_requests_are_einval_and_nofile_stops_at_what_fs_holds)
{
	struct proc *r = mkproc(0, 0, 0);
	cr_assert_eq(setrl(r, MRLIM_FSIZE, 10, 5), -EINVAL, "soft above hard");
	cr_assert_eq(setrl(r, MRLIM_N, 1, 1), -EINVAL);
	cr_assert_eq(setrl(r, MRLIM_NOFILE, 10, FS_MAX_FDS + 1), -EPERM);
	cr_assert_eq(setrl(r, MRLIM_NOFILE, 10, FS_MAX_FDS), 0);
	cr_assert_eq(fs_ops[FS_PM_LIMITS], 1, "only the one that was set");
}

Test(pm_limits, fork_copies_the_limits)
{
	struct proc *p = mkproc(0, 0, 0);
	setrl(p, MRLIM_NOFILE, 7, 9);
	struct proc *c = proc_alloc(p->pid);
	rlimit_fork(c, p);
	cr_assert_eq(c->rlim[MRLIM_NOFILE].cur, 7);
	cr_assert_eq(c->rlim[MRLIM_NOFILE].max, 9);
}

Test(pm_limits, a_user_at_rlimit_nproc_cannot_fork_but_root_can)
{
	struct proc *u = mkproc(0, 1000, 0), *r = mkproc(0, 0, 0);
	mkproc(u->pid, 1000, 0);
	cr_assert_eq(setrl(u, MRLIM_NPROC, 2, 2), 0);
	struct srv_rep rep;
	cr_assert_eq(req4(u, PM_FORK, (unsigned long[4]){0}, &rep), -EAGAIN);
	cr_assert_eq(fake.calls[SYS_TASK_CREATE], 0, "nothing was made");
	cr_assert_eq(setrl(r, MRLIM_NPROC, 0, 0), 0);
	cr_assert_eq(req4(r, PM_FORK, (unsigned long[4]){0}, &rep), -ENOSYS,
	             "root is not held (this kernel makes no tasks)");
}

Test(pm_limits, brk_past_rlimit_as_or_data_is_enomem)
{
	struct proc *p = mkproc(0, 0, 0);
	p->brk_start = p->brk = 0x100000;
	p->stack_size = 64 << 10;
	struct srv_rep rep;
	cr_assert_eq(setrl(p, MRLIM_DATA, 1 << 20, MRLIM_INF), 0);
	cr_assert_eq(req4(p, PM_BRK, (unsigned long[4]){0x100000 + (2 << 20)}, &rep), -ENOMEM);
	cr_assert_eq(req4(p, PM_BRK, (unsigned long[4]){0x100000 + (512 << 10)}, &rep), 0);
	cr_assert_eq(setrl(p, MRLIM_AS, 1 << 20, MRLIM_INF), 0);
	cr_assert_eq(req4(p, PM_BRK, (unsigned long[4]){0x100000 + (1000 << 10)}, &rep), -ENOMEM,
	             "heap and stack together past the address-space limit");
	cr_assert_eq(rep.m[0], 0x100000 + (512 << 10), "the break stays");
}

Test(pm_limits, the_stack_follows_rlimit_stack_within_bounds)
{
	struct proc *p = mkproc(0, 0, 0);
	cr_assert_eq(rlimit_stack(p), USER_STACK_SIZE);
	setrl(p, MRLIM_STACK, 100000, MRLIM_INF);
	cr_assert_eq(rlimit_stack(p), 102400, "whole pages");
	setrl(p, MRLIM_STACK, 1, MRLIM_INF);
	cr_assert_eq(rlimit_stack(p), MRLIM_STACK_MIN);
	setrl(p, MRLIM_STACK, MRLIM_INF, MRLIM_INF);
	cr_assert_eq(rlimit_stack(p), MRLIM_STACK_MAX);
}

static long nice_req(const struct proc *p, int which, long who, int set, int nice,
                     struct srv_rep *rep)
{
	unsigned long m[4] = {(unsigned long)who, (unsigned long)set, (unsigned long)(long)nice,
	                      (unsigned long)which};
	return req4(p, PM_NICE, m, rep);
}

Test(pm_limits, nice_sets_the_kernels_weight_and_tells_fs)
{
	struct proc *p = mkproc(0, 0, 0);
	struct srv_rep rep;
	cr_assert_eq(nice_req(p, PM_PRIO_PROCESS, 0, 1, 10, &rep), 0);
	cr_assert_eq(prio_task, p->task);
	cr_assert_eq(prio_weight, 110, "Linux's weight for nice 10");
	cr_assert_eq(told.nice, 10);
	cr_assert_eq(nice_req(p, PM_PRIO_PROCESS, 0, 1, -20, &rep), 0);
	cr_assert_eq(prio_weight, 88761);
	cr_assert_eq(nice_req(p, PM_PRIO_PROCESS, 0, 1, 20, &rep), -EINVAL);
}

Test(pm_limits, a_group_and_a_user_are_set_together_and_asked_for_the_least)
{
	struct proc *a = mkproc(0, 1000, 0), *b = mkproc(0, 1000, a->pgid), *c = mkproc(0, 1001, 0);
	struct srv_rep rep;
	cr_assert_eq(nice_req(a, PM_PRIO_PGRP, 0, 1, 5, &rep), 0);
	cr_assert_eq(a->nice, 5);
	cr_assert_eq(b->nice, 5);
	cr_assert_eq(c->nice, 0);
	cr_assert_eq(nice_req(b, PM_PRIO_PROCESS, 0, 1, 7, &rep), 0);
	cr_assert_eq(nice_req(c, PM_PRIO_USER, 1000, 0, 0, &rep), 0);
	cr_assert_eq((long)rep.m[0], 5, "the least nice value of the user's processes");
	cr_assert_eq(nice_req(c, PM_PRIO_USER, 4242, 0, 0, &rep), -ESRCH);
}

Test(pm_limits, others_processes_are_eperm_and_lowering_nice_is_eacces)
{
	struct proc *a = mkproc(0, 1000, 0), *c = mkproc(0, 1001, 0);
	struct srv_rep rep;
	cr_assert_eq(nice_req(a, PM_PRIO_PROCESS, c->pid, 1, 5, &rep), -EPERM);
	cr_assert_eq(nice_req(a, PM_PRIO_PROCESS, 0, 1, 5, &rep), 0);
	cr_assert_eq(nice_req(a, PM_PRIO_PROCESS, 0, 1, 4, &rep), -EACCES);
	cr_assert_eq(a->nice, 5, "a refusal changes nothing");
	a->rlim[MRLIM_NICE].cur = 20; /* RLIMIT_NICE 20: down to nice 0 */
	cr_assert_eq(nice_req(a, PM_PRIO_PROCESS, 0, 1, 0, &rep), 0);
	cr_assert_eq(nice_req(a, PM_PRIO_PROCESS, 0, 1, -1, &rep), -EACCES);
}
