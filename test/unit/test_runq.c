/* Thread queues and the run queue, on test structs embedding a qlink. After
 * each operation the lists are walked both ways and compared with the
 * expected order; a randomized run checks the run queue against a model. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>

#include "runq.h"

struct t {
	int id;
	struct qlink link;
};

#define T_OF(l) ((struct t *)((char *)(l)-offsetof(struct t, link)))

static void init_ts(struct t *ts, int n)
{
	memset(ts, 0, sizeof(*ts) * (size_t)n);
	for (int i = 0; i < n; i++)
		ts[i].id = i;
}

/* Asserts that q holds exactly the n ids in want, in order: forward via
 * next, backward via prev, head and tail at the ends, every `on` == q. */
static void check_queue(const struct tqueue *q, const int *want, int n)
{
	if (n == 0) {
		cr_assert_null(q->head, "empty queue has a head");
		cr_assert_null(q->tail, "empty queue has a tail");
		cr_assert(tq_empty(q));
		return;
	}
	cr_assert_not(tq_empty(q));
	cr_assert_not_null(q->head);
	cr_assert_not_null(q->tail);
	cr_assert_null(q->head->prev, "head has a prev");
	cr_assert_null(q->tail->next, "tail has a next");
	const struct qlink *l = q->head, *last = NULL;
	for (int i = 0; i < n; i++) {
		cr_assert_not_null(l, "forward walk ended after %d of %d", i, n);
		cr_assert_eq(T_OF(l)->id, want[i], "forward %d: id %d, expected %d", i, T_OF(l)->id,
		             want[i]);
		cr_assert_eq(l->on, q, "id %d: on is not its queue", T_OF(l)->id);
		cr_assert_eq(l->prev, last, "id %d: prev is not the previous entry", T_OF(l)->id);
		last = l;
		l = l->next;
	}
	cr_assert_null(l, "forward walk longer than %d", n);
	cr_assert_eq(last, q->tail, "tail is not the last entry");
	l = q->tail;
	for (int i = n - 1; i >= 0; i--) {
		cr_assert_not_null(l, "backward walk ended early at %d", i);
		cr_assert_eq(T_OF(l)->id, want[i], "backward %d: id %d, expected %d", i,
		             T_OF(l)->id, want[i]);
		l = l->prev;
	}
	cr_assert_null(l, "backward walk longer than %d", n);
}

static void check_unlinked(const struct t *e)
{
	cr_assert_null(e->link.on, "id %d: on not cleared", e->id);
	cr_assert_null(e->link.next, "id %d: next not cleared", e->id);
	cr_assert_null(e->link.prev, "id %d: prev not cleared", e->id);
}

/* ---- tqueue ---- */

Test(runq, tq_push_then_pop_is_fifo)
{
	struct t ts[5];
	init_ts(ts, 5);
	struct tqueue q = {NULL, NULL};
	check_queue(&q, NULL, 0);
	int want[5] = {0, 1, 2, 3, 4};
	for (int i = 0; i < 5; i++) {
		tq_push(&q, &ts[i].link);
		cr_assert_eq(ts[i].link.on, &q, "on not set by push");
		check_queue(&q, want, i + 1);
	}
	for (int i = 0; i < 5; i++) {
		struct qlink *l = tq_pop(&q);
		cr_assert_not_null(l);
		cr_assert_eq(T_OF(l)->id, i, "popped %d, expected %d", T_OF(l)->id, i);
		check_unlinked(T_OF(l));
		check_queue(&q, want + i + 1, 4 - i);
	}
	cr_assert_null(tq_pop(&q));
}

Test(runq, tq_pop_on_empty_returns_null)
{
	struct tqueue q = {NULL, NULL};
	cr_assert_null(tq_pop(&q));
	cr_assert_null(tq_pop(&q));
	check_queue(&q, NULL, 0);
}

Test(runq, tq_push_after_draining_reuses_the_queue)
{
	struct t ts[3];
	init_ts(ts, 3);
	struct tqueue q = {NULL, NULL};
	tq_push(&q, &ts[0].link);
	cr_assert_eq(tq_pop(&q), &ts[0].link);
	tq_push(&q, &ts[1].link);
	tq_push(&q, &ts[0].link);
	tq_push(&q, &ts[2].link);
	check_queue(&q, (int[]){1, 0, 2}, 3);
}

