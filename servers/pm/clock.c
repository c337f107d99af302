/* The clock of clock.h. */
#include "clock.h"

#include <errno.h>

#define PAGE 4096ul

unsigned long clock_run(struct clock *c, const struct clock_ops *ops, unsigned long need,
                        unsigned long max_scan, int only)
{
	static uint8_t bits[CLOCK_WINDOW / 4];
	unsigned long freed = 0, scanned = 0, total = 0;
	int moves = 0; /* processes the hand moved past */
	if (ops->nprocs <= 0)
		return 0;
	if (only >= 0 && c->proc != only)
		*c = (struct clock){.proc = only};
	/* Two turns of the hand at most, wherever it starts: the first may
	 * only clear accessed bits. A turn is every page once. */
	for (int p = 0; p < ops->nprocs; p++) {
		uint64_t lo, hi;
		for (int k = 0; (only < 0 || p == only) && ops->range(ops->arg, p, k, &lo, &hi);
		     k++)
			total += hi > lo ? (hi - lo) / PAGE : 0;
	}
	if (max_scan > 2 * total)
		max_scan = 2 * total;
	while (freed < need && scanned < max_scan && moves <= 2 * ops->nprocs + 2) {
		uint64_t lo, hi;
		if (!ops->range(ops->arg, c->proc, c->range, &lo, &hi)) {
			if (only >= 0)
				moves += ops->nprocs; /* round its ranges again, then stop */
			else
				c->proc = (c->proc + 1) % ops->nprocs, moves++;
			c->range = 0, c->va = 0;
			continue;
		}
		uint64_t va = c->va > lo ? c->va : lo;
		if (va >= hi) {
			c->range++, c->va = 0;
			continue;
		}
		uint64_t n = (hi - va) / PAGE < CLOCK_WINDOW ? (hi - va) / PAGE : CLOCK_WINDOW;
		if (n > max_scan - scanned)
			n = max_scan - scanned;
		if (!n) { /* less than a page left in this range */
			c->range++, c->va = 0;
			continue;
		}
		long present = ops->age(ops->arg, c->proc, va, n, bits);
		scanned += n;
		c->va = va + n * PAGE;
		for (uint64_t i = 0; present > 0 && i < n && freed < need; i++) {
			unsigned b = (bits[i / 4] >> (2 * (i % 4))) & 3;
			if (b != 1) /* not in memory, or used since the hand passed */
				continue;
			long r = ops->evict(ops->arg, c->proc, va + i * PAGE);
			if (r == -EAGAIN || r == -ENOSPC) {
				c->va = va + i * PAGE; /* here again next time */
				return freed;
			}
			if ((freed += r == 0) >= need)
				return c->va = va + (i + 1) * PAGE, freed;
		}
	}
	return freed;
}
