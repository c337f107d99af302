/* ed's addresses, as POSIX ed defines them: . $ N 'x /re/ ?re? with
 * + and - offsets, and the pairs a,b a;b , ; (see ed.h). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "ed.h"

int ed_regex(struct ed_buf *b, const char **sp)
{
	const char *s = *sp;
	char delim = *s++, pat[1024];
	size_t n = 0;
	while (*s && *s != delim && n < sizeof(pat) - 2) {
		if (*s == '\\' && s[1] == delim)
			s++;
		else if (*s == '\\' && s[1])
			pat[n++] = *s++;
		pat[n++] = *s++;
	}
	pat[n] = 0;
	if (*s == delim)
		s++;
	*sp = s;
	if (!n) {
		if (!b->have_re)
			return b->err = "no previous pattern", -1;
		return 0;
	}
	regex_t re;
	if (regcomp(&re, pat, 0))
		return b->err = "invalid pattern", -1;
	if (b->have_re)
		regfree(&b->last_re);
	b->last_re = re;
	b->have_re = true;
	return 0;
}

/* The next line from b->cur matching the last regex, forward or back,
 * wrapping around. */
static int search(struct ed_buf *b, bool forward)
{
	for (int k = 1; k <= b->n; k++) {
		int l = forward ? (b->cur + k - 1) % b->n + 1
		                : ((b->cur - k - 1) % b->n + b->n) % b->n + 1;
		if (regexec(&b->last_re, b->lines[l], 0, NULL, 0) == 0)
			return l;
	}
	return b->err = "no match", -1;
}

/* One address (a base and its offsets); *got 0 if there was none. */
static int one(struct ed_buf *b, const char **sp, int *out, int *got)
{
	const char *s = *sp;
	int a = b->cur;
	*got = 1;
	if (*s == '.') {
		s++;
	} else if (*s == '$') {
		a = b->n, s++;
	} else if (isdigit((unsigned char)*s)) {
		a = (int)strtol(s, (char **)&s, 10);
	} else if (*s == '\'') {
		if (!islower((unsigned char)s[1]) || !b->marks[s[1] - 'a'])
			return b->err = "invalid mark character", -1;
		a = b->marks[s[1] - 'a'], s += 2;
	} else if (*s == '/' || *s == '?') {
		bool fwd = *s == '/';
		if (ed_regex(b, &s) || (a = search(b, fwd)) < 0)
			return -1;
	} else if (*s != '+' && *s != '-' && *s != '^') {
		*got = 0;
	}
	while (*s == '+' || *s == '-' || *s == '^' || *s == ' ') {
		if (*s == ' ') {
			s++;
			continue;
		}
		int sign = *s == '+' ? 1 : -1;
		s++;
		a += sign * (isdigit((unsigned char)*s) ? (int)strtol(s, (char **)&s, 10) : 1);
		*got = 1;
	}
	if (*got && (a < 0 || a > b->n))
		return b->err = "invalid address", -1;
	*out = a;
	*sp = s;
	return 0;
}

int ed_addrs(struct ed_buf *b, const char **sp, int *a1, int *a2, int *naddr)
{
	int got, a;
	*naddr = 0;
	*a1 = *a2 = b->cur;
	if (**sp == ',' || **sp == ';') {
		char sep = *(*sp)++;
		*a1 = sep == ',' ? 1 : b->cur;
		*a2 = b->n;
		if (one(b, sp, &a, &got))
			return -1;
		if (got)
			*a2 = a;
		*naddr = 2;
		return 0;
	}
	if (one(b, sp, &a, &got))
		return -1;
	if (!got)
		return 0;
	*a1 = *a2 = a;
	*naddr = 1;
	while (**sp == ',' || **sp == ';') {
		if (*(*sp)++ == ';')
			b->cur = *a2;
		*a1 = *a2;
		if (one(b, sp, &a, &got))
			return -1;
		*a2 = got ? a : (*(*sp - 1) == ',' && *naddr == 1 ? b->n : *a2);
		*naddr = 2;
	}
	return 0;
}
