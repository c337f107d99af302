/* The address ranges mmap has handed out, each with its protection:
 * sorted, non-overlapping, neighbours with equal protection merged. Pure
 * bookkeeping (lib/mmregion.c), tested on the host; lib/mman.c maps. */
#ifndef MICA_MMREGION_H
#define MICA_MMREGION_H

#include <stdbool.h>
#include <stdint.h>

#define MR_MAX 128 /* distinct ranges; more fail with -ENOMEM */

struct mm_range {
	uint64_t lo, hi; /* [lo, hi), page-aligned */
	int prot;        /* PROT_* as mmap was given them */
};

struct mm_regions {
	uint64_t base, top; /* the window ranges are placed in, [base, top) */
	int n;
	struct mm_range r[MR_MAX];
};

void mr_init(struct mm_regions *m, uint64_t base, uint64_t top);
/* The highest free gap of len bytes in the window: its start, or 0. */
uint64_t mr_find_gap(const struct mm_regions *m, uint64_t len);
/* [lo, hi) becomes one range with prot, replacing whatever was there:
 * 0, -EINVAL (outside the window), -ENOMEM (no room), nothing changed. */
int mr_set(struct mm_regions *m, uint64_t lo, uint64_t hi, int prot);
/* Forgets [lo, hi): 0 or -ENOMEM (a split found no room), nothing changed. */
int mr_clear(struct mm_regions *m, uint64_t lo, uint64_t hi);
/* True if ranges cover all of [lo, hi) with one protection, put in *prot. */
bool mr_uniform(const struct mm_regions *m, uint64_t lo, uint64_t hi, int *prot);

#endif
