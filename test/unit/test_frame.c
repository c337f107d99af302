/* The buddy frame allocator on a host buffer standing in for RAM. Under
 * HOST_TEST physical addresses are host addresses, so frames can be
 * written and read directly. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "errno.h"
#include "frame.h"

#define RAM_SIZE   (4UL << 20) /* 4 MiB: 1024 frames */
#define RAM_FRAMES (RAM_SIZE / PAGE_SIZE)

static uint8_t *ram;

static void ram_setup(void)
{
	ram = aligned_alloc(RAM_SIZE, RAM_SIZE);
	cr_assert_not_null(ram);
	memset(ram, 0, RAM_SIZE);
}

static void ram_teardown(void)
{
	free(ram);
}

TestSuite(frame, .init = ram_setup, .fini = ram_teardown);

static paddr_t base(void)
{
	return (paddr_t)(uintptr_t)ram;
}

static paddr_t frame_pa(uint64_t i)
{
	return base() + i * PAGE_SIZE;
}

static uint64_t frame_index(paddr_t pa)
{
	cr_assert_geq(pa, base(), "%#lx below RAM", (unsigned long)pa);
	cr_assert_lt(pa, base() + RAM_SIZE, "%#lx above RAM", (unsigned long)pa);
	cr_assert_eq((pa - base()) % PAGE_SIZE, 0, "%#lx not page-aligned", (unsigned long)pa);
	return (pa - base()) / PAGE_SIZE;
}

static struct frame_stats stats(void)
{
	struct frame_stats st;
	frame_get_stats(&st);
	return st;
}

static void assert_stats_eq(struct frame_stats a, struct frame_stats b)
{
	cr_assert_eq(a.total, b.total);
	cr_assert_eq(a.free, b.free, "free %lu, expected %lu", (unsigned long)a.free,
	             (unsigned long)b.free);
	cr_assert_eq(a.used, b.used, "used %lu, expected %lu", (unsigned long)a.used,
	             (unsigned long)b.used);
	cr_assert_eq(a.reserved, b.reserved);
}

static void init_plain(void)
{
	cr_assert_eq(frame_init(base(), RAM_SIZE, NULL, 0), 0);
}

/* Allocates single frames until none is left; checks each one is inside
 * RAM, page-aligned and not already handed out. Returns the count. */
static size_t alloc_all(paddr_t *out)
{
	static bool taken[RAM_FRAMES];
	memset(taken, 0, sizeof(taken));
	size_t n = 0;
	for (;;) {
		paddr_t pa = frame_alloc();
		if (!pa)
			break;
		uint64_t i = frame_index(pa);
		cr_assert_not(taken[i], "frame %lu handed out twice", (unsigned long)i);
		taken[i] = true;
		cr_assert_lt(n, RAM_FRAMES);
		out[n++] = pa;
	}
	return n;
}

static void free_all(const paddr_t *pas, size_t n)
{
	for (size_t k = 0; k < n; k++)
		cr_assert_eq(frame_free(pas[k]), 0);
}

static bool overlaps(paddr_t pa, uint64_t len, const struct dt_range *r)
{
	return pa < r->base + r->size && r->base < pa + len;
}

Test(frame, stats_after_init_add_up)
{
	init_plain();
	struct frame_stats st = stats();
	cr_assert_eq(st.total, RAM_FRAMES);
	cr_assert_eq(st.used, 0);
	cr_assert_eq(st.free + st.reserved, st.total);
	/* The descriptor array lives in managed RAM: a few pages, not zero. */
	cr_assert_geq(st.reserved, 1);
	cr_assert_lt(st.reserved, RAM_FRAMES / 32);
}

Test(frame, reserved_ranges_are_counted_as_reserved)
{
	init_plain();
	uint64_t desc = stats().reserved;
	struct dt_range resv[] = {
	    {frame_pa(256), 16 * PAGE_SIZE},     /* 16 whole frames */
	    {frame_pa(600) - 100, 200},          /* straddles frames 599 and 600 */
	    {frame_pa(700) + 8, 1},              /* one byte: still its whole frame */
	    {base() + RAM_SIZE, 64 * PAGE_SIZE}, /* outside RAM: no frame */
	};
	cr_assert_eq(frame_init(base(), RAM_SIZE, resv, 4), 0);
	struct frame_stats st = stats();
	cr_assert_eq(st.total, RAM_FRAMES);
	cr_assert_eq(st.reserved, desc + 16 + 2 + 1);
	cr_assert_eq(st.free + st.reserved, st.total);
	cr_assert_eq(st.used, 0);
}

