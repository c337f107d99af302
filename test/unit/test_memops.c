/* lib/memops.c against the host's C library: every alignment of source
 * and destination, every length up to 130 and some large ones, overlaps
 * both ways for memmove; the bytes around the target must not change. */
#include <criterion/criterion.h>
#include <string.h>

#include "mica/memops.h"

#define AREA 4608

static unsigned char a[AREA], b[AREA], want[AREA], got[AREA];

static void fill(unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(seed * 31 + i * 7 + (i >> 8));
}

static const size_t lens[] = {0,  1,  2,  3,  7,  8,   9,   15,  16,   17,  31,
                              32, 33, 63, 64, 65, 100, 129, 130, 1000, 4096};

Test(memops, memcpy_matches_libc_at_every_alignment)
{
	for (size_t li = 0; li < sizeof(lens) / sizeof(lens[0]); li++)
		for (int so = 0; so < 8; so++)
			for (int dof = 0; dof < 8; dof++) {
				size_t n = lens[li];
				fill(a, AREA, (unsigned)(so + 3 * dof));
				fill(want, AREA, 99), fill(got, AREA, 99);
				memcpy(want + 16 + dof, a + so, n);
				cr_assert_eq(mica_memcpy(got + 16 + dof, a + so, n),
				             got + 16 + dof);
				cr_assert(!memcmp(want, got, AREA), "len %zu src+%d dst+%d", n, so,
				          dof);
			}
}

Test(memops, memset_matches_libc_at_every_alignment)
{
	for (size_t li = 0; li < sizeof(lens) / sizeof(lens[0]); li++)
		for (int off = 0; off < 8; off++)
			for (int c = -1; c < 300; c += 150) {
				size_t n = lens[li];
				fill(want, AREA, 5), fill(got, AREA, 5);
				memset(want + off, c, n);
				cr_assert_eq(mica_memset(got + off, c, n), got + off);
				cr_assert(!memcmp(want, got, AREA), "len %zu off %d c %d", n, off,
				          c);
			}
}

Test(memops, memmove_matches_libc_for_overlaps_both_ways)
{
	for (size_t li = 0; li < sizeof(lens) / sizeof(lens[0]) - 1; li++)
		for (int shift = -17; shift <= 17; shift++)
			for (int off = 0; off < 8; off++) {
				size_t n = lens[li];
				size_t src = 64 + (size_t)off, dst = (size_t)((long)src + shift);
				fill(want, AREA, 11), fill(got, AREA, 11);
				memmove(want + dst, want + src, n);
				cr_assert_eq(mica_memmove(got + dst, got + src, n), got + dst);
				cr_assert(!memcmp(want, got, AREA), "len %zu shift %d off %d", n,
				          shift, off);
			}
}

Test(memops, memcpy_of_distinct_buffers_leaves_the_source_alone)
{
	fill(a, AREA, 1), memcpy(b, a, AREA);
	mica_memcpy(got, a, AREA);
	cr_assert(!memcmp(a, b, AREA));
	cr_assert(!memcmp(got, a, AREA));
}
