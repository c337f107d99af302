/* Word expansion: walks a word as written, appending each character with
 * how it was quoted (xint.h), then splits the result into fields on IFS,
 * expands pathnames and removes quotes (POSIX XCU 2.6). */
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "xint.h"

int strv_push(struct strv *sv, char *s)
{
	if (!s)
		return -1;
	if (sv->n + 2 > sv->cap) {
		int cap = sv->cap ? sv->cap * 2 : 8;
		char **nv = realloc(sv->v, sizeof(char *) * (size_t)cap);
		if (!nv) {
			free(s);
			return -1;
		}
		sv->v = nv;
		sv->cap = cap;
	}
	sv->v[sv->n++] = s;
	sv->v[sv->n] = NULL;
	return 0;
}

void strv_free(struct strv *sv)
{
	for (int i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	memset(sv, 0, sizeof(*sv));
}

int x_fail(struct xs *x, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!x->failed && x->e->error)
		x->e->error(x->e->u, msg);
	x->failed = true;
	return -1;
}

int xb_put(struct xs *x, char c, unsigned char attr)
{
	struct xb *b = &x->b;
	if (b->n + 2 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;
		char *s = realloc(b->s, cap);
		unsigned char *a = s ? realloc(b->a, cap) : NULL;
		if (s)
			b->s = s;
		if (!a)
			return x_fail(x, "out of memory");
		b->a = a;
		b->cap = cap;
	}
	b->s[b->n] = c;
	b->a[b->n++] = attr;
	b->s[b->n] = '\0';
	return 0;
}

int xb_puts(struct xs *x, const char *s, unsigned char attr)
{
	for (; *s; s++)
		if (xb_put(x, *s, attr))
			return -1;
	return 0;
}

/* --- finding where things end -------------------------------------------- */

static size_t skip_to(const char *s, size_t i, size_t len, char end)
{
	for (i++; i < len && s[i] != end; i++)
		if (end == '`' && s[i] == '\\' && i + 1 < len)
			i++;
	return i < len ? i + 1 : len;
}

static size_t skip_arith(const char *s, size_t i, size_t len)
{
	int depth = 0;
	for (i += 3; i < len; i++) {
		if (s[i] == '(')
			depth++;
		else if (s[i] == ')' && depth)
			depth--;
		else if (s[i] == ')')
			return i + 2 <= len ? i + 2 : len;
	}
	return len;
}

/* At a $: just past the expansion it starts (or past the $ alone). */
static size_t skip_dollar(const char *s, size_t i, size_t len)
{
	if (s[i + 1] == '(' && s[i + 2] == '(')
		return skip_arith(s, i, len);
	if (s[i + 1] == '(') {
		size_t n = sh_subst_end(s + i);
		return n && i + n <= len ? i + n : len;
	}
	if (s[i + 1] == '{')
		return x_skip_brace(s, i, len);
	return i + 1;
}

/* Skips a quote or expansion at s[i] if one starts there. */
static size_t skip_one(const char *s, size_t i, size_t len, bool dq)
{
	if (s[i] == '\\')
		return i + 2 <= len ? i + 2 : len;
	if (s[i] == '$')
		return skip_dollar(s, i, len);
	if (s[i] == '`')
		return skip_to(s, i, len, '`');
	if (!dq && s[i] == '\'')
		return skip_to(s, i, len, '\'');
	if (!dq && s[i] == '"')
		return x_skip_dq(s, i, len);
	return i + 1;
}

size_t x_skip_dq(const char *s, size_t i, size_t len)
{
	for (i++; i < len && s[i] != '"';)
		i = skip_one(s, i, len, true);
	return i < len ? i + 1 : len;
}

size_t x_skip_brace(const char *s, size_t i, size_t len)
{
	for (i += 2; i < len && s[i] != '}';)
		i = skip_one(s, i, len, false);
	return i < len ? i + 1 : len;
}

/* --- the pieces of a word ------------------------------------------------- */

static unsigned char value_attr(int mode)
{
	return mode & (M_DQ | M_HEREDOC) ? A_QUOTED : A_SPLIT;
}

/* Appends command output without its trailing newlines. */
static int put_output(struct xs *x, char *out, int mode)
{
	if (!out)
		return x_fail(x, "command substitution failed");
	size_t n = strlen(out);
	while (n && out[n - 1] == '\n')
		out[--n] = '\0';
	int rc = xb_puts(x, out, value_attr(mode));
	free(out);
	return rc;
}

/* `...`: backslash keeps its meaning only before $ ` \ (and " in "..."). */
static int backquote(struct xs *x, const char *s, size_t len, int mode)
{
	char *text = malloc(len + 1);
	size_t n = 0;
	if (!text)
		return x_fail(x, "out of memory");
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 1 < len &&
		    (strchr("$`\\", s[i + 1]) || (s[i + 1] == '"' && (mode & M_DQ))))
			i++;
		text[n++] = s[i];
	}
	text[n] = '\0';
	char *out = x->e->cmdsub(x->e->u, text);
	free(text);
	return put_output(x, out, mode);
}