Test(frame, reserved_range_is_never_returned_or_written)
{
	struct dt_range resv[] = {
	    {frame_pa(0), 16 * PAGE_SIZE},             /* like a kernel image */
	    {frame_pa(256) + 100, 16 * PAGE_SIZE + 1}, /* frames 256..272 */
	    {frame_pa(1023), PAGE_SIZE},               /* the last frame */
	};
	for (int k = 0; k < 3; k++)
		memset((void *)(uintptr_t)resv[k].base, 0x5A, resv[k].size);
	cr_assert_eq(frame_init(base(), RAM_SIZE, resv, 3), 0);
	struct frame_stats st = stats();
	cr_assert_geq(st.reserved, 16 + 17 + 1 + 1, "the ranges plus the descriptors");

	static paddr_t pas[RAM_FRAMES];
	size_t n = alloc_all(pas);
	cr_assert_eq(n, st.free);
	for (size_t i = 0; i < n; i++)
		for (int k = 0; k < 3; k++)
			cr_assert_not(overlaps(pas[i], PAGE_SIZE, &resv[k]),
			              "frame %#lx overlaps reserved range %d",
			              (unsigned long)pas[i], k);
	/* Neither the descriptors nor the zeroing of frames touched them. */
	for (int k = 0; k < 3; k++) {
		const uint8_t *p = (const uint8_t *)(uintptr_t)resv[k].base;
		for (uint64_t j = 0; j < resv[k].size; j++)
			cr_assert_eq(p[j], 0x5A, "reserved range %d written at +%lu", k,
			             (unsigned long)j);
	}
}

Test(frame, alloc_until_exhaustion_then_free_restores_stats)
{
	init_plain();
	struct frame_stats before = stats();
	static paddr_t pas[RAM_FRAMES];
	size_t n = alloc_all(pas);
	cr_assert_eq(n, before.free, "allocated %zu of %lu free frames", n,
	             (unsigned long)before.free);
	struct frame_stats full = stats();
	cr_assert_eq(full.free, 0);
	cr_assert_eq(full.used, n);
	cr_assert_eq(full.reserved, before.reserved);
	cr_assert_eq(frame_alloc(), 0, "an exhausted allocator returns 0");
	cr_assert_eq(frame_alloc_run(1), 0);
	assert_stats_eq(stats(), full);

	free_all(pas, n);
	assert_stats_eq(stats(), before);
	/* ... and everything is allocatable again. */
	cr_assert_eq(alloc_all(pas), n);
}

Test(frame, stats_track_each_alloc_and_free)
{
	init_plain();
	struct frame_stats s0 = stats();
	paddr_t a = frame_alloc(), b = frame_alloc();
	cr_assert_neq(a, 0);
	cr_assert_neq(b, 0);
	struct frame_stats s2 = stats();
	cr_assert_eq(s2.used, s0.used + 2);
	cr_assert_eq(s2.free, s0.free - 2);
	cr_assert_eq(frame_free(a), 0);
	struct frame_stats s1 = stats();
	cr_assert_eq(s1.used, s0.used + 1);
	cr_assert_eq(s1.free, s0.free - 1);
	cr_assert_eq(frame_free(b), 0);
	assert_stats_eq(stats(), s0);
}

Test(frame, frames_are_page_aligned_distinct_and_inside_ram)
{
	init_plain();
	paddr_t pas[64];
	for (int i = 0; i < 64; i++) {
		pas[i] = frame_alloc();
		cr_assert_neq(pas[i], 0);
		frame_index(pas[i]); /* asserts alignment and bounds */
		for (int j = 0; j < i; j++)
			cr_assert_neq(pas[i], pas[j]);
	}
}

Test(frame, frames_are_zeroed_even_after_reuse)
{
	init_plain();
	static paddr_t pas[RAM_FRAMES];
	size_t n = alloc_all(pas);
	for (size_t i = 0; i < n; i++)
		memset((void *)(uintptr_t)pas[i], 0xCC, PAGE_SIZE);
	free_all(pas, n);
	cr_assert_eq(alloc_all(pas), n);
	for (size_t i = 0; i < n; i++) {
		const uint8_t *p = (const uint8_t *)(uintptr_t)pas[i];
		for (size_t j = 0; j < PAGE_SIZE; j++)
			cr_assert_eq(p[j], 0, "frame %#lx byte %zu not zeroed",
			             (unsigned long)pas[i], j);
	}
}

