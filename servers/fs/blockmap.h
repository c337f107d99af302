/* A regular file's data in page-sized blocks (pages.h): a growable table
 * of index pages, each holding pointers to FS_PAGE_SIZE / 8 data pages.
 * A missing index or data page is a hole and reads as zeros, so sparse
 * files cost only the pages written. Bytes past the file's size are kept
 * zero (bmap_truncate), so growing a file never shows old data. */
#ifndef FS_BLOCKMAP_H
#define FS_BLOCKMAP_H

#include <stddef.h>
#include <stdint.h>

#include "pages.h"

struct blockmap {
	uint8_t ***index;  /* index[i]: an index page, or NULL */
	size_t nindex;     /* entries in index (malloc'd) */
	size_t pages;      /* pages held: data and index */
	size_t data_pages; /* of those, data */
};

/* Copies len bytes at off into buf, zeros for holes. The caller keeps
 * the range within the file's size. */
void bmap_read(const struct blockmap *bm, uint64_t off, void *buf, size_t len);

/* bmap_read without a buffer of its own: sink takes the bytes run by run
 * where they lie (data NULL: a hole, n zeros) and puts them at offset at
 * of the read; a run spans as many pages as lie one after another in
 * memory. The bytes delivered before sink refused (its -errno if none). */
typedef int (*bmap_sink)(void *arg, size_t at, const void *data, size_t n);
long bmap_read_to(const struct blockmap *bm, uint64_t off, size_t len, bmap_sink sink, void *arg);

/* Data pages a write of len bytes at off would add. */
size_t bmap_missing(const struct blockmap *bm, uint64_t off, size_t len);

/* Writes len bytes at off: all of them, or none and -ENOSPC when a page
 * (or the index) cannot be had. */
int bmap_write(struct blockmap *bm, uint64_t off, const void *buf, size_t len);

/* Frees every block wholly past size and zeroes the rest of the block
 * size ends in; size 0 frees everything. Cannot fail. */
void bmap_truncate(struct blockmap *bm, uint64_t size);

#endif
