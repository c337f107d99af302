/* printf(1) formatting (see pfmt.h), written from POSIX and GNU's
 * documentation. Each conversion is handed to the C library's printf with
 * the flags, width and precision it was given. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "pfmt.h"

struct pf {
	FILE *out;
	char **args;
	int nargs, next;
	int status;  /* 1 after a bad number */
	int stopped; /* \c seen: no more output */
	char *buf;   /* %b's expansion is collected here when not NULL */
	size_t blen, bcap;
};

static void put(struct pf *p, int c)
{
	if (!p->buf) {
		fputc(c, p->out);
		return;
	}
	if (p->blen + 1 >= p->bcap) {
		char *nb = realloc(p->buf, p->bcap *= 2);
		if (!nb)
			return;
		p->buf = nb;
	}
	p->buf[p->blen++] = (char)c;
}

static const char *next_arg(struct pf *p)
{
	return p->next < p->nargs ? p->args[p->next++] : NULL;
}

/* A backslash escape at s (after the '\'); in_b: %b's rules (\0NNN, \c).
 * Writes the byte and returns the characters used. */
static size_t escape(struct pf *p, const char *s, int in_b)
{
	static const char from[] = "\\abefnrtv\"", to[] = "\\\a\b\033\f\n\r\t\v\"";
	const char *e = *s ? strchr(from, *s) : NULL;
	if (e) {
		put(p, to[e - from]);
		return 1;
	}
	if (*s == 'c') {
		p->stopped = 1;
		return 1;
	}
	size_t i = 0, max = 3;
	unsigned v = 0;
	if (*s == 'x' && strchr("0123456789abcdefABCDEF", s[1]) && s[1]) {
		for (i = 1; i < 3 && s[i] && strchr("0123456789abcdefABCDEF", s[i]); i++)
			v = v * 16 + (unsigned)(s[i] <= '9' ? s[i] - '0' : (s[i] | 32) - 'a' + 10);
		put(p, (int)v);
		return i;
	}
	if (in_b && *s == '0')
		i = 1, max = 4;
	if (*s >= '0' && *s <= '7') {
		for (; i < max && s[i] >= '0' && s[i] <= '7'; i++)
			v = v * 8 + (unsigned)(s[i] - '0');
		put(p, (int)(v & 0xff));
		return i;
	}
	put(p, '\\');
	if (*s)
		put(p, *s);
	return *s ? 1 : 0;
}

/* %b: the argument with its escapes interpreted, then printed as %s. */
static void put_b(struct pf *p, const char *spec, const char *arg)
{
	p->bcap = strlen(arg) + 16, p->blen = 0;
	if (!(p->buf = malloc(p->bcap)))
		return;
	for (const char *s = arg; *s && !p->stopped; s++)
		if (*s == '\\')
			s += escape(p, s + 1, 1);
		else
			put(p, *s);
	p->buf[p->blen] = 0;
	char *text = p->buf, fmt[64];
	p->buf = NULL;
	snprintf(fmt, sizeof(fmt), "%.*ss", (int)(strlen(spec) - 1), spec);
	fprintf(p->out, fmt, text);
	free(text);
}

static void bad_number(struct pf *p, const char *arg, const char *why)
{
	fflush(p->out);
	fprintf(stderr, "printf: '%s': %s\n", arg, why);
	p->status = 1;
}

/* Checks a numeric argument's end and errno after strto*(). */
static void check_number(struct pf *p, const char *arg, const char *end)
{
	if (end == arg)
		bad_number(p, arg, "expected a numeric value");
	else if (*end)
		bad_number(p, arg, "value not completely converted");
	else if (errno == ERANGE)
		bad_number(p, arg, strerror(ERANGE));
}

