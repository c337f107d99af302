/* strtod for user programs: hexadecimal input by lib/strtodhex.c (picolibc
 * 1.8 reads "0xAA.0" as 1360), decimal, inf and nan by picolibc's own.
 * The link wraps the name (-Wl,--wrap=strtod): every call to strtod,
 * atof's included, comes here, and __real_strtod is picolibc's. A file of
 * its own so that linking the rest of the runtime needs no --wrap. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include "mica/strtodhex.h"

double __real_strtod(const char *s, char **end);
double __wrap_strtod(const char *s, char **end);

/* Hex input here, decimal (and inf, nan) to picolibc. */
double __wrap_strtod(const char *s, char **end)
{
	double v;
	bool range;
	if (!mica_strtod_hex(s, &v, end, &range))
		return __real_strtod(s, end);
	if (range)
		errno = ERANGE;
	return v;
}
