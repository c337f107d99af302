/* servers/pm/swapmap.c: a process's page address -> swap slot hash.
 * Basics, growth to a large process, deleted places reused, walking,
 * copying and freeing, the reserved keys, and a long randomized run
 * checked against a plain array of the expected pairs. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../servers/pm/swapmap.h"

#define PG   4096ull
#define BASE 0x20000000ull

/* The table's own rules: a power-of-two size, no more than 3/4 of it in
 * use (so every probe meets an empty place), n live within used. */
static void check_shape(const struct swapmap *m)
{
	if (!m->cap) {
		cr_assert_eq(m->n, 0);
		cr_assert_eq(m->used, 0);
		return;
	}
	cr_assert_eq(m->cap & (m->cap - 1), 0, "cap %zu not a power of two", m->cap);
	cr_assert_leq(m->n, m->used);
	cr_assert_leq(m->used * 4, m->cap * 3, "used %zu of %zu", m->used, m->cap);
}

static uint64_t get_or(const struct swapmap *m, uint64_t va, uint64_t dflt)
{
	uint64_t s = dflt;
	return sm_get(m, va, &s) ? s : dflt;
}

Test(swapmap, empty_map_finds_nothing)
{
	struct swapmap m = {0};
	uint64_t s = 77;
	cr_assert_not(sm_get(&m, BASE, &s));
	cr_assert_eq(s, 77, "a miss leaves *slot alone");
	cr_assert_not(sm_del(&m, BASE));
	cr_assert_eq(m.n, 0);
	cr_assert_eq(m.cap, 0, "looking does not allocate");
}

Test(swapmap, put_get_del)
{
	struct swapmap m = {0};
	cr_assert_eq(sm_put(&m, BASE, 5), 0);
	cr_assert_eq(sm_put(&m, BASE + PG, 9), 0);
	cr_assert_eq(m.n, 2);
	uint64_t s;
	cr_assert(sm_get(&m, BASE, &s));
	cr_assert_eq(s, 5);
	cr_assert(sm_get(&m, BASE + PG, &s));
	cr_assert_eq(s, 9);
	cr_assert_not(sm_get(&m, BASE + 2 * PG, &s));
	/* slot 0 is a slot like any other */
	cr_assert_eq(sm_put(&m, BASE + 3 * PG, 0), 0);
	cr_assert(sm_get(&m, BASE + 3 * PG, &s));
	cr_assert_eq(s, 0);

	cr_assert(sm_del(&m, BASE));
	cr_assert_not(sm_get(&m, BASE, &s));
	cr_assert_not(sm_del(&m, BASE), "deleted twice");
	cr_assert_eq(m.n, 2);
	cr_assert(sm_get(&m, BASE + PG, &s));
	cr_assert_eq(s, 9);
	check_shape(&m);
	sm_free(&m);
}

Test(swapmap, put_replaces)
{
	struct swapmap m = {0};
	cr_assert_eq(sm_put(&m, BASE, 5), 0);
	cr_assert_eq(sm_put(&m, BASE, 6), 0);
	cr_assert_eq(m.n, 1);
	cr_assert_eq(get_or(&m, BASE, 0), 6);
	/* replacing after a delete elsewhere on the probe path still finds
	 * the one entry, not a second copy in the freed place */
	for (uint64_t i = 1; i <= 30; i++)
		cr_assert_eq(sm_put(&m, BASE + i * PG, i), 0);
	for (uint64_t i = 1; i <= 30; i += 2)
		cr_assert(sm_del(&m, BASE + i * PG));
	for (uint64_t i = 2; i <= 30; i += 2)
		cr_assert_eq(sm_put(&m, BASE + i * PG, 1000 + i), 0);
	cr_assert_eq(m.n, 16);
	for (uint64_t i = 2; i <= 30; i += 2) {
		cr_assert_eq(get_or(&m, BASE + i * PG, 0), 1000 + i);
		cr_assert(sm_del(&m, BASE + i * PG));
		cr_assert_not(sm_get(&m, BASE + i * PG, &(uint64_t){0}), "a second copy at %llu",
		              (unsigned long long)i);
	}
	cr_assert_eq(m.n, 1);
	sm_free(&m);
}

