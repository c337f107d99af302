/* Buddy allocator. Block indices are relative to the first managed frame;
 * a free block of order k starts at an index divisible by 2^k, and its
 * buddy is index ^ 2^k. Free blocks sit on doubly linked per-order lists
 * threaded through the descriptors, so a buddy is unlinked in O(1).
 * Callers serialise: boot is single-threaded; later the kernel lock
 * guards every call. */
#include "frame.h"
#include "errno.h"
#include "kstring.h"

#define NONE 0xFFFFFFFFU

enum frame_state { FRAME_RESERVED, FRAME_FREE, FRAME_USED };

struct frame {
	uint32_t next, prev; /* free-list links (block heads only) */
	uint8_t state;       /* enum frame_state */
	uint8_t order;       /* order of the free block this frame heads */
	bool head;           /* true: first frame of a free block */
	uint8_t refs;        /* mappings beyond the first (copy-on-write sharing) */
};

static struct {
	paddr_t base; /* physical address of frame 0 */
	uint64_t nframes;
	struct frame *f; /* nframes descriptors */
	uint32_t heads[FRAME_MAX_ORDER + 1];
	struct frame_stats st;
} fa;

static paddr_t idx_pa(uint64_t i)
{
	return fa.base + (i << PAGE_SHIFT);
}

static void list_push(uint32_t i, int order)
{
	struct frame *f = &fa.f[i];
	f->head = true;
	f->order = (uint8_t)order;
	f->prev = NONE;
	f->next = fa.heads[order];
	if (f->next != NONE)
		fa.f[f->next].prev = i;
	fa.heads[order] = i;
}

static void list_remove(uint32_t i)
{
	struct frame *f = &fa.f[i];
	if (f->prev != NONE)
		fa.f[f->prev].next = f->next;
	else
		fa.heads[f->order] = f->next;
	if (f->next != NONE)
		fa.f[f->next].prev = f->prev;
	f->head = false;
}

/* Returns a USED frame to the lists, merging with free buddies. */
static void free_one(uint64_t i)
{
	int order = 0;
	fa.f[i].state = FRAME_FREE;
	while (order < FRAME_MAX_ORDER) {
		uint64_t b = i ^ (1ULL << order);
		if (b >= fa.nframes || !fa.f[b].head || fa.f[b].order != order)
			break;
		list_remove((uint32_t)b);
		i = MIN(i, b);
		order++;
	}
	list_push((uint32_t)i, order);
	fa.st.free++;
}

/* Takes a block of exactly this order off the lists, splitting a larger
 * one if needed. Returns its first index, or NONE. */
static uint32_t take_block(int order)
{
	int k = order;
	while (k <= FRAME_MAX_ORDER && fa.heads[k] == NONE)
		k++;
	if (k > FRAME_MAX_ORDER)
		return NONE;
	uint32_t i = fa.heads[k];
	list_remove(i);
	while (k > order) { /* give back the upper halves */
		k--;
		list_push(i + (1U << k), k);
	}
	return i;
}

/* Marks n frames just taken off the lists as allocated. */
static void claim(uint32_t i, uint64_t n)
{
	for (uint64_t j = 0; j < n; j++)
		fa.f[i + j].state = FRAME_USED, fa.f[i + j].refs = 0, fa.f[i + j].prev = NONE,
		         fa.f[i + j].next = 0; /* no table entries noted */
	fa.st.free -= n;
	fa.st.used += n;
}

static bool overlaps_reserved(paddr_t pa, const struct dt_range *r, int n)
{
	for (int k = 0; k < n; k++)
		if (pa < r[k].base + r[k].size && r[k].base < pa + PAGE_SIZE)
			return true;
	return false;
}

/* First run of `need` frames at or after the start that no reserved
 * range touches; returns its index or NONE. */
static uint64_t find_free_run(uint64_t need, const struct dt_range *r, int n)
{
	uint64_t run = 0;
	for (uint64_t i = 0; i < fa.nframes; i++) {
		run = overlaps_reserved(idx_pa(i), r, n) ? 0 : run + 1;
		if (run == need)
			return i + 1 - need;
	}
	return NONE;
}