/* $( ... ): runs the text between the parentheses. */
static int subst(struct xs *x, const char *s, size_t len, int mode)
{
	char *text = strndup(s, len);
	if (!text)
		return x_fail(x, "out of memory");
	char *out = x->e->cmdsub(x->e->u, text);
	free(text);
	return put_output(x, out, mode);
}

static int arith(struct xs *x, const char *s, size_t len, int mode)
{
	char *raw = strndup(s, len), *expr = raw ? x_string(x->e, raw, false) : NULL;
	long v;
	free(raw);
	if (!expr)
		return x->failed = true, -1;
	int rc = sh_arith(x->e, expr, &v);
	free(expr);
	if (rc)
		return x->failed = true, -1;
	char num[24];
	snprintf(num, sizeof(num), "%ld", v);
	return xb_puts(x, num, value_attr(mode));
}

static bool is_special(char c)
{
	return c && strchr("@*#?-$!0123456789", c);
}

/* $name, $1, $?, $@...: returns the characters used after the $. */
static size_t simple_param(struct xs *x, const char *s, size_t len, int mode)
{
	size_t n = 1;
	if (s[0] == '@' || s[0] == '*')
		return x_at(x, s[0], mode) ? 0 : 1;
	if (!is_special(s[0]))
		while (n < len && sh_is_name(s, (long)n + 1))
			n++;
	char name[128];
	snprintf(name, sizeof(name), "%.*s", (int)(n < 127 ? n : 127), s);
	const char *v = x_get(x, name);
	if (!v && x->e->nounset && !strchr("?$!#-0", s[0]))
		return x_fail(x, "%s: parameter not set", name), 0;
	if (v && xb_puts(x, v, value_attr(mode)))
		return 0;
	return n;
}

/* At a $ in s[i..len): appends its expansion, returns where it ends. */
static size_t dollar(struct xs *x, const char *s, size_t i, size_t len, int mode)
{
	size_t end = skip_dollar(s, i, len);
	int rc = 0;
	if (s[i + 1] == '(' && s[i + 2] == '(')
		rc = arith(x, s + i + 3, end - i - 5, mode);
	else if (s[i + 1] == '(')
		rc = subst(x, s + i + 2, end - i - 3, mode);
	else if (s[i + 1] == '{')
		rc = x_brace(x, s + i + 2, end - i - 3, mode);
	else if (i + 1 < len && (is_special(s[i + 1]) || sh_is_name(s + i + 1, 1))) {
		size_t n = simple_param(x, s + i + 1, len - i - 1, mode);
		return n ? i + 1 + n : len;
	} else
		rc = xb_put(x, '$', mode & (M_DQ | M_HEREDOC) ? A_QUOTED : 0);
	return rc ? len : end;
}

/* ~ or ~user at the start of s: the home directory, quoted. */
static size_t tilde(struct xs *x, const char *s, size_t len)
{
	size_t n = 1;
	while (n < len && s[n] != '/' && s[n] != ':')
		if (!sh_is_name(s + n++, 1) && s[n - 1] != '.' && s[n - 1] != '-')
			return 0;
	const char *home = NULL;
	if (n == 1) {
		home = x->e->get(x->e->u, "HOME");
	} else {
		char user[64];
		snprintf(user, sizeof(user), "%.*s", (int)(n - 1 < 63 ? n - 1 : 63), s + 1);
		struct passwd *pw = getpwnam(user);
		home = pw ? pw->pw_dir : NULL;
	}
	if (!home || xb_puts(x, home, A_QUOTED))
		return 0;
	return n;
}

/* '...' and "...": a quoted empty string still makes a field. */
static size_t quoted(struct xs *x, const char *s, size_t i, size_t len, int mode)
{
	size_t before = x->b.n, end;
	int rc;
	x->at_empty = false;
	if (s[i] == '\'') {
		end = skip_to(s, i, len, '\'');
		for (size_t k = i + 1; k + 1 < end; k++)
			if (xb_put(x, s[k], A_QUOTED))
				return len;
		rc = 0;
	} else {
		end = x_skip_dq(s, i, len);
		rc = x_walk(x, s + i + 1, end - i - 2, mode | M_DQ);
	}
	if (!rc && x->b.n == before && !x->at_empty)
		rc = xb_put(x, '\0', A_EMPTY);
	return rc ? len : end;
}

/* A backslash: quotes the next character (inside "..." only $ ` " \). */
static size_t backslash(struct xs *x, const char *s, size_t i, size_t len, int mode)
{
	char next = i + 1 < len ? s[i + 1] : '\0';
	const char *special = mode & M_HEREDOC ? "$`\\\n" : "$`\"\\\n";
	if (next == '\n')
		return i + 2;
	if (!next || ((mode & (M_DQ | M_HEREDOC)) && !strchr(special, next)))
		return xb_put(x, '\\', A_QUOTED) ? len : i + 1;
	return xb_put(x, next, A_QUOTED) ? len : i + 2;
}

