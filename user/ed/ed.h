/* ed's buffer and its address parser (addr.c, host-tested); the
 * commands are ed.c's. Lines are numbered from 1; 0 is "before the
 * first" where a command allows it. */
#ifndef USER_ED_H
#define USER_ED_H

#include <regex.h>
#include <stdbool.h>

struct ed_buf {
	char **lines; /* lines[1..n]; strings never change once made */
	int n, cap;
	int cur;         /* the current line, "." */
	int marks[26];   /* 'k' marks: line numbers, 0 none */
	regex_t last_re; /* the last regex used (for // and ??) */
	bool have_re;
	const char *err; /* the last error, for 'h' */
};

/* Parses the addresses at *sp (none, one, or a pair with ',' or ';'),
 * moving *sp past them. *naddr is how many were given (a lone ',' or
 * ';' counts as two); *a1 and *a2 are set (both to "." when none).
 * 0, or -1 with b->err set ("invalid address"). */
int ed_addrs(struct ed_buf *b, const char **sp, int *a1, int *a2, int *naddr);

/* Compiles the delimited regex at *s (delimiter **s), moving past the
 * closing one (or the end); an empty one reuses b->last_re. 0 or -1. */
int ed_regex(struct ed_buf *b, const char **s);

#endif