Test(swapmap, reserved_keys_refused)
{
	struct swapmap m = {0};
	cr_assert_eq(sm_put(&m, 0, 3), -EINVAL);
	cr_assert_eq(sm_put(&m, 1, 3), -EINVAL);
	cr_assert_eq(m.n, 0);
	cr_assert_eq(sm_put(&m, BASE, 4), 0);
	cr_assert_eq(sm_put(&m, 0, 3), -EINVAL);
	cr_assert_eq(sm_put(&m, 1, 3), -EINVAL);
	cr_assert_eq(m.n, 1);
	/* with a table present, 0 and 1 are what empty and deleted places
	 * hold: they must still not be found or removed */
	cr_assert(sm_del(&m, BASE));
	uint64_t s = 99;
	cr_assert_not(sm_get(&m, 0, &s));
	cr_assert_not(sm_get(&m, 1, &s));
	cr_assert_eq(s, 99);
	cr_assert_not(sm_del(&m, 0));
	cr_assert_not(sm_del(&m, 1));
	cr_assert_eq(m.n, 0);
	/* 2 is the smallest key there is */
	cr_assert_eq(sm_put(&m, 2, 8), 0);
	cr_assert_eq(get_or(&m, 2, 0), 8);
	sm_free(&m);
}

/* 150 MiB of pages: the table grows many times and loses nothing. */
Test(swapmap, large_process_all_found)
{
	enum { N = 40000 };
	struct swapmap m = {0};
	for (uint64_t i = 0; i < N; i++)
		cr_assert_eq(sm_put(&m, BASE + i * PG, i * 7 + 3), 0);
	cr_assert_eq(m.n, N);
	check_shape(&m);
	cr_assert_geq(m.cap, N + N / 3);
	for (uint64_t i = 0; i < N; i++) {
		uint64_t s;
		cr_assert(sm_get(&m, BASE + i * PG, &s), "page %llu lost", (unsigned long long)i);
		cr_assert_eq(s, i * 7 + 3, "page %llu", (unsigned long long)i);
	}
	/* neighbours and other regions are not there */
	cr_assert_not(sm_get(&m, BASE - PG, &(uint64_t){0}));
	cr_assert_not(sm_get(&m, BASE + N * PG, &(uint64_t){0}));
	cr_assert_not(sm_get(&m, BASE + (1ull << 32), &(uint64_t){0}));
	sm_free(&m);
}

/* Deleting half leaves deleted places; putting the same pages back takes
 * those places (the table does not fill up) and loses none of the rest. */
Test(swapmap, deleted_places_reused)
{
	enum { N = 1000 };
	struct swapmap m = {0};
	for (uint64_t i = 0; i < N; i++)
		cr_assert_eq(sm_put(&m, BASE + i * PG, i), 0);
	size_t cap = m.cap, used = m.used;
	cr_assert_eq(used, N);
	for (uint64_t i = 0; i < N; i += 2)
		cr_assert(sm_del(&m, BASE + i * PG));
	cr_assert_eq(m.n, N / 2);
	for (uint64_t i = 0; i < N; i++)
		cr_assert_eq(sm_get(&m, BASE + i * PG, &(uint64_t){0}), i % 2 == 1);
	for (uint64_t i = 0; i < N; i += 2)
		cr_assert_eq(sm_put(&m, BASE + i * PG, 5000 + i), 0);
	cr_assert_eq(m.n, N);
	cr_assert_eq(m.cap, cap, "no growth for pages put back");
	cr_assert_eq(m.used, used, "put back into the deleted places");
	for (uint64_t i = 0; i < N; i++)
		cr_assert_eq(get_or(&m, BASE + i * PG, ~0ull), i % 2 ? i : 5000 + i, "page %llu",
		             (unsigned long long)i);
	check_shape(&m);
	sm_free(&m);
}

/* Pages that come and go, never more than a few at once: the deleted
 * places are swept away when the table is rebuilt, it does not grow. */
Test(swapmap, churn_does_not_grow)
{
	struct swapmap m = {0};
	for (uint64_t i = 0; i < 100000; i++) {
		cr_assert_eq(sm_put(&m, BASE + i * PG, i), 0);
		if (i >= 3)
			cr_assert(sm_del(&m, BASE + (i - 3) * PG));
	}
	cr_assert_eq(m.n, 3);
	cr_assert_eq(m.cap, 64, "cap %zu", m.cap);
	check_shape(&m);
	for (uint64_t i = 100000 - 3; i < 100000; i++)
		cr_assert_eq(get_or(&m, BASE + i * PG, 0), i);
	sm_free(&m);
}

struct walk {
	unsigned count;
	uint64_t va_sum, slot_sum;
	uint8_t seen[2000];
};

