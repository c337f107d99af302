/* find's expression: parsing the operands after the paths into a tree
 * (POSIX's grammar: ! -a -o and parentheses, -a implied), and the tests
 * that need only a path and its stat. Actions (-print, -exec, -delete)
 * are the caller's, through find_ctx.act. Pure: the host tests build it. */
#ifndef USER_FIND_EXPR_H
#define USER_FIND_EXPR_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <time.h>

enum find_kind {
	F_AND,
	F_OR,
	F_NOT,
	F_TRUE,
	F_FALSE,
	F_NAME,
	F_INAME,
	F_PATH,
	F_TYPE,
	F_NEWER,
	F_SIZE,
	F_PERM,
	F_USER,
	F_EMPTY,
	F_PRUNE,
	/* actions, run by the caller */
	F_PRINT,
	F_PRINT0,
	F_EXEC,
	F_EXECPLUS,
	F_DELETE,
};

struct find_node {
	enum find_kind kind;
	struct find_node *l, *r; /* F_AND, F_OR; F_NOT has l only */
	const char *pat;         /* F_NAME, F_INAME, F_PATH */
	char type;               /* F_TYPE: f d l p c b s */
	int cmp;                 /* F_SIZE, F_PERM: -1 less/all bits, 0 exact, 1 more/any bit */
	long long num;           /* F_SIZE: in units; F_USER: uid; F_PERM: mode */
	long long unit;          /* F_SIZE: bytes per unit */
	struct timespec when;    /* F_NEWER: the reference file's mtime */
	char **argv;             /* F_EXEC, F_EXECPLUS: the command, NULL-terminated */
	int argc;
	void *batch; /* F_EXECPLUS: the caller's pending paths */
};

/* Global options found among the operands. */
struct find_opts {
	int maxdepth, mindepth; /* -1: none */
	bool depth_first;       /* -depth, or -delete */
	bool has_action;        /* an action was given: no implicit -print */
};

struct find_ctx {
	const char *path;
	const struct stat *st;
	int depth;
	bool prune; /* set by -prune */
	void *arg;  /* the caller's */
	/* Runs an action node on ctx->path: its truth value. */
	bool (*act)(struct find_ctx *ctx, struct find_node *n);
};

/* Parses args[0..n) (the expression). NULL and a message in err on a
 * syntax error ("find: paths must precede expression: 'x'"); an empty
 * expression is F_TRUE. With no action, the tree is (expr) -a -print. */
struct find_node *find_parse(char **args, int n, struct find_opts *o, char *err, size_t errlen);

/* Evaluates n for ctx; actions through ctx->act. */
bool find_eval(struct find_node *n, struct find_ctx *ctx);

/* Frees the tree (not the strings: they are the caller's args). */
void find_free(struct find_node *n);

#endif
