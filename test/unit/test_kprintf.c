/* kvformat through ksnprintf: every conversion, flag and length modifier
 * the kernel uses, compared with the host's snprintf wherever the kernel
 * promises the same result. */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kprintf.h"

/* ksnprintf and the host's snprintf without the compiler's format checks:
 * some tests use flag combinations that C defines but GCC warns about
 * ('0' with a precision, ' ' with '+'), or conversions C does not have. */
static int kfmt(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static int hfmt(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* The same call through ksnprintf and the host's snprintf: same text, same
 * return value. */
#define SAME(...)                                                                                  \
	do {                                                                                       \
		char k_[256], h_[256];                                                             \
		memset(k_, 'K', sizeof(k_));                                                       \
		memset(h_, 'H', sizeof(h_));                                                       \
		int kn_ = kfmt(k_, sizeof(k_), __VA_ARGS__);                                       \
		int hn_ = hfmt(h_, sizeof(h_), __VA_ARGS__);                                       \
		cr_assert_str_eq(k_, h_, "format %s", #__VA_ARGS__);                               \
		cr_assert_eq(kn_, hn_, "format %s: returned %d, host %d", #__VA_ARGS__, kn_, hn_); \
	} while (0)

/* Expects exactly `want` from ksnprintf, and its length as the result. */
#define EXPECT(want, ...)                                                                          \
	do {                                                                                       \
		char b_[256];                                                                      \
		memset(b_, 'K', sizeof(b_));                                                       \
		int n_ = kfmt(b_, sizeof(b_), __VA_ARGS__);                                        \
		cr_assert_str_eq(b_, want, "format %s", #__VA_ARGS__);                             \
		cr_assert_eq(n_, (int)strlen(want), "format %s: returned %d", #__VA_ARGS__, n_);   \
	} while (0)

Test(kprintf, plain_text_is_copied)
{
	SAME("hello, world");
	SAME("tab\tnewline\n");
}

Test(kprintf, signed_decimal_handles_sign_and_extremes)
{
	SAME("%d", 0);
	SAME("%d", 42);
	SAME("%d", -42);
	SAME("%i", -7);
	SAME("%d", INT_MAX);
	SAME("%d", INT_MIN);
	SAME("%i", INT_MIN);
	EXPECT("-2147483648", "%d", INT_MIN);
}

Test(kprintf, long_and_long_long_reach_their_minimum)
{
	SAME("%ld", LONG_MIN);
	SAME("%ld", LONG_MAX);
	SAME("%lld", LLONG_MIN);
	SAME("%lld", LLONG_MAX);
	SAME("%li", -1L);
	EXPECT("-9223372036854775808", "%ld", LONG_MIN);
}

Test(kprintf, plus_and_space_flags_on_signed)
{
	SAME("%+d", 5);
	SAME("%+d", -5);
	SAME("% d", 5);
	SAME("% d", -5);
	SAME("%+ d", 5); /* '+' wins over ' ' */
	SAME("%+d", 0);
}

Test(kprintf, unsigned_decimal)
{
	SAME("%u", 0u);
	SAME("%u", 3000000000u);
	SAME("%u", UINT_MAX);
	SAME("%lu", ULONG_MAX);
	SAME("%llu", ULLONG_MAX);
	/* -1 read as unsigned int is 2^32 - 1, not a 64-bit value. */
	SAME("%u", (unsigned)-1);
}

Test(kprintf, hex_lower_upper_and_alternate_form)
{
	SAME("%x", 0xdeadbeefu);
	SAME("%X", 0xdeadbeefu);
	SAME("%#x", 0xbeefu);
	SAME("%#X", 0xbeefu);
	SAME("%lx", 0xfedcba9876543210UL);
	SAME("%#lX", 0xfedcba9876543210UL);
	SAME("%x", 0u);
	SAME("%#10x", 0x2au);
	SAME("%#010x", 0x2au); /* zeros go between the prefix and the digits */
	SAME("%#-10x|", 0x2au);
	EXPECT("0x2a", "%#x", 0x2au);
}

Test(kprintf, octal_and_alternate_octal)
{
	SAME("%o", 8u);
	SAME("%o", 0u);
	SAME("%o", 0777u);
	SAME("%#o", 8u);
	SAME("%lo", ULONG_MAX);
}

Test(kprintf, pointer_is_0x_and_sixteen_hex_digits)
{
	EXPECT("0x0000000000000000", "%p", (void *)0);
	EXPECT("0x00000000deadbeef", "%p", (void *)0xdeadbeefUL);
	EXPECT("0xffffffc000001000", "%p", (void *)0xffffffc000001000UL);
	/* Same width for every pointer, so columns line up. */
	char a[64], b[64];
	int na = ksnprintf(a, sizeof(a), "%p", (void *)1);
	int nb = ksnprintf(b, sizeof(b), "%p", (void *)~0UL);
	cr_assert_eq(na, 18);
	cr_assert_eq(nb, 18);
	cr_assert_str_eq(a, "0x0000000000000001");
	cr_assert_str_eq(b, "0xffffffffffffffff");
}

Test(kprintf, null_string_prints_placeholder)
{
	const char *null = NULL;
	EXPECT("(null)", "%s", null);
	EXPECT("[    (null)]", "[%10s]", null);
	EXPECT("[(nu]", "[%.3s]", null);
}

Test(kprintf, string_width_precision_and_alignment)
{
	SAME("%s", "abc");
	SAME("[%5s]", "abc");
	SAME("[%-5s]", "abc");
	SAME("[%2s]", "abcdef"); /* width never truncates */
	SAME("[%.2s]", "abcdef");
	SAME("[%.0s]", "abcdef");
	SAME("[%5.2s]", "abcdef");
	SAME("[%-5.2s]", "abcdef");
	SAME("[%.10s]", "abc");
	SAME("[%s]", "");
}

Test(kprintf, precision_does_not_read_past_the_limit)
{
	/* C: with a precision, an array of that many bytes need not be
	 * NUL-terminated. Put "xyz" at the very end of a page followed by an
	 * inaccessible page, so one byte read too far is a crash. */
	long pg = sysconf(_SC_PAGESIZE);
	char *map =
	    mmap(NULL, 2 * (size_t)pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	cr_assert_neq(map, MAP_FAILED);
	cr_assert_eq(mprotect(map + pg, (size_t)pg, PROT_NONE), 0);
	char *raw = map + pg - 3;
	memcpy(raw, "xyz", 3);
	EXPECT("xyz", "%.3s", raw);
	EXPECT("xy", "%.*s", 2, raw);
	EXPECT("[  yz]", "[%4.2s]", raw + 1);
	EXPECT("z", "%.1s", raw + 2);
	munmap(map, 2 * (size_t)pg);
}

Test(kprintf, char_conversion)
{
	SAME("%c", 'A');
	SAME("[%3c]", 'A');
	SAME("[%-3c]", 'A');
	SAME("%c%c%c", 'a', 'b', 'c');
}

Test(kprintf, left_alignment_pads_on_the_right)
{
	SAME("[%-6d]", 42);
	SAME("[%-6d]", -42);
	SAME("[%-6x]", 0xabu);
	SAME("[%-06d]", 42); /* '-' overrides '0' */
}

Test(kprintf, zero_padding)
{
	SAME("[%06d]", 42);
	SAME("[%06d]", -42); /* sign before the zeros */
	SAME("[%+06d]", 42);
	SAME("[%08x]", 0xbeefu);
	SAME("[%02d]", 12345); /* wider than the width: untouched */
	SAME("[%06.3d]", 7);   /* a precision disables '0' */
	SAME("[%016lx]", 0x80000000UL);
}

Test(kprintf, precision_on_integers)
{
	SAME("[%.5d]", 42);
	SAME("[%.5d]", -42);
	SAME("[%8.5d]", -42);
	SAME("[%-8.5x]", 0xau);
	SAME("[%.0d]", 0); /* zero with precision 0 prints nothing */
	SAME("[%5.0d]", 0);
	SAME("[%.0d]", 3);
}

Test(kprintf, star_width_and_precision)
{
	SAME("[%*d]", 6, 42);
	SAME("[%*d]", -6, 42); /* negative width means left-aligned */
	SAME("[%-*d]", 6, 42);
	SAME("[%.*s]", 3, "abcdef");
	SAME("[%*.*s]", 6, 2, "abcdef");
	SAME("[%.*d]", -1, 42); /* negative precision: as if none */
	SAME("[%0*x]", 8, 0xffu);
}

Test(kprintf, length_modifiers)
{
	SAME("%zu", (size_t)18446744073709551615UL);
	SAME("%zx", (size_t)0x1000);
	SAME("%td", (ptrdiff_t)-5);
	SAME("%hd", (short)-12345);
	SAME("%hu", (unsigned short)65535);
	SAME("%hhx", (unsigned char)0xab);
	SAME("%hhd", (signed char)-128);
	SAME("%hhu", (unsigned char)255);
	SAME("%lld", -1234567890123LL);
	SAME("%llx", 0x123456789abcdefULL);
	/* hh/h narrow the promoted int, as C requires. */
	EXPECT("ab", "%hhx", 0x12ab);
	EXPECT("-1", "%hd", 0xffff);
	EXPECT("-1", "%hhd", 0x1ff);
	EXPECT("-56", "%hhd", 200);
	EXPECT("-32768", "%hd", 0x18000);
	EXPECT("52", "%hhu", 0x1234); /* 0x34 */
}

Test(kprintf, percent_literal)
{
	SAME("%%");
	SAME("100%%");
	SAME("%d%%", 50);
	SAME("%%d");
}

Test(kprintf, unknown_conversion_is_shown_as_is)
{
	EXPECT("%y", "%y");
	EXPECT("a%qb", "a%qb");
	/* The arguments are not consumed by an unknown conversion. */
	EXPECT("%w 7", "%w %d", 7);
	/* A lone '%' at the very end is shown and does not run off. */
	EXPECT("50%", "50%");
}

Test(kprintf, several_conversions_in_one_format)
{
	SAME("%s=%d (%#x) [%-4s] %c%%", "irq", 10, 10u, "ok", '!');
	SAME("%lu %ld %u %d", 1UL, -1L, 2u, -2);
}

Test(kprintf, truncation_returns_untruncated_length)
{
	char buf[8];
	memset(buf, 'Z', sizeof(buf));
	int n = ksnprintf(buf, sizeof(buf), "%s-%d", "abcdef", 12345);
	cr_assert_eq(n, 12, "length of \"abcdef-12345\" is 12, got %d", n);
	cr_assert_str_eq(buf, "abcdef-");
	cr_assert_eq(buf[7], '\0');

	/* Identical to the host, byte for byte, at every size. */
	for (size_t size = 1; size <= 14; size++) {
		char k[16], h[16];
		memset(k, 'K', sizeof(k));
		memset(h, 'K', sizeof(h));
		int kn = ksnprintf(k, size, "%s-%d", "abcdef", 12345);
		int hn = snprintf(h, size, "%s-%d", "abcdef", 12345);
		cr_assert_eq(kn, hn);
		cr_assert_eq(memcmp(k, h, sizeof(k)), 0, "size %zu: \"%s\" vs \"%s\"", size, k, h);
	}
}

Test(kprintf, exact_fit_and_one_short)
{
	char buf[6];
	cr_assert_eq(ksnprintf(buf, 6, "%s", "abcde"), 5);
	cr_assert_str_eq(buf, "abcde");
	cr_assert_eq(ksnprintf(buf, 5, "%s", "abcde"), 5);
	cr_assert_str_eq(buf, "abcd");
}

Test(kprintf, size_one_buffer_gets_only_the_terminator)
{
	char buf[4] = {'x', 'x', 'x', 'x'};
	cr_assert_eq(ksnprintf(buf, 1, "%d", 123), 3);
	cr_assert_eq(buf[0], '\0');
	cr_assert_eq(buf[1], 'x');
}

Test(kprintf, size_zero_buffer_is_not_touched)
{
	char buf[4] = {'x', 'x', 'x', 'x'};
	cr_assert_eq(ksnprintf(buf, 0, "%s", "hello"), 5);
	for (int i = 0; i < 4; i++)
		cr_assert_eq(buf[i], 'x');
	/* Measuring with a NULL buffer of size 0 is allowed. */
	cr_assert_eq(ksnprintf(NULL, 0, "%d-%d", 10, 200), 6);
}

struct sink {
	char buf[64];
	int len;
};

static void sink_put(void *arg, char c)
{
	struct sink *s = arg;
	s->buf[s->len++] = c;
}

static int sink_format(struct sink *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = kvformat(sink_put, s, fmt, ap);
	va_end(ap);
	return n;
}

Test(kprintf, kvformat_emits_each_char_once_through_put)
{
	struct sink s = {.len = 0};
	int n = sink_format(&s, "%s:%04d", "id", 7);
	cr_assert_eq(n, 7);
	cr_assert_eq(s.len, 7);
	cr_assert_eq(memcmp(s.buf, "id:0007", 7), 0);
}
