/* mmap's bookkeeping: which pages of its window are handed out and with
 * what protection, as a sorted array of ranges. Every change
 * checks for room first, so a failure leaves the array as it was. */
#include "mica/mmregion.h"

#include <errno.h>
#include <string.h>

void mr_init(struct mm_regions *m, uint64_t base, uint64_t top)
{
	memset(m, 0, sizeof(*m));
	m->base = base;
	m->top = top;
}

uint64_t mr_find_gap(const struct mm_regions *m, uint64_t len)
{
	uint64_t above = m->top; /* the start of what lies above the gap */
	for (int i = m->n - 1; i >= -1; i--) {
		uint64_t below = i >= 0 ? m->r[i].hi : m->base;
		if (len && above - below >= len)
			return above - len;
		if (i >= 0)
			above = m->r[i].lo;
	}
	return 0;
}

/* Ranges left after cutting [lo, hi) out: how many more than now. */
static int cut_growth(const struct mm_regions *m, uint64_t lo, uint64_t hi)
{
	int grow = 0;
	for (int i = 0; i < m->n; i++) {
		const struct mm_range *r = &m->r[i];
		if (r->hi <= lo || r->lo >= hi)
			continue;
		grow += (r->lo < lo && r->hi > hi) ? 1 : (r->lo >= lo && r->hi <= hi) ? -1 : 0;
	}
	return grow;
}

/* Cuts [lo, hi) out; the caller has checked there is room (cut_growth). */
static void cut(struct mm_regions *m, uint64_t lo, uint64_t hi)
{
	struct mm_range out[MR_MAX];
	int n = 0;
	for (int i = 0; i < m->n; i++) {
		struct mm_range r = m->r[i];
		if (r.hi <= lo || r.lo >= hi) {
			out[n++] = r;
			continue;
		}
		if (r.lo < lo) {
			out[n] = r;
			out[n++].hi = lo;
		}
		if (r.hi > hi) {
			out[n] = r;
			out[n].off += hi - r.lo;
			out[n++].lo = hi;
		}
	}
	memcpy(m->r, out, n * sizeof(out[0]));
	m->n = n;
}

int mr_clear(struct mm_regions *m, uint64_t lo, uint64_t hi)
{
	if (lo >= hi)
		return 0;
	if (m->n + cut_growth(m, lo, hi) > MR_MAX)
		return -ENOMEM;
	cut(m, lo, hi);
	return 0;
}

/* b continues a: adjacent, the same protection and backing, and (for
 * an object) the next bytes of it. */
static bool continues(const struct mm_range *a, const struct mm_range *b)
{
	return a->hi == b->lo && a->prot == b->prot && a->kind == b->kind && a->flags == b->flags &&
	       a->obj == b->obj && (!a->obj || a->off + (a->hi - a->lo) == b->off);
}

int mr_put(struct mm_regions *m, const struct mm_range *r)
{
	uint64_t lo = r->lo, hi = r->hi;
	if (lo >= hi || lo < m->base || hi > m->top)
		return -EINVAL;
	if (m->n + cut_growth(m, lo, hi) + 1 > MR_MAX)
		return -ENOMEM;
	cut(m, lo, hi);
	int i = 0;
	while (i < m->n && m->r[i].lo < lo)
		i++;
	bool join_prev = i > 0 && continues(&m->r[i - 1], r);
	bool join_next = i < m->n && continues(r, &m->r[i]);
	if (join_prev && join_next) {
		m->r[i - 1].hi = m->r[i].hi;
		memmove(&m->r[i], &m->r[i + 1], (m->n - i - 1) * sizeof(m->r[0]));
		m->n--;
	} else if (join_prev) {
		m->r[i - 1].hi = hi;
	} else if (join_next) {
		m->r[i].lo = lo;
		m->r[i].off = r->off;
	} else {
		memmove(&m->r[i + 1], &m->r[i], (m->n - i) * sizeof(m->r[0]));
		m->r[i] = *r;
		m->n++;
	}
	return 0;
}

int mr_set(struct mm_regions *m, uint64_t lo, uint64_t hi, int prot)
{
	struct mm_range r = {.lo = lo, .hi = hi, .prot = prot};
	return mr_put(m, &r);
}

const struct mm_range *mr_at(const struct mm_regions *m, uint64_t va)
{
	for (int i = 0; i < m->n; i++)
		if (va >= m->r[i].lo && va < m->r[i].hi)
			return &m->r[i];
	return NULL;
}

bool mr_covers(const struct mm_regions *m, uint64_t lo, uint64_t hi)
{
	uint64_t at = lo;
	for (int i = 0; m && i < m->n && at < hi; i++)
		if (m->r[i].hi > at) {
			if (m->r[i].lo > at)
				return false;
			at = m->r[i].hi;
		}
	return at >= hi;
}

int mr_protect(struct mm_regions *m, uint64_t lo, uint64_t hi, int prot)
{
	if (lo >= hi)
		return 0;
	if (!mr_covers(m, lo, hi))
		return -ENOMEM;
	/* each covered piece is put back with prot: the two ends may split */
	if (m->n + 2 > MR_MAX)
		return -ENOMEM;
	struct mm_range piece[MR_MAX];
	int n = 0;
	for (int i = 0; i < m->n; i++) {
		struct mm_range r = m->r[i];
		if (r.hi <= lo || r.lo >= hi)
			continue;
		if (r.lo < lo)
			r.off += lo - r.lo, r.lo = lo;
		if (r.hi > hi)
			r.hi = hi;
		r.prot = prot;
		piece[n++] = r;
	}
	for (int i = 0; i < n; i++)
		if (mr_put(m, &piece[i]))
			return -ENOMEM; /* cannot happen: room was checked */
	return 0;
}

bool mr_uniform(const struct mm_regions *m, uint64_t lo, uint64_t hi, int *prot)
{
	uint64_t at = lo;
	for (int i = 0; i < m->n && at < hi; i++) {
		const struct mm_range *r = &m->r[i];
		if (r->hi <= at)
			continue;
		if (r->lo > at || (at != lo && r->prot != *prot))
			return false;
		*prot = r->prot;
		at = r->hi;
	}
	return lo < hi && at >= hi;
}
