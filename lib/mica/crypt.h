/* Password hashing: SHA-crypt ($5$ SHA-256, $6$ SHA-512) as Ulrich
 * Drepper's "Unix crypt using SHA-256 and SHA-512" specifies. Pure code,
 * built on the host too (where glibc's crypt() is the reference). */
#ifndef MICA_CRYPT_H
#define MICA_CRYPT_H

#include <stdbool.h>
#include <stddef.h>

/* Room for any result: "$6$rounds=999999999$" + 16 salt + '$' + 86 + NUL. */
#define CRYPT_MAX 128

/* key hashed with setting ("$6$salt", "$5$rounds=N$salt", or a whole
 * earlier hash: what follows the salt is ignored) into out[0..n): out,
 * or NULL (errno EINVAL) for an unknown method or a malformed setting. */
char *crypt_sha(const char *key, const char *setting, char *out, size_t n);

/* A fresh "$6$<16 salt chars>" setting from seed bytes (the caller
 * gathers them: clock, pid, counters). */
void crypt_make_setting(const void *seed, size_t n, char out[20]);

/* Whether key hashes to `hash`, compared in time independent of where
 * they differ; false for an empty or locked ("!", "*") hash. */
bool crypt_check(const char *key, const char *hash);

#endif
