/* test EXPRESSION, [ EXPRESSION ]: evaluates a POSIX test expression (file
 * tests, strings, integers, ! -a -o and parentheses); status 0 true,
 * 1 false, 2 on an error. Installed as /bin/[ too, which wants the ']'. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *prog = "test";
static char **args;
static int nargs, pos;

static void fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static intmax_t integer(const char *s)
{
	const char *p = s;
	char *end;
	while (*p == ' ' || *p == '\t')
		p++;
	errno = 0;
	intmax_t v = strtoimax(p, &end, 10);
	while (*end == ' ' || *end == '\t')
		end++;
	if (end == p || *end || errno)
		fail("invalid integer '%s'", s);
	return v;
}

static int is_unary(const char *s)
{
	return s[0] == '-' && s[1] && !s[2] && strchr("bcdefghLnprsStuwxzkOG", s[1]);
}

static int is_binary(const char *s)
{
	static const char *ops[] = {"=",   "!=",  "==",  "<",   ">",   "-eq", "-ne", "-gt",
	                            "-ge", "-lt", "-le", "-nt", "-ot", "-ef", NULL};
	for (int i = 0; ops[i]; i++)
		if (!strcmp(s, ops[i]))
			return 1;
	return 0;
}

static int unary(char op, const char *a)
{
	struct stat st;
	if (op == 'n')
		return *a != 0;
	if (op == 'z')
		return *a == 0;
	if (op == 't')
		return isatty((int)integer(a));
	if (op == 'h' || op == 'L')
		return lstat(a, &st) == 0 && S_ISLNK(st.st_mode);
	if (stat(a, &st) < 0)
		return 0;
	switch (op) {
	case 'b':
		return S_ISBLK(st.st_mode);
	case 'c':
		return S_ISCHR(st.st_mode);
	case 'd':
		return S_ISDIR(st.st_mode);
	case 'e':
		return 1;
	case 'f':
		return S_ISREG(st.st_mode);
	case 'g':
		return (st.st_mode & S_ISGID) != 0;
	case 'k':
		return (st.st_mode & S_ISVTX) != 0;
	case 'p':
		return S_ISFIFO(st.st_mode);
	case 'S':
		return S_ISSOCK(st.st_mode);
	case 's':
		return st.st_size > 0;
	case 'u':
		return (st.st_mode & S_ISUID) != 0;
	case 'r':
		return access(a, R_OK) == 0;
	case 'w':
		return access(a, W_OK) == 0;
	case 'x':
		return access(a, X_OK) == 0;
	case 'O':
		return st.st_uid == getuid() /* no set-id programs: the same */;
	case 'G':
		return st.st_gid == getgid();
	}
	return 0;
}

/* Compares modification times (-nt, -ot) or identity (-ef). */
static int file_compare(const char *op, const char *a, const char *b)
{
	struct stat sa, sb;
	int ha = stat(a, &sa) == 0, hb = stat(b, &sb) == 0;
	if (!strcmp(op, "-ef"))
		return ha && hb && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
	if (!strcmp(op, "-nt"))
		return ha && (!hb || sa.st_mtime > sb.st_mtime);
	return hb && (!ha || sa.st_mtime < sb.st_mtime);
}

static int binary(const char *a, const char *op, const char *b)
{
	if (!strcmp(op, "=") || !strcmp(op, "=="))
		return !strcmp(a, b);
	if (!strcmp(op, "!="))
		return strcmp(a, b) != 0;
	if (!strcmp(op, "<"))
		return strcmp(a, b) < 0;
	if (!strcmp(op, ">"))
		return strcmp(a, b) > 0;
	if (op[1] == 'n' || op[1] == 'o' || !strcmp(op, "-ef"))
		if (strcmp(op, "-ne"))
			return file_compare(op, a, b);
	intmax_t x = integer(a), y = integer(b);
	if (!strcmp(op, "-eq"))
		return x == y;
	if (!strcmp(op, "-ne"))
		return x != y;
	if (!strcmp(op, "-gt"))
		return x > y;
	if (!strcmp(op, "-ge"))
		return x >= y;
	if (!strcmp(op, "-lt"))
		return x < y;
	return x <= y;
}

/* The general grammar: or := and { -o and }; and := not { -a not };
 * not := ! not | primary; primary := ( or ) | unary | binary | string. */
static int expr_or(void);

static const char *next(void)
{
	if (pos >= nargs)
		fail("missing argument after '%s'", args[pos - 1]);
	return args[pos++];
}

static int primary(void)
{
	const char *a = next();
	if (pos + 1 < nargs && is_binary(args[pos])) {
		const char *op = args[pos], *b = args[pos + 1];
		pos += 2;
		return binary(a, op, b);
	}
	if (!strcmp(a, "!"))
		return !primary();
	if (!strcmp(a, "(")) {
		int v = expr_or();
		if (pos >= nargs || strcmp(args[pos], ")"))
			fail("')' expected");
		pos++;
		return v;
	}
	if (is_unary(a) && pos < nargs)
		return unary(a[1], next());
	return *a != 0;
}

static int expr_and(void)
{
	int v = primary();
	while (pos < nargs && !strcmp(args[pos], "-a")) {
		pos++;
		v = primary() && v;
	}
	return v;
}

static int expr_or(void)
{
	int v = expr_and();
	while (pos < nargs && !strcmp(args[pos], "-o")) {
		pos++;
		v = expr_and() || v;
	}
	return v;
}

/* POSIX's rules by argument count, for up to four arguments. */
static int eval(char **a, int n)
{
	switch (n) {
	case 0:
		return 0;
	case 1:
		return *a[0] != 0;
	case 2:
		if (!strcmp(a[0], "!"))
			return !eval(a + 1, 1);
		if (is_unary(a[0]))
			return unary(a[0][1], a[1]);
		break;
	case 3:
		if (is_binary(a[1]))
			return binary(a[0], a[1], a[2]);
		if (!strcmp(a[0], "!"))
			return !eval(a + 1, 2);
		if (!strcmp(a[0], "(") && !strcmp(a[2], ")"))
			return eval(a + 1, 1);
		if (strcmp(a[1], "-a") && strcmp(a[1], "-o"))
			fail("'%s': binary operator expected", a[1]);
		break;
	case 4:
		if (!strcmp(a[0], "!"))
			return !eval(a + 1, 3);
		if (!strcmp(a[0], "(") && !strcmp(a[3], ")"))
			return eval(a + 1, 2);
		break;
	}
	args = a, nargs = n, pos = 0;
	int v = expr_or();
	if (pos < nargs)
		fail("extra argument '%s'", args[pos]);
	return v;
}

int main(int argc, char **argv)
{
	const char *base = strrchr(argv[0], '/');
	base = base ? base + 1 : argv[0];
	if (!strcmp(base, "[")) {
		prog = "[";
		if (argc < 2 || strcmp(argv[argc - 1], "]"))
			fail("missing ']'");
		argc--;
	}
	return !eval(argv + 1, argc - 1);
}
