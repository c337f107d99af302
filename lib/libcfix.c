/* The standard names for Mica's replacements of picolibc 1.8 routines
 * that give wrong answers (lib/fround.c, lib/strtodhex.c), for user
 * programs only: linked before libc.a, these are the ones they get.
 * strtod keeps picolibc's decimal conversion: the link wraps the name
 * (-Wl,--wrap=strtod), so __real_strtod is picolibc's. */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include "mica/fround.h"
#include "mica/strtodhex.h"

double __real_strtod(const char *s, char **end);
double __wrap_strtod(const char *s, char **end);

double floor(double x)
{
	return mica_floor(x);
}

double ceil(double x)
{
	return mica_ceil(x);
}

double trunc(double x)
{
	return mica_trunc(x);
}

double round(double x)
{
	return mica_round(x);
}

float floorf(float x)
{
	return mica_floorf(x);
}

float ceilf(float x)
{
	return mica_ceilf(x);
}

float truncf(float x)
{
	return mica_truncf(x);
}

float roundf(float x)
{
	return mica_roundf(x);
}

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
