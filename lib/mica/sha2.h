/* SHA-256 and SHA-512 (FIPS 180-4), incremental: init, update any
 * number of times, final. Pure code: the crypt $5$/$6$ hashes use it and
 * it builds on the host for the unit tests. */
#ifndef MICA_SHA2_H
#define MICA_SHA2_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t len; /* bytes hashed so far */
	uint8_t buf[64];
};

struct sha512 {
	uint64_t h[8];
	uint64_t len; /* bytes so far (2^64 is plenty for passwords) */
	uint8_t buf[128];
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t n);
void sha256_final(struct sha256 *s, uint8_t out[32]);

void sha512_init(struct sha512 *s);
void sha512_update(struct sha512 *s, const void *data, size_t n);
void sha512_final(struct sha512 *s, uint8_t out[64]);

#endif
