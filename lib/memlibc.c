/* The standard names for lib/memops.c in user programs: linked before
 * picolibc's libc.a, these are the ones every program and server uses. */
#include <string.h>

#include "mica/memops.h"

void *memcpy(void *dst, const void *src, size_t n)
{
	return mica_memcpy(dst, src, n);
}

void *memmove(void *dst, const void *src, size_t n)
{
	return mica_memmove(dst, src, n);
}

void *memset(void *dst, int c, size_t n)
{
	return mica_memset(dst, c, n);
}