Test(frame, runs_are_zeroed_even_after_reuse)
{
	init_plain();
	static paddr_t pas[RAM_FRAMES];
	size_t n = alloc_all(pas);
	for (size_t i = 0; i < n; i++)
		memset((void *)(uintptr_t)pas[i], 0xCC, PAGE_SIZE);
	free_all(pas, n);
	const size_t sizes[] = {17, 3, 64, 1};
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		paddr_t pa = frame_alloc_run(sizes[k]);
		cr_assert_neq(pa, 0);
		const uint8_t *p = (const uint8_t *)(uintptr_t)pa;
		for (size_t j = 0; j < sizes[k] * PAGE_SIZE; j++)
			cr_assert_eq(p[j], 0, "run of %zu: byte %zu not zeroed", sizes[k], j);
	}
}

Test(frame, double_free_is_detected)
{
	init_plain();
	paddr_t keep = frame_alloc();
	paddr_t pa = frame_alloc();
	cr_assert_neq(pa, 0);
	cr_assert_eq(frame_free(pa), 0);
	struct frame_stats st = stats();
	cr_assert_eq(frame_free(pa), -EINVAL);
	assert_stats_eq(stats(), st);
	cr_assert_eq(frame_free(pa), -EINVAL);
	assert_stats_eq(stats(), st);
	/* The other allocation is still intact and freeable once. */
	cr_assert_eq(frame_free(keep), 0);
	cr_assert_eq(frame_free(keep), -EINVAL);
}

Test(frame, double_free_does_not_hand_a_frame_out_twice)
{
	init_plain();
	paddr_t pa = frame_alloc();
	cr_assert_eq(frame_free(pa), 0);
	cr_assert_eq(frame_free(pa), -EINVAL);
	static paddr_t pas[RAM_FRAMES];
	size_t n = alloc_all(pas); /* asserts every frame is distinct */
	cr_assert_eq(n, stats().used);
}

Test(frame, foreign_and_unaligned_addresses_are_rejected)
{
	struct dt_range resv[] = {{frame_pa(512), 4 * PAGE_SIZE}};
	cr_assert_eq(frame_init(base(), RAM_SIZE, resv, 1), 0);
	paddr_t pa = frame_alloc();
	cr_assert_neq(pa, 0);
	struct frame_stats st = stats();

	cr_assert_eq(frame_free(0), -EINVAL);
	cr_assert_eq(frame_free(base() - PAGE_SIZE), -EINVAL);
	cr_assert_eq(frame_free(base() + RAM_SIZE), -EINVAL);
	cr_assert_eq(frame_free(base() + 64 * RAM_SIZE), -EINVAL);
	cr_assert_eq(frame_free(pa + 8), -EINVAL);
	cr_assert_eq(frame_free(pa + PAGE_SIZE / 2), -EINVAL);
	cr_assert_eq(frame_free(frame_pa(512)), -EINVAL, "a reserved frame");
	cr_assert_eq(frame_free(frame_pa(1000)), -EINVAL, "a free, never allocated frame");
	assert_stats_eq(stats(), st);
	cr_assert_eq(frame_free(pa), 0);
}

Test(frame, descriptor_pages_cannot_be_freed)
{
	init_plain();
	static paddr_t pas[RAM_FRAMES];
	size_t n = alloc_all(pas);
	static bool given[RAM_FRAMES];
	for (size_t i = 0; i < n; i++)
		given[frame_index(pas[i])] = true;
	struct frame_stats st = stats();
	uint64_t ndesc = 0;
	for (uint64_t i = 0; i < RAM_FRAMES; i++) {
		if (given[i])
			continue;
		ndesc++;
		cr_assert_eq(frame_free(frame_pa(i)), -EINVAL, "frame %lu", (unsigned long)i);
	}
	cr_assert_eq(ndesc, st.reserved);
	assert_stats_eq(stats(), st);
}

static uint64_t next_pow2(uint64_t n)
{
	uint64_t p = 1;
	while (p < n)
		p <<= 1;
	return p;
}

