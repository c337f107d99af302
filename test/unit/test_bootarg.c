/* Kernel command-line lookup: bootarg_get and bootarg_long. */
#include <criterion/criterion.h>
#include <string.h>

#include "bootarg.h"

#define ARGS "console=ttyS0 mica.hz=250 mica.debug quiet mica.name=mica-os"

Test(bootarg, present_key_gives_its_value)
{
	char v[32];
	cr_assert(bootarg_get(ARGS, "mica.hz", v, sizeof(v)));
	cr_assert_str_eq(v, "250");
	cr_assert(bootarg_get(ARGS, "console", v, sizeof(v)));
	cr_assert_str_eq(v, "ttyS0");
	cr_assert(bootarg_get(ARGS, "mica.name", v, sizeof(v)));
	cr_assert_str_eq(v, "mica-os", "the last word must end at the end of the line");
}

Test(bootarg, absent_key_is_not_found_and_out_is_untouched)
{
	char v[8] = "keep";
	cr_assert_not(bootarg_get(ARGS, "mica.smp", v, sizeof(v)));
	cr_assert_str_eq(v, "keep");
	cr_assert_not(bootarg_get(ARGS, "250", v, sizeof(v)), "a value is not a key");
	cr_assert_not(bootarg_get(ARGS, "hz", v, sizeof(v)), "keys match from the word start");
}

Test(bootarg, bare_key_has_empty_value)
{
	char v[8] = "junk";
	cr_assert(bootarg_get(ARGS, "mica.debug", v, sizeof(v)));
	cr_assert_str_eq(v, "");
	strcpy(v, "junk");
	cr_assert(bootarg_get(ARGS, "quiet", v, sizeof(v)));
	cr_assert_str_eq(v, "");
	/* "key=" is also an empty value. */
	strcpy(v, "junk");
	cr_assert(bootarg_get("a=1 mica.x= b=2", "mica.x", v, sizeof(v)));
	cr_assert_str_eq(v, "");
}

Test(bootarg, last_occurrence_wins)
{
	char v[16];
	cr_assert(bootarg_get("mica.hz=100 x mica.hz=250 y", "mica.hz", v, sizeof(v)));
	cr_assert_str_eq(v, "250");
	cr_assert(bootarg_get("mica.hz=100 mica.hz", "mica.hz", v, sizeof(v)));
	cr_assert_str_eq(v, "", "a later bare key overrides an earlier value");
	cr_assert(bootarg_get("mica.hz mica.hz=7", "mica.hz", v, sizeof(v)));
	cr_assert_str_eq(v, "7");
}

Test(bootarg, longer_key_with_same_prefix_does_not_match)
{
	char v[16] = "keep";
	cr_assert_not(bootarg_get("mica.hzx=3", "mica.hz", v, sizeof(v)));
	cr_assert_str_eq(v, "keep");
	cr_assert_not(bootarg_get("mica.hzx", "mica.hz", v, sizeof(v)));
	/* The matching key after a near miss is still found. */
	cr_assert(bootarg_get("mica.hzx=3 mica.hz=4", "mica.hz", v, sizeof(v)));
	cr_assert_str_eq(v, "4");
	/* ... and a shorter word never matches a longer key. */
	cr_assert_not(bootarg_get("mica.h=1 mica", "mica.hz", v, sizeof(v)));
}

Test(bootarg, value_may_contain_equals_sign)
{
	char v[32];
	cr_assert(bootarg_get("root=LABEL=boot", "root", v, sizeof(v)));
	cr_assert_str_eq(v, "LABEL=boot");
}

Test(bootarg, tabs_newlines_and_repeated_spaces_separate_words)
{
	char v[16];
	const char *args = "  a=1\t\tmica.hz=300 \n b=2   ";
	cr_assert(bootarg_get(args, "mica.hz", v, sizeof(v)));
	cr_assert_str_eq(v, "300");
	cr_assert(bootarg_get(args, "b", v, sizeof(v)));
	cr_assert_str_eq(v, "2");
	cr_assert(bootarg_get(args, "a", v, sizeof(v)));
	cr_assert_str_eq(v, "1");
}

