/* Endpoints and notifications. A message is a tag and four words in
 * registers, optionally a payload of up to IPC_MAX bytes copied between
 * the two threads' IPC buffers, and optionally one handle. Delivery
 * happens at the rendezvous; whoever arrives first waits on the
 * endpoint's queue. A call leaves the caller in TS_REPLY until the server
 * replies with the token it was given (a reply capability: it names the
 * caller and is valid once, for the task that received the call). */
#include "ipc.h"
#include "timer.h"
#include "kassert.h"
#include "errno.h"
#include "kstring.h"
#include "kprintf.h"
#include "trap.h"
#include "serve.h"

#define A(n) (10 + (n)) /* tf.x index of register an */

static struct endpoint endpoints[MAX_ENDPOINTS];
static struct ntfn ntfns[MAX_NTFNS];
static int ntfn_timers; /* notifications with a periodic timer */

uint64_t ipc_pool_free(bool eps)
{
	uint64_t n = 0;
	for (int i = 0; i < (eps ? MAX_ENDPOINTS : MAX_NTFNS); i++)
		n += (eps ? endpoints[i].refs : ntfns[i].refs) == 0;
	return n;
}

/* Everyone waiting on ep gives up with -EPIPE; a carrier's message is
 * dropped with the reference it held. */
static void ep_fail_waiters(struct endpoint *ep)
{
	struct qlink *l;
	while ((l = tq_pop(&ep->senders))) {
		struct thread *th = link_thread(l);
		th->ep = NULL;
		if (th->state == TS_CARRIER) {
			thread_free(th);
			ep->refs--;
		} else {
			sched_wake(th, -EPIPE);
		}
	}
	while ((l = tq_pop(&ep->receivers))) {
		link_thread(l)->ep = NULL;
		sched_wake(link_thread(l), -EPIPE);
	}
	if (ep->refs == 0)
		payer_refund(&ep->paid, RES_EPS);
}

void obj_put_endpoint(struct endpoint *ep)
{
	KASSERT(ep->refs > 0);
	if (--ep->refs == 0)
		ep_fail_waiters(ep); /* nobody can send or receive any more */
}

void obj_put_ntfn(struct ntfn *n)
{
	KASSERT(n->refs > 0);
	if (--n->refs > 0)
		return;
	if (n->waiter && n->waiter->state == TS_NTFN) {
		n->waiter->waiting = NULL;
		sched_wake(n->waiter, -EPIPE);
	}
	n->waiter = NULL;
	n->bits = 0;
	if (n->tperiod)
		ntfn_timers--;
	n->tperiod = 0;
	payer_refund(&n->paid, RES_NTFNS);
}

void handle_ref(const struct handle *h)
{
	if (h->type == H_ENDPOINT) {
		struct endpoint *ep = h->obj;
		ep->refs++;
		ep->recv_refs += (h->rights & RIGHT_RECV) != 0;
	} else if (h->type == H_NTFN) {
		((struct ntfn *)h->obj)->refs++;
	}
}

/* An endpoint nobody can receive on is dead: its waiting senders learn
 * it now and later sends fail at once, so a dead server hangs nobody. */
void handle_release(struct handle h)
{
	if (h.type == H_ENDPOINT) {
		struct endpoint *ep = h.obj;
		if ((h.rights & RIGHT_RECV) && --ep->recv_refs == 0 && ep->refs > 1)
			ep_fail_waiters(ep);
		obj_put_endpoint(ep);
	} else if (h.type == H_NTFN) {
		obj_put_ntfn(h.obj);
	}
}

void ipc_unqueue(struct thread *th)
{
	tq_remove(&th->link);
	th->ep = NULL;
	if (th->bound && th->bound->waiter == th)
		th->bound->waiter = NULL;
}

/* The first thread waiting to receive on ep, taken off the queue with its
 * timeout cancelled; NULL if none waits. */
static struct thread *take_receiver(struct endpoint *ep)
{
	struct thread *rcv = link_thread(ep->receivers.head);
	if (rcv) {
		ipc_unqueue(rcv);
		sched_untimeout(rcv);
	}
	return rcv;
}

