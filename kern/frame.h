/* Physical page frames: a buddy allocator over the RAM the device tree
 * reports, minus reserved ranges. One descriptor per frame records its
 * state, so a double free or a foreign address is caught, not obeyed. */
#ifndef MICA_FRAME_H
#define MICA_FRAME_H

#include "dtb.h"
#include "memlayout.h"

#define FRAME_MAX_ORDER 18 /* largest block: 2^18 pages = 1 GiB */

struct frame_stats {
	uint64_t total;    /* frames in the managed range */
	uint64_t free;     /* frames on the free lists */
	uint64_t used;     /* frames handed out by frame_alloc* */
	uint64_t reserved; /* firmware, kernel image, DTB, initrd, descriptors */
};

/* Manages [ram_base, ram_base + ram_size); frames overlapping any of the
 * reserved ranges are never handed out. The descriptor array is carved
 * from the first free run big enough. Returns 0, -EINVAL or -ENOMEM. */
int frame_init(paddr_t ram_base, uint64_t ram_size, const struct dt_range *resv, int nresv);

/* One zeroed frame, or 0 when memory is exhausted. O(FRAME_MAX_ORDER). */
paddr_t frame_alloc(void);
/* 0, or -EINVAL if pa is not a frame that is currently allocated. */
int frame_free(paddr_t pa);
/* One more mapping of an allocated frame (copy-on-write): frame_free then
 * drops a reference, and only the last frees it. -EBUSY when 255 share
 * it already (the caller copies instead). */
int frame_share(paddr_t pa);
bool frame_shared(paddr_t pa);
/* Page tables: entry index of the table in frame pa was made valid. The
 * range of such entries (never shrinking) lets a walk over a sparse table
 * skip the rest; a frame the allocator does not manage gives all 512. */
void frame_table_note(paddr_t pa, unsigned index);
void frame_table_range(paddr_t pa, unsigned *lo, unsigned *hi);

/* npages physically contiguous zeroed frames, aligned to the next power
 * of two (for DMA), or 0 if no such run is free. */
paddr_t frame_alloc_run(size_t npages);
/* Frees a run; checks every frame first, so an error frees nothing. */
int frame_free_run(paddr_t pa, size_t npages);

void frame_get_stats(struct frame_stats *st);
/* True if any byte of [pa, pa+len) is managed RAM. */
bool frame_range_is_ram(paddr_t pa, uint64_t len);

#endif