Test(frame, alloc_run_is_aligned_contiguous_and_exact)
{
	init_plain();
	static bool owned[RAM_FRAMES];
	/* Some single frames first, so runs do not start on a clean slate. */
	for (int i = 0; i < 5; i++)
		owned[frame_index(frame_alloc())] = true;

	const size_t sizes[] = {1, 3, 8, 17, 3, 17, 1, 8};
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		size_t n = sizes[k];
		struct frame_stats before = stats();
		paddr_t pa = frame_alloc_run(n);
		cr_assert_neq(pa, 0, "run of %zu", n);
		uint64_t align = next_pow2(n) * PAGE_SIZE;
		cr_assert_eq((pa - base()) % align, 0, "run of %zu at +%#lx not aligned to %#lx", n,
		             (unsigned long)(pa - base()), (unsigned long)align);
		uint64_t first = frame_index(pa);
		cr_assert_leq(first + n, RAM_FRAMES, "run of %zu ends outside RAM", n);
		for (size_t j = 0; j < n; j++) {
			cr_assert_not(owned[first + j], "run of %zu overlaps frame %lu", n,
			              (unsigned long)(first + j));
			owned[first + j] = true;
			const uint8_t *p = (const uint8_t *)(uintptr_t)(pa + j * PAGE_SIZE);
			for (size_t b = 0; b < PAGE_SIZE; b += 64)
				cr_assert_eq(p[b], 0);
			/* Scribble so that a later overlapping run would be noticed. */
			memset((void *)(uintptr_t)(pa + j * PAGE_SIZE), 0xEE, PAGE_SIZE);
		}
		struct frame_stats after = stats();
		cr_assert_eq(after.used, before.used + n, "run of %zu", n);
		cr_assert_eq(after.free, before.free - n, "run of %zu: the tail goes back", n);
		cr_assert_eq(after.reserved, before.reserved);
	}
}

Test(frame, alloc_run_tail_is_reusable)
{
	init_plain();
	paddr_t run = frame_alloc_run(3); /* takes a 4-frame block, gives one back */
	cr_assert_neq(run, 0);
	uint64_t first = frame_index(run);
	/* Exhaust the rest: the fourth frame of the block must be among them. */
	static paddr_t pas[RAM_FRAMES];
	size_t n = alloc_all(pas);
	bool found = false;
	for (size_t i = 0; i < n; i++) {
		uint64_t f = frame_index(pas[i]);
		cr_assert(f < first || f >= first + 3, "frame %lu of the run handed out again",
		          (unsigned long)f);
		found |= f == first + 3;
	}
	cr_assert(found, "the unused tail frame was not given back");
}

Test(frame, alloc_run_of_zero_or_too_many_pages_returns_0)
{
	init_plain();
	struct frame_stats st = stats();
	cr_assert_eq(frame_alloc_run(0), 0);
	cr_assert_eq(frame_alloc_run(RAM_FRAMES), 0, "descriptors take part of RAM");
	cr_assert_eq(frame_alloc_run(RAM_FRAMES * 4), 0);
	cr_assert_eq(frame_alloc_run((size_t)1 << 40), 0);
	assert_stats_eq(stats(), st);
}

Test(frame, free_run_returns_every_page)
{
	init_plain();
	struct frame_stats st = stats();
	paddr_t pa = frame_alloc_run(17);
	cr_assert_neq(pa, 0);
	cr_assert_eq(frame_free_run(pa, 17), 0);
	assert_stats_eq(stats(), st);
	cr_assert_eq(frame_free(pa), -EINVAL);
	cr_assert_eq(frame_free(pa + 16 * PAGE_SIZE), -EINVAL);
}

Test(frame, free_run_with_one_page_not_allocated_frees_nothing)
{
	init_plain();
	paddr_t pa = frame_alloc_run(8);
	cr_assert_neq(pa, 0);
	cr_assert_eq(frame_free(pa + 5 * PAGE_SIZE), 0);
	struct frame_stats st = stats();
	cr_assert_eq(frame_free_run(pa, 8), -EINVAL);
	assert_stats_eq(stats(), st);
	/* The seven other pages are all still allocated: each frees once. */
	for (int j = 0; j < 8; j++)
		if (j != 5)
			cr_assert_eq(frame_free(pa + (uint64_t)j * PAGE_SIZE), 0, "page %d", j);
}

