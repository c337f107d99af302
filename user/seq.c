/* seq [-w] [-s SEP] [-f FORMAT] [FIRST [INCR]] LAST: numbers from FIRST to
 * LAST by INCR, one a line. Integers are counted exactly; otherwise the
 * numbers print with as many decimals as FIRST or INCR has (as GNU seq). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mica/util.h"

static const struct util_prog prog = {
    .name = "seq",
    .help = "Usage: seq [OPTION]... LAST\n"
            "  or:  seq [OPTION]... FIRST LAST\n"
            "  or:  seq [OPTION]... FIRST INCREMENT LAST\n"
            "Print numbers from FIRST to LAST, in steps of INCREMENT.\n\n"
            "  -f, --format=FORMAT      use printf style floating-point FORMAT\n"
            "  -s, --separator=STRING   use STRING to separate numbers (default: \\n)\n"
            "  -w, --equal-width        equalize width by padding with leading zeroes\n",
    .usage_status = 1,
};

struct num {
	double v;
	long long i;
	int is_int; /* no '.' or exponent: counted in long long */
	int prec;   /* decimals it is written with */
};

static struct num parse_num(const char *s)
{
	struct num n = {0};
	char *end;
	errno = 0;
	n.v = strtod(s, &end);
	if (end == s || *end || errno == ERANGE) {
		fprintf(stderr, "seq: invalid floating point argument: '%s'\n", s);
		util_try_help(&prog);
	}
	const char *dot = strchr(s, '.'), *e = strpbrk(s, "eE");
	if (dot)
		n.prec = (int)((e ? (size_t)(e - dot) : strlen(dot)) - 1);
	if (e) {
		n.prec -= atoi(e + 1);
		n.prec = n.prec < 0 ? 0 : n.prec;
	}
	n.is_int = !dot && !e && !strpbrk(s, "xXnN");
	if (n.is_int)
		n.i = strtoll(s, NULL, 10);
	return n;
}

/* The width -w pads to: the wider of FIRST and LAST as printed. */
static int number_width(const struct num *n, int prec)
{
	char b[64];
	return snprintf(b, sizeof(b), "%.*f", prec, n->v);
}

int main(int argc, char **argv)
{
	const char *sep = "\n", *fmt = NULL;
	int equal = 0, nops = 0;
	char *ops[3];
	for (int i = 1; i < argc; i++) {
		char *a = argv[i];
		int numeric = a[0] == '-' && (a[1] == '.' || (a[1] >= '0' && a[1] <= '9'));
		if (a[0] != '-' || !a[1] || numeric) {
			if (nops == 3)
				util_usage_error(&prog, "extra operand '%s'", a);
			ops[nops++] = a;
		} else if (!strcmp(a, "--help")) {
			util_help(&prog);
		} else if (!strcmp(a, "-w") || !strcmp(a, "--equal-width")) {
			equal = 1;
		} else if (a[1] == 's' || a[1] == 'f') {
			const char *v = a[2] ? a + 2 : argv[++i];
			if (!v)
				util_usage_error(&prog, "option requires an argument -- '%c'",
				                 a[1]);
			*(a[1] == 's' ? &sep : &fmt) = v;
		} else {
			util_usage_error(&prog, "invalid option -- '%c'", a[1]);
		}
	}
	if (!nops)
		util_usage_error(&prog, "missing operand");
	struct num first = {1, 1, 1, 0}, incr = {1, 1, 1, 0}, last = parse_num(ops[nops - 1]);
	if (nops > 1)
		first = parse_num(ops[0]);
	if (nops > 2)
		incr = parse_num(ops[1]);
	if (incr.v == 0) {
		fprintf(stderr, "seq: invalid Zero increment value: '%s'\n", ops[1]);
		util_try_help(&prog);
	}
	int prec = first.prec > incr.prec ? first.prec : incr.prec;
	int w1 = number_width(&first, prec), w2 = number_width(&last, prec);
	int width = equal ? (w1 > w2 ? w1 : w2) : 0;
	int exact = !fmt && first.is_int && incr.is_int && last.is_int;
	int printed = 0;
	for (long long k = 0;; k++) {
		double v = first.v + (double)k * incr.v;
		long long iv = first.i + k * incr.i;
		if (exact ? (incr.i > 0 ? iv > last.i : iv < last.i)
		          : (incr.v > 0 ? v > last.v : v < last.v))
			break;
		if (printed++)
			fputs(sep, stdout);
		if (exact)
			printf("%0*lld", width, iv);
		else if (fmt)
			printf(fmt, v);
		else
			printf("%0*.*f", width, prec, v);
	}
	if (printed)
		fputs("\n", stdout);
	return fflush(stdout) || ferror(stdout) ? 1 : 0;
}
