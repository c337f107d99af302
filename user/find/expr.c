/* find's expression: a recursive-descent parser over the operands and
 * the evaluator of its tests (see expr.h). */
#include "expr.h"

#include <ctype.h>
#include <fnmatch.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../chmod/mode.h"

struct parser {
	char **a;
	int n, i;
	struct find_opts *o;
	char *err;
	size_t errlen;
};

static struct find_node *node(enum find_kind k)
{
	struct find_node *n = calloc(1, sizeof(*n));
	if (n)
		n->kind = k;
	return n;
}

static struct find_node *fail(struct parser *p, const char *fmt, const char *arg)
{
	snprintf(p->err, p->errlen, fmt, arg);
	return NULL;
}

static const char *peek(const struct parser *p)
{
	return p->i < p->n ? p->a[p->i] : NULL;
}

/* The argument of option opt, or NULL after the message. */
static const char *arg_of(struct parser *p, const char *opt)
{
	if (p->i >= p->n) {
		fail(p, "find: missing argument to '%s'", opt);
		return NULL;
	}
	return p->a[p->i++];
}

static struct find_node *parse_or(struct parser *p);

/* -size [+-]N[bckwMG] */
static struct find_node *parse_size(struct parser *p, const char *s, struct find_node *n)
{
	const char *orig = s;
	n->cmp = *s == '+' ? 1 : *s == '-' ? -1 : 0;
	s += n->cmp != 0;
	char *end;
	if (!isdigit((unsigned char)*s))
		return fail(p, "find: invalid -size argument '%s'", orig);
	n->num = strtoll(s, &end, 10);
	const char *units = "bcwkMG";
	const long long mult[] = {512, 1, 2, 1024, 1024 * 1024, 1024 * 1024 * 1024};
	n->unit = 512;
	if (*end) {
		const char *u = strchr(units, *end);
		if (!u || end[1])
			return fail(p, "find: invalid -size argument '%s'", orig);
		n->unit = mult[u - units];
	}
	return n;
}

static struct find_node *parse_perm(struct parser *p, const char *s, struct find_node *n)
{
	unsigned m;
	n->cmp = *s == '-' ? -1 : *s == '/' ? 1 : 0;
	if (mode_apply(s + (n->cmp != 0), 0, false, 0, &m))
		return fail(p, "find: invalid mode '%s'", s);
	n->num = m;
	return n;
}

static struct find_node *parse_exec(struct parser *p, struct find_node *n)
{
	int start = p->i;
	for (; p->i < p->n; p->i++) {
		const char *a = p->a[p->i];
		if (!strcmp(a, ";") ||
		    (!strcmp(a, "+") && p->i > start && !strcmp(p->a[p->i - 1], "{}")))
			break;
	}
	if (p->i >= p->n || p->i == start)
		return fail(p, "find: missing argument to '%s'", "-exec");
	n->kind = !strcmp(p->a[p->i], "+") ? F_EXECPLUS : F_EXEC;
	n->argc = p->i - start - (n->kind == F_EXECPLUS); /* without the final {} */
	n->argv = calloc((size_t)n->argc + 2, sizeof(char *));
	if (!n->argv)
		return fail(p, "find: %s", "out of memory");
	for (int k = 0; k < n->argc; k++)
		n->argv[k] = p->a[start + k];
	p->i++;
	p->o->has_action = true;
	return n;
}

