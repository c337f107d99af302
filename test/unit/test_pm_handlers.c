/* pm's handlers, called as the transport calls them, on a process
 * table built here: who may ask (badges and their generation), kill
 * permissions, process groups and sessions, wait (now, never, or later
 * through srv_answer), the kernel's exit and fault messages (and the
 * same labels from anyone else), fork over a fake kernel, and the
 * calls pm makes to fs on the way. */
#include <criterion/criterion.h>
#include <string.h>

#include "../../servers/pm/proc.h"
#include "fake_sys.h"
#include "mica/errno.h"
#include "mica/execargs.h"
#include "mica/proto/fs.h"
#include "mica/proto/pm.h"

static char out[IPC_MAX];
static srv_client next_client;
static unsigned fs_ops[64]; /* calls pm made to fs, by op */

static long fake_fs(long ep, struct host_call *c)
{
	(void)ep;
	fs_ops[c->op < 64 ? c->op : 0]++;
	c->result = 0;
	c->rlen = 0;
	return 0;
}

static void setup(void)
{
	fake_reset();
	memset(&pm, 0, sizeof(pm));
	memset(fs_ops, 0, sizeof(fs_ops));
	pm.ep = 0, pm.fs = 3;
	pm_server.out = out;
	fake.host_call = fake_fs;
	next_client = 500;
}

TestSuite(pm_handlers, .init = setup);

/* A live process, child of ppid (0: none, a session of its own). */
static struct proc *mkproc(int ppid, int uid)
{
	struct proc *p = proc_alloc(ppid), *parent = proc_find(ppid);
	cr_assert_not_null(p);
	p->uid = p->ruid = p->suid = uid; /* real, effective and saved */
	p->task = 100 + p->pid;
	p->sid = parent ? parent->sid : p->pid;
	p->pgid = parent ? parent->pgid : p->pid;
	p->job = parent ? parent->job : p->pid;
	return p;
}

/* A request from badge; the handler's verdict, *rep its reply. */
static int send_req(unsigned long badge, unsigned op, unsigned long m0, unsigned long m1,
                    bool kernel, struct srv_rep *rep)
{
	struct srv_req req = {.op = op,
	                      .m = {m0, m1},
	                      .data = out,
	                      .badge = badge,
	                      .handle = -1,
	                      .call = !kernel,
	                      .kernel = kernel,
	                      .client = kernel ? 0 : ++next_client};
	return srv_dispatch(&pm_server, &req, rep);
}

/* The result of a request from p answered at once. */
static long call(const struct proc *p, unsigned op, unsigned long m0, unsigned long m1)
{
	struct srv_rep rep;
	cr_assert_eq(send_req(proc_badge(p), op, m0, m1, false, &rep), SRV_REPLY, "op %u", op);
	return rep.result;
}

Test(pm_handlers, getpid_answers_the_pid_and_ids)
{
	struct proc *init = mkproc(0, 0), *p = mkproc(init->pid, 1000);
	struct srv_rep rep;
	send_req(proc_badge(p), PM_GETPID, 0, 0, false, &rep);
	cr_assert_eq(rep.result, p->pid);
	cr_assert_eq(rep.m[0], (unsigned long)init->pid, "ppid");
	cr_assert_eq(rep.m[2], 1000, "uid");
}

Test(pm_handlers, a_stale_or_unknown_badge_is_esrch)
{
	struct proc *p = mkproc(0, 0);
	unsigned long stale = proc_badge(p);
	p->gen++; /* as exec does: the old task's badge goes stale */
	struct srv_rep rep;
	send_req(stale, PM_GETPID, 0, 0, false, &rep);
	cr_assert_eq(rep.result, -ESRCH);
	send_req(77, PM_GETPID, 0, 0, false, &rep);
	cr_assert_eq(rep.result, -ESRCH, "no such pid");
	cr_assert_eq(call(p, PM_GETPID, 0, 0), p->pid, "the new badge works");
}

Test(pm_handlers, a_user_cannot_signal_root)
{
	struct proc *init = mkproc(0, 0), *root = mkproc(init->pid, 0);
	struct proc *nobody = mkproc(init->pid, 65534);
	cr_assert_eq(call(nobody, PM_KILL, (unsigned long)root->pid, MSIG_TERM), -EPERM);
	cr_assert_eq(root->state, P_ALIVE);
	cr_assert_eq(fake.calls[SYS_TASK_KILL], 0);
}

