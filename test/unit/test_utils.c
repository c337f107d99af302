/* The utilities' pure logic on the host: chmod's mode operand, sed's
 * script parser and s///, find's expression parser, ed's addresses. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "../../user/chmod/mode.h"
#include "../../user/ed/ed.h"
#include "../../user/find/expr.h"
#include "../../user/sed/sed.h"

static unsigned mode(const char *spec, unsigned old, bool dir)
{
	unsigned m = 0xdead;
	cr_assert_eq(mode_apply(spec, old, dir, 022, &m), 0, "%s rejected", spec);
	return m;
}

Test(chmod_mode, octal_and_symbolic)
{
	cr_expect_eq(mode("755", 0, false), 0755);
	cr_expect_eq(mode("u+x", 0644, false), 0744);
	cr_expect_eq(mode("go-w", 0666, false), 0644);
	cr_expect_eq(mode("a=r", 0777, false), 0444);
	cr_expect_eq(mode("u+x,go-w,o=r", 0666, false), 0744);
	cr_expect_eq(mode("g=u", 0750, false), 0770);
	cr_expect_eq(mode("+x", 0644, false), 0755);        /* no who: umask 022 applies */
	cr_expect_eq(mode("-w", 0666, false), 0444 | 0022); /* umask bits are left alone */
	cr_expect_eq(mode("a+X", 0644, false), 0644);
	cr_expect_eq(mode("a+X", 0644, true), 0755);
	cr_expect_eq(mode("u+s,+t", 0755, false), 05755 | 01000);
}

Test(chmod_mode, rejects_bad_modes)
{
	const char *bad[] = {"", "8", "77777", "u", "u+q", "z+x", "u+x,", "u+x,,g+w", "a=r;"};
	unsigned m;
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_expect_eq(mode_apply(bad[i], 0, false, 0, &m), -1, "'%s' accepted", bad[i]);
	cr_expect(mode_valid("u=rwx,g=rx,o="));
}

static struct sed_prog parsed(const char *script)
{
	struct sed_prog p = {0};
	cr_assert_eq(sed_parse(&p, script), 0, "%s: %s", script, p.err);
	return p;
}

Test(sed_parse, addresses_and_commands)
{
	struct sed_prog p = parsed("2,/x/!d;$p;/a/,+2s/b/c/gp;y/ab/xy/");
	cr_assert_eq(p.n, 4);
	cr_expect_eq(p.cmds[0].a1.kind, SA_LINE);
	cr_expect_eq(p.cmds[0].a1.line, 2);
	cr_expect_eq(p.cmds[0].a2.kind, SA_RE);
	cr_expect(p.cmds[0].negate);
	cr_expect_eq(p.cmds[0].cmd, 'd');
	cr_expect_eq(p.cmds[1].a1.kind, SA_LAST);
	cr_expect_eq(p.cmds[2].a2.kind, SA_PLUS);
	cr_expect_eq(p.cmds[2].a2.line, 2);
	cr_expect(p.cmds[2].global && p.cmds[2].print);
	cr_expect_str_eq(p.cmds[2].repl, "c");
	cr_expect_eq(p.cmds[3].ymap['a'], 'x');
	cr_expect_eq(p.cmds[3].ymap['c'], 'c');
	sed_free(&p);
}

Test(sed_parse, blocks_labels_and_text)
{
	struct sed_prog p = parsed(":a\nN;$!ba\n/x/{s,a,b,;p}\n1i\\\nfirst line\n$a last");
	cr_assert_eq(p.n, 9);
	cr_expect_eq(p.cmds[2].cmd, 'b');
	cr_expect_eq(p.cmds[2].jump, 0);
	cr_expect_eq(p.cmds[3].cmd, '{');
	cr_expect_eq(p.cmds[3].jump, 7); /* past its '}' */
	cr_expect_str_eq(p.cmds[7].text, "first line");
	cr_expect_str_eq(p.cmds[8].text, "last");
	sed_free(&p);
}

Test(sed_parse, errors_read_like_gnu)
{
	const char *bad[] = {"k", "s/a/b", "y/ab/c/", "{p", "}", "b nowhere", "p x"};
	const char *why[] = {"unknown command: `k'", "unterminated `s' command",
	                     "different lengths",    "unmatched `{'",
	                     "unexpected `}'",       "can't find label",
	                     "extra characters"};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct sed_prog p = {0};
		cr_expect_eq(sed_parse(&p, bad[i]), -1, "%s accepted", bad[i]);
		cr_expect(strstr(p.err, why[i]), "%s: %s", bad[i], p.err);
		sed_free(&p);
	}
}

static char *subst(const char *re, int flags, const char *repl, bool g, int nth, const char *s)
{
	regex_t r;
	char *out = NULL;
	cr_assert_eq(regcomp(&r, re, flags), 0);
	int n = sed_subst(&r, repl, g, nth, s, &out);
	regfree(&r);
	return n > 0 ? out : strdup(s);
}

Test(sed_subst, matches_groups_and_empty_matches)
{
	cr_expect_str_eq(subst("o", 0, "0", true, 1, "foo boo"), "f00 b00");
	cr_expect_str_eq(subst("o", 0, "0", false, 2, "foo boo"), "fo0 boo");
	cr_expect_str_eq(subst("o", 0, "0", true, 2, "foo boo"), "fo0 b00");
	cr_expect_str_eq(subst("\\(a*\\)b", 0, "[\\1&]", false, 1, "xaab"), "x[aaaab]");
	cr_expect_str_eq(subst("(b+)", REG_EXTENDED, "<\\1>\\n", false, 1, "abbc"), "a<bb>\nc");
	cr_expect_str_eq(subst("x*", 0, "-", true, 1, "abc"), "-a-b-c-");
	cr_expect_str_eq(subst("a*", 0, "x", true, 1, "baaac"), "xbxcx");
	cr_expect_str_eq(subst("^", 0, "> ", true, 1, "line"), "> line");
	cr_expect_str_eq(subst("z", 0, "\\&", true, 1, "azb"), "a&b");
}

