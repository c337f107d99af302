/* Fast memcpy, memmove and memset for user programs: picolibc 1.8's copy
 * one byte at a time (6 instructions a byte), which was most of the cost
 * of a pipe or an exec. Words when the pointers can be aligned together,
 * bytes at the ends. Named mica_* so the host tests can pin them against
 * the host's C library; lib/memlibc.c gives them the standard names. */
#include <stddef.h>
#include <stdint.h>

#include "mica/memops.h"

/* These loops are memcpy and memset: the compiler must not turn them
 * back into calls to memcpy and memset. */
#pragma GCC optimize("no-tree-loop-distribute-patterns")

#define WORD sizeof(uint64_t)

static int aligned(const void *p)
{
	return ((uintptr_t)p & (WORD - 1)) == 0;
}

void *mica_memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	uint64_t w = (unsigned char)c * 0x0101010101010101ull;
	for (; n && !aligned(d); n--)
		*d++ = (unsigned char)c;
	for (; n >= 4 * WORD; n -= 4 * WORD, d += 4 * WORD) {
		uint64_t *q = (uint64_t *)(void *)d;
		q[0] = w, q[1] = w, q[2] = w, q[3] = w;
	}
	for (; n >= WORD; n -= WORD, d += WORD)
		*(uint64_t *)(void *)d = w;
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

/* Forward copy: words when src and dst share their alignment. */
static void copy_up(unsigned char *d, const unsigned char *s, size_t n)
{
	if ((((uintptr_t)d ^ (uintptr_t)s) & (WORD - 1)) == 0) {
		for (; n && !aligned(d); n--)
			*d++ = *s++;
		for (; n >= 4 * WORD; n -= 4 * WORD, d += 4 * WORD, s += 4 * WORD) {
			const uint64_t *p = (const uint64_t *)(const void *)s;
			uint64_t *q = (uint64_t *)(void *)d;
			uint64_t a = p[0], b = p[1], c = p[2], e = p[3];
			q[0] = a, q[1] = b, q[2] = c, q[3] = e;
		}
		for (; n >= WORD; n -= WORD, d += WORD, s += WORD)
			*(uint64_t *)(void *)d = *(const uint64_t *)(const void *)s;
	}
	while (n--)
		*d++ = *s++;
}

void *mica_memcpy(void *dst, const void *src, size_t n)
{
	copy_up(dst, src, n);
	return dst;
}

void *mica_memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	if (d <= s || d >= s + n) {
		copy_up(d, s, n);
		return dst;
	}
	d += n, s += n; /* overlapping, dst above: backwards */
	if ((((uintptr_t)d ^ (uintptr_t)s) & (WORD - 1)) == 0) {
		for (; n && !aligned(d); n--)
			*--d = *--s;
		for (; n >= WORD; n -= WORD) {
			d -= WORD, s -= WORD;
			*(uint64_t *)(void *)d = *(const uint64_t *)(const void *)s;
		}
	}
	while (n--)
		*--d = *--s;
	return dst;
}