/* Copies the handle named in tag from src into dst's table; returns the
 * tag rewritten for the receiver (TAG_HANDLE cleared if it failed). */
uint64_t ipc_move_handle(uint64_t tag, struct task *src, struct task *dst)
{
	if (!(tag & TAG_HANDLE))
		return tag;
	long from = (long)TAG_SLOT(tag);
	tag &= ~(TAG_HANDLE | (0xFFul << 32));
	int err;
	struct handle *h = src ? handle_get(&src->handles, from, H_NONE, RIGHT_GRANT, &err) : NULL;
	if (!h)
		return tag;
	int slot = handle_alloc(&dst->handles, h);
	if (slot < 0)
		return tag;
	handle_ref(h);
	return TAG_WITH_HANDLE(tag, slot);
}

/* Copies the payload; on failure the receiver sees TAG_TRUNC, length 0. */
static uint64_t move_payload(uint64_t tag, struct thread *from, struct thread *to)
{
	uint64_t len = TAG_LEN(tag);
	if (!len)
		return tag;
	if (from && to->ipc_buf && from->ipc_buf &&
	    copy_user_to_user(to->task, to->ipc_buf, from->task, from->ipc_buf, len, false) == 0) {
		kst.ipc_bytes += len;
		return tag;
	}
	return (tag & ~(0x1FFFul << 16)) | TAG_TRUNC;
}

/* Writes a message into rcv's registers: a0 status, a1 tag, a2..a5 words,
 * a6 badge, a7 reply token. from is NULL for kernel messages. */
static void deliver(struct thread *rcv, struct thread *from, const struct msg *msg, uint64_t token)
{
	/* only the kernel's own messages carry TAG_KERNEL, and only a
	 * caller's own window is told (TAG_WIN) */
	uint64_t tag = msg->tag & ~(TAG_TRUNC | TAG_NOTIFY | TAG_CALL | TAG_KERNEL);
	tag &= (1ul << TAG_WIN_SHIFT) - 1;
	if (!from || msg->kernel)
		tag |= TAG_KERNEL;
	else if (token)
		tag |= WIN_LEN(from->win) << TAG_WIN_SHIFT;
	tag = move_payload(tag, from, rcv);
	tag = ipc_move_handle(tag, from ? from->task : NULL, rcv->task);
	uint64_t *x = rcv->tf.x;
	kst.ipc_msgs++;
	x[A(0)] = 0;
	x[A(1)] = tag | (token ? TAG_CALL : 0);
	x[A(2)] = msg->m[0];
	x[A(3)] = msg->m[1];
	x[A(4)] = msg->m[2];
	x[A(5)] = msg->m[3];
	x[A(6)] = msg->badge;
	x[A(7)] = token;
}

static void deliver_notify(struct thread *rcv, struct ntfn *n)
{
	uint64_t *x = rcv->tf.x;
	x[A(0)] = 0;
	x[A(1)] = TAG_NOTIFY;
	x[A(2)] = n->bits;
	x[A(3)] = x[A(4)] = x[A(5)] = x[A(6)] = x[A(7)] = 0;
	n->bits = 0;
}

static long check_msg(uint64_t tag)
{
	if (TAG_LEN(tag) > IPC_MAX)
		return -EMSGSIZE;
	if (TAG_LEN(tag) && !cur->ipc_buf)
		return -EINVAL;
	int err = 0;
	if ((tag & TAG_HANDLE) &&
	    !handle_get(&self()->handles, (long)TAG_SLOT(tag), H_NONE, RIGHT_GRANT, &err))
		return err;
	return 0;
}

static struct endpoint *lookup_ep(long h, unsigned right, long *err)
{
	int e;
	struct handle *hd = handle_get(&self()->handles, h, H_ENDPOINT, right, &e);
	*err = hd ? 0 : e;
	return hd ? hd->obj : NULL;
}

