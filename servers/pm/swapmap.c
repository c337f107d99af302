/* The page -> swap slot hash of swapmap.h: linear probing, deleted
 * entries marked (1) and dropped when the table is rebuilt. */
#include "swapmap.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define EMPTY   0
#define DELETED 1

static size_t hash(uint64_t va, size_t cap)
{
	return (size_t)((va >> 12) * 0x9E3779B97F4A7C15ull >> 20) & (cap - 1);
}

/* The index holding va, or of the first free place for it (*found false). */
static size_t find(const struct swapmap *m, uint64_t va, bool *found)
{
	size_t i = hash(va, m->cap), first_free = (size_t)-1;
	for (;; i = (i + 1) & (m->cap - 1)) {
		if (m->va[i] == va) {
			*found = true;
			return i;
		}
		if (m->va[i] == DELETED && first_free == (size_t)-1)
			first_free = i;
		if (m->va[i] == EMPTY) {
			*found = false;
			return first_free != (size_t)-1 ? first_free : i;
		}
	}
}

static int rebuild(struct swapmap *m, size_t cap)
{
	struct swapmap n = {calloc(cap, sizeof(uint64_t)), calloc(cap, sizeof(uint64_t)), cap, 0,
	                    0};
	if (!n.va || !n.slot) {
		free(n.va), free(n.slot);
		return -ENOMEM;
	}
	for (size_t i = 0; i < m->cap; i++)
		if (m->va[i] > DELETED) {
			bool f;
			size_t j = find(&n, m->va[i], &f);
			n.va[j] = m->va[i], n.slot[j] = m->slot[i];
			n.n++, n.used++;
		}
	sm_free(m);
	*m = n;
	return 0;
}

int sm_put(struct swapmap *m, uint64_t va, uint64_t slot)
{
	if (va <= DELETED)
		return -EINVAL;
	if ((m->used + 1) * 4 > m->cap * 3 &&
	    rebuild(m, m->n * 4 >= m->cap * 2 || !m->cap ? (m->cap ? m->cap * 2 : 64) : m->cap))
		return -ENOMEM;
	bool found;
	size_t i = find(m, va, &found);
	if (!found) {
		if (m->va[i] == EMPTY)
			m->used++;
		m->n++;
	}
	m->va[i] = va, m->slot[i] = slot;
	return 0;
}

bool sm_get(const struct swapmap *m, uint64_t va, uint64_t *slot)
{
	bool found = false;
	if (m->cap && va > DELETED) {
		size_t i = find(m, va, &found);
		if (found)
			*slot = m->slot[i];
	}
	return found;
}

bool sm_del(struct swapmap *m, uint64_t va)
{
	bool found = false;
	if (m->cap && va > DELETED) {
		size_t i = find(m, va, &found);
		if (found) {
			m->va[i] = DELETED;
			m->n--;
		}
	}
	return found;
}

void sm_each(const struct swapmap *m, void (*fn)(uint64_t va, uint64_t slot, void *arg), void *arg)
{
	for (size_t i = 0; i < m->cap; i++)
		if (m->va[i] > DELETED)
			fn(m->va[i], m->slot[i], arg);
}

int sm_copy(struct swapmap *dst, const struct swapmap *src)
{
	*dst = (struct swapmap){0};
	if (!src->cap)
		return 0;
	dst->va = malloc(src->cap * sizeof(uint64_t));
	dst->slot = malloc(src->cap * sizeof(uint64_t));
	if (!dst->va || !dst->slot) {
		sm_free(dst);
		return -ENOMEM;
	}
	memcpy(dst->va, src->va, src->cap * sizeof(uint64_t));
	memcpy(dst->slot, src->slot, src->cap * sizeof(uint64_t));
	dst->cap = src->cap, dst->n = src->n, dst->used = src->used;
	return 0;
}

void sm_free(struct swapmap *m)
{
	free(m->va);
	free(m->slot);
	*m = (struct swapmap){0};
}