Test(pm_handlers, kill_of_the_same_uid_ends_the_process_and_tells_fs)
{
	struct proc *init = mkproc(0, 0), *a = mkproc(init->pid, 1000);
	struct proc *b = mkproc(init->pid, 1000);
	cr_assert_eq(call(a, PM_KILL, (unsigned long)b->pid, MSIG_TERM), 0);
	cr_assert_eq(b->state, P_ZOMBIE);
	cr_assert_eq(b->status, W_SIGNALED(MSIG_TERM));
	cr_assert_eq(fake.calls[SYS_TASK_KILL], 1);
	cr_assert_eq(fs_ops[FS_PM_EXIT], 1, "fs closes its files");
}

Test(pm_handlers, init_cannot_be_killed_and_sigchld_does_nothing)
{
	struct proc *init = mkproc(0, 0), *p = mkproc(init->pid, 0);
	cr_assert_eq(call(p, PM_KILL, 1, MSIG_KILL), -ESRCH, "init is skipped");
	cr_assert_eq(init->state, P_ALIVE);
	cr_assert_eq(call(init, PM_KILL, (unsigned long)p->pid, MSIG_CHLD), 0);
	cr_assert_eq(p->state, P_ALIVE, "ignored by default");
}

Test(pm_handlers, an_ignored_signal_does_nothing_until_set_back_to_default)
{
	struct proc *init = mkproc(0, 0), *p = mkproc(init->pid, 0);
	cr_assert_eq(call(p, PM_SIGACTION, MSIG_PIPE, 1), 0);
	cr_assert_eq(p->sa.ign, PM_SIGBIT(MSIG_PIPE));
	cr_assert_eq(call(init, PM_KILL, (unsigned long)p->pid, MSIG_PIPE), 0);
	cr_assert_eq(p->state, P_ALIVE, "SIG_IGN is honoured");
	cr_assert_eq(call(init, PM_KILL, (unsigned long)p->pid, MSIG_WINCH), 0);
	cr_assert_eq(p->state, P_ALIVE, "SIGWINCH is ignored by default");
	cr_assert_eq(call(p, PM_SIGACTION, MSIG_PIPE, 0), 0);
	cr_assert_eq(call(init, PM_KILL, (unsigned long)p->pid, MSIG_PIPE), 0);
	cr_assert_eq(p->status, W_SIGNALED(MSIG_PIPE));
}

Test(pm_handlers, sigaction_refuses_to_ignore_kill_and_stop)
{
	struct proc *init = mkproc(0, 0), *p = mkproc(init->pid, 0);
	cr_assert_eq(call(p, PM_SIGACTION, MSIG_KILL, 1), -EINVAL);
	cr_assert_eq(call(p, PM_SIGACTION, MSIG_STOP, 1), -EINVAL);
	cr_assert_eq(call(p, PM_SIGACTION, MSIG_MAX + 1, 1), -EINVAL);
	cr_assert_eq(p->sa.ign, 0);
}

Test(pm_handlers, a_parent_ignoring_sigchld_leaves_no_zombies)
{
	struct proc *init = mkproc(0, 0), *p = mkproc(init->pid, 0), *c = mkproc(p->pid, 0);
	cr_assert_eq(call(p, PM_SIGACTION, MSIG_CHLD, 1), 0);
	cr_assert_eq(call(p, PM_KILL, (unsigned long)c->pid, MSIG_TERM), 0);
	cr_assert_eq(c->state, P_FREE, "reaped at once");
	cr_assert_eq(call(p, PM_WAIT, (unsigned long)-1, 0), -ECHILD);
}

Test(pm_handlers, kill_checks_the_signal_and_the_consoles_target)
{
	struct proc *init = mkproc(0, 0), *p = mkproc(init->pid, 0);
	cr_assert_eq(call(init, PM_KILL, (unsigned long)p->pid, MSIG_MAX + 1), -EINVAL);
	struct srv_rep rep;
	send_req(PM_BADGE_CONSOLE, PM_KILL, (unsigned long)p->pid, MSIG_INT, false, &rep);
	cr_assert_eq(rep.result, -EINVAL, "the console signals groups only");
	cr_assert_eq(p->state, P_ALIVE);
	p->pgid = p->job = p->pid; /* a job of its own */
	send_req(PM_BADGE_CONSOLE, PM_KILL, (unsigned long)-p->pgid, MSIG_INT, false, &rep);
	cr_assert_eq(rep.result, 0);
	cr_assert_eq(p->state, P_ZOMBIE);
}

Test(pm_handlers, setpgid_refuses_a_session_leader)
{
	struct proc *init = mkproc(0, 0), *sh = mkproc(init->pid, 0);
	sh->sid = sh->pgid = sh->job = sh->pid;
	cr_assert_eq(call(sh, PM_SETPGID, 0, 0), -EPERM);
	cr_assert_eq(call(sh, PM_SETPGID, 0, (unsigned long)-3), -EINVAL);
}

