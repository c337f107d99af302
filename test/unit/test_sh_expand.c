/* The shell's word expansion with a fake shell state: field splitting on
 * IFS, quoting, "$@" and "$*", parameter expansion operators, command
 * substitution, arithmetic, pattern matching and pathname expansion. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../user/sh/expand.h"

#define NV 32
static char *names[NV], *values[NV];
static char *params[] = {"one", "two words", "", "four"};
static int nparams = 4;
static char errmsg[256];

static const char *get(void *u, const char *name)
{
	(void)u;
	for (int i = 0; i < NV; i++)
		if (names[i] && !strcmp(names[i], name))
			return values[i];
	return NULL;
}

static int set(void *u, const char *name, const char *value)
{
	(void)u;
	int free_slot = -1;
	for (int i = 0; i < NV; i++) {
		if (names[i] && !strcmp(names[i], name)) {
			free(values[i]);
			values[i] = strdup(value);
			return 0;
		}
		if (!names[i] && free_slot < 0)
			free_slot = i;
	}
	names[free_slot] = strdup(name);
	values[free_slot] = strdup(value);
	return 0;
}

static char *cmdsub(void *u, const char *text)
{
	char *s = malloc(strlen(text) + 8);
	(void)u;
	sprintf(s, "<%s>\n\n", text);
	return s;
}

static int np(void *u)
{
	(void)u;
	return nparams;
}

static const char *param(void *u, int i)
{
	(void)u;
	return params[i - 1];
}

static void error(void *u, const char *msg)
{
	(void)u;
	snprintf(errmsg, sizeof(errmsg), "%s", msg);
}

static struct xenv env = {
    .get = get, .set = set, .cmdsub = cmdsub, .nparams = np, .param = param, .error = error};

static void setup(void)
{
	for (int i = 0; i < NV; i++) {
		free(names[i]);
		free(values[i]);
		names[i] = values[i] = NULL;
	}
	set(NULL, "X", "ex");
	set(NULL, "SP", "  a  b\tc ");
	set(NULL, "EMPTY", "");
	set(NULL, "HOME", "/home/m");
	set(NULL, "P", "/usr/lib/libc.so.6");
	set(NULL, "N", "7");
	env.noglob = env.nounset = false;
	errmsg[0] = '\0';
	nparams = 4;
}

TestSuite(sh_expand, .init = setup);

/* Expands raw and checks the fields against the NULL-terminated list. */
static void fields(const char *raw, ...)
{
	struct strv sv = {0};
	va_list ap;
	cr_assert_eq(x_fields(&env, raw, &sv), 0, "[%s] failed: %s", raw, errmsg);
	va_start(ap, raw);
	int i = 0;
	for (const char *want; (want = va_arg(ap, const char *)); i++) {
		cr_assert_lt(i, sv.n, "[%s]: only %d fields", raw, sv.n);
		cr_assert_str_eq(sv.v[i], want, "[%s] field %d", raw, i);
	}
	va_end(ap);
	cr_assert_eq(sv.n, i, "[%s]: %d fields, expected %d", raw, sv.n, i);
	strv_free(&sv);
}

static void string(const char *raw, const char *want)
{
	char *s = x_string(&env, raw, false);
	cr_assert_not_null(s, "[%s] failed: %s", raw, errmsg);
	cr_assert_str_eq(s, want, "[%s]", raw);
	free(s);
}

static void fails(const char *raw, const char *msg)
{
	struct strv sv = {0};
	cr_assert_eq(x_fields(&env, raw, &sv), -1, "[%s] expanded", raw);
	cr_assert_str_eq(errmsg, msg);
	strv_free(&sv);
}

Test(sh_expand, quoting)
{
	fields("'a b'\"c d\"e\\ f", "a bc de f", NULL);
	fields("\"$X\\$X\\\\\"'$X'", "ex$X\\$X", NULL);
	fields("\"\"", "", NULL);
	fields("''x", "x", NULL);
	fields("a\\\nb", "ab", NULL);
	fields("\"a\\b\"", "a\\b", NULL);
}

Test(sh_expand, field_splitting_default_ifs)
{
	fields("$SP", "a", "b", "c", NULL);
	fields("x$SP", "x", "a", "b", "c", NULL);
	fields("\"$SP\"", "  a  b\tc ", NULL);
	fields("$EMPTY", NULL);
	fields("$UNSET$EMPTY", NULL);
	fields("\"$EMPTY\"", "", NULL);
	fields("a\"$EMPTY\"", "a", NULL);
}