Test(bootarg, value_is_truncated_to_outsz)
{
	char v[8];
	memset(v, 'Z', sizeof(v));
	cr_assert(bootarg_get("name=abcdefghij", "name", v, 4));
	cr_assert_str_eq(v, "abc");
	cr_assert_eq(v[4], 'Z', "nothing may be written past outsz");

	memset(v, 'Z', sizeof(v));
	cr_assert(bootarg_get("name=abcdefghij", "name", v, 1));
	cr_assert_eq(v[0], '\0');
	cr_assert_eq(v[1], 'Z');

	/* outsz 0: only the presence is reported, out is never written. */
	memset(v, 'Z', sizeof(v));
	cr_assert(bootarg_get("name=abc", "name", v, 0));
	cr_assert_eq(v[0], 'Z');
	cr_assert(bootarg_get("name=abc", "name", NULL, 0));
}

Test(bootarg, the_line_is_not_modified)
{
	char line[] = "a=1 mica.hz=250 b";
	char copy[sizeof(line)];
	memcpy(copy, line, sizeof(line));
	char v[8];
	bootarg_get(line, "mica.hz", v, sizeof(v));
	bootarg_get(line, "b", v, sizeof(v));
	cr_assert_eq(memcmp(line, copy, sizeof(line)), 0);
}

Test(bootarg, empty_args_string_has_no_keys)
{
	char v[8] = "keep";
	cr_assert_not(bootarg_get("", "mica.hz", v, sizeof(v)));
	cr_assert_not(bootarg_get("   ", "mica.hz", v, sizeof(v)));
	cr_assert_str_eq(v, "keep");
	cr_assert_eq(bootarg_long("", "mica.hz", 100), 100);
}

Test(bootarg, long_parses_decimal_values)
{
	cr_assert_eq(bootarg_long(ARGS, "mica.hz", 100), 250);
	cr_assert_eq(bootarg_long("n=0", "n", 5), 0);
	cr_assert_eq(bootarg_long("n=007", "n", 5), 7);
	cr_assert_eq(bootarg_long("n=-42", "n", 5), -42);
	cr_assert_eq(bootarg_long("n=9223372036854775807", "n", 5), 9223372036854775807L);
	cr_assert_eq(bootarg_long("n=1 n=2", "n", 5), 2, "the last occurrence wins");
}

Test(bootarg, long_gives_default_when_absent_or_not_a_number)
{
	cr_assert_eq(bootarg_long(ARGS, "mica.smp", 4), 4);
	cr_assert_eq(bootarg_long(ARGS, "mica.debug", 4), 4, "bare key: no number");
	cr_assert_eq(bootarg_long(ARGS, "mica.name", 4), 4);
	cr_assert_eq(bootarg_long("n=", "n", 4), 4);
	cr_assert_eq(bootarg_long("n=12abc", "n", 4), 4);
	cr_assert_eq(bootarg_long("n=abc12", "n", 4), 4);
	cr_assert_eq(bootarg_long("n=0x10", "n", 4), 4, "decimal only");
	cr_assert_eq(bootarg_long("n=1-2", "n", 4), 4);
	cr_assert_eq(bootarg_long("n=--3", "n", 4), 4);
	cr_assert_eq(bootarg_long("n=-x", "n", 4), 4);
	cr_assert_eq(bootarg_long("n=3 n=x", "n", 4), 4, "the last value is the one parsed");
}

Test(bootarg, long_lone_minus_sign_is_not_a_number)
{
	/* "-" has no digits: it is not a number, so the default applies. */
	cr_assert_eq(bootarg_long("n=-", "n", 4), 4);
}

Test(bootarg, long_does_not_parse_a_truncated_prefix)
{
	/* 23 digits then junk: the whole value is not a number, whatever the
	 * size of any internal buffer. */
	cr_assert_eq(bootarg_long("n=00000000000000000000042x", "n", 4), 4);
	cr_assert_eq(bootarg_long("n=-0000000000000000000042!", "n", 4), 4);
}

Test(bootarg, long_out_of_range_gives_default)
{
	/* Beyond LONG_MAX there is no decimal value to return; accumulating
	 * it anyway overflows a signed long. */
	cr_assert_eq(bootarg_long("n=9223372036854775808", "n", 4), 4);
	cr_assert_eq(bootarg_long("n=99999999999999999999", "n", 4), 4);
}
