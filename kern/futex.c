/* SYS_FUTEX and its wait queue: a waiter sits in TS_FUTEX on one FIFO
 * through its queue link, with the address in th->futex; a wake walks
 * the FIFO for the first n with the same task and address. */
#include "futex.h"
#include "errno.h"

static struct tqueue waiters;

void futex_enqueue(struct thread *th, uint64_t uaddr)
{
	th->futex = uaddr;
	tq_push(&waiters, &th->link);
}

struct thread *futex_take(const struct task *t, uint64_t uaddr)
{
	for (struct qlink *l = waiters.head; l; l = l->next) {
		struct thread *th = link_thread(l);
		if (th->task == t && th->futex == uaddr) {
			tq_remove(l);
			return th;
		}
	}
	return NULL;
}

void futex_cancel(struct thread *th)
{
	if (th->link.on == &waiters)
		tq_remove(&th->link);
}

long sys_futex(uint64_t uaddr, long op, uint64_t val, long timeout_us)
{
	struct thread *me = cur, *th;
	uint32_t word;
	if (acting) /* a handler inside the kernel runs on another's thread */
		return -EPERM;
	if ((uaddr & 3) || (op != FUTEX_WAIT && op != FUTEX_WAKE) || timeout_us < 0 ||
	    timeout_us > FUTEX_TIMEOUT_MAX)
		return -EINVAL;
	if (!user_range_ok(uaddr, sizeof(word)))
		return -EFAULT;
	if (op == FUTEX_WAKE) {
		long n = 0;
		for (; (uint64_t)n < val && (th = futex_take(me->task, uaddr)); n++)
			sched_wake(th, 0);
		return n;
	}
	if (copy_from_user(me->task, &word, uaddr, sizeof(word)))
		return -EFAULT;
	if (word != (uint32_t)val)
		return -EAGAIN;
	futex_enqueue(me, uaddr);
	if (timeout_us)
		sched_timeout(me, (uint64_t)timeout_us);
	sched_block(TS_FUTEX);
	return (long)me->tf.x[10]; /* 0 from the waker, or -ETIMEDOUT */
}
