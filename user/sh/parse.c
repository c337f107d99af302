/* The shell's grammar (POSIX XCU 2.9, 2.10) by recursive descent over the
 * tokens of lex.c: lists, and-or lists, pipelines, simple commands with
 * assignments and redirections, the compound commands and function
 * definitions. One complete command per call. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lex.h"

const char *(*sh_alias_lookup)(const char *name);

static struct node *and_or(struct parser *ps);
static void linebreak(struct parser *ps);
static struct node *command(struct parser *ps);
static struct node *compound_list(struct parser *ps, bool empty_ok);

bool sh_is_name(const char *s, long n)
{
	size_t len = n < 0 ? strlen(s) : (size_t)n;
	if (len == 0 ||
	    !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') || s[0] == '_'))
		return false;
	for (size_t i = 1; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || s[i] == '_' ||
		      (s[i] >= '0' && s[i] <= '9')))
			return false;
	return true;
}

static struct token *peek(struct parser *ps)
{
	if (!ps->have && !ps->failed) {
		if (lex_next(ps, &ps->tok))
			return NULL;
		ps->have = true;
	}
	return ps->failed ? NULL : &ps->tok;
}

static void take(struct parser *ps)
{
	ps->have = false;
}

/* Takes the newline token, noting for the history how it joins lines. */
static void take_newline(struct parser *ps, char kind)
{
	lex_mark(ps, (size_t)(ps->tok.raw - ps->s), ps->tok.keep ? NL_KEEP : kind);
	take(ps);
}

static struct node *unexpected(struct parser *ps, const struct token *t)
{
	if (!t)
		return NULL;
	if (t->kind == T_EOF)
		lex_eof(ps, NULL);
	else if (t->kind == T_NEWLINE)
		lex_fail(ps, "syntax error near unexpected token `newline'");
	else
		lex_fail(ps, "syntax error near unexpected token `%.*s'", (int)t->len, t->raw);
	return NULL;
}

static struct node *new_node(struct parser *ps, enum nkind kind, int line)
{
	struct node *n = ar_alloc(ps->ar, sizeof(*n));
	if (!n) {
		lex_fail(ps, "out of memory");
		return NULL;
	}
	n->kind = kind;
	n->line = line;
	return n;
}

/* Consumes the keyword kw or fails. */
static bool expect(struct parser *ps, const char *kw)
{
	struct token *t = peek(ps);
	if (t && lex_keyword(t, kw)) {
		take(ps);
		return true;
	}
	unexpected(ps, t);
	return false;
}

/* After | && ||: the command goes on after any newlines; the text ending
 * there asks for more lines (PS2 at the prompt), as in dash and bash. */
static bool operand_follows(struct parser *ps)
{
	struct token *t;
	linebreak(ps);
	if ((t = peek(ps)) && t->kind == T_EOF) {
		lex_eof(ps, NULL);
		return false;
	}
	return t != NULL;
}

static void linebreak(struct parser *ps)
{
	struct token *t;
	while ((t = peek(ps)) && t->kind == T_NEWLINE)
		take_newline(ps, NL_BREAK);
}

/* --- aliases ------------------------------------------------------------------ */

static bool is_reserved(const struct token *t)
{
	static const char *const kws[] = {"if",   "then", "else", "elif",  "fi",    "do",
	                                  "done", "case", "esac", "while", "until", "for",
	                                  "in",   "{",    "}",    "!"};
	for (size_t i = 0; i < sizeof(kws) / sizeof(kws[0]); i++)
		if (lex_keyword(t, kws[i]))
			return true;
	return false;
}

/* Alias substitution (XCU 2.3.1) of the word t: its text is replaced by
 * the alias value, which is lexed next. Not inside the value of the same
 * alias (no recursion), nor inside $( ), whose text is kept as written. */
