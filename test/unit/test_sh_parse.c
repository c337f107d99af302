/* The shell's parser: words, quoting, expansion, assignments, pipelines,
 * lists, redirections and every syntax error, checked on the structures it
 * returns; random lines from shell characters must parse or fail cleanly. */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../user/sh/parse.h"

struct var {
	const char *name, *value;
};

static const struct var vars[] = {
    {"HOME", "/home/mica"}, {"X", "ex"}, {"SP", "a b"},  {"OPS", "x | y; z > f"},
    {"EMPTY", ""},          {"?", "0"},  {"Q", "\"'\\"}, {NULL, NULL},
};

static const char *lookup(void *ctx, const char *name)
{
	for (const struct var *v = ctx; v->name; v++)
		if (strcmp(v->name, name) == 0)
			return v->value;
	return NULL;
}

/* The list under test; freed after every test. */
static struct sh_list L;
static char err[128];

static void teardown(void)
{
	sh_free(&L);
}

TestSuite(sh_parse, .fini = teardown);

static void parse_with(const char *line, sh_lookup_fn fn, void *ctx)
{
	sh_free(&L);
	int rc = sh_parse(line, fn, ctx, &L, err, sizeof(err));
	cr_assert_eq(rc, 0, "parsing [%s] failed: %s", line, err);
	cr_assert_str_empty(err, "[%s] left a message: %s", line, err);
}

static void parse_ok(const char *line)
{
	parse_with(line, lookup, (void *)vars);
}

/* Parses a line that must fail; returns the message, checks out is empty. */
static const char *parse_err(const char *line)
{
	sh_free(&L);
	memset(err, 0, sizeof(err));
	int rc = sh_parse(line, lookup, (void *)vars, &L, err, sizeof(err));
	cr_assert_eq(rc, -1, "[%s] parsed", line);
	cr_assert_eq(L.n, 0);
	cr_assert_null(L.items);
	cr_assert_null(L.ops);
	return err;
}

static void expect_err(const char *line, const char *msg)
{
	const char *got = parse_err(line);
	cr_assert_str_eq(got, msg, "[%s]: got \"%s\", expected \"%s\"", line, got, msg);
}

static const struct command *cmd(int item, int c)
{
	cr_assert_lt(item, L.n);
	cr_assert_lt(c, L.items[item].ncmds);
	return &L.items[item].cmds[c];
}

/* Checks a NULL-terminated argv against the NULL-terminated words given. */
static void assert_argv(const struct command *c, ...)
{
	va_list ap;
	int i = 0;
	va_start(ap, c);
	for (const char *w; (w = va_arg(ap, const char *)); i++) {
		cr_assert_lt(i, c->argc, "argc %d, expected more words", c->argc);
		cr_assert_str_eq(c->argv[i], w, "argv[%d] \"%s\", expected \"%s\"", i, c->argv[i],
		                 w);
	}
	va_end(ap);
	cr_assert_eq(c->argc, i, "argc %d, expected %d", c->argc, i);
	cr_assert_null(c->argv[i], "argv not NULL-terminated");
}

static void assert_redir(const struct command *c, int i, int fd, enum redir_kind kind,
                         const char *path)
{
	cr_assert_lt(i, c->nredirs);
	const struct redir *r = &c->redirs[i];
	cr_assert_eq(r->fd, fd, "redir %d fd %d, expected %d", i, r->fd, fd);
	cr_assert_eq(r->kind, kind, "redir %d kind %d, expected %d", i, r->kind, kind);
	cr_assert_str_eq(r->path, path);
	if (kind != REDIR_DUP)
		cr_assert_eq(r->target_fd, -1);
}

/* A single command line: one item, one command. */
static const struct command *only_cmd(const char *line)
{
	parse_ok(line);
	cr_assert_eq(L.n, 1, "[%s]: %d items", line, L.n);
	cr_assert_eq(L.items[0].ncmds, 1);
	return cmd(0, 0);
}

/* --- words and quoting ----------------------------------------------------- */

Test(sh_parse, empty_or_blank_or_comment_line_gives_no_items)
{
	const char *lines[] = {"", "   ", "\t \t", "# just a comment", "   # ls | wc ; x", "\n"};
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		parse_ok(lines[i]);
		cr_assert_eq(L.n, 0, "[%s] gave %d items", lines[i], L.n);
	}
}

