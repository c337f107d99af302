/* The shell's syntax tree: what the parser (parse.c) builds and the
 * executor (exec.c) walks. Words stay as written (quotes and $ intact);
 * expand.c turns them into fields when the command runs. Every node and
 * string lives in one arena per parse, freed as a whole. */
#ifndef MICA_SH_AST_H
#define MICA_SH_AST_H

#include <stdbool.h>
#include <stddef.h>

/* A bump allocator: chunks freed together. keep is set when a function
 * definition in the tree must outlive the command that made it. */
struct arena {
	struct chunk *chunks;
	bool keep;
};

void *ar_alloc(struct arena *ar, size_t n); /* zeroed; NULL when out of memory */
char *ar_strndup(struct arena *ar, const char *s, size_t n);
void ar_free(struct arena *ar);

enum rkind {
	R_IN,      /* [n]<word   */
	R_OUT,     /* [n]>word, [n]>|word */
	R_APPEND,  /* [n]>>word  */
	R_RDWR,    /* [n]<>word  */
	R_DUPIN,   /* [n]<&word  (word: a number or -) */
	R_DUPOUT,  /* [n]>&word  */
	R_HEREDOC, /* [n]<<word, [n]<<-word: body below */
};

struct redir {
	struct redir *next;
	int fd; /* the descriptor redirected, default filled in */
	enum rkind kind;
	char *word;  /* the target as written; for R_HEREDOC the delimiter */
	char *body;  /* R_HEREDOC: the lines up to the delimiter, as written */
	bool quoted; /* R_HEREDOC: the delimiter had quotes, so no expansion */
	bool strip;  /* R_HEREDOC: <<- strips leading tabs */
	bool force;  /* R_OUT: >|, which set -C (noclobber) does not refuse */
};

enum nkind {
	N_SIMPLE,   /* assigns, words, redirs */
	N_PIPE,     /* a: first command, chained by next; bang: ! before it */
	N_AND,      /* a && b */
	N_OR,       /* a || b */
	N_LIST,     /* a: first item, chained by next; each item's bg says & */
	N_SUBSHELL, /* ( a ) */
	N_GROUP,    /* { a; } */
	N_IF,       /* if a then b else c (c: NULL, a list, or an N_IF for elif) */
	N_WHILE,    /* while a do b done */
	N_UNTIL,    /* until a do b done */
	N_FOR,      /* for name [in words] do b done; has_in says whether "in" was there */
	N_CASE,     /* case word in cases esac */
	N_FUNC,     /* name() a: the body, a compound command */
};

struct caseitem {
	struct caseitem *next;
	char **pats; /* npats patterns as written */
	int npats;
	struct node *body; /* may be NULL: "a) ;;" */
};

struct node {
	enum nkind kind;
	int line; /* where the command starts, for $LINENO and messages */
	struct node *next;
	struct node *a, *b, *c;
	struct redir *redirs;
	char **words; /* N_SIMPLE: the command's words; N_FOR: the list; N_CASE: words[0] */
	int nwords;
	char **assigns; /* N_SIMPLE: NAME=value words before the command name */
	int nassigns;
	char *name; /* N_FOR: the variable; N_FUNC: the function */
	struct caseitem *cases;
	bool bg;     /* N_LIST item: ended by & */
	bool bang;   /* N_PIPE: ! inverts the status */
	bool has_in; /* N_FOR */
	char *text;  /* N_LIST item ended by &: the command as written, for jobs */
};

#endif
