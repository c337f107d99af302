/* test and [ (XCU test): the unary file and string primaries, the binary
 * string and integer comparisons, ! -a -o and parentheses, with the
 * POSIX rules for one to four arguments before the general grammar. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sh.h"

struct tst {
	char **a;
	int n, i;
	bool err;
};

static int terr(struct tst *t, const char *what, const char *arg)
{
	if (!t->err)
		sh_error("test: %s%s%s", arg ? arg : "", arg ? ": " : "", what);
	t->err = true;
	return 0;
}

static bool is_unary(const char *s)
{
	return s[0] == '-' && s[1] && !s[2] && strchr("bcdefghLnprsSwxzut", s[1]);
}

static bool is_binary(const char *s)
{
	static const char *const ops[] = {"=",   "!=",  "==",  "-eq", "-ne", "-lt", "-le",
	                                  "-gt", "-ge", "-nt", "-ot", "-ef", "<",   ">"};
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strcmp(s, ops[i]))
			return true;
	return false;
}

static int unary(struct tst *t, char op, const char *arg)
{
	struct stat st;
	if (op == 'z' || op == 'n')
		return (op == 'z') == (arg[0] == '\0');
	if (op == 't')
		return isatty(atoi(arg));
	if (op == 'r' || op == 'w' || op == 'x')
		return access(arg, op == 'r' ? R_OK : op == 'w' ? W_OK : X_OK) == 0;
	if ((op == 'L' || op == 'h') ? lstat(arg, &st) : stat(arg, &st))
		return 0;
	switch (op) {
	case 'e':
		return 1;
	case 'f':
		return S_ISREG(st.st_mode);
	case 'd':
		return S_ISDIR(st.st_mode);
	case 'b':
		return S_ISBLK(st.st_mode);
	case 'c':
		return S_ISCHR(st.st_mode);
	case 'p':
		return S_ISFIFO(st.st_mode);
	case 'S':
		return S_ISSOCK(st.st_mode);
	case 'L':
	case 'h':
		return S_ISLNK(st.st_mode);
	case 's':
		return st.st_size > 0;
	case 'u':
		return (st.st_mode & S_ISUID) != 0;
	case 'g':
		return (st.st_mode & S_ISGID) != 0;
	default:
		return terr(t, "unknown operator", NULL);
	}
}

static long integer(struct tst *t, const char *s)
{
	char *end;
	while (*s == ' ' || *s == '\t')
		s++;
	long v = strtol(s, &end, 10);
	while (*end == ' ' || *end == '\t')
		end++;
	if (!*s || *end)
		return terr(t, "integer expression expected", s);
	return v;
}

static int binary(struct tst *t, const char *l, const char *op, const char *r)
{
	struct stat a, b;
	if (!strcmp(op, "=") || !strcmp(op, "=="))
		return !strcmp(l, r);
	if (!strcmp(op, "!="))
		return strcmp(l, r) != 0;
	if (!strcmp(op, "<") || !strcmp(op, ">"))
		return op[0] == '<' ? strcmp(l, r) < 0 : strcmp(l, r) > 0;
	if (!strcmp(op, "-ef"))
		return !stat(l, &a) && !stat(r, &b) && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
	if (!strcmp(op, "-nt") || !strcmp(op, "-ot")) {
		bool la = !stat(l, &a), rb = !stat(r, &b);
		if (op[1] == 'n')
			return la && (!rb || a.st_mtime > b.st_mtime);
		return rb && (!la || a.st_mtime < b.st_mtime);
	}
	long x = integer(t, l), y = integer(t, r);
	switch (op[1] * 256 + op[2]) {
	case 'e' * 256 + 'q':
		return x == y;
	case 'n' * 256 + 'e':
		return x != y;
	case 'l' * 256 + 't':
		return x < y;
	case 'l' * 256 + 'e':
		return x <= y;
	case 'g' * 256 + 't':
		return x > y;
	default:
		return x >= y;
	}
}

static int or_expr(struct tst *t);

static const char *arg(struct tst *t)
{
	return t->i < t->n ? t->a[t->i] : NULL;
}

static int primary(struct tst *t)
{
	const char *a = arg(t);
	if (!a)
		return terr(t, "argument expected", NULL);
	if (!strcmp(a, "(")) {
		t->i++;
		int v = or_expr(t);
		if (!arg(t) || strcmp(arg(t), ")"))
			return terr(t, "`)' expected", NULL);
		t->i++;
		return v;
	}
	if (t->i + 2 < t->n + 0 && is_binary(t->a[t->i + 1])) {
		t->i += 3;
		return binary(t, a, t->a[t->i - 2], t->a[t->i - 1]);
	}
	if (is_unary(a) && t->i + 1 < t->n) {
		t->i += 2;
		return unary(t, a[1], t->a[t->i - 1]);
	}
	t->i++;
	return a[0] != '\0';
}

static int not_expr(struct tst *t)
{
	if (arg(t) && !strcmp(arg(t), "!") && t->i + 1 < t->n) {
		t->i++;
		return !not_expr(t);
	}
	return primary(t);
}

static int and_expr(struct tst *t)
{
	int v = not_expr(t);
	while (arg(t) && !strcmp(arg(t), "-a")) {
		t->i++;
		v = not_expr(t) && v;
	}
	return v;
}

static int or_expr(struct tst *t)
{
	int v = and_expr(t);
	while (arg(t) && !strcmp(arg(t), "-o")) {
		t->i++;
		v = and_expr(t) || v;
	}
	return v;
}

/* POSIX's rules for up to four arguments; else the grammar above. */
static int evaluate(struct tst *t)
{
	char **a = t->a + t->i;
	int n = t->n - t->i;
	if (n == 0)
		return 0;
	if (n == 1)
		return a[0][0] != '\0';
	if (n == 2 && !strcmp(a[0], "!"))
		return a[1][0] == '\0';
	if (n == 2 && is_unary(a[0]))
		return unary(t, a[0][1], a[1]);
	if (n == 3 && is_binary(a[1]))
		return binary(t, a[0], a[1], a[2]);
	if ((n == 3 || n == 4) && !strcmp(a[0], "!")) {
		t->i++;
		return !evaluate(t);
	}
	if (n == 2)
		return terr(t, "unary operator expected", a[0]);
	int v = or_expr(t);
	if (t->i < t->n)
		terr(t, "unexpected argument", t->a[t->i]);
	return v;
}

int bi_test(int argc, char **argv)
{
	struct tst t = {.a = argv + 1, .n = argc - 1};
	if (!strcmp(argv[0], "[")) {
		if (argc < 2 || strcmp(argv[argc - 1], "]")) {
			sh_error("[: missing `]'");
			return 2;
		}
		t.n--;
	}
	int v = evaluate(&t);
	return t.err ? 2 : !v;
}
