/* The shell's lexer, shared by parse.c only: tokens as POSIX XCU 2.3
 * forms them, words kept as written. Internal to the parser. */
#ifndef MICA_SH_LEX_H
#define MICA_SH_LEX_H

#include "parse.h"

enum tok {
	T_EOF,
	T_WORD,
	T_NEWLINE,
	T_AND,    /* && */
	T_OR,     /* || */
	T_DSEMI,  /* ;; */
	T_SEMI,   /* ; */
	T_AMP,    /* & */
	T_PIPE,   /* | */
	T_LPAREN, /* ( */
	T_RPAREN, /* ) */
	T_REDIR,  /* any redirection operator, with its descriptor */
};

struct token {
	enum tok kind;
	const char *raw; /* where it starts in the text */
	size_t len;
	char *word;  /* T_WORD: the text as written, in the arena */
	bool quoted; /* T_WORD: has a quote or backslash (so never a keyword) */
	int fd;      /* T_REDIR: the descriptor, default filled in */
	enum rkind rkind;
	bool strip; /* T_REDIR: <<- */
	bool force; /* T_REDIR: >| */
	bool keep;  /* T_NEWLINE: after a comment or before here-document bodies */
	int line;
};

#define MAX_PENDING 16
#define MAX_ALIAS   16

struct parser {
	const char *s; /* the text */
	size_t p;      /* next character */
	int line;
	struct arena *ar;
	char *err;
	size_t errlen;
	bool failed;
	bool incomplete; /* failed because the text ended too soon */
	struct token tok;
	bool have;
	struct redir *pending[MAX_PENDING]; /* here-documents whose body is still to come */
	int npending;
	int depth;   /* of nested $( ), where ) ends the text */
	char *marks; /* parse_in.marks, indexed by offset in the original text */
	size_t nmarks;
	long delta; /* how much longer alias substitution made s than the text */
	const char *alias_name[MAX_ALIAS]; /* aliases being substituted, */
	size_t alias_end[MAX_ALIAS];       /* up to where their values reach */
	int nalias;
	size_t alias_blank; /* a value ended in a blank: the next word is checked too */
};

int lex_next(struct parser *ps, struct token *t);
int lex_fail(struct parser *ps, const char *fmt, ...);
int lex_eof(struct parser *ps, const char *what);
int lex_heredoc_bodies(struct parser *ps);
bool lex_keyword(const struct token *t, const char *kw);
void lex_mark(struct parser *ps, size_t pos, char kind);

/* parse.c: a compound list up to ")" for $( ), from ps->p. */
int parse_subst(struct parser *ps);

#endif
