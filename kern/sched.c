/* The scheduler: fixed priorities, shares by weight within one, a timer
 * list for sleeps and timeouts, and the idle loop. The kernel has one stack
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

#define SLICE_TICKS SCHED_SLICE_TICKS

struct thread *cur;
struct task *acting; /* see task.h: self() */
static struct runq rq;
static struct thread *timer_head; /* sorted by wake_tick */
uint64_t hart_satp;               /* what satp holds now */
uint64_t idle_time;               /* time-CSR ticks spent waiting in idle_wait */
uint64_t last_switch;             /* time CSR at the last switch */

/* Shares within a priority, as Linux's CFS gives them (docs/sched.md):
 * a thread's virtual runtime is its CPU time times
 * SCHED_WEIGHT_DEFAULT / weight, kept as the key of its run-queue entry;
 * the least runs next, and a slice ends only for a thread that is owed
 * as much. vfloor[p] follows the least virtual runtime at priority p
 * (it never goes back): a thread that waited comes back at most one
 * slice behind it, so sleeping earns a credit, but a bounded one. */
static int64_t vfloor[NPRIO];

/* CPU time, with the current stint if th runs now. */
static uint64_t ran(const struct thread *th)
{
	return th->cpu_time + (th == cur ? r_time() - last_switch : 0);
}

static int64_t vruntime(const struct thread *th)
{
	KASSERT(th->weight); /* Invariant: sched_place gave every thread one */
	return th->vbase + (int64_t)(ran(th) * SCHED_WEIGHT_DEFAULT / th->weight);
}

int64_t sched_vruntime(const struct thread *th)
{
	return vruntime(th);
}

uint64_t sched_cpu_time(const struct thread *th)
{
	return ran(th);
}

/* A timer tick in time-CSR ticks (the rate is fixed at boot). */
static int64_t tick_len(void)
{
	static int64_t len;
	if (!len)
		len = (int64_t)(timer_timebase() / timer_hz());
	return len;
}

/* th's virtual runtime v, raised to no more than a credit behind its
 * priority's floor: one slice at the default weight. */
static int64_t keep_up(struct thread *th, int64_t v)
{
	int64_t low = vfloor[th->link.prio] - tick_len() * SLICE_TICKS;
	if (v >= low)
		return v;
	th->vbase += low - v;
	return low;
}

static void floor_raise(int prio, int64_t v)
{
	if (v > vfloor[prio])
		vfloor[prio] = v;
}

/* One tick behind its parent, as CFS's START_DEBIT: not owed as much as
 * the thread that made it (a parent waking from a short sleep runs first). */
void sched_place(struct thread *th, const struct thread *from)
{
	th->weight = from ? from->weight : SCHED_WEIGHT_DEFAULT;
	th->vbase =
	    (from && from->link.prio == th->link.prio ? vruntime(from) : vfloor[th->link.prio]) +
	    tick_len();
}

void sched_ready(struct thread *th)
{
	KASSERT(th->state != TS_FREE && th->task);
	int64_t v = vruntime(th);
	if (th->state != TS_RUNNING) { /* back from a wait, or new */
		v = keep_up(th, v);
		/* owed more than the running thread: its slice ends at the next tick */
		if (cur && cur != th && cur->state == TS_RUNNING &&
		    cur->link.prio == th->link.prio && cur->slice > 1 && v < vruntime(cur))
			cur->slice = 1;
	}
	th->state = TS_READY;
	if (th->slice <= 0)
		th->slice = SLICE_TICKS;
	th->link.key = v;
	runq_add(&rq, &th->link);
}

/* The next thread to run, taken off the run queue; or NULL. */
static struct thread *pick(void)
{
	struct qlink *l = runq_pick(&rq);
	if (!l)
		return NULL;
	floor_raise(l->prio, l->key); /* the least at its priority */
	return link_thread(l);
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
	struct thread *next;
	while (!(next = pick())) {
		if (cur) {
			cur->cpu_time += r_time() - last_switch;
			cur = NULL;
		}
		idle_wait();
	}
	sched_switch(next);
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

/* To another ready thread of our priority or above, even one owed less. */
void sched_yield(void)
{
	if (runq_top(&rq) < cur->link.prio)
		return; /* nobody else at our priority or above */
	cur->nvcsw++;
	struct thread *next = pick();
	sched_ready(cur);
	sched_switch(next);
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

/* Keeps th's virtual runtime where it was relative to its priority's floor. */
void sched_set_prio(struct thread *th, int prio)
{
	KASSERT(prio >= PRIO_MIN && prio <= PRIO_MAX);
	int64_t shift = vfloor[prio] - vfloor[th->link.prio];
	th->vbase += shift;
	if (th->state == TS_READY) {
		runq_remove(&rq, &th->link);
		th->link.prio = (uint8_t)prio;
		th->link.key += shift;
		runq_add(&rq, &th->link);
	} else {
		th->link.prio = (uint8_t)prio; /* a wait queue is FIFO: order stays */
	}
}

/* From now on th's CPU time counts at the new weight; what it ran stays. */
void sched_set_weight(struct thread *th, uint32_t weight)
{
	KASSERT(weight >= 1 && weight <= SCHED_WEIGHT_MAX);
	int64_t v = vruntime(th);
	th->weight = weight;
	th->vbase = v - (int64_t)(ran(th) * SCHED_WEIGHT_DEFAULT / weight);
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
	int prio = cur->link.prio, top = runq_top(&rq);
	struct qlink *next = runq_first(&rq, prio);
	int64_t v = keep_up(cur, vruntime(cur)); /* handed the CPU straight after a wait, maybe */
	floor_raise(prio, next && next->key < v ? next->key : v);
	bool over = --cur->slice <= 0;
	if (top > prio || (over && next && next->key <= v)) {
		cur->nivcsw++;
		cur->slice = 0;
		sched_ready(cur);
		pick_and_switch();
	} else if (over) {
		cur->slice = SLICE_TICKS; /* nobody at its priority is owed as much: go on */
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
