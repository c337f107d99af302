/* Queue operations for kern/runq.h. O(1) each. */
#include "runq.h"

void tq_push(struct tqueue *q, struct qlink *l)
{
	l->next = NULL;
	l->prev = q->tail;
	if (q->tail)
		q->tail->next = l;
	else
		q->head = l;
	q->tail = l;
	l->on = q;
	q->len++;
}

void tq_remove(struct qlink *l)
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
	q->len--;
}

struct qlink *tq_pop(struct tqueue *q)
{
	struct qlink *l = q->head;
	if (l)
		tq_remove(l);
	return l;
}

void runq_add(struct runq *rq, struct qlink *l)
{
	tq_push(&rq->q[l->prio], l);
	rq->bitmap |= 1u << l->prio;
}

void runq_remove(struct runq *rq, struct qlink *l)
{
	struct tqueue *q = l->on;
	tq_remove(l);
	if (q && tq_empty(q))
		rq->bitmap &= ~(1u << (q - rq->q));
}

int runq_top(const struct runq *rq)
{
	return rq->bitmap ? 31 - __builtin_clz(rq->bitmap) : -1;
}

struct qlink *runq_pick(struct runq *rq)
{
	int p = runq_top(rq);
	if (p < 0)
		return NULL;
	struct qlink *l = rq->q[p].head;
	runq_remove(rq, l);
	return l;
}
