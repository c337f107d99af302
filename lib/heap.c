/* The allocator behind malloc (see mica/heap.h). A chunk is a 16-byte
 * header (the previous chunk's size, valid only while that one is free,
 * and this chunk's size with two flags) and then the caller's bytes.
 * Free chunks sit in bins: exact 16-byte classes below 1 KiB, four bins
 * per power of two above; a bitmap finds the next non-empty bin. Freeing
 * merges with free neighbours at once, so free and malloc cost the same
 * however full the heap is. The last chunk, the top, grows through
 * heap_morecore by at least 256 KiB and at least doubling the heap, and
 * is given back down to 512 KiB when it passes 2 MiB. It is why picolibc 1.8's allocator (a sorted
 * list walked on every free) is not used. */
#include <stdint.h>
#include <string.h>

#include "mica/heap.h"

#define ALIGN     16ul
#define HDR       16ul /* prev_size and head */
#define MIN_CHUNK 32ul /* room for the free-list links */
#define C_INUSE   1ul
#define C_PREV    2ul /* the previous chunk is in use (or there is none) */
#define C_FLAGS   (C_INUSE | C_PREV)
#define PAGE      4096ul
#define GROW_MIN  (256ul << 10)
#define TRIM_AT   (2ul << 20)   /* a top larger than this is given back ... */
#define TRIM_KEEP (512ul << 10) /* ... down to this */

struct chunk {
	size_t prev_size;          /* the previous chunk's size, while it is free */
	size_t head;               /* size | C_* */
	struct chunk *next, *prev; /* while free: the bin's list */
};

#define NSMALL (1024 / ALIGN) /* bins below 1 KiB: one per 16-byte size */
#define NBINS  (NSMALL + 4 * 48)
#define NWORDS ((NBINS + 63) / 64)

static struct chunk *bins[NBINS];
static uint64_t binmap[NWORDS]; /* bit i: bins[i] is not empty */
static struct chunk *top;       /* NULL until the first growth */
static char *heap_lo, *heap_end;
static char *hwm; /* nothing at or above it was handed out yet: it reads as zero */
static struct heap_stats st;

static size_t csize(const struct chunk *c)
{
	return c->head & ~C_FLAGS;
}

static struct chunk *at(const struct chunk *c, size_t off)
{
	return (struct chunk *)((char *)c + off);
}

static void *mem(struct chunk *c)
{
	return (char *)c + HDR;
}

static struct chunk *chunk_of(const void *p)
{
	return (struct chunk *)((char *)p - HDR);
}

static uintptr_t page_up(uintptr_t a)
{
	return (a + PAGE - 1) & ~(PAGE - 1);
}

static unsigned bin_of(size_t sz)
{
	if (sz < NSMALL * ALIGN)
		return (unsigned)(sz / ALIGN);
	unsigned lg = 63u - (unsigned)__builtin_clzl(sz); /* >= 10 */
	unsigned i = NSMALL + (lg - 10) * 4 + (unsigned)((sz >> (lg - 2)) & 3);
	return i < NBINS ? i : NBINS - 1;
}

static void bin_insert(struct chunk *c)
{
	unsigned i = bin_of(csize(c));
	c->prev = NULL;
	c->next = bins[i];
	if (c->next)
		c->next->prev = c;
	bins[i] = c;
	binmap[i / 64] |= 1ull << (i % 64);
	st.nfree++;
}

static void bin_remove(struct chunk *c)
{
	unsigned i = bin_of(csize(c));
	if ((c->prev ? c->prev->next : bins[i]) != c || (c->next && c->next->prev != c))
		heap_corrupt("corrupted free list", mem(c));
	if (c->prev)
		c->prev->next = c->next;
	else
		bins[i] = c->next;
	if (c->next)
		c->next->prev = c->prev;
	if (!bins[i])
		binmap[i / 64] &= ~(1ull << (i % 64));
	st.nfree--;
}

/* The first non-empty bin at or after i, or -1. */
static int next_bin(unsigned i)
{
	for (unsigned w = i / 64; w < NWORDS; w++) {
		uint64_t m = binmap[w];
		if (w == i / 64)
			m &= ~0ull << (i % 64);
		if (m)
			return (int)(w * 64 + (unsigned)__builtin_ctzll(m));
	}
	return -1;
}

/* The chunk size for n bytes, or 0 if n is absurd. */
static size_t req_size(size_t n)
{
	if (n > SIZE_MAX / 4)
		return 0;
	size_t sz = (n + HDR + ALIGN - 1) & ~(ALIGN - 1);
	return sz < MIN_CHUNK ? MIN_CHUNK : sz;
}

/* The chunk of p, which the caller says is allocated: anything else is a
 * bad free or a corrupted heap, and stops the program. */
static struct chunk *checked(const void *p)
{
	struct chunk *c = chunk_of(p);
	if (((uintptr_t)p & (ALIGN - 1)) || !top || (char *)c < heap_lo || (char *)c >= heap_end)
		heap_corrupt("invalid pointer", p);
	size_t sz = csize(c);
	if (!(c->head & C_INUSE) || sz < MIN_CHUNK || sz > (size_t)(heap_end - (char *)c) ||
	    !(at(c, sz)->head & C_PREV))
		heap_corrupt("invalid pointer or double free", p);
	return c;
}