/* A test or action whose name is opt (already consumed). */
static struct find_node *parse_test(struct parser *p, const char *opt)
{
	static const struct {
		const char *name;
		enum find_kind kind;
		int has_arg;
	} tab[] = {{"-name", F_NAME, 1},   {"-iname", F_INAME, 1},   {"-path", F_PATH, 1},
	           {"-type", F_TYPE, 1},   {"-newer", F_NEWER, 1},   {"-size", F_SIZE, 1},
	           {"-perm", F_PERM, 1},   {"-user", F_USER, 1},     {"-empty", F_EMPTY, 0},
	           {"-prune", F_PRUNE, 0}, {"-print", F_PRINT, 0},   {"-print0", F_PRINT0, 0},
	           {"-exec", F_EXEC, 0},   {"-delete", F_DELETE, 0}, {"-true", F_TRUE, 0},
	           {"-false", F_FALSE, 0}};
	for (unsigned k = 0; k < sizeof(tab) / sizeof(tab[0]); k++) {
		if (strcmp(opt, tab[k].name))
			continue;
		struct find_node *n = node(tab[k].kind);
		const char *a = tab[k].has_arg ? arg_of(p, opt) : "";
		if (!n || !a)
			return n ? (free(n), NULL) : fail(p, "find: %s", "out of memory");
		struct find_node *r = n;
		switch (n->kind) {
		case F_NAME:
		case F_INAME:
		case F_PATH:
			n->pat = a;
			break;
		case F_TYPE:
			if (!a[0] || a[1] || !strchr("fdlpcbs", a[0]))
				r = fail(p, "find: Unknown argument to -type: %s", a);
			n->type = a[0];
			break;
		case F_NEWER: {
			struct stat st;
			if (stat(a, &st) < 0)
				r = fail(p, "find: '%s': No such file or directory", a);
			else
				n->when = st.st_mtim;
			break;
		}
		case F_SIZE:
			r = parse_size(p, a, n);
			break;
		case F_PERM:
			r = parse_perm(p, a, n);
			break;
		case F_USER: {
			struct passwd *pw = getpwnam(a);
			char *end;
			n->num = pw ? (long long)pw->pw_uid : strtoll(a, &end, 10);
			if (!pw && (!*a || *end))
				r = fail(p, "find: '%s' is not the name of a known user", a);
			break;
		}
		case F_EXEC:
			r = parse_exec(p, n);
			break;
		case F_PRINT:
		case F_PRINT0:
			p->o->has_action = true;
			break;
		case F_DELETE:
			p->o->has_action = p->o->depth_first = true;
			break;
		default:
			break;
		}
		if (!r)
			free(n);
		return r;
	}
	return fail(p, "find: unknown predicate '%s'", opt);
}

/* Options that are not tests: they count as true where they stand. */
static struct find_node *parse_option(struct parser *p, const char *opt)
{
	if (!strcmp(opt, "-depth")) {
		p->o->depth_first = true;
		return node(F_TRUE);
	}
	const char *a = arg_of(p, opt);
	char *end;
	if (!a)
		return NULL;
	long v = strtol(a, &end, 10);
	if (!*a || *end || v < 0)
		return fail(p, "find: invalid argument to %s", opt);
	if (!strcmp(opt, "-maxdepth"))
		p->o->maxdepth = (int)v;
	else
		p->o->mindepth = (int)v;
	return node(F_TRUE);
}

static struct find_node *parse_primary(struct parser *p)
{
	const char *t = peek(p);
	if (!t)
		return fail(p, "find: expected an expression%s", "");
	p->i++;
	if (!strcmp(t, "(")) {
		struct find_node *e = parse_or(p);
		if (!e)
			return NULL;
		if (!peek(p) || strcmp(peek(p), ")")) {
			find_free(e);
			return fail(p,
			            "find: invalid expression; I was expecting to find a ')' "
			            "somewhere but did not see one.%s",
			            "");
		}
		p->i++;
		return e;
	}
	if (!strcmp(t, "!") || !strcmp(t, "-not")) {
		struct find_node *e = parse_primary(p), *n;
		if (!e)
			return NULL;
		if (!(n = node(F_NOT)))
			return find_free(e), fail(p, "find: %s", "out of memory");
		n->l = e;
		return n;
	}
	if (!strcmp(t, "-maxdepth") || !strcmp(t, "-mindepth") || !strcmp(t, "-depth"))
		return parse_option(p, t);
	if (t[0] != '-' || !t[1])
		return fail(p, "find: paths must precede expression: '%s'", t);
	return parse_test(p, t);
}

static struct find_node *join(enum find_kind k, struct find_node *l, struct find_node *r)
{
	struct find_node *n = node(k);
	if (!n) {
		find_free(l);
		find_free(r);
		return NULL;
	}
	n->l = l, n->r = r;
	return n;
}

static struct find_node *parse_and(struct parser *p)
{
	struct find_node *l = parse_primary(p);
	while (l && peek(p) && strcmp(peek(p), "-o") && strcmp(peek(p), "-or") &&
	       strcmp(peek(p), ")")) {
		if (!strcmp(peek(p), "-a") || !strcmp(peek(p), "-and"))
			p->i++;
		struct find_node *r = parse_primary(p);
		if (!r)
			return find_free(l), NULL;
		l = join(F_AND, l, r);
	}
	return l;
}

