/* pm's handlers: the process table, fork, exec, exit, wait, kill and
 * the kernel's exit/fault messages. Each handler checks its request
 * fully before it changes the table. No transport here: a deferred
 * PM_WAIT is a srv_client answered with srv_answer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mica/errno.h"
#include "mica/execargs.h"
#include "mica/proto/fs.h"
#include "mica/proto/pm.h"
#include "mica/host.h"
#include "mica/server.h"
#include "proc.h"
#include "sysvipc.h"

/* --- the table ----------------------------------------------------------- */

struct proc *proc_alloc(int ppid)
{
	for (int i = 0; i < MAX_PROCS; i++) {
		struct proc *p = &pm.procs[i];
		if (p->state != P_FREE)
			continue;
		unsigned gen = p->gen + 1;
		*p = (struct proc){
		    .pid = ++pm.next_pid, .ppid = ppid, .state = P_ALIVE, .gen = gen, .task = -1};
		rlimit_init(p);
		return p;
	}
	return NULL;
}

void proc_free(struct proc *p)
{
	p->state = P_FREE;
	fsc_proc_update(p, false); /* the /proc row goes */
}

struct proc *proc_find(int pid)
{
	for (int i = 0; i < MAX_PROCS; i++)
		if (pm.procs[i].state != P_FREE && pm.procs[i].pid == pid)
			return &pm.procs[i];
	return NULL;
}

/* pid in bits 0..31 (fs reads it there), pm's generation in 32..47, and
 * the table slot in 48..55, so a request finds its process in O(1). */
unsigned long proc_badge(const struct proc *p)
{
	return (unsigned long)p->pid | ((unsigned long)(p->gen & 0xFFFF) << 32) |
	       ((unsigned long)(p - pm.procs) << 48);
}

static int free_slots(void)
{
	int n = 0;
	for (int i = 0; i < MAX_PROCS; i++)
		n += pm.procs[i].state == P_FREE;
	return n;
}

static int procs_of(int uid)
{
	int n = 0;
	for (int i = 0; i < MAX_PROCS; i++)
		n += pm.procs[i].state == P_ALIVE &&
		     pm.procs[i].ruid == uid; /* real ids, as Linux */
	return n;
}

static bool is_leader(const struct proc *p)
{
	return p->pid == 1 || p->pid == p->sid;
}

/* A process (zombies count, as on Unix) in group pgid (and session sid, unless -1), or NULL. */
static struct proc *group_member(int pgid, int sid)
{
	for (int i = 0; i < MAX_PROCS; i++) {
		struct proc *p = &pm.procs[i];
		if (p->state != P_FREE && p->pgid == pgid && (sid < 0 || p->sid == sid))
			return p;
	}
	return NULL;
}

/* The live process a request came from, or NULL (stale badge). */
static struct proc *sender(const struct srv_req *req)
{
	unsigned long slot = (req->badge >> 48) & 0xFF;
	struct proc *p = slot < MAX_PROCS ? &pm.procs[slot] : NULL;
	if (!p || p->state == P_FREE || proc_badge(p) != req->badge)
		return NULL;
	return p;
}

struct proc *proc_sender(const struct srv_req *req)
{
	return sender(req);
}

static int result(struct srv_rep *rep, long r)
{
	rep->result = r;
	return SRV_REPLY;
}

/* --- death and reaping --------------------------------------------------- */

static bool wait_matches(const struct proc *parent, const struct proc *child)
{
	return parent->wait_pid == -1 || parent->wait_pid == child->pid;
}

/* What child has to tell a wait with opts: true and *status if any. */
static bool wait_news(const struct proc *c, int opts, int *status)
{
	if (c->state == P_ZOMBIE)
		return *status = c->status, true;
	if (c->state == P_ALIVE && (opts & PM_WUNTRACED) && c->wreport == 'T')
		return *status = W_STOPCODE(c->stopsig), true;
	if (c->state == P_ALIVE && (opts & PM_WCONTINUED) && c->wreport == 'C')
		return *status = W_CONTINUED, true;
	return false;
}

/* The waiting parent (client c) gets child's pid and status; a zombie
 * is then gone. Nothing changes if the parent no longer waits (a
 * signal's handler interrupted its wait). */
static void reap(struct proc *child, srv_client c, int status)
{
	struct proc *parent = proc_find(child->ppid);
	struct srv_rep rep = {.result = child->pid, .m = {(unsigned long)status}, .handle = -1};
	if (srv_answer(&pm_server, c, &rep, NULL) < 0)
		return;
	if (child->state != P_ZOMBIE) {
		child->wreport = 0;
		return;
	}
	if (parent) /* times(): a waited-for child's time, and its children's */
		parent->cutime += child->cpu_us + child->cutime;
	proc_free(child);
}