static void fill(struct tqueue *q, struct t *ts, int n)
{
	q->head = q->tail = NULL;
	init_ts(ts, n);
	for (int i = 0; i < n; i++)
		tq_push(q, &ts[i].link);
}

Test(runq, tq_remove_of_head_keeps_list_consistent)
{
	struct t ts[4];
	struct tqueue q;
	fill(&q, ts, 4);
	tq_remove(&ts[0].link);
	check_unlinked(&ts[0]);
	check_queue(&q, (int[]){1, 2, 3}, 3);
	tq_remove(&ts[1].link);
	check_unlinked(&ts[1]);
	check_queue(&q, (int[]){2, 3}, 2);
}

Test(runq, tq_remove_of_middle_keeps_list_consistent)
{
	struct t ts[5];
	struct tqueue q;
	fill(&q, ts, 5);
	tq_remove(&ts[2].link);
	check_unlinked(&ts[2]);
	check_queue(&q, (int[]){0, 1, 3, 4}, 4);
	tq_remove(&ts[1].link);
	check_unlinked(&ts[1]);
	check_queue(&q, (int[]){0, 3, 4}, 3);
	tq_remove(&ts[3].link);
	check_queue(&q, (int[]){0, 4}, 2);
}

Test(runq, tq_remove_of_tail_keeps_list_consistent)
{
	struct t ts[4];
	struct tqueue q;
	fill(&q, ts, 4);
	tq_remove(&ts[3].link);
	check_unlinked(&ts[3]);
	check_queue(&q, (int[]){0, 1, 2}, 3);
	tq_remove(&ts[2].link);
	check_queue(&q, (int[]){0, 1}, 2);
	/* Pushing after a tail removal appends after the new tail. */
	tq_push(&q, &ts[3].link);
	check_queue(&q, (int[]){0, 1, 3}, 3);
}

Test(runq, tq_remove_of_only_element_empties_queue)
{
	struct t ts[1];
	struct tqueue q;
	fill(&q, ts, 1);
	check_queue(&q, (int[]){0}, 1);
	tq_remove(&ts[0].link);
	check_unlinked(&ts[0]);
	check_queue(&q, NULL, 0);
	cr_assert_null(tq_pop(&q));
	tq_push(&q, &ts[0].link);
	check_queue(&q, (int[]){0}, 1);
}

Test(runq, tq_remove_of_unqueued_element_is_a_noop)
{
	struct t ts[3];
	struct tqueue q;
	fill(&q, ts, 2);
	struct t *loose = &ts[2];
	loose->id = 2;
	memset(&loose->link, 0, sizeof(loose->link));
	tq_remove(&loose->link);
	check_unlinked(loose);
	check_queue(&q, (int[]){0, 1}, 2);

	/* Removing twice: the second call finds on == NULL and does nothing. */
	tq_remove(&ts[0].link);
	tq_remove(&ts[0].link);
	check_unlinked(&ts[0]);
	check_queue(&q, (int[]){1}, 1);
}

Test(runq, on_names_the_holding_queue)
{
	struct t ts[2];
	init_ts(ts, 2);
	struct tqueue a = {NULL, NULL}, b = {NULL, NULL};
	cr_assert_null(ts[0].link.on);
	tq_push(&a, &ts[0].link);
	tq_push(&b, &ts[1].link);
	cr_assert_eq(ts[0].link.on, &a);
	cr_assert_eq(ts[1].link.on, &b);
	/* tq_remove finds the queue through on: b is untouched by removing 0. */
	tq_remove(&ts[0].link);
	cr_assert_null(ts[0].link.on);
	check_queue(&a, NULL, 0);
	check_queue(&b, (int[]){1}, 1);
	/* Moving an entry from one queue to another. */
	tq_remove(&ts[1].link);
	tq_push(&a, &ts[1].link);
	cr_assert_eq(ts[1].link.on, &a);
	check_queue(&a, (int[]){1}, 1);
	check_queue(&b, NULL, 0);
	cr_assert_eq(tq_pop(&a), &ts[1].link);
	cr_assert_null(ts[1].link.on);
}

