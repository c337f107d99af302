/* Signals: generation, pending sets, per-thread masks and delivery.
 * A default action happens here (terminate, with or without "core",
 * stop, continue); a handler runs in the process: pm sends one of its
 * threads that does not block the signal to the runtime's entry
 * (SYS_THREAD_UPCALL), and the runtime takes the signal (PM_SIGTAKE),
 * runs the handler and gives the mask back (PM_SIGMASK). Job control's
 * stops use SYS_TASK_STOP. Linux's numbers, default actions and
 * wait statuses throughout; the arithmetic is in sigstate.c. */
#include <string.h>

#include "mica/errno.h"
#include "mica/host.h"
#include "mica/proto/pm.h"
#include "mica/server.h"
#include "proc.h"
#include "sigstate.h"

/* A thread's mask and its own pending signals. Threads pm has not heard
 * from yet have their process's mask0 and nothing of their own. */
#define SIGTHR_MAX 128
static struct sigthr {
	int pid; /* 0: a free record */
	unsigned long tid, mask, pend;
	unsigned long saved; /* sigsuspend: the mask after its handler */
	bool restore;
} thr[SIGTHR_MAX];

#define THREADS_SEEN 32 /* the threads of one process delivery looks at */

static int task_threads(const struct proc *p, unsigned long *tids)
{
	struct thread_info ti;
	int n = 0;
	while (n < THREADS_SEEN && p->task >= 0 && mica_thread_info(p->task, n, &ti) == 0)
		tids[n++] = ti.tid;
	return n;
}

unsigned long sig_thread(const struct proc *p, unsigned long lwp)
{
	unsigned long tids[THREADS_SEEN];
	int n = task_threads(p, tids);
	for (int i = 0; i < n; i++)
		if ((tids[i] & 0xFFFF) == lwp)
			return tids[i];
	return 0;
}

static struct sigthr *thr_find(const struct proc *p, unsigned long tid)
{
	struct sigthr *h = p->thr_hint ? &thr[p->thr_hint - 1] : NULL;
	if (!p->nthr)
		return NULL;
	if (h && h->pid == p->pid && h->tid == tid)
		return h;
	for (int i = 0; i < SIGTHR_MAX; i++)
		if (thr[i].pid == p->pid && thr[i].tid == tid)
			return &thr[i];
	return NULL;
}

static void thr_free(struct sigthr *t)
{
	struct proc *p = proc_find(t->pid);
	if (p && p->nthr > 0)
		p->nthr--;
	t->pid = 0;
}

/* Records of threads that ended (their process's, or anyone's): free. */
static void thr_sweep(void)
{
	for (int i = 0; i < SIGTHR_MAX; i++) {
		struct proc *p = thr[i].pid ? proc_find(thr[i].pid) : NULL;
		unsigned long tids[THREADS_SEEN];
		bool live = false;
		int n = p && p->state == P_ALIVE ? task_threads(p, tids) : 0;
		for (int k = 0; k < n; k++)
			live |= tids[k] == thr[i].tid;
		if (!live && thr[i].pid)
			thr_free(&thr[i]);
	}
}

static struct sigthr *thr_get(struct proc *p, unsigned long tid)
{
	struct sigthr *t = thr_find(p, tid);
	for (int pass = 0; !t && pass < 2; pass++) {
		for (int i = 0; i < SIGTHR_MAX && !t; i++)
			t = thr[i].pid ? NULL : &thr[i];
		if (!t)
			thr_sweep();
	}
	if (t && t->pid != p->pid) {
		*t = (struct sigthr){.pid = p->pid, .tid = tid, .mask = p->mask0};
		p->nthr++;
	}
	if (t)
		p->thr_hint = (int)(t - thr) + 1;
	return t;
}

static void thr_drop(struct proc *p)
{
	for (int i = 0; p->nthr && i < SIGTHR_MAX; i++)
		if (thr[i].pid == p->pid)
			thr_free(&thr[i]);
	p->nthr = p->thr_hint = 0;
	p->tpend = 0;
}

/* /proc/N/status's signal lines and state, when they changed: the state
 * and dispositions at once, masks and pending sets (which every handler
 * changes twice) at pm's next tick, at most 100 ms later. */