/* An integer argument: a number, or 'c / "c for the character's code. */
static intmax_t int_arg(struct pf *p, const char *arg, int is_signed)
{
	if (!arg)
		return 0;
	if (*arg == '\'' || *arg == '"')
		return (unsigned char)arg[1];
	char *end;
	errno = 0;
	intmax_t v = is_signed ? strtoimax(arg, &end, 0) : (intmax_t)strtoumax(arg, &end, 0);
	check_number(p, arg, end);
	return v;
}

static double float_arg(struct pf *p, const char *arg)
{
	if (!arg)
		return 0;
	if (*arg == '\'' || *arg == '"')
		return (unsigned char)arg[1];
	char *end;
	errno = 0;
	double v = strtod(arg, &end);
	check_number(p, arg, end);
	return v;
}

/* One conversion at s (after the '%'); returns its length, or 0 if it is
 * not a valid one. */
static size_t convert(struct pf *p, const char *s)
{
	char spec[64] = "%", num[24];
	size_t i = 0, n = 1;
	while (s[i] && strchr("-+ #0'", s[i]) && n < 10)
		spec[n++] = s[i++];
	for (int part = 0; part < 2; part++) { /* the width, then the precision */
		if (part && s[i] != '.')
			break;
		if (part)
			spec[n++] = s[i++];
		if (s[i] == '*') {
			const char *a = next_arg(p);
			snprintf(num, sizeof(num), "%d", (int)int_arg(p, a, 1));
			memcpy(spec + n, num, strlen(num));
			n += strlen(num), i++;
			continue;
		}
		while (s[i] >= '0' && s[i] <= '9' && n < 40)
			spec[n++] = s[i++];
	}
	while (s[i] && strchr("hlLqjzt", s[i]))
		i++;
	char conv = s[i];
	if (!conv || !strchr("diouxXfFeEgGaAcsb%", conv))
		return 0;
	const char *arg = conv == '%' ? NULL : next_arg(p);
	spec[n] = 0;
	if (conv == '%') {
		fputc('%', p->out);
	} else if (conv == 'd' || conv == 'i') {
		strcat(spec, "jd");
		fprintf(p->out, spec, int_arg(p, arg, 1));
	} else if (strchr("ouxX", conv)) {
		size_t l = strlen(spec);
		spec[l] = 'j', spec[l + 1] = conv, spec[l + 2] = 0;
		fprintf(p->out, spec, (uintmax_t)int_arg(p, arg, 0));
	} else if (strchr("fFeEgGaA", conv)) {
		size_t l = strlen(spec);
		spec[l] = conv, spec[l + 1] = 0;
		fprintf(p->out, spec, float_arg(p, arg));
	} else if (conv == 'c') {
		strcat(spec, "c");
		fprintf(p->out, spec, arg ? *arg : 0);
	} else if (conv == 's') {
		strcat(spec, "s");
		fprintf(p->out, spec, arg ? arg : "");
	} else {
		strcat(spec, "b");
		put_b(p, spec, arg ? arg : "");
	}
	return i + 1;
}

/* One pass over the format: 0, or -1 after an invalid conversion. */
static int one_pass(struct pf *p, const char *f)
{
	while (*f && !p->stopped) {
		if (*f == '\\') {
			f += 1 + escape(p, f + 1, 0);
		} else if (*f == '%') {
			size_t used = convert(p, f + 1);
			if (!used) {
				size_t l = strcspn(f + 1, "diouxXfFeEgGaAcsb%");
				fflush(p->out);
				fprintf(stderr, "printf: %.*s: invalid conversion specification\n",
				        (int)(l + 1 + (f[1 + l] != 0)), f);
				return -1;
			}
			f += 1 + used;
		} else {
			fputc(*f++, p->out);
		}
	}
	return 0;
}

int pfmt_run(FILE *out, const char *format, char **args, int nargs)
{
	struct pf p = {.out = out, .args = args, .nargs = nargs};
	do {
		int before = p.next;
		if (one_pass(&p, format) < 0)
			return -1;
		if (p.next == before)
			break; /* the format takes no arguments: once is enough */
	} while (p.next < p.nargs && !p.stopped);
	return p.status;
}
