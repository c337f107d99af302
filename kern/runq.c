/* Queue operations for kern/runq.h. O(1) each, but the picks, which
 * walk one priority's queue for its least key. */
#include "runq.h"
#include "kassert.h"

struct qlink *tq_pop(struct tqueue *q)
{
	struct qlink *l = q->head;
	if (l)
		tq_remove(l);
	return l;
}

void runq_add(struct runq *rq, struct qlink *l)
{
	KASSERT(l->prio < NPRIO);
	tq_push(&rq->q[l->prio], l);
	rq->bitmap |= 1u << l->prio;
}

void runq_remove(struct runq *rq, struct qlink *l)
{
	struct tqueue *q = l->on;
	/* Invariant: a run-queue entry leaves through here, so the bitmap
	 * can be kept; an entry on some other queue must not come here. */
	KASSERT(!q || (q >= rq->q && q < rq->q + NPRIO));
	tq_remove(l);
	if (q && tq_empty(q))
		rq->bitmap &= ~(1u << (q - rq->q));
}

int runq_top(const struct runq *rq)
{
	return rq->bitmap ? 31 - __builtin_clz(rq->bitmap) : -1;
}

struct qlink *runq_first(const struct runq *rq, int p)
{
	if (p < 0 || p >= NPRIO)
		return NULL;
	struct qlink *best = rq->q[p].head;
	for (struct qlink *l = best; l; l = l->next)
		if (l->key < best->key)
			best = l;
	return best;
}

struct qlink *runq_pick(struct runq *rq)
{
	int p = runq_top(rq);
	if (p < 0)
		return NULL;
	struct qlink *l = runq_first(rq, p);
	KASSERT(l); /* Invariant: bit p is set exactly when q[p] is not empty */
	runq_remove(rq, l);
	return l;
}