static void show(struct proc *p)
{
	struct sigthr *t = NULL;
	unsigned long blk = p->mask0, pnd = 0;
	if (p->thr_hint && thr[p->thr_hint - 1].pid == p->pid)
		t = &thr[p->thr_hint - 1];
	for (int i = 0; i < SIGTHR_MAX && !t && p->nthr; i++) /* as Linux, one thread's */
		t = thr[i].pid == p->pid ? &thr[i] : NULL;
	if (t)
		blk = t->mask, pnd = t->pend;
	unsigned long rare = (p->sa.caught * 7) ^ (p->sa.ign * 11) ^ (unsigned long)p->stopped;
	unsigned long often = p->sigpend ^ (pnd * 3) ^ (blk * 5);
	p->sig_blk = blk, p->sig_pnd = pnd;
	if (p->state != P_ALIVE)
		return;
	if (rare != p->sig_shown) {
		p->sig_shown = rare, p->sig_often = often, p->sig_stale = false;
		fsc_proc_update(p, false);
	} else if (often != p->sig_often) {
		p->sig_often = often;
		p->sig_stale = true;
	}
}

/* What the waiting parent and SIGCHLD hear of a child's change. */
static void tell_parent(struct proc *c, int code, int status)
{
	struct proc *parent = proc_find(c->ppid);
	if (!parent || parent->state != P_ALIVE)
		return;
	if ((code == PM_CLD_STOPPED || code == PM_CLD_CONTINUED) && parent->sa.nocldstop)
		return;
	struct sig_info info = {c->pid, c->uid, code, status, 0};
	sig_send(parent, MSIG_CHLD, 0, &info);
}

static void stop(struct proc *p, int sig)
{
	if (p->stopped)
		return;
	p->stopped = true;
	p->stopsig = sig;
	p->wreport = 'T';
	mica_task_stop(p->task, 1);
	show(p);
	proc_wait_notify(p);
	tell_parent(p, PM_CLD_STOPPED, sig);
}

static void cont(struct proc *p)
{
	if (!p->stopped)
		return;
	p->stopped = false;
	p->wreport = 'C';
	mica_task_stop(p->task, 0);
	show(p);
	proc_wait_notify(p);
	tell_parent(p, PM_CLD_CONTINUED, MSIG_CONT);
}

/* POSIX: a group none of whose members has a parent in another group of
 * the same session; job-control stops do not reach it. */
static bool is_orphaned(int pgid)
{
	for (int i = 0; i < MAX_PROCS; i++) {
		struct proc *m = &pm.procs[i], *up;
		if (m->state != P_ALIVE || m->pgid != pgid)
			continue;
		if ((up = proc_find(m->ppid)) && up->pgid != pgid && up->sid == m->sid)
			return false;
	}
	return true;
}

/* The default action of sig on p; true if p died of it. */
static bool act(struct proc *p, int sig)
{
	switch (sig_default_action(sig)) {
	case SIGDFL_TERM:
		proc_die(p, W_SIGNALED(sig));
		return true;
	case SIGDFL_CORE: /* no core file is written; the status says "core" */
		proc_die(p, W_SIGNALED(sig) | W_COREFLAG);
		return true;
	case SIGDFL_STOP:
		if (sig == MSIG_STOP || !is_orphaned(p->pgid))
			stop(p, sig);
		return false;
	default:
		return false;
	}
}

/* Acts on what p's threads do not block: default actions now, handlers
 * through an upcall to one thread each (the main thread first). */