Test(sh_expand, field_splitting_custom_ifs)
{
	set(NULL, "IFS", ":");
	set(NULL, "V", "a::b:");
	fields("$V", "a", "", "b", NULL);
	set(NULL, "V", ":a");
	fields("$V", "", "a", NULL);
	set(NULL, "IFS", " :");
	set(NULL, "V", " a : b  c ");
	fields("$V", "a", "b", "c", NULL);
	set(NULL, "IFS", "");
	set(NULL, "V", "a b");
	fields("$V", "a b", NULL);
}

Test(sh_expand, positional_parameters)
{
	fields("\"$@\"", "one", "two words", "", "four", NULL);
	fields("$@", "one", "two", "words", "four", NULL);
	fields("\"$*\"", "one two words  four", NULL);
	fields("\"x$@y\"", "xone", "two words", "", "foury", NULL);
	string("$# $1 ${2} ${10}", "4 one two words ");
	nparams = 0;
	fields("\"$@\"", NULL);
	fields("\"$*\"", "", NULL);
	set(NULL, "IFS", "-");
	nparams = 2;
	fields("\"$*\"", "one-two words", NULL);
}

Test(sh_expand, default_assign_error_alternative)
{
	string("${UNSET:-def}${EMPTY:-e}${EMPTY-n}${X:-no}", "defeex");
	string("${UNSET+alt}${EMPTY+set}${EMPTY:+no}${X:+yes}", "setyes");
	string("${NEW:=val}$NEW", "valval");
	fields("${UNSET:-a b}", "a", "b", NULL);
	fields("${UNSET:-\"a b\"}", "a b", NULL);
	fields("\"${UNSET:-a b}\"", "a b", NULL);
	fails("${UNSET:?is missing}", "UNSET: is missing");
	fails("${EMPTY:?}", "EMPTY: parameter null or not set");
	string("${EMPTY?}", "");
}

Test(sh_expand, length_and_trimming)
{
	string("${#X} ${#UNSET} ${#P}", "2 0 18");
	string("${P%.*} ${P%%.*} ${P#*/} ${P##*/}",
	       "/usr/lib/libc.so /usr/lib/libc usr/lib/libc.so.6 libc.so.6");
	string("${P%\"*\"}", "/usr/lib/libc.so.6");
	set(NULL, "S", "a*b*c");
	string("${S#*\\*} ${S%'*'*}", "b*c a*b");
	string("${X%x}${X#nope}", "eex");
}

Test(sh_expand, bad_substitution)
{
	fails("${X:}", "${X:}: bad substitution");
	fails("${}", "${}: bad substitution");
}

Test(sh_expand, nounset)
{
	env.nounset = true;
	fails("$UNSET", "UNSET: parameter not set");
	fields("${UNSET-ok}", "ok", NULL);
	fields("$#$@", "4one", "two", "words", "four", NULL);
}

Test(sh_expand, command_substitution_drops_trailing_newlines)
{
	fields("$(echo a b)", "<echo", "a", "b>", NULL);
	fields("\"$(echo a  b)\"x", "<echo a  b>x", NULL);
	fields("`echo \\`x\\``", "<echo", "`x`>", NULL);
	fields("\"$(a \"$(b)\")\"", "<a \"$(b)\">", NULL);
}

Test(sh_expand, tilde)
{
	fields("~", "/home/m", NULL);
	fields("~/x", "/home/m/x", NULL);
	fields("\"~\"", "~", NULL);
	fields("a~", "a~", NULL);
	char *s = x_string(&env, "PATH=~/bin:~/sbin", true);
	cr_assert_str_eq(s, "PATH=/home/m/bin:/home/m/sbin");
	free(s);
}

static long arith(const char *expr)
{
	long v = -999;
	cr_assert_eq(sh_arith(&env, expr, &v), 0, "[%s]: %s", expr, errmsg);
	return v;
}

Test(sh_expand, arithmetic_operators)
{
	cr_assert_eq(arith("1 + 2 * 3 - 4 / 2 % 3"), 5);
	cr_assert_eq(arith("(1 + 2) * 3"), 9);
	cr_assert_eq(arith("1 << 4 >> 2"), 4);
	cr_assert_eq(arith("3 < 4 && 4 <= 4 && 5 > 4 && 5 >= 6 || 2 == 2"), 1);
	cr_assert_eq(arith("3 != 3"), 0);
	cr_assert_eq(arith("6 & 3 | 8 ^ 1"), 11);
	cr_assert_eq(arith("!0 + !5 + ~0"), 0);
	cr_assert_eq(arith("-3 / 2"), -1);
	cr_assert_eq(arith("0x10 + 010 + 10"), 34);
	cr_assert_eq(arith("1 ? 2 : 3"), 2);
	cr_assert_eq(arith("0 ? 2 : 0 ? 3 : 4"), 4);
	cr_assert_eq(arith(""), 0);
}

