/* strtod for hexadecimal input: "0x" hex digits with an optional '.',
 * an optional binary exponent "p[+-]ddd", correctly rounded to nearest
 * even, with subnormals, overflow to infinity and ERANGE. The first 15
 * significant hex digits are kept exactly (60 bits); the rest only tell
 * whether anything non-zero was dropped, which is all rounding needs. */
#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include "mica/strtodhex.h"

#define EXP_CAP 100000 /* beyond any double, small enough not to overflow */

/* What the digits say: value = (mant + a bit if sticky) * 2^exp2. */
struct hexnum {
	uint64_t mant;
	long exp2;
	bool sticky;
	bool any_digit;
	bool range; /* set by to_double: overflow, or tiny and inexact */
};

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Takes one digit: into the mantissa while it has room, else into sticky;
 * a digit after the point scales by 1/16 only if kept. */
static void take_digit(struct hexnum *h, int d, bool after_point)
{
	h->any_digit = true;
	if (h->mant >> 60 == 0) {
		h->mant = h->mant * 16 + (uint64_t)d;
		h->exp2 -= after_point ? 4 : 0;
	} else {
		h->sticky |= d != 0;
		h->exp2 += after_point ? 0 : 4;
	}
}

/* Reads "p[+-]digits" if it is there in full; returns where it ends. */
static const char *read_exponent(const char *s, long *exp2)
{
	const char *p = s + 1;
	int sign = 1;
	long e = 0;
	if (*s != 'p' && *s != 'P')
		return s;
	if (*p == '+' || *p == '-')
		sign = *p++ == '-' ? -1 : 1;
	if (!isdigit((unsigned char)*p))
		return s;
	for (; isdigit((unsigned char)*p); p++)
		if (e < EXP_CAP)
			e = e * 10 + (*p - '0');
	*exp2 += sign * e;
	return p;
}

/* m >> shift, rounded to nearest even; sticky says bits below m were set. */
static uint64_t round_shift(uint64_t m, int shift, bool sticky)
{
	if (shift == 0)
		return m;
	if (shift > 64)
		return 0;
	uint64_t kept = shift == 64 ? 0 : m >> shift;
	uint64_t rem = shift == 64 ? m : m & ((1ull << shift) - 1);
	uint64_t half = 1ull << (shift - 1);
	if (rem > half || (rem == half && (sticky || (kept & 1))))
		kept++;
	return kept;
}

/* The double nearest to h (positive); h->range if it overflows or is
 * below the normal range and inexact. */
static double to_double(struct hexnum *h)
{
	if (h->mant == 0)
		return 0.0;
	int lz = __builtin_clzll(h->mant);
	uint64_t m = h->mant << lz;
	long e = h->exp2 - lz + 63; /* value = m / 2^63 * 2^e */
	uint64_t bits;
	if (e > 1023)
		goto overflow;
	if (e >= -1022) {
		uint64_t q = round_shift(m, 11, h->sticky);
		if (q >> 53)
			q >>= 1, e++;
		if (e > 1023)
			goto overflow;
		bits = ((uint64_t)(e + 1023) << 52) | (q & ((1ull << 52) - 1));
	} else {
		int shift = e < -1022 - 54 ? 65 : (int)(11 - 1022 - e);
		bool exact = !h->sticky && shift < 64 && (m & ((1ull << shift) - 1)) == 0;
		bits = round_shift(m, shift, h->sticky);
		h->range = !exact && bits >> 52 == 0;
	}
	double d;
	memcpy(&d, &bits, sizeof(d));
	return d;
overflow:
	h->range = true;
	return __builtin_inf();
}

/* Reads hex digits with at most one point; returns where they end. */
static const char *read_digits(const char *p, struct hexnum *h)
{
	bool after_point = false;
	for (;; p++) {
		int d = hexval(*p);
		if (d >= 0)
			take_digit(h, d, after_point);
		else if (*p == '.' && !after_point)
			after_point = true;
		else
			return p;
	}
}

bool mica_strtod_hex(const char *s, double *val, char **end, bool *range)
{
	const char *p = s;
	bool neg = false;
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if (p[0] != '0' || (p[1] != 'x' && p[1] != 'X'))
		return false;
	struct hexnum h = {0};
	const char *q = read_digits(p + 2, &h);
	if (!h.any_digit) {
		q = p + 1; /* just "0": the x is not part of the number */
	} else {
		q = read_exponent(q, &h.exp2);
	}
	double d = to_double(&h);
	*val = neg ? -d : d;
	*range = h.range;
	if (end)
		*end = (char *)q;
	return true;
}