Test(pm_handlers, setpgid_puts_a_child_in_a_new_job_and_a_sibling_in_it)
{
	struct proc *sh = mkproc(0, 0);
	struct proc *a = mkproc(sh->pid, 0), *b = mkproc(sh->pid, 0);
	cr_assert_eq(call(sh, PM_SETPGID, (unsigned long)a->pid, 0), 0);
	cr_assert_eq(a->pgid, a->pid);
	cr_assert_eq(a->job, a->pid, "a new job of the session leader");
	cr_assert_eq(call(sh, PM_SETPGID, (unsigned long)b->pid, (unsigned long)a->pid), 0);
	cr_assert_eq(b->pgid, a->pid);
	cr_assert_eq(call(sh, PM_SETPGID, (unsigned long)b->pid, 999), -EPERM, "no group 999");
	cr_assert_eq(b->pgid, a->pid, "unchanged");
}

Test(pm_handlers, setpgid_reaches_only_the_caller_and_its_children)
{
	struct proc *sh = mkproc(0, 0);
	struct proc *a = mkproc(sh->pid, 0), *b = mkproc(sh->pid, 0);
	cr_assert_eq(call(a, PM_SETPGID, (unsigned long)b->pid, 0), -ESRCH, "a sibling");
	cr_assert_eq(b->pgid, sh->pgid);
}

Test(pm_handlers, setsid_refuses_a_group_leader_and_makes_a_session)
{
	struct proc *sh = mkproc(0, 0), *p = mkproc(sh->pid, 0);
	cr_assert_eq(call(sh, PM_SETSID, 0, 0), -EPERM, "it leads its group");
	cr_assert_eq(call(p, PM_SETSID, 0, 0), p->pid);
	cr_assert_eq(p->sid, p->pid);
	cr_assert_eq(p->pgid, p->pid);
}

Test(pm_handlers, an_exit_label_without_the_kernel_flag_is_ignored)
{
	struct proc *init = mkproc(0, 0), *p = mkproc(init->pid, 0);
	struct srv_rep rep;
	cr_assert_eq(send_req(proc_badge(p), MSG_TASK_EXIT, 0, 0, false, &rep), SRV_REPLY);
	cr_assert_eq(rep.result, -ENOSYS);
	cr_assert_eq(p->state, P_ALIVE, "a forged exit ends nothing");
	cr_assert_eq(send_req(proc_badge(p), MSG_TASK_EXIT, 3, 0, true, &rep), SRV_NONE);
	cr_assert_eq(p->state, P_ZOMBIE);
	cr_assert_eq(p->status, W_EXITCODE(3));
}

Test(pm_handlers, a_fault_ends_the_process_with_the_signal_for_it)
{
	struct proc *init = mkproc(0, 0), *p = mkproc(init->pid, 0);
	struct srv_rep rep;
	send_req(proc_badge(p), MSG_TASK_FAULT, 13, 0, true, &rep); /* load page fault */
	cr_assert_eq(p->status, W_SIGNALED(MSIG_SEGV) | W_COREFLAG, "core, as Linux reports it");
	struct proc *q = mkproc(init->pid, 0);
	send_req(proc_badge(q), MSG_TASK_FAULT, 2, 0, true, &rep);
	cr_assert_eq(q->status, W_SIGNALED(MSIG_ILL) | W_COREFLAG);
}

Test(pm_handlers, fs_dying_is_noted_and_file_calls_then_fail)
{
	struct srv_rep rep;
	cr_assert_eq(send_req(PM_BADGE_FS, MSG_TASK_EXIT, 1, 0, true, &rep), SRV_NONE);
	cr_assert(pm.fs_dead);
	cr_assert_eq(fsc_call(FS_PM_EXIT, 1, 0, 0, 0, -1), -EIO);
	cr_assert_eq(fs_ops[FS_PM_EXIT], 0, "fs was not called");
}

Test(pm_handlers, wait_with_no_children_is_echild)
{
	struct proc *p = mkproc(0, 0);
	cr_assert_eq(call(p, PM_WAIT, (unsigned long)-1, 0), -ECHILD);
	cr_assert_eq(call(p, PM_WAIT, 42, 0), -ECHILD, "not a child");
}

