/* The shell's parser: a lexer that reads one token at a time, removing
 * quotes and expanding variables as it builds each word, and a recursive
 * descent over list := pipeline (op pipeline)*, pipeline := command ('|' command)*. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

enum tok_kind { T_END, T_WORD, T_PIPE, T_OR, T_AND, T_SEMI, T_AMP, T_REDIR };

struct token {
	enum tok_kind kind;
	const char *raw; /* where the token starts in the line, for messages */
	size_t rawlen;
	char *word;  /* T_WORD: the expanded text, owned until consumed */
	bool quoted; /* T_WORD: had a quote, so an empty result is still a word */
	bool assign; /* T_WORD: begins with an unquoted NAME= */
	int fd;      /* T_REDIR: the descriptor, default filled in */
	enum redir_kind rkind;
};

struct parser {
	const char *p; /* next character to lex */
	sh_lookup_fn lookup;
	void *ctx;
	char *err;
	size_t errlen;
	struct token tok; /* the lookahead, valid when have is set */
	bool have;
};

/* A growing, always NUL-terminated string. */
struct buf {
	char *s;
	size_t len, cap;
};

/* --- helpers --------------------------------------------------------------- */

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_meta(char c)
{
	return is_blank(c) || c == '|' || c == '&' || c == ';' || c == '<' || c == '>';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_name_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_name_char(char c)
{
	return is_name_start(c) || is_digit(c);
}

/* The one-character parameters: $?, $$, $!, $#, $0..$9. */
static bool is_special(char c)
{
	return c == '?' || c == '$' || c == '!' || c == '#' || is_digit(c);
}

/* Records the first error message; returns -1 for the caller to pass on. */
static int fail(struct parser *ps, const char *fmt, ...)
{
	if (ps->err && ps->errlen && !ps->err[0]) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(ps->err, ps->errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static int buf_put(struct parser *ps, struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 16;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *ns = realloc(b->s, cap);
		if (!ns)
			return fail(ps, "out of memory");
		b->s = ns;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
	return 0;
}

/* Parses a descriptor number of n digits at s: the value, -1 if s is not all
 * digits (or empty), -2 if it is above SH_FD_MAX. */
static int parse_fd(const char *s, size_t n)
{
	long v = 0;
	if (n == 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return -1;
		if (v <= SH_FD_MAX)
			v = v * 10 + (s[i] - '0');
	}
	return v > SH_FD_MAX ? -2 : (int)v;
}

/* --- expansion ------------------------------------------------------------- */

/* Is s[0..n) a name ${...} may hold: an identifier, a special or a number? */
static bool brace_name_ok(const char *s, size_t n)
{
	if (n == 0)
		return false;
	if (n == 1 && is_special(s[0]))
		return true;
	bool ident = is_name_start(s[0]), number = is_digit(s[0]);
	for (size_t i = 1; i < n; i++) {
		ident = ident && is_name_char(s[i]);
		number = number && is_digit(s[i]);
	}
	return ident || number;
}

/* Appends the value of the variable s[0..n), if set. */
static int put_value(struct parser *ps, struct buf *b, const char *s, size_t n)
{
	if (!ps->lookup)
		return 0;
	char *name = malloc(n + 1);
	if (!name)
		return fail(ps, "out of memory");
	memcpy(name, s, n);
	name[n] = '\0';
	const char *v = ps->lookup(ps->ctx, name);
	free(name);
	return v ? buf_put(ps, b, v, strlen(v)) : 0;
}

/* Expands the $ at ps->p: $NAME, ${NAME}, $? and the other specials; a $
 * followed by anything else is a literal $. */
static int expand(struct parser *ps, struct buf *b)
{
	const char *s = ps->p + 1, *name = s;
	size_t n = 0;
	if (*s == '{') {
		const char *end = strchr(s + 1, '}');
		name = s + 1;
		n = end ? (size_t)(end - name) : 0;
		if (!end || !brace_name_ok(name, n))
			return fail(ps, "bad substitution");
		ps->p = end + 1;
	} else if (is_name_start(*s)) {
		while (is_name_char(s[n]))
			n++;
		ps->p = s + n;
	} else if (is_special(*s)) {
		n = 1;
		ps->p = s + 1;
	} else {
		ps->p = s;
		return buf_put(ps, b, "$", 1);
	}
	return put_value(ps, b, name, n);
}

/* --- words ----------------------------------------------------------------- */

/* '...': everything up to the next ' is literal. */
static int lex_single(struct parser *ps, struct buf *b)
{
	const char *end = strchr(ps->p + 1, '\'');
	if (!end)
		return fail(ps, "unterminated quote");
	int rc = buf_put(ps, b, ps->p + 1, (size_t)(end - ps->p - 1));
	ps->p = end + 1;
	return rc;
}

/* "...": blanks and operators kept, $ expanded, \ escapes only " \ $ `. */
static int lex_double(struct parser *ps, struct buf *b)
{
	ps->p++;
	for (;;) {
		char c = *ps->p;
		int rc;
		if (c == '\0')
			return fail(ps, "unterminated quote");
		if (c == '"') {
			ps->p++;
			return 0;
		}
		if (c == '\\' && ps->p[1] && strchr("\"\\$`", ps->p[1])) {
			rc = buf_put(ps, b, ps->p + 1, 1);
			ps->p += 2;
		} else if (c == '$') {
			rc = expand(ps, b);
		} else {
			rc = buf_put(ps, b, ps->p++, 1);
		}
		if (rc)
			return rc;
	}
}

/* An unquoted backslash takes the next character literally; at the very end
 * of the line it stands for itself. */
static int lex_escape(struct parser *ps, struct buf *b)
{
	if (ps->p[1] == '\0')
		return buf_put(ps, b, ps->p++, 1);
	int rc = buf_put(ps, b, ps->p + 1, 1);
	ps->p += 2;
	return rc;
}

/* Tracks whether the plain characters so far form NAME= (an assignment). */
static void track_assign(struct token *t, bool *in_name, char c, size_t len)
{
	if (!*in_name)
		return;
	if (c == '=' && len > 0) {
		t->assign = true;
		*in_name = false;
	} else if (!is_name_start(c) && !(len > 0 && is_digit(c))) {
		*in_name = false;
	}
}

/* A word: runs of plain characters, quotes, escapes and expansions glued
 * together until an unquoted blank or operator. */
static int lex_word(struct parser *ps, struct token *t)
{
	struct buf b = {0};
	bool in_name = true;
	int rc = buf_put(ps, &b, "", 0);
	t->kind = T_WORD;
	while (!rc && *ps->p && !is_meta(*ps->p)) {
		char c = *ps->p;
		if (c == '\'' || c == '"') {
			t->quoted = true;
			rc = c == '\'' ? lex_single(ps, &b) : lex_double(ps, &b);
		} else if (c == '\\') {
			rc = lex_escape(ps, &b);
		} else if (c == '$') {
			rc = expand(ps, &b);
		} else {
			track_assign(t, &in_name, c, b.len);
			rc = buf_put(ps, &b, ps->p++, 1);
			continue;
		}
		in_name = false;
	}
	if (rc) {
		free(b.s);
		return -1;
	}
	t->word = b.s;
	return 0;
}

/* --- operators ------------------------------------------------------------- */

/* Does a redirection start at s: < or >, or digits glued to one? */
static bool redir_start(const char *s)
{
	while (is_digit(*s))
		s++;
	return *s == '<' || *s == '>';
}

/* [n]< [n]> [n]>> [n]<& [n]>& */
static int lex_redir(struct parser *ps, struct token *t)
{
	const char *s = ps->p;
	while (is_digit(*s))
		s++;
	int fd = s > ps->p ? parse_fd(ps->p, (size_t)(s - ps->p)) : -1;
	char c = *s++;
	if (c == '>' && *s == '>') {
		t->rkind = REDIR_APPEND;
		s++;
	} else if (*s == '&') {
		t->rkind = REDIR_DUP;
		s++;
	} else {
		t->rkind = c == '<' ? REDIR_IN : REDIR_OUT;
	}
	t->kind = T_REDIR;
	t->fd = fd >= 0 ? fd : (c == '<' ? 0 : 1);
	ps->p = s;
	if (fd == -2)
		return fail(ps, "file descriptor out of range");
	return 0;
}

/* | || & && ; */
static void lex_control(struct parser *ps, struct token *t)
{
	char c = *ps->p++;
	bool twice = *ps->p == c && c != ';';
	if (twice)
		ps->p++;
	if (c == '|')
		t->kind = twice ? T_OR : T_PIPE;
	else if (c == '&')
		t->kind = twice ? T_AND : T_AMP;
	else
		t->kind = T_SEMI;
}

/* Reads the next token into t; blanks and a #-comment are skipped. */
static int lex(struct parser *ps, struct token *t)
{
	while (is_blank(*ps->p))
		ps->p++;
	if (*ps->p == '#')
		ps->p += strlen(ps->p);
	memset(t, 0, sizeof(*t));
	t->raw = ps->p;
	int rc = 0;
	if (*ps->p == '\0')
		t->kind = T_END;
	else if (redir_start(ps->p))
		rc = lex_redir(ps, t);
	else if (is_meta(*ps->p))
		lex_control(ps, t);
	else
		rc = lex_word(ps, t);
	t->rawlen = (size_t)(ps->p - t->raw);
	return rc;
}

/* --- the parser ------------------------------------------------------------ */

static int peek(struct parser *ps, struct token **t)
{
	if (!ps->have) {
		if (lex(ps, &ps->tok))
			return -1;
		ps->have = true;
	}
	*t = &ps->tok;
	return 0;
}

/* Consumes the lookahead; its word, if any, now belongs to the caller. */
static void take(struct parser *ps)
{
	ps->have = false;
	ps->tok.word = NULL;
}

static int unexpected(struct parser *ps, const struct token *t)
{
	if (t->kind == T_END)
		return fail(ps, "syntax error near unexpected token `newline'");
	return fail(ps, "syntax error near unexpected token `%.*s'", (int)t->rawlen, t->raw);
}

/* Appends s to the NULL-terminated array *arr of *n strings, taking it. */
static int push_str(struct parser *ps, char ***arr, int *n, char *s)
{
	char **na = realloc(*arr, sizeof(char *) * (size_t)(*n + 2));
	if (!na) {
		free(s);
		return fail(ps, "out of memory");
	}
	na[(*n)++] = s;
	na[*n] = NULL;
	*arr = na;
	return 0;
}

/* A word token: an assignment while no command name has been seen, dropped
 * if it expanded to nothing without quotes, otherwise an argument. */
static int add_word(struct parser *ps, struct command *cmd)
{
	bool assign = ps->tok.assign, quoted = ps->tok.quoted;
	char *w = ps->tok.word;
	take(ps);
	if (cmd->argc == 0 && assign)
		return push_str(ps, &cmd->assigns, &cmd->nassigns, w);
	if (!quoted && w[0] == '\0') {
		free(w);
		return 0;
	}
	return push_str(ps, &cmd->argv, &cmd->argc, w);
}

/* Checks a redirection's file word; for >& and <& it must be a number. */
static int redir_target(struct parser *ps, struct redir *r, const struct token *w)
{
	if (!w->quoted && w->word[0] == '\0')
		return fail(ps, "%.*s: ambiguous redirect", (int)w->rawlen, w->raw);
	if (r->kind != REDIR_DUP)
		return 0;
	r->target_fd = parse_fd(w->word, strlen(w->word));
	if (r->target_fd == -2)
		return fail(ps, "file descriptor out of range");
	if (r->target_fd < 0)
		return fail(ps, "syntax error: bad fd number `%s'", w->word);
	return 0;
}

/* A redirection operator (the lookahead) and the word after it. */
static int add_redir(struct parser *ps, struct command *cmd)
{
	struct redir r = {.fd = ps->tok.fd, .kind = ps->tok.rkind, .target_fd = -1};
	struct token *t;
	take(ps);
	if (peek(ps, &t))
		return -1;
	if (t->kind != T_WORD)
		return unexpected(ps, t);
	if (redir_target(ps, &r, t))
		return -1;
	struct redir *nr = realloc(cmd->redirs, sizeof(*nr) * (size_t)(cmd->nredirs + 1));
	if (!nr)
		return fail(ps, "out of memory");
	cmd->redirs = nr;
	r.path = t->word;
	take(ps);
	nr[cmd->nredirs++] = r;
	return 0;
}

/* command := (word | redirection)+ */
static int parse_command(struct parser *ps, struct command *cmd)
{
	struct token *t;
	int items = 0;
	cmd->argv = calloc(1, sizeof(char *));
	if (!cmd->argv)
		return fail(ps, "out of memory");
	for (;; items++) {
		int rc;
		if (peek(ps, &t))
			return -1;
		if (t->kind == T_WORD)
			rc = add_word(ps, cmd);
		else if (t->kind == T_REDIR)
			rc = add_redir(ps, cmd);
		else
			break;
		if (rc)
			return -1;
	}
	return items ? 0 : unexpected(ps, t);
}

/* pipeline := command ('|' command)* */
static int parse_pipeline(struct parser *ps, struct pipeline *pl)
{
	for (;;) {
		struct token *t;
		struct command *nc = realloc(pl->cmds, sizeof(*nc) * (size_t)(pl->ncmds + 1));
		if (!nc)
			return fail(ps, "out of memory");
		pl->cmds = nc;
		memset(&nc[pl->ncmds], 0, sizeof(*nc));
		if (parse_command(ps, &nc[pl->ncmds++]) || peek(ps, &t))
			return -1;
		if (t->kind != T_PIPE)
			return 0;
		take(ps);
	}
}

/* Makes room for one more item in l and returns it, zeroed, joined by ;. */
static struct pipeline *new_item(struct parser *ps, struct sh_list *l)
{
	struct pipeline *ni = realloc(l->items, sizeof(*ni) * (size_t)(l->n + 1));
	if (!ni) {
		fail(ps, "out of memory");
		return NULL;
	}
	l->items = ni;
	enum list_op *no = realloc(l->ops, sizeof(*no) * (size_t)(l->n + 1));
	if (!no) {
		fail(ps, "out of memory");
		return NULL;
	}
	l->ops = no;
	memset(&ni[l->n], 0, sizeof(*ni));
	no[l->n] = OP_SEQ;
	return &ni[l->n++];
}

/* list := pipeline ((; | & | && | ||) pipeline)* [; | &] */
static int parse_list(struct parser *ps, struct sh_list *l)
{
	struct token *t;
	if (peek(ps, &t))
		return -1;
	while (t->kind != T_END) {
		struct pipeline *pl = new_item(ps, l);
		if (!pl || parse_pipeline(ps, pl) || peek(ps, &t))
			return -1;
		if (t->kind == T_AND || t->kind == T_OR) {
			l->ops[l->n - 1] = t->kind == T_AND ? OP_AND : OP_OR;
			take(ps);
			if (peek(ps, &t))
				return -1;
			if (t->kind == T_END)
				return unexpected(ps, t);
		} else if (t->kind == T_SEMI || t->kind == T_AMP) {
			pl->background = t->kind == T_AMP;
			take(ps);
			if (peek(ps, &t))
				return -1;
		} else if (t->kind != T_END) {
			return unexpected(ps, t);
		}
	}
	return 0;
}

int sh_parse(const char *line, sh_lookup_fn lookup, void *ctx, struct sh_list *out, char *err,
             size_t errlen)
{
	struct parser ps = {
	    .p = line ? line : "", .lookup = lookup, .ctx = ctx, .err = err, .errlen = errlen};
	memset(out, 0, sizeof(*out));
	if (err && errlen)
		err[0] = '\0';
	int rc = parse_list(&ps, out);
	if (ps.have)
		free(ps.tok.word);
	if (rc)
		sh_free(out);
	return rc;
}

/* --- freeing --------------------------------------------------------------- */

static void free_strs(char **a, int n)
{
	for (int i = 0; i < n; i++)
		free(a[i]);
	free(a);
}

static void free_command(struct command *c)
{
	free_strs(c->argv, c->argc);
	free_strs(c->assigns, c->nassigns);
	for (int i = 0; i < c->nredirs; i++)
		free(c->redirs[i].path);
	free(c->redirs);
}

void sh_free(struct sh_list *l)
{
	for (int i = 0; i < l->n; i++) {
		for (int j = 0; j < l->items[i].ncmds; j++)
			free_command(&l->items[i].cmds[j]);
		free(l->items[i].cmds);
	}
	free(l->items);
	free(l->ops);
	memset(l, 0, sizeof(*l));
}