Test(sh_parse, words_split_on_unquoted_blanks)
{
	const struct command *c = only_cmd("  echo  a\tb   c  ");
	assert_argv(c, "echo", "a", "b", "c", NULL);
	cr_assert_eq(c->nredirs, 0);
	cr_assert_eq(c->nassigns, 0);
	cr_assert_eq(L.ops[0], OP_SEQ);
	cr_assert_not(L.items[0].background);
}

Test(sh_parse, single_quotes_are_literal)
{
	assert_argv(only_cmd("echo 'a  $X \\n \"q\" | ; & > #'"), "echo",
	            "a  $X \\n \"q\" | ; & > #", NULL);
}

Test(sh_parse, double_quotes_keep_blanks_and_operators)
{
	assert_argv(only_cmd("echo \"a   b\" \"x|y;z&&w > f # c\""), "echo", "a   b",
	            "x|y;z&&w > f # c", NULL);
}

Test(sh_parse, double_quotes_expand_variables)
{
	assert_argv(only_cmd("echo \"$X ${X}y $HOME/z $?\" \"$X$X\""), "echo",
	            "ex exy /home/mica/z 0", "exex", NULL);
}

Test(sh_parse, double_quote_backslash_escapes_only_quote_backslash_dollar)
{
	/* "\" \\ \$X \a \'" gives: " \ $X \a \' */
	assert_argv(only_cmd("echo \"\\\" \\\\ \\$X \\a \\'\""), "echo", "\" \\ $X \\a \\'", NULL);
}

Test(sh_parse, single_quote_inside_double_quotes_is_literal)
{
	assert_argv(only_cmd("echo \"it's $X\" 'say \"$X\"'"), "echo", "it's ex", "say \"$X\"",
	            NULL);
}

Test(sh_parse, unquoted_backslash_escapes_next_char)
{
	assert_argv(only_cmd("echo a\\ b \\| \\$X \\' \\\" \\\\ \\#c \\;"), "echo", "a b", "|",
	            "$X", "'", "\"", "\\", "#c", ";", NULL);
}

Test(sh_parse, trailing_backslash_is_literal)
{
	assert_argv(only_cmd("echo a\\"), "echo", "a\\", NULL);
}

Test(sh_parse, quotes_glue_to_words)
{
	assert_argv(only_cmd("echo \"a\"'b'c x\"$X\"'$X'\\$X \"\"z''"), "echo", "abc", "xex$X$X",
	            "z", NULL);
}

Test(sh_parse, empty_quotes_make_empty_arguments)
{
	const struct command *c = only_cmd("printf \"\" '' x");
	assert_argv(c, "printf", "", "", "x", NULL);
}

Test(sh_parse, hash_starts_comment_only_at_start_of_word)
{
	assert_argv(only_cmd("echo a #b c"), "echo", "a", NULL);
	assert_argv(only_cmd("echo a#b c#"), "echo", "a#b", "c#", NULL);
	assert_argv(only_cmd("echo '#a' \"#b\" \\#c"), "echo", "#a", "#b", "#c", NULL);
	assert_argv(only_cmd("echo a;# b ; c"), "echo", "a", NULL);
	assert_argv(only_cmd("echo $#"), "echo", NULL); /* $# unset in this table */
}

Test(sh_parse, many_words_and_long_words)
{
	char line[16384], *p = line;
	for (int i = 0; i < 1000; i++)
		p += sprintf(p, "w%d ", i);
	memset(p, 'x', 3000);
	p[3000] = '\0';
	const struct command *c = only_cmd(line);
	cr_assert_eq(c->argc, 1001);
	cr_assert_str_eq(c->argv[0], "w0");
	cr_assert_str_eq(c->argv[999], "w999");
	cr_assert_eq(strlen(c->argv[1000]), 3000);
	cr_assert_null(c->argv[1001]);
}

/* --- expansion ------------------------------------------------------------- */

Test(sh_parse, unquoted_variables_expand)
{
	assert_argv(only_cmd("echo $X ${X}s pre$X $HOME/bin $X.$X"), "echo", "ex", "exs", "preex",
	            "/home/mica/bin", "ex.ex", NULL);
}

