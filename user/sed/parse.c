/* sed's script compiler (see sed.h): addresses, the commands of POSIX
 * sed and GNU's one-line a/i/c, labels resolved after the whole script. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sed.h"

struct src {
	const char *s, *start;
	struct sed_prog *p;
};

static int fail(struct src *c, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(c->p->err, sizeof(c->p->err),
	                 "-e expression #1, char %d: ", (int)(c->s - c->start));
	va_start(ap, fmt);
	vsnprintf(c->p->err + n, sizeof(c->p->err) - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static void skip_blanks(struct src *c)
{
	while (*c->s == ' ' || *c->s == '\t')
		c->s++;
}

/* Text up to an unescaped delim (consumed) into a new string: "\delim"
 * becomes delim, "\n" a newline; other escapes stay for regcomp or the
 * replacement. NULL if the text is not terminated. */
static char *delimited(struct src *c, char delim, bool is_re)
{
	size_t cap = strlen(c->s) + 1, n = 0;
	char *out = malloc(cap);
	if (!out)
		return NULL;
	for (;;) {
		char ch = *c->s;
		if (!ch || (ch == '\n' && is_re)) {
			free(out);
			return NULL;
		}
		c->s++;
		if (ch == delim)
			break;
		if (ch == '\\' && *c->s) {
			char e = *c->s++;
			if (e == delim)
				out[n++] = e;
			else if (e == 'n' && is_re)
				out[n++] = '\n';
			else if (e == '\n')
				out[n++] = '\n';
			else
				out[n++] = '\\', out[n++] = e;
			continue;
		}
		out[n++] = ch;
	}
	out[n] = 0;
	return out;
}

static regex_t *compile(struct src *c, const char *pat, bool icase)
{
	if (!*pat)
		return NULL; /* the empty regex: the last one used */
	regex_t *re = malloc(sizeof(*re));
	int fl = (c->p->ere ? REG_EXTENDED : 0) | (icase ? REG_ICASE : 0);
	if (re && regcomp(re, pat, fl)) {
		free(re);
		re = NULL;
		fail(c, "invalid regular expression '%s'", pat);
	}
	return re;
}

static int parse_re_addr(struct src *c, struct sed_addr *a)
{
	char delim = *c->s == '\\' ? c->s[1] : '/';
	c->s += *c->s == '\\' ? 2 : 1;
	char *pat = delimited(c, delim, true);
	if (!pat)
		return fail(c, "unterminated address regex");
	bool icase = *c->s == 'I';
	c->s += icase;
	a->kind = SA_RE;
	a->re = compile(c, pat, icase);
	int bad = *pat && !a->re;
	free(pat);
	return bad ? -1 : 0;
}

/* An address at c->s, if any: 0 (a->kind SA_NONE if none) or -1. */
static int parse_addr(struct src *c, struct sed_addr *a, bool second)
{
	a->kind = SA_NONE;
	if (isdigit((unsigned char)*c->s)) {
		a->kind = SA_LINE;
		a->line = strtol(c->s, (char **)&c->s, 10);
	} else if (*c->s == '$') {
		a->kind = SA_LAST;
		c->s++;
	} else if (second && *c->s == '+' && isdigit((unsigned char)c->s[1])) {
		a->kind = SA_PLUS;
		a->line = strtol(c->s + 1, (char **)&c->s, 10);
	} else if (*c->s == '/' || (*c->s == '\\' && c->s[1] && c->s[1] != '\n')) {
		return parse_re_addr(c, a);
	}
	return 0;
}

/* GNU's a/i/c text: "a\" newline lines (a trailing '\' continues), or the
 * one-line "a text"; backslashes escape the next character. */
static int parse_text(struct src *c, struct sed_cmd *cmd)
{
	skip_blanks(c);
	if (*c->s == '\\') {
		c->s++;
		if (*c->s == '\n')
			c->s++;
		else
			skip_blanks(c);
	}
	size_t n = 0;
	char *out = malloc(strlen(c->s) + 1);
	if (!out)
		return fail(c, "out of memory");
	while (*c->s && *c->s != '\n') {
		if (*c->s == '\\' && c->s[1]) {
			c->s++;
			out[n++] = *c->s == 't' ? '\t' : *c->s;
			c->s++;
			continue;
		}
		out[n++] = *c->s++;
	}
	out[n] = 0;
	cmd->text = out;
	return 0;
}

