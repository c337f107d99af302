/* Parameter expansion (XCU 2.6.2): ${x}, ${#x}, ${x-w} ${x:-w} ${x=w}
 * ${x:=w} ${x?w} ${x:?w} ${x+w} ${x:+w}, ${x%p} ${x%%p} ${x#p} ${x##p},
 * and the positional lists $@ and $*. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "xint.h"

/* "$*" joins with the first character of IFS (none if IFS is empty). */
static char *join_params(const struct xenv *e, bool star)
{
	const char *ifs = e->get(e->u, "IFS");
	char sep = !star ? ' ' : !ifs ? ' ' : ifs[0];
	size_t len = 1;
	int n = e->nparams(e->u);
	for (int i = 1; i <= n; i++)
		len += strlen(e->param(e->u, i)) + 1;
	char *s = malloc(len), *d = s;
	for (int i = 1; s && i <= n; i++) {
		size_t k = strlen(e->param(e->u, i));
		memcpy(d, e->param(e->u, i), k);
		d += k;
		if (sep && i < n)
			*d++ = sep;
	}
	if (s)
		*d = '\0';
	return s;
}

/* Any parameter's value as one string; "@" and "*" are joined (a static
 * copy, valid until the next call). */
const char *x_get(struct xs *x, const char *name)
{
	static char *joined, num[24];
	const struct xenv *e = x->e;
	if (!strcmp(name, "#")) {
		snprintf(num, sizeof(num), "%d", e->nparams(e->u));
		return num;
	}
	if (!strcmp(name, "@") || !strcmp(name, "*")) {
		free(joined);
		joined = join_params(e, name[0] == '*');
		return joined;
	}
	if (name[0] >= '1' && name[0] <= '9') {
		long i = strtol(name, NULL, 10);
		return i <= e->nparams(e->u) ? e->param(e->u, (int)i) : NULL;
	}
	return e->get(e->u, name);
}

int x_at(struct xs *x, char which, int mode)
{
	const struct xenv *e = x->e;
	int n = e->nparams(e->u);
	if ((mode & (M_DQ | M_HEREDOC)) && which == '*') {
		const char *v = x_get(x, "*");
		return v ? xb_puts(x, v, A_QUOTED) : x_fail(x, "out of memory");
	}
	bool dq = mode & (M_DQ | M_HEREDOC);
	if (dq && n == 0)
		x->at_empty = true;
	for (int i = 1; i <= n; i++) {
		if (i > 1 && xb_put(x, '\0', A_BREAK))
			return -1;
		if (xb_puts(x, e->param(e->u, i), dq ? A_QUOTED : A_SPLIT) ||
		    (dq && xb_put(x, '\0', A_EMPTY)))
			return -1;
	}
	return 0;
}

/* The word after the operator, expanded on its own to a string. */
static char *sub_string(struct xs *x, const char *w, size_t len, int mode, bool pattern)
{
	struct xs sub = {.e = x->e};
	char *s = NULL;
	if (!x_walk(&sub, w, len, (mode & (M_DQ | M_HEREDOC)) | M_TILDE))
		s = pattern ? x_pattern_of(&sub.b) : x_flat(&sub.b);
	if (!s)
		x->failed = true;
	free(sub.b.s);
	free(sub.b.a);
	return s;
}

static int put_num(struct xs *x, long v, int mode)
{
	char num[24];
	snprintf(num, sizeof(num), "%ld", v);
	return xb_puts(x, num, mode & (M_DQ | M_HEREDOC) ? A_QUOTED : A_SPLIT);
}

/* The length of the parameter name at the start of s. */
static size_t name_len(const char *s, size_t len)
{
	size_t n = 0;
	if (len && strchr("@*#?-$!", s[0]))
		return 1;
	if (len && s[0] >= '0' && s[0] <= '9') {
		while (n < len && s[n] >= '0' && s[n] <= '9')
			n++;
		return n;
	}
	while (n < len && sh_is_name(s, (long)n + 1))
		n++;
	return n;
}