Test(sh_parse, name_is_longest_identifier)
{
	/* $Xs is the (unset) variable Xs, not $X followed by s */
	assert_argv(only_cmd("echo $Xs- $X_1 ${X}_1"), "echo", "-", "ex_1", NULL);
}

Test(sh_parse, unquoted_expansion_is_not_resplit_or_reparsed)
{
	const struct command *c = only_cmd("echo $SP $OPS $Q");
	assert_argv(c, "echo", "a b", "x | y; z > f", "\"'\\", NULL);
	cr_assert_eq(c->nredirs, 0);
}

Test(sh_parse, unset_variable_expands_to_nothing)
{
	assert_argv(only_cmd("echo a$NOPE b ${NOPE}c $NOPE $EMPTY d"), "echo", "a", "b", "c", "d",
	            NULL);
}

Test(sh_parse, quoted_unset_variable_is_an_empty_argument)
{
	assert_argv(only_cmd("echo \"$NOPE\" \"${EMPTY}\" x"), "echo", "", "", "x", NULL);
}

Test(sh_parse, words_expanding_to_nothing_leave_empty_command)
{
	const struct command *c = only_cmd("$NOPE $EMPTY");
	cr_assert_eq(c->argc, 0);
	cr_assert_not_null(c->argv);
	cr_assert_null(c->argv[0]);
}

Test(sh_parse, status_comes_from_lookup)
{
	const struct var st[] = {{"?", "127"}, {NULL, NULL}};
	parse_with("echo $? \"$?\" ${?} x$?y", lookup, (void *)st);
	assert_argv(cmd(0, 0), "echo", "127", "127", "127", "x127y", NULL);
	const struct var ok[] = {{"?", "0"}, {NULL, NULL}};
	parse_with("echo $?", lookup, (void *)ok);
	assert_argv(cmd(0, 0), "echo", "0", NULL);
}

struct record {
	char names[16][8];
	int n;
};

static const char *record_lookup(void *ctx, const char *name)
{
	struct record *r = ctx;
	if (r->n < 16)
		snprintf(r->names[r->n++], sizeof(r->names[0]), "%s", name);
	return "v";
}

Test(sh_parse, lookup_is_asked_by_exact_name)
{
	struct record r = {.n = 0};
	parse_with("echo $$ $! $# $0 $9 $12 ${10} ${_a1} $HOME", record_lookup, &r);
	const char *want[] = {"$", "!", "#", "0", "9", "1", "10", "_a1", "HOME"};
	cr_assert_eq(r.n, 9);
	for (int i = 0; i < 9; i++)
		cr_assert_str_eq(r.names[i], want[i], "lookup %d asked \"%s\"", i, r.names[i]);
	/* $12 is $1 then a literal 2 */
	assert_argv(cmd(0, 0), "echo", "v", "v", "v", "v", "v", "v2", "v", "v", "v", NULL);
}

Test(sh_parse, dollar_without_name_is_literal)
{
	assert_argv(only_cmd("echo $ a$ \"$\" $/ $- \"a$\" $%"), "echo", "$", "a$", "$", "$/", "$-",
	            "a$", "$%", NULL);
}

Test(sh_parse, single_quotes_block_expansion)
{
	assert_argv(only_cmd("echo '$X' '${X}' '$?'"), "echo", "$X", "${X}", "$?", NULL);
}

Test(sh_parse, null_lookup_means_everything_unset)
{
	parse_with("echo $X \"$X\" ${HOME}a $?", NULL, NULL);
	assert_argv(cmd(0, 0), "echo", "", "a", NULL);
}

/* --- assignments ----------------------------------------------------------- */

Test(sh_parse, assignments_before_command_name)
{
	const struct command *c = only_cmd("A=1 B=\"x y\" _c9= cmd D=2 arg");
	cr_assert_eq(c->nassigns, 3);
	cr_assert_str_eq(c->assigns[0], "A=1");
	cr_assert_str_eq(c->assigns[1], "B=x y");
	cr_assert_str_eq(c->assigns[2], "_c9=");
	assert_argv(c, "cmd", "D=2", "arg", NULL);
}

