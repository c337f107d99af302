/* SHA-crypt ($5$ and $6$): the digest sequence of Drepper's
 * specification, written once over either hash, and its base-64 output
 * in the specification's byte order. crypt() is the static-buffer face. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mica/crypt.h"
#include "mica/sha2.h"

#define SALT_MAX       16
#define ROUNDS_DEFAULT 5000
#define ROUNDS_MIN     1000
#define ROUNDS_MAX     999999999UL

static const char b64[] = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/* One hash behind a common face: ctx is big enough for either. */
union ctx {
	struct sha256 s256;
	struct sha512 s512;
};

struct method {
	char id;    /* '5' or '6' */
	size_t len; /* digest bytes */
	void (*init)(union ctx *);
	void (*update)(union ctx *, const void *, size_t);
	void (*final)(union ctx *, uint8_t *);
	const uint8_t *order; /* digest bytes in output order, 3 per group */
};

static void i256(union ctx *c)
{
	sha256_init(&c->s256);
}
static void u256(union ctx *c, const void *p, size_t n)
{
	sha256_update(&c->s256, p, n);
}
static void f256(union ctx *c, uint8_t *o)
{
	sha256_final(&c->s256, o);
}
static void i512(union ctx *c)
{
	sha512_init(&c->s512);
}
static void u512(union ctx *c, const void *p, size_t n)
{
	sha512_update(&c->s512, p, n);
}
static void f512(union ctx *c, uint8_t *o)
{
	sha512_final(&c->s512, o);
}

/* The specification's output order; the last group is short (2 or 1
 * bytes, given first here as the high bytes of a 24-bit word). */
static const uint8_t order256[] = {0,  10, 20, 21, 1,  11, 12, 22, 2,  3,  13, 23, 24, 4,  14, 15,
                                   25, 5,  6,  16, 26, 27, 7,  17, 18, 28, 8,  9,  19, 29, 31, 30};
static const uint8_t order512[] = {0,  21, 42, 22, 43, 1,  44, 2,  23, 3,  24, 45, 25, 46, 4,  47,
                                   5,  26, 6,  27, 48, 28, 49, 7,  50, 8,  29, 9,  30, 51, 31, 52,
                                   10, 53, 11, 32, 12, 33, 54, 34, 55, 13, 56, 14, 35, 15, 36, 57,
                                   37, 58, 16, 59, 17, 38, 18, 39, 60, 40, 61, 19, 62, 20, 41, 63};

static const struct method methods[] = {
    {'5', 32, i256, u256, f256, order256},
    {'6', 64, i512, u512, f512, order512},
};

/* Adds `total` bytes made of copies of d (len bytes each) to c. */
static void add_repeated(const struct method *m, union ctx *c, const uint8_t *d, size_t total)
{
	for (; total > m->len; total -= m->len)
		m->update(c, d, m->len);
	m->update(c, d, total);
}

/* The digest of `s` (n bytes) repeated `times` times into out. */
static void digest_repeated(const struct method *m, const void *s, size_t n, size_t times,
                            uint8_t *out)
{
	union ctx c;
	m->init(&c);
	while (times--)
		m->update(&c, s, n);
	m->final(&c, out);
}

/* Steps 1-12 of the specification: the initial digest A. */
static void digest_a(const struct method *m, const char *key, size_t kl, const char *salt,
                     size_t sl, uint8_t *a)
{
	union ctx c;
	uint8_t b[64];
	m->init(&c);
	m->update(&c, key, kl), m->update(&c, salt, sl), m->update(&c, key, kl);
	m->final(&c, b);
	m->init(&c);
	m->update(&c, key, kl), m->update(&c, salt, sl);
	add_repeated(m, &c, b, kl);
	for (size_t bits = kl; bits; bits >>= 1)
		if (bits & 1)
			m->update(&c, b, m->len);
		else
			m->update(&c, key, kl);
	m->final(&c, a);
}

/* Steps 13-21: the rounds, stretching A with the P and S sequences. */
static int stretch(const struct method *m, const char *key, size_t kl, const char *salt, size_t sl,
                   unsigned long rounds, uint8_t *a)
{
	uint8_t dp[64], ds[64], *p = malloc(kl + 1), s[SALT_MAX];
	union ctx c;
	if (!p)
		return -1;
	digest_repeated(m, key, kl, kl, dp);
	for (size_t i = 0; i < kl; i++)
		p[i] = dp[i % m->len];
	digest_repeated(m, salt, sl, 16 + (size_t)a[0], ds);
	for (size_t i = 0; i < sl; i++)
		s[i] = ds[i % m->len];
	for (unsigned long r = 0; r < rounds; r++) {
		m->init(&c);
		if (r & 1)
			m->update(&c, p, kl);
		else
			m->update(&c, a, m->len);
		if (r % 3)
			m->update(&c, s, sl);
		if (r % 7)
			m->update(&c, p, kl);
		if (r & 1)
			m->update(&c, a, m->len);
		else
			m->update(&c, p, kl);
		m->final(&c, a);
	}
	memset(p, 0, kl), free(p);
	return 0;
}

