/* sed's script as parse.c compiles it and sed.c runs it: a flat array of
 * commands, '{' jumping past its '}', branches resolved to indexes. */
#ifndef USER_SED_H
#define USER_SED_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

enum sed_addr_kind { SA_NONE, SA_LINE, SA_LAST, SA_RE, SA_PLUS };

struct sed_addr {
	enum sed_addr_kind kind;
	long line;   /* SA_LINE; SA_PLUS: lines after the first address */
	regex_t *re; /* SA_RE; NULL: the last regex used */
};

struct sed_cmd {
	struct sed_addr a1, a2;
	int naddr;
	bool negate;
	char cmd;
	/* s */
	regex_t *re; /* NULL: the last regex used */
	char *repl;
	bool global, print, icase;
	int nth; /* replace the nth match (1 by default) */
	/* y */
	unsigned char ymap[256];
	/* a i c: the text; r: the file name; b t T: the label; ':' its name */
	char *text;
	int jump; /* '{': index after its '}'; b t T: the target (-1: the end) */
	int code; /* q Q: the exit status */
	/* range state while running */
	bool active;
	long end_line;
};

struct sed_prog {
	struct sed_cmd *cmds;
	int n, cap;
	bool ere;      /* -E: extended regular expressions */
	bool quiet;    /* "#n" on the first line */
	char err[160]; /* after a failed sed_parse */
};

/* Compiles script (all -e and -f parts joined by newlines) into p. 0, or
 * -1 with GNU's wording in p->err ("unknown command: `k'"). */
int sed_parse(struct sed_prog *p, const char *script);

/* Frees what sed_parse allocated. */
void sed_free(struct sed_prog *p);

/* s///: in s, replaces the nth match (and each after it if global) of re
 * by repl (& the match, \1-\9 groups, \n newline, \\ \& literal). 1 and
 * *out (malloc'd) if something was replaced, 0 if not, -1 if out of
 * memory. */
int sed_subst(const regex_t *re, const char *repl, bool global, int nth, const char *s, char **out);

#endif