int frame_init(paddr_t ram_base, uint64_t ram_size, const struct dt_range *resv, int nresv)
{
	if (!IS_ALIGNED(ram_base, PAGE_SIZE) || ram_size < PAGE_SIZE ||
	    (ram_size >> PAGE_SHIFT) >= NONE)
		return -EINVAL;
	memset(&fa, 0, sizeof(fa));
	fa.base = ram_base;
	fa.nframes = ram_size >> PAGE_SHIFT;
	uint64_t desc_pages = ALIGN_UP(fa.nframes * sizeof(struct frame), PAGE_SIZE) >> PAGE_SHIFT;
	uint64_t d = find_free_run(desc_pages, resv, nresv);
	if (d == NONE)
		return -ENOMEM;
	fa.f = pa2va(idx_pa(d));
	for (int k = 0; k <= FRAME_MAX_ORDER; k++)
		fa.heads[k] = NONE;
	fa.st.total = fa.nframes;
	/* All descriptors first: merging looks at neighbours' descriptors,
	 * and RAM may hold anything, even an earlier allocator's state. */
	for (uint64_t i = 0; i < fa.nframes; i++)
		fa.f[i] = (struct frame){.next = NONE, .prev = NONE, .state = FRAME_RESERVED};
	for (uint64_t i = 0; i < fa.nframes; i++) {
		bool is_desc = i >= d && i < d + desc_pages;
		if (is_desc || overlaps_reserved(idx_pa(i), resv, nresv))
			fa.st.reserved++;
		else
			free_one(i);
	}
	return 0;
}

paddr_t frame_alloc(void)
{
	uint32_t i = take_block(0);
	if (i == NONE)
		return 0;
	claim(i, 1);
	memset(pa2va(idx_pa(i)), 0, PAGE_SIZE);
	return idx_pa(i);
}

/* Index of a frame that is currently allocated, or NONE. */
static uint64_t used_index(paddr_t pa)
{
	if (pa < fa.base || !IS_ALIGNED(pa - fa.base, PAGE_SIZE))
		return NONE;
	uint64_t i = (pa - fa.base) >> PAGE_SHIFT;
	if (i >= fa.nframes || fa.f[i].state != FRAME_USED)
		return NONE;
	return i;
}

int frame_share(paddr_t pa)
{
	uint64_t i = used_index(pa);
	if (i == NONE || fa.f[i].refs == UINT8_MAX)
		return -EBUSY;
	fa.f[i].refs++;
	return 0;
}

/* An allocated frame's list links are free: a page table keeps there
 * the lowest entry ever made valid (prev) and one past the highest (next). */
void frame_table_note(paddr_t pa, unsigned index)
{
	uint64_t i = used_index(pa);
	if (i == NONE)
		return;
	if (fa.f[i].prev == NONE || index < fa.f[i].prev)
		fa.f[i].prev = index;
	if (index + 1 > fa.f[i].next)
		fa.f[i].next = index + 1;
}

void frame_table_range(paddr_t pa, unsigned *lo, unsigned *hi)
{
	uint64_t i = used_index(pa);
	*lo = 0, *hi = PAGE_SIZE / sizeof(uint64_t); /* not ours: all of it */
	if (i != NONE)
		*lo = fa.f[i].prev == NONE ? 0 : fa.f[i].prev, *hi = fa.f[i].next;
}

bool frame_shared(paddr_t pa)
{
	uint64_t i = used_index(pa);
	return i != NONE && fa.f[i].refs;
}

int frame_free(paddr_t pa)
{
	uint64_t i = used_index(pa);
	if (i == NONE)
		return -EINVAL;
	if (fa.f[i].refs) { /* another mapping still has it */
		fa.f[i].refs--;
		return 0;
	}
	fa.st.used--;
	free_one(i);
	return 0;
}

paddr_t frame_alloc_run(size_t npages)
{
	int order = 0;
	while (order <= FRAME_MAX_ORDER && (1ULL << order) < npages)
		order++;
	if (npages == 0 || order > FRAME_MAX_ORDER)
		return 0;
	uint32_t i = take_block(order);
	if (i == NONE)
		return 0;
	/* Take the whole block, then hand back the tail past npages. */
	uint64_t n = 1ULL << order;
	claim(i, n);
	for (uint64_t j = npages; j < n; j++) {
		fa.st.used--;
		free_one(i + j);
	}
	memset(pa2va(idx_pa(i)), 0, npages << PAGE_SHIFT);
	return idx_pa(i);
}

int frame_free_run(paddr_t pa, size_t npages)
{
	for (size_t j = 0; j < npages; j++)
		if (used_index(pa + (j << PAGE_SHIFT)) == NONE)
			return -EINVAL;
	for (size_t j = 0; j < npages; j++)
		frame_free(pa + (j << PAGE_SHIFT));
	return 0;
}

void frame_get_stats(struct frame_stats *st)
{
	*st = fa.st;
}

bool frame_range_is_ram(paddr_t pa, uint64_t len)
{
	paddr_t end = fa.base + (fa.nframes << PAGE_SHIFT);
	return pa < end && fa.base < pa + len;
}