/* cur takes the first waiting sender's message. */
static void take_from(struct thread *snd)
{
	struct endpoint *ep = snd->ep;
	snd->ep = NULL;
	if (snd->state == TS_CARRIER) {
		deliver(cur, NULL, &snd->msg, 0);
		thread_free(snd);
		obj_put_endpoint(ep);
	} else if (snd->msg.is_call) {
		deliver(cur, snd, &snd->msg, thread_token(snd));
		snd->state = snd->msg.kernel ? TS_PAGER : TS_REPLY;
		snd->reply_from = cur->task;
	} else {
		deliver(cur, snd, &snd->msg, 0);
		sched_wake(snd, 0);
	}
}

/* A call delivered to rcv: me waits for the reply (state TS_REPLY or
 * TS_PAGER) and the CPU goes straight to the server, as L4 does. */
static void hand_over(struct thread *me, struct thread *rcv, uint8_t state)
{
	me->state = state;
	me->reply_from = rcv->task;
	me->nvcsw++;
	if (rcv->link.prio >= me->link.prio) {
		sched_switch(rcv);
	} else {
		sched_ready(rcv);
		sched_next();
	}
}

/* The sending half of call and send. */
static long do_send(long h, struct msg *msg)
{
	long err;
	struct endpoint *ep = lookup_ep(h, RIGHT_SEND, &err);
	if (!ep)
		return err;
	if ((err = check_msg(msg->tag)))
		return err;
	if (!ep->recv_refs)
		return -EPIPE; /* its server is gone */
	msg->badge = self()->handles.h[h].badge;
	if (ep->ks) /* served inside the kernel: the handler runs on this thread */
		return kserve_send(ep, msg);
	struct thread *me = cur, *rcv = take_receiver(ep);
	if (!rcv) {
		me->msg = *msg;
		me->ep = ep;
		tq_push(&ep->senders, &me->link);
		sched_block(TS_SEND);
		return (long)me->tf.x[A(0)];
	}
	deliver(rcv, me, msg, msg->is_call ? thread_token(me) : 0);
	if (!msg->is_call) {
		sched_ready(rcv);
		sched_preempt_check();
		return 0;
	}
	hand_over(me, rcv, TS_REPLY);
	return (long)me->tf.x[A(0)];
}

/* A window is a user range (mapped or not: each copy checks) of 1 to
 * WIN_MAX bytes; it stays on the caller while the call waits. */
static long check_win(uint64_t win)
{
	if (win && (!WIN_LEN(win) || WIN_LEN(win) > WIN_MAX))
		return -EINVAL;
	return !win || user_range_ok(WIN_VA(win), WIN_LEN(win)) ? 0 : -EFAULT;
}

__attribute__((noinline)) static long call_slow(long h, uint64_t tag, uint64_t m0, uint64_t m1,
                                                uint64_t m2, uint64_t m3, uint64_t win)
{
	struct msg msg = {tag & ~TAG_INTR, {m0, m1, m2, m3}, 0, true, false};
	long err = check_win(win);
	cur->intr_ok = tag & TAG_INTR;
	if (err)
		return err;
	cur->win = win;
	return do_send(h, &msg);
}

/* The fast path of a call: register-only message, no window, a server
 * already waiting at our priority or above with nothing unusual about
 * it. Every other case takes do_send. Straight-line on purpose (see docs). */
long sys_call(long h, uint64_t tag, uint64_t m0, uint64_t m1, uint64_t m2, uint64_t m3,
              uint64_t win)
{
	struct thread *me = cur;
	struct handle *hd = &me->task->handles.h[(uint64_t)h % HANDLE_MAX];
	struct endpoint *ep = hd->obj;
	struct thread *rcv;
	if ((uint64_t)h >= HANDLE_MAX || hd->type != H_ENDPOINT || !(hd->rights & RIGHT_SEND) ||
	    (tag & ~0xFFFFul) || !(rcv = link_thread(ep->receivers.head)) ||
	    (rcv->bound && rcv->bound->bits) || rcv->wake_tick || rcv->link.prio < me->link.prio ||
	    win)
		return call_slow(h, tag, m0, m1, m2, m3, win);
	tq_remove(&rcv->link);
	if (rcv->bound && rcv->bound->waiter == rcv)
		rcv->bound->waiter = NULL; /* it no longer waits for the signals */
	rcv->ep = NULL;
	uint64_t *x = rcv->tf.x;
	kst.ipc_msgs++;
	x[A(0)] = 0;
	x[A(1)] = tag | TAG_CALL;
	x[A(2)] = m0;
	x[A(3)] = m1;
	x[A(4)] = m2;
	x[A(5)] = m3;
	x[A(6)] = hd->badge;
	x[A(7)] = thread_token(me);
	me->state = TS_REPLY;
	me->reply_from = rcv->task;
	me->win = 0;
	me->intr_ok = false;
	me->nvcsw++;
	switch_to(rcv);
	return (long)me->tf.x[A(0)];
}

