/* Hexadecimal floating-point input (lib/strtodhex.c): picolibc 1.8's
 * strtod reads "0xAA.0" as 1360; lib/libcfix.c routes hex input here. */
#ifndef MICA_STRTODHEX_H
#define MICA_STRTODHEX_H

#include <stdbool.h>

/* If s (after white space and a sign) starts with 0x or 0X, converts it
 * as strtod does, sets *val, *end (unless end is NULL) and *range (true
 * where strtod sets ERANGE), and returns true; otherwise returns false
 * and touches nothing. */
bool mica_strtod_hex(const char *s, double *val, char **end, bool *range);

#endif
