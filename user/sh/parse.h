/* The shell's parser: one input line in, a list of pipelines out, with
 * quotes removed and $VAR, ${VAR} and $? already expanded. It does no I/O
 * and keeps no state between calls; everything it returns is freed by sh_free. */
#ifndef MICA_SH_PARSE_H
#define MICA_SH_PARSE_H

#include <stdbool.h>
#include <stddef.h>

/* The largest file descriptor a redirection may name (2>, 3<, >&4). */
#define SH_FD_MAX 1023

enum redir_kind {
	REDIR_IN,     /* [n]<path    open path read-only as n (default 0) */
	REDIR_OUT,    /* [n]>path    create/truncate path as n (default 1) */
	REDIR_APPEND, /* [n]>>path   create/append path as n (default 1) */
	REDIR_DUP,    /* [n]>&m, [n]<&m   dup2(m, n); n defaults to 1 for >&, 0 for <& */
};

struct redir {
	int fd; /* the descriptor redirected, defaults filled in */
	enum redir_kind kind;
	char *path;    /* the expanded file name; for REDIR_DUP the target as written */
	int target_fd; /* REDIR_DUP only: m; -1 otherwise */
};

/* One simple command. Redirections are kept in the order written and must
 * be applied in that order (2>&1 >f differs from >f 2>&1). argc may be 0:
 * "A=1", "> f" and a command whose words all expanded to nothing are valid. */
struct command {
	char **argv; /* argc words, then NULL; never NULL itself */
	int argc;
	struct redir *redirs;
	int nredirs;
	char **assigns; /* nassigns "NAME=value" words before the command name, then
	                 * NULL; NULL itself when there are none */
	int nassigns;
};

struct pipeline {
	struct command *cmds; /* ncmds >= 1 */
	int ncmds;
	bool background; /* ended by & */
};

enum list_op {
	OP_SEQ, /* ; or & or the end of the line: run the next item regardless */
	OP_AND, /* &&: run the next item only if this one exited 0 */
	OP_OR,  /* ||: run the next item only if this one failed */
};

struct sh_list {
	struct pipeline *items;
	enum list_op *ops; /* ops[i] joins items[i] to items[i + 1]; ops[n - 1] is OP_SEQ */
	int n;             /* 0 for an empty line or one holding only blanks and a comment */
};

/* Returns the value of a variable, or NULL when it is unset. Names asked
 * for: identifiers ([A-Za-z_][A-Za-z0-9_]*), "?" (last exit status), the
 * one-character specials "$", "!", "#", "0".."9", and any number in ${}. */
typedef const char *(*sh_lookup_fn)(void *ctx, const char *name);

/* Parses line. On success returns 0 with *out filled; on failure returns -1
 * with *out empty (n == 0, safe to sh_free) and a bash-like message in err
 * (truncated to errlen; err may be NULL), e.g.
 *   syntax error near unexpected token `|'
 *   syntax error near unexpected token `newline'   (line ends too early)
 *   unterminated quote
 *   bad substitution                               (${ without }, ${a-b})
 *   $X: ambiguous redirect                         (file name expands to nothing)
 *   syntax error: bad fd number `x'                (>&x)
 *   file descriptor out of range                   (fd above SH_FD_MAX)
 *   out of memory
 * lookup may be NULL: every variable is then unset.
 *
 * Simplifications against POSIX sh: expansions are not re-split on blanks
 * and not globbed, an unset or empty unquoted $VAR alone as a word removes
 * the word; no ~, `cmd`, $(cmd), here-documents, ( ), { } or keywords; '\n'
 * is a blank (the caller splits lines); "&" backgrounds only the pipeline
 * just before it, so "a && b &" runs a in the foreground, then b in the
 * background if a succeeded; "a &> f" is "a &" then "> f", as in dash. */
int sh_parse(const char *line, sh_lookup_fn lookup, void *ctx, struct sh_list *out, char *err,
             size_t errlen);

/* Frees everything sh_parse put in l and leaves it empty. */
void sh_free(struct sh_list *l);

#endif
