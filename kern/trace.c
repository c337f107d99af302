/* System-call tracing. A traced task's threads report each system call
 * to the tracer's endpoint twice, as calls the kernel makes on their
 * behalf (MSG_TASK_TRACE, like a page fault to a pager): at entry,
 * before the call runs, and at exit, as the thread returns to user mode
 * (much later if the call blocked). Each report waits for the tracer's
 * answer; meanwhile SYS_TRACE_READ lets the tracer read the thread's
 * registers and memory. A blocked thread keeps nothing but its
 * registers, so a thread stopped at entry backs its pc up to the ecall
 * and makes the call again once answered, remembering that the entry
 * was reported. A tracer whose endpoint died is dropped at the next
 * report: its tracees go on untraced. */
#include "errno.h"
#include "ipc.h"
#include "kassert.h"
#include "rtc.h"
#include "timer.h"
#include "trace.h"

#define A0 10 /* tf.x index of a0 */
#define A7 17

enum {
	TR_IDLE,       /* in user code */
	TR_ENTRY_WAIT, /* its entry is reported; it waits, pc on the ecall */
	TR_ENTRY_DONE, /* answered: the ecall comes again and runs */
	TR_IN_CALL,    /* the call runs (or is blocked); its exit is reported */
	TR_RESUMED,    /* as TR_IN_CALL, but it began before the trace did */
	TR_EXIT_WAIT,  /* its exit is reported; it waits */
};

static uint64_t ticks_to_ns(uint64_t t)
{
	uint64_t hz = timer_timebase();
	return t / hz * 1000000000 + t % hz * 1000000000 / hz;
}

/* Whether th is blocked inside a system call (not in a page fault, not
 * new: a thread that was never run sleeps with no timer). */
static bool in_syscall(const struct thread *th)
{
	switch (th->state) {
	case TS_RECV:
	case TS_REPLY:
	case TS_NTFN:
		return true;
	case TS_SEND:
		return !th->msg.kernel;
	case TS_SLEEP:
		return th->wake_tick != 0;
	default:
		return false;
	}
}

static void attach(struct task *t, struct endpoint *ep, uint64_t badge)
{
	ep->refs++;
	t->tracer = ep;
	t->trace_badge = badge;
	for (struct thread *th = t->threads; th; th = th->sibling) {
		th->work |= WORK_TRACE;
		th->trace = in_syscall(th) ? TR_RESUMED : TR_IDLE;
		th->trace_nr = th->tf.x[A7];
		th->trace_t0 = r_time();
	}
}

/* t goes on untraced. A thread woken from its wait for the tracer gets
 * its a0 back (a wake with -EPIPE overwrote it); one at entry makes its
 * call again, now untraced. */
static void detach(struct task *t)
{
	struct endpoint *ep = t->tracer;
	if (!ep)
		return;
	t->tracer = NULL;
	for (struct thread *th = t->threads; th; th = th->sibling) {
		if (th->trace == TR_ENTRY_WAIT || th->trace == TR_EXIT_WAIT)
			th->tf.x[A0] = th->trace_a0;
		th->trace = TR_IDLE;
		th->work &= (uint8_t)~WORK_TRACE;
	}
	obj_put_endpoint(ep);
}

void trace_release(struct task *t)
{
	detach(t);
}

/* Reports th's call to its tracer and waits (cur changes); false if
 * the tracer is gone (th is untraced now and runs on). */
static bool report(struct thread *th, uint64_t phase, uint64_t when)
{
	struct task *t = th->task;
	KASSERT(t->tracer); /* Invariant: WORK_TRACE set only while the task has a tracer */
	th->trace_a0 = th->tf.x[A0];
	if (!t->tracer->recv_refs) {
		detach(t);
		return false;
	}
	th->msg = (struct msg){MAKE_TAG(MSG_TASK_TRACE, 0),
	                       {phase, th->trace_nr, when, thread_token(th)},
	                       t->trace_badge,
	                       true,
	                       true};
	ipc_kernel_call(th, t->tracer);
	return true;
}

