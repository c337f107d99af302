/* read (XCU read: -r, IFS splitting into several names, the last taking
 * the rest) and printf (XCU printf: %s %b %c %d %i %u %o %x %X %%, flags,
 * width and precision, the format reused while arguments remain). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parse.h"
#include "sh.h"

/* A line from fd 0 a byte at a time: chars and, per char, whether a
 * backslash quoted it (without -r). Returns -1 at EOF before a newline. */
static int read_line(bool raw, char **out, char **quoted)
{
	size_t n = 0, cap = 128;
	char *s = malloc(cap), *q = malloc(cap), c;
	int rc = -1;
	bool esc = false;
	while (s && q) {
		ssize_t r = read(0, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (esc && c == '\n') {
			esc = false;
			continue;
		}
		if (!esc && !raw && c == '\\') {
			esc = true;
			continue;
		}
		if (!esc && c == '\n') {
			rc = 0;
			break;
		}
		if (n + 2 > cap) {
			cap *= 2;
			s = realloc(s, cap);
			q = realloc(q, cap);
			if (!s || !q)
				break;
		}
		q[n] = esc;
		s[n++] = c;
		esc = false;
	}
	if (s)
		s[n] = '\0';
	*out = s;
	*quoted = q;
	return s && q ? rc : -2;
}

static bool in_ifs(const char *ifs, char c, bool q)
{
	return !q && c && strchr(ifs, c);
}

static bool is_white(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* Assigns fields of s to the names, the last one getting the rest. */
static int assign_fields(char **names, int nn, char *s, const char *q)
{
	const char *ifs = var_get("IFS");
	size_t i = 0, len = strlen(s);
	if (!ifs)
		ifs = " \t\n";
	for (int k = 0; k < nn; k++) {
		while (i < len && in_ifs(ifs, s[i], q[i]) && is_white(s[i]))
			i++;
		size_t start = i, end;
		if (k == nn - 1) {
			end = len;
			while (end > start && in_ifs(ifs, s[end - 1], q[end - 1]) &&
			       is_white(s[end - 1]))
				end--;
		} else {
			while (i < len && !in_ifs(ifs, s[i], q[i]))
				i++;
			end = i;
			while (i < len && in_ifs(ifs, s[i], q[i]) && is_white(s[i]))
				i++;
			if (i < len && in_ifs(ifs, s[i], q[i]))
				i++;
		}
		char *v = strndup(s + start, end - start);
		int rc = v ? var_set(names[k], v, 0) : -1;
		free(v);
		if (rc)
			return 2;
	}
	return 0;
}

int bi_read(int argc, char **argv)
{
	int i = 1;
	bool raw = false;
	char *s, *q, *def[] = {"REPLY"};
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		if (strcmp(argv[i], "-r")) {
			sh_error("read: %s: invalid option", argv[i]);
			return 2;
		}
		raw = true;
	}
	for (int k = i; k < argc; k++)
		if (!sh_is_name(argv[k], -1)) {
			sh_error("read: `%s': not a valid identifier", argv[k]);
			return 2;
		}
	fflush(stdout);
	int rc = read_line(raw, &s, &q);
	int status =
	    rc == -2 ? 2 : assign_fields(i < argc ? argv + i : def, i < argc ? argc - i : 1, s, q);
	free(s);
	free(q);
	return status ? status : rc < 0;
}

/* --- printf -------------------------------------------------------------------- */

/* One backslash escape at *p (after the \); *p is advanced. -1 is \c. */
static int escape(const char **p, bool octal0)
{
	char c = *(*p)++;
	static const char from[] = "abfnrtv\\\"'", to[] = "\a\b\f\n\r\t\v\\\"'";
	const char *k = c ? strchr(from, c) : NULL;
	if (k)
		return to[k - from];
	if (c == 'c')
		return -1;
	if (c >= '0' && c <= '7') {
		int v = c - '0', n = octal0 && c == '0' ? 0 : 1;
		for (; n < 3 && **p >= '0' && **p <= '7'; n++)
			v = v * 8 + *(*p)++ - '0';
		return v & 255;
	}
	(*p)--;
	return '\\';
}

/* %b: the argument with its escapes; false when \c ends everything. */
static bool put_b(const char *s)
{
	while (*s) {
		if (*s != '\\') {
			putchar(*s++);
			continue;
		}
		s++;
		int c = escape(&s, true);
		if (c < 0)
			return false;
		putchar(c);
	}
	return true;
}

static long num_arg(const char *s, bool *bad)
{
	char *end;
	if (s[0] == '\'' || s[0] == '"')
		return (unsigned char)s[1];
	errno = 0;
	long v = strtol(s, &end, 0);
	if (*s && (*end || errno)) {
		sh_error("printf: %s: invalid number", s);
		*bad = true;
	}
	return v;
}

/* One conversion spec at f (after the %); returns the end of it. */
static const char *convert(const char *f, char ***args, bool *bad, bool *stop)
{
	char spec[32], conv;
	size_t n = strspn(f, "-+ #0123456789.");
	const char *a = **args ? *(*args)++ : NULL;
	conv = f[n];
	if (n > 20 || !conv || !strchr("sbcdiuoxX", conv)) {
		sh_error("printf: %%%c: invalid directive", conv);
		*bad = *stop = true;
		return f + n + (conv != 0);
	}
	if (conv == 'b') {
		*stop = !put_b(a ? a : "");
		return f + n + 1;
	}
	snprintf(spec, sizeof(spec), "%%%.*s%s", (int)n, f, conv == 's' || conv == 'c' ? "s" : "l");
	if (conv == 's')
		printf(spec, a ? a : "");
	else if (conv == 'c')
		printf(spec, a ? (char[2]){a[0], 0} : "");
	else {
		size_t k = strlen(spec);
		spec[k] = conv;
		spec[k + 1] = '\0';
		printf(spec, a ? num_arg(a, bad) : 0L);
	}
	return f + n + 1;
}

int bi_printf(int argc, char **argv)
{
	bool bad = false, stop = false;
	if (argc < 2) {
		sh_error("printf: usage: printf format [arguments]");
		return 2;
	}
	char **args = argv + 2;
	do {
		char **before = args;
		for (const char *f = argv[1]; *f && !stop;) {
			if (*f == '\\') {
				f++;
				int c = escape(&f, false);
				if (c < 0)
					stop = true;
				else
					putchar(c);
			} else if (*f == '%' && f[1] == '%') {
				putchar('%');
				f += 2;
			} else if (*f == '%') {
				f = convert(f + 1, &args, &bad, &stop);
			} else {
				putchar(*f++);
			}
		}
		if (args == before)
			break;
	} while (*args && !stop);
	return bad;
}