/* A parent waiting for this child hears of its death, stop or continue. */
void proc_wait_notify(struct proc *c)
{
	struct proc *parent = proc_find(c->ppid);
	int status;
	if (parent && parent->wait_client && wait_matches(parent, c) &&
	    wait_news(c, parent->wait_opts, &status)) {
		srv_client cl = parent->wait_client;
		parent->wait_client = 0;
		reap(c, cl, status);
	}
}

static void notify_parent(struct proc *z)
{
	proc_wait_notify(z);
}

/* Ends p with a wait status: orphans go to init, the parent hears. */
/* CPU time of every thread of task, 0 if it is gone already. */
unsigned long task_cpu_us(long task)
{
	struct thread_info ti;
	unsigned long us = 0;
	for (unsigned i = 0; mica_thread_info(task, i, &ti) == 0; i++)
		us += ti.cpu_us;
	return us;
}

void proc_die(struct proc *p, int status)
{
	if (p->state != P_ALIVE)
		return;
	if (p->task >= 0) {
		p->cpu_us = task_cpu_us(p->task);
		mica_task_kill(p->task, status);
		mica_handle_close(p->task);
		p->task = -1;
	}
	p->state = P_ZOMBIE;
	p->status = status;
	p->wait_client = 0;
	sig_exit(p);
	vm_release(p);
	ipc_exit(p);
	fsc_call(FS_PM_EXIT, (unsigned long)p->pid, 0, 0, 0, -1); /* close its files */
	fsc_proc_update(p, false);
	for (int i = 0; i < MAX_PROCS; i++) {
		struct proc *c = &pm.procs[i];
		if (c->state != P_FREE && c->ppid == p->pid) {
			c->ppid = 1;
			if (c->state == P_ZOMBIE)
				notify_parent(c);
		}
	}
	if (p->pid == 1)
		printf("pm: init died (status %#x)\n", status);
	struct proc *parent = proc_find(p->ppid);
	if (parent && (parent->sa.ign & PM_SIGBIT(MSIG_CHLD)) &&
	    !(parent->wait_client && wait_matches(parent, p))) {
		proc_free(p); /* SIGCHLD set to SIG_IGN: no zombie (POSIX) */
		return;
	}
	notify_parent(p);
	sig_child_died(p);
}

/* A server died. Until a restart service exists, say so and degrade:
 * the kernel fails calls to its dead endpoint, so nobody hangs. */
static void server_died(const struct srv_req *req)
{
	bool fs = req->badge == PM_BADGE_FS;
	if (req->badge == PM_BADGE_BLK) {
		if (!pm.blk_dead)
			printf("pm: server blk died: disk calls now fail\n");
		pm.blk_dead = true;
		return;
	}
	bool *dead = fs ? &pm.fs_dead : &pm.con_dead;
	if (*dead)
		return;
	*dead = true;
	if (req->op == MSG_TASK_FAULT)
		printf("pm: server %s died (fault, scause %lu at pc %#lx)\n", fs ? "fs" : "console",
		       req->m[0], req->m[2]);
	else
		printf("pm: server %s died (exit status %ld)\n", fs ? "fs" : "console",
		       (long)req->m[0]);
	printf(fs ? "pm: file calls now fail; programs run from the boot archive\n"
	          : "pm: console calls now fail\n");
	fflush(stdout);
}

/* MSG_TASK_EXIT / MSG_TASK_FAULT from the kernel. */
static int do_kernel(const struct srv_req *req)
{
	if (req->badge == PM_BADGE_FS || req->badge == PM_BADGE_CONSOLE ||
	    req->badge == PM_BADGE_BLK) {
		server_died(req);
		return SRV_NONE;
	}
	struct proc *p = sender(req);
	if (!p)
		return SRV_NONE; /* an exec'd or killed task's last word */
	if (req->op == MSG_TASK_FAULT)
		proc_die(p, W_SIGNALED(sig_of_fault(req->m[0])) | W_COREFLAG);
	else
		proc_die(p, W_EXITCODE((int)req->m[0]));
	return SRV_NONE;
}

/* --- requests -------------------------------------------------------------- */

static int do_getpid(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct proc *p = sender(req);
	if (!p)
		return result(rep, -ESRCH);
	rep->m[0] = (unsigned long)p->ppid, rep->m[1] = (unsigned long)p->pgid;
	rep->m[2] = (unsigned long)p->ruid, rep->m[3] = (unsigned long)p->rgid; /* getuid's */
	return result(rep, p->pid);
}

