/* POSIX cksum's CRC (see crc.h), a byte at a time through a table built
 * on first use. */
#include "crc.h"

static uint32_t table[256];

static void crc_table(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i << 24;
		for (int k = 0; k < 8; k++)
			c = c & 0x80000000u ? c << 1 ^ 0x04c11db7u : c << 1;
		table[i] = c;
	}
}

uint32_t crc_update(uint32_t crc, const void *data, size_t n)
{
	const unsigned char *p = data;
	if (!table[1])
		crc_table();
	while (n--)
		crc = crc << 8 ^ table[(crc >> 24 ^ *p++) & 0xff];
	return crc;
}

uint32_t crc_finish(uint32_t crc, uint64_t len)
{
	for (; len; len >>= 8) {
		unsigned char b = (unsigned char)len;
		crc = crc_update(crc, &b, 1);
	}
	return ~crc;
}
