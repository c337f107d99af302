/* Expansion of tr's SET operands (see trset.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trset.h"

struct tr_class {
	const char *name;
	int (*is)(int);
};

static const struct tr_class classes[] = {
    {"alnum", isalnum}, {"alpha", isalpha}, {"blank", isblank}, {"cntrl", iscntrl},
    {"digit", isdigit}, {"graph", isgraph}, {"lower", islower}, {"print", isprint},
    {"punct", ispunct}, {"space", isspace}, {"upper", isupper}, {"xdigit", isxdigit},
    {NULL, NULL},
};

/* One possibly escaped byte at *s, advancing *s. */
static unsigned char one_char(const char **s)
{
	const char *p = *s;
	if (*p != '\\' || !p[1]) {
		*s = p + 1;
		return (unsigned char)*p;
	}
	p++;
	if (*p >= '0' && *p <= '7') {
		unsigned v = 0;
		for (int k = 0; k < 3 && *p >= '0' && *p <= '7'; k++)
			v = v * 8 + (unsigned)(*p++ - '0');
		*s = p;
		return (unsigned char)v;
	}
	static const char from[] = "abfnrtv", to[] = "\a\b\f\n\r\t\v";
	const char *e = strchr(from, *p);
	*s = p + 1;
	return e && *p ? (unsigned char)to[e - from] : (unsigned char)*p;
}

static int add(struct trset *set, unsigned char c, char *err, size_t errlen)
{
	if (set->n >= TRSET_MAX) {
		snprintf(err, errlen, "set is too large");
		return -1;
	}
	set->c[set->n++] = c;
	return 0;
}

/* A [:class:], [=c=] or [c*n] at s: its length, or 0 if s is not one. */
static size_t bracket(const char *s, struct trset *set, char *err, size_t errlen, int *rc)
{
	*rc = 0;
	if (s[1] == ':') {
		const char *end = strstr(s + 2, ":]");
		if (!end)
			return 0;
		for (const struct tr_class *c = classes; c->name; c++)
			if ((size_t)(end - s - 2) == strlen(c->name) &&
			    !strncmp(s + 2, c->name, strlen(c->name))) {
				for (int ch = 0; ch < 256 && !*rc; ch++)
					if (c->is(ch))
						*rc = add(set, (unsigned char)ch, err, errlen);
				return (size_t)(end + 2 - s);
			}
		snprintf(err, errlen, "invalid character class '%.*s'", (int)(end - s - 2), s + 2);
		*rc = -1;
		return 1;
	}
	if (s[1] == '=' && s[2] && s[3] == '=' && s[4] == ']') {
		*rc = add(set, (unsigned char)s[2], err, errlen);
		return 5;
	}
	const char *p = s + 1;
	if (!*p)
		return 0;
	unsigned char c = one_char(&p);
	if (*p != '*')
		return 0;
	char *end;
	unsigned long n = strtoul(p + 1, &end, p[1] == '0' ? 8 : 10);
	if (*end != ']')
		return 0;
	if (end == p + 1) { /* [c*]: fills up to SET1's length later */
		set->fill = (long)set->n;
		*rc = add(set, c, err, errlen);
	}
	for (unsigned long k = 0; k < n && !*rc; k++)
		*rc = add(set, c, err, errlen);
	return (size_t)(end + 1 - s);
}

int trset_parse(const char *s, struct trset *set, char *err, size_t errlen)
{
	set->n = 0, set->fill = -1;
	while (*s) {
		int rc;
		size_t used = *s == '[' ? bracket(s, set, err, errlen, &rc) : 0;
		if (used) {
			if (rc)
				return -1;
			s += used;
			continue;
		}
		const char *start = s;
		unsigned char lo = one_char(&s);
		if (*s == '-' && s[1]) {
			s++;
			unsigned char hi = one_char(&s);
			if (hi < lo) {
				snprintf(
				    err, errlen,
				    "range-endpoints of '%.*s' are in reverse collating sequence "
				    "order",
				    (int)(s - start), start);
				return -1;
			}
			for (unsigned c = lo; c <= hi; c++)
				if (add(set, (unsigned char)c, err, errlen))
					return -1;
		} else if (add(set, lo, err, errlen)) {
			return -1;
		}
	}
	return 0;
}

void trset_complement(struct trset *set)
{
	unsigned char in[256] = {0};
	for (size_t i = 0; i < set->n; i++)
		in[set->c[i]] = 1;
	set->n = 0, set->fill = -1;
	for (int c = 0; c < 256; c++)
		if (!in[c])
			set->c[set->n++] = (unsigned char)c;
}

void trset_extend(struct trset *set, size_t n)
{
	if (set->n >= n || !set->n || n > TRSET_MAX)
		return;
	size_t gap = n - set->n;
	if (set->fill >= 0) {
		size_t at = (size_t)set->fill;
		memmove(set->c + at + gap, set->c + at, set->n - at);
		memset(set->c + at, set->c[at + gap], gap);
	} else {
		memset(set->c + set->n, set->c[set->n - 1], gap);
	}
	set->n = n;
}
