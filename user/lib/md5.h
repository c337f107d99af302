/* MD5 (RFC 1321) for md5sum: a running digest fed in pieces. */
#ifndef USER_LIB_MD5_H
#define USER_LIB_MD5_H

#include <stddef.h>
#include <stdint.h>

struct md5 {
	uint32_t s[4];       /* the state A, B, C, D */
	uint64_t len;        /* bytes fed so far */
	unsigned char b[64]; /* a partial block of len % 64 bytes */
};

void md5_init(struct md5 *m);
void md5_update(struct md5 *m, const void *p, size_t n);
/* Pads, finishes and stores the 16-byte digest. */
void md5_final(struct md5 *m, unsigned char out[16]);

#endif
