/* Word expansion (POSIX XCU 2.6): tilde, parameters, command substitution
 * and arithmetic, then field splitting on IFS, pathname expansion and
 * quote removal. The shell's state comes in through struct xenv, so the
 * whole of it builds for the host unit tests too. */
#ifndef MICA_SH_EXPAND_H
#define MICA_SH_EXPAND_H

#include <stdbool.h>
#include <stddef.h>

/* A growing NULL-terminated array of malloc'ed strings. */
struct strv {
	char **v;
	int n, cap;
};

int strv_push(struct strv *sv, char *s); /* takes s; -1 when out of memory */
void strv_free(struct strv *sv);

struct xenv {
	void *u;
	/* A variable's value or a special parameter (? $ ! - 0), NULL if unset. */
	const char *(*get)(void *u, const char *name);
	/* Assigns (for ${x:=w} and arithmetic); -1 after a message when it cannot. */
	int (*set)(void *u, const char *name, const char *value);
	/* The output of running text as a command (malloc'ed), NULL on failure. */
	char *(*cmdsub)(void *u, const char *text);
	/* The positional parameters $1..$n. */
	int (*nparams)(void *u);
	const char *(*param)(void *u, int i);
	/* Reports an expansion error (without the "sh: " prefix). */
	void (*error)(void *u, const char *msg);
	bool noglob;  /* set -f */
	bool nounset; /* set -u */
};

/* Expands raw (a word as written) into fields appended to out: 0, or -1
 * after reporting an error through env->error. */
int x_fields(const struct xenv *e, const char *raw, struct strv *out);

/* Expands raw to one string without field splitting or pathname
 * expansion (assignments, redirection targets, the word of case); tilde
 * also after = and : when assign is set. NULL after an error. */
char *x_string(const struct xenv *e, const char *raw, bool assign);

/* Expands raw to a pattern for fnmatch(): quoted characters come out
 * backslash-escaped so they match only themselves. */
char *x_pattern(const struct xenv *e, const char *raw);

/* Expands a here-document body: $, ` and \ as inside double quotes, but
 * a " is just a character. */
char *x_heredoc(const struct xenv *e, const char *body);

/* --- match.c: patterns (XCU 2.13) ------------------------------------------- */

/* Does the whole of s match pat (fnmatch rules, no special / or .)? */
bool sh_match(const char *pat, const char *s);

/* ${v#pat} (op '#'), ${v##pat} ('H'), ${v%pat} ('%'), ${v%%pat} ('P'):
 * a malloc'ed copy of v with the shortest/longest matching prefix/suffix
 * removed; NULL when out of memory. */
char *sh_trim(const char *v, const char *pat, char op);

/* Pathname expansion of pattern (fnmatch syntax, \ quotes) into sorted
 * names appended to out; returns how many were added (0: no match). */
int sh_glob(const char *pattern, struct strv *out);

/* Does pattern hold an unescaped *, ? or [ ? */
bool sh_has_glob(const char *pattern);

/* pattern with its backslash escapes removed (malloc'ed). */
char *sh_unescape(const char *pattern);

/* --- arith.c: $(( )) (XCU 2.6.4, C's integer operators) ------------------- */

/* Evaluates expr (already expanded) into *result: 0, or -1 after a message
 * through env->error ("division by zero", "syntax error in expression"). */
int sh_arith(const struct xenv *e, const char *expr, long *result);
#endif