Test(frame, free_run_past_the_run_frees_nothing)
{
	init_plain();
	paddr_t pa = frame_alloc_run(3); /* frame 4 of its block is free */
	cr_assert_neq(pa, 0);
	struct frame_stats st = stats();
	cr_assert_eq(frame_free_run(pa, 4), -EINVAL);
	cr_assert_eq(frame_free_run(pa + 8, 3), -EINVAL, "unaligned start");
	assert_stats_eq(stats(), st);
	cr_assert_eq(frame_free_run(pa, 3), 0);
}

/* Takes runs of decreasing power-of-two sizes until nothing is left;
 * counts[k] receives how many runs of 2^k pages were obtained. Frees them
 * all again before returning. Returns the largest order obtained. */
static int greedy_blocks(int counts[FRAME_MAX_ORDER + 1])
{
	static paddr_t runs[RAM_FRAMES];
	static size_t lens[RAM_FRAMES];
	size_t nruns = 0;
	int largest = -1;
	for (int k = FRAME_MAX_ORDER; k >= 0; k--) {
		counts[k] = 0;
		paddr_t pa;
		while ((pa = frame_alloc_run((size_t)1 << k)) != 0) {
			counts[k]++;
			runs[nruns] = pa;
			lens[nruns++] = (size_t)1 << k;
			if (largest < 0)
				largest = k;
		}
	}
	cr_assert_eq(stats().free, 0);
	for (size_t r = 0; r < nruns; r++)
		cr_assert_eq(frame_free_run(runs[r], lens[r]), 0);
	return largest;
}

Test(frame, freeing_everything_coalesces_back_to_the_largest_blocks)
{
	init_plain();
	struct frame_stats st = stats();
	int fresh[FRAME_MAX_ORDER + 1];
	int largest = greedy_blocks(fresh);
	cr_assert_geq(largest, 9, "4 MiB minus a few descriptor pages holds a 2 MiB block");
	assert_stats_eq(stats(), st);

	/* Fragment completely: every frame out, then back in a scrambled order. */
	static paddr_t pas[RAM_FRAMES];
	size_t n = alloc_all(pas);
	uint64_t x = 12345;
	for (size_t i = n - 1; i > 0; i--) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		size_t j = (size_t)(x >> 33) % (i + 1);
		paddr_t t = pas[i];
		pas[i] = pas[j];
		pas[j] = t;
	}
	free_all(pas, n);
	assert_stats_eq(stats(), st);

	paddr_t big = frame_alloc_run((size_t)1 << largest);
	cr_assert_neq(big, 0, "no run of 2^%d pages after freeing everything", largest);
	cr_assert_eq((big - base()) % (PAGE_SIZE << largest), 0);
	cr_assert_eq(frame_alloc_run((size_t)1 << (largest + 1)), 0);
	cr_assert_eq(frame_free_run(big, (size_t)1 << largest), 0);

	int again[FRAME_MAX_ORDER + 1];
	cr_assert_eq(greedy_blocks(again), largest);
	for (int k = 0; k <= FRAME_MAX_ORDER; k++)
		cr_assert_eq(again[k], fresh[k], "order %d: %d blocks, %d when fresh", k, again[k],
		             fresh[k]);
}

Test(frame, init_rejects_unaligned_base_and_tiny_ram)
{
	cr_assert_eq(frame_init(base() + 8, RAM_SIZE - PAGE_SIZE, NULL, 0), -EINVAL);
	cr_assert_eq(frame_init(base() + PAGE_SIZE / 2, RAM_SIZE - PAGE_SIZE, NULL, 0), -EINVAL);
	cr_assert_eq(frame_init(base(), PAGE_SIZE - 1, NULL, 0), -EINVAL);
	cr_assert_eq(frame_init(base(), 0, NULL, 0), -EINVAL);
}

Test(frame, init_ignores_a_partial_last_frame)
{
	cr_assert_eq(frame_init(base(), RAM_SIZE - 100, NULL, 0), 0);
	struct frame_stats st = stats();
	cr_assert_eq(st.total, RAM_FRAMES - 1);
	static paddr_t pas[RAM_FRAMES];
	size_t n = alloc_all(pas);
	cr_assert_eq(n, st.free);
	for (size_t i = 0; i < n; i++)
		cr_assert_neq(frame_index(pas[i]), RAM_FRAMES - 1);
}