Test(pm_handlers, wait_reaps_a_zombie_at_once_and_wnohang_does_not_wait)
{
	struct proc *p = mkproc(0, 0), *c = mkproc(p->pid, 0), *d = mkproc(p->pid, 0);
	int cpid = c->pid;
	cr_assert_eq(call(p, PM_WAIT, (unsigned long)-1, PM_WNOHANG), 0, "none has exited");
	struct srv_rep rep;
	send_req(proc_badge(c), MSG_TASK_EXIT, 7, 0, true, &rep);
	send_req(proc_badge(p), PM_WAIT, (unsigned long)-1, 0, false, &rep);
	cr_assert_eq(rep.result, cpid);
	cr_assert_eq(rep.m[0], W_EXITCODE(7));
	cr_assert_null(proc_find(cpid), "reaped");
	cr_assert_eq(d->state, P_ALIVE);
}

Test(pm_handlers, a_waiting_parent_is_answered_when_its_child_exits)
{
	struct proc *p = mkproc(0, 0), *c = mkproc(p->pid, 0);
	int cpid = c->pid;
	struct srv_rep rep;
	cr_assert_eq(send_req(proc_badge(p), PM_WAIT, (unsigned long)cpid, 0, false, &rep),
	             SRV_DEFER);
	srv_client parent = next_client;
	cr_assert_eq(fake.answers, 0);
	send_req(proc_badge(c), MSG_TASK_EXIT, 2, 0, true, &rep);
	cr_assert_eq(fake.answers, 1);
	cr_assert_eq(fake.answered_to, parent);
	cr_assert_eq(fake.answer.result, cpid);
	cr_assert_eq(fake.answer.m[0], W_EXITCODE(2));
	cr_assert_null(proc_find(cpid), "reaped by the answer");
	cr_assert_eq(p->wait_client, 0);
}

Test(pm_handlers, a_killed_waiter_is_not_answered)
{
	struct proc *init = mkproc(0, 0), *p = mkproc(init->pid, 0), *c = mkproc(p->pid, 0);
	struct srv_rep rep;
	send_req(proc_badge(p), PM_WAIT, (unsigned long)-1, 0, false, &rep);
	cr_assert_eq(call(init, PM_KILL, (unsigned long)p->pid, MSIG_KILL), 0);
	send_req(proc_badge(c), MSG_TASK_EXIT, 0, 0, true, &rep);
	cr_assert_eq(fake.answers, 0, "its wait went with it");
	cr_assert_eq(c->ppid, 1, "the orphan went to init");
}

Test(pm_handlers, setid_lets_root_take_any_id_and_others_only_their_own)
{
	struct proc *root = mkproc(0, 0), *u = mkproc(root->pid, 1000);
	cr_assert_eq(call(u, PM_SETID, PM_ID_UID, 0), -EPERM);
	cr_assert_eq(call(u, PM_SETID, PM_ID_UID, 1000), 0);
	cr_assert_eq(call(root, PM_SETID, PM_ID_GID, 70000), -EINVAL);
	cr_assert_eq(call(root, PM_SETID, PM_ID_UID, 500), 0);
	cr_assert_eq(root->uid, 500);
	cr_assert(root->ruid == 500 && root->suid == 500, "root's setuid sets all three");
}

Test(pm_handlers, set_user_id_keeps_the_saved_id_to_go_back_to)
{
	struct proc *init = mkproc(0, 0), *p = mkproc(init->pid, 1000);
	proc_exec_ids(p, 0104755, 0, 0); /* exec of a set-user-ID root program */
	cr_assert(p->uid == 0 && p->ruid == 1000 && p->suid == 0, "euid 0, ruid 1000");
	cr_assert_eq(call(p, PM_SETID, PM_ID_EUID, 1000), 0, "drop to the real uid");
	cr_assert_eq(p->uid, 1000);
	cr_assert_eq(call(p, PM_SETID, PM_ID_EUID, 7), -EPERM, "not a third one");
	cr_assert_eq(call(p, PM_SETID, PM_ID_EUID, 0), 0, "and back: the saved uid is 0");
	cr_assert_eq(call(p, PM_SETID, PM_ID_UID, 1000), 0, "root's setuid: for good");
	cr_assert(p->uid == 1000 && p->suid == 1000);
	cr_assert_eq(call(p, PM_SETID, PM_ID_EUID, 0), -EPERM, "nothing to go back to");
	proc_exec_ids(p, 0100755, 0, 0);
	cr_assert_eq(p->uid, 1000, "a plain program changes nothing");
}

