/* servers/pm/clock.c: the page-replacement clock, over a fake memory of
 * a few processes with ranges of pages, each page present or not and
 * accessed or not. The fake age op reports and clears the accessed bits
 * the way the kernel's VMP_AGE does; the fake evict op takes pages out,
 * records the order, and can refuse (-EAGAIN/-ENOSPC after K pages,
 * -EBUSY or another error for chosen pages). */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "../../servers/pm/clock.h"

#define NPROC 4
#define NPG   (CLOCK_WINDOW + 128) /* pages in a fake process */
#define NRNG  4
#define PG    4096ull
#define BASE  0x40000000ull
#define MAXEV 512

/* A page as (process, index): recorded orders hold ID(p, i). */
#define ID(p, i) ((p)*100000 + (i))

static struct {
	int nr[NPROC];
	int lo[NPROC][NRNG], hi[NPROC][NRNG]; /* page indices, hi exclusive */
	bool out[NPROC];                      /* takes no part */
	bool age_fails[NPROC];
	bool present[NPROC][NPG], accessed[NPROC][NPG];
	long err[NPROC][NPG]; /* evict returns this for the page (-EBUSY...) */
	unsigned char looks[NPROC][NPG];
	unsigned long aged; /* pages looked at */
	int age_calls;
	uint64_t max_n;
	long stop_err; /* once nev reaches stop_after, evict returns stop_err */
	int stop_after;
	int nev, ev[MAXEV];     /* pages taken, in order */
	int ntry, tries[MAXEV]; /* every evict call, in order */
} F;

static struct clock_ops ops;
static struct clock hand;

static uint64_t va_of(int i)
{
	return BASE + (uint64_t)i * PG;
}

/* The index of va in process p, checking it is a page of one of p's ranges. */
static int page_of(int p, uint64_t va)
{
	cr_assert_eq((va - BASE) % PG, 0, "va %#llx not a page", (unsigned long long)va);
	cr_assert_geq(va, BASE);
	int i = (int)((va - BASE) / PG);
	for (int k = 0; k < F.nr[p]; k++)
		if (i >= F.lo[p][k] && i < F.hi[p][k])
			return i;
	cr_assert_fail("page %d is in none of process %d's ranges", i, p);
	return -1;
}

static bool f_range(void *arg, int p, int k, uint64_t *lo, uint64_t *hi)
{
	cr_assert_eq(arg, &F);
	cr_assert(p >= 0 && p < ops.nprocs, "process %d", p);
	cr_assert_geq(k, 0);
	if (F.out[p] || k >= F.nr[p])
		return false;
	*lo = va_of(F.lo[p][k]), *hi = va_of(F.hi[p][k]);
	return true;
}

static long f_age(void *arg, int p, uint64_t va, uint64_t n, uint8_t *bits)
{
	cr_assert_eq(arg, &F);
	cr_assert(p >= 0 && p < ops.nprocs && !F.out[p], "aged process %d", p);
	cr_assert(n >= 1 && n <= CLOCK_WINDOW, "n %llu", (unsigned long long)n);
	int i0 = page_of(p, va);
	page_of(p, va + (n - 1) * PG); /* the window stays in the range (no gaps in ours) */
	F.age_calls++;
	F.aged += n;
	if (n > F.max_n)
		F.max_n = n;
	if (F.age_fails[p])
		return -EIO;
	/* past the n pages: what looks like pages to take, so reading them shows */
	memset(bits, 0x55, CLOCK_WINDOW / 4);
	memset(bits, 0, (n + 3) / 4);
	long present = 0;
	for (uint64_t j = 0; j < n; j++) {
		int i = i0 + (int)j;
		bool pr = F.present[p][i], ac = pr && F.accessed[p][i];
		bits[j / 4] |= (uint8_t)((pr | ac << 1) << (2 * (j % 4)));
		F.accessed[p][i] = false;
		if (F.looks[p][i] < 255)
			F.looks[p][i]++;
		present += pr;
	}
	return present;
}

static long f_evict(void *arg, int p, uint64_t va)
{
	cr_assert_eq(arg, &F);
	cr_assert(p >= 0 && p < ops.nprocs && !F.out[p], "evicted from process %d", p);
	int i = page_of(p, va);
	cr_assert(F.present[p][i], "page %d of %d taken but not in memory", i, p);
	cr_assert_not(F.accessed[p][i], "page %d of %d taken though used", i, p);
	cr_assert_lt(F.ntry, MAXEV);
	F.tries[F.ntry++] = ID(p, i);
	if (F.err[p][i])
		return F.err[p][i];
	if (F.stop_err && F.nev >= F.stop_after)
		return F.stop_err;
	F.present[p][i] = false;
	F.ev[F.nev++] = ID(p, i);
	return 0;
}

