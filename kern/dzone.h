/* Demand-zero zones: ranges of an address space whose pages get a zeroed
 * frame when first touched (SYS_VM_MAP with PROT_LAZY_: stacks, the heap).
 * A zone is three words, so reserving 8 MiB or copying it at fork costs
 * the same as 4 KiB. Pure bookkeeping, tested on the host. */
#ifndef DZONE_H
#define DZONE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DZ_MAX 16 /* zones per address space; adjacent ones with equal bits merge */
/* In a zone's bits, never in a PTE: its faults go to the task's pager. */
#define DZ_PAGER (1UL << 63)

struct dzone {
	uint64_t lo, hi; /* [lo, hi), page-aligned; hi == 0: a free slot */
	uint64_t pte;    /* the PTE bits its pages get */
};

struct dzone_set {
	struct dzone z[DZ_MAX];
};

/* Adds [lo, hi) with bits pte: 0, -EEXIST (overlaps a zone), -ENOMEM (full). */
int dz_add(struct dzone_set *s, uint64_t lo, uint64_t hi, uint64_t pte);
/* Removes [lo, hi) from every zone, splitting one if needed: 0, or
 * -ENOMEM (a split needs a free slot) with nothing changed. */
int dz_remove(struct dzone_set *s, uint64_t lo, uint64_t hi);
/* Replaces the mask bits of every zone part in [lo, hi) with bits,
 * splitting zones at lo and hi: 0, or -ENOMEM (no slots) unchanged. */
int dz_set_bits(struct dzone_set *s, uint64_t lo, uint64_t hi, uint64_t mask, uint64_t bits);
/* The zone holding va, or NULL. */
const struct dzone *dz_find(const struct dzone_set *s, uint64_t va);
bool dz_overlaps(const struct dzone_set *s, uint64_t lo, uint64_t hi);

#endif