Test(pm_handlers, setreuid_swaps_and_groups_are_for_root)
{
	struct proc *init = mkproc(0, 0), *p = mkproc(init->pid, 1000);
	p->uid = p->suid = 0; /* as after a set-user-ID exec */
	struct srv_rep rep;
	struct srv_req req = {.op = PM_SETID,
	                      .m = {PM_ID_REUID, 0, 1000},
	                      .badge = proc_badge(p),
	                      .handle = -1,
	                      .call = true,
	                      .client = 9};
	srv_dispatch(&pm_server, &req, &rep);
	cr_assert_eq(rep.result, 0);
	cr_assert(p->ruid == 0 && p->uid == 1000 && p->suid == 1000, "swapped; saved follows");
	int32_t g[2] = {10, 20};
	req = (struct srv_req){.op = PM_SETID,
	                       .m = {PM_ID_GROUPS, 2},
	                       .data = g,
	                       .len = sizeof(g),
	                       .badge = proc_badge(p),
	                       .handle = -1,
	                       .call = true,
	                       .client = 9};
	srv_dispatch(&pm_server, &req, &rep);
	cr_assert_eq(rep.result, -EPERM, "euid 1000");
	req.badge = proc_badge(init);
	srv_dispatch(&pm_server, &req, &rep);
	cr_assert_eq(rep.result, 0);
	cr_assert(init->ngroups == 2 && init->groups[1] == 20);
}

Test(pm_handlers, poweroff_and_srvkill_are_for_root)
{
	struct proc *root = mkproc(0, 0), *u = mkproc(root->pid, 1000);
	cr_assert_eq(call(u, PM_POWEROFF, 0, 0), -EPERM);
	cr_assert_eq(fake.calls[SYS_POWEROFF], 0);
	cr_assert_eq(call(root, PM_SRVKILL, PM_SRV_FS, 0), -EPERM, "without pm.testhooks");
}

Test(pm_handlers, brk_refuses_below_the_start_and_reports_the_break)
{
	struct proc *p = mkproc(0, 0);
	p->brk_start = p->brk = 0x20000;
	struct srv_rep rep;
	send_req(proc_badge(p), PM_BRK, 0x10000, 0, false, &rep);
	cr_assert_eq(rep.result, -ENOMEM);
	cr_assert_eq(rep.m[0], 0x20000);
	send_req(proc_badge(p), PM_BRK, 0, 0, false, &rep);
	cr_assert_eq(rep.result, 0);
	cr_assert_eq(rep.m[0], 0x20000, "0 asks");
}

Test(pm_handlers, ps_lists_every_process_in_the_payload)
{
	struct proc *p = mkproc(0, 0);
	mkproc(p->pid, 0);
	struct srv_rep rep;
	send_req(proc_badge(p), PM_PS, 0, 0, false, &rep);
	cr_assert_eq(rep.result, 2);
	cr_assert_eq(rep.len, 2 * sizeof(struct pm_procinfo));
	struct pm_procinfo pi;
	memcpy(&pi, out, sizeof(pi));
	cr_assert_eq(pi.pid, p->pid);
}

Test(pm_handlers, exec_with_a_malformed_payload_changes_nothing)
{
	struct proc *p = mkproc(0, 0);
	unsigned gen = p->gen;
	struct srv_req req = {.op = PM_EXEC,
	                      .data = "/bin/x",
	                      .len = 6, /* no NUL */
	                      .badge = proc_badge(p),
	                      .handle = -1,
	                      .call = true,
	                      .client = 9};
	struct srv_rep rep;
	cr_assert_eq(srv_dispatch(&pm_server, &req, &rep), SRV_REPLY);
	cr_assert_eq(rep.result, -EINVAL);
	cr_assert_eq(p->gen, gen);
	cr_assert_eq(fake.calls[SYS_TASK_CREATE], 0);
}

/* The caller's memory for PM_EXEC's pointer form: [user_va, +len) holds
 * user_mem; anything else is a fault, as SYS_VM_READ says. */
#define USER_VA 0x40000ul
static char user_mem[EXECARGS_BLOCK_MAX];
static long read_task, read_len;
static long vm_read_kernel(long n, long a0, long a1, long a2, long a3, long a4, long a5)
{
	(void)a4, (void)a5;
	unsigned long va = (unsigned long)a1, len = (unsigned long)a3;
	if (n != SYS_VM_READ)
		return -ENOSYS;
	read_task = a0, read_len = a3;
	if (va < USER_VA || len > sizeof(user_mem) || va - USER_VA > sizeof(user_mem) - len)
		return -EFAULT;
	memcpy((void *)a2, user_mem + (va - USER_VA), len);
	return a3;
}

/* PM_EXEC's pointer form from p: the result, and the state unchanged. */
static long exec_at(struct proc *p, unsigned long va, unsigned long len)
{
	unsigned gen = p->gen;
	char name[16];
	memcpy(name, p->name, sizeof(name));
	fake.syscall = vm_read_kernel;
	long r = call(p, PM_EXEC, va, len);
	cr_assert_eq(p->gen, gen);
	cr_assert_arr_eq(p->name, name, sizeof(name));
	cr_assert_eq(fake.calls[SYS_TASK_CREATE], 0);
	cr_assert_eq(fake.calls[SYS_TASK_KILL], 0);
	return r;
}