static void setup(int nprocs)
{
	memset(&F, 0, sizeof(F));
	ops = (struct clock_ops){
	    .nprocs = nprocs, .range = f_range, .age = f_age, .evict = f_evict, .arg = &F};
	hand = (struct clock){0};
}

/* Gives process p the pages [lo, hi), all in memory, none used. */
static void add_range(int p, int lo, int hi)
{
	cr_assert_lt(F.nr[p], NRNG);
	F.lo[p][F.nr[p]] = lo, F.hi[p][F.nr[p]] = hi, F.nr[p]++;
	for (int i = lo; i < hi; i++)
		F.present[p][i] = true;
}

static unsigned long run(unsigned long need, unsigned long max_scan, int only)
{
	return clock_run(&hand, &ops, need, max_scan, only);
}

/* The pages taken since *from, in order, are the n in want. */
static void expect_ev(int *from, const int *want, int n)
{
	cr_assert_eq(F.nev - *from, n, "%d pages taken, expected %d", F.nev - *from, n);
	for (int j = 0; j < n; j++)
		cr_assert_eq(F.ev[*from + j], want[j], "taken #%d: %d, expected %d", *from + j,
		             F.ev[*from + j], want[j]);
	*from = F.nev;
}

#define EXPECT(from, ...)                                                                          \
	do {                                                                                       \
		const int w_[] = {__VA_ARGS__};                                                    \
		expect_ev(from, w_, (int)(sizeof(w_) / sizeof(w_[0])));                            \
	} while (0)

#define LOTS 1000000ul /* a scan budget that is never the limit */

/* --- second chance ------------------------------------------------------------------- */

Test(clock, used_pages_get_a_second_chance)
{
	setup(1);
	add_range(0, 0, 16);
	F.present[0][8] = F.present[0][12] = false; /* never brought in */
	const int used[] = {0, 3, 5, 6, 10};
	for (unsigned j = 0; j < sizeof(used) / sizeof(used[0]); j++)
		F.accessed[0][used[j]] = true;
	int from = 0;
	cr_assert_eq(run(9, LOTS, -1), 9);
	EXPECT(&from, 1, 2, 4, 7, 9, 11, 13, 14, 15);
	for (unsigned j = 0; j < sizeof(used) / sizeof(used[0]); j++)
		cr_assert(F.present[0][used[j]], "used page %d taken", used[j]);
	cr_assert_eq(F.ntry, 9, "only unused pages are tried");
}

Test(clock, all_used_first_turn_clears_second_takes)
{
	setup(2);
	add_range(0, 0, 6);
	add_range(1, 20, 26);
	for (int i = 0; i < 6; i++)
		F.accessed[0][i] = F.accessed[1][20 + i] = true;
	int from = 0;
	cr_assert_eq(run(8, LOTS, -1), 8);
	EXPECT(&from, ID(0, 0), ID(0, 1), ID(0, 2), ID(0, 3), ID(0, 4), ID(0, 5), ID(1, 20),
	       ID(1, 21));
	for (int i = 0; i < 6; i++) {
		cr_assert_eq(F.looks[0][i], 2, "page %d looked at %d times", i, F.looks[0][i]);
		cr_assert_eq(F.looks[1][20 + i], 2);
	}
}

/* However little comes of it, the hand goes round at most twice. */
Test(clock, at_most_two_turns)
{
	setup(3);
	add_range(0, 0, 5);
	add_range(1, 0, 3);
	add_range(1, 10, 12);
	add_range(2, 7, 9);
	for (int p = 0; p < 3; p++)
		for (int i = 0; i < 12; i++)
			F.accessed[p][i] = F.present[p][i], F.err[p][i] = -EBUSY;
	cr_assert_eq(run(5, LOTS, -1), 0);
	cr_assert_eq(F.nev, 0);
	int pages = 0;
	for (int p = 0; p < 3; p++)
		for (int i = 0; i < 12; i++)
			if (F.present[p][i]) {
				pages++;
				cr_assert_leq(F.looks[p][i], 2, "page %d of %d looked at %d times",
				              i, p, F.looks[p][i]);
			}
	cr_assert_eq(pages, 12);
	cr_assert_leq(F.aged, 2 * 12);
	cr_assert_leq(F.ntry, 12, "each busy page tried once (second turn), tried %d", F.ntry);
}

