/* A process's pages in the swap area: page address -> swap slot, an
 * open-addressing hash that grows (swapmap.c). Pure bookkeeping, tested
 * on the host. */
#ifndef PM_SWAPMAP_H
#define PM_SWAPMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct swapmap {
	uint64_t *va; /* 0: empty; 1: deleted */
	uint64_t *slot;
	size_t cap, n, used; /* used: n plus deleted entries */
};

/* Adds or replaces va's slot: 0, or -ENOMEM (the map is as it was). */
int sm_put(struct swapmap *m, uint64_t va, uint64_t slot);
/* va's slot in *slot and true, or false. */
bool sm_get(const struct swapmap *m, uint64_t va, uint64_t *slot);
/* Removes va: true if it was there. */
bool sm_del(struct swapmap *m, uint64_t va);
/* Calls fn for every entry (in no order); fn may not change the map. */
void sm_each(const struct swapmap *m, void (*fn)(uint64_t va, uint64_t slot, void *arg), void *arg);
/* A copy of src in dst (empty): 0 or -ENOMEM. */
int sm_copy(struct swapmap *dst, const struct swapmap *src);
void sm_free(struct swapmap *m);

#endif
