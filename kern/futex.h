/* Futexes (SYS_FUTEX): a thread sleeps until another thread of its task
 * wakes the 32-bit word it waits on, so user-space locks need the kernel
 * only when contended. One FIFO of waiters keyed by (task, address);
 * MAX_THREADS bounds it. The queue is pure bookkeeping (host tests). */
#ifndef MICA_FUTEX_H
#define MICA_FUTEX_H

#include "task.h"

/* (uaddr, FUTEX_WAIT, val, timeout_us): 0 when woken, -EAGAIN if the
 * word is not val, -ETIMEDOUT; (uaddr, FUTEX_WAKE, n): threads woken. */
long sys_futex(uint64_t uaddr, long op, uint64_t val, long timeout_us);

/* Queues th, a thread of th->task, at the tail of the waiters on uaddr. */
void futex_enqueue(struct thread *th, uint64_t uaddr);
/* The oldest waiter on uaddr in task t, taken off the queue; or NULL. */
struct thread *futex_take(const struct task *t, uint64_t uaddr);
/* Takes th off the queue if it is on it: sched_cancel's part for
 * TS_FUTEX (a timeout, its death; a signal later: sched_cancel(th) then
 * sched_wake(th, -EINTR) ends the wait with EINTR). */
void futex_cancel(struct thread *th);

#endif