static void visit(uint64_t va, uint64_t slot, void *arg)
{
	struct walk *w = arg;
	uint64_t i = (va - BASE) / PG;
	cr_assert_eq((va - BASE) % PG, 0);
	cr_assert_lt(i, 2000);
	cr_assert_eq(slot, i + 11, "page %llu has slot %llu", (unsigned long long)i,
	             (unsigned long long)slot);
	w->seen[i]++;
	w->count++;
	w->va_sum += va;
	w->slot_sum += slot;
}

Test(swapmap, each_visits_live_entries_once)
{
	struct swapmap m = {0};
	struct walk w = {0};
	sm_each(&m, visit, &w);
	cr_assert_eq(w.count, 0, "an empty map has nothing to visit");

	uint64_t va_sum = 0, slot_sum = 0;
	unsigned n = 0;
	for (uint64_t i = 0; i < 2000; i++)
		cr_assert_eq(sm_put(&m, BASE + i * PG, i + 11), 0);
	for (uint64_t i = 0; i < 2000; i++) {
		if (i % 3 == 0) {
			cr_assert(sm_del(&m, BASE + i * PG));
			continue;
		}
		va_sum += BASE + i * PG, slot_sum += i + 11, n++;
	}
	sm_each(&m, visit, &w);
	cr_assert_eq(w.count, n);
	cr_assert_eq(w.count, m.n);
	cr_assert_eq(w.va_sum, va_sum);
	cr_assert_eq(w.slot_sum, slot_sum);
	for (unsigned i = 0; i < 2000; i++)
		cr_assert_eq(w.seen[i], i % 3 ? 1 : 0, "page %u seen %u times", i, w.seen[i]);
	sm_free(&m);
}

Test(swapmap, copy_is_independent)
{
	struct swapmap a = {0}, b;
	memset(&b, 0xa5, sizeof(b)); /* dst is whatever it was: copy sets it all */
	cr_assert_eq(sm_copy(&b, &a), 0);
	cr_assert_eq(b.n, 0);
	cr_assert_not(sm_get(&b, BASE, &(uint64_t){0}));
	cr_assert_eq(sm_put(&b, BASE, 1), 0, "a copy of an empty map works");
	sm_free(&b);

	for (uint64_t i = 0; i < 500; i++)
		cr_assert_eq(sm_put(&a, BASE + i * PG, i), 0);
	for (uint64_t i = 0; i < 500; i += 5)
		cr_assert(sm_del(&a, BASE + i * PG));
	cr_assert_eq(sm_copy(&b, &a), 0);
	cr_assert_eq(b.n, a.n);
	cr_assert_neq(b.va, a.va);
	cr_assert_neq(b.slot, a.slot);
	for (uint64_t i = 0; i < 500; i++)
		cr_assert_eq(get_or(&b, BASE + i * PG, ~0ull), i % 5 ? i : ~0ull);

	/* change the copy every way there is, then look at the original */
	for (uint64_t i = 1; i < 500; i += 5)
		cr_assert(sm_del(&b, BASE + i * PG));
	for (uint64_t i = 2; i < 500; i += 5)
		cr_assert_eq(sm_put(&b, BASE + i * PG, 9000 + i), 0);
	for (uint64_t i = 0; i < 500; i += 5)
		cr_assert_eq(sm_put(&b, BASE + i * PG, 7000 + i), 0);
	for (uint64_t i = 500; i < 3000; i++) /* growth: b's table is rebuilt */
		cr_assert_eq(sm_put(&b, BASE + i * PG, i), 0);
	cr_assert_eq(a.n, 400);
	check_shape(&a);
	for (uint64_t i = 0; i < 3000; i++)
		cr_assert_eq(get_or(&a, BASE + i * PG, ~0ull), i < 500 && i % 5 ? i : ~0ull,
		             "original page %llu", (unsigned long long)i);
	sm_free(&b);
	/* and the original outlives its copy */
	cr_assert_eq(get_or(&a, BASE + 3 * PG, 0), 3);
	sm_free(&a);
}

Test(swapmap, free_leaves_a_working_empty_map)
{
	struct swapmap m = {0};
	sm_free(&m); /* freeing an empty map is fine */
	for (uint64_t i = 0; i < 300; i++)
		cr_assert_eq(sm_put(&m, BASE + i * PG, i), 0);
	sm_free(&m);
	cr_assert_eq(m.n, 0);
	cr_assert_eq(m.cap, 0);
	cr_assert_eq(m.used, 0);
	cr_assert_null(m.va);
	cr_assert_null(m.slot);
	cr_assert_not(sm_get(&m, BASE, &(uint64_t){0}));
	cr_assert_not(sm_del(&m, BASE));
	struct walk w = {0};
	sm_each(&m, visit, &w);
	cr_assert_eq(w.count, 0);
	cr_assert_eq(sm_put(&m, BASE + 4 * PG, 15), 0);
	cr_assert_eq(m.n, 1);
	cr_assert_eq(get_or(&m, BASE + 4 * PG, 0), 15);
	sm_free(&m);
}