Test(sh_parse, assignment_only_command)
{
	const struct command *c = only_cmd("A=1 B=$X");
	cr_assert_eq(c->argc, 0);
	cr_assert_null(c->argv[0]);
	cr_assert_eq(c->nassigns, 2);
	cr_assert_str_eq(c->assigns[1], "B=ex");
}

Test(sh_parse, assignment_value_is_expanded_and_unquoted)
{
	const struct command *c = only_cmd("P=$HOME/bin:'$X':\"$X\" Q==a=b env");
	cr_assert_eq(c->nassigns, 2);
	cr_assert_str_eq(c->assigns[0], "P=/home/mica/bin:$X:ex");
	cr_assert_str_eq(c->assigns[1], "Q==a=b");
	assert_argv(c, "env", NULL);
}

Test(sh_parse, words_that_are_not_assignments)
{
	const char *lines[] = {"\"A\"=1", "'A=1'", "1A=2", "=x", "A\\=b", "$X=1", "A-B=1", "\\A=1"};
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		const struct command *c = only_cmd(lines[i]);
		cr_assert_eq(c->nassigns, 0, "[%s] taken as an assignment", lines[i]);
		cr_assert_eq(c->argc, 1, "[%s]", lines[i]);
	}
	assert_argv(only_cmd("A\\=b"), "A=b", NULL);
}

/* --- pipelines and lists --------------------------------------------------- */

Test(sh_parse, pipelines_of_1_to_10_commands)
{
	for (int n = 1; n <= 10; n++) {
		char line[256] = "", w[32];
		for (int i = 0; i < n; i++) {
			snprintf(w, sizeof(w), "%sc%d a%d", i ? " | " : "", i, i);
			strcat(line, w);
		}
		parse_ok(line);
		cr_assert_eq(L.n, 1);
		cr_assert_eq(L.items[0].ncmds, n, "[%s]: %d commands", line, L.items[0].ncmds);
		for (int i = 0; i < n; i++) {
			char c[16], a[16];
			snprintf(c, sizeof(c), "c%d", i);
			snprintf(a, sizeof(a), "a%d", i);
			assert_argv(cmd(0, i), c, a, NULL);
		}
	}
}

Test(sh_parse, pipe_needs_no_blanks)
{
	parse_ok("a|b|c");
	cr_assert_eq(L.items[0].ncmds, 3);
	assert_argv(cmd(0, 0), "a", NULL);
	assert_argv(cmd(0, 2), "c", NULL);
}

Test(sh_parse, semicolons_separate_items)
{
	parse_ok("a 1; b ;c;");
	cr_assert_eq(L.n, 3);
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(L.ops[i], OP_SEQ);
		cr_assert_not(L.items[i].background);
	}
	assert_argv(cmd(0, 0), "a", "1", NULL);
	assert_argv(cmd(2, 0), "c", NULL);
}

Test(sh_parse, and_or_operators)
{
	parse_ok("a && b || c ; d&&e||f");
	cr_assert_eq(L.n, 6);
	enum list_op want[] = {OP_AND, OP_OR, OP_SEQ, OP_AND, OP_OR, OP_SEQ};
	for (int i = 0; i < 6; i++)
		cr_assert_eq(L.ops[i], want[i], "ops[%d] = %d, expected %d", i, L.ops[i], want[i]);
	assert_argv(cmd(4, 0), "e", NULL);
}

Test(sh_parse, ampersand_backgrounds_previous_pipeline)
{
	parse_ok("a & b");
	cr_assert_eq(L.n, 2);
	cr_assert(L.items[0].background);
	cr_assert_eq(L.ops[0], OP_SEQ);
	cr_assert_not(L.items[1].background);
	parse_ok("sleep 1 &");
	cr_assert_eq(L.n, 1);
	cr_assert(L.items[0].background);
	assert_argv(cmd(0, 0), "sleep", "1", NULL);
	parse_ok("a|b&c&");
	cr_assert_eq(L.n, 2);
	cr_assert_eq(L.items[0].ncmds, 2);
	cr_assert(L.items[0].background);
	cr_assert(L.items[1].background);
}