static bool alias_subst(struct parser *ps, struct token *t)
{
	const char *v;
	if (!sh_alias_lookup || ps->depth || t->kind != T_WORD || t->quoted || is_reserved(t) ||
	    ps->nalias == MAX_ALIAS || !(v = sh_alias_lookup(t->word)))
		return false;
	size_t at = (size_t)(t->raw - ps->s), vl = strlen(v), rest = strlen(t->raw + t->len);
	for (int i = 0; i < ps->nalias; i++)
		if (ps->alias_end[i] > at && !strcmp(ps->alias_name[i], t->word))
			return false;
	char *s = ar_alloc(ps->ar, at + vl + rest + 1);
	if (!s)
		return false;
	memcpy(s, ps->s, at);
	memcpy(s + at, v, vl);
	memcpy(s + at + vl, t->raw + t->len, rest + 1);
	long d = (long)vl - (long)t->len;
	for (int i = 0; i < ps->nalias; i++)
		if (ps->alias_end[i] > at)
			ps->alias_end[i] = (size_t)((long)ps->alias_end[i] + d);
	ps->alias_name[ps->nalias] = t->word;
	ps->alias_end[ps->nalias++] = at + vl;
	ps->alias_blank = vl && (v[vl - 1] == ' ' || v[vl - 1] == '\t') ? at + vl : SIZE_MAX;
	ps->s = s;
	ps->p = at;
	ps->line = t->line;
	ps->delta += d;
	ps->have = false;
	return true;
}

/* The word after an alias value that ended in a blank is checked too. */
static bool alias_after_blank(struct parser *ps, struct token *t)
{
	if (ps->alias_blank == SIZE_MAX || (size_t)(t->raw - ps->s) < ps->alias_blank)
		return false;
	ps->alias_blank = SIZE_MAX;
	return alias_subst(ps, t);
}

/* Appends w to the array *arr of *n strings. */
static bool push_word(struct parser *ps, char ***arr, int *n, char *w)
{
	char **na = ar_alloc(ps->ar, sizeof(char *) * (size_t)(*n + 2));
	if (!na) {
		lex_fail(ps, "out of memory");
		return false;
	}
	if (*n)
		memcpy(na, *arr, sizeof(char *) * (size_t)*n);
	na[(*n)++] = w;
	*arr = na;
	return true;
}

/* --- redirections ----------------------------------------------------------- */

static bool redirect(struct parser *ps, struct redir **list)
{
	struct token op = *peek(ps);
	take(ps);
	struct token *t = peek(ps);
	struct redir *r = ar_alloc(ps->ar, sizeof(*r));
	if (t && t->kind == T_EOF)
		return lex_fail(ps, "syntax error near unexpected token `newline'"), false;
	if (!t || t->kind != T_WORD)
		return unexpected(ps, t), false;
	if (!r)
		return lex_fail(ps, "out of memory"), false;
	*r = (struct redir){.fd = op.fd, .kind = op.rkind, .word = t->word, .strip = op.strip};
	r->force = op.force;
	take(ps);
	if (r->kind == R_HEREDOC) {
		if (ps->npending == MAX_PENDING)
			return lex_fail(ps, "too many here-documents"), false;
		ps->pending[ps->npending++] = r;
	}
	while (*list)
		list = &(*list)->next;
	*list = r;
	return true;
}

static bool redirects(struct parser *ps, struct node *n)
{
	struct token *t;
	while ((t = peek(ps)) && t->kind == T_REDIR)
		if (!redirect(ps, &n->redirs))
			return false;
	return !ps->failed;
}

/* --- simple commands and functions ----------------------------------------- */

static bool is_assignment(const struct token *t)
{
	const char *eq = strchr(t->word, '=');
	return eq && sh_is_name(t->word, eq - t->word);
}

