/* Demand-zero zone bookkeeping (see dzone.h). */
#include "dzone.h"
#include "errno.h"

static struct dzone *free_slot(struct dzone_set *s)
{
	for (int i = 0; i < DZ_MAX; i++)
		if (!s->z[i].hi)
			return &s->z[i];
	return NULL;
}

bool dz_overlaps(const struct dzone_set *s, uint64_t lo, uint64_t hi)
{
	for (int i = 0; i < DZ_MAX; i++)
		if (s->z[i].hi && lo < s->z[i].hi && s->z[i].lo < hi)
			return true;
	return false;
}

const struct dzone *dz_find(const struct dzone_set *s, uint64_t va)
{
	for (int i = 0; i < DZ_MAX; i++)
		if (s->z[i].hi && va >= s->z[i].lo && va < s->z[i].hi)
			return &s->z[i];
	return NULL;
}

int dz_add(struct dzone_set *s, uint64_t lo, uint64_t hi, uint64_t pte)
{
	if (dz_overlaps(s, lo, hi))
		return -EEXIST;
	for (int i = 0; i < DZ_MAX; i++) { /* a growing heap or stack: one zone */
		struct dzone *z = &s->z[i];
		if (z->hi && z->pte == pte && (z->hi == lo || z->lo == hi)) {
			z->lo = z->lo < lo ? z->lo : lo;
			z->hi = z->hi > hi ? z->hi : hi;
			return 0;
		}
	}
	struct dzone *z = free_slot(s);
	if (!z)
		return -ENOMEM;
	*z = (struct dzone){lo, hi, pte};
	return 0;
}

int dz_remove(struct dzone_set *s, uint64_t lo, uint64_t hi)
{
	for (int i = 0; i < DZ_MAX; i++) /* check first: a split needs a slot */
		if (s->z[i].hi && s->z[i].lo < lo && hi < s->z[i].hi && !free_slot(s))
			return -ENOMEM;
	for (int i = 0; i < DZ_MAX; i++) {
		struct dzone *z = &s->z[i];
		if (!z->hi || hi <= z->lo || z->hi <= lo)
			continue;
		if (z->lo < lo && hi < z->hi) { /* the middle: two zones */
			*free_slot(s) = (struct dzone){hi, z->hi, z->pte};
			z->hi = lo;
		} else if (z->lo < lo) {
			z->hi = lo;
		} else if (hi < z->hi) {
			z->lo = hi;
		} else {
			*z = (struct dzone){0, 0, 0};
		}
	}
	return 0;
}

/* Slots a change of [lo, hi) needs: a zone reaching past both ends
 * becomes three, past one end two. */
static int split_need(const struct dzone_set *s, uint64_t lo, uint64_t hi)
{
	int need = 0;
	for (int i = 0; i < DZ_MAX; i++) {
		const struct dzone *z = &s->z[i];
		if (z->hi && lo < z->hi && z->lo < hi)
			need += (z->lo < lo) + (hi < z->hi);
	}
	return need;
}

int dz_set_bits(struct dzone_set *s, uint64_t lo, uint64_t hi, uint64_t mask, uint64_t bits)
{
	int free = 0;
	for (int i = 0; i < DZ_MAX; i++)
		free += !s->z[i].hi;
	if (split_need(s, lo, hi) > free)
		return -ENOMEM;
	for (int i = 0; i < DZ_MAX; i++) {
		struct dzone *z = &s->z[i];
		if (!z->hi || hi <= z->lo || z->hi <= lo)
			continue;
		if (z->lo < lo) { /* the part below stays as it was */
			*free_slot(s) = (struct dzone){z->lo, lo, z->pte};
			z->lo = lo;
		}
		if (hi < z->hi) { /* and the part above */
			*free_slot(s) = (struct dzone){hi, z->hi, z->pte};
			z->hi = hi;
		}
		z->pte = (z->pte & ~mask) | (bits & mask);
	}
	return 0;
}