Test(pm_handlers, exec_from_memory_refuses_bad_pointers_and_lengths)
{
	struct proc *p = mkproc(0, 0);
	char *argv[] = {"x", NULL};
	long n = execargs_pack(user_mem, sizeof(user_mem), "/bin/x", argv, NULL);
	cr_assert_eq(exec_at(p, 0, (unsigned long)n), -EFAULT, "NULL");
	cr_assert_eq(exec_at(p, USER_VA + sizeof(user_mem) - 4, (unsigned long)n), -EFAULT,
	             "runs off the mapping");
	cr_assert_eq(exec_at(p, ~0ul - 3, 64), -EFAULT, "wraps");
	read_len = 0;
	cr_assert_eq(exec_at(p, USER_VA, EXECARGS_BLOCK_MAX + 1), -E2BIG, "one byte too long");
	cr_assert_eq(exec_at(p, USER_VA, ~0ul), -E2BIG, "huge");
	cr_assert_eq(read_len, 0, "read before the length was checked");
	cr_assert_eq(exec_at(p, USER_VA, 0), -EINVAL, "empty");
	cr_assert_eq(exec_at(p, USER_VA, (unsigned long)n - 1), -EINVAL, "cut short");
	cr_assert_eq(fake.calls[SYS_VM_READ], 4, "only in-limit blocks are read");
}

Test(pm_handlers, exec_from_memory_reads_the_callers_task_and_checks_the_block)
{
	struct proc *p = mkproc(0, 0);
	struct execargs_hdr h = {5, 0}; /* five arguments promised, none there */
	memcpy(user_mem, &h, sizeof(h));
	memcpy(user_mem + sizeof(h), "/bin/x", 7);
	cr_assert_eq(exec_at(p, USER_VA, sizeof(h) + 7), -EINVAL);
	cr_assert_eq(read_task, p->task, "read from someone else's memory");
	h.argc = 0xFFFFFFFF;
	memcpy(user_mem, &h, sizeof(h));
	cr_assert_eq(exec_at(p, USER_VA, sizeof(h) + 7), -E2BIG);
	/* a good block gets as far as reading the program: fs has nothing */
	char *argv[] = {"x", "", NULL};
	long n = execargs_pack(user_mem, sizeof(user_mem), "/bin/x", argv, NULL);
	cr_assert_lt(exec_at(p, USER_VA, (unsigned long)n), 0);
	cr_assert_gt(fs_ops[FS_PM_OPEN], 0, "a good block did not reach exec");
}

/* A kernel that creates tasks: grants fill slots 0, 1, 2 in a new task. */
static unsigned long forked_token;
static long fork_kernel(long n, long a0, long a1, long a2, long a3, long a4, long a5)
{
	static long slot;
	(void)a2, (void)a3, (void)a4, (void)a5;
	switch (n) {
	case SYS_TASK_CREATE:
		slot = 0;
		return 20;
	case SYS_HANDLE_GRANT:
		return a0 == HANDLE_SELF ? 40 : slot++;
	case SYS_THREAD_FORK:
		forked_token = (unsigned long)a1;
		return 1;
	default:
		return 0;
	}
}

Test(pm_handlers, fork_makes_a_child_that_returns_from_the_callers_request)
{
	struct proc *p = mkproc(0, 1000);
	fake.syscall = fork_kernel;
	struct srv_rep rep;
	cr_assert_eq(send_req(proc_badge(p), PM_FORK, 0, 0, false, &rep), SRV_REPLY);
	struct proc *c = proc_find((int)rep.result);
	cr_assert_not_null(c);
	cr_assert_eq(c->ppid, p->pid);
	cr_assert_eq(c->uid, 1000);
	cr_assert_eq(c->task, 20);
	cr_assert_eq(forked_token, next_client, "the child takes the caller's registers");
	cr_assert_eq(fs_ops[FS_PM_FORK], 1);
}

Test(pm_handlers, fork_past_the_per_user_limit_is_eagain)
{
	struct proc *p = mkproc(0, 1000);
	fake.syscall = fork_kernel;
	for (unsigned long i = 1; i < p->rlim[MRLIM_NPROC].cur; i++)
		mkproc(p->pid, 1000);
	cr_assert_eq(call(p, PM_FORK, 0, 0), -EAGAIN);
	cr_assert_eq(fake.calls[SYS_TASK_CREATE], 0, "nothing was made");
}