Test(clock, at_most_two_turns_of_one_process)
{
	setup(3);
	add_range(0, 0, 4);
	add_range(1, 0, 4);
	add_range(1, 6, 8);
	add_range(2, 0, 4);
	for (int i = 0; i < 8; i++)
		F.accessed[1][i] = F.present[1][i];
	F.err[1][1] = -EBUSY;
	cr_assert_eq(run(10, LOTS, 1), 5, "all of process 1's pages but the busy one");
	for (int i = 0; i < 8; i++)
		cr_assert_leq(F.looks[1][i], 2, "page %d looked at %d times", i, F.looks[1][i]);
	cr_assert_eq(F.ntry, 6);
}

/* Two turns counted from wherever the hand is, not from a process's
 * start: a hand in the middle of the memory still gives every page its
 * two looks, and a run that needs them all takes them all. */
Test(clock, two_turns_from_a_hand_in_the_middle)
{
	setup(1);
	add_range(0, 0, 8);
	F.stop_err = -EAGAIN, F.stop_after = 3;
	cr_assert_eq(run(8, LOTS, -1), 3);
	F.stop_err = 0; /* the hand is at page 3 */
	for (int i = 0; i < 8; i++)
		F.present[0][i] = F.accessed[0][i] = true;
	cr_assert_eq(run(8, LOTS, -1), 8);
	for (int i = 0; i < 8; i++)
		cr_assert_not(F.present[0][i], "page %d left", i);
}

Test(clock, no_processes_takes_nothing)
{
	setup(0);
	cr_assert_eq(run(4, LOTS, -1), 0);
	cr_assert_eq(F.age_calls, 0);
}

/* --- approximating LRU --------------------------------------------------------------- */

Test(clock, page_touched_between_runs_survives)
{
	setup(1);
	add_range(0, 0, 8);
	int from = 0;
	cr_assert_eq(run(3, LOTS, -1), 3);
	EXPECT(&from, 0, 1, 2);
	F.accessed[0][4] = true; /* the program touches page 4 */
	cr_assert_eq(run(3, LOTS, -1), 3);
	EXPECT(&from, 3, 5, 6);
	cr_assert(F.present[0][4]);
	cr_assert(F.present[0][7]);
}

/* A page in use all along outlives every other. */
Test(clock, hot_page_outlives_the_rest)
{
	setup(2);
	add_range(0, 0, 10);
	add_range(1, 0, 6);
	for (int r = 0; r < 15; r++) {
		F.accessed[0][7] = true;
		cr_assert_eq(run(1, LOTS, -1), 1, "run %d", r);
		cr_assert(F.present[0][7], "hot page taken in run %d", r);
	}
	for (int p = 0; p < 2; p++)
		for (int i = 0; i < 10; i++)
			cr_assert_eq(F.present[p][i], p == 0 && i == 7, "page %d of %d", i, p);
	/* left alone, it goes too */
	cr_assert_eq(run(1, LOTS, -1), 1);
	cr_assert_not(F.present[0][7]);
	cr_assert_eq(run(1, LOTS, -1), 0, "nothing left");
}

/* --- the hand ------------------------------------------------------------------------ */

Test(clock, hand_resumes_across_ranges_and_processes)
{
	setup(3);
	add_range(0, 0, 4);
	add_range(0, 10, 14);
	add_range(1, 0, 3);
	add_range(2, 5, 7);
	int from = 0;
	cr_assert_eq(run(3, LOTS, -1), 3);
	EXPECT(&from, ID(0, 0), ID(0, 1), ID(0, 2));
	cr_assert_eq(run(3, LOTS, -1), 3);
	EXPECT(&from, ID(0, 3), ID(0, 10), ID(0, 11));
	cr_assert_eq(run(3, LOTS, -1), 3);
	EXPECT(&from, ID(0, 12), ID(0, 13), ID(1, 0));
	cr_assert_eq(run(1, LOTS, -1), 1);
	EXPECT(&from, ID(1, 1));
	cr_assert_eq(run(3, LOTS, -1), 3);
	EXPECT(&from, ID(1, 2), ID(2, 5), ID(2, 6));
	cr_assert_eq(run(3, LOTS, -1), 0, "all taken");
	/* pages brought back in are found when the hand comes round */
	F.present[1][1] = F.present[0][11] = true;
	cr_assert_eq(run(3, LOTS, -1), 2);
	EXPECT(&from, ID(0, 11), ID(1, 1));
}