static int do_exit(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s, (void)rep;
	struct proc *p = sender(req);
	if (p)
		proc_die(p, W_EXITCODE((int)req->m[0]));
	return SRV_NONE; /* the caller's task is gone */
}

static int do_fork(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct proc *parent = sender(req), *c;
	if (!parent)
		return result(rep, -ESRCH);
	if (free_slots() <= PROC_RESERVE && !is_leader(parent))
		return result(rep, -EAGAIN); /* the last slots: for the shell */
	if (parent->uid != 0 &&
	    (unsigned long)procs_of(parent->ruid) >= parent->rlim[MRLIM_NPROC].cur)
		return result(rep, -EAGAIN); /* RLIMIT_NPROC */
	if (!(c = proc_alloc(parent->pid)))
		return result(rep, -EAGAIN);
	memcpy(c->name, parent->name, sizeof(c->name));
	c->pgid = parent->pgid, c->uid = parent->uid, c->gid = parent->gid;
	c->ruid = parent->ruid, c->rgid = parent->rgid, c->suid = parent->suid;
	c->sgid = parent->sgid, c->ngroups = parent->ngroups;
	memcpy(c->groups, parent->groups, sizeof(c->groups));
	c->sid = parent->sid, c->job = parent->job;
	memcpy(c->cmdline, parent->cmdline, sizeof(c->cmdline));
	c->brk_start = parent->brk_start, c->brk = parent->brk;
	c->cmdline_len = parent->cmdline_len;
	sig_fork(c, parent, req->client);
	c->nice = parent->nice; /* its thread starts at the caller's priority */
	rlimit_fork(c, parent);
	memcpy(c->seg, parent->seg, sizeof(c->seg));
	c->nseg = parent->nseg, c->vm_peak = parent->vm_peak;
	memcpy(c->exe, parent->exe, sizeof(c->exe));
	long task = mica_task_create(c->name, pm.ep, proc_badge(c), TASK_FAULTS);
	long err = task < 0 ? task : mica_vm_clone(task, parent->task);
	if (err >= 0)
		err = grant_std(task, proc_badge(c));
	if (err >= 0 && !pm.fs_dead)
		err = fsc_call(FS_PM_FORK, (unsigned long)parent->pid, (unsigned long)c->pid, 0, 0,
		               -1);
	if (err >= 0) { /* the child returns from the caller's request with 0 */
		trace_fork(c, parent, task);
		err = mica_thread_fork(task, req->client, 0);
	}
	if (err < 0) {
		if (task >= 0) {
			mica_task_kill(task, 0);
			mica_handle_close(task);
		}
		fsc_call(FS_PM_EXIT, (unsigned long)c->pid, 0, 0, 0, -1);
		c->state = P_FREE;
		/* out of tasks, handles or table slots: fork's EAGAIN */
		return result(rep, err == -EMFILE || err == -ENOSPC ? -EAGAIN : err);
	}
	c->task = task;
	vm_fork(c, parent);
	vm_exe_set(c, parent->exe_obj);
	/* fs has the parent's maps unless they changed since it heard */
	c->maps_state = parent->maps_state == FS_MAPS_KEEP ? FS_MAPS_PARENT : FS_MAPS_TEXT;
	fsc_proc_update(c, true);
	return result(rep, c->pid);
}

/* PM_EXEC's payload, copied here before anything else: calls to fs
 * reuse the request's buffer. A block in the caller's memory is read
 * into memory of its own, held only during the exec. */
static char exec_buf[IPC_MAX];

/* The block from the payload or, with none, from the caller's memory at
 * m0 (m1 bytes): its length and *block (exec_buf, or malloc'd), or -errno. */
static long exec_fetch(const struct proc *p, const struct srv_req *req, char **block)
{
	unsigned long va = req->m[0], len = req->m[1];
	*block = exec_buf;
	if (req->len) {
		size_t n = req->len < IPC_MAX ? req->len : IPC_MAX;
		memcpy(exec_buf, req->data, n);
		return (long)n;
	}
	if (len > EXECARGS_BLOCK_MAX)
		return -E2BIG;
	if (len <= sizeof(struct execargs_hdr))
		return -EINVAL;
	if (!(*block = malloc(len)))
		return -ENOMEM;
	if (mica_vm_read(p->task, va, *block, len) != (long)len)
		return -EFAULT;
	return (long)len;
}