/* The digest in the specification's base 64: 4 characters per 3 bytes,
 * low bits first; the last short group gives 3 (SHA-256) or 2. */
static char *encode(const struct method *m, const uint8_t *a, char *o)
{
	size_t full = m->len / 3 * 3;
	for (size_t i = 0; i <= full; i += 3) {
		size_t left = i < full ? 3 : m->len - full;
		uint32_t w = 0;
		for (size_t j = 0; j < 3; j++)
			w = w << 8 | (j < left ? a[m->order[i + j]] : 0);
		if (left < 3)
			w >>= 8 * (3 - left);
		for (size_t j = 0; j < left + 1; j++, w >>= 6)
			*o++ = b64[w & 63];
	}
	*o = '\0';
	return o;
}

/* "rounds=N$" at *sp: N clamped to the specification's range, *sp moved
 * past it. 0 if there is none, -1 if it is malformed. */
static int parse_rounds(const char **sp, unsigned long *rounds)
{
	if (strncmp(*sp, "rounds=", 7))
		return 0;
	char *end;
	const char *num = *sp + 7;
	if (*num < '0' || *num > '9')
		return -1;
	errno = 0;
	unsigned long r = strtoul(num, &end, 10);
	if (*end != '$')
		return -1;
	if (errno || r > ROUNDS_MAX)
		r = ROUNDS_MAX;
	*rounds = r < ROUNDS_MIN ? ROUNDS_MIN : r;
	*sp = end + 1;
	return 1;
}

char *crypt_sha(const char *key, const char *setting, char *out, size_t n)
{
	const struct method *m = NULL;
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (setting[0] == '$' && setting[1] == methods[i].id && setting[2] == '$')
			m = &methods[i];
	const char *salt = setting + 3;
	unsigned long rounds = ROUNDS_DEFAULT;
	int custom = m ? parse_rounds(&salt, &rounds) : -1;
	if (custom < 0 || n < CRYPT_MAX)
		return errno = EINVAL, NULL;
	size_t sl = strcspn(salt, "$");
	if (sl > SALT_MAX)
		sl = SALT_MAX;
	if (memchr(salt, ':', sl) || memchr(salt, '\n', sl))
		return errno = EINVAL, NULL;
	uint8_t a[64];
	size_t kl = strlen(key);
	digest_a(m, key, kl, salt, sl, a);
	if (stretch(m, key, kl, salt, sl, rounds, a) < 0)
		return errno = ENOMEM, NULL;
	int at = custom ? snprintf(out, n, "$%c$rounds=%lu$", m->id, rounds)
	                : snprintf(out, n, "$%c$", m->id);
	memcpy(out + at, salt, sl);
	out[at + sl] = '$';
	encode(m, a, out + at + sl + 1);
	memset(a, 0, sizeof(a));
	return out;
}

void crypt_make_setting(const void *seed, size_t n, char out[20])
{
	struct sha512 c;
	uint8_t d[64];
	sha512_init(&c);
	sha512_update(&c, seed, n);
	sha512_final(&c, d);
	memcpy(out, "$6$", 3);
	for (int i = 0; i < SALT_MAX; i++)
		out[3 + i] = b64[d[i] & 63];
	out[3 + SALT_MAX] = '\0';
}

bool crypt_check(const char *key, const char *hash)
{
	char buf[CRYPT_MAX];
	if (!hash[0] || hash[0] != '$' || !crypt_sha(key, hash, buf, sizeof(buf)))
		return false;
	size_t n = strlen(buf);
	if (strlen(hash) != n)
		return false;
	unsigned diff = 0;
	for (size_t i = 0; i < n; i++)
		diff |= (unsigned char)buf[i] ^ (unsigned char)hash[i];
	memset(buf, 0, sizeof(buf));
	return diff == 0;
}

char *crypt(const char *key, const char *setting)
{
	static char buf[CRYPT_MAX];
	return crypt_sha(key, setting, buf, sizeof(buf));
}