/* A label or file name: to the end of the line (a label also to ';'). */
static int parse_word(struct src *c, struct sed_cmd *cmd, bool label)
{
	skip_blanks(c);
	const char *start = c->s;
	while (*c->s && *c->s != '\n' && !(label && (*c->s == ';' || *c->s == '}')))
		c->s++;
	size_t n = (size_t)(c->s - start);
	while (n && (start[n - 1] == ' ' || start[n - 1] == '\t'))
		n--;
	if (!(cmd->text = malloc(n + 1)))
		return fail(c, "out of memory");
	memcpy(cmd->text, start, n);
	cmd->text[n] = 0;
	return 0;
}

static int parse_s(struct src *c, struct sed_cmd *cmd)
{
	char delim = *c->s;
	if (!delim || delim == '\n' || delim == '\\')
		return fail(c, "unterminated `s' command");
	c->s++;
	char *pat = delimited(c, delim, true);
	if (!pat || !(cmd->repl = delimited(c, delim, false))) {
		free(pat);
		return fail(c, "unterminated `s' command");
	}
	cmd->nth = 1;
	for (;; c->s++) {
		if (*c->s == 'g')
			cmd->global = true;
		else if (*c->s == 'p')
			cmd->print = true;
		else if (*c->s == 'I' || *c->s == 'i')
			cmd->icase = true;
		else if (isdigit((unsigned char)*c->s) && *c->s != '0') {
			cmd->nth = (int)strtol(c->s, (char **)&c->s, 10);
			c->s--;
		} else
			break;
	}
	cmd->re = compile(c, pat, cmd->icase);
	int bad = *pat && !cmd->re;
	free(pat);
	return bad ? -1 : 0;
}

static int parse_y(struct src *c, struct sed_cmd *cmd)
{
	char delim = *c->s++;
	char *a = delim ? delimited(c, delim, false) : NULL,
	     *b = a ? delimited(c, delim, false) : NULL;
	int rc = 0;
	for (int i = 0; i < 256; i++)
		cmd->ymap[i] = (unsigned char)i;
	if (!b) {
		rc = fail(c, "unterminated `y' command");
	} else {
		/* undo the escapes delimited() kept: "\\" and "\n" */
		char *s[2] = {a, b};
		for (int k = 0; k < 2; k++) {
			char *o = s[k];
			for (char *i = s[k]; *i; i++)
				*o++ = (*i == '\\' && i[1]) ? (*++i == 'n' ? '\n' : *i) : *i;
			*o = 0;
		}
		if (strlen(a) != strlen(b))
			rc = fail(c, "strings for `y' command are different lengths");
		for (size_t i = 0; !rc && a[i]; i++)
			cmd->ymap[(unsigned char)a[i]] = (unsigned char)b[i];
	}
	free(a);
	free(b);
	return rc;
}

static int parse_args(struct src *c, struct sed_cmd *cmd)
{
	switch (cmd->cmd) {
	case 's':
		return parse_s(c, cmd);
	case 'y':
		return parse_y(c, cmd);
	case 'a':
	case 'i':
	case 'c':
		return parse_text(c, cmd);
	case 'b':
	case 't':
	case 'T':
	case ':':
		if (parse_word(c, cmd, true))
			return -1;
		return cmd->cmd == ':' && !*cmd->text ? fail(c, "\":\" lacks a label") : 0;
	case 'r':
	case 'w':
		return parse_word(c, cmd, false);
	case 'q':
	case 'Q':
		skip_blanks(c);
		cmd->code = (int)strtol(c->s, (char **)&c->s, 10);
		return 0;
	default:
		return strchr("{}=dDgGhHlnNpPxz", cmd->cmd)
		           ? 0
		           : fail(c, "unknown command: `%c'", cmd->cmd);
	}
}

