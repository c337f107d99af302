/* The standard names for lib/fround.c, replacing picolibc 1.8's wrong
 * floor and ceil (and their kin) in user programs only: linked before
 * libc.a, these are the ones they get. */
#include <math.h>

#include "mica/fround.h"

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