void sig_dispatch(struct proc *p)
{
	unsigned long tids[THREADS_SEEN], posted = 0, tpend = 0;
	if (p->state != P_ALIVE)
		return;
	if (!p->sigpend && !p->tpend) { /* nothing pending: nothing to do */
		show(p);
		return;
	}
	int n = task_threads(p, tids);
	if (n == 0) /* its threads cannot be listed: one of no record */
		tids[n++] = 0;
	for (int i = n - 1; i >= 0; i--) {
		struct sigthr *t = thr_find(p, tids[i]);
		unsigned long mask = t ? t->mask : p->mask0;
		unsigned long mine = t ? t->pend : 0;
		tpend |= mine;
		unsigned long due = ((p->sigpend & ~posted) | mine) & ~mask;
		for (unsigned long dfl = due & ~p->sa.caught; dfl;) {
			int sig = sig_first(dfl);
			dfl &= ~PM_SIGBIT(sig);
			p->sigpend &= ~PM_SIGBIT(sig);
			if (t)
				t->pend &= ~PM_SIGBIT(sig);
			if (act(p, sig))
				return;
		}
		if ((due & p->sa.caught) && p->upcall &&
		    mica_thread_upcall(p->task, tids[i], p->upcall) == 0)
			posted |= due & p->sa.caught & p->sigpend;
	}
	if (p->nthr <= n) /* every record was seen: the hint is exact again */
		p->tpend = tpend;
	show(p);
}

void sig_send(struct proc *p, int sig, unsigned long tid, const struct sig_info *info)
{
	unsigned long b = PM_SIGBIT(sig);
	if (sig <= 0 || sig > MSIG_MAX || p->state != P_ALIVE)
		return;
	if (sig == MSIG_KILL) {
		proc_die(p, W_SIGNALED(sig));
		return;
	}
	if (sig == MSIG_CONT) { /* continues even if caught, blocked or ignored */
		p->sigpend &= ~SIG_STOPS;
		for (int i = 0; i < SIGTHR_MAX; i++)
			if (thr[i].pid == p->pid)
				thr[i].pend &= ~SIG_STOPS;
		cont(p);
	} else if (b & SIG_STOPS) {
		p->sigpend &= ~PM_SIGBIT(MSIG_CONT);
	}
	if (sig_is_ignored(&p->sa, sig)) {
		show(p);
		return;
	}
	if (sig == MSIG_STOP) {
		stop(p, sig);
		return;
	}
	p->info[sig] = info ? *info : (struct sig_info){0};
	struct sigthr *t = tid ? thr_get(p, tid) : NULL;
	if (t)
		t->pend |= b, p->tpend |= b;
	else
		p->sigpend |= b;
	sig_dispatch(p);
}

void sig_fork(struct proc *c, const struct proc *parent, unsigned long tid)
{
	struct sigthr *t = thr_find(parent, tid);
	c->sa = parent->sa;
	c->upcall = parent->upcall;
	c->mask0 = t ? t->mask : parent->mask0;
}

void sig_exec(struct proc *p, unsigned long tid)
{
	struct sigthr *t = thr_find(p, tid);
	if (t) {
		p->mask0 = t->mask;
		p->sigpend |= t->pend;
	}
	thr_drop(p);
	sig_exec_reset(&p->sa);
	p->upcall = 0;
	sig_dispatch(p);
}

void sig_exit(struct proc *p)
{
	thr_drop(p);
	p->alarm_at = 0;
	if (p->pid != p->sid || p->pid == 1)
		return;
	/* a session leader's end hangs up its session (as the terminal's
	 * controlling process would), and wakes what was stopped */
	for (int i = 0; i < MAX_PROCS; i++) {
		struct proc *q = &pm.procs[i];
		if (q->state == P_ALIVE && q->sid == p->sid && q != p) {
			sig_send(q, MSIG_HUP, 0, NULL);
			sig_send(q, MSIG_CONT, 0, NULL);
		}
	}
}

void sig_child_died(struct proc *z)
{
	int st = z->status;
	int code = (st & 0x7f) == 0    ? PM_CLD_EXITED
	           : (st & W_COREFLAG) ? PM_CLD_DUMPED
	                               : PM_CLD_KILLED;
	tell_parent(z, code, code == PM_CLD_EXITED ? (st >> 8) & 0xff : st & 0x7f);
}

void sig_tick(unsigned long now_us)
{
	for (int i = 0; i < MAX_PROCS; i++) {
		struct proc *p = &pm.procs[i];
		if (p->state == P_ALIVE && p->sig_stale) {
			p->sig_stale = false;
			fsc_proc_update(p, false);
		}
		if (p->state != P_ALIVE || !p->alarm_at || now_us < p->alarm_at)
			continue;
		p->alarm_at = p->alarm_iv ? now_us + p->alarm_iv : 0;
		struct sig_info info = {0, 0, PM_SI_TIMER, 0, 0};
		sig_send(p, MSIG_ALRM, 0, &info);
	}
}