/* Checks the block, then replaces p's image; the result if it failed. */
static long exec_block(struct proc *p, const char *block, long len)
{
	struct execargs a;
	int err = len < 0 ? (int)len : execargs_check(block, (size_t)len, &a);
	if (err)
		return err;
	/* checked: from here only image_create can fail, and it changes nothing */
	const char *base = strrchr(a.path, '/') ? strrchr(a.path, '/') + 1 : a.path;
	char old_name[16];
	memcpy(old_name, p->name, sizeof(old_name));
	size_t blen = strlen(base) < sizeof(p->name) - 1 ? strlen(base) : sizeof(p->name) - 1;
	memcpy(p->name, base, blen);
	p->name[blen] = 0;
	p->gen++; /* the new task's badge; the old one's messages go stale */
	pm.exec_mode = 0;
	long task = image_create(p, &a, 0);
	if (task < 0) {
		p->gen--;
		memcpy(p->name, old_name, sizeof(old_name));
		return task;
	}
	if (pm.exec_mode & 06000) /* set-id: a tracer would read what it may not */
		p->traced = false;
	else
		trace_exec(p, task);
	mica_task_kill(p->task, 0);
	mica_handle_close(p->task);
	p->task = task;
	vm_release(p); /* the old program's mappings and object go */
	vm_exe_set(p, p->exe_next);
	proc_exec_ids(p, pm.exec_mode, pm.exec_uid, pm.exec_gid);
	fsc_call(FS_PM_EXEC, (unsigned long)p->pid, 0, 0, 0, -1); /* close-on-exec */
	fsc_proc_update(p, true);
	image_run(p);
	return 0;
}

int pm_do_exec(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct proc *p = sender(req);
	char *block;
	if (!p)
		return result(rep, -ESRCH);
	long len = exec_fetch(p, req, &block);
	long err = exec_block(p, block, len);
	if (block != exec_buf)
		free(block);
	if (err == -FS_EWAIT) /* a disk is being read: this exec runs again */
		return pm_later(pm_do_exec, req, rep, exec_buf);
	if (err)
		return result(rep, err);
	sig_exec(p, req->client);
	return SRV_NONE; /* the caller is gone; its image replaced */
}

static int do_wait(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct proc *p = sender(req);
	if (!p)
		return result(rep, -ESRCH);
	if (req->m[1] & ~(unsigned long)(PM_WNOHANG | PM_WUNTRACED | PM_WCONTINUED))
		return result(rep, -EINVAL);
	p->wait_pid = (long)req->m[0];
	p->wait_opts = (int)req->m[1];
	bool any = false;
	for (int i = 0; i < MAX_PROCS; i++) {
		struct proc *c = &pm.procs[i];
		int status;
		if (c->state == P_FREE || c->ppid != p->pid || !wait_matches(p, c))
			continue;
		any = true;
		if (wait_news(c, p->wait_opts, &status)) {
			rep->m[0] = (unsigned long)status;
			int pid = c->pid;
			if (c->state == P_ZOMBIE) {
				p->cutime += c->cpu_us + c->cutime;
				proc_free(c);
			} else {
				c->wreport = 0;
			}
			return result(rep, pid);
		}
	}
	if (!any)
		return result(rep, -ECHILD);
	if (req->m[1] & PM_WNOHANG)
		return result(rep, 0);
	p->wait_client = req->client;
	return SRV_DEFER;
}

/* --- out of memory ------------------------------------------------------------ */

/* The OOM killer, as Linux's: when free memory falls to the kernel's
 * reserve for privileged tasks plus a margin (1/32 of RAM each), the
 * process holding the most memory is killed and the console says so.
 * Never a server or init. Checked every PM_OOM_TICK_US; a program that
 * takes the rest faster than that dies of its own page fault instead
 * (the kernel's "out of memory for a demand-zero page"). */
/* With swap, keep more free than the killer's line: enough for fs to
 * take files (it stops 1024 frames above the reserve, pages.c). */
void swap_refill(void)
{
	struct kinfo k;
	unsigned long high = pm_low_water() + 1024;
	if (swap_on() && mica_kinfo(&k) == 0 && k.frames_free < high + k.frames_total / 64)
		swap_reclaim(high + k.frames_total / 64);
}

unsigned long pm_low_water(void)
{
	struct kinfo k;
	if (mica_kinfo(&k))
		return 0;
	unsigned long reserve = k.frames_total / 32 > 256 ? k.frames_total / 32 : 256;
	return reserve + k.frames_total / 32;
}

/* /proc's VmSwap for the processes whose count changed since. */
static void swap_show(void)
{
	for (int i = 0; i < MAX_PROCS; i++) {
		struct proc *p = &pm.procs[i];
		if (p->state == P_ALIVE && p->nswap != p->nswap_shown) {
			p->nswap_shown = p->nswap;
			fsc_proc_update(p, false);
		}
	}
}

