/* sort's key comparison (see sortkey.h). Fields without -t start where a
 * blank follows a non-blank, so a field holds its leading blanks, as in
 * POSIX; numbers are compared as digit strings, never overflowing. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sortkey.h"

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static const char *parse_pos(const char *s, size_t *field, size_t *ch, unsigned *flags, int end)
{
	char *e;
	*field = strtoul(s, &e, 10);
	if (e == s)
		return NULL;
	*ch = 0;
	s = e;
	if (*s == '.') {
		*ch = strtoul(s + 1, &e, 10);
		if (e == s + 1)
			return NULL;
		s = e;
	}
	for (; *s && *s != ','; s++) {
		const char *opts = "nrfbdgi";
		const unsigned bits[] = {SK_NUMERIC, SK_REVERSE, SK_FOLD,   0,
		                         SK_DICT,    SK_GENERAL, SK_NOPRINT};
		const char *o = strchr(opts, *s);
		if (!o)
			return NULL;
		*flags |= *s == 'b' ? (end ? SK_BEND : SK_BSTART) : bits[o - opts];
	}
	return s;
}

int sortkey_parse(const char *spec, struct sort_key *k, char *err, size_t errlen)
{
	memset(k, 0, sizeof(*k));
	const char *s = parse_pos(spec, &k->sfield, &k->schar, &k->flags, 0);
	if (!s) {
		snprintf(err, errlen,
		         "invalid number at field start: invalid count at start of '%s'", spec);
		return -1;
	}
	if (!k->sfield) {
		snprintf(err, errlen, "field number is zero: invalid field specification '%s'",
		         spec);
		return -1;
	}
	if (!k->schar && strchr(spec, '.') && strchr(spec, '.') < (s ? s : spec)) {
		snprintf(err, errlen, "character offset is zero: invalid field specification '%s'",
		         spec);
		return -1;
	}
	if (*s == ',' && !parse_pos(s + 1, &k->efield, &k->echar, &k->flags, 1)) {
		snprintf(err, errlen, "invalid number after ',': invalid count at start of '%s'",
		         s + 1);
		return -1;
	}
	if (*s == ',' && !k->efield) {
		snprintf(err, errlen, "field number is zero: invalid field specification '%s'",
		         spec);
		return -1;
	}
	k->has_flags = k->flags != 0;
	return 0;
}

/* Where field f (from 1) starts in line [p, lim): lim if it has none. */
static const char *field_start(const struct sort_opts *o, const char *p, const char *lim, size_t f)
{
	while (--f && p < lim) {
		if (o->tab >= 0) {
			while (p < lim && *p != o->tab)
				p++;
			if (p < lim)
				p++;
		} else {
			while (p < lim && is_blank(*p))
				p++;
			while (p < lim && !is_blank(*p))
				p++;
		}
	}
	return p;
}

/* Where the field starting at p ends. */
static const char *field_end(const struct sort_opts *o, const char *p, const char *lim)
{
	if (o->tab >= 0) {
		while (p < lim && *p != o->tab)
			p++;
		return p;
	}
	while (p < lim && is_blank(*p))
		p++;
	while (p < lim && !is_blank(*p))
		p++;
	return p;
}

/* The key k of a line: its bytes in [*b, *e). */
static void key_span(const struct sort_opts *o, const struct sort_key *k, unsigned flags,
                     const char *line, size_t len, const char **b, const char **e)
{
	const char *lim = line + len, *s = field_start(o, line, lim, k->sfield), *t = lim;
	if (flags & SK_BSTART)
		while (s < lim && is_blank(*s))
			s++;
	s = k->schar && (size_t)(lim - s) > k->schar - 1 ? s + k->schar - 1 : k->schar ? lim : s;
	if (k->efield) {
		t = field_start(o, line, lim, k->efield);
		if (!k->echar) {
			t = field_end(o, t, lim);
		} else {
			if (flags & SK_BEND)
				while (t < lim && is_blank(*t))
					t++;
			t = (size_t)(lim - t) > k->echar ? t + k->echar : lim;
		}
	}
	*b = s, *e = t < s ? s : t;
}