int sig_fault(struct proc *p, const struct srv_req *req, struct srv_rep *rep, int code)
{
	unsigned long scause = req->m[1] & ~(PF_NOMEM | PF_FATAL);
	int sig = sig_of_fault(scause);
	struct sigthr *t = p ? thr_find(p, req->client) : NULL;
	unsigned long mask = t ? t->mask : p ? p->mask0 : 0;
	rep->result = -EFAULT;
	if (!p || p->state != P_ALIVE || !(p->sa.caught & PM_SIGBIT(sig)) ||
	    (mask & PM_SIGBIT(sig)) || !p->upcall)
		return SRV_REPLY; /* the kernel ends it: the default action, core */
	struct sig_info info = {0, 0, code, 0, req->m[0]};
	sig_send(p, sig, req->client, &info);
	rep->result = 0; /* it resumes, in the handler */
	return SRV_REPLY;
}

/* --- requests ----------------------------------------------------------- */

static int reply(struct srv_rep *rep, long r)
{
	rep->result = r;
	return SRV_REPLY;
}

int sig_do_action(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct proc *p = proc_sender(req);
	int sig = (int)req->m[0], disp = (int)(req->m[1] & 0xFF);
	unsigned flags = (unsigned)(req->m[1] >> 8);
	if (!p)
		return reply(rep, -ESRCH);
	if (req->m[0] > MSIG_MAX || req->m[1] >> 16)
		return reply(rep, -EINVAL);
	if (sig) {
		if (disp == 2 && !req->m[3])
			return reply(rep, -EINVAL); /* a handler needs the runtime's entry */
		if (sig_set_action(&p->sa, sig, disp, flags, req->m[2]))
			return reply(rep, -EINVAL);
		if (disp == 2)
			p->upcall = req->m[3];
		if (sig_is_ignored(&p->sa, sig)) { /* POSIX: a pending one is discarded */
			p->sigpend &= ~PM_SIGBIT(sig);
			for (int i = 0; i < SIGTHR_MAX; i++)
				if (thr[i].pid == p->pid)
					thr[i].pend &= ~PM_SIGBIT(sig);
		}
		sig_dispatch(p);
	}
	rep->m[0] = p->sa.ign, rep->m[1] = p->sa.caught;
	return reply(rep, 0);
}

int sig_do_mask(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct proc *p = proc_sender(req);
	if (!p)
		return reply(rep, -ESRCH);
	struct sigthr *t = thr_get(p, req->client);
	unsigned long old = t ? t->mask : p->mask0, next = old;
	if (req->m[0] == PM_SIG_ENDSUSPEND) {
		if (t && t->restore)
			next = t->saved, t->restore = false;
	} else if (req->m[0] != PM_SIG_ASK &&
	           sig_mask_apply(old, (int)req->m[0], req->m[1], &next) < 0) {
		return reply(rep, -EINVAL);
	}
	if (!t && next != old)
		return reply(rep, -EAGAIN); /* no record left for this thread */
	if (t)
		t->mask = next;
	if (req->m[0] != PM_SIG_ASK && req->m[0] != PM_SIG_ENDSUSPEND)
		p->mask0 = next; /* what the next new thread starts with */
	rep->m[0] = old;
	sig_dispatch(p);
	return reply(rep, 0);
}

int sig_do_take(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct proc *p = proc_sender(req);
	if (!p)
		return reply(rep, -ESRCH);
	struct sigthr *t = thr_get(p, req->client);
	unsigned long mask = t ? t->mask : p->mask0, mine = t ? t->pend : 0;
	int sig = sig_first((mine | p->sigpend) & ~mask & p->sa.caught);
	rep->m[0] = mask;
	if (!sig || !t)
		return reply(rep, 0);
	if (mine & PM_SIGBIT(sig))
		t->pend &= ~PM_SIGBIT(sig);
	else
		p->sigpend &= ~PM_SIGBIT(sig);
	rep->m[0] = t->restore ? t->saved : mask;
	t->restore = false;
	t->mask = sig_take(&p->sa, sig, mask);
	const struct sig_info *in = &p->info[sig];
	rep->m[1] = (unsigned long)(unsigned)in->pid | (unsigned long)(unsigned)in->uid << 32;
	rep->m[2] = (unsigned long)(unsigned)in->code | (unsigned long)(unsigned)in->status << 32;
	rep->m[3] = in->addr;
	show(p);
	return reply(rep, sig);
}