void pm_oom_check(void)
{
	struct kinfo k;
	if (mica_kinfo(&k))
		return;
	unsigned long low = pm_low_water();
	swap_refill();
	swap_show();
	swap_tell_fs();
	if (mica_kinfo(&k) || k.frames_free >= low)
		return;
	/* first what only caches: programs nothing runs; then swap */
	if (vm_reclaim(low) && mica_kinfo(&k) == 0 && k.frames_free >= low)
		return;
	static int stuck; /* ticks in which no page went out */
	static unsigned long was;
	unsigned long out = swap_reclaim(low);
	if (out && mica_kinfo(&k) == 0 && k.frames_free >= low)
		return;
	stuck = swap_evicted() != was ? 0 : stuck + 1;
	was = swap_evicted();
	if (swap_on() && swap_free_pages() && stuck < 20)
		return; /* the writes drain: two seconds before anyone dies */
	pm_oom_kill();
}

bool pm_oom_kill(void)
{
	struct proc *victim = NULL;
	unsigned long most = 0;
	for (int i = 0; i < MAX_PROCS; i++) {
		struct proc *p = &pm.procs[i];
		struct thread_info ti;
		if (p->state != P_ALIVE || p->pid == 1 || p->task < 0 ||
		    mica_thread_info(p->task, 0, &ti) != 0)
			continue;
		if (ti.task_pages > most)
			most = ti.task_pages, victim = p;
	}
	if (!victim)
		return false;
	struct fs_proc row;
	struct thread_info ti;
	vm_stats(victim, &row);
	/* shared pages (its program's text, shared memory) as file-rss */
	unsigned long shared =
	    mica_thread_info(victim->task, 0, &ti) == 0 ? ti.shared_pages * 4 : 0;
	printf("Out of memory: Killed process %d (%s) total-vm:%lukB, anon-rss:%lukB, "
	       "file-rss:%lukB, shmem-rss:0kB, UID:%d\n",
	       victim->pid, victim->name, (unsigned long)row.vm_size, most * 4, shared,
	       victim->uid);
	fflush(stdout);
	proc_die(victim, W_SIGNALED(MSIG_KILL));
	return true;
}

static int do_times(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct proc *me = sender(req);
	if (!me)
		return result(rep, -ESRCH);
	rep->m[0] = me->cutime;
	return result(rep, 0);
}

/* POSIX: root may signal anyone; others a process whose real or saved
 * uid is their real or effective one. */
static bool may_signal(const struct proc *from, const struct proc *to)
{
	return !from || from->uid == 0 || from->ruid == to->ruid || from->ruid == to->suid ||
	       from->uid == to->ruid || from->uid == to->suid;
}

/* Whether kill(pid) names p: a process, a group with the processes that
 * moved out of it (its job), or with -1 everyone but init and the caller. */
static bool kill_names(long pid, const struct proc *p, const struct proc *me)
{
	if (pid > 0)
		return p->pid == pid;
	if (pid == -1)
		return p != me && p->pid != 1;
	long g = pid == 0 ? (me ? me->pgid : 0) : -pid;
	return p->pgid == g || p->job == g;
}

static int do_kill(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	long pid = (long)req->m[0];
	int sig = (int)req->m[1], hit = 0, denied = 0;
	unsigned long lwp = req->m[2]; /* pthread_kill: one thread (gettid) of pid */
	struct proc *me = sender(req);
	bool from_console = req->badge == PM_BADGE_CONSOLE;
	if (!from_console && !me)
		return result(rep, -ESRCH);
	if (sig < 0 || sig > MSIG_MAX || (from_console && pid >= -1) || (lwp && pid <= 0))
		return result(rep, -EINVAL);
	for (int i = 0; i < MAX_PROCS; i++) {
		struct proc *p = &pm.procs[i];
		if (p->state == P_SERVER && pid == p->pid)
			denied++; /* a server takes no signals */
		if (p->state != P_ALIVE || !kill_names(pid, p, me))
			continue;
		if (p->pid == 1 && sig != 0 && !(p->sa.caught & PM_SIGBIT(sig)))
			continue; /* init takes only the signals it catches (as Linux's) */
		if (!may_signal(me, p)) {
			denied++;
			continue;
		}
		hit++;
		struct sig_info info = {me ? me->pid : 0, me ? me->uid : 0,
		                        me ? PM_SI_USER : PM_SI_KERNEL, 0, 0};
		unsigned long tid = lwp ? sig_thread(p, lwp) : 0;
		if (lwp && !tid)
			return result(rep, -ESRCH); /* no such thread in pid */
		sig_send(p, sig, tid, &info);
	}
	return result(rep, hit ? 0 : denied ? -EPERM : -ESRCH);
}

/* POSIX setpgid: the caller or its child, in the caller's session, not
 * a session leader; the group is new (= pid) or exists in the session. */