static struct sed_cmd *add(struct sed_prog *p)
{
	if (p->n == p->cap) {
		int cap = p->cap ? p->cap * 2 : 16;
		struct sed_cmd *t = realloc(p->cmds, (size_t)cap * sizeof(*t));
		if (!t)
			return NULL;
		p->cmds = t, p->cap = cap;
	}
	struct sed_cmd *cmd = &p->cmds[p->n++];
	memset(cmd, 0, sizeof(*cmd));
	return cmd;
}

/* Labels to indexes, once the whole script is known. */
static int resolve(struct src *c)
{
	struct sed_prog *p = c->p;
	for (int i = 0; i < p->n; i++) {
		struct sed_cmd *cmd = &p->cmds[i];
		if (!strchr("btT", cmd->cmd))
			continue;
		cmd->jump = -1;
		if (!*cmd->text)
			continue;
		for (int k = 0; k < p->n; k++)
			if (p->cmds[k].cmd == ':' && !strcmp(p->cmds[k].text, cmd->text))
				cmd->jump = k;
		if (cmd->jump < 0)
			return fail(c, "can't find label for jump to `%s'", cmd->text);
	}
	return 0;
}

static int parse_one(struct src *c, int *stack, int *depth)
{
	struct sed_cmd *cmd = add(c->p);
	if (!cmd)
		return fail(c, "out of memory");
	if (parse_addr(c, &cmd->a1, false))
		return -1;
	cmd->naddr = cmd->a1.kind != SA_NONE;
	if (cmd->naddr && *c->s == ',') {
		c->s++;
		if (parse_addr(c, &cmd->a2, true))
			return -1;
		if (cmd->a2.kind == SA_NONE)
			return fail(c, "unexpected `,'");
		cmd->naddr = 2;
	}
	skip_blanks(c);
	while (*c->s == '!') {
		cmd->negate = true;
		c->s++;
		skip_blanks(c);
	}
	if (!*c->s)
		return fail(c, "missing command");
	cmd->cmd = *c->s++;
	if (cmd->cmd == '}') {
		if (cmd->naddr)
			return fail(c, "} doesn't want any addresses");
		if (!*depth)
			return fail(c, "unexpected `}'");
		c->p->cmds[stack[--*depth]].jump = c->p->n;
	} else if (cmd->cmd == '{') {
		if (*depth == 64)
			return fail(c, "too many nested `{'");
		stack[(*depth)++] = c->p->n - 1;
	} else if (cmd->naddr && strchr(":", cmd->cmd)) {
		return fail(c, ": doesn't want any addresses");
	}
	if (parse_args(c, cmd))
		return -1;
	if (cmd->cmd == '{')
		return 0; /* its block's commands follow at once */
	skip_blanks(c);
	if (*c->s && *c->s != ';' && *c->s != '\n' && *c->s != '}' && *c->s != '#')
		return fail(c, "extra characters after command");
	return 0;
}

int sed_parse(struct sed_prog *p, const char *script)
{
	struct src c = {.s = script, .start = script, .p = p};
	int stack[64], depth = 0;
	if (!strncmp(script, "#n\n", 3) || !strcmp(script, "#n"))
		p->quiet = true;
	for (;;) {
		while (*c.s == ' ' || *c.s == '\t' || *c.s == '\n' || *c.s == ';')
			c.s++;
		if (*c.s == '#') {
			while (*c.s && *c.s != '\n')
				c.s++;
			continue;
		}
		if (!*c.s)
			break;
		if (parse_one(&c, stack, &depth))
			return -1;
	}
	if (depth)
		return fail(&c, "unmatched `{'");
	return resolve(&c);
}

void sed_free(struct sed_prog *p)
{
	for (int i = 0; i < p->n; i++) {
		struct sed_cmd *cmd = &p->cmds[i];
		regex_t *res[3] = {cmd->re, cmd->a1.re, cmd->a2.re};
		for (int k = 0; k < 3; k++)
			if (res[k]) {
				regfree(res[k]);
				free(res[k]);
			}
		free(cmd->repl);
		free(cmd->text);
	}
	free(p->cmds);
	p->cmds = NULL;
	p->n = p->cap = 0;
}