/* ---- run queue ---- */

static void set_prio(struct t *e, int prio)
{
	e->link.prio = (uint8_t)prio;
}

static int pick_id(struct runq *rq)
{
	struct qlink *l = runq_pick(rq);
	cr_assert_not_null(l, "runq_pick returned NULL on a non-empty run queue");
	check_unlinked(T_OF(l));
	return T_OF(l)->id;
}

Test(runq, empty_runq_has_top_minus_one_and_picks_null)
{
	struct runq rq;
	memset(&rq, 0, sizeof(rq));
	cr_assert_eq(runq_top(&rq), -1);
	cr_assert_null(runq_pick(&rq));
	cr_assert_eq(runq_top(&rq), -1);
	cr_assert_eq(rq.bitmap, 0);
}

Test(runq, pick_returns_highest_priority_first)
{
	struct runq rq;
	memset(&rq, 0, sizeof(rq));
	struct t ts[6];
	init_ts(ts, 6);
	const int prios[6] = {3, 17, 0, 31, 9, 17};
	for (int i = 0; i < 6; i++) {
		set_prio(&ts[i], prios[i]);
		runq_add(&rq, &ts[i].link);
		cr_assert_eq(ts[i].link.on, &rq.q[prios[i]], "on is not the queue of its prio");
	}
	cr_assert_eq(runq_top(&rq), 31);
	const int order[6] = {3, 1, 5, 4, 0, 2};
	const int tops[6] = {17, 17, 9, 3, 0, -1};
	for (int k = 0; k < 6; k++) {
		int id = pick_id(&rq);
		cr_assert_eq(id, order[k], "pick %d: id %d, expected %d", k, id, order[k]);
		cr_assert_eq(runq_top(&rq), tops[k], "after pick %d: top %d, expected %d", k,
		             runq_top(&rq), tops[k]);
	}
	cr_assert_null(runq_pick(&rq));
	cr_assert_eq(rq.bitmap, 0);
}

Test(runq, pick_is_fifo_within_a_priority)
{
	struct runq rq;
	memset(&rq, 0, sizeof(rq));
	struct t ts[4];
	init_ts(ts, 4);
	for (int i = 0; i < 4; i++) {
		set_prio(&ts[i], 12);
		runq_add(&rq, &ts[i].link);
	}
	check_queue(&rq.q[12], (int[]){0, 1, 2, 3}, 4);
	for (int i = 0; i < 4; i++) {
		cr_assert_eq(runq_top(&rq), 12);
		cr_assert_eq(pick_id(&rq), i);
	}
	cr_assert_eq(runq_top(&rq), -1);
}

Test(runq, pick_and_readd_is_round_robin)
{
	struct runq rq;
	memset(&rq, 0, sizeof(rq));
	struct t ts[4];
	init_ts(ts, 4);
	for (int i = 0; i < 3; i++) {
		set_prio(&ts[i], 5);
		runq_add(&rq, &ts[i].link);
	}
	set_prio(&ts[3], 2); /* lower: never runs while the others are ready */
	runq_add(&rq, &ts[3].link);
	for (int k = 0; k < 10; k++) {
		struct qlink *l = runq_pick(&rq);
		cr_assert_not_null(l);
		cr_assert_eq(T_OF(l)->id, k % 3, "slice %d went to %d", k, T_OF(l)->id);
		runq_add(&rq, l); /* end of its time slice: back to the tail */
		cr_assert_eq(runq_top(&rq), 5);
	}
	check_queue(&rq.q[5], (int[]){1, 2, 0}, 3);
	check_queue(&rq.q[2], (int[]){3}, 1);
}