Test(pm_handlers, a_failed_fork_undoes_the_child)
{
	struct proc *p = mkproc(0, 0);
	int next = pm.next_pid + 1;
	cr_assert_eq(call(p, PM_FORK, 0, 0), -ENOSYS, "no task creation in this kernel");
	cr_assert_null(proc_find(next));
	cr_assert_eq(fs_ops[FS_PM_EXIT], 1, "fs forgets it too");
}

/* --- signals: pm's side of handlers, masks, stops ------------------------- */

#define MAIN_TID 77ul
static unsigned long upcall_tid, upcall_pc;
static long stop_arg;
static unsigned upcalls;

/* A kernel with one thread per task (MAIN_TID) that records upcalls and stops. */
static long sig_kernel(long n, long a0, long a1, long a2, long a3, long a4, long a5)
{
	(void)a0, (void)a3, (void)a4, (void)a5;
	if (n == SYS_THREAD_INFO) {
		if (a1 > 0)
			return -ENOENT;
		memset((void *)a2, 0, sizeof(struct thread_info));
		((struct thread_info *)a2)->tid = MAIN_TID;
		return 0;
	}
	if (n == SYS_THREAD_UPCALL)
		upcall_tid = (unsigned long)a1, upcall_pc = (unsigned long)a2, upcalls++;
	if (n == SYS_TASK_STOP)
		stop_arg = a1;
	return 0;
}

static void sig_setup(void)
{
	setup();
	fake.syscall = sig_kernel;
	upcall_tid = upcall_pc = 0;
	upcalls = 0;
	stop_arg = -1;
}

/* A request from p's main thread, with m0..m3; the reply in *rep. */
static int thread_req(struct proc *p, unsigned op, unsigned long m0, unsigned long m1,
                      unsigned long m2, unsigned long m3, struct srv_rep *rep)
{
	struct srv_req req = {.op = op,
	                      .m = {m0, m1, m2, m3},
	                      .data = out,
	                      .badge = proc_badge(p),
	                      .handle = -1,
	                      .call = true,
	                      .client = MAIN_TID};
	return srv_dispatch(&pm_server, &req, rep);
}

TestSuite(pm_signals, .init = sig_setup);

Test(pm_signals, a_caught_signal_is_an_upcall_then_taken_once_with_its_mask)
{
	struct proc *init = mkproc(0, 0), *p = mkproc(init->pid, 0);
	struct srv_rep rep;
	thread_req(p, PM_SIGACTION, MSIG_USR1, PM_SA_DISP(2, 0), PM_SIGBIT(MSIG_USR2), 0x1000,
	           &rep);
	cr_assert_eq(rep.result, 0);
	cr_assert_eq(rep.m[1], PM_SIGBIT(MSIG_USR1), "caught set");
	cr_assert_eq(call(init, PM_KILL, (unsigned long)p->pid, MSIG_USR1), 0);
	cr_assert_eq(p->state, P_ALIVE);
	cr_assert_eq(upcall_tid, MAIN_TID);
	cr_assert_eq(upcall_pc, 0x1000);
	thread_req(p, PM_SIGTAKE, 0, 0, 0, 0, &rep);
	cr_assert_eq(rep.result, MSIG_USR1);
	cr_assert_eq(rep.m[0], 0, "the mask to give back");
	cr_assert_eq(rep.m[1] & 0xFFFFFFFF, (unsigned long)init->pid, "si_pid");
	thread_req(p, PM_SIGTAKE, 0, 0, 0, 0, &rep);
	cr_assert_eq(rep.result, 0, "taken once");
	thread_req(p, PM_SIGMASK, PM_SIG_ASK, 0, 0, 0, &rep);
	cr_assert_eq(rep.m[0], PM_SIGBIT(MSIG_USR1) | PM_SIGBIT(MSIG_USR2), "handler's mask");
}

Test(pm_signals, a_handler_needs_an_entry_and_kill_cannot_be_caught)
{
	struct proc *p = mkproc(0, 0);
	struct srv_rep rep;
	thread_req(p, PM_SIGACTION, MSIG_USR1, PM_SA_DISP(2, 0), 0, 0, &rep);
	cr_assert_eq(rep.result, -EINVAL);
	thread_req(p, PM_SIGACTION, MSIG_KILL, PM_SA_DISP(2, 0), 0, 0x1000, &rep);
	cr_assert_eq(rep.result, -EINVAL);
	cr_assert_eq(p->sa.caught, 0);
}

