/* Rounding to an integer by IEEE-754 bit masks: picolibc 1.8's floor and
 * ceil are wrong for hundreds of inputs (floor(-2097152.25) was -2097155).
 * The exponent says which mantissa bits are fraction; clearing them
 * truncates toward zero, and adding one unit in the last integer place
 * first (carrying into the exponent if need be) rounds away from zero.
 * |x| >= 2^52 (2^23 for float), infinities and NaN are already integers. */
#include <stdint.h>
#include <string.h>

#include "mica/fround.h"

#define D_FRAC 52
#define D_BIAS 1023
#define F_FRAC 23
#define F_BIAS 127

/* Which way to go from a value with a fractional part. */
enum dir { TOWARD_ZERO, AWAY, HALF_AWAY };

static uint64_t dbits(double x)
{
	uint64_t u;
	memcpy(&u, &x, sizeof(u));
	return u;
}

static double dval(uint64_t u)
{
	double x;
	memcpy(&x, &u, sizeof(x));
	return x;
}

/* The integer next to x in direction d, by magnitude (the sign stays). */
static double dround(double x, enum dir d)
{
	uint64_t u = dbits(x), sign = u & (1ull << 63);
	int e = (int)((u >> D_FRAC) & 0x7ff) - D_BIAS;
	if (e >= D_FRAC)
		return x; /* integer already, or inf or NaN */
	if (e < 0) {      /* |x| < 1 */
		if ((u << 1) == 0)
			return x;
		if (d == AWAY || (d == HALF_AWAY && e == -1))
			return dval(sign | dbits(1.0));
		return dval(sign);
	}
	uint64_t mask = (1ull << (D_FRAC - e)) - 1;
	if ((u & mask) == 0)
		return x;
	if (d == AWAY)
		u += mask + 1;
	else if (d == HALF_AWAY)
		u += (mask + 1) >> 1;
	return dval(u & ~mask);
}

static uint32_t fbits(float x)
{
	uint32_t u;
	memcpy(&u, &x, sizeof(u));
	return u;
}

static float fval(uint32_t u)
{
	float x;
	memcpy(&x, &u, sizeof(x));
	return x;
}

/* dround for float. */
static float fround(float x, enum dir d)
{
	uint32_t u = fbits(x), sign = u & (1u << 31);
	int e = (int)((u >> F_FRAC) & 0xff) - F_BIAS;
	if (e >= F_FRAC)
		return x;
	if (e < 0) {
		if ((uint32_t)(u << 1) == 0)
			return x;
		if (d == AWAY || (d == HALF_AWAY && e == -1))
			return fval(sign | fbits(1.0f));
		return fval(sign);
	}
	uint32_t mask = (1u << (F_FRAC - e)) - 1;
	if ((u & mask) == 0)
		return x;
	if (d == AWAY)
		u += mask + 1;
	else if (d == HALF_AWAY)
		u += (mask + 1) >> 1;
	return fval(u & ~mask);
}

/* Down is toward zero for positive x and away from it for negative. */
double mica_floor(double x)
{
	return dround(x, dbits(x) >> 63 ? AWAY : TOWARD_ZERO);
}

double mica_ceil(double x)
{
	return dround(x, dbits(x) >> 63 ? TOWARD_ZERO : AWAY);
}

double mica_trunc(double x)
{
	return dround(x, TOWARD_ZERO);
}

double mica_round(double x)
{
	return dround(x, HALF_AWAY);
}

float mica_floorf(float x)
{
	return fround(x, fbits(x) >> 31 ? AWAY : TOWARD_ZERO);
}

float mica_ceilf(float x)
{
	return fround(x, fbits(x) >> 31 ? TOWARD_ZERO : AWAY);
}

float mica_truncf(float x)
{
	return fround(x, TOWARD_ZERO);
}

float mica_roundf(float x)
{
	return fround(x, HALF_AWAY);
}