long sys_send(long ep, uint64_t tag, uint64_t m0, uint64_t m1, uint64_t m2, uint64_t m3)
{
	struct msg msg = {tag, {m0, m1, m2, m3}, 0, false, false};
	return do_send(ep, &msg);
}

/* The receiving half of recv and reply_recv. `then` is a client just
 * replied to: it runs next if we block (direct switch), else it queues. */
static long do_recv(struct endpoint *ep, long timeout, struct thread *then)
{
	struct thread *me = cur;
	struct qlink *l;
	if (me->bound && me->bound->bits) {
		deliver_notify(me, me->bound);
	} else if ((l = tq_pop(&ep->senders))) {
		take_from(link_thread(l));
	} else if (timeout == 0) {
		if (then)
			sched_ready(then);
		return -EAGAIN;
	} else {
		me->ep = ep;
		tq_push(&ep->receivers, &me->link);
		if (me->bound)
			me->bound->waiter = me;
		if (timeout > 0)
			sched_timeout(me, (uint64_t)timeout);
		me->state = TS_RECV;
		me->nvcsw++;
		if (then)
			sched_switch(then);
		else
			sched_next();
		return (long)me->tf.x[A(0)];
	}
	if (then) {
		sched_ready(then);
		sched_preempt_check();
	}
	return 0;
}

long sys_recv(long h, long timeout_us)
{
	long err;
	struct endpoint *ep = lookup_ep(h, RIGHT_RECV, &err);
	return ep ? do_recv(ep, timeout_us, NULL) : err;
}

/* Checks a reply token and the reply; the client, or NULL and *err. */
static struct thread *reply_target(uint64_t token, uint64_t tag, long *err)
{
	struct thread *cl = thread_by_token(token);
	if (!cl || (cl->state != TS_REPLY && cl->state != TS_PAGER) || cl->reply_from != self()) {
		*err = -ESRCH;
		return NULL;
	}
	*err = check_msg(tag);
	return *err ? NULL : cl;
}

static long reply_recv_slow(long h, uint64_t token, uint64_t tag, uint64_t m0, uint64_t m1,
                            uint64_t m2, uint64_t m3) __attribute__((noinline));

/* A reply to a page fault keeps the thread's registers: it runs the
 * faulting access again, or (a negative label) its task dies. */
static bool deliver_reply(struct thread *cl, uint64_t tag, uint64_t m0, uint64_t m1, uint64_t m2,
                          uint64_t m3)
{
	if (cl->state == TS_PAGER)
		return ipc_fault_resume(cl, (int16_t)TAG_LABEL(tag));
	struct msg msg = {tag, {m0, m1, m2, m3}, 0, false, false};
	deliver(cl, cur, &msg, 0);
	cl->reply_from = NULL;
	return true;
}

bool ipc_fault_resume(struct thread *cl, long result)
{
	cl->reply_from = NULL;
	kst.ipc_msgs++;
	if (result >= 0 || TAG_LABEL(cl->msg.tag) == MSG_TASK_TRACE) /* a tracer kills nobody */
		return true;
	struct task *t = cl->task;
	uint64_t scause = cl->msg.m[1] & ~(PF_NOMEM | PF_FATAL);
	if (result == -ENOMEM)
		kprintf("%s[%u]: out of memory for a page\n", t->name, t->index);
	kprintf("%s[%u]: %s at pc %p, address %p: task killed\n", t->name, t->index,
	        trap_cause_name(scause), (void *)cl->tf.sepc, (void *)cl->msg.m[0]);
	uint64_t m[4] = {scause, cl->msg.m[0], cl->tf.sepc, t->index};
	cl->state = TS_RUNNING; /* no longer waits: task_destroy just ends it */
	task_destroy(t, MSG_TASK_FAULT, m);
	return false;
}

