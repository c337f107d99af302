/* <crypt.h> for Mica: crypt() with the SHA-crypt methods $5$ and $6$
 * (lib/crypt.c; docs/libc.md). */
#ifndef MICA_CRYPT_PUBLIC_H
#define MICA_CRYPT_PUBLIC_H

#include "mica/crypt.h"

char *crypt(const char *key, const char *setting);

#endif
