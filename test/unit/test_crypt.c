/* lib/crypt.c and lib/sha2.c: SHA-256/512 digests, the SHA-crypt test
 * vectors of Drepper's specification, and agreement with the host's
 * libcrypt on settings it accepts. */
#include <criterion/criterion.h>
#include <crypt.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mica/crypt.h"
#include "mica/sha2.h"

static void hex(const uint8_t *d, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

Test(sha2, digests_of_abc_and_of_a_two_block_message)
{
	uint8_t d[64];
	char h[129];
	struct sha256 s;
	struct sha512 t;
	sha256_init(&s), sha256_update(&s, "abc", 3), sha256_final(&s, d), hex(d, 32, h);
	cr_assert_str_eq(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	sha512_init(&t), sha512_update(&t, "abc", 3), sha512_final(&t, d), hex(d, 64, h);
	cr_assert_str_eq(h, "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
	                    "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
	const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	sha256_init(&s);
	for (const char *p = m; *p; p++) /* byte by byte: the buffering */
		sha256_update(&s, p, 1);
	sha256_final(&s, d), hex(d, 32, h);
	cr_assert_str_eq(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

struct vec {
	const char *setting, *key, *hash;
};

/* From "Unix crypt using SHA-256 and SHA-512" (U. Drepper). */
static const struct vec vecs[] = {
    {"$5$saltstring", "Hello world!", "$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5"},
    {"$5$rounds=10000$saltstringsaltstring", "Hello world!",
     "$5$rounds=10000$saltstringsaltst$3xv.VbSHBb41AL9AvLeujZkZRBAwqFMz2.opqey6IcA"},
    {"$5$rounds=5000$toolongsaltstring", "This is just a test",
     "$5$rounds=5000$toolongsaltstrin$Un/5jzAHMgOGZ5.mWJpuVolil07guHPvOW8mGRcvxa5"},
    {"$6$saltstring", "Hello world!",
     "$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/"
     "O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1"},
    {"$6$rounds=10000$saltstringsaltstring", "Hello world!",
     "$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/"
     "UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v."},
    {"$6$rounds=5000$toolongsaltstring", "This is just a test",
     "$6$rounds=5000$toolongsaltstrin$"
     "lQ8jolhgVRVhY4b5pZKaysCLi0QBxGoNeKQzQ3glMhwllF7oGDZxUhx1yxdYcz/"
     "e1JSbq3y6JMxxl8audkUEm0"},
    {"$6$rounds=1400$anotherlongsaltstring",
     "a very much longer text to encrypt.  This one even stretches over morethan one line.",
     "$6$rounds=1400$anotherlongsalts$POfYwTEok97VWcjxIiSOjiykti.o/"
     "pQs.wPvMxQ6Fm7I6IoYN3CmLs66x9t0oSwbtEW7o7UmJEiDwGqd8p4ur1"},
    {"$6$rounds=77777$short", "we have a short salt string but not a short password",
     "$6$rounds=77777$short$WuQyW2YR.hBNpjjRhpYD/"
     "ifIw05xdfeEyQoMxIXbkvr0gge1a1x3yRULJ5CCaUeOxFmtlcGZelFl5CxtgfiAc0"},
    {"$6$rounds=123456$asaltof16chars..", "a short string",
     "$6$rounds=123456$asaltof16chars..$BtCwjqMJGx5hrJhZywWvt0RLE8uZ4oPwcelCjmw2kSYu."
     "Ec6ycULevoBK25fs2xXgMNrCzIMVcgEJAstJeonj1"},
    {"$6$rounds=10$roundstoolow", "the minimum number is still observed",
     "$6$rounds=1000$roundstoolow$kUMsbe306n21p9R.FRkW3IGn."
     "S9NPN0x50YhH1xhLsPuWGsUSklZt58jaTfF4ZEQpyUNGc0dqbpBYYBaHHrsX."},
};

Test(crypt, published_vectors)
{
	char out[CRYPT_MAX];
	for (size_t i = 0; i < sizeof(vecs) / sizeof(vecs[0]); i++) {
		cr_assert_not_null(crypt_sha(vecs[i].key, vecs[i].setting, out, sizeof(out)), "%zu",
		                   i);
		cr_assert_str_eq(out, vecs[i].hash, "vector %zu", i);
		/* a whole hash as the setting gives the same hash back */
		cr_assert_str_eq(crypt_sha(vecs[i].key, vecs[i].hash, out, sizeof(out)),
		                 vecs[i].hash);
	}
}

Test(crypt, agrees_with_the_host_libcrypt)
{
	const char *keys[] = {"",
	                      "root",
	                      "user",
	                      "x",
	                      "a password of exactly 64 bytes..............!!",
	                      "\xff\x01 binary"};
	const char *settings[] = {
	    "$6$abc",           "$5$abc", "$6$rounds=1000$0123456789abcdefXYZ",
	    "$5$rounds=2000$s", "$6$",    "$6$./Az09"};
	char out[CRYPT_MAX];
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
		for (size_t s = 0; s < sizeof(settings) / sizeof(settings[0]); s++) {
			const char *ref = crypt(keys[k], settings[s]);
			cr_assert(ref && ref[0] == '$', "host crypt refused %s", settings[s]);
			cr_assert_str_eq(crypt_sha(keys[k], settings[s], out, sizeof(out)), ref,
			                 "key %zu setting %s", k, settings[s]);
		}
}

Test(crypt, long_keys_agree_with_the_host)
{
	char key[512], out[CRYPT_MAX]; /* libxcrypt refuses keys over 512 bytes */
	for (size_t n = 0; n < sizeof(key); n += 37) {
		memset(key, 'a' + n % 26, n), key[n] = '\0';
		cr_assert_str_eq(crypt_sha(key, "$6$rounds=1000$long", out, sizeof(out)),
		                 crypt(key, "$6$rounds=1000$long"), "%zu", n);
	}
}

Test(crypt, bad_settings_are_refused)
{
	char out[CRYPT_MAX];
	const char *bad[] = {"",
	                     "$",
	                     "$1$md5salt",
	                     "ab",
	                     "$6",
	                     "$7$x",
	                     "$6$rounds=$s",
	                     "$6$rounds=12x$s",
	                     "$6$rounds=-5$s",
	                     "$6$sa:lt"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		cr_assert_null(crypt_sha("k", bad[i], out, sizeof(out)), "%s", bad[i]);
		cr_assert_eq(errno, EINVAL);
	}
	cr_assert_null(crypt_sha("k", "$6$abc", out, 10), "short buffer");
}

Test(crypt, check_accepts_the_right_key_only)
{
	const char *h = vecs[3].hash;
	cr_assert(crypt_check("Hello world!", h));
	cr_assert(!crypt_check("Hello world", h));
	cr_assert(!crypt_check("Hello world!", ""));
	cr_assert(!crypt_check("", "!"));
	cr_assert(!crypt_check("Hello world!", "*"));
	char trunc[200];
	snprintf(trunc, sizeof(trunc), "%.*s", (int)strlen(h) - 1, h);
	cr_assert(!crypt_check("Hello world!", trunc));
}

Test(crypt, made_settings_are_sha512_with_16_salt_characters)
{
	char a[20], b[20], out[CRYPT_MAX];
	crypt_make_setting("seed1", 5, a);
	crypt_make_setting("seed2", 5, b);
	cr_assert_eq(strlen(a), 19);
	cr_assert_eq(strncmp(a, "$6$", 3), 0);
	cr_assert_str_neq(a, b);
	cr_assert_str_eq(crypt_sha("pw", a, out, sizeof(out)), crypt("pw", a));
}
