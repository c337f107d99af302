/* Page-sized memory for file data. In the fs server each page is a frame
 * mapped into fs's own address space when asked for and unmapped when
 * freed, so the memory goes back to the system at once (memory from
 * malloc would stay in fs's heap); the host unit tests use the C heap. */
#ifndef FS_PAGES_H
#define FS_PAGES_H

#include <stddef.h>

#define FS_PAGE_SIZE 4096

#ifdef HOST_TEST
#include <stdlib.h>

/* Tests: pages page_alloc still hands out before it fails, as the kernel
 * does when memory is full; negative for no limit. One shared copy. */
__attribute__((weak)) long page_budget = -1;

static inline void *page_alloc(void)
{
	if (page_budget == 0)
		return NULL;
	if (page_budget > 0)
		page_budget--;
	return aligned_alloc(FS_PAGE_SIZE, FS_PAGE_SIZE);
}

static inline void page_free(void *pg)
{
	free(pg);
}

/* Tests: what page_alloc would still give (the budget; 1024 without). */
static inline unsigned long page_room(void)
{
	return page_budget >= 0 ? (unsigned long)page_budget : 1024;
}
#else
/* A page, readable and writable, contents undefined; NULL when the kernel
 * has no frame to give (the file system is full). */
void *page_alloc(void);

/* Gives pg's frame back to the kernel; its address is reused later.
 * Freeing the highest page first keeps the bookkeeping smallest. */
void page_free(void *pg);

/* Pages page_alloc may still give before files reach the memory they
 * must leave to processes (statfs's free blocks). */
unsigned long page_room(void);
#endif

#endif