/* name ( ) linebreak compound-command */
static struct node *funcdef(struct parser *ps, struct node *simple)
{
	struct node *n = new_node(ps, N_FUNC, simple->line);
	struct token *t;
	take(ps); /* ( */
	if (!n || !(t = peek(ps)))
		return NULL;
	if (t->kind != T_RPAREN)
		return unexpected(ps, t);
	take(ps);
	if (!sh_is_name(simple->words[0], -1))
		return lex_fail(ps, "syntax error: `%s': not a valid function name",
		                simple->words[0]),
		       NULL;
	n->name = simple->words[0];
	linebreak(ps);
	n->a = command(ps);
	if (n->a && (n->a->kind == N_SIMPLE || n->a->kind == N_PIPE))
		return lex_fail(ps, "syntax error: a function body must be a compound command"),
		       NULL;
	return n->a ? n : NULL;
}

static struct node *simple_command(struct parser *ps)
{
	struct token *t = peek(ps);
	struct node *n = t ? new_node(ps, N_SIMPLE, t->line) : NULL;
	bool any = false;
	while (n && (t = peek(ps))) {
		if (t->kind == T_REDIR) {
			if (!redirect(ps, &n->redirs))
				return NULL;
		} else if (t->kind == T_WORD &&
		           (n->nwords ? alias_after_blank(ps, t) : alias_subst(ps, t))) {
			continue;
		} else if (t->kind == T_WORD && !n->nwords && is_assignment(t)) {
			if (!push_word(ps, &n->assigns, &n->nassigns, t->word))
				return NULL;
			take(ps);
		} else if (t->kind == T_WORD) {
			if (!push_word(ps, &n->words, &n->nwords, t->word))
				return NULL;
			take(ps);
			t = peek(ps);
			if (t && t->kind == T_LPAREN && n->nwords == 1 && !n->nassigns &&
			    !n->redirs)
				return funcdef(ps, n);
		} else {
			break;
		}
		any = true;
	}
	if (!n || ps->failed)
		return NULL;
	return any ? n : unexpected(ps, t);
}

/* --- compound commands -------------------------------------------------------- */

static struct node *if_rest(struct parser *ps, int line)
{
	struct node *n = new_node(ps, N_IF, line);
	struct token *t;
	if (!n || !(n->a = compound_list(ps, false)) || !expect(ps, "then") ||
	    !(n->b = compound_list(ps, false)) || !(t = peek(ps)))
		return NULL;
	if (lex_keyword(t, "elif")) {
		take(ps);
		n->c = if_rest(ps, t->line);
		return n->c ? n : NULL;
	}
	if (lex_keyword(t, "else")) {
		take(ps);
		if (!(n->c = compound_list(ps, false)))
			return NULL;
	}
	return expect(ps, "fi") ? n : NULL;
}

static struct node *loop(struct parser *ps, enum nkind kind, int line)
{
	struct node *n = new_node(ps, kind, line);
	if (!n || !(n->a = compound_list(ps, false)) || !expect(ps, "do") ||
	    !(n->b = compound_list(ps, false)) || !expect(ps, "done"))
		return NULL;
	return n;
}

/* for name [linebreak in word... (; | newline)] linebreak do list done */
static struct node *for_loop(struct parser *ps, int line)
{
	struct node *n = new_node(ps, N_FOR, line);
	struct token *t = peek(ps);
	if (!n || !t)
		return NULL;
	if (t->kind != T_WORD || !sh_is_name(t->word, -1))
		return lex_fail(ps, "syntax error: bad for loop variable"), NULL;
	n->name = t->word;
	take(ps);
	linebreak(ps);
	if ((t = peek(ps)) && lex_keyword(t, "in")) {
		n->has_in = true;
		take(ps);
		while ((t = peek(ps)) && t->kind == T_WORD &&
		       push_word(ps, &n->words, &n->nwords, t->word))
			take(ps);
		if (t && t->kind != T_SEMI && t->kind != T_NEWLINE)
			return unexpected(ps, t);
		if (t)
			take_newline(ps, NL_SEP);
	} else if (t && t->kind == T_SEMI) {
		take(ps);
	}
	linebreak(ps);
	if (!expect(ps, "do") || !(n->b = compound_list(ps, false)) || !expect(ps, "done"))
		return NULL;
	return n;
}