Test(sh_expand, arithmetic_variables_and_assignment)
{
	cr_assert_eq(arith("N * 2 + UNSET"), 14);
	cr_assert_eq(arith("A = 5"), 5);
	cr_assert_str_eq(get(NULL, "A"), "5");
	long v;
	cr_assert_eq(sh_arith(&env, "1, 2", &v), -1); /* the comma is not POSIX */
	cr_assert_eq(arith("A += 2"), 7);
	cr_assert_eq(arith("A *= 3"), 21);
	cr_assert_eq(arith("A <<= 1"), 42);
	cr_assert_eq(arith("B = A = 1"), 1);
	cr_assert_eq(arith("0 && (C = 1)"), 0);
	cr_assert_null(get(NULL, "C"));
	cr_assert_eq(arith("1 || (1 / 0)"), 1);
	string("$((N + 1))$(( $N * 2 ))", "814");
}

Test(sh_expand, arithmetic_errors)
{
	long v;
	cr_assert_eq(sh_arith(&env, "1 / 0", &v), -1);
	cr_assert_str_eq(errmsg, "1 / 0: division by zero");
	cr_assert_eq(sh_arith(&env, "5 % 0", &v), -1);
	cr_assert_eq(sh_arith(&env, "1 +", &v), -1);
	cr_assert_str_eq(errmsg, "1 +: missing operand");
	cr_assert_eq(sh_arith(&env, "(1", &v), -1);
	cr_assert_eq(sh_arith(&env, "1 2", &v), -1);
	cr_assert_str_eq(errmsg, "1 2: syntax error in expression");
	set(NULL, "W", "abc");
	cr_assert_eq(sh_arith(&env, "W + 1", &v), -1);
	fails("$((1/0))", "1/0: division by zero");
}

Test(sh_expand, pattern_matching)
{
	cr_assert(sh_match("*.c", "main.c"));
	cr_assert_not(sh_match("*.c", "main.h"));
	cr_assert(sh_match("?[ab]", "xa"));
	cr_assert(sh_match("[!ab]*", "cat"));
	cr_assert_not(sh_match("[!ab]*", "bat"));
	cr_assert(sh_match("\\*", "*"));
	cr_assert_not(sh_match("\\*", "x"));
	char *p = x_pattern(&env, "\"*\"$X'?'[a-c]*");
	cr_assert_str_eq(p, "\\*ex\\?[a-c]*");
	free(p);
}

Test(sh_expand, trimming_shortest_and_longest)
{
	char *s;
	cr_assert_str_eq(s = sh_trim("aXbXc", "*X", '#'), "bXc");
	free(s);
	cr_assert_str_eq(s = sh_trim("aXbXc", "*X", 'H'), "c");
	free(s);
	cr_assert_str_eq(s = sh_trim("aXbXc", "X*", '%'), "aXb");
	free(s);
	cr_assert_str_eq(s = sh_trim("aXbXc", "X*", 'P'), "a");
	free(s);
	cr_assert_str_eq(s = sh_trim("abc", "z", 'P'), "abc");
	free(s);
}

Test(sh_expand, pathname_expansion)
{
	char dir[] = "/tmp/shglobXXXXXX", cwd[512];
	cr_assert_not_null(mkdtemp(dir));
	cr_assert_not_null(getcwd(cwd, sizeof(cwd)));
	cr_assert_eq(chdir(dir), 0);
	const char *files[] = {"a.c", "b.c", "c.h", ".hidden.c", "sub/x.c", "sub/y.h"};
	mkdir("sub", 0755);
	for (int i = 0; i < 6; i++)
		fclose(fopen(files[i], "w"));
	fields("*.c", "a.c", "b.c", NULL);
	fields("?.[ch]", "a.c", "b.c", "c.h", NULL);
	fields("[!a].*", "b.c", "c.h", NULL);
	fields("*/*.c", "sub/x.c", NULL);
	fields(".*.c", ".hidden.c", NULL);
	fields("*.z", "*.z", NULL);
	fields("\"*\".c", "*.c", NULL);
	fields("'*'.c", "*.c", NULL);
	set(NULL, "G", "*.h");
	fields("$G", "c.h", NULL);
	fields("\"$G\"", "*.h", NULL);
	env.noglob = true;
	fields("*.c", "*.c", NULL);
	for (int i = 5; i >= 0; i--)
		unlink(files[i]);
	rmdir("sub");
	cr_assert_eq(chdir(cwd), 0);
	rmdir(dir);
}

Test(sh_expand, heredoc_body)
{
	char *s = x_heredoc(&env, "a \"$X\" '$X' \\$X \\\" $(c)\n");
	cr_assert_str_eq(s, "a \"ex\" 'ex' $X \\\" <c>\n");
	free(s);
}
