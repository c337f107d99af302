/* Upcalls and stops: the mechanism under signals. A privileged task (pm)
 * diverts a thread of a task it holds to an entry point in that task; the
 * kernel holds the registers the thread had until the thread fetches
 * them (UPCALL_GET), and restores whatever registers it is given later
 * (UPCALL_RESUME). A wait the thread may leave early (a sleep, a
 * notification wait, a call marked TAG_INTR that no server has started
 * to answer through its window) ends with -EINTR first. A stopped task's
 * threads do not return to user mode until it is continued. What a
 * signal is, and when one is due, is pm's business. */
#include "errno.h"
#include "kstring.h"
#include "task.h"
#include "trace.h"

/* The registers an upcall took: r[0] the pc, r[i] xi. */
static struct held {
	uint64_t r[32];
	bool full;
} held[MAX_THREADS];

void upcall_reset(struct thread *th)
{
	held[th->index].full = false;
}

/* Ends th's wait with -EINTR if it may end early. */
static void interrupt(struct thread *th)
{
	switch (th->state) {
	case TS_SEND:
	case TS_REPLY:
		if (!th->intr_ok)
			return;
		break;
	case TS_SLEEP:
		if (!th->wake_tick)
			return; /* a new thread, not started yet */
		break;
	case TS_NTFN:
	case TS_RECV:
		break;
	default:
		return;
	}
	th->intr_ok = false;
	sched_cancel(th);
	sched_wake(th, -EINTR);
}

static struct task *priv_target(long task, int *err)
{
	if (!(self()->flags & TASK_PRIV)) {
		*err = -EPERM;
		return NULL;
	}
	return task_from_handle(task, RIGHT_TASK_CTL, err);
}

long sys_thread_upcall(long task, uint64_t tid, uint64_t pc)
{
	int err;
	struct task *t = priv_target(task, &err);
	if (!t)
		return err;
	struct thread *th = thread_by_token(tid);
	if (!th || th->task != t || th->state == TS_FREE || th->state == TS_CARRIER)
		return -ESRCH;
	if (!user_range_ok(pc, 4) || (pc & 1))
		return -EFAULT;
	th->upcall_pc = pc;
	th->work |= WORK_UPCALL;
	interrupt(th);
	return 0;
}

long sys_upcall_frame(long op, uint64_t va)
{
	struct held *h = &held[cur->index];
	uint64_t r[32];
	if (acting)
		return -EPERM; /* a server in the kernel has no user registers */
	if (op == UPCALL_GET) {
		if (!h->full)
			return -ENOENT;
		if (copy_to_user(cur->task, va, h->r, sizeof(h->r)))
			return -EFAULT;
		h->full = false;
		return 0;
	}
	if (op != UPCALL_RESUME)
		return -EINVAL;
	if (copy_from_user(cur->task, r, va, sizeof(r)))
		return -EFAULT;
	cur->tf.sepc = r[0];
	memcpy(&cur->tf.x[1], &r[1], 31 * sizeof(uint64_t));
	return (long)r[10]; /* the trap exit stores the result in a0 */
}

long sys_task_stop(long task, long stop)
{
	int err;
	struct task *t = priv_target(task, &err);
	if (!t)
		return err;
	if (stop != 0 && stop != 1)
		return -EINVAL;
	t->stopped = stop;
	for (struct thread *th = t->threads; th; th = th->sibling) {
		if (stop)
			th->work |= WORK_STOP;
		else if (th->state == TS_STOPPED)
			sched_ready(th);
	}
	return 0;
}

/* On the way back to user mode (trapvec.S), when cur has work bits: a
 * traced thread reports the end of its call (trace.c); a stopped task's
 * thread waits; an upcall saves the registers and sends
 * the thread to its entry, unless the last upcall's are still held (the
 * bit stays until they are fetched). */
void user_return_work(void)
{
	struct thread *th;
	for (;;) { /* each wait runs another thread: its work is done next */
		th = cur;
		if ((th->work & WORK_TRACE) && !trace_user_return(th))
			continue; /* it reported its call's end and waits for the tracer */
		if (!(th->work & WORK_STOP) || !th->task->stopped)
			break;
		sched_block(TS_STOPPED);
	}
	th->work &= (uint8_t)~WORK_STOP;
	struct held *h = &held[th->index];
	if (!(th->work & WORK_UPCALL) || h->full)
		return;
	h->r[0] = th->tf.sepc;
	memcpy(&h->r[1], &th->tf.x[1], 31 * sizeof(uint64_t));
	h->full = true;
	th->tf.sepc = th->upcall_pc;
	th->work &= (uint8_t)~WORK_UPCALL;
}
