/* lib/fround.c against the host's C library, bit for bit (any NaN for a
 * NaN): random bit patterns over every exponent, values near integers and
 * halves, tiny and huge values, signed zeros, infinities and NaN. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "mica/fround.h"

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
	rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
	return rng;
}

static double from_bits(uint64_t u)
{
	double x;
	memcpy(&x, &u, sizeof(x));
	return x;
}

static uint64_t to_bits(double x)
{
	uint64_t u;
	memcpy(&u, &x, sizeof(u));
	return u;
}

/* The i-th test value: a deterministic mix of the interesting kinds. */
static double sample(unsigned i)
{
	static const double special[] = {
	    0.0,         -0.0,         INFINITY,      -INFINITY, NAN,        -NAN,
	    0.5,         -0.5,         1.0,           -1.0,      0x1p52,     -0x1p52,
	    0x1p53,      0x1p52 - 0.5, -0x1p52 + 0.5, 0x1p-1074, -0x1p-1074, 0x1.fffffffffffffp-1,
	    -2097152.25, 2097152.25,   1.5,           -2.5};
	uint64_t r = next();
	double n = (double)(int64_t)(r >> 20) / (double)(1ull << (r % 44));
	switch (i % 6) {
	case 0:
		return i / 6 < sizeof(special) / sizeof(special[0]) ? special[i / 6] : from_bits(r);
	case 1: /* random mantissa, exponent where the fraction is */
		return from_bits((r & 0x800fffffffffffffull) |
		                 ((uint64_t)(1013 + (r >> 52) % 50) << 52));
	case 2: /* near an integer */
		return nextafter(round(n), (r & 1) ? INFINITY : -INFINITY);
	case 3: /* a half */
		return trunc(n) + ((r & 1) ? 0.5 : -0.5);
	case 4: /* tiny or huge */
		return from_bits(
		    (r & 0x800fffffffffffffull) |
		    ((uint64_t)((r & 2) ? (r >> 52) % 40 : 1040 + (r >> 52) % 1000) << 52));
	default:
		return n;
	}
}

static int same(double a, double b)
{
	return (isnan(a) && isnan(b)) || to_bits(a) == to_bits(b);
}

static int samef(float a, float b)
{
	return (isnan(a) && isnan(b)) || !memcmp(&a, &b, sizeof(a));
}

#define N 30000

Test(fround, double_functions_match_libc_bit_for_bit)
{
	for (unsigned i = 0; i < N; i++) {
		double x = sample(i);
		cr_assert(same(mica_floor(x), floor(x)), "floor(%a) = %a", x, mica_floor(x));
		cr_assert(same(mica_ceil(x), ceil(x)), "ceil(%a) = %a", x, mica_ceil(x));
		cr_assert(same(mica_trunc(x), trunc(x)), "trunc(%a) = %a", x, mica_trunc(x));
		cr_assert(same(mica_round(x), round(x)), "round(%a) = %a", x, mica_round(x));
	}
}

Test(fround, float_functions_match_libc_bit_for_bit)
{
	for (unsigned i = 0; i < N; i++) {
		double d = sample(i);
		float x = (i & 1) ? (float)d : (float)(d * 0x1p-30);
		cr_assert(samef(mica_floorf(x), floorf(x)), "floorf(%a)", (double)x);
		cr_assert(samef(mica_ceilf(x), ceilf(x)), "ceilf(%a)", (double)x);
		cr_assert(samef(mica_truncf(x), truncf(x)), "truncf(%a)", (double)x);
		cr_assert(samef(mica_roundf(x), roundf(x)), "roundf(%a)", (double)x);
	}
}

Test(fround, issue_example)
{
	cr_assert_eq(mica_floor(-2097152.25), -2097153.0);
	cr_assert_eq(mica_ceil(-2097152.25), -2097152.0);
}