/* -n: compares two numbers written [-]digits[.digits] after blanks. */
static int numeric_compare(const char *a, const char *ae, const char *b, const char *be)
{
	while (a < ae && is_blank(*a))
		a++;
	while (b < be && is_blank(*b))
		b++;
	int na = a < ae && *a == '-', nb = b < be && *b == '-';
	a += na, b += nb;
	while (a < ae && *a == '0')
		a++;
	while (b < be && *b == '0')
		b++;
	const char *ia = a, *ib = b;
	while (ia < ae && isdigit((unsigned char)*ia))
		ia++;
	while (ib < be && isdigit((unsigned char)*ib))
		ib++;
	int r = ia - a != ib - b ? (ia - a < ib - b ? -1 : 1) : memcmp(a, b, (size_t)(ia - a));
	/* Equal integer parts: the fractions digit by digit, missing ones 0. */
	const char *fa = ia < ae && *ia == '.' ? ia + 1 : ae;
	const char *fb = ib < be && *ib == '.' ? ib + 1 : be;
	while (!r) {
		int da = fa < ae && isdigit((unsigned char)*fa) ? *fa++ : -1;
		int db = fb < be && isdigit((unsigned char)*fb) ? *fb++ : -1;
		if (da < 0 && db < 0)
			break;
		r = (da < 0 ? '0' : da) - (db < 0 ? '0' : db);
	}
	if (na != nb) {
		/* Different signs: equal only if both are zero. */
		int za = 1, zb = 1;
		for (const char *p = a; p < ae && (isdigit((unsigned char)*p) || *p == '.'); p++)
			za &= *p == '0' || *p == '.';
		for (const char *p = b; p < be && (isdigit((unsigned char)*p) || *p == '.'); p++)
			zb &= *p == '0' || *p == '.';
		if (za && zb)
			return 0;
		return na ? -1 : 1;
	}
	return na ? -r : r;
}

/* -g: compares as strtod reads them; what is not a number sorts first. */
static int general_compare(const char *a, const char *ae, const char *b, const char *be)
{
	char ba[64], bb[64];
	snprintf(ba, sizeof(ba), "%.*s", (int)(ae - a), a);
	snprintf(bb, sizeof(bb), "%.*s", (int)(be - b), b);
	char *ea, *eb;
	double x = strtod(ba, &ea), y = strtod(bb, &eb);
	int va = ea != ba, vb = eb != bb;
	if (va != vb)
		return va - vb;
	return !va ? 0 : x < y ? -1 : x > y;
}

/* Text comparison with -f, -d and -i: bytes that are skipped do not count. */
static int text_compare(unsigned flags, const char *a, const char *ae, const char *b,
                        const char *be)
{
	if (!(flags & (SK_FOLD | SK_DICT | SK_NOPRINT))) {
		size_t la = (size_t)(ae - a), lb = (size_t)(be - b);
		int r = memcmp(a, b, la < lb ? la : lb);
		return r ? r : la < lb ? -1 : la > lb;
	}
	for (;;) {
		while (a < ae &&
		       (((flags & SK_DICT) && !isalnum((unsigned char)*a) && !is_blank(*a)) ||
		        ((flags & SK_NOPRINT) && !isprint((unsigned char)*a))))
			a++;
		while (b < be &&
		       (((flags & SK_DICT) && !isalnum((unsigned char)*b) && !is_blank(*b)) ||
		        ((flags & SK_NOPRINT) && !isprint((unsigned char)*b))))
			b++;
		if (a == ae || b == be)
			return (a < ae) - (b < be);
		int ca = (unsigned char)*a++, cb = (unsigned char)*b++;
		if (flags & SK_FOLD)
			ca = toupper(ca), cb = toupper(cb);
		if (ca != cb)
			return ca - cb;
	}
}

static int key_compare(const struct sort_opts *o, const struct sort_key *k, const char *a,
                       size_t la, const char *b, size_t lb)
{
	unsigned flags = k->has_flags ? k->flags : k->flags | o->flags;
	if (!k->has_flags && (o->flags & SK_BSTART))
		flags |= SK_BEND;
	const char *as, *ae, *bs, *be;
	key_span(o, k, flags, a, la, &as, &ae);
	key_span(o, k, flags, b, lb, &bs, &be);
	int r;
	if (flags & SK_NUMERIC)
		r = numeric_compare(as, ae, bs, be);
	else if (flags & SK_GENERAL)
		r = general_compare(as, ae, bs, be);
	else
		r = text_compare(flags, as, ae, bs, be);
	return flags & SK_REVERSE ? -r : r;
}

int sortkey_compare(const struct sort_opts *o, const char *a, size_t la, const char *b, size_t lb)
{
	static const struct sort_key whole = {1, 0, 0, 0, 0, 0};
	int r = 0;
	if (!o->nkeys)
		r = key_compare(o, &whole, a, la, b, lb);
	for (int i = 0; i < o->nkeys && !r; i++)
		r = key_compare(o, &o->keys[i], a, la, b, lb);
	if (r || !o->last_resort)
		return r;
	r = memcmp(a, b, la < lb ? la : lb);
	r = r ? r : la < lb ? -1 : la > lb;
	return o->flags & SK_REVERSE ? -r : r;
}
