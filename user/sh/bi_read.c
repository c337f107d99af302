/* read (XCU read: -r, IFS splitting into several names, the last taking
 * the rest) and printf (the formatting of /bin/printf, user/lib/pfmt.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parse.h"
#include "../lib/pfmt.h"
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

/* The same formatting as /bin/printf (user/lib/pfmt.c), without a fork. */
int bi_printf(int argc, char **argv)
{
	int first = argc > 1 && !strcmp(argv[1], "--") ? 2 : 1;
	if (argc <= first) {
		fputs("printf: missing operand\n", stderr);
		return 1;
	}
	int rc = pfmt_run(stdout, argv[first], argv + first + 1, argc - first - 1);
	fflush(stdout);
	return rc ? 1 : 0;
}