/* The hand stops after the last page it took: the used pages it passed
 * on the way had their second chance cleared, and are not the first
 * to go next time -- the pages after the hand are. */
Test(clock, hand_does_not_go_back_over_passed_pages)
{
	setup(1);
	add_range(0, 0, 8);
	F.accessed[0][0] = F.accessed[0][1] = true;
	int from = 0;
	cr_assert_eq(run(2, LOTS, -1), 2);
	EXPECT(&from, 2, 3);
	cr_assert_eq(run(2, LOTS, -1), 2);
	EXPECT(&from, 4, 5);
	cr_assert(F.present[0][0] && F.present[0][1],
	          "passed pages taken before the hand came round");
}

Test(clock, hand_goes_by_windows)
{
	setup(1);
	add_range(0, 0, CLOCK_WINDOW + 100);
	for (int i = 0; i < CLOCK_WINDOW; i++)
		F.accessed[0][i] = true;
	int from = 0;
	/* one look per window, no bigger than CLOCK_WINDOW: the first clears
	 * the used pages, the second holds the unused ones */
	cr_assert_eq(run(1, LOTS, -1), 1);
	EXPECT(&from, CLOCK_WINDOW);
	cr_assert_eq(F.age_calls, 2);
	cr_assert_eq(F.max_n, CLOCK_WINDOW);
	cr_assert_eq(F.aged, CLOCK_WINDOW + 100);
	cr_assert_eq(run(1, LOTS, -1), 1);
	EXPECT(&from, CLOCK_WINDOW + 1);
	/* the rest of the second window, then round to the first, whose
	 * pages have not been used since */
	cr_assert_eq(run(100, LOTS, -1), 100);
	cr_assert_eq(F.ev[from + 97], CLOCK_WINDOW + 99);
	cr_assert_eq(F.ev[from + 98], 0);
	cr_assert_eq(F.ev[from + 99], 1);
	cr_assert_eq(F.max_n, CLOCK_WINDOW);
}

/* --- evict's answers ----------------------------------------------------------------- */

static void stop_then_retry(long err)
{
	setup(2);
	add_range(0, 0, 4);
	add_range(1, 0, 6);
	F.stop_err = err, F.stop_after = 5;
	int from = 0;
	cr_assert_eq(run(8, LOTS, -1), 5, "stops at the refusal");
	EXPECT(&from, ID(0, 0), ID(0, 1), ID(0, 2), ID(0, 3), ID(1, 0));
	cr_assert_eq(F.ntry, 6, "nothing tried after the refusal");
	cr_assert_eq(F.tries[5], ID(1, 1));
	/* still refusing: the same page again, and only it */
	cr_assert_eq(run(2, LOTS, -1), 0);
	cr_assert_eq(F.ntry, 7);
	cr_assert_eq(F.tries[6], ID(1, 1));
	F.stop_err = 0;
	cr_assert_eq(run(2, LOTS, -1), 2);
	cr_assert_eq(F.tries[7], ID(1, 1), "the refused page comes first");
	EXPECT(&from, ID(1, 1), ID(1, 2));
}

Test(clock, eagain_stops_and_the_page_comes_first_next_time)
{
	stop_then_retry(-EAGAIN);
}

Test(clock, enospc_stops_and_the_page_comes_first_next_time)
{
	stop_then_retry(-ENOSPC);
}

Test(clock, refused_on_first_page)
{
	setup(1);
	add_range(0, 3, 9);
	F.stop_err = -EAGAIN, F.stop_after = 0;
	cr_assert_eq(run(4, LOTS, -1), 0);
	cr_assert_eq(F.ntry, 1);
	F.stop_err = 0;
	int from = 0;
	cr_assert_eq(run(2, LOTS, -1), 2);
	EXPECT(&from, 3, 4);
}