/* The old top cannot grow (someone else moved the break): it becomes a
 * free chunk closed by an in-use fence header that never merges. */
static void fence_top(void)
{
	size_t sz = csize(top);
	struct chunk *fence = at(top, sz - HDR);
	if (sz - HDR >= MIN_CHUNK) {
		top->head = (sz - HDR) | C_PREV;
		fence->prev_size = sz - HDR;
		fence->head = HDR | C_INUSE;
		bin_insert(top);
	} else {
		top->head = sz | C_INUSE | C_PREV; /* too small: lost */
	}
	top = NULL;
}

/* Makes the top hold at least sz + MIN_CHUNK bytes. */
static int grow(size_t sz)
{
	size_t need = sz + MIN_CHUNK + ALIGN; /* enough even for a new region */
	size_t want = need > GROW_MIN ? need : GROW_MIN;
	if (want < st.arena)
		want = st.arena; /* doubling: a growing heap asks ever less often (the
		                  * pages are demand-zero: untouched ones cost nothing) */
	char *old = heap_morecore(0);
	if (old == (char *)-1)
		return 0;
	size_t incr = page_up((uintptr_t)old + want) - (uintptr_t)old;
	char *p = heap_morecore((ptrdiff_t)incr);
	if (p == (char *)-1) {
		incr = page_up((uintptr_t)old + need) - (uintptr_t)old;
		if ((p = heap_morecore((ptrdiff_t)incr)) == (char *)-1)
			return 0;
	}
	st.morecalls++;
	st.arena += incr;
	if (top && p == heap_end) {
		top->head += incr;
		heap_end += incr;
		return csize(top) >= sz + MIN_CHUNK;
	}
	if (top)
		fence_top();
	char *base = (char *)(((uintptr_t)p + ALIGN - 1) & ~(ALIGN - 1));
	top = (struct chunk *)base;
	top->head = (size_t)(p + incr - base) | C_PREV;
	heap_end = p + incr;
	if (!heap_lo || base < heap_lo)
		heap_lo = base;
	if (hwm < base)
		hwm = base;
	return csize(top) >= sz + MIN_CHUNK;
}

/* A chunk of sz bytes off the top; *fresh: its bytes were never used. */
static struct chunk *from_top(size_t sz, int *fresh)
{
	if ((!top || csize(top) < sz + MIN_CHUNK) && !grow(sz))
		return NULL;
	struct chunk *c = top;
	size_t rest = csize(top) - sz;
	*fresh = (char *)c + HDR >= hwm;
	c->head = sz | C_INUSE | (top->head & C_PREV);
	top = at(c, sz);
	top->head = rest | C_PREV;
	if ((char *)top > hwm)
		hwm = (char *)top;
	st.in_use += sz;
	return c;
}

/* Allocates the free chunk c for sz bytes, splitting off what is left. */
static struct chunk *use(struct chunk *c, size_t sz)
{
	size_t have = csize(c);
	struct chunk *next = at(c, have);
	if (have - sz >= MIN_CHUNK) {
		struct chunk *r = at(c, sz);
		r->head = (have - sz) | C_PREV;
		next->prev_size = have - sz;
		bin_insert(r);
		have = sz;
	} else {
		next->head |= C_PREV;
	}
	c->head = have | C_INUSE | (c->head & C_PREV);
	st.in_use += have;
	return c;
}

static struct chunk *from_bins(size_t sz)
{
	unsigned i = bin_of(sz);
	if (i >= NSMALL) { /* a large bin mixes sizes: first fit in it */
		for (struct chunk *c = bins[i]; c; c = c->next)
			if (csize(c) >= sz) {
				bin_remove(c);
				return use(c, sz);
			}
		i++;
	}
	int j = next_bin(i);
	if (j < 0)
		return NULL;
	struct chunk *c = bins[j];
	bin_remove(c);
	return use(c, sz);
}

static struct chunk *alloc_chunk(size_t n, int *fresh)
{
	size_t sz = req_size(n);
	*fresh = 0;
	if (!sz)
		return NULL;
	struct chunk *c = from_bins(sz);
	return c ? c : from_top(sz, fresh);
}

void *heap_alloc(size_t n)
{
	int fresh;
	struct chunk *c = alloc_chunk(n, &fresh);
	return c ? mem(c) : NULL;
}

void *heap_calloc(size_t nmemb, size_t size)
{
	size_t n;
	int fresh;
	if (__builtin_mul_overflow(nmemb, size, &n))
		return NULL;
	struct chunk *c = alloc_chunk(n, &fresh);
	if (!c)
		return NULL;
	if (!fresh) /* memory never handed out is still zero */
		memset(mem(c), 0, csize(c) - HDR);
	return mem(c);
}