Test(runq, pick_takes_the_least_key_and_first_takes_it_without_removing)
{
	struct runq rq;
	memset(&rq, 0, sizeof(rq));
	struct t ts[5];
	init_ts(ts, 5);
	const int64_t keys[5] = {30, 10, 20, 10, -5};
	for (int i = 0; i < 4; i++) {
		set_prio(&ts[i], 12);
		ts[i].link.key = keys[i];
		runq_add(&rq, &ts[i].link);
	}
	set_prio(&ts[4], 3); /* the least key, but a lower priority */
	ts[4].link.key = keys[4];
	runq_add(&rq, &ts[4].link);
	cr_assert_eq(runq_first(&rq, 12), &ts[1].link, "the first of the equal least keys");
	cr_assert_eq(ts[1].link.on, &rq.q[12], "runq_first leaves it queued");
	cr_assert_null(runq_first(&rq, 7));
	cr_assert_null(runq_first(&rq, 40));
	const int order[5] = {1, 3, 2, 0, 4};
	for (int k = 0; k < 5; k++)
		cr_assert_eq(pick_id(&rq), order[k], "pick %d", k);
}

/* What the scheduler does with the keys: the least virtual runtime runs
 * a slice, and its key grows by the slice times 1024 / its weight. Two
 * entries at Linux's weights for nice 0 and nice 10 share the slices
 * 1024 : 110. */
Test(runq, least_key_first_shares_by_weight)
{
	struct runq rq;
	memset(&rq, 0, sizeof(rq));
	struct t ts[2];
	init_ts(ts, 2);
	const int64_t weight[2] = {1024, 110};
	long slices[2] = {0, 0};
	for (int i = 0; i < 2; i++) {
		set_prio(&ts[i], 8);
		runq_add(&rq, &ts[i].link);
	}
	for (int k = 0; k < 11340; k++) {
		struct qlink *l = runq_pick(&rq);
		int id = T_OF(l)->id;
		slices[id]++;
		l->key += 5 * 1024 * 1000 / weight[id];
		runq_add(&rq, l);
	}
	cr_assert(slices[0] >= 10200 && slices[0] <= 10260 && slices[1] >= 1080 &&
	              slices[1] <= 1140,
	          "slices %ld and %ld, want about 10230 and 1110", slices[0], slices[1]);
}

Test(runq, top_drops_when_last_of_priority_is_removed)
{
	struct runq rq;
	memset(&rq, 0, sizeof(rq));
	struct t ts[4];
	init_ts(ts, 4);
	set_prio(&ts[0], 20);
	set_prio(&ts[1], 20);
	set_prio(&ts[2], 8);
	set_prio(&ts[3], 1);
	for (int i = 0; i < 4; i++)
		runq_add(&rq, &ts[i].link);
	cr_assert_eq(rq.bitmap, (1u << 20) | (1u << 8) | (1u << 1));
	cr_assert_eq(runq_top(&rq), 20);

	runq_remove(&rq, &ts[1].link); /* 20 still has ts[0] */
	check_unlinked(&ts[1]);
	cr_assert_eq(runq_top(&rq), 20);
	cr_assert_eq(rq.bitmap, (1u << 20) | (1u << 8) | (1u << 1));
	runq_remove(&rq, &ts[0].link); /* last of 20 */
	cr_assert_eq(runq_top(&rq), 8);
	cr_assert_eq(rq.bitmap, (1u << 8) | (1u << 1));
	check_queue(&rq.q[20], NULL, 0);

	runq_remove(&rq, &ts[3].link); /* a lower one: top unchanged */
	cr_assert_eq(runq_top(&rq), 8);
	cr_assert_eq(rq.bitmap, 1u << 8);
	cr_assert_eq(pick_id(&rq), 2); /* last of 8, via pick */
	cr_assert_eq(runq_top(&rq), -1);
	cr_assert_eq(rq.bitmap, 0);
}

Test(runq, remove_of_unqueued_entry_leaves_runq_alone)
{
	struct runq rq;
	memset(&rq, 0, sizeof(rq));
	struct t ts[2];
	init_ts(ts, 2);
	set_prio(&ts[0], 4);
	set_prio(&ts[1], 4); /* same priority as the queued one, but not queued */
	runq_add(&rq, &ts[0].link);
	runq_remove(&rq, &ts[1].link);
	check_unlinked(&ts[1]);
	cr_assert_eq(rq.bitmap, 1u << 4);
	check_queue(&rq.q[4], (int[]){0}, 1);
	/* And once removed, removing again changes nothing either. */
	runq_remove(&rq, &ts[0].link);
	runq_remove(&rq, &ts[0].link);
	cr_assert_eq(rq.bitmap, 0);
	cr_assert_eq(runq_top(&rq), -1);
}

