/* lib/heap.c (malloc's allocator) on the host, over a fake break in a
 * static arena: random malloc/calloc/realloc/memalign/free against a
 * shadow copy of every block's contents, alignment, no overlap, reuse,
 * giving memory back, and refusing bad frees. */
#include <criterion/criterion.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include "mica/heap.h"

#define ARENA (64u << 20)

static _Alignas(4096) char arena[ARENA];
static size_t brk_off, brk_max, calls;
static jmp_buf on_corrupt;
static int expect_corrupt;

void *heap_morecore(ptrdiff_t incr)
{
	size_t old = brk_off;
	if (incr > 0 && (size_t)incr > brk_max - brk_off)
		return (void *)-1;
	if (incr < 0 && (size_t)-incr > brk_off)
		return (void *)-1;
	if (incr)
		calls++;
	brk_off += (size_t)incr;
	if (incr < 0) /* given back: it comes back zeroed, as pm's pages do */
		memset(arena + brk_off, 0, (size_t)-incr);
	return arena + old;
}

void heap_corrupt(const char *what, const void *p)
{
	(void)what, (void)p;
	cr_assert(expect_corrupt, "heap_corrupt: %s at %p", what, p);
	longjmp(on_corrupt, 1);
}

static void setup(void)
{
	brk_off = 64; /* the program's data ends at an odd place */
	brk_max = ARENA;
	memset(arena, 0, sizeof(arena));
}

TestSuite(heap, .init = setup);

#define NSLOTS 2000

struct slot {
	unsigned char *p;
	size_t n;
	unsigned char fill;
};
static struct slot slots[NSLOTS];

static unsigned rnd(void)
{
	static uint64_t x = 0x9E3779B97F4A7C15ull;
	x ^= x << 13, x ^= x >> 7, x ^= x << 17;
	return (unsigned)(x >> 11);
}

static void check_slot(const struct slot *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->p[i] != (unsigned char)(s->fill + i))
			cr_assert_fail("block %p byte %zu changed", (void *)s->p, i);
}

static void fill_slot(struct slot *s)
{
	for (size_t i = 0; i < s->n; i++)
		s->p[i] = (unsigned char)(s->fill + i);
}

static size_t pick_size(void)
{
	unsigned r = rnd() % 100;
	if (r < 60)
		return rnd() % 64;
	if (r < 90)
		return rnd() % 2048;
	if (r < 99)
		return rnd() % 65536;
	return rnd() % (1u << 20);
}

Test(heap, random_operations_keep_every_block_intact)
{
	for (int step = 0; step < 60000; step++) {
		struct slot *s = &slots[rnd() % NSLOTS];
		unsigned op = rnd() % 10;
		if (s->p) {
			check_slot(s);
			if (op < 6) {
				heap_free(s->p);
				s->p = NULL;
				continue;
			}
			size_t n = pick_size(), keep = n < s->n ? n : s->n;
			unsigned char *q = heap_realloc(s->p, n ? n : 1);
			cr_assert(q, "realloc %zu", n);
			s->p = q, s->n = n ? n : 1;
			for (size_t i = 0; i < keep; i++)
				cr_assert_eq(q[i], (unsigned char)(s->fill + i));
			fill_slot(s);
		} else {
			size_t n = pick_size();
			if (op < 2) {
				s->p = heap_calloc(1, n);
				for (size_t i = 0; s->p && i < n; i++)
					cr_assert_eq(s->p[i], 0, "calloc byte %zu", i);
			} else if (op < 3) {
				size_t al = (size_t)16 << (rnd() % 9);
				s->p = heap_memalign(al, n);
				cr_assert(((uintptr_t)s->p & (al - 1)) == 0, "memalign %zu", al);
			} else {
				s->p = heap_alloc(n);
			}
			cr_assert(s->p, "alloc %zu", n);
			cr_assert(((uintptr_t)s->p & 15) == 0);
			cr_assert(heap_usable(s->p) >= n);
			s->n = n, s->fill = (unsigned char)rnd();
			fill_slot(s);
		}
	}
	for (int i = 0; i < NSLOTS; i++)
		if (slots[i].p) {
			check_slot(&slots[i]);
			heap_free(slots[i].p);
		}
	struct heap_stats st;
	heap_stats(&st);
	cr_assert_eq(st.in_use, 0);
	cr_assert_eq(st.nfree, 0, "everything merged back into the top");
	cr_assert_leq(st.arena, 2u << 20, "memory given back: %zu held", st.arena);
}

Test(heap, freeing_many_blocks_reuses_memory_and_grows_rarely)
{
	static void *p[20000];
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < 20000; i++)
			cr_assert((p[i] = heap_alloc(24 + i % 40)));
		for (int i = 0; i < 20000; i += 2)
			heap_free(p[i]);
		for (int i = 1; i < 20000; i += 2)
			heap_free(p[i]);
	}
	struct heap_stats st;
	heap_stats(&st);
	cr_assert_eq(st.in_use, 0);
	cr_assert_leq(calls, 12, "morecore called %zu times", calls);
}

Test(heap, calloc_zeroes_reused_memory)
{
	unsigned char *a = heap_alloc(1000);
	memset(a, 0xAB, 1000);
	heap_free(a);
	heap_alloc(8); /* keep a from merging into the top differently */
	unsigned char *b = heap_calloc(10, 100);
	for (int i = 0; i < 1000; i++)
		cr_assert_eq(b[i], 0);
	cr_assert_null(heap_calloc(SIZE_MAX / 2, 4), "overflow");
}

Test(heap, realloc_grows_in_place_into_the_top)
{
	char *a = heap_alloc(100);
	memset(a, 7, 100);
	char *b = heap_realloc(a, 100000);
	cr_assert_eq(a, b, "the top follows it: no copy");
	for (int i = 0; i < 100; i++)
		cr_assert_eq(b[i], 7);
}

Test(heap, out_of_memory_returns_null_and_recovers)
{
	brk_max = 4u << 20;
	cr_assert_null(heap_alloc(8u << 20));
	void *p = heap_alloc(1u << 20);
	cr_assert(p);
	cr_assert_null(heap_alloc(SIZE_MAX - 100));
	heap_free(p);
}

Test(heap, double_free_is_caught)
{
	void *a = heap_alloc(64), *b = heap_alloc(64);
	(void)b;
	heap_free(a);
	expect_corrupt = 1;
	if (!setjmp(on_corrupt)) {
		heap_free(a);
		cr_assert_fail("a double free went unnoticed");
	}
}

Test(heap, freeing_a_pointer_never_allocated_is_caught)
{
	char *a = heap_alloc(64);
	expect_corrupt = 1;
	if (!setjmp(on_corrupt)) {
		heap_free(a + 16);
		cr_assert_fail("a bad free went unnoticed");
	}
}

Test(heap, a_break_moved_by_someone_else_starts_a_new_region)
{
	void *a = heap_alloc(100);
	brk_off += 8192; /* a direct sbrk by the program */
	char *big = heap_alloc(512u << 10);
	cr_assert(big);
	cr_assert((char *)big > (char *)a + 8192);
	memset(big, 1, 512u << 10);
	heap_free(a);
	heap_free(big);
	void *c = heap_alloc(100);
	cr_assert(c);
}