long ipc_fault_call(struct thread *me, uint64_t scause, uint64_t va)
{
	struct task *t = me->task;
	struct endpoint *ep = t->super_ep;
	if (!ep || !ep->recv_refs)
		return -EFAULT; /* nobody pages for it */
	pte_t mark = task_marker(t, va & ~(uint64_t)(PAGE_SIZE - 1));
	me->msg = (struct msg){MAKE_TAG(MSG_TASK_PAGEFAULT, 0),
	                       {va, scause, mark ? MARK_SLOT(mark) + 1 : 0, t->index},
	                       t->super_badge,
	                       true,
	                       true};
	me->win = 0;
	kst.pager_faults++;
	if (ep->ks) /* the pager is inside the kernel: its handler runs on this thread */
		return kserve_fault(ep, &me->msg);
	ipc_kernel_call(me, ep);
	return 0;
}

void ipc_kernel_call(struct thread *me, struct endpoint *ep)
{
	me->win = 0;
	me->intr_ok = false; /* no upcall ends this wait: the registers are the thread's own */
	struct thread *rcv = take_receiver(ep);
	if (!rcv) {
		me->ep = ep;
		tq_push(&ep->senders, &me->link);
		sched_block(TS_SEND);
		return;
	}
	deliver(rcv, me, &me->msg, thread_token(me));
	hand_over(me, rcv, TS_PAGER);
}

long sys_reply(uint64_t token, uint64_t tag, uint64_t m0, uint64_t m1, uint64_t m2, uint64_t m3)
{
	long err;
	struct thread *cl = reply_target(token, tag, &err);
	if (!cl)
		return err;
	if (deliver_reply(cl, tag, m0, m1, m2, m3))
		sched_ready(cl);
	sched_preempt_check();
	return 0;
}

/* A bad token is ignored (the client may have died); the receive goes on.
 * Fast path: register-only reply to a live caller, no sender queued and
 * no notification signals pending: reply, wait, and switch straight to
 * the client. */
long sys_reply_recv(long h, uint64_t token, uint64_t tag, uint64_t m0, uint64_t m1, uint64_t m2,
                    uint64_t m3)
{
	struct thread *me = cur, *cl = &threads[((token & 0xFFFF) - 1) % MAX_THREADS];
	struct handle *hd = &me->task->handles.h[(uint64_t)h % HANDLE_MAX];
	struct endpoint *ep = hd->obj;
	if ((uint64_t)h < HANDLE_MAX && hd->type == H_ENDPOINT && (hd->rights & RIGHT_RECV) &&
	    !(tag & ~0xFFFFul) && token && cl->gen == (token >> 16) && cl->state == TS_REPLY &&
	    cl->reply_from == me->task && !ep->senders.head && !(me->bound && me->bound->bits)) {
		uint64_t *x = cl->tf.x;
		kst.ipc_msgs++;
		x[A(0)] = 0;
		x[A(1)] = tag;
		x[A(2)] = m0;
		x[A(3)] = m1;
		x[A(4)] = m2;
		x[A(5)] = m3;
		cl->reply_from = NULL;
		me->ep = ep;
		tq_push(&ep->receivers, &me->link);
		if (me->bound)
			me->bound->waiter = me;
		me->state = TS_RECV;
		me->nvcsw++;
		switch_to(cl);
		return (long)me->tf.x[A(0)];
	}
	return reply_recv_slow(h, token, tag, m0, m1, m2, m3);
}