Test(frame, init_fails_without_room_for_descriptors)
{
	struct dt_range all[] = {{base(), RAM_SIZE}};
	cr_assert_eq(frame_init(base(), RAM_SIZE, all, 1), -ENOMEM);
	/* Every other frame reserved: no two contiguous frames anywhere. */
	static struct dt_range holes[RAM_FRAMES / 2];
	for (uint64_t i = 0; i < RAM_FRAMES / 2; i++)
		holes[i] = (struct dt_range){frame_pa(2 * i), PAGE_SIZE};
	cr_assert_eq(frame_init(base(), RAM_SIZE, holes, (int)(RAM_FRAMES / 2)), -ENOMEM);
}

Test(frame, descriptors_go_after_a_reserved_start)
{
	/* The first 8 frames are taken (a kernel image, say), then a run too
	 * short for the descriptors, then free memory. */
	struct dt_range resv[] = {{frame_pa(0), 8 * PAGE_SIZE}, {frame_pa(9), PAGE_SIZE}};
	memset(ram, 0x77, 10 * PAGE_SIZE);
	cr_assert_eq(frame_init(base(), RAM_SIZE, resv, 2), 0);
	for (uint64_t j = 0; j < 8 * PAGE_SIZE; j++)
		cr_assert_eq(ram[j], 0x77, "reserved byte %lu overwritten", (unsigned long)j);
	for (uint64_t j = 9 * PAGE_SIZE; j < 10 * PAGE_SIZE; j++)
		cr_assert_eq(ram[j], 0x77, "reserved byte %lu overwritten", (unsigned long)j);
	static paddr_t pas[RAM_FRAMES];
	size_t n = alloc_all(pas);
	cr_assert_eq(n, stats().used);
	cr_assert_eq(stats().free, 0);
}

Test(frame, reinit_over_old_descriptors_starts_clean)
{
	/* frame_init must not trust what RAM held before: here, the
	 * descriptors of an earlier run of the allocator over the same RAM
	 * (as after a warm restart), with two frames handed out. */
	init_plain();
	struct frame_stats fresh = stats();
	cr_assert_neq(frame_alloc(), 0);
	cr_assert_neq(frame_alloc(), 0);

	init_plain();
	assert_stats_eq(stats(), fresh);
	static paddr_t pas[RAM_FRAMES];
	size_t n = alloc_all(pas); /* asserts every frame is distinct */
	cr_assert_eq(n, fresh.free, "allocated %zu frames, %lu were free", n,
	             (unsigned long)fresh.free);
	cr_assert_eq(stats().free, 0);
	cr_assert_eq(stats().used, n);
}

/* Copy-on-write and shared memory count a frame's mappings: every
 * frame_share is one more reference, frame_free drops one, and only the
 * last returns the frame; a frame no one else maps is not "shared". */
Test(frame, shared_frames_count_their_mappings)
{
	init_plain();
	struct frame_stats s0 = stats();
	paddr_t pa = frame_alloc();
	cr_assert_neq(pa, 0);
	cr_assert(!frame_shared(pa), "one mapping: not shared");
	cr_assert_eq(frame_share(pa), 0);
	cr_assert_eq(frame_share(pa), 0);
	cr_assert(frame_shared(pa), "three mappings");
	cr_assert_eq(frame_free(pa), 0);
	cr_assert_eq(stats().free, s0.free - 1, "still held by two");
	cr_assert_eq(frame_free(pa), 0);
	cr_assert(!frame_shared(pa), "the last mapping keeps it alone (cow_reused)");
	cr_assert_eq(stats().free, s0.free - 1);
	cr_assert_eq(frame_free(pa), 0);
	cr_assert_eq(stats().free, s0.free, "the last reference frees it");
	cr_assert_eq(frame_free(pa), -EINVAL, "and a free frame cannot be freed again");
	cr_assert_eq(frame_share(pa), -EBUSY, "nor shared");
}

Test(frame, sharing_stops_at_256_mappings)
{
	init_plain();
	paddr_t pa = frame_alloc();
	int shares = 0;
	while (frame_share(pa) == 0)
		shares++;
	cr_assert_eq(shares, 255, "256 mappings in all, then -EBUSY (the caller copies)");
	cr_assert_eq(frame_share(pa), -EBUSY);
	for (int i = 0; i <= shares; i++)
		cr_assert_eq(frame_free(pa), 0);
	cr_assert_eq(frame_free(pa), -EINVAL, "exactly as many frees as mappings");
}