/* [(] pattern [| pattern]... ) [list] [;;] */
static struct caseitem *case_item(struct parser *ps)
{
	struct caseitem *ci = ar_alloc(ps->ar, sizeof(*ci));
	struct token *t = peek(ps);
	if (!ci)
		return lex_fail(ps, "out of memory"), NULL;
	if (t && t->kind == T_LPAREN)
		take(ps);
	for (;;) {
		if (!(t = peek(ps)) || t->kind != T_WORD)
			return unexpected(ps, t), NULL;
		if (!push_word(ps, &ci->pats, &ci->npats, t->word))
			return NULL;
		take(ps);
		if (!(t = peek(ps)) || t->kind != T_PIPE)
			break;
		take(ps);
	}
	if (!t || t->kind != T_RPAREN)
		return unexpected(ps, t), NULL;
	take(ps);
	ci->body = compound_list(ps, true);
	if (ps->failed || !(t = peek(ps)))
		return NULL;
	if (t->kind == T_DSEMI) {
		take(ps);
		linebreak(ps);
	} else if (!lex_keyword(t, "esac")) {
		return unexpected(ps, t), NULL;
	}
	return ci;
}

static struct node *case_cmd(struct parser *ps, int line)
{
	struct node *n = new_node(ps, N_CASE, line);
	struct token *t = peek(ps);
	struct caseitem **tail;
	if (!n || !t)
		return NULL;
	if (t->kind != T_WORD)
		return unexpected(ps, t);
	push_word(ps, &n->words, &n->nwords, t->word);
	take(ps);
	linebreak(ps);
	if (!expect(ps, "in"))
		return NULL;
	linebreak(ps);
	for (tail = &n->cases; (t = peek(ps)) && !lex_keyword(t, "esac"); tail = &(*tail)->next)
		if (!(*tail = case_item(ps)))
			return NULL;
	return expect(ps, "esac") ? n : NULL;
}

/* ( list ) and { list; } */
static struct node *group(struct parser *ps, enum nkind kind, int line)
{
	struct node *n = new_node(ps, kind, line);
	struct token *t;
	if (!n || !(n->a = compound_list(ps, false)) || !(t = peek(ps)))
		return NULL;
	if (kind == N_SUBSHELL && t->kind != T_RPAREN)
		return unexpected(ps, t);
	if (kind == N_GROUP && !lex_keyword(t, "}"))
		return unexpected(ps, t);
	take(ps);
	return n;
}

static struct node *compound(struct parser *ps, struct token *t)
{
	int line = t->line;
	if (t->kind == T_LPAREN)
		return take(ps), group(ps, N_SUBSHELL, line);
	if (t->kind != T_WORD || t->quoted)
		return NULL;
	static const char *const kws[] = {"{", "if", "while", "until", "for", "case"};
	size_t i = 0;
	while (i < 6 && strcmp(t->word, kws[i]))
		i++;
	if (i == 6)
		return NULL;
	take(ps);
	switch (i) {
	case 0:
		return group(ps, N_GROUP, line);
	case 1:
		return if_rest(ps, line);
	case 2:
		return loop(ps, N_WHILE, line);
	case 3:
		return loop(ps, N_UNTIL, line);
	case 4:
		return for_loop(ps, line);
	default:
		return case_cmd(ps, line);
	}
}

/* A reserved word that can only continue or end a compound command. */
static bool is_closer(const struct token *t)
{
	static const char *const kws[] = {"then", "else", "elif", "fi", "do", "done", "esac", "}"};
	for (size_t i = 0; i < sizeof(kws) / sizeof(kws[0]); i++)
		if (lex_keyword(t, kws[i]))
			return true;
	return t->kind == T_RPAREN || t->kind == T_DSEMI || t->kind == T_EOF;
}

