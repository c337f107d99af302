/* getopts' parsing step: letters alone and grouped, option arguments
 * attached or separate, --, the end at the first operand, unknown letters
 * and missing arguments in normal and silent (:) mode. */
#include <criterion/criterion.h>
#include <string.h>
#include <stdio.h>

#include "../../user/sh/getopts.h"

/* Runs getopts over args until it ends; the results joined as "name[=arg] ...". */
static void expect_run(const char *optstring, char **args, int n, const char *want, int want_optind)
{
	struct getopts_pos pos = {.optind = 1};
	struct getopts_res r;
	char got[200] = "";
	enum getopts_rc rc;
	while ((rc = getopts_step(optstring, n, args, &pos, &r)) != GO_END) {
		size_t l = strlen(got);
		if (r.arg)
			snprintf(got + l, sizeof(got) - l, "%s%c=%s", l ? " " : "", r.name, r.arg);
		else
			snprintf(got + l, sizeof(got) - l, "%s%c", l ? " " : "", r.name);
	}
	cr_assert_eq(r.name, '?');
	cr_assert_str_eq(got, want, "[%s]", optstring);
	cr_assert_eq(pos.optind, want_optind, "[%s] %s: OPTIND %d", optstring, want, pos.optind);
}

Test(sh_getopts, letters_alone_and_grouped)
{
	char *a[] = {"-a", "-bc", "file"};
	expect_run("abc", a, 3, "a b c", 3);
}

Test(sh_getopts, arguments_attached_or_separate)
{
	char *a[] = {"-xfoo", "-x", "bar", "-ax", "baz", "-"};
	expect_run("ax:", a, 6, "x=foo x=bar a x=baz", 6);
}

Test(sh_getopts, double_dash_ends_the_options)
{
	char *a[] = {"-a", "--", "-b"};
	expect_run("ab", a, 3, "a", 3);
	char *b[] = {"op", "-a"};
	expect_run("a", b, 2, "", 1);
	expect_run("a", NULL, 0, "", 1);
}

Test(sh_getopts, unknown_letters_and_missing_arguments)
{
	char *a[] = {"-z", "-b"};
	struct getopts_pos pos = {.optind = 1};
	struct getopts_res r;
	cr_assert_eq(getopts_step("ab:", 2, a, &pos, &r), GO_BAD);
	cr_assert(r.name == '?' && r.arg == NULL && r.letter == 'z');
	cr_assert_eq(getopts_step("ab:", 2, a, &pos, &r), GO_NEEDARG);
	cr_assert(r.name == '?' && r.arg == NULL && r.letter == 'b');
	cr_assert_eq(pos.optind, 3);
	pos = (struct getopts_pos){.optind = 1};
	cr_assert_eq(getopts_step(":ab:", 2, a, &pos, &r), GO_BAD);
	cr_assert(r.name == '?' && r.arg && !strcmp(r.arg, "z"));
	cr_assert_eq(getopts_step(":ab:", 2, a, &pos, &r), GO_NEEDARG);
	cr_assert(r.name == ':' && r.arg && !strcmp(r.arg, "b"));
}

Test(sh_getopts, colon_is_never_an_option)
{
	char *a[] = {"-:"};
	struct getopts_pos pos = {.optind = 1};
	struct getopts_res r;
	cr_assert_eq(getopts_step("a:", 1, a, &pos, &r), GO_BAD);
}
