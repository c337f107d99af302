/* The page-replacement clock (clock.c): a hand that walks every
 * process's private memory, a window of pages at a time, and takes the
 * pages not accessed since it last passed (the accessed bit, read and
 * cleared by each look: second chance). Pure policy, tested on the host
 * with fake processes; swap.c gives it the real operations. */
#ifndef PM_CLOCK_H
#define PM_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

#define CLOCK_WINDOW 4096 /* pages one look covers (VMP_AGE_MAX) */

struct clock_ops {
	int nprocs;
	/* Process i's k-th range of private memory: false past the last, or
	 * if process i takes no part. */
	bool (*range)(void *arg, int proc, int k, uint64_t *lo, uint64_t *hi);
	/* Looks at n pages from va: bits gets 2 per page (bit 0 in memory,
	 * bit 1 accessed since the last look, which the look clears); the
	 * number in memory, or < 0. */
	long (*age)(void *arg, int proc, uint64_t va, uint64_t n, uint8_t *bits);
	/* Takes the page out: 0, -EAGAIN (not now: stop), -ENOSPC (no room:
	 * stop), other -errno (skip this page). */
	long (*evict)(void *arg, int proc, uint64_t va);
	void *arg;
};

struct clock {
	int proc, range; /* the hand */
	uint64_t va;
};

/* Takes up to need pages, looking at no more than max_scan pages and
 * going round at most twice; only >= 0: that process alone. How many it
 * took. */
unsigned long clock_run(struct clock *c, const struct clock_ops *ops, unsigned long need,
                        unsigned long max_scan, int only);

#endif
