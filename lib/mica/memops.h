/* The runtime's memory routines (lib/memops.c), replacing picolibc's
 * byte-at-a-time ones under their standard names (lib/memlibc.c). */
#ifndef MICA_MEMOPS_H
#define MICA_MEMOPS_H

#include <stddef.h>

void *mica_memcpy(void *dst, const void *src, size_t n);
void *mica_memmove(void *dst, const void *src, size_t n);
void *mica_memset(void *dst, int c, size_t n);

#endif
