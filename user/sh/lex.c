/* The shell's lexer: splits the text into operators and words (POSIX XCU
 * 2.3), finding where quotes, $( ), $(( )), ${ } and `...` end without
 * expanding anything, and reads here-document bodies after each newline. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lex.h"

static int scan_dollar(struct parser *ps);
static int scan_double(struct parser *ps);

static char cur(const struct parser *ps)
{
	return ps->s[ps->p];
}

static char at(const struct parser *ps, size_t i)
{
	return ps->s[ps->p + i];
}

/* Moves on one character, counting lines. */
static void step(struct parser *ps)
{
	if (cur(ps) == '\n')
		ps->line++;
	ps->p++;
}

int lex_fail(struct parser *ps, const char *fmt, ...)
{
	if (!ps->failed && ps->err && ps->errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(ps->err, ps->errlen, fmt, ap);
		va_end(ap);
	}
	ps->failed = true;
	return -1;
}

/* The text ended inside something: more lines may complete it. */
int lex_eof(struct parser *ps, const char *what)
{
	if (!ps->failed)
		ps->incomplete = true;
	if (what)
		return lex_fail(ps, "unexpected EOF while looking for matching `%s'", what);
	return lex_fail(ps, "syntax error: unexpected end of file");
}

/* Notes the kind of the newline at pos in s (not inside an alias value). */
void lex_mark(struct parser *ps, size_t pos, char kind)
{
	long off = (long)pos - ps->delta;
	if (ps->marks && ps->depth == 0 && off >= 0 && (size_t)off < ps->nmarks && !ps->marks[off])
		ps->marks[off] = kind;
}

bool lex_keyword(const struct token *t, const char *kw)
{
	return t->kind == T_WORD && !t->quoted && !strcmp(t->word, kw);
}

