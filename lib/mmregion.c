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
		if (r.lo < lo)
			out[n++] = (struct mm_range){r.lo, lo, r.prot};
		if (r.hi > hi)
			out[n++] = (struct mm_range){hi, r.hi, r.prot};
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

int mr_set(struct mm_regions *m, uint64_t lo, uint64_t hi, int prot)
{
	if (lo >= hi || lo < m->base || hi > m->top)
		return -EINVAL;
	if (m->n + cut_growth(m, lo, hi) + 1 > MR_MAX)
		return -ENOMEM;
	cut(m, lo, hi);
	int i = 0;
	while (i < m->n && m->r[i].lo < lo)
		i++;
	bool join_prev = i > 0 && m->r[i - 1].hi == lo && m->r[i - 1].prot == prot;
	bool join_next = i < m->n && m->r[i].lo == hi && m->r[i].prot == prot;
	if (join_prev && join_next) {
		m->r[i - 1].hi = m->r[i].hi;
		memmove(&m->r[i], &m->r[i + 1], (m->n - i - 1) * sizeof(m->r[0]));
		m->n--;
	} else if (join_prev) {
		m->r[i - 1].hi = hi;
	} else if (join_next) {
		m->r[i].lo = lo;
	} else {
		memmove(&m->r[i + 1], &m->r[i], (m->n - i) * sizeof(m->r[0]));
		m->r[i] = (struct mm_range){lo, hi, prot};
		m->n++;
	}
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