Test(sh_parse, mixed_list)
{
	parse_ok("a | b && c || d | e ; f & g && h &");
	cr_assert_eq(L.n, 6);
	int ncmds[] = {2, 1, 2, 1, 1, 1};
	enum list_op ops[] = {OP_AND, OP_OR, OP_SEQ, OP_SEQ, OP_AND, OP_SEQ};
	bool bg[] = {false, false, false, true, false, true};
	for (int i = 0; i < 6; i++) {
		cr_assert_eq(L.items[i].ncmds, ncmds[i], "item %d", i);
		cr_assert_eq(L.ops[i], ops[i], "item %d", i);
		cr_assert_eq(L.items[i].background, bg[i], "item %d", i);
	}
	assert_argv(cmd(2, 1), "e", NULL);
	assert_argv(cmd(5, 0), "h", NULL);
}

/* --- redirections ---------------------------------------------------------- */

Test(sh_parse, basic_redirections)
{
	const struct command *c = only_cmd("sort < in > out");
	assert_argv(c, "sort", NULL);
	cr_assert_eq(c->nredirs, 2);
	assert_redir(c, 0, 0, REDIR_IN, "in");
	assert_redir(c, 1, 1, REDIR_OUT, "out");
	c = only_cmd("echo x >> log");
	assert_argv(c, "echo", "x", NULL);
	assert_redir(c, 0, 1, REDIR_APPEND, "log");
}

Test(sh_parse, redirections_need_no_blanks)
{
	const struct command *c = only_cmd("echo hi>f x<in y>>g");
	assert_argv(c, "echo", "hi", "x", "y", NULL);
	assert_redir(c, 0, 1, REDIR_OUT, "f");
	assert_redir(c, 1, 0, REDIR_IN, "in");
	assert_redir(c, 2, 1, REDIR_APPEND, "g");
}

Test(sh_parse, fd_prefixed_redirections)
{
	const struct command *c = only_cmd("cmd 2> err 2>>err2 0< in 3>f 12<g");
	assert_argv(c, "cmd", NULL);
	cr_assert_eq(c->nredirs, 5);
	assert_redir(c, 0, 2, REDIR_OUT, "err");
	assert_redir(c, 1, 2, REDIR_APPEND, "err2");
	assert_redir(c, 2, 0, REDIR_IN, "in");
	assert_redir(c, 3, 3, REDIR_OUT, "f");
	assert_redir(c, 4, 12, REDIR_IN, "g");
}

Test(sh_parse, fd_prefix_only_when_digits_attached_to_operator)
{
	const struct command *c = only_cmd("echo 2 > f");
	assert_argv(c, "echo", "2", NULL);
	assert_redir(c, 0, 1, REDIR_OUT, "f");
	c = only_cmd("echo a2>f");
	assert_argv(c, "echo", "a2", NULL);
	assert_redir(c, 0, 1, REDIR_OUT, "f");
	c = only_cmd("echo \"2\">f '3'<g \\4>h");
	assert_argv(c, "echo", "2", "3", "4", NULL);
	assert_redir(c, 0, 1, REDIR_OUT, "f");
	assert_redir(c, 1, 0, REDIR_IN, "g");
	assert_redir(c, 2, 1, REDIR_OUT, "h");
}

Test(sh_parse, redirection_anywhere_among_words)
{
	const struct command *c = only_cmd("> out echo a 2>>e b <in c");
	assert_argv(c, "echo", "a", "b", "c", NULL);
	assert_redir(c, 0, 1, REDIR_OUT, "out");
	assert_redir(c, 1, 2, REDIR_APPEND, "e");
	assert_redir(c, 2, 0, REDIR_IN, "in");
	c = only_cmd("A=1 >f B=2 cmd");
	cr_assert_eq(c->nassigns, 2);
	assert_argv(c, "cmd", NULL);
	assert_redir(c, 0, 1, REDIR_OUT, "f");
}

Test(sh_parse, redirection_target_is_expanded_and_unquoted)
{
	const struct command *c = only_cmd("cat >\"$HOME/my file\" <'$X' 2>$X.log >>\"\"");
	assert_redir(c, 0, 1, REDIR_OUT, "/home/mica/my file");
	assert_redir(c, 1, 0, REDIR_IN, "$X");
	assert_redir(c, 2, 2, REDIR_OUT, "ex.log");
	assert_redir(c, 3, 1, REDIR_APPEND, "");
}