Test(runq, remove_uses_the_holding_queue_not_the_current_prio)
{
	/* A priority change while queued (callers should requeue, but the
	 * bitmap must still follow the queue the entry is really on). */
	struct runq rq;
	memset(&rq, 0, sizeof(rq));
	struct t ts[1];
	init_ts(ts, 1);
	set_prio(&ts[0], 7);
	runq_add(&rq, &ts[0].link);
	set_prio(&ts[0], 25);
	runq_remove(&rq, &ts[0].link);
	cr_assert_eq(rq.bitmap, 0, "bitmap %#x", rq.bitmap);
	cr_assert_eq(runq_top(&rq), -1);
}

Test(runq, priorities_0_and_31_are_the_edges)
{
	struct runq rq;
	memset(&rq, 0, sizeof(rq));
	struct t ts[3];
	init_ts(ts, 3);
	set_prio(&ts[0], 0);
	runq_add(&rq, &ts[0].link);
	cr_assert_eq(runq_top(&rq), 0, "priority 0 alone is still ready");
	cr_assert_eq(rq.bitmap, 1u);
	set_prio(&ts[1], 31);
	runq_add(&rq, &ts[1].link);
	cr_assert_eq(runq_top(&rq), 31);
	cr_assert_eq(rq.bitmap, 0x80000001u);
	set_prio(&ts[2], 31);
	runq_add(&rq, &ts[2].link);
	cr_assert_eq(pick_id(&rq), 1);
	cr_assert_eq(runq_top(&rq), 31);
	cr_assert_eq(pick_id(&rq), 2);
	cr_assert_eq(runq_top(&rq), 0);
	cr_assert_eq(rq.bitmap, 1u);
	cr_assert_eq(pick_id(&rq), 0);
	cr_assert_eq(runq_top(&rq), -1);

	/* Every single priority on its own. */
	for (int p = 0; p < NPRIO; p++) {
		set_prio(&ts[0], p);
		runq_add(&rq, &ts[0].link);
		cr_assert_eq(runq_top(&rq), p);
		cr_assert_eq(rq.bitmap, 1u << p);
		runq_remove(&rq, &ts[0].link);
		cr_assert_eq(runq_top(&rq), -1, "prio %d", p);
	}
}

/* ---- randomized, against a model: one array per priority ---- */

#define NENT 48

struct model {
	int ids[NPRIO][NENT];
	int len[NPRIO];
};

static int model_top(const struct model *m)
{
	for (int p = NPRIO - 1; p >= 0; p--)
		if (m->len[p])
			return p;
	return -1;
}

static void model_del(struct model *m, int p, int idx)
{
	memmove(&m->ids[p][idx], &m->ids[p][idx + 1], sizeof(int) * (size_t)(m->len[p] - idx - 1));
	m->len[p]--;
}

static void check_model(const struct runq *rq, const struct model *m, int step)
{
	int top = model_top(m);
	cr_assert_eq(runq_top(rq), top, "step %d: top %d, model %d", step, runq_top(rq), top);
	for (int p = 0; p < NPRIO; p++) {
		cr_assert_eq(!!(rq->bitmap & (1u << p)), m->len[p] != 0,
		             "step %d: bitmap bit %d wrong (%#x)", step, p, rq->bitmap);
		check_queue(&rq->q[p], m->ids[p], m->len[p]);
	}
}

static uint64_t rng = 0x9E3779B97F4A7C15ULL;

static uint32_t rnd(uint32_t n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(rng >> 33) % n;
}