/* --- randomized, against a plain array ----------------------------------------------- */

static uint64_t rng = 0x2545F4914F6CDD1Dull;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

#define KEYS 700

struct model {
	bool have[KEYS];
	uint64_t slot[KEYS];
	unsigned n;
};

/* The keys: pages in two clusters far apart and a few odd addresses,
 * the one 2 (smallest allowed key) among them. */
static uint64_t key(unsigned k)
{
	if (k == 0)
		return 2;
	if (k < 400)
		return BASE + k * PG;
	if (k < 690)
		return 0x3fffff000000ull + (k - 400) * PG;
	return (uint64_t)k * 0x100000000ull; /* a stride the hash finds harder */
}

static void sum_each(uint64_t va, uint64_t slot, void *arg)
{
	const struct model *ref = arg;
	(void)ref;
	unsigned k;
	for (k = 0; k < KEYS && key(k) != va; k++)
		;
	cr_assert_lt(k, KEYS, "a key never put: %#llx", (unsigned long long)va);
	cr_assert(ref->have[k], "a deleted key walked: %#llx", (unsigned long long)va);
	cr_assert_eq(slot, ref->slot[k]);
}

static void check_all(const struct swapmap *m, const struct model *ref, long op)
{
	cr_assert_eq(m->n, ref->n, "op %ld: n %zu, expected %u", op, m->n, ref->n);
	check_shape(m);
	for (unsigned k = 0; k < KEYS; k++) {
		uint64_t s = ~0ull;
		bool got = sm_get(m, key(k), &s);
		cr_assert_eq(got, ref->have[k], "op %ld: key %u", op, k);
		if (got)
			cr_assert_eq(s, ref->slot[k], "op %ld: key %u", op, k);
	}
}

Test(swapmap, random_against_reference)
{
	static struct model ref;
	struct swapmap m = {0};
	size_t max_cap = 0;
	unsigned puts = 0, dels = 0, hits = 0;
	for (long op = 0; op < 100000; op++) {
		uint64_t r = next();
		/* a key space that fills and empties: phases favour puts, then dels */
		unsigned k = (unsigned)((r >> 8) % (op / 5000 % 2 ? KEYS : KEYS / 4));
		unsigned what = (unsigned)(r % 10);
		bool grow = op / 10000 % 2 == 0;
		if (what < (grow ? 5u : 3u)) {
			uint64_t s = r >> 40;
			cr_assert_eq(sm_put(&m, key(k), s), 0, "op %ld", op);
			ref.n += !ref.have[k];
			ref.have[k] = true, ref.slot[k] = s;
			puts++;
		} else if (what < 8) {
			bool was = sm_del(&m, key(k));
			cr_assert_eq(was, ref.have[k], "op %ld: del key %u", op, k);
			ref.n -= ref.have[k];
			ref.have[k] = false;
			dels += was;
		} else {
			uint64_t s = ~0ull;
			bool got = sm_get(&m, key(k), &s);
			cr_assert_eq(got, ref.have[k], "op %ld: get key %u", op, k);
			if (got)
				cr_assert_eq(s, ref.slot[k], "op %ld: get key %u", op, k);
			hits += got;
		}
		cr_assert_eq(m.n, ref.n, "op %ld", op);
		if (m.cap > max_cap)
			max_cap = m.cap;
		if (op % 997 == 0) {
			check_all(&m, &ref, op);
			sm_each(&m, sum_each, &ref);
		}
		if (op == 50000) { /* halfway: carry on with a copy, drop the original */
			struct swapmap c;
			cr_assert_eq(sm_copy(&c, &m), 0);
			sm_free(&m);
			m = c;
		}
	}
	check_all(&m, &ref, -1);
	/* the run really did fill, empty and churn the table */
	cr_assert_gt(puts, 30000);
	cr_assert_gt(dels, 10000);
	cr_assert_gt(hits, 1000);
	cr_assert_leq(max_cap, 2048, "at most %d keys, yet cap %zu", KEYS, max_cap);
	sm_free(&m);
}