Test(sh_parse, redirection_only_command)
{
	const struct command *c = only_cmd("> f");
	cr_assert_eq(c->argc, 0);
	cr_assert_null(c->argv[0]);
	assert_redir(c, 0, 1, REDIR_OUT, "f");
}

Test(sh_parse, dup_redirections)
{
	const struct command *c = only_cmd("cmd 2>&1 >&2 <&0 3<&4 5>& 6");
	cr_assert_eq(c->nredirs, 5);
	int fd[] = {2, 1, 0, 3, 5}, target[] = {1, 2, 0, 4, 6};
	for (int i = 0; i < 5; i++) {
		cr_assert_eq(c->redirs[i].kind, REDIR_DUP, "redir %d", i);
		cr_assert_eq(c->redirs[i].fd, fd[i], "redir %d", i);
		cr_assert_eq(c->redirs[i].target_fd, target[i], "redir %d", i);
	}
	cr_assert_str_eq(c->redirs[0].path, "1");
	assert_argv(c, "cmd", NULL);
}

Test(sh_parse, redirections_in_pipelines_keep_order)
{
	parse_ok("a < in | b 2> err >&2 | c >> out 2>&1");
	cr_assert_eq(L.items[0].ncmds, 3);
	assert_redir(cmd(0, 0), 0, 0, REDIR_IN, "in");
	assert_redir(cmd(0, 1), 0, 2, REDIR_OUT, "err");
	cr_assert_eq(cmd(0, 1)->redirs[1].kind, REDIR_DUP);
	cr_assert_eq(cmd(0, 1)->redirs[1].fd, 1);
	assert_redir(cmd(0, 2), 0, 1, REDIR_APPEND, "out");
	cr_assert_eq(cmd(0, 2)->redirs[1].target_fd, 1);
}

Test(sh_parse, largest_fd_accepted)
{
	char line[64];
	snprintf(line, sizeof(line), "a %d>f >&%d", SH_FD_MAX, SH_FD_MAX);
	const struct command *c = only_cmd(line);
	cr_assert_eq(c->redirs[0].fd, SH_FD_MAX);
	cr_assert_eq(c->redirs[1].target_fd, SH_FD_MAX);
}

/* --- syntax errors --------------------------------------------------------- */

Test(sh_parse, pipe_with_missing_side)
{
	expect_err("| a", "syntax error near unexpected token `|'");
	expect_err("a |", "syntax error near unexpected token `newline'");
	expect_err("a | | b", "syntax error near unexpected token `|'");
	expect_err("a | ; b", "syntax error near unexpected token `;'");
	expect_err("a | & b", "syntax error near unexpected token `&'");
	expect_err("a | # b", "syntax error near unexpected token `newline'");
}

Test(sh_parse, and_or_with_missing_side)
{
	expect_err("&& a", "syntax error near unexpected token `&&'");
	expect_err("|| a", "syntax error near unexpected token `||'");
	expect_err("a &&", "syntax error near unexpected token `newline'");
	expect_err("a ||   ", "syntax error near unexpected token `newline'");
	expect_err("a && || b", "syntax error near unexpected token `||'");
	expect_err("a && ; b", "syntax error near unexpected token `;'");
	expect_err("a ; && b", "syntax error near unexpected token `&&'");
	expect_err("a & || b", "syntax error near unexpected token `||'");
}

Test(sh_parse, leading_or_doubled_separator)
{
	expect_err(";", "syntax error near unexpected token `;'");
	expect_err("; a", "syntax error near unexpected token `;'");
	expect_err("&", "syntax error near unexpected token `&'");
	expect_err("  & a", "syntax error near unexpected token `&'");
	expect_err("a ; ; b", "syntax error near unexpected token `;'");
	expect_err("a;;", "syntax error near unexpected token `;'");
	expect_err("a & ; b", "syntax error near unexpected token `;'");
	expect_err("a & & b", "syntax error near unexpected token `&'");
	expect_err("a &&& b", "syntax error near unexpected token `&'");
	expect_err("a ||| b", "syntax error near unexpected token `|'");
}

