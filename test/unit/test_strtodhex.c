/* lib/strtodhex.c against the host's strtod: value bit for bit, where
 * the number ends, and the range error for overflow (errno here is
 * Mica's header, so the host's is not compared), on generated hex strings (long mantissas, points,
 * exponents into the subnormal and overflow ranges, junk after) and on
 * the edge cases of the syntax. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mica/strtodhex.h"

static uint64_t rng = 0x243f6a8885a308d3ull;

static unsigned pick(unsigned n)
{
	rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static void check(const char *s)
{
	char *want_end, *got_end;
	double got;
	bool range;
	double want = strtod(s, &want_end);
	cr_assert(mica_strtod_hex(s, &got, &got_end, &range), "not taken: \"%s\"", s);
	cr_assert(!memcmp(&got, &want, sizeof(got)), "\"%s\": %a, want %a", s, got, want);
	cr_assert_eq(got_end, want_end, "\"%s\": ends at %td, want %td", s, got_end - s,
	             want_end - s);
	if (isinf(want) || isnormal(want))
		cr_assert_eq(range, !!isinf(want), "\"%s\": range %d", s, range);
}

/* A random hex number in buf: sign, digits, maybe a point, maybe p. */
static void generate(char *buf, size_t size)
{
	static const char digits[] = "0123456789abcdefABCDEF";
	static const char *tails[] = {"", "", "", "x", " 1", "p", "p+", "g", ".", "e5"};
	size_t n = 0;
	int len = 1 + (int)pick(pick(4) ? 20 : 40);
	int point = pick(3) ? (int)pick((unsigned)len + 1) : -1;
	n += (size_t)snprintf(buf + n, size - n, "%s%s0%c", pick(4) ? "" : " \t",
	                      (const char *[]){"", "-", "+"}[pick(3)], pick(2) ? 'x' : 'X');
	for (int i = 0; i < len; i++) {
		if (i == point)
			buf[n++] = '.';
		buf[n++] = pick(5) ? digits[pick(22)] : '0';
	}
	if (pick(4))
		n += (size_t)snprintf(buf + n, size - n, "%c%d", pick(2) ? 'p' : 'P',
		                      (int)pick(2300) - 1150 - 4 * len);
	snprintf(buf + n, size - n, "%s", tails[pick(10)]);
}

Test(strtodhex, generated_strings_match_libc)
{
	char buf[128];
	for (int i = 0; i < 30000; i++) {
		generate(buf, sizeof(buf));
		check(buf);
	}
}

Test(strtodhex, rounding_at_the_edges_matches_libc)
{
	static const char *cases[] = {
	    "0x1.fffffffffffff8p0",
	    "0x1.fffffffffffff7ffffp0",
	    "0x1.00000000000008p0",
	    "0x1.000000000000080001p0",
	    "0x1.00000000000018p0",
	    "0x1.fffffffffffffp1023",
	    "0x1.fffffffffffff8p1023",
	    "0x1p1024",
	    "0x1p-1074",
	    "0x1p-1075",
	    "0x1.0000001p-1075",
	    "0x1p-1076",
	    "0x0.fffffffffffff8p-1022",
	    "0x1.ffffffffffffep-1023",
	    "0x3p-1076",
	    "0x0000000000000000000000001p0",
	    "0x.00000000000000000001p80",
	    "0x123456789abcdef0123456789p-40",
	    "0x1p99999999999999999999",
	    "-0x1p-99999999999999",
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check(cases[i]);
}

Test(strtodhex, syntax_edges_match_libc)
{
	static const char *cases[] = {
	    "0x",       "0X",     "-0x",    "0x.",    "0x.p1",   "0xp1", "0xg",
	    "0x1p",     "0x1p+",  "0x1p-x", "0x1.",   "0x.8",    "-0x0", "0x1.8.8",
	    " +0xAA.0", "0xAA.0", "0x1P3",  "0x1p+3", "0x1p-3z",
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check(cases[i]);
}

Test(strtodhex, leaves_decimal_input_alone)
{
	double v = 42;
	char *end = NULL;
	bool r;
	cr_assert(!mica_strtod_hex("1.5", &v, &end, &r));
	cr_assert(!mica_strtod_hex("  -inf", &v, &end, &r));
	cr_assert(!mica_strtod_hex("0", &v, &end, &r));
	cr_assert(!mica_strtod_hex("x1", &v, &end, &r));
	cr_assert(v == 42 && end == NULL);
}

Test(strtodhex, issue_example)
{
	double v;
	bool r;
	cr_assert(mica_strtod_hex("0xAA.0", &v, NULL, &r));
	cr_assert_eq(v, 170.0);
}