static bool is_meta(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' || c == '|' || c == '(' ||
	       c == ')' || c == '<' || c == '>' || c == '\0';
}

/* '...': nothing is special inside. */
static int scan_single(struct parser *ps)
{
	step(ps);
	while (cur(ps) != '\'') {
		if (!cur(ps))
			return lex_eof(ps, "'");
		step(ps);
	}
	step(ps);
	return 0;
}

/* `...`: a backslash escapes the next character. */
static int scan_backquote(struct parser *ps)
{
	step(ps);
	while (cur(ps) != '`') {
		if (!cur(ps))
			return lex_eof(ps, "`");
		if (cur(ps) == '\\' && at(ps, 1))
			step(ps);
		step(ps);
	}
	step(ps);
	return 0;
}

/* $(( ... )): parentheses nest; the first unmatched "))" ends it. */
static int scan_arith(struct parser *ps)
{
	int depth = 0;
	ps->p += 3;
	for (;;) {
		char c = cur(ps);
		if (!c)
			return lex_eof(ps, "))");
		if (c == '(') {
			depth++;
		} else if (c == ')' && depth > 0) {
			depth--;
		} else if (c == ')') {
			if (at(ps, 1) != ')')
				return lex_fail(ps, "syntax error: missing `))'");
			ps->p += 2;
			return 0;
		}
		step(ps);
	}
}

/* ${ ... }: quotes and expansions inside may hold a }. */
static int scan_brace(struct parser *ps)
{
	ps->p += 2;
	for (;;) {
		char c = cur(ps);
		int rc = 0;
		if (!c)
			return lex_eof(ps, "}");
		if (c == '}') {
			ps->p++;
			return 0;
		}
		if (c == '\\' && at(ps, 1)) {
			step(ps);
			step(ps);
		} else if (c == '\'') {
			rc = scan_single(ps);
		} else if (c == '"') {
			rc = scan_double(ps);
		} else if (c == '`') {
			rc = scan_backquote(ps);
		} else if (c == '$') {
			rc = scan_dollar(ps);
		} else {
			step(ps);
		}
		if (rc)
			return rc;
	}
}

/* At a $: the end of whatever expansion it starts. */
static int scan_dollar(struct parser *ps)
{
	if (at(ps, 1) == '(' && at(ps, 2) == '(')
		return scan_arith(ps);
	if (at(ps, 1) == '(') {
		ps->p += 2;
		return parse_subst(ps);
	}
	if (at(ps, 1) == '{')
		return scan_brace(ps);
	ps->p++;
	return 0;
}

/* "...": \, $ and ` keep their meaning inside. */
static int scan_double(struct parser *ps)
{
	step(ps);
	for (;;) {
		char c = cur(ps);
		int rc = 0;
		if (!c)
			return lex_eof(ps, "\"");
		if (c == '"') {
			ps->p++;
			return 0;
		}
		if (c == '\\' && at(ps, 1)) {
			step(ps);
			step(ps);
		} else if (c == '$') {
			rc = scan_dollar(ps);
		} else if (c == '`') {
			rc = scan_backquote(ps);
		} else {
			step(ps);
		}
		if (rc)
			return rc;
	}
}

/* A word: everything up to an unquoted blank or operator character. */
static int lex_word(struct parser *ps, struct token *t)
{
	size_t start = ps->p;
	t->kind = T_WORD;
	while (!is_meta(cur(ps))) {
		char c = cur(ps);
		int rc = 0;
		if (c == '\\') {
			t->quoted = true;
			if (at(ps, 1) == '\n')
				lex_mark(ps, ps->p + 1, NL_CONT);
			step(ps);
			if (cur(ps))
				step(ps);
			continue;
		}
		if (c == '\'' || c == '"')
			t->quoted = true;
		if (c == '\'')
			rc = scan_single(ps);
		else if (c == '"')
			rc = scan_double(ps);
		else if (c == '`')
			rc = scan_backquote(ps);
		else if (c == '$')
			rc = scan_dollar(ps);
		else
			step(ps);
		if (rc)
			return rc;
	}
	t->word = ar_strndup(ps->ar, ps->s + start, ps->p - start);
	return t->word ? 0 : lex_fail(ps, "out of memory");
}

/* Redirection operators after an optional descriptor number. */
static int lex_redir(struct parser *ps, struct token *t, int fd)
{
	static const struct {
		const char *op;
		enum rkind kind;
	} ops[] = {
	    {"<<-", R_HEREDOC}, {"<<", R_HEREDOC}, {"<&", R_DUPIN}, {"<>", R_RDWR}, {"<", R_IN},
	    {">>", R_APPEND},   {">&", R_DUPOUT},  {">|", R_OUT},   {">", R_OUT},
	};
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		size_t n = strlen(ops[i].op);
		if (strncmp(ps->s + ps->p, ops[i].op, n))
			continue;
		t->kind = T_REDIR;
		t->rkind = ops[i].kind;
		t->strip = !strcmp(ops[i].op, "<<-");
		t->force = !strcmp(ops[i].op, ">|");
		t->fd = fd >= 0 ? fd : ops[i].op[0] == '<' ? 0 : 1;
		ps->p += n;
		return 0;
	}
	return lex_fail(ps, "syntax error near `%c'", cur(ps));
}

/* && || ;; ; & | ( ) newline */
static void lex_control(struct parser *ps, struct token *t)
{
	char c = cur(ps), d = at(ps, 1);
	size_t n = 1;
	if (c == '&' && d == '&')
		t->kind = T_AND, n = 2;
	else if (c == '|' && d == '|')
		t->kind = T_OR, n = 2;
	else if (c == ';' && d == ';')
		t->kind = T_DSEMI, n = 2;
	else
		t->kind = c == ';'   ? T_SEMI
		          : c == '&' ? T_AMP
		          : c == '|' ? T_PIPE
		          : c == '(' ? T_LPAREN
		          : c == ')' ? T_RPAREN
		                     : T_NEWLINE;
	for (size_t i = 0; i < n; i++)
		step(ps);
}

/* Blanks, line continuations and a comment before the next token; true
 * if there was a comment. */