Test(sh_parse, redirection_without_file_name)
{
	expect_err("a >", "syntax error near unexpected token `newline'");
	expect_err("a <", "syntax error near unexpected token `newline'");
	expect_err("a >>", "syntax error near unexpected token `newline'");
	expect_err("a 2>", "syntax error near unexpected token `newline'");
	expect_err("a >&", "syntax error near unexpected token `newline'");
	expect_err("a > | b", "syntax error near unexpected token `|'");
	expect_err("a > ; b", "syntax error near unexpected token `;'");
	expect_err("a > > f", "syntax error near unexpected token `>'");
	expect_err("a << f", "syntax error near unexpected token `<'");
	expect_err("a > 2>> f", "syntax error near unexpected token `2>>'");
	expect_err("a >>& f", "syntax error near unexpected token `&'");
	expect_err("a > #f", "syntax error near unexpected token `newline'");
}

Test(sh_parse, unterminated_quotes)
{
	expect_err("echo 'abc", "unterminated quote");
	expect_err("echo \"abc", "unterminated quote");
	expect_err("echo \"a'b", "unterminated quote");
	expect_err("echo 'a\"b", "unterminated quote");
	expect_err("echo \"abc\\\"", "unterminated quote");
	expect_err("echo a'", "unterminated quote");
	expect_err("echo > \"f", "unterminated quote");
}

Test(sh_parse, bad_substitution)
{
	expect_err("echo ${X", "bad substitution");
	expect_err("echo \"${X\"", "bad substitution");
	expect_err("echo ${}", "bad substitution");
	expect_err("echo ${a-b}", "bad substitution");
	expect_err("echo ${1a}", "bad substitution");
	expect_err("echo ${X Y}", "bad substitution");
}

Test(sh_parse, redirection_to_nothing_is_ambiguous)
{
	expect_err("echo > $NOPE", "$NOPE: ambiguous redirect");
	expect_err("cat <${EMPTY}", "${EMPTY}: ambiguous redirect");
}

Test(sh_parse, bad_fd_numbers)
{
	expect_err("a >&x", "syntax error: bad fd number `x'");
	expect_err("a 2>&1x", "syntax error: bad fd number `1x'");
	expect_err("a >&\"\"", "syntax error: bad fd number `'");
	expect_err("a 99999999999999999999>f", "file descriptor out of range");
	char line[64];
	snprintf(line, sizeof(line), "a %d>f", SH_FD_MAX + 1);
	expect_err(line, "file descriptor out of range");
	snprintf(line, sizeof(line), "a >&%d", SH_FD_MAX + 1);
	expect_err(line, "file descriptor out of range");
}

Test(sh_parse, first_error_in_line_is_reported)
{
	expect_err("| 'abc", "syntax error near unexpected token `|'");
	expect_err("a ; 'b", "unterminated quote");
	expect_err("a > ${ | b", "bad substitution");
}

Test(sh_parse, error_message_is_truncated_and_err_may_be_null)
{
	char small[10];
	int rc = sh_parse("| a", lookup, (void *)vars, &L, small, sizeof(small));
	cr_assert_eq(rc, -1);
	cr_assert_str_eq(small, "syntax er");
	cr_assert_eq(sh_parse("a >", NULL, NULL, &L, NULL, 0), -1);
	cr_assert_eq(L.n, 0);
	cr_assert_eq(sh_parse("a b", NULL, NULL, &L, NULL, 0), 0);
	cr_assert_eq(L.n, 1);
}

Test(sh_parse, error_after_complete_items_frees_them)
{
	/* Two full items are built before the error; the list must come back empty */
	expect_err("a 1 | b > f && c 2>&1; d |", "syntax error near unexpected token `newline'");
	expect_err("A=1 x <in \"q\" | y; z 'w", "unterminated quote");
}

Test(sh_parse, success_clears_old_message_and_free_is_idempotent)
{
	strcpy(err, "stale");
	cr_assert_eq(sh_parse("a", NULL, NULL, &L, err, sizeof(err)), 0);
	cr_assert_str_empty(err);
	sh_free(&L);
	cr_assert_eq(L.n, 0);
	cr_assert_null(L.items);
	sh_free(&L);
}

/* --- random lines ---------------------------------------------------------- */

static uint64_t rng = 0x6d6963612d7368ULL;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

static void random_line(char *line, size_t max, const char *alphabet)
{
	size_t n = rnd() % max, na = strlen(alphabet);
	for (size_t i = 0; i < n; i++)
		line[i] = alphabet[rnd() % na];
	line[n] = '\0';
}