/* Waits with another mask until a handler runs: the upcall ends the call
 * (TAG_INTR) with -EINTR, so nothing here ever answers it. */
int sig_do_suspend(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct proc *p = proc_sender(req);
	if (!p)
		return reply(rep, -ESRCH);
	struct sigthr *t = thr_get(p, req->client);
	if (!t)
		return reply(rep, -EAGAIN);
	if (!t->restore)
		t->saved = t->mask;
	t->restore = true;
	if (!req->m[1])
		t->mask = req->m[0] & ~SIG_UNBLOCKABLE;
	sig_dispatch(p);
	return SRV_DEFER;
}

int sig_do_pending(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct proc *p = proc_sender(req);
	if (!p)
		return reply(rep, -ESRCH);
	struct sigthr *t = thr_find(p, req->client);
	rep->m[0] = p->sigpend | (t ? t->pend : 0);
	return reply(rep, 0);
}

int sig_do_alarm(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct proc *p = proc_sender(req);
	unsigned long now = (unsigned long)mica_time();
	if (!p)
		return reply(rep, -ESRCH);
	if (req->m[0] > 1000000ul * 86400 * 365 * 10 || req->m[1] > 1000000ul * 86400 * 365 * 10)
		return reply(rep, -EINVAL);
	rep->m[0] = p->alarm_at > now ? p->alarm_at - now : p->alarm_at ? 1 : 0;
	rep->m[1] = p->alarm_iv;
	p->alarm_at = req->m[0] ? now + req->m[0] : 0;
	p->alarm_iv = req->m[0] ? req->m[1] : 0;
	return reply(rep, 0);
}

static bool in_session(int pgid, int sid)
{
	for (int i = 0; i < MAX_PROCS; i++)
		if (pm.procs[i].state == P_ALIVE && pm.procs[i].pgid == pgid &&
		    pm.procs[i].sid == sid)
			return true;
	return false;
}

/* The console asks before a read (SIGTTIN) or a change of its settings
 * (SIGTTOU) by a process that is not in the foreground group. */
int sig_do_ttychk(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct proc *p = proc_find((int)req->m[0]);
	int sig = (int)req->m[2];
	if (req->badge != PM_BADGE_CONSOLE)
		return reply(rep, -EPERM);
	if (sig != MSIG_TTIN && sig != MSIG_TTOU)
		return reply(rep, -EINVAL);
	if (p && req->m[3] && !in_session((int)req->m[3], p->sid))
		return reply(rep, -EPERM); /* tcsetpgrp: a group of the caller's session */
	if (!p || p->state != P_ALIVE || !req->m[1] || p->pgid == (int)req->m[1])
		return reply(rep, 0);
	bool fg_lives = false;
	for (int i = 0; i < MAX_PROCS; i++) { /* the terminal is another session's */
		struct proc *q = &pm.procs[i];
		if (q->state == P_ALIVE && q->pgid == (int)req->m[1] && q->sid != p->sid)
			return reply(rep, 0);
		fg_lives |= q->state == P_ALIVE && q->pgid == (int)req->m[1];
	}
	if (!fg_lives) /* its foreground group is gone (a shell that exited) */
		return reply(rep, 0);
	bool refused = sig_is_ignored(&p->sa, sig) || ((p->sa.ign | p->mask0) & PM_SIGBIT(sig));
	if (refused) /* reading is an error; a write or a setting goes ahead */
		return reply(rep, sig == MSIG_TTIN ? -EIO : 0);
	if (is_orphaned(p->pgid))
		return reply(rep, -EIO);
	for (int i = 0; i < MAX_PROCS; i++)
		if (pm.procs[i].state == P_ALIVE && pm.procs[i].pgid == p->pgid)
			sig_send(&pm.procs[i], sig, 0, NULL);
	return reply(rep, -EINTR);
}