Test(runq, randomized_against_model)
{
	static struct t ts[NENT];
	static struct model m;
	struct runq rq;
	memset(&rq, 0, sizeof(rq));
	memset(&m, 0, sizeof(m));
	init_ts(ts, NENT);
	bool queued[NENT] = {false};
	int picks = 0, removes = 0, adds = 0;

	for (int step = 0; step < 5000; step++) {
		uint32_t op = rnd(10);
		int i = (int)rnd(NENT);
		if (op < 5) { /* add, if not queued; priorities bunched to force ties */
			if (queued[i])
				continue;
			int p = rnd(4) ? (int)rnd(8) * 4 + 3 : (int)rnd(NPRIO);
			set_prio(&ts[i], p);
			runq_add(&rq, &ts[i].link);
			m.ids[p][m.len[p]++] = i;
			queued[i] = true;
			adds++;
		} else if (op < 7) { /* remove (a no-op if not queued) */
			runq_remove(&rq, &ts[i].link);
			check_unlinked(&ts[i]);
			if (queued[i]) {
				int p = ts[i].link.prio, idx = 0;
				while (idx < m.len[p] && m.ids[p][idx] != i)
					idx++;
				cr_assert_lt(idx, m.len[p], "step %d: model lost %d", step, i);
				model_del(&m, p, idx);
				queued[i] = false;
				removes++;
			}
		} else { /* pick */
			int top = model_top(&m);
			struct qlink *l = runq_pick(&rq);
			if (top < 0) {
				cr_assert_null(l, "step %d: picked from an empty run queue", step);
			} else {
				cr_assert_not_null(l, "step %d: nothing picked, model top %d", step,
				                   top);
				int id = T_OF(l)->id;
				cr_assert_eq(id, m.ids[top][0], "step %d: picked %d, model %d",
				             step, id, m.ids[top][0]);
				check_unlinked(&ts[id]);
				model_del(&m, top, 0);
				queued[id] = false;
				picks++;
			}
		}
		check_model(&rq, &m, step);
	}
	/* The run exercised every kind of operation, then drain it. */
	cr_assert_gt(adds, 500);
	cr_assert_gt(removes, 100);
	cr_assert_gt(picks, 500);
	for (int step = 5000; model_top(&m) >= 0; step++) {
		int top = model_top(&m);
		cr_assert_eq(pick_id(&rq), m.ids[top][0]);
		model_del(&m, top, 0);
		check_model(&rq, &m, step);
	}
	cr_assert_null(runq_pick(&rq));
	cr_assert_eq(rq.bitmap, 0);
}

/* The panic of issue 7, row 1: a ready entry taken off the run queue
 * behind its back (tq_remove instead of runq_remove) left the bitmap
 * saying "not empty". runq_pick now stops at the broken invariant
 * instead of following a NULL head. */
Test(runq, pick_refuses_a_bitmap_that_disagrees_with_the_queues, .signal = SIGABRT)
{
	struct runq rq;
	struct t ts[1];
	memset(&rq, 0, sizeof(rq));
	init_ts(ts, 1);
	ts[0].link.prio = 5;
	runq_add(&rq, &ts[0].link);
	tq_remove(&ts[0].link);
	runq_pick(&rq);
}

Test(runq, an_entry_waits_in_one_queue_at_most, .signal = SIGABRT)
{
	struct tqueue a = {0}, b = {0};
	struct t ts[1];
	init_ts(ts, 1);
	tq_push(&a, &ts[0].link);
	tq_push(&b, &ts[0].link);
}

Test(runq, runq_remove_refuses_an_entry_of_another_queue, .signal = SIGABRT)
{
	struct runq rq;
	struct tqueue ep = {0};
	struct t ts[1];
	memset(&rq, 0, sizeof(rq));
	init_ts(ts, 1);
	tq_push(&ep, &ts[0].link);
	runq_remove(&rq, &ts[0].link);
}

Test(runq, removing_the_middle_priority_keeps_the_others_pickable)
{
	struct runq rq;
	struct t ts[3];
	memset(&rq, 0, sizeof(rq));
	init_ts(ts, 3);
	for (int i = 0; i < 3; i++) {
		ts[i].link.prio = (uint8_t)(10 * i + 1);
		runq_add(&rq, &ts[i].link);
	}
	runq_remove(&rq, &ts[1].link);
	cr_assert_eq(runq_top(&rq), 21);
	cr_assert_eq(T_OF(runq_pick(&rq))->id, 2);
	cr_assert_eq(T_OF(runq_pick(&rq))->id, 0);
	cr_assert_null(runq_pick(&rq));
	cr_assert_eq(rq.bitmap, 0u);
}
