/* Kernel command line (/chosen/bootargs, QEMU -append): space-separated
 * words, each "key" or "key=value". Mica's own keys start with "mica.". */
#ifndef MICA_BOOTARG_H
#define MICA_BOOTARG_H

#include "types.h"

/* Copies the value of key into out (NUL-terminated, truncated to outsz)
 * and returns true if key is present; a bare key has the value "". */
bool bootarg_get(const char *args, const char *key, char *out, size_t outsz);
/* The decimal value of key, or def if absent or not a number. */
long bootarg_long(const char *args, const char *key, long def);

#endif