static struct node *command(struct parser *ps)
{
	struct token *t = peek(ps);
	while (t && alias_subst(ps, t))
		t = peek(ps);
	if (!t)
		return NULL;
	if (is_closer(t) || lex_keyword(t, "in"))
		return unexpected(ps, t);
	struct node *n = compound(ps, t);
	if (ps->failed)
		return NULL;
	if (!n)
		return simple_command(ps);
	return redirects(ps, n) ? n : NULL;
}

/* --- pipelines and lists ------------------------------------------------------- */

static struct node *pipeline(struct parser *ps)
{
	struct token *t = peek(ps);
	struct node *n = t ? new_node(ps, N_PIPE, t->line) : NULL, **tail;
	if (!n)
		return NULL;
	if (lex_keyword(t, "!")) {
		n->bang = true;
		take(ps);
	}
	for (tail = &n->a;; tail = &(*tail)->next) {
		if (!(*tail = command(ps)) || !(t = peek(ps)))
			return NULL;
		if (t->kind != T_PIPE)
			break;
		take(ps);
		if (!operand_follows(ps))
			return NULL;
	}
	return n;
}

static struct node *and_or(struct parser *ps)
{
	struct node *left = pipeline(ps);
	struct token *t;
	while (left && (t = peek(ps)) && (t->kind == T_AND || t->kind == T_OR)) {
		struct node *n = new_node(ps, t->kind == T_AND ? N_AND : N_OR, t->line);
		take(ps);
		if (!n || !operand_follows(ps) || !(n->b = pipeline(ps)))
			return NULL;
		n->a = left;
		left = n;
	}
	return ps->failed ? NULL : left;
}

/* A command ended by &, from start to the & token: its text for jobs. */
static void bg_text(struct parser *ps, struct node *n, size_t start, const struct token *amp)
{
	size_t end = (size_t)(amp->raw - ps->s);
	if (!n->bg || end < start)
		return;
	while (end > start && (ps->s[end - 1] == ' ' || ps->s[end - 1] == '\t'))
		end--;
	n->text = ar_strndup(ps->ar, ps->s + start, end - start);
}

/* and-or lists separated by ; & or newlines, up to a closing word. */
static struct node *compound_list(struct parser *ps, bool empty_ok)
{
	struct token *t;
	linebreak(ps);
	if (!(t = peek(ps)))
		return NULL;
	struct node *l = new_node(ps, N_LIST, t->line), **tail = l ? &l->a : NULL;
	while (l && (t = peek(ps)) && !is_closer(t)) {
		size_t start = (size_t)(t->raw - ps->s);
		if (!(*tail = and_or(ps)) || !(t = peek(ps)))
			return NULL;
		if (t->kind == T_SEMI || t->kind == T_AMP || t->kind == T_NEWLINE) {
			(*tail)->bg = t->kind == T_AMP;
			bg_text(ps, *tail, start, t);
			if (t->kind == T_NEWLINE)
				take_newline(ps, NL_SEP);
			else
				take(ps);
			linebreak(ps);
		} else if (!is_closer(t)) {
			return unexpected(ps, t);
		}
		tail = &(*tail)->next;
	}
	if (!l || ps->failed)
		return NULL;
	if (!l->a && !empty_ok)
		return unexpected(ps, t);
	return l->a ? l : NULL;
}

/* The top level: and-or lists up to a newline or the end. */
static struct node *complete_command(struct parser *ps)
{
	struct token *t = peek(ps);
	struct node *l = t ? new_node(ps, N_LIST, t->line) : NULL, **tail = l ? &l->a : NULL;
	while (l && (t = peek(ps)) && t->kind != T_NEWLINE && t->kind != T_EOF) {
		size_t start = (size_t)(t->raw - ps->s);
		if (!(*tail = and_or(ps)) || !(t = peek(ps)))
			return NULL;
		if (t->kind == T_SEMI || t->kind == T_AMP) {
			(*tail)->bg = t->kind == T_AMP;
			bg_text(ps, *tail, start, t);
			take(ps);
		} else if (t->kind != T_NEWLINE && t->kind != T_EOF) {
			return unexpected(ps, t);
		}
		tail = &(*tail)->next;
	}
	if (t && t->kind == T_NEWLINE)
		take(ps);
	return ps->failed ? NULL : l;
}

