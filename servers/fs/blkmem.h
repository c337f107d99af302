/* Memory for cached blocks: whole pages from the system (page_alloc), so
 * that an evicted block's memory goes back at once; blocks smaller than a
 * page share one, which goes back when its last block is freed. */
#ifndef FS_BLKMEM_H
#define FS_BLKMEM_H

#include <stddef.h>
#include <stdint.h>

/* size bytes (512 to 4096, a power of two); NULL when out of memory. */
void *blkmem_alloc(uint32_t size);
void blkmem_free(void *p, uint32_t size);
/* Pages held for blocks smaller than a page (partly used ones included). */
size_t blkmem_shared_pages(void);

#endif
