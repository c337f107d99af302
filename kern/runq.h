/* Thread queues: an intrusive doubly linked FIFO (used for endpoint wait
 * queues) and the run queue, one FIFO per priority with a bitmap so the
 * highest ready priority is found in O(1). Pure data structures: the
 * callers hold whatever lock guards the threads. */
#ifndef MICA_RUNQ_H
#define MICA_RUNQ_H

#include "kassert.h"
#include "types.h"

#define NPRIO 32

/* What a queue needs of a thread: links, a priority and, on the run
 * queue, the order within a priority (the scheduler's virtual runtime,
 * fixed while the thread waits). Embedded in struct thread; tests embed
 * it in their own structs. */
struct qlink {
	struct qlink *next, *prev;
	struct tqueue *on; /* the queue holding us, or NULL */
	uint8_t prio;
	int64_t key; /* run queue: the least key of a priority runs first */
};

struct tqueue {
	struct qlink *head, *tail;
};

struct runq {
	struct tqueue q[NPRIO];
	uint32_t bitmap; /* bit p set: q[p] is not empty */
};

struct qlink *tq_pop(struct tqueue *q); /* from the head, or NULL */

/* Inline: the IPC fast path uses these two. */
static inline void tq_push(struct tqueue *q, struct qlink *l) /* at the tail */
{
	KASSERT(!l->on); /* Invariant: a thread waits in one queue at most */
	l->next = NULL;
	l->prev = q->tail;
	if (q->tail)
		q->tail->next = l;
	else
		q->head = l;
	q->tail = l;
	l->on = q;
}

static inline void tq_remove(struct qlink *l) /* from whatever queue holds it */
{
	struct tqueue *q = l->on;
	if (!q)
		return;
	if (l->prev)
		l->prev->next = l->next;
	else
		q->head = l->next;
	if (l->next)
		l->next->prev = l->prev;
	else
		q->tail = l->prev;
	l->next = l->prev = NULL;
	l->on = NULL;
}
static inline bool tq_empty(const struct tqueue *q)
{
	return q->head == NULL;
}

void runq_add(struct runq *rq, struct qlink *l); /* tail of its priority */
void runq_remove(struct runq *rq, struct qlink *l);
/* The entry with the least key (the first of equal ones) of the highest
 * non-empty priority, removed; or NULL. O(entries at that priority). */
struct qlink *runq_pick(struct runq *rq);
/* The entry runq_pick would take at priority p, left queued; or NULL. */
struct qlink *runq_first(const struct runq *rq, int p);
/* Highest priority with a ready entry, or -1. */
int runq_top(const struct runq *rq);

#endif