Test(clock, other_errors_skip_just_that_page)
{
	setup(1);
	add_range(0, 0, 8);
	F.err[0][1] = -EBUSY;
	F.err[0][4] = -ENOMEM;
	int from = 0;
	cr_assert_eq(run(4, LOTS, -1), 4);
	EXPECT(&from, 0, 2, 3, 5);
	cr_assert_eq(F.ntry, 6);
	cr_assert_eq(F.tries[1], 1);
	cr_assert_eq(F.tries[4], 4);
	cr_assert(F.present[0][1] && F.present[0][4]);
	/* a need no page can meet: every takeable one goes, the busy stay */
	cr_assert_eq(run(10, LOTS, -1), 2);
	EXPECT(&from, 6, 7);
	cr_assert(F.present[0][1] && F.present[0][4]);
}

/* --- what takes part ----------------------------------------------------------------- */

Test(clock, only_one_process)
{
	setup(3);
	for (int p = 0; p < 3; p++)
		add_range(p, 0, 4);
	add_range(1, 8, 10);
	int from = 0;
	cr_assert_eq(run(3, LOTS, 1), 3);
	EXPECT(&from, ID(1, 0), ID(1, 1), ID(1, 2));
	cr_assert_eq(run(10, LOTS, 1), 3, "the rest of process 1, and no more");
	EXPECT(&from, ID(1, 3), ID(1, 8), ID(1, 9));
	for (int i = 0; i < 4; i++) {
		cr_assert_eq(F.looks[0][i], 0, "process 0 looked at");
		cr_assert_eq(F.looks[2][i], 0, "process 2 looked at");
		cr_assert(F.present[0][i] && F.present[2][i]);
	}
	cr_assert_eq(run(2, LOTS, 2), 2);
	EXPECT(&from, ID(2, 0), ID(2, 1));
}

Test(clock, max_scan_bounds_the_pages_looked_at)
{
	setup(1);
	add_range(0, 0, 64);
	for (int i = 0; i < 64; i++)
		F.accessed[0][i] = true;
	cr_assert_eq(run(10, 10, -1), 0);
	cr_assert_leq(F.aged, 10, "looked at %lu pages", F.aged);
	cr_assert_geq(F.aged, 1);
	for (int i = 10; i < 64; i++)
		cr_assert(F.accessed[0][i], "page %d looked at", i);
}

Test(clock, max_scan_bounds_the_pages_taken)
{
	setup(2);
	add_range(0, 0, 3);
	add_range(0, 5, 40);
	add_range(1, 0, 40);
	int from = 0;
	cr_assert_eq(run(100, 10, -1), 10);
	EXPECT(&from, 0, 1, 2, 5, 6, 7, 8, 9, 10, 11);
	cr_assert_leq(F.aged, 10);
	/* and the next run carries on from there */
	cr_assert_eq(run(2, 10, -1), 2);
	EXPECT(&from, 12, 13);
}

Test(clock, processes_out_take_no_part)
{
	setup(4);
	add_range(0, 0, 4);
	add_range(1, 0, 4);
	add_range(3, 0, 2);
	F.out[0] = F.out[3] = true; /* f_age and f_evict fail if they are asked */
	/* process 2 has no ranges at all */
	int from = 0;
	cr_assert_eq(run(10, LOTS, -1), 4);
	EXPECT(&from, ID(1, 0), ID(1, 1), ID(1, 2), ID(1, 3));
	F.out[3] = false;
	cr_assert_eq(run(10, LOTS, -1), 2);
	EXPECT(&from, ID(3, 0), ID(3, 1));
}

Test(clock, failed_look_takes_nothing_there)
{
	setup(2);
	add_range(0, 0, 4);
	add_range(1, 0, 4);
	F.age_fails[0] = true;
	int from = 0;
	cr_assert_eq(run(10, LOTS, -1), 4);
	EXPECT(&from, ID(1, 0), ID(1, 1), ID(1, 2), ID(1, 3));
}

Test(clock, need_zero_takes_nothing)
{
	setup(2);
	add_range(0, 0, 4);
	add_range(1, 0, 4);
	cr_assert_eq(run(0, LOTS, -1), 0);
	cr_assert_eq(run(4, 0, -1), 0, "no scan budget");
	cr_assert_eq(F.age_calls, 0);
	cr_assert_eq(F.ntry, 0);
	/* and the hand did not move */
	int from = 0;
	cr_assert_eq(run(1, LOTS, -1), 1);
	EXPECT(&from, ID(0, 0));
	cr_assert_eq(run(0, LOTS, 1), 0);
	cr_assert_eq(F.age_calls, 1);
	cr_assert_eq(F.ntry, 1);
}