static int do_setpgid(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct proc *me = sender(req), *p;
	if (!me)
		return result(rep, -ESRCH);
	p = req->m[0] ? proc_find((int)req->m[0]) : me;
	if (!p || (p != me && p->ppid != me->pid))
		return result(rep, -ESRCH);
	int pgid = req->m[1] ? (int)req->m[1] : p->pid;
	if ((long)req->m[1] < 0 || p->sid != me->sid || p->pid == p->sid)
		return result(rep, (long)req->m[1] < 0 ? -EINVAL : -EPERM);
	struct proc *leader = pgid == p->pid ? NULL : group_member(pgid, p->sid);
	if (pgid != p->pid && !leader)
		return result(rep, -EPERM);
	/* no failure after this point */
	if (leader)
		p->job = leader->job;
	else if (p->pgid == p->sid)
		p->job = pgid; /* a new job of the session leader */
	p->pgid = pgid;
	return result(rep, 0);
}

static int do_setsid(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct proc *me = sender(req);
	if (!me)
		return result(rep, -ESRCH);
	if (group_member(me->pid, -1))
		return result(rep, -EPERM); /* already leads a group */
	me->sid = me->pgid = me->job = me->pid;
	return result(rep, me->pid);
}

static bool valid_id(long id)
{
	return id >= 0 && id <= 65535;
}

/* The ids a set*id call changes: real, effective and saved, of users
 * (uids) or of groups, and whether the caller is privileged. */
struct ids {
	int *r, *e, *s;
	bool root;
};

/* POSIX setuid/setgid: root sets all three; others the effective one,
 * to the real or saved one. seteuid alike, without root's all three. */
static int set_one(struct ids *x, long id, bool all)
{
	if (!valid_id(id))
		return -EINVAL;
	if (x->root && all)
		*x->r = *x->e = *x->s = (int)id;
	else if (x->root || id == *x->r || id == *x->s)
		*x->e = (int)id;
	else
		return -EPERM;
	return 0;
}

/* setreuid/setregid (-1 keeps one): the saved id follows the effective
 * one when the real one is set or the effective one becomes another. */
static int set_re(struct ids *x, long r, long e)
{
	if ((r != -1 && !valid_id(r)) || (e != -1 && !valid_id(e)))
		return -EINVAL;
	if (!x->root && ((r != -1 && r != *x->r && r != *x->e) ||
	                 (e != -1 && e != *x->r && e != *x->e && e != *x->s)))
		return -EPERM;
	int old_r = *x->r;
	if (r != -1)
		*x->r = (int)r;
	if (e != -1)
		*x->e = (int)e;
	if (r != -1 || (e != -1 && e != old_r))
		*x->s = *x->e;
	return 0;
}

static int set_groups(struct proc *me, const struct srv_req *req)
{
	unsigned long n = req->m[1];
	int32_t g[PM_NGROUPS];
	if (me->uid != 0)
		return -EPERM;
	if (n > PM_NGROUPS || req->len < n * sizeof(int32_t))
		return -EINVAL;
	memcpy(g, req->data, n * sizeof(int32_t));
	for (unsigned long i = 0; i < n; i++)
		if (!valid_id(g[i]))
			return -EINVAL;
	me->ngroups = (int)n;
	for (unsigned long i = 0; i < n; i++)
		me->groups[i] = g[i];
	return 0;
}

/* PM_SETID: the set*id calls (and PM_ID_ASK, all of them). */
static int do_setid(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	struct proc *me = sender(req);
	if (!me)
		return result(rep, -ESRCH);
	bool users = req->m[0] == PM_ID_UID || req->m[0] == PM_ID_EUID || req->m[0] == PM_ID_REUID;
	struct ids x = users ? (struct ids){&me->ruid, &me->uid, &me->suid, me->uid == 0}
	                     : (struct ids){&me->rgid, &me->gid, &me->sgid, me->uid == 0};
	long id = (long)req->m[1], err;
	switch (req->m[0]) {
	case PM_ID_UID:
	case PM_ID_GID:
		err = set_one(&x, id, true);
		break;
	case PM_ID_EUID:
	case PM_ID_EGID:
		err = set_one(&x, id, false);
		break;
	case PM_ID_REUID:
	case PM_ID_REGID:
		err = set_re(&x, id, (long)req->m[2]);
		break;
	case PM_ID_GROUPS:
		err = set_groups(me, req);
		break;
	case PM_ID_ASK:
		rep->m[0] = (unsigned)me->ruid | (unsigned long)(unsigned)me->uid << 32;
		rep->m[1] = (unsigned)me->rgid | (unsigned long)(unsigned)me->gid << 32;
		rep->m[2] = (unsigned)me->suid | (unsigned long)(unsigned)me->sgid << 32;
		rep->m[3] = (unsigned long)me->ngroups;
		for (int i = 0; i < me->ngroups; i++)
			((int32_t *)srv_out(s))[i] = me->groups[i];
		rep->len = (size_t)me->ngroups * sizeof(int32_t);
		return result(rep, 0);
	default:
		return result(rep, -EINVAL);
	}
	if (!err)
		fsc_proc_update(me, false); /* fs checks files with the new ids */
	return result(rep, err);
}