int x_walk(struct xs *x, const char *s, size_t len, int mode)
{
	bool dq = mode & (M_DQ | M_HEREDOC);
	unsigned char lit = dq ? A_QUOTED : (mode & M_LITSPLIT) ? A_SPLIT : 0;
	for (size_t i = 0; i < len && !x->failed;) {
		char c = s[i];
		size_t n;
		if (c == '~' && !dq && (mode & M_TILDE) &&
		    (i == 0 || ((mode & M_ASSIGN) && (s[i - 1] == '=' || s[i - 1] == ':'))) &&
		    (n = tilde(x, s + i, len - i))) {
			i += n;
		} else if ((c == '\'' || c == '"') && !dq) {
			i = quoted(x, s, i, len, mode);
		} else if (c == '\\') {
			i = backslash(x, s, i, len, mode);
		} else if (c == '$') {
			i = dollar(x, s, i, len, mode);
		} else if (c == '`') {
			n = skip_to(s, i, len, '`');
			i = backquote(x, s + i + 1, n - i - 2, mode) ? len : n;
		} else {
			i = xb_put(x, c, lit) ? len : i + 1;
		}
	}
	return x->failed ? -1 : 0;
}

/* --- fields ------------------------------------------------------------------ */

char *x_flat(const struct xb *b)
{
	char *s = malloc(b->n + 1), *d = s;
	for (size_t i = 0; s && i < b->n; i++)
		if (!(b->a[i] & (A_BREAK | A_EMPTY)))
			*d++ = b->s[i];
	if (s)
		*d = '\0';
	return s;
}

char *x_pattern_of(const struct xb *b)
{
	char *s = malloc(2 * b->n + 1), *d = s;
	for (size_t i = 0; s && i < b->n; i++) {
		if (b->a[i] & (A_BREAK | A_EMPTY))
			continue;
		if ((b->a[i] & A_QUOTED) && strchr("*?[]\\!-^", b->s[i]))
			*d++ = '\\';
		*d++ = b->s[i];
	}
	if (s)
		*d = '\0';
	return s;
}

/* One field, b->s[from..to): globbed if it has an unquoted pattern character. */
static int add_field(struct xs *x, size_t from, size_t to, struct strv *out)
{
	struct xb f = {.s = x->b.s + from, .a = x->b.a + from, .n = to - from};
	bool glob = false;
	for (size_t i = 0; i < f.n && !x->e->noglob; i++)
		glob = glob || (!(f.a[i] & A_QUOTED) && strchr("*?[", f.s[i]) && f.s[i]);
	if (glob) {
		char *pat = x_pattern_of(&f);
		int found = pat && sh_has_glob(pat) ? sh_glob(pat, out) : 0;
		free(pat);
		if (found)
			return 0;
	}
	return strv_push(out, x_flat(&f)) ? x_fail(x, "out of memory") : 0;
}

/* Splits the buffer at unquoted IFS characters from expansions (XCU 2.6.5). */
static int split(struct xs *x, struct strv *out)
{
	const char *ifs = x->e->get(x->e->u, "IFS");
	size_t start = 0;
	bool have = false, after_white = false;
	if (!ifs)
		ifs = " \t\n";
	for (size_t i = 0; i < x->b.n; i++) {
		char c = x->b.s[i];
		unsigned char a = x->b.a[i];
		bool delim = (a & A_SPLIT) && c && strchr(ifs, c), white = c && strchr(" \t\n", c);
		if (a & A_BREAK) {
			if (have && add_field(x, start, i, out))
				return -1;
			have = after_white = false;
		} else if (delim && white) {
			if (have && add_field(x, start, i, out))
				return -1;
			after_white = after_white || have;
			have = false;
		} else if (delim) {
			if ((have || !after_white) && add_field(x, have ? start : i, i, out))
				return -1;
			have = after_white = false;
		} else {
			if (!have)
				start = i;
			have = true;
			after_white = false;
		}
	}
	return have ? add_field(x, start, x->b.n, out) : 0;
}

static void xs_done(struct xs *x)
{
	free(x->b.s);
	free(x->b.a);
}

int x_fields(const struct xenv *e, const char *raw, struct strv *out)
{
	struct xs x = {.e = e};
	int rc = x_walk(&x, raw, strlen(raw), M_TILDE);
	if (!rc)
		rc = split(&x, out);
	xs_done(&x);
	return rc;
}

char *x_string(const struct xenv *e, const char *raw, bool assign)
{
	struct xs x = {.e = e};
	char *s = NULL;
	if (!x_walk(&x, raw, strlen(raw), M_TILDE | (assign ? M_ASSIGN : 0)))
		s = x.b.n ? x_flat(&x.b) : strdup("");
	xs_done(&x);
	return s;
}

char *x_pattern(const struct xenv *e, const char *raw)
{
	struct xs x = {.e = e};
	char *s = NULL;
	if (!x_walk(&x, raw, strlen(raw), M_TILDE))
		s = x.b.n ? x_pattern_of(&x.b) : strdup("");
	xs_done(&x);
	return s;
}

char *x_heredoc(const struct xenv *e, const char *body)
{
	struct xs x = {.e = e};
	char *s = NULL;
	if (!x_walk(&x, body, strlen(body), M_HEREDOC))
		s = x.b.n ? x_flat(&x.b) : strdup("");
	xs_done(&x);
	return s;
}