int parse_subst(struct parser *ps)
{
	struct parser sub = {.s = ps->s,
	                     .p = ps->p,
	                     .line = ps->line,
	                     .ar = ps->ar,
	                     .err = ps->err,
	                     .errlen = ps->errlen,
	                     .depth = ps->depth + 1};
	struct token *t = peek(&sub);
	if (t && t->kind != T_RPAREN)
		compound_list(&sub, false);
	t = peek(&sub);
	if (t && t->kind != T_RPAREN)
		unexpected(&sub, t);
	ps->failed = sub.failed;
	ps->incomplete = sub.incomplete;
	ps->p = sub.p;
	ps->line = sub.line;
	return sub.failed ? -1 : 0;
}

size_t sh_subst_end(const char *s)
{
	struct arena ar = {0};
	struct parser ps = {.s = s, .p = 2, .ar = &ar};
	int rc = parse_subst(&ps);
	ar_free(&ar);
	return rc ? 0 : ps.p;
}

/* Does the text end in a backslash-newline, asking for the next line? */
static bool ends_in_continuation(const char *s)
{
	size_t n = strlen(s), k = 0;
	if (n == 0 || s[n - 1] != '\n')
		return false;
	while (k + 1 < n && s[n - 2 - k] == '\\')
		k++;
	return k % 2 == 1;
}

enum parse_rc sh_parse_next(struct parse_in *in, struct arena *ar, struct node **out, char *err,
                            size_t errlen)
{
	struct parser ps = {.s = in->text,
	                    .p = in->pos,
	                    .line = in->line,
	                    .ar = ar,
	                    .err = err,
	                    .errlen = errlen,
	                    .marks = in->marks,
	                    .nmarks = in->marks ? strlen(in->text) : 0,
	                    .alias_blank = SIZE_MAX};
	struct token *t;
	*out = NULL;
	if (err && errlen)
		err[0] = '\0';
	linebreak(&ps);
	if ((t = peek(&ps)) && t->kind == T_EOF) {
		in->pos = ps.p;
		in->line = ps.line;
		return P_EOF;
	}
	struct node *n = complete_command(&ps);
	if (ends_in_continuation(in->text + in->pos))
		return P_INCOMPLETE;
	if (!n && (ps.incomplete || ps.npending))
		return P_INCOMPLETE;
	if (!n) {
		in->line = ps.have ? ps.tok.line : ps.line;
		return P_ERROR;
	}
	if (ps.npending) /* the text ended before the here-document bodies */
		return P_INCOMPLETE;
	in->pos = (size_t)((long)ps.p - ps.delta);
	in->line = ps.line;
	*out = n;
	return P_OK;
}

/* Appends the blanks-trimmed join to out, skipping the next line's indent. */
char *sh_history_text(const char *text, size_t n, const char *marks)
{
	char *out = malloc(2 * n + 1);
	size_t o = 0;
	if (!out)
		return NULL;
	if (n && text[n - 1] == '\n')
		n--;
	for (size_t i = 0; i < n; i++) {
		char k = text[i] == '\n' && marks ? marks[i] : 0;
		if (k != NL_SEP && k != NL_BREAK && k != NL_CONT) {
			out[o++] = text[i];
			continue;
		}
		if (k == NL_CONT) {
			o -= o > 0 && out[o - 1] == '\\';
			continue;
		}
		while (o > 0 && (out[o - 1] == ' ' || out[o - 1] == '\t'))
			o--;
		if (k == NL_SEP)
			out[o++] = ';';
		out[o++] = ' ';
		while (i + 1 < n && (text[i + 1] == ' ' || text[i + 1] == '\t'))
			i++;
	}
	out[o] = '\0';
	return out;
}
