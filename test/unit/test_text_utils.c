/* The text utilities' logic in user/lib/: MD5 against RFC 1321's test
 * suite, cksum's CRC against GNU cksum, diff's edit script, printf's
 * conversions, sort's keys and tr's sets. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../user/lib/crc.h"
#include "../../user/lib/lcs.h"
#include "../../user/lib/md5.h"
#include "../../user/lib/pfmt.h"
#include "../../user/lib/sortkey.h"
#include "../../user/lib/trset.h"

/* --- md5 ------------------------------------------------------------------ */

static void md5_hex(const char *s, size_t chunk, char hex[33])
{
	struct md5 m;
	unsigned char d[16];
	size_t n = strlen(s);
	md5_init(&m);
	for (size_t i = 0; i < n; i += chunk)
		md5_update(&m, s + i, n - i < chunk ? n - i : chunk);
	md5_final(&m, d);
	for (int i = 0; i < 16; i++)
		sprintf(hex + 2 * i, "%02x", d[i]);
}

Test(text_md5, rfc1321_test_suite)
{
	static const char *cases[][2] = {
	    {"", "d41d8cd98f00b204e9800998ecf8427e"},
	    {"a", "0cc175b9c0f1b6a831c399e269772661"},
	    {"abc", "900150983cd24fb0d6963f7d28e17f72"},
	    {"message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
	    {"abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"},
	    {"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
	     "d174ab98d277d9f5a5611c2c9f419d9f"},
	    {"1234567890123456789012345678901234567890123456789012345678901234567890123456789"
	     "0",
	     "57edf4a22be3c955ac49da2e2107b67a"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char hex[33];
		md5_hex(cases[i][0], 1000, hex);
		cr_expect_str_eq(hex, cases[i][1], "md5(\"%s\")", cases[i][0]);
	}
}

Test(text_md5, pieces_of_any_size_give_the_same_digest)
{
	char whole[33], bytewise[33], odd[33];
	const char *s = "The quick brown fox jumps over the lazy dog, then over it again and "
	                "again until the text spans more than one 64-byte block.";
	md5_hex(s, 10000, whole);
	md5_hex(s, 1, bytewise);
	md5_hex(s, 7, odd);
	cr_expect_str_eq(bytewise, whole);
	cr_expect_str_eq(odd, whole);
}

/* --- cksum ---------------------------------------------------------------- */

static unsigned long cksum_of(const void *p, size_t n)
{
	return crc_finish(crc_update(0, p, n), n);
}

Test(text_crc, matches_posix_cksum)
{
	/* Values from GNU cksum on the host. */
	cr_expect_eq(cksum_of("", 0), 4294967295ul);
	cr_expect_eq(cksum_of("abc", 3), 1219131554ul);
	cr_expect_eq(cksum_of("123456789", 9), 930766865ul);
	cr_expect_eq(cksum_of("hello world\n", 12), 3733384285ul);
	static char zeros[1000];
	cr_expect_eq(cksum_of(zeros, sizeof(zeros)), 2610763910ul);
}

Test(text_crc, can_be_fed_in_pieces)
{
	uint32_t c = crc_update(0, "hello ", 6);
	c = crc_update(c, "world\n", 6);
	cr_expect_eq(crc_finish(c, 12), 3733384285ul);
}

/* --- diff's edit script --------------------------------------------------- */

static long diff_of(const char *a, const char *b, struct lcs_hunk **h)
{
	long x[64], y[64];
	size_t na = strlen(a), nb = strlen(b);
	for (size_t i = 0; i < na; i++)
		x[i] = a[i];
	for (size_t i = 0; i < nb; i++)
		y[i] = b[i];
	return lcs_diff(x, na, y, nb, h);
}

static void expect_hunk(const struct lcs_hunk *h, size_t a0, size_t a1, size_t b0, size_t b1)
{
	cr_expect(h->a0 == a0 && h->a1 == a1 && h->b0 == b0 && h->b1 == b1,
	          "hunk [%zu,%zu) [%zu,%zu), expected [%zu,%zu) [%zu,%zu)", h->a0, h->a1, h->b0,
	          h->b1, a0, a1, b0, b1);
}

Test(text_lcs, equal_sequences_have_no_hunks)
{
	struct lcs_hunk *h;
	cr_expect_eq(diff_of("abcdef", "abcdef", &h), 0);
	free(h);
	cr_expect_eq(diff_of("", "", &h), 0);
	free(h);
}

Test(text_lcs, insertion_deletion_and_change)
{
	struct lcs_hunk *h;
	cr_assert_eq(diff_of("abcd", "abXcd", &h), 1);
	expect_hunk(&h[0], 2, 2, 2, 3);
	free(h);
	cr_assert_eq(diff_of("abcd", "acd", &h), 1);
	expect_hunk(&h[0], 1, 2, 1, 1);
	free(h);
	cr_assert_eq(diff_of("abcd", "aXcd", &h), 1);
	expect_hunk(&h[0], 1, 2, 1, 2);
	free(h);
	cr_assert_eq(diff_of("", "xy", &h), 1);
	expect_hunk(&h[0], 0, 0, 0, 2);
	free(h);
}

Test(text_lcs, myers_paper_example_is_a_shortest_script)
{
	struct lcs_hunk *h;
	long n = diff_of("abcabba", "cbabac", &h); /* the paper's example: D = 5 */
	size_t edits = 0, kept = 7;
	for (long i = 0; i < n; i++) {
		edits += (h[i].a1 - h[i].a0) + (h[i].b1 - h[i].b0);
		kept -= h[i].a1 - h[i].a0;
	}
	cr_expect_eq(edits, 5);
	cr_expect_eq(kept, 4); /* the LCS has 4 elements */
	free(h);
}

Test(text_lcs, separate_changes_are_separate_hunks)
{
	struct lcs_hunk *h;
	cr_assert_eq(diff_of("abcdefgh", "aBcdefGh", &h), 2);
	expect_hunk(&h[0], 1, 2, 1, 2);
	expect_hunk(&h[1], 6, 7, 6, 7);
	free(h);
}

/* --- printf --------------------------------------------------------------- */

static char *pf(const char *fmt, int n, char **args, int *rc)
{
	static char buf[512];
	FILE *f = fmemopen(buf, sizeof(buf), "w");
	*rc = pfmt_run(f, fmt, args, n);
	fclose(f);
	return buf;
}

Test(text_pfmt, conversions_with_flags_width_and_precision)
{
	char *args[] = {"3.14159", "ab", "255", "5", "-42", "8", "12345.678"};
	int rc;
	cr_expect_str_eq(pf("%5.2f|%-5s|%#x|%+d|%05d|%o|%e", 7, args, &rc),
	                 " 3.14|ab   |0xff|+5|-0042|10|1.234568e+04");
	cr_expect_eq(rc, 0);
	char *star[] = {"5", "42", "2", "abcdef"};
	cr_expect_str_eq(pf("%*d|%.*s", 4, star, &rc), "   42|ab");
}

Test(text_pfmt, format_is_reused_and_missing_arguments_are_empty)
{
	char *args[] = {"a", "b", "c"};
	int rc;
	cr_expect_str_eq(pf("%s-%s\n", 3, args, &rc), "a-b\nc-\n");
	cr_expect_str_eq(pf("%d|%s|", 0, args, &rc), "0||");
	cr_expect_str_eq(pf("x\n", 3, args, &rc), "x\n");
}

Test(text_pfmt, escapes_and_percent_b)
{
	char *args[] = {"a\\tb\\0101\\c", "never"};
	int rc;
	cr_expect_str_eq(pf("\\101\\t\\\\%%\\x41|%b|", 2, args, &rc), "A\t\\%A|a\tbA");
	cr_expect_str_eq(pf("a\\qb", 0, args, &rc), "a\\qb");
}

Test(text_pfmt, characters_as_numbers_and_bad_numbers)
{
	char *args[] = {"'A", "0x10", "abc", "12abc"};
	int rc;
	cr_expect_str_eq(pf("%d %i ", 2, args, &rc), "65 16 ");
	cr_expect_eq(rc, 0);
	cr_expect_str_eq(pf("%d %d", 2, args + 2, &rc), "0 12");
	cr_expect_eq(rc, 1);
	cr_expect_eq(pfmt_run(fmemopen((char[8]){0}, 8, "w"), "%z", args, 1), -1);
}

/* --- sort keys ------------------------------------------------------------ */

static int cmp(struct sort_opts *o, const char *a, const char *b)
{
	int r = sortkey_compare(o, a, strlen(a), b, strlen(b));
	return r < 0 ? -1 : r > 0;
}

Test(text_sortkey, parses_key_specifications)
{
	struct sort_key k;
	char err[200];
	cr_assert_eq(sortkey_parse("2,3", &k, err, sizeof(err)), 0);
	cr_expect(k.sfield == 2 && k.schar == 0 && k.efield == 3 && k.echar == 0 && !k.has_flags);
	cr_assert_eq(sortkey_parse("1.2nr,1.4b", &k, err, sizeof(err)), 0);
	cr_expect(k.sfield == 1 && k.schar == 2 && k.efield == 1 && k.echar == 4);
	cr_expect_eq(k.flags, SK_NUMERIC | SK_REVERSE | SK_BEND);
	cr_expect_eq(sortkey_parse("0", &k, err, sizeof(err)), -1);
	cr_expect(strstr(err, "field number is zero"));
	cr_expect_eq(sortkey_parse("x", &k, err, sizeof(err)), -1);
	cr_expect_eq(sortkey_parse("2z", &k, err, sizeof(err)), -1);
}

Test(text_sortkey, numeric_comparison)
{
	struct sort_opts o = {.tab = -1, .flags = SK_NUMERIC};
	cr_expect_eq(cmp(&o, "10", "9"), 1);
	cr_expect_eq(cmp(&o, "-10", "-9"), -1);
	cr_expect_eq(cmp(&o, " 2.5", "2.10"), 1);
	cr_expect_eq(cmp(&o, "-0", "0"), 0);
	cr_expect_eq(cmp(&o, "abc", "0"), 0);
	cr_expect_eq(cmp(&o, "007", "7"), 0);
	cr_expect_eq(cmp(&o, "123456789012345678901234567890", "99"), 1);
	o.last_resort = 1;
	cr_expect_eq(cmp(&o, "007", "7"), -1); /* then bytewise */
}

Test(text_sortkey, fields_with_and_without_a_separator)
{
	struct sort_key k;
	char err[200];
	sortkey_parse("2,2", &k, err, sizeof(err));
	struct sort_opts o = {.keys = &k, .nkeys = 1, .tab = ':'};
	cr_expect_eq(cmp(&o, "z:a:9", "a:b:1"), -1);
	o.tab = -1; /* blank-separated: field 2 keeps its leading blanks */
	cr_expect_eq(cmp(&o, "x  b", "y a"), -1);
	o.flags = SK_BSTART;
	cr_expect_eq(cmp(&o, "x  b", "y a"), 1);
}

Test(text_sortkey, fold_reverse_and_last_resort)
{
	struct sort_opts o = {.tab = -1, .flags = SK_FOLD};
	cr_expect_eq(cmp(&o, "apple", "Banana"), -1);
	cr_expect_eq(cmp(&o, "a", "A"), 0);
	o.flags = SK_REVERSE, o.last_resort = 1;
	cr_expect_eq(cmp(&o, "a", "b"), 1);
	struct sort_key k;
	char err[200];
	sortkey_parse("1,1", &k, err, sizeof(err));
	o.keys = &k, o.nkeys = 1, o.flags = 0;
	cr_expect_eq(cmp(&o, "k b", "k a"), 1); /* equal keys: whole lines decide */
}

/* --- tr sets -------------------------------------------------------------- */

static struct trset set;

static const char *expand(const char *s)
{
	static char out[TRSET_MAX + 1];
	char err[160];
	if (trset_parse(s, &set, err, sizeof(err)) < 0)
		return NULL;
	memcpy(out, set.c, set.n);
	out[set.n] = 0;
	return out;
}

Test(text_trset, ranges_escapes_and_repeats)
{
	cr_expect_str_eq(expand("a-e"), "abcde");
	cr_expect_str_eq(expand("x\\n\\t\\\\\\101-C"), "x\n\t\\ABC");
	cr_expect_str_eq(expand("[a*3]b"), "aaab");
	cr_expect_str_eq(expand("[=z=]"), "z");
	cr_expect_null(expand("z-a"));
}

Test(text_trset, classes)
{
	cr_expect_str_eq(expand("[:digit:]"), "0123456789");
	cr_expect_str_eq(expand("[:upper:]"), "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
	cr_expect_str_eq(expand("[:space:]"), "\t\n\v\f\r ");
	cr_expect_eq(strlen(expand("[:alnum:]")), 62);
	cr_expect_eq(strlen(expand("[:punct:]")), 32);
	cr_expect_null(expand("[:nope:]"));
}

Test(text_trset, complement_and_extension)
{
	expand("\\001-\\377");
	trset_complement(&set);
	cr_expect(set.n == 1 && set.c[0] == 0);
	expand("ab");
	trset_extend(&set, 5);
	cr_expect(set.n == 5 && !memcmp(set.c, "abbbb", 5));
	expand("a[x*]z");
	trset_extend(&set, 6);
	cr_expect(set.n == 6 && !memcmp(set.c, "axxxxz", 6), "got %.*s", (int)set.n, set.c);
}
