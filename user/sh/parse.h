/* The shell's parser: text in, one complete command at a time out, as a
 * syntax tree (ast.h). It does no I/O and keeps no state between calls,
 * so it builds for the host unit tests too. */
#ifndef MICA_SH_PARSE_H
#define MICA_SH_PARSE_H

#include "ast.h"

enum parse_rc {
	P_OK,         /* *out holds the next command (NULL: only blank lines/comments) */
	P_EOF,        /* nothing left */
	P_INCOMPLETE, /* the text ends inside a command: give more lines */
	P_ERROR,      /* a syntax error, message in err */
};

struct parse_in {
	const char *text; /* the whole text, NUL-terminated */
	size_t pos;       /* where to start; advanced past the command on P_OK */
	int line;         /* the line number at pos; advanced likewise */
	char *marks;      /* optional, strlen(text) bytes, zeroed: the NL_ kind of
	                     each newline the parser took, by offset (for history) */
};

/* How a newline inside a command may be joined into one history line. */
#define NL_SEP   'S' /* it ended a command: "; " */
#define NL_BREAK 'L' /* optional, after | && || do then { in ...: " " */
#define NL_CONT  'C' /* a backslash-newline: both removed */
#define NL_KEEP  'K' /* after a comment or a here-document: stays a newline */

/* Parses the next complete command (a list ended by a newline or the end
 * of the text, with the here-document bodies that follow that line) into
 * ar. On P_ERROR err holds a message like
 *   syntax error near unexpected token `fi'
 *   syntax error: unexpected end of file
 * and in->line the line it was found on. */
enum parse_rc sh_parse_next(struct parse_in *in, struct arena *ar, struct node **out, char *err,
                            size_t errlen);

/* The text of a command as one history line: the n bytes of text with its
 * newlines joined as marks says (unmarked ones stay), the last newline
 * dropped. malloc'ed; NULL when out of memory. */
char *sh_history_text(const char *text, size_t n, const char *marks);

/* Alias substitution (XCU 2.3.1): the value of alias name, or NULL. Set
 * by the shell; NULL means no aliases. */
extern const char *(*sh_alias_lookup)(const char *name);

/* Where a $( ... ) command substitution that starts at s (at the "$(")
 * ends: the index just past its ")", or 0 when it does not close. */
size_t sh_subst_end(const char *s);

/* Is s a name: [A-Za-z_][A-Za-z0-9_]*, n characters (n = strlen for -1)? */
bool sh_is_name(const char *s, long n);

#endif