static struct find_node *fparse(const char *const *args, int n, struct find_opts *o)
{
	char err[128];
	struct find_node *e = find_parse((char **)args, n, o, err, sizeof(err));
	cr_assert(e, "%s", err);
	return e;
}

Test(find_expr, precedence_and_implicit_print)
{
	struct find_opts o;
	const char *a[] = {"-name", "*.c", "-o", "!", "-type", "d", "-size", "+2k"};
	struct find_node *e = fparse(a, 8, &o);
	/* (-name -o (! -type -a -size)) -a -print */
	cr_assert_eq(e->kind, F_AND);
	cr_expect_eq(e->r->kind, F_PRINT);
	cr_assert_eq(e->l->kind, F_OR);
	cr_expect_eq(e->l->l->kind, F_NAME);
	cr_assert_eq(e->l->r->kind, F_AND);
	cr_expect_eq(e->l->r->l->kind, F_NOT);
	cr_expect_eq(e->l->r->r->kind, F_SIZE);
	cr_expect_eq(e->l->r->r->cmp, 1);
	cr_expect_eq(e->l->r->r->unit, 1024);
	find_free(e);
}

Test(find_expr, parentheses_options_and_exec)
{
	struct find_opts o;
	const char *a[] = {"-maxdepth", "2", "(",     "-name", "a",  "-o", "-name",
	                   "b",         ")", "-exec", "echo",  "{}", "+"};
	struct find_node *e = fparse(a, 13, &o);
	cr_expect_eq(o.maxdepth, 2);
	cr_expect(o.has_action);
	cr_assert_eq(e->kind, F_AND); /* no -print added */
	cr_expect_eq(e->r->kind, F_EXECPLUS);
	cr_expect_eq(e->r->argc, 1);
	cr_expect_eq(e->l->r->kind, F_OR);
	find_free(e);
	const char *d[] = {"-type", "f", "-delete"};
	e = fparse(d, 3, &o);
	cr_expect(o.depth_first);
	find_free(e);
}

Test(find_expr, errors_and_evaluation)
{
	struct find_opts o;
	char err[128];
	const char *bad[][3] = {{"-bogus"}, {"(", "-name"}, {"-type", "q"}, {"x"}, {"(", "-true"}};
	int n[] = {1, 2, 2, 1, 2};
	for (int i = 0; i < 5; i++)
		cr_expect_null(find_parse((char **)bad[i], n[i], &o, err, sizeof(err)), "%s",
		               bad[i][0]);
	const char *a[] = {"-iname", "*.TXT", "-perm", "-0600", "!", "-size", "+1"};
	struct find_node *e = fparse(a, 7, &o);
	struct stat st = {.st_mode = S_IFREG | 0644, .st_size = 100};
	struct find_ctx c = {.path = "dir/notes.txt", .st = &st};
	cr_expect(find_eval(e, &c)); /* 100 bytes is 1 block of 512: not +1 */
	st.st_size = 600;
	cr_expect_not(find_eval(e, &c));
	find_free(e);
}

static struct ed_buf edbuf(void)
{
	static char *lines[] = {NULL, "alpha", "beta", "gamma", "delta", "beta2"};
	struct ed_buf b = {.lines = lines, .n = 5, .cap = 6, .cur = 3};
	return b;
}

static void addrs(struct ed_buf *b, const char *s, int a1, int a2, int n)
{
	int x1, x2, k;
	cr_assert_eq(ed_addrs(b, &s, &x1, &x2, &k), 0, "%s: %s", s, b->err);
	cr_expect(x1 == a1 && x2 == a2 && k == n, "got %d,%d (%d)", x1, x2, k);
}

Test(ed_addr, forms)
{
	struct ed_buf b = edbuf();
	addrs(&b, "", 3, 3, 0);
	addrs(&b, ".", 3, 3, 1);
	addrs(&b, "$", 5, 5, 1);
	addrs(&b, "2", 2, 2, 1);
	addrs(&b, ",", 1, 5, 2);
	addrs(&b, ";", 3, 5, 2);
	addrs(&b, "1,3", 1, 3, 2);
	addrs(&b, "-", 2, 2, 1);
	addrs(&b, "+2", 5, 5, 1);
	addrs(&b, ".-2,.+1", 1, 4, 2);
	addrs(&b, "/beta/", 5, 5, 1); /* forward from line 3, so beta2 */
	addrs(&b, "?beta?", 2, 2, 1); /* backward */
	addrs(&b, "//", 5, 5, 1);     /* the last regex again */
	b.marks['q' - 'a'] = 4;
	addrs(&b, "'q,$", 4, 5, 2);
	regfree(&b.last_re);
}

Test(ed_addr, errors)
{
	struct ed_buf b = edbuf();
	const char *bad[] = {"9", "0-1", "'z", "/nomatch/", "$+1"};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int a1, a2, n;
		const char *s = bad[i];
		cr_expect_eq(ed_addrs(&b, &s, &a1, &a2, &n), -1, "%s accepted", bad[i]);
		cr_expect(b.err != NULL);
	}
	if (b.have_re)
		regfree(&b.last_re);
}
