/* The address ranges mmap has handed out, each with its protection and
 * what backs it: sorted, non-overlapping, neighbours that continue each
 * other merged. Pure bookkeeping (lib/mmregion.c), tested on the host;
 * pm's pager (servers/pm/vm.c) keeps one set per process. */
#ifndef MICA_MMREGION_H
#define MICA_MMREGION_H

#include <stdbool.h>
#include <stdint.h>

#define MR_MAX 128 /* distinct ranges; more fail with -ENOMEM */

struct mm_range {
	uint64_t lo, hi; /* [lo, hi), page-aligned */
	uint64_t off;    /* the object's byte offset at lo */
	int prot;        /* PROT_* as mmap was given them */
	short kind;      /* the pager's: what backs it (0: private zero-fill) */
	short flags;     /* the pager's: MAP_* it keeps */
	int obj;         /* the pager's object, 0 if none */
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
/* The same for a whole range r (its off, kind, flags and obj kept). */
int mr_put(struct mm_regions *m, const struct mm_range *r);
/* The range holding va, or NULL. */
const struct mm_range *mr_at(const struct mm_regions *m, uint64_t va);
/* True if ranges cover all of [lo, hi), whatever their protections
 * (m NULL: none). */
bool mr_covers(const struct mm_regions *m, uint64_t lo, uint64_t hi);
/* Gives [lo, hi), which ranges must cover whole, protection prot:
 * 0, -ENOMEM (a hole, or no room), nothing changed. */
int mr_protect(struct mm_regions *m, uint64_t lo, uint64_t hi, int prot);
/* Forgets [lo, hi): 0 or -ENOMEM (a split found no room), nothing changed. */
int mr_clear(struct mm_regions *m, uint64_t lo, uint64_t hi);
/* True if ranges cover all of [lo, hi) with one protection, put in *prot. */
bool mr_uniform(const struct mm_regions *m, uint64_t lo, uint64_t hi, int *prot);

#endif