__attribute__((noinline)) static long reply_recv_slow(long h, uint64_t token, uint64_t tag,
                                                      uint64_t m0, uint64_t m1, uint64_t m2,
                                                      uint64_t m3)
{
	long err;
	struct endpoint *ep = lookup_ep(h, RIGHT_RECV, &err);
	if (!ep)
		return err;
	struct thread *cl = token ? reply_target(token, tag, &err) : NULL;
	if (cl && !deliver_reply(cl, tag, m0, m1, m2, m3))
		cl = NULL; /* killed by its fault */
	return do_recv(ep, TIMEOUT_NEVER, cl);
}

/* A server copies to or from the window of a caller that waits for its
 * reply (the token says which); in mono serve.c calls ipc_window_copy. */
long sys_window_copy(uint64_t token, uint64_t off, uint64_t va, uint64_t len, uint64_t dir)
{
	struct thread *cl = thread_by_token(token);
	if (!cl || cl->state != TS_REPLY || cl->reply_from != self())
		return -ESRCH;
	return ipc_window_copy(self(), cl, off, va, len, dir);
}

long ipc_window_copy(struct task *srv, struct thread *cl, uint64_t off, uint64_t va, uint64_t len,
                     uint64_t dir)
{
	uint64_t w = cl->win, at = WIN_VA(w) + off;
	int err;
	if (dir != WIN_OUT && dir != WIN_IN)
		return -EINVAL;
	if (off > WIN_LEN(w) || len > WIN_LEN(w) - off)
		return -EFAULT;
	if (dir == WIN_OUT && !(w & WIN_WRITABLE))
		return -EPERM;
	cl->intr_ok = false; /* answering has begun: the call is no longer interruptible */
	if (dir == WIN_OUT)
		err = copy_user_to_user(cl->task, at, srv, va, len, false);
	else
		err = copy_user_to_user(srv, va, cl->task, at, len, false);
	return err ? err : (long)len;
}

void ipc_send_carrier(struct thread *carrier, struct endpoint *ep, uint64_t badge, uint64_t label,
                      const uint64_t m[4])
{
	carrier->msg =
	    (struct msg){MAKE_TAG(label, 0), {m[0], m[1], m[2], m[3]}, badge, false, false};
	carrier->state = TS_CARRIER; /* holds the task's reference on ep */
	if (!ep->recv_refs) {        /* no supervisor to hear it */
		thread_free(carrier);
		obj_put_endpoint(ep);
		return;
	}
	struct thread *rcv = take_receiver(ep);
	if (!rcv) {
		carrier->ep = ep;
		tq_push(&ep->senders, &carrier->link);
		if (ep->ks)
			kserve_note_mail();
		return;
	}
	deliver(rcv, NULL, &carrier->msg, 0);
	sched_ready(rcv);
	thread_free(carrier);
	obj_put_endpoint(ep);
}

/* --- notifications ------------------------------------------------------ */

void ntfn_signal(struct ntfn *n, uint64_t bits)
{
	n->bits |= bits;
	if (n->kbound && kserve_notify(n))
		return;
	struct thread *w = n->waiter;
	if (!w || !n->bits)
		return;
	n->waiter = NULL;
	if (w->state == TS_NTFN) {
		w->waiting = NULL;
		sched_wake(w, (long)n->bits);
		n->bits = 0;
	} else if (w->state == TS_RECV) { /* bound: recv returns the bits */
		ipc_unqueue(w);
		deliver_notify(w, n);
		sched_untimeout(w);
		sched_ready(w);
	}
}

void ntfn_cancel_wait(struct thread *th)
{
	if (th->waiting && th->waiting->waiter == th)
		th->waiting->waiter = NULL;
	th->waiting = NULL;
}

static struct ntfn *lookup_ntfn(long h, unsigned right, long *err)
{
	int e;
	struct handle *hd = handle_get(&self()->handles, h, H_NTFN, right, &e);
	*err = hd ? 0 : e;
	return hd ? hd->obj : NULL;
}

long sys_signal(long h, uint64_t bits)
{
	long err;
	struct ntfn *n = lookup_ntfn(h, RIGHT_SEND, &err);
	if (!n)
		return err;
	ntfn_signal(n, bits);
	sched_preempt_check();
	return 0;
}