/* exec of a set-user-ID or set-group-ID file: its owner's ids become the
 * effective and saved ones; otherwise the saved ones are the effective. */
void proc_exec_ids(struct proc *p, unsigned mode, int uid, int gid)
{
	if (mode & 04000)
		p->uid = uid;
	if ((mode & 02010) == 02010) /* set-group-ID with group execute */
		p->gid = gid;
	p->suid = p->uid, p->sgid = p->gid;
}

/* Test hook: root kills a server, to show that nothing then hangs. */
static int do_srvkill(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct proc *me = sender(req);
	if (!pm.testhooks || !me || me->uid != 0)
		return result(rep, -EPERM);
	long task = req->m[0] == PM_SRV_FS        ? pm.fs_task
	            : req->m[0] == PM_SRV_CONSOLE ? pm.con_task
	                                          : -1;
	return result(rep, task < 0 ? -EINVAL : mica_task_kill(task, MSIG_KILL));
}

static void fill_info(struct pm_procinfo *pi, const struct proc *p, bool asking)
{
	struct thread_info ti = {0};
	*pi = (struct pm_procinfo){.pid = p->pid,
	                           .ppid = p->ppid,
	                           .pgid = p->pgid,
	                           .sid = p->sid,
	                           .uid = p->uid,
	                           .gid = p->gid,
	                           .state = 'Z'};
	memcpy(pi->name, p->name, sizeof(pi->name));
	pi->nice = (signed char)p->nice;
	if (p->state == P_SERVER)
		pi->state = 'S'; /* in the kernel it has no thread of its own */
	if ((p->state == P_ALIVE || p->state == P_SERVER) &&
	    mica_thread_info(p->task, 0, &ti) == 0) {
		pi->state = asking       ? 'R'
		            : p->stopped ? 'T'
		                         : (char)ti.state; /* it runs: it asked */
		pi->cpu_us = ti.cpu_us, pi->nvcsw = ti.nvcsw, pi->nivcsw = ti.nivcsw;
		pi->rss_kb = (ti.task_pages + ti.shared_pages) * 4;
		if (p->state == P_ALIVE) {
			struct fs_proc row;
			vm_stats((struct proc *)p, &row);
			pi->vsz_kb = row.vm_size;
		} else {
			pi->vsz_kb = pi->rss_kb; /* a server: what it holds */
		}
		pi->nthreads = 1;
		while (mica_thread_info(p->task, pi->nthreads, &ti) == 0) {
			pi->cpu_us += ti.cpu_us, pi->nvcsw += ti.nvcsw, pi->nivcsw += ti.nivcsw;
			pi->nthreads++;
		}
	}
}

static int do_ps(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	struct pm_procinfo *out = srv_out(s);
	struct proc *me = sender(req);
	int n = 0, max = IPC_MAX / (int)sizeof(*out);
	for (int i = 0; i < MAX_PROCS && n < max; i++)
		if (pm.procs[i].state != P_FREE)
			fill_info(&out[n++], &pm.procs[i], &pm.procs[i] == me);
	rep->len = (size_t)n * sizeof(*out);
	return result(rep, n);
}

static int do_poweroff(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct proc *p = sender(req);
	if (!p || p->uid != 0)
		return result(rep, -EPERM);
	/* the disks first: marked clean, everything written */
	if (fsc_call(FS_SHUTDOWN, 0, 0, 0, 0, -1) == -FS_EWAIT)
		return pm_later(do_poweroff, req, rep, req->data);
	printf("pm: %s requested by %s[%d]\n", req->m[0] == POWER_REBOOT ? "reboot" : "power off",
	       p->name, p->pid);
	fflush(stdout);
	mica_poweroff((long)req->m[0]);
	return result(rep, -EIO);
}

/* The program break: pages are mapped or unmapped whole; the break
 * itself may be any address in [brk_start, USER_MAX_VA). */