Test(pm_signals, a_blocked_signal_waits_and_acts_when_unblocked)
{
	struct proc *init = mkproc(0, 0), *p = mkproc(init->pid, 0);
	struct srv_rep rep;
	thread_req(p, PM_SIGMASK, PM_SIG_BLOCK, PM_SIGBIT(MSIG_TERM), 0, 0, &rep);
	cr_assert_eq(rep.result, 0);
	call(init, PM_KILL, (unsigned long)p->pid, MSIG_TERM);
	cr_assert_eq(p->state, P_ALIVE, "blocked");
	thread_req(p, PM_SIGPENDING, 0, 0, 0, 0, &rep);
	cr_assert_eq(rep.m[0], PM_SIGBIT(MSIG_TERM));
	thread_req(p, PM_SIGMASK, PM_SIG_UNBLOCK, PM_SIGBIT(MSIG_TERM), 0, 0, &rep);
	cr_assert_eq(p->state, P_ZOMBIE);
	cr_assert_eq(p->status, W_SIGNALED(MSIG_TERM));
}

Test(pm_signals, stop_and_continue_reach_the_kernel_and_wait)
{
	struct proc *init = mkproc(0, 0), *p = mkproc(init->pid, 0), *c = mkproc(p->pid, 0);
	struct srv_rep rep;
	call(p, PM_KILL, (unsigned long)c->pid, MSIG_STOP);
	cr_assert_eq(stop_arg, 1);
	cr_assert(c->stopped);
	thread_req(p, PM_WAIT, (unsigned long)c->pid, PM_WUNTRACED, 0, 0, &rep);
	cr_assert_eq(rep.result, c->pid);
	cr_assert_eq(rep.m[0], W_STOPCODE(MSIG_STOP));
	thread_req(p, PM_WAIT, (unsigned long)c->pid, PM_WUNTRACED | PM_WNOHANG, 0, 0, &rep);
	cr_assert_eq(rep.result, 0, "told once");
	call(p, PM_KILL, (unsigned long)c->pid, MSIG_CONT);
	cr_assert_eq(stop_arg, 0);
	thread_req(p, PM_WAIT, (unsigned long)c->pid, PM_WCONTINUED, 0, 0, &rep);
	cr_assert_eq(rep.m[0], W_CONTINUED);
	cr_assert_eq(c->state, P_ALIVE);
}

Test(pm_signals, sigchld_carries_the_childs_pid_and_status)
{
	struct proc *init = mkproc(0, 0), *p = mkproc(init->pid, 0), *c = mkproc(p->pid, 0);
	struct srv_rep rep;
	thread_req(p, PM_SIGACTION, MSIG_CHLD, PM_SA_DISP(2, 0), 0, 0x2000, &rep);
	send_req(proc_badge(c), PM_EXIT, 3, 0, false, &rep);
	cr_assert_eq(upcalls, 1);
	thread_req(p, PM_SIGTAKE, 0, 0, 0, 0, &rep);
	cr_assert_eq(rep.result, MSIG_CHLD);
	cr_assert_eq(rep.m[1] & 0xFFFFFFFF, (unsigned long)c->pid);
	cr_assert_eq(rep.m[2], PM_CLD_EXITED | (3ul << 32));
}

Test(pm_signals, a_background_read_stops_the_group_unless_it_ignores_sigttin)
{
	struct proc *sh = mkproc(0, 0), *fg = mkproc(sh->pid, 0), *bg = mkproc(sh->pid, 0);
	fg->pgid = fg->job = fg->pid;
	bg->pgid = bg->job = bg->pid;
	struct srv_req req = {.op = PM_TTYCHK,
	                      .m = {(unsigned long)fg->pid, (unsigned long)fg->pgid, MSIG_TTIN, 0},
	                      .badge = PM_BADGE_CONSOLE,
	                      .handle = -1,
	                      .call = true,
	                      .client = 9};
	struct srv_rep rep;
	srv_dispatch(&pm_server, &req, &rep);
	cr_assert_eq(rep.result, 0, "the foreground reads");
	req.m[0] = (unsigned long)bg->pid;
	srv_dispatch(&pm_server, &req, &rep);
	cr_assert_eq(rep.result, -EINTR);
	cr_assert(bg->stopped && bg->stopsig == MSIG_TTIN);
	call(sh, PM_KILL, (unsigned long)bg->pid, MSIG_CONT);
	bg->sa.ign |= PM_SIGBIT(MSIG_TTIN);
	srv_dispatch(&pm_server, &req, &rep);
	cr_assert_eq(rep.result, -EIO, "ignoring SIGTTIN: the read fails");
	req.badge = proc_badge(bg);
	srv_dispatch(&pm_server, &req, &rep);
	cr_assert_eq(rep.result, -EPERM, "only the console asks");
}