long sys_wait(long h, long timeout_us)
{
	long err;
	struct ntfn *n = lookup_ntfn(h, RIGHT_RECV, &err);
	if (!n)
		return err;
	if (n->bits) {
		uint64_t b = n->bits;
		n->bits = 0;
		return (long)b;
	}
	if (timeout_us == 0)
		return -EAGAIN;
	if (n->waiter)
		return -EBUSY;
	struct thread *me = cur;
	n->waiter = me;
	me->waiting = n;
	if (timeout_us > 0)
		sched_timeout(me, (uint64_t)timeout_us);
	sched_block(TS_NTFN);
	return (long)me->tf.x[A(0)];
}

long sys_ntfn_bind(long h)
{
	long err;
	struct ntfn *n = lookup_ntfn(h, RIGHT_RECV, &err);
	if (!n)
		return err;
	if (acting) /* a server inside the kernel takes it from the trap path */
		return kserve_bind_ntfn(n);
	if (cur->bound)
		obj_put_ntfn(cur->bound);
	n->refs++;
	cur->bound = n;
	return 0;
}

/* --- creation ----------------------------------------------------------- */

/* A handle with every right to a new object, charged to cur's account. */
static long install(int type, void *obj, struct payer *paid, enum resource res)
{
	struct handle h = {.type = (uint8_t)type, .rights = RIGHT_ALL, .obj = obj};
	struct task *acct = self()->acct;
	if (handle_count(&self()->handles) >= HANDLE_MAX)
		return -EMFILE;
	int err = acct_charge(acct, res, 1);
	if (err)
		return err;
	payer_set(paid, acct);
	handle_ref(&h);
	return handle_alloc(&self()->handles, &h);
}

long sys_ep_create(void)
{
	for (int i = 0; i < MAX_ENDPOINTS; i++)
		if (endpoints[i].refs == 0)
			return install(H_ENDPOINT, &endpoints[i], &endpoints[i].paid, RES_EPS);
	return -EAGAIN;
}

/* Periodic signals for servers (fs's write-back): the kernel keeps no
 * timer objects, only a period on the notification itself, so a timer
 * costs nothing beyond the notification it belongs to. */
long sys_ntfn_timer(long h, uint64_t bits, uint64_t period_us)
{
	long err;
	struct ntfn *n = lookup_ntfn(h, RIGHT_RECV, &err);
	if (!n)
		return err;
	if (period_us > NTFN_TIMER_MAX_US || (period_us && !bits))
		return -EINVAL;
	uint64_t ticks = (period_us * timer_hz() + 999999) / 1000000;
	ntfn_timers += (ticks != 0) - (n->tperiod != 0);
	n->tbits = bits;
	n->tperiod = ticks;
	n->tdue = timer_ticks() + ticks;
	return 0;
}

void ntfn_tick(uint64_t now)
{
	for (int i = 0; ntfn_timers && i < MAX_NTFNS; i++) {
		struct ntfn *n = &ntfns[i];
		if (n->tperiod && now >= n->tdue) {
			n->tdue = now + n->tperiod;
			ntfn_signal(n, n->tbits);
		}
	}
}

long sys_ntfn_create(void)
{
	for (int i = 0; i < MAX_NTFNS; i++)
		if (ntfns[i].refs == 0)
			return install(H_NTFN, &ntfns[i], &ntfns[i].paid, RES_NTFNS);
	return -EAGAIN;
}

long sys_ipc_buffer(uint64_t va)
{
	uint64_t probe;
	if (va & (PAGE_SIZE - 1))
		return -EINVAL;
	/* Must be a user page we can read and write now. */
	if (va && (copy_from_user(cur->task, &probe, va, sizeof(probe)) ||
	           copy_to_user(cur->task, va, &probe, sizeof(probe)) ||
	           copy_from_user(cur->task, &probe, va + PAGE_SIZE - 8, sizeof(probe))))
		return -EFAULT;
	cur->ipc_buf = va;
	cur->ipc_kva = NULL;
	return 0;
}