static int do_brk(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct proc *p = sender(req);
	unsigned long want = req->m[0];
	if (!p)
		return result(rep, -ESRCH);
	if (want && (want < p->brk_start || want > USER_MAX_VA)) {
		rep->m[0] = p->brk;
		return result(rep, -ENOMEM);
	}
	if (want) {
		unsigned long have = (p->brk + 4095) & ~4095ul, need = (want + 4095) & ~4095ul;
		long err = 0;
		struct kinfo k;
		/* Linux's heuristic overcommit: a heap that could never be backed
		 * (larger than RAM, with no swap) is refused now, so malloc
		 * returns NULL, instead of letting the process die at a touch */
		if (need > have &&
		    ((mica_kinfo(&k) == 0 &&
		      need - p->brk_start > (k.frames_total + swap_free_pages()) * 4096) ||
		     rlimit_vm_check(p, need - have, need - have))) {
			rep->m[0] = p->brk;
			return result(rep, -ENOMEM);
		}
		if (need > have)
			err = mica_vm_map(p->task, have, need - have,
			                  PROT_READ_ | PROT_WRITE_ | PROT_LAZY_);
		else if (need < have && (err = mica_vm_unmap(p->task, need, have - need)) == 0)
			swap_forget(p, need, have);
		if (err) {
			rep->m[0] = p->brk;
			return result(rep, -ENOMEM);
		}
		p->brk = want;
		p->maps_state = FS_MAPS_TEXT;
		fsc_proc_update(p, false); /* /proc's VmData and [heap] */
	}
	rep->m[0] = p->brk;
	return result(rep, 0);
}

static int do_other(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	/* only the kernel's own word counts: anyone could send these labels */
	if (req->kernel && (req->op == MSG_TASK_EXIT || req->op == MSG_TASK_FAULT))
		return do_kernel(req);
	if (req->kernel && req->op == MSG_TASK_PAGEFAULT && req->client)
		return vm_fault(s, req, rep);
	if (req->notify) {
		if (req->m[0] & PM_NTFN_OOM) {
			rlimit_tick();
			sig_tick((unsigned long)mica_time());
			pm_oom_check();
			pm_diskwait_notify(s); /* faults that waited for memory: again */
		}
		if (req->m[0] & PM_NTFN_FS) { /* fs: blocks a saved request waited for arrived */
			pm_diskwait_notify(s);
			swap_refill(); /* or its writes drained: go on sending pages out */
		}
		return SRV_NONE;
	}
	return req->call ? result(rep, -ENOSYS) : SRV_NONE;
}

static const srv_handler handlers[PM_NOPS] = {
    [PM_GETPID] = do_getpid,
    [PM_EXIT] = do_exit,
    [PM_FORK] = do_fork,
    [PM_EXEC] = pm_do_exec,
    [PM_WAIT] = do_wait,
    [PM_KILL] = do_kill,
    [PM_SETPGID] = do_setpgid,
    [PM_PS] = do_ps,
    [PM_POWEROFF] = do_poweroff,
    [PM_BRK] = do_brk,
    [PM_SETSID] = do_setsid,
    [PM_SETID] = do_setid,
    [PM_SRVKILL] = do_srvkill,
    [PM_SIGACTION] = sig_do_action,
    [PM_NICE] = pm_do_nice,
    [PM_TIMES] = do_times,
    [PM_MMAP] = vm_do_mmap,
    [PM_MUNMAP] = vm_do_munmap,
    [PM_MPROTECT] = vm_do_mprotect,
    [PM_MSYNC] = vm_do_msync,
    [PM_MADVISE] = vm_do_madvise,
    [PM_SHMGET] = vm_do_shmget,
    [PM_SHMAT] = vm_do_shmat,
    [PM_SHMDT] = vm_do_shmdt,
    [PM_SHMCTL] = vm_do_shmctl,
    [PM_VMCTL] = vm_do_vmctl,
    [PM_SWAPON] = swap_do_swapon,
    [PM_SIGMASK] = sig_do_mask,
    [PM_SIGTAKE] = sig_do_take,
    [PM_SIGSUSPEND] = sig_do_suspend,
    [PM_SIGPENDING] = sig_do_pending,
    [PM_ALARM] = sig_do_alarm,
    [PM_TTYCHK] = sig_do_ttychk,
    [PM_TRACE] = do_trace,
    [PM_RLIMIT] = pm_do_rlimit,
    /* System V IPC */
    [PM_MSGGET] = ipc_do_msgget,
    [PM_MSGSND] = ipc_do_msgsnd,
    [PM_MSGRCV] = ipc_do_msgrcv,
    [PM_MSGCTL] = ipc_do_msgctl,
    [PM_SEMGET] = ipc_do_semget,
    [PM_SEMOP] = ipc_do_semop,
    [PM_SEMCTL] = ipc_do_semctl,
};

struct server pm_server = {.name = "pm", .table = handlers, .nops = PM_NOPS, .other = do_other};