static bool skip_blanks(struct parser *ps)
{
	bool comment = false;
	for (;;) {
		if (cur(ps) == ' ' || cur(ps) == '\t') {
			ps->p++;
		} else if (cur(ps) == '\\' && at(ps, 1) == '\n') {
			lex_mark(ps, ps->p + 1, NL_CONT);
			step(ps), step(ps);
		} else if (cur(ps) == '#') {
			comment = true;
			while (cur(ps) && cur(ps) != '\n')
				ps->p++;
		} else {
			return comment;
		}
	}
}

/* Digits right before < or > name the descriptor (an IO_NUMBER). */
static int io_number(const struct parser *ps, size_t *n)
{
	long v = 0;
	size_t i = 0;
	while (at(ps, i) >= '0' && at(ps, i) <= '9') {
		v = v < 100000 ? v * 10 + (at(ps, i) - '0') : v;
		i++;
	}
	*n = i;
	if (i == 0 || (at(ps, i) != '<' && at(ps, i) != '>'))
		return -1;
	return v > 1023 ? 1024 : (int)v;
}

int lex_next(struct parser *ps, struct token *t)
{
	size_t n;
	bool comment = skip_blanks(ps);
	memset(t, 0, sizeof(*t));
	t->raw = ps->s + ps->p;
	t->line = ps->line;
	int fd = io_number(ps, &n), rc = 0;
	if (fd > 1023)
		return lex_fail(ps, "file descriptor out of range");
	if (fd >= 0)
		ps->p += n;
	if (!cur(ps))
		t->kind = T_EOF;
	else if (cur(ps) == '<' || cur(ps) == '>')
		rc = lex_redir(ps, t, fd);
	else if (is_meta(cur(ps)))
		lex_control(ps, t);
	else
		rc = lex_word(ps, t);
	t->len = (size_t)(ps->s + ps->p - t->raw);
	t->keep = comment || ps->npending;
	if (!rc && t->kind == T_NEWLINE && ps->npending)
		rc = lex_heredoc_bodies(ps);
	return rc;
}

/* --- here-documents ---------------------------------------------------------- */

/* The delimiter with quotes removed; *quoted says whether it had any. */
static char *heredoc_delim(struct parser *ps, const char *w, bool *quoted)
{
	char *d = ar_alloc(ps->ar, strlen(w) + 1);
	size_t n = 0;
	*quoted = false;
	for (; d && *w; w++) {
		if (*w == '\'' || *w == '"') {
			*quoted = true;
		} else if (*w == '\\' && w[1]) {
			*quoted = true;
			d[n++] = *++w;
		} else {
			d[n++] = *w;
		}
	}
	return d;
}

/* Reads one body: lines up to one equal to the delimiter. */
static int heredoc_body(struct parser *ps, struct redir *r)
{
	char *delim = heredoc_delim(ps, r->word, &r->quoted);
	size_t dlen = delim ? strlen(delim) : 0, start = ps->p, out = 0;
	char *body = ar_alloc(ps->ar, strlen(ps->s + ps->p) + 1);
	if (!delim || !body)
		return lex_fail(ps, "out of memory");
	for (;;) {
		if (!cur(ps))
			return ps->p = start, lex_eof(ps, NULL);
		while (r->strip && cur(ps) == '\t')
			ps->p++;
		const char *l = ps->s + ps->p;
		size_t n = strcspn(l, "\n");
		bool last = l[n] == '\0';
		if (n == dlen && !strncmp(l, delim, n)) {
			ps->p += n + !last;
			ps->line++;
			break;
		}
		memcpy(body + out, l, n + !last);
		out += n + !last;
		ps->p += n + !last;
		ps->line++;
	}
	r->body = body;
	return 0;
}

int lex_heredoc_bodies(struct parser *ps)
{
	for (int i = 0; i < ps->npending; i++)
		if (heredoc_body(ps, ps->pending[i]))
			return -1;
	ps->npending = 0;
	return 0;
}