/* Everything a successful parse promises about the shape of the list. */
static void check_shape(const char *line)
{
	cr_assert_geq(L.n, 0);
	if (L.n > 0)
		cr_assert_eq(L.ops[L.n - 1], OP_SEQ, "[%s]", line);
	for (int i = 0; i < L.n; i++) {
		cr_assert_geq(L.items[i].ncmds, 1, "[%s]", line);
		cr_assert(L.ops[i] == OP_SEQ || L.ops[i] == OP_AND || L.ops[i] == OP_OR);
		cr_assert(!L.items[i].background || L.ops[i] == OP_SEQ, "[%s]", line);
		for (int j = 0; j < L.items[i].ncmds; j++) {
			const struct command *c = &L.items[i].cmds[j];
			cr_assert_not_null(c->argv);
			cr_assert_null(c->argv[c->argc], "[%s]", line);
			for (int k = 0; k < c->argc; k++)
				cr_assert_not_null(c->argv[k]);
			for (int k = 0; k < c->nassigns; k++)
				cr_assert_not_null(strchr(c->assigns[k], '='), "[%s]", line);
			for (int k = 0; k < c->nredirs; k++) {
				const struct redir *r = &c->redirs[k];
				cr_assert_not_null(r->path);
				cr_assert(r->fd >= 0 && r->fd <= SH_FD_MAX, "[%s]", line);
				cr_assert_eq(r->kind == REDIR_DUP, r->target_fd >= 0, "[%s]", line);
			}
		}
	}
}

Test(sh_parse, fuzz_random_lines_parse_or_fail_cleanly)
{
	char line[64];
	int ok = 0, bad = 0;
	for (int i = 0; i < 20000; i++) {
		random_line(line, sizeof(line), " \t|&;<>'\"\\${}?#=aX12_");
		err[0] = 'x';
		int rc = sh_parse(line, lookup, (void *)vars, &L, err, sizeof(err));
		cr_assert(rc == 0 || rc == -1, "[%s] returned %d", line, rc);
		if (rc == 0) {
			cr_assert_str_empty(err, "[%s]", line);
			check_shape(line);
			ok++;
		} else {
			cr_assert_neq(err[0], '\0', "[%s] failed without a message", line);
			cr_assert_eq(L.n, 0, "[%s]", line);
			bad++;
		}
		sh_free(&L);
	}
	cr_assert_gt(ok, 1000, "only %d parsed", ok);
	cr_assert_gt(bad, 1000, "only %d failed", bad);
}

Test(sh_parse, fuzz_plain_words_split_like_strtok)
{
	char line[80], copy[80];
	for (int i = 0; i < 3000; i++) {
		random_line(line, sizeof(line), "  \tab=Z9_.-");
		strcpy(copy, line);
		parse_ok(line);
		int k = 0;
		for (char *w = strtok(copy, " \t"); w; w = strtok(NULL, " \t"), k++) {
			const struct command *c = cmd(0, 0);
			cr_assert_lt(k, c->nassigns + c->argc, "[%s]", line);
			const char *got =
			    k < c->nassigns ? c->assigns[k] : c->argv[k - c->nassigns];
			cr_assert_str_eq(got, w, "[%s] word %d", line, k);
		}
		cr_assert_eq(L.n, k > 0, "[%s]", line);
		if (k)
			cr_assert_eq(cmd(0, 0)->nassigns + cmd(0, 0)->argc, k, "[%s]", line);
	}
}

/* Wraps s in double quotes, escaping what must be; returns the line. */
static void double_quote(char *out, const char *s)
{
	*out++ = '"';
	for (; *s; s++) {
		if (strchr("\"\\$`", *s))
			*out++ = '\\';
		*out++ = *s;
	}
	*out++ = '"';
	*out = '\0';
}

Test(sh_parse, fuzz_quoting_round_trips)
{
	char s[48], line[128];
	for (int i = 0; i < 3000; i++) {
		random_line(s, sizeof(s), " \t|&;<>\"\\$`{}?#=aX1");
		snprintf(line, sizeof(line), "'%s'", s);
		assert_argv(only_cmd(line), s, NULL);
		double_quote(line, s);
		assert_argv(only_cmd(line), s, NULL);
	}
}