int heap_trim(size_t keep)
{
	if (!top || heap_morecore(0) != heap_end)
		return 0;
	uintptr_t end = page_up((uintptr_t)top + MIN_CHUNK + keep);
	if (end >= (uintptr_t)heap_end)
		return 0;
	size_t d = (size_t)((uintptr_t)heap_end - end);
	if (heap_morecore(-(ptrdiff_t)d) == (void *)-1)
		return 0;
	st.morecalls++;
	st.arena -= d;
	heap_end = (char *)end;
	top->head = (size_t)(heap_end - (char *)top) | C_PREV;
	if (hwm > heap_end)
		hwm = heap_end; /* given back: it comes back as zero */
	return 1;
}

void heap_free(void *p)
{
	if (!p)
		return;
	struct chunk *c = checked(p), *next = at(c, csize(c));
	size_t sz = csize(c);
	st.in_use -= sz;
	if (!(c->head & C_PREV)) { /* merge with the free chunk before */
		struct chunk *prev = (struct chunk *)((char *)c - c->prev_size);
		if ((char *)prev < heap_lo || csize(prev) != c->prev_size || (prev->head & C_INUSE))
			heap_corrupt("corrupted size before a chunk", p);
		bin_remove(prev);
		sz += csize(prev);
		c = prev;
	}
	if (next == top) {
		c->head = (sz + csize(top)) | (c->head & C_PREV);
		top = c;
		if (csize(top) > TRIM_AT)
			heap_trim(TRIM_KEEP);
		return;
	}
	if (!(next->head & C_INUSE)) {
		bin_remove(next);
		sz += csize(next);
	}
	c->head = sz | (c->head & C_PREV);
	struct chunk *after = at(c, sz);
	after->prev_size = sz;
	after->head &= ~C_PREV;
	bin_insert(c);
}

/* Cuts the allocated chunk c down to sz bytes, freeing the rest. */
static void shrink(struct chunk *c, size_t sz)
{
	size_t have = csize(c);
	if (have - sz < MIN_CHUNK)
		return;
	struct chunk *r = at(c, sz);
	r->head = (have - sz) | C_INUSE | C_PREV;
	c->head = sz | (c->head & C_FLAGS);
	heap_free(mem(r)); /* counted as in use until then */
}

/* Grows c in place to sz bytes from a free neighbour or the top: 1 if done. */
static int grow_in_place(struct chunk *c, size_t sz)
{
	size_t have = csize(c);
	struct chunk *next = at(c, have);
	if (next == top) {
		if (csize(top) < sz - have + MIN_CHUNK && (!grow(sz - have) || at(c, have) != top))
			return 0;
		size_t rest = csize(top) - (sz - have);
		c->head = sz | (c->head & C_FLAGS);
		top = at(c, sz);
		top->head = rest | C_PREV;
		if ((char *)top > hwm)
			hwm = (char *)top;
		st.in_use += sz - have;
		return 1;
	}
	if ((next->head & C_INUSE) || have + csize(next) < sz)
		return 0;
	bin_remove(next);
	size_t total = have + csize(next);
	c->head = total | (c->head & C_FLAGS);
	at(c, total)->head |= C_PREV;
	st.in_use += total - have;
	shrink(c, sz);
	return 1;
}

void *heap_realloc(void *p, size_t n)
{
	if (!p)
		return heap_alloc(n);
	struct chunk *c = checked(p);
	if (n == 0) {
		heap_free(p);
		return NULL;
	}
	size_t sz = req_size(n);
	if (!sz)
		return NULL;
	if (csize(c) >= sz) {
		shrink(c, sz);
		return p;
	}
	if (grow_in_place(c, sz))
		return p;
	void *q = heap_alloc(n);
	if (!q)
		return NULL;
	memcpy(q, p, csize(c) - HDR);
	heap_free(p);
	return q;
}

void *heap_memalign(size_t align, size_t n)
{
	if (align <= ALIGN)
		return heap_alloc(n);
	if ((align & (align - 1)) || n > SIZE_MAX / 4 || align > SIZE_MAX / 4)
		return NULL;
	char *p = heap_alloc(n + align + MIN_CHUNK);
	if (!p)
		return NULL;
	struct chunk *c = chunk_of(p);
	uintptr_t a = ((uintptr_t)p + align - 1) & ~(align - 1);
	if (a != (uintptr_t)p) {
		if (a - (uintptr_t)p < MIN_CHUNK)
			a += align; /* the part before must hold a chunk */
		size_t lead = a - (uintptr_t)p;
		struct chunk *nc = chunk_of((void *)a);
		nc->head = (csize(c) - lead) | C_INUSE | C_PREV;
		c->head = lead | C_INUSE | (c->head & C_PREV);
		heap_free(mem(c));
		c = nc;
	}
	shrink(c, req_size(n));
	return mem(c);
}

size_t heap_usable(const void *p)
{
	return p ? csize(checked(p)) - HDR : 0;
}

void heap_stats(struct heap_stats *out)
{
	*out = st;
	out->top = top ? csize(top) : 0;
	out->free = st.arena - st.in_use;
}
