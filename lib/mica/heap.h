/* Mica's memory allocator (lib/heap.c): boundary-tag chunks with
 * coalescing, segregated free lists found through a bitmap, and a top
 * chunk that grows through heap_morecore (sbrk) in large steps. The
 * public malloc family (lib/malloc.c) wraps it; a host test drives it
 * with its own morecore. Single-threaded, like Mica's processes. */
#ifndef MICA_HEAP_H
#define MICA_HEAP_H

#include <stddef.h>

/* Supplied by the user of the allocator: moves the break by incr bytes
 * and returns the old break, or (void *)-1. Memory it adds reads as zero. */
void *heap_morecore(ptrdiff_t incr);

void *heap_alloc(size_t n);
void heap_free(void *p);
void *heap_calloc(size_t nmemb, size_t size);
void *heap_realloc(void *p, size_t n);
void *heap_memalign(size_t align, size_t n); /* align: a power of two */
size_t heap_usable(const void *p);
int heap_trim(size_t keep); /* gives back top memory above keep bytes; 1 if any */

struct heap_stats {
	size_t arena;     /* bytes obtained from morecore and still held */
	size_t in_use;    /* bytes in allocated chunks, headers included */
	size_t free;      /* bytes in free chunks and the top */
	size_t nfree;     /* free chunks (the top not counted) */
	size_t top;       /* bytes in the top chunk */
	size_t morecalls; /* morecore calls made (growing or trimming) */
};
void heap_stats(struct heap_stats *st);

/* What a broken heap does (a bad free, a corrupted header): the target
 * prints and aborts; a host test may catch it. */
void heap_corrupt(const char *what, const void *p);

#endif
