/* The scheduler: fixed priorities, round robin within one, a timer list
 * for sleeps and timeouts, and the idle loop. The kernel has one stack
 * per hart and a blocked thread keeps no kernel state but its saved
 * registers, so "switching" is choosing whose registers the trap exit
 * restores (cur) and loading its page table. */
#include "kassert.h"
#include "errno.h"
#include "futex.h"
#include "ipc.h"
#include "kprintf.h"
#include "riscv.h"
#include "task.h"
#include "timer.h"

#define SLICE_TICKS 5

struct thread *cur;
struct task *acting; /* see task.h: self() */
static struct runq rq;
static struct thread *timer_head; /* sorted by wake_tick */
uint64_t hart_satp;               /* what satp holds now */
uint64_t idle_time;               /* time-CSR ticks spent waiting in idle_wait */
uint64_t last_switch;             /* time CSR at the last switch */

void sched_ready(struct thread *th)
{
	KASSERT(th->state != TS_FREE && th->task);
	th->state = TS_READY;
	if (th->slice <= 0)
		th->slice = SLICE_TICKS;
	runq_add(&rq, &th->link);
}

void sched_switch(struct thread *next)
{
	if (cur)
		switch_to(next);
	else
		switch_from_idle(next);
}

/* Waits, interrupts on, until something is runnable. wfi returns when
 * an interrupt is pending even with SIE off, so none is missed. */
static void idle_wait(void)
{
	uint64_t t0 = r_time();
	wfi();
	idle_time += r_time() - t0;
	intr_on();
	intr_off();
}

/* While idle no thread is current (cur == NULL): idle time is nobody's. */
static void pick_and_switch(void)
{
	struct qlink *l;
	while (!(l = runq_pick(&rq))) {
		if (cur) {
			cur->cpu_time += r_time() - last_switch;
			cur = NULL;
		}
		idle_wait();
	}
	sched_switch(link_thread(l));
}

void sched_block(uint8_t state)
{
	cur->state = state;
	cur->nvcsw++;
	pick_and_switch();
}

void sched_next(void)
{
	pick_and_switch();
}

void sched_cancel(struct thread *th)
{
	sched_untimeout(th);
	switch (th->state) {
	case TS_READY:
		runq_remove(&rq, &th->link);
		break;
	case TS_SEND:
	case TS_RECV:
	case TS_CARRIER:
		ipc_unqueue(th);
		break;
	case TS_NTFN:
		ntfn_cancel_wait(th);
		break;
	case TS_FUTEX:
		futex_cancel(th);
		break;
	case TS_REPLY:
	case TS_PAGER:
		th->reply_from = NULL;
		break;
	default: /* running, sleeping (a timer only), free */
		break;
	}
	KASSERT(!th->link.on);
}

void sched_leave_if_dead(void)
{
	if (cur && cur->state != TS_RUNNING)
		pick_and_switch();
}

void sched_yield(void)
{
	if (runq_top(&rq) < cur->link.prio)
		return; /* nobody else at our priority or above */
	cur->nvcsw++;
	sched_ready(cur);
	pick_and_switch();
}

void sched_preempt_check(void)
{
	if (!cur || acting)
		return; /* a handler inside the kernel runs to its end */
	if (runq_top(&rq) > (int)cur->link.prio) {
		cur->nivcsw++;
		sched_ready(cur);
		pick_and_switch();
	}
}

void sched_set_prio(struct thread *th, int prio)
{
	KASSERT(prio >= PRIO_MIN && prio <= PRIO_MAX);
	if (th->state == TS_READY) {
		runq_remove(&rq, &th->link);
		th->link.prio = (uint8_t)prio;
		runq_add(&rq, &th->link);
	} else {
		th->link.prio = (uint8_t)prio; /* a wait queue is FIFO: order stays */
	}
}

void sched_wake(struct thread *th, long a0)
{
	th->tf.x[10] = (uint64_t)a0;
	sched_untimeout(th);
	sched_ready(th);
}

void sched_timeout(struct thread *th, uint64_t usec)
{
	uint64_t hz = timer_hz();
	uint64_t ticks = (usec * hz + 999999) / 1000000;
	/* +1: part of the current tick is already gone; never wake early. */
	th->wake_tick = timer_ticks() + ticks + 1;
	struct thread **p = &timer_head;
	while (*p && (*p)->wake_tick <= th->wake_tick)
		p = &(*p)->timer_next;
	th->timer_next = *p;
	*p = th;
}

void sched_untimeout(struct thread *th)
{
	if (!th->wake_tick)
		return;
	for (struct thread **p = &timer_head; *p; p = &(*p)->timer_next) {
		if (*p == th) {
			*p = th->timer_next;
			break;
		}
	}
	th->wake_tick = 0;
}

/* A sleep ended or a timeout expired. */
static void expire(struct thread *th)
{
	th->wake_tick = 0;
	if (th->state == TS_SLEEP || th->state == TS_RECV || th->state == TS_NTFN ||
	    th->state == TS_FUTEX) {
		long r = th->state == TS_SLEEP ? 0 : -ETIMEDOUT;
		sched_cancel(th);
		sched_wake(th, r);
	}
}

void sched_tick(void)
{
	uint64_t now = timer_ticks();
	while (timer_head && timer_head->wake_tick <= now) {
		struct thread *th = timer_head;
		timer_head = th->timer_next;
		expire(th);
	}
	ntfn_tick(now);
	if (!cur || cur->state != TS_RUNNING)
		return;
	int top = runq_top(&rq);
	if (--cur->slice <= 0 || top > (int)cur->link.prio) {
		if (top >= (int)cur->link.prio) {
			cur->nivcsw++;
			cur->slice = 0;
			sched_ready(cur);
			pick_and_switch();
		} else if (cur->slice <= 0) {
			cur->slice = SLICE_TICKS; /* alone at its priority: go on */
		}
	}
}

void sched_kernel_satp(void)
{
	hart_satp = MAKE_SATP(va2pa(kernel_root), 0);
	w_satp(hart_satp);
}

void sched_start(void)
{
	hart_satp = r_satp();
	last_switch = r_time();
	pick_and_switch();
	user_return();
}