/* ${x%p} and friends: the value with the matching part removed. */
static int trim(struct xs *x, const char *v, const char *op, const char *w, size_t wl, int mode)
{
	char *pat = sub_string(x, w, wl, mode & ~M_DQ, true);
	char kind = op[0] == '#' ? (op[1] == '#' ? 'H' : '#') : (op[1] == '%' ? 'P' : '%');
	char *r = pat ? sh_trim(v ? v : "", pat, kind) : NULL;
	int rc = r ? xb_puts(x, r, mode & (M_DQ | M_HEREDOC) ? A_QUOTED : A_SPLIT) : -1;
	free(pat);
	free(r);
	return rc;
}

/* ${x-w} ${x=w} ${x?w} ${x+w}, with or without the colon. */
static int alternative(struct xs *x, const char *name, const char *v, const char *op, const char *w,
                       size_t wl, int mode)
{
	bool colon = op[0] == ':';
	char o = op[colon];
	bool use_word = (o == '+') ? (v && !(colon && !*v)) : (!v || (colon && !*v));
	unsigned char attr = mode & (M_DQ | M_HEREDOC) ? A_QUOTED : A_SPLIT;
	if (!use_word)
		return o == '+' ? 0 : xb_puts(x, v, attr);
	if (o == '-' || o == '+')
		return x_walk(x, w, wl, (mode & (M_DQ | M_HEREDOC)) | M_LITSPLIT | M_TILDE);
	char *s = sub_string(x, w, wl, mode, false);
	if (!s)
		return -1;
	int rc = 0;
	if (o == '?')
		rc = x_fail(x, "%s: %s", name, *s ? s : "parameter null or not set");
	else if (!sh_is_name(name, -1))
		rc = x_fail(x, "%s: cannot assign in this way", name);
	else if (x->e->set(x->e->u, name, s))
		rc = x_fail(x, "%s: cannot assign", name);
	else
		rc = xb_puts(x, s, attr);
	free(s);
	return rc;
}

/* s[0..len) is what is between ${ and }. */
int x_brace(struct xs *x, const char *s, size_t len, int mode)
{
	bool length = len > 1 && s[0] == '#';
	size_t n = name_len(s + length, len - length);
	char name[128];
	if (n == 0 || n > 120 || (length && 1 + n != len))
		return x_fail(x, "${%.*s}: bad substitution", (int)len, s);
	snprintf(name, sizeof(name), "%.*s", (int)n, s + length);
	const char *v = x_get(x, name), *op = s + length + n;
	size_t rest = len - length - n;
	size_t oplen = rest == 0 ? 0 : op[0] == ':' ? 2 : 1;
	if (rest > 1 && (op[0] == '%' || op[0] == '#') && op[1] == op[0])
		oplen = 2;
	if (rest && op[0] == ':' && !strchr("-=?+", rest > 1 ? op[1] : 'x'))
		return x_fail(x, "${%.*s}: bad substitution", (int)len, s);
	if (!v && x->e->nounset && (rest == 0 || strchr("%#", op[0])) &&
	    !strchr("@*#?-$!0", name[0]))
		return x_fail(x, "%s: parameter not set", name);
	if (length)
		return put_num(x, v ? (long)strlen(v) : 0, mode);
	if (rest == 0 && (name[0] == '@' || name[0] == '*'))
		return x_at(x, name[0], mode);
	if (rest == 0)
		return v ? xb_puts(x, v, mode & (M_DQ | M_HEREDOC) ? A_QUOTED : A_SPLIT) : 0;
	if (op[0] == '%' || op[0] == '#')
		return trim(x, v, op, op + oplen, rest - oplen, mode);
	if (!strchr("-=?+", op[0]) && op[0] != ':')
		return x_fail(x, "${%.*s}: bad substitution", (int)len, s);
	return alternative(x, name, v, op, op + oplen, rest - oplen, mode);
}