bool trace_syscall_entry(struct thread *th)
{
	/* the ecall reported, made again (not another: an upcall may have
	 * diverted the thread in between, which makes it a new call) */
	if (th->trace != TR_ENTRY_DONE || th->tf.sepc - 4 != th->trace_pc) {
		th->trace_nr = th->tf.x[A7];
		th->trace = TR_ENTRY_WAIT;
		th->tf.sepc -= 4; /* back to the ecall, for when the tracer answers */
		th->trace_pc = th->tf.sepc;
		if (report(th, TRACE_ENTRY, rtc_boot_epoch_ns() + timer_uptime_ns()))
			return false;
		th->tf.sepc += 4;
	}
	th->trace = th->work & WORK_TRACE ? TR_IN_CALL : TR_IDLE;
	th->trace_t0 = r_time();
	return true;
}

bool trace_user_return(struct thread *th)
{
	switch (th->trace) {
	case TR_ENTRY_WAIT: /* answered (or the tracer died): the ecall again */
		th->tf.x[A0] = th->trace_a0;
		th->trace = TR_ENTRY_DONE;
		return true;
	case TR_EXIT_WAIT:
		th->tf.x[A0] = th->trace_a0;
		th->trace = TR_IDLE;
		return true;
	case TR_IN_CALL:
	case TR_RESUMED: {
		uint64_t phase = th->trace == TR_IN_CALL ? TRACE_EXIT : TRACE_RESUMED;
		th->trace = TR_EXIT_WAIT;
		return !report(th, phase, ticks_to_ns(r_time() - th->trace_t0));
	}
	default:
		return true;
	}
}

bool trace_is_stopped(const struct thread *th)
{
	return (th->state == TS_PAGER || th->state == TS_SEND) &&
	       (th->trace == TR_ENTRY_WAIT || th->trace == TR_EXIT_WAIT);
}

/* Tracing reads every register and byte of task (RIGHT_TASK_READ) and
 * stops it (RIGHT_TASK_CTL). Never a privileged task (a server), a task
 * in the kernel, or the caller itself (it would wait for itself). */
long sys_trace(long task, uint64_t op, long arg, uint64_t badge)
{
	int err;
	struct task *t = task_from_handle(task, RIGHT_TASK_CTL | RIGHT_TASK_READ, &err), *src;
	struct handle *h;
	struct endpoint *ep = NULL;
	if (!t)
		return err;
	if (t == self() || (t->flags & (TASK_PRIV | TASK_KERNEL)))
		return -EPERM;
	if (op == TRACE_ATTACH) {
		/* reports go only where the caller could receive them */
		h = handle_get(&self()->handles, arg, H_ENDPOINT, RIGHT_SEND | RIGHT_RECV, &err);
		if (!h)
			return err;
		ep = h->obj;
		if (ep->ks)
			return -EINVAL; /* a server in the kernel cannot answer */
	} else if (op == TRACE_INHERIT) {
		if (!(src = task_from_handle(arg, RIGHT_TASK_READ, &err)))
			return err;
		ep = src->tracer;
		if (!ep || !ep->recv_refs)
			return 0; /* src is not traced: nor is t */
	} else {
		return -EINVAL;
	}
	if (t->tracer && t->tracer->recv_refs)
		return -EBUSY;
	detach(t); /* from a dead tracer */
	attach(t, ep, badge);
	return 1;
}

long sys_trace_read(uint64_t token, uint64_t src, uint64_t dst, uint64_t len)
{
	struct thread *th = thread_by_token(token);
	if (!th || th->state != TS_PAGER || th->reply_from != self() ||
	    (th->trace != TR_ENTRY_WAIT && th->trace != TR_EXIT_WAIT))
		return -ESRCH; /* not stopped for a report of ours */
	if (src == 0) {
		struct trace_regs r = {
		    .nr = th->trace_nr, .pc = th->tf.sepc, .ipc_buf = th->ipc_buf};
		for (int i = 0; i < 8; i++)
			r.a[i] = th->tf.x[A0 + i];
		r.a[0] = th->trace_a0;
		if (th->trace == TR_EXIT_WAIT)
			r.pc -= 4;
		if (len < sizeof(r))
			return -EINVAL;
		return copy_to_user(self(), dst, &r, sizeof(r)) ?: (long)sizeof(r);
	}
	if (len > TRACE_READ_MAX)
		return -EINVAL;
	int err = copy_user_to_user(self(), dst, th->task, src, len, false);
	return err ? err : (long)len;
}