static struct find_node *parse_or(struct parser *p)
{
	struct find_node *l = parse_and(p);
	while (l && peek(p) && (!strcmp(peek(p), "-o") || !strcmp(peek(p), "-or"))) {
		p->i++;
		struct find_node *r = parse_and(p);
		if (!r)
			return find_free(l), NULL;
		l = join(F_OR, l, r);
	}
	return l;
}

struct find_node *find_parse(char **args, int n, struct find_opts *o, char *err, size_t errlen)
{
	struct parser p = {.a = args, .n = n, .o = o, .err = err, .errlen = errlen};
	*o = (struct find_opts){.maxdepth = -1, .mindepth = -1};
	struct find_node *e = n ? parse_or(&p) : node(F_TRUE);
	if (e && p.i < n) {
		find_free(e);
		return fail(&p, "find: unexpected '%s'", args[p.i]);
	}
	if (e && !o->has_action)
		e = join(F_AND, e, node(F_PRINT));
	return e;
}

void find_free(struct find_node *n)
{
	if (!n)
		return;
	find_free(n->l);
	find_free(n->r);
	free(n->argv);
	free(n);
}

static bool type_is(const struct stat *st, char t)
{
	mode_t m = st->st_mode;
	return t == 'f'   ? S_ISREG(m)
	       : t == 'd' ? S_ISDIR(m)
	       : t == 'l' ? S_ISLNK(m)
	       : t == 'p' ? S_ISFIFO(m)
	       : t == 'c' ? S_ISCHR(m)
	       : t == 'b' ? S_ISBLK(m)
	                  : S_ISSOCK(m);
}

static const char *base_of(const char *path)
{
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	const char *s = path + n;
	while (s > path && s[-1] != '/')
		s--;
	return s;
}

static bool name_match(const char *pat, const char *path, int flags)
{
	char buf[256];
	const char *b = base_of(path);
	size_t n = strlen(b);
	while (n > 1 && b[n - 1] == '/')
		n--;
	snprintf(buf, sizeof(buf), "%.*s", (int)n, b);
	if (!(flags & 1))
		return fnmatch(pat, buf, 0) == 0;
	char lp[256], lb[256];
	size_t i;
	for (i = 0; pat[i] && i < sizeof(lp) - 1; i++)
		lp[i] = (char)tolower((unsigned char)pat[i]);
	lp[i] = 0;
	for (i = 0; buf[i]; i++)
		lb[i] = (char)tolower((unsigned char)buf[i]);
	lb[i] = 0;
	return fnmatch(lp, lb, 0) == 0;
}

static bool size_match(const struct find_node *n, const struct stat *st)
{
	long long units = (st->st_size + n->unit - 1) / n->unit;
	return n->cmp > 0 ? units > n->num : n->cmp < 0 ? units < n->num : units == n->num;
}

static bool newer(const struct stat *st, const struct timespec *t)
{
	return st->st_mtim.tv_sec > t->tv_sec ||
	       (st->st_mtim.tv_sec == t->tv_sec && st->st_mtim.tv_nsec > t->tv_nsec);
}

bool find_eval(struct find_node *n, struct find_ctx *c)
{
	const struct stat *st = c->st;
	unsigned perm = st->st_mode & 07777, want = (unsigned)n->num;
	switch (n->kind) {
	case F_AND:
		return find_eval(n->l, c) && find_eval(n->r, c);
	case F_OR:
		return find_eval(n->l, c) || find_eval(n->r, c);
	case F_NOT:
		return !find_eval(n->l, c);
	case F_TRUE:
		return true;
	case F_FALSE:
		return false;
	case F_NAME:
	case F_INAME:
		return name_match(n->pat, c->path, n->kind == F_INAME);
	case F_PATH:
		return fnmatch(n->pat, c->path, 0) == 0;
	case F_TYPE:
		return type_is(st, n->type);
	case F_NEWER:
		return newer(st, &n->when);
	case F_SIZE:
		return size_match(n, st);
	case F_PERM:
		return n->cmp < 0   ? (perm & want) == want
		       : n->cmp > 0 ? (want == 0 || (perm & want) != 0)
		                    : perm == want;
	case F_USER:
		return (long long)st->st_uid == n->num;
	case F_EMPTY:
		return (S_ISREG(st->st_mode) || S_ISDIR(st->st_mode)) && c->act &&
		       c->act(c, n); /* a directory's emptiness: the caller reads it */
	case F_PRUNE:
		c->prune = true;
		return true;
	default:
		return c->act ? c->act(c, n) : true;
	}
}
