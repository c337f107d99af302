/* Internals shared by expand.c and xparam.c: the expansion buffer, where
 * every character carries how it was quoted. */
#ifndef MICA_SH_XINT_H
#define MICA_SH_XINT_H

#include "expand.h"

#define A_QUOTED 1 /* quoted: never split, never a pattern character */
#define A_SPLIT  2 /* from an unquoted expansion: IFS splits it */
#define A_BREAK  4 /* a field boundary ("$@"), no character */
#define A_EMPTY  8 /* a quoted empty string: still makes a field, no character */

#define M_DQ       1  /* inside "...": everything comes out quoted */
#define M_LITSPLIT 2  /* plain characters count as expansion results (${x-a b}) */
#define M_HEREDOC  4  /* a here-document body: " is plain */
#define M_TILDE    8  /* a ~ at the start is a tilde prefix */
#define M_ASSIGN   16 /* also after = and : */

struct xb {
	char *s;
	unsigned char *a;
	size_t n, cap;
};

struct xs {
	const struct xenv *e;
	struct xb b;
	bool at_empty; /* "$@" with no parameters: the quotes make no field */
	bool failed;
};

int xb_put(struct xs *x, char c, unsigned char attr);
int xb_puts(struct xs *x, const char *s, unsigned char attr);
int x_fail(struct xs *x, const char *fmt, ...);
int x_walk(struct xs *x, const char *s, size_t len, int mode);
char *x_flat(const struct xb *b);                  /* the characters, markers dropped */
char *x_pattern_of(const struct xb *b);            /* the same, quoted ones escaped */
const char *x_get(struct xs *x, const char *name); /* any parameter, "@" and "*" joined */
size_t x_skip_dq(const char *s, size_t i, size_t len);
size_t x_skip_brace(const char *s, size_t i, size_t len);
int x_brace(struct xs *x, const char *s, size_t len, int mode); /* xparam.c: ${...} */
int x_at(struct xs *x, char which, int mode);                   /* $@ and $* */

#endif
