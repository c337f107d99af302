/* The shell's parser: the tree it builds for simple commands, pipelines,
 * lists and every compound command, here-documents, nested $( ), what it
 * says about incomplete text and syntax errors, and line numbers. */
#include <criterion/criterion.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../user/sh/parse.h"

static struct arena ar;
static char err[160];
static struct parse_in in;

static void teardown(void)
{
	ar_free(&ar);
}

TestSuite(sh_parse, .fini = teardown);

static enum parse_rc next(void)
{
	struct node *n;
	return sh_parse_next(&in, &ar, &n, err, sizeof(err));
}

/* Parses text's first command, which must succeed; returns its list. */
static struct node *parse(const char *text)
{
	struct node *n = NULL;
	in = (struct parse_in){.text = text, .line = 1};
	enum parse_rc rc = sh_parse_next(&in, &ar, &n, err, sizeof(err));
	cr_assert_eq(rc, P_OK, "[%s]: rc %d, %s", text, rc, err);
	cr_assert_not_null(n);
	cr_assert_eq(n->kind, N_LIST);
	return n;
}

static enum parse_rc parse_rc(const char *text)
{
	in = (struct parse_in){.text = text, .line = 1};
	return next();
}

static void expect_error(const char *text, const char *msg)
{
	cr_assert_eq(parse_rc(text), P_ERROR, "[%s] did not fail", text);
	cr_assert_str_eq(err, msg, "[%s]: %s", text, err);
}

/* The first command of the first pipeline of l. */
static struct node *first_cmd(struct node *l)
{
	cr_assert_eq(l->a->kind, N_PIPE);
	return l->a->a;
}

Test(sh_parse, words_stay_as_written)
{
	struct node *c = first_cmd(parse("echo 'a b' \"$x\" \\$y ${z:-w}\n"));
	cr_assert_eq(c->kind, N_SIMPLE);
	cr_assert_eq(c->nwords, 5);
	cr_assert_str_eq(c->words[1], "'a b'");
	cr_assert_str_eq(c->words[2], "\"$x\"");
	cr_assert_str_eq(c->words[3], "\\$y");
	cr_assert_str_eq(c->words[4], "${z:-w}");
}

Test(sh_parse, assignments_only_before_the_name)
{
	struct node *c = first_cmd(parse("A=1 B=\"x y\" cmd C=3"));
	cr_assert_eq(c->nassigns, 2);
	cr_assert_str_eq(c->assigns[1], "B=\"x y\"");
	cr_assert_eq(c->nwords, 2);
	cr_assert_str_eq(c->words[1], "C=3");
	c = first_cmd(parse("1A=x"));
	cr_assert_eq(c->nassigns, 0);
}

Test(sh_parse, redirections_with_descriptors)
{
	struct node *c = first_cmd(parse("cmd <in >out 2>>log 2>&1 3<>rw 4<&- >|f"));
	struct redir *r = c->redirs;
	int fds[] = {0, 1, 2, 2, 3, 4, 1};
	enum rkind kinds[] = {R_IN, R_OUT, R_APPEND, R_DUPOUT, R_RDWR, R_DUPIN, R_OUT};
	for (int i = 0; i < 7; i++, r = r->next) {
		cr_assert_not_null(r);
		cr_assert_eq(r->fd, fds[i], "redir %d", i);
		cr_assert_eq(r->kind, kinds[i], "redir %d", i);
	}
	cr_assert_null(r);
	cr_assert_str_eq(c->redirs->next->next->next->word, "1");
}

Test(sh_parse, pipelines_and_or_and_background)
{
	struct node *l = parse("! a | b && c || d & e; f");
	struct node *ao = l->a;
	cr_assert_eq(ao->kind, N_OR);
	cr_assert(ao->bg);
	cr_assert_eq(ao->a->kind, N_AND);
	struct node *p = ao->a->a;
	cr_assert(p->bang);
	cr_assert_not_null(p->a->next);
	cr_assert_str_eq(p->a->next->words[0], "b");
	cr_assert_eq(ao->next->kind, N_PIPE);
	cr_assert_not_null(ao->next->next);
}

Test(sh_parse, if_elif_else)
{
	struct node *c = first_cmd(parse("if a; then b; elif c; then d; else e; fi"));
	cr_assert_eq(c->kind, N_IF);
	cr_assert_eq(c->c->kind, N_IF);
	cr_assert_eq(c->c->c->kind, N_LIST);
}

Test(sh_parse, loops_over_several_lines)
{
	struct node *c = first_cmd(parse("while a\ndo\n  b\n  c\ndone"));
	cr_assert_eq(c->kind, N_WHILE);
	cr_assert_not_null(c->b->a->next);
	c = first_cmd(parse("until a; do b; done"));
	cr_assert_eq(c->kind, N_UNTIL);
}

Test(sh_parse, for_with_and_without_in)
{
	struct node *c = first_cmd(parse("for i in 1 \"2 3\" *; do echo $i; done"));
	cr_assert_eq(c->kind, N_FOR);
	cr_assert(c->has_in);
	cr_assert_str_eq(c->name, "i");
	cr_assert_eq(c->nwords, 3);
	c = first_cmd(parse("for i\ndo echo; done"));
	cr_assert_not(c->has_in);
	c = first_cmd(parse("for i in; do echo; done"));
	cr_assert_eq(c->nwords, 0);
}

Test(sh_parse, case_items_and_patterns)
{
	struct node *c = first_cmd(parse("case $x in\n a|b) echo 1;;\n (c*) ;;\n *) echo 3\nesac"));
	cr_assert_eq(c->kind, N_CASE);
	struct caseitem *ci = c->cases;
	cr_assert_eq(ci->npats, 2);
	cr_assert_str_eq(ci->pats[1], "b");
	cr_assert_null(ci->next->body);
	cr_assert_str_eq(ci->next->pats[0], "c*");
	cr_assert_not_null(ci->next->next->body);
	cr_assert_null(ci->next->next->next);
}

Test(sh_parse, functions_groups_and_subshells)
{
	struct node *c = first_cmd(parse("f() { echo a; } >out"));
	cr_assert_eq(c->kind, N_FUNC);
	cr_assert_str_eq(c->name, "f");
	cr_assert_eq(c->a->kind, N_GROUP);
	cr_assert_not_null(c->a->redirs);
	c = first_cmd(parse("(cd /; ls) | wc"));
	cr_assert_eq(c->kind, N_SUBSHELL);
}

Test(sh_parse, keywords_only_in_command_position)
{
	struct node *c = first_cmd(parse("echo if then fi"));
	cr_assert_eq(c->nwords, 4);
	c = first_cmd(parse("'if' x"));
	cr_assert_eq(c->kind, N_SIMPLE);
}

Test(sh_parse, heredoc_bodies_follow_the_line)
{
	struct node *c = first_cmd(parse("cat <<EOF; echo after\nline $x\nEOF\n"));
	cr_assert_eq(c->redirs->kind, R_HEREDOC);
	cr_assert_str_eq(c->redirs->body, "line $x\n");
	cr_assert_not(c->redirs->quoted);
	c = first_cmd(parse("cat <<'E' <<-\"F\"\n$a\nE\n\t\tb\n\tF\n"));
	cr_assert(c->redirs->quoted);
	cr_assert_str_eq(c->redirs->body, "$a\n");
	cr_assert_str_eq(c->redirs->next->body, "b\n");
	cr_assert(c->redirs->next->strip);
	cr_assert_eq(next(), P_EOF);
}

Test(sh_parse, nested_command_substitutions)
{
	const char *t = "echo $(echo $(echo ')') \"$(case x in x) echo y;; esac)\") `echo \\`b\\``";
	struct node *c = first_cmd(parse(t));
	cr_assert_eq(c->nwords, 3);
	cr_assert_str_eq(c->words[2], "`echo \\`b\\``");
	cr_assert_eq(sh_subst_end("$(a $(b) c) d"), 11);
	cr_assert_eq(sh_subst_end("$(a"), 0);
}

Test(sh_parse, arithmetic_and_braces_are_one_word)
{
	struct node *c = first_cmd(parse("echo $(( (1 + 2) * 3 )) ${x:-a b} x"));
	cr_assert_eq(c->nwords, 4);
	cr_assert_str_eq(c->words[1], "$(( (1 + 2) * 3 ))");
	cr_assert_str_eq(c->words[2], "${x:-a b}");
}

Test(sh_parse, one_command_at_a_time_with_line_numbers)
{
	in = (struct parse_in){.text = "a\n\n# c\nb; c\nif x\nthen y\nfi\n", .line = 1};
	struct node *n;
	cr_assert_eq(sh_parse_next(&in, &ar, &n, err, sizeof(err)), P_OK);
	cr_assert_eq(n->a->line, 1);
	cr_assert_eq(sh_parse_next(&in, &ar, &n, err, sizeof(err)), P_OK);
	cr_assert_eq(n->a->line, 4);
	cr_assert_eq(sh_parse_next(&in, &ar, &n, err, sizeof(err)), P_OK);
	cr_assert_eq(first_cmd(n)->kind, N_IF);
	cr_assert_eq(sh_parse_next(&in, &ar, &n, err, sizeof(err)), P_EOF);
}

Test(sh_parse, incomplete_text_asks_for_more)
{
	const char *texts[] = {"echo 'abc",    "echo \"a",  "if true; then",
	                       "f() (",        "(a;",       "f() {",
	                       "cat <<E\nx\n", "echo $(a",  "case x in a)",
	                       "for i in 1",   "echo \\\n", "while a; do b; done; (c",
	                       "a |",          "a &&\n",    "a ||\n\n",
	                       "a | b &&",     "f()\n",     "for i\n",
	                       "case x in\n",  "{ a\n",     "cat <<E\n"};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		cr_assert_eq(parse_rc(texts[i]), P_INCOMPLETE, "[%s] gave %s", texts[i], err);
}

Test(sh_parse, syntax_errors_name_the_token)
{
	expect_error("echo |;", "syntax error near unexpected token `;'");
	expect_error("fi", "syntax error near unexpected token `fi'");
	expect_error("if a; then fi", "syntax error near unexpected token `fi'");
	expect_error("a && ;", "syntax error near unexpected token `;'");
	expect_error("echo )", "syntax error near unexpected token `)'");
	expect_error("cat >", "syntax error near unexpected token `newline'");
	expect_error("for 1 in a; do b; done", "syntax error: bad for loop variable");
	expect_error("(a) b", "syntax error near unexpected token `b'");
	expect_error("a;;", "syntax error near unexpected token `;;'");
}

Test(sh_parse, error_line_is_reported)
{
	in = (struct parse_in){.text = "echo a\necho b\ndone\n", .line = 1};
	cr_assert_eq(next(), P_OK);
	cr_assert_eq(next(), P_OK);
	cr_assert_eq(next(), P_ERROR);
	cr_assert_eq(in.line, 3);
}

/* The history line of the whole of text, parsed as one command. */
static char *history_of(const char *text, char *marks)
{
	struct node *n;
	memset(marks, 0, strlen(text) + 1);
	in = (struct parse_in){.text = text, .line = 1, .marks = marks};
	cr_assert_eq(sh_parse_next(&in, &ar, &n, err, sizeof(err)), P_OK, "[%s]: %s", text, err);
	return sh_history_text(text, in.pos, marks);
}

Test(sh_parse, continuation_lines_join_into_one_history_line)
{
	static const char *const cases[][2] = {
	    {"for i in 1 2\ndo\n  echo $i\ndone\n", "for i in 1 2; do echo $i; done"},
	    {"a |\nb &&\nc ||\nd\n", "a | b && c || d"},
	    {"if true\nthen echo y\nelse\necho n\nfi\n", "if true; then echo y; else echo n; fi"},
	    {"case x in\nx) echo x;;\n*) echo other\nesac\n",
	     "case x in x) echo x;; *) echo other; esac"},
	    {"f()\n{\necho f\n}\n", "f() { echo f; }"},
	    {"echo a \\\nb\n", "echo a b"},
	    {"echo 'a\nb'\n", "echo 'a\nb'"},
	    {"cat <<E\nx\nE\n", "cat <<E\nx\nE"},
	    {"while read l # c\ndo :\ndone\n", "while read l # c\ndo :; done"},
	};
	char marks[128];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *h = history_of(cases[i][0], marks);
		cr_assert_str_eq(h, cases[i][1], "[%s]", cases[i][0]);
		free(h);
	}
}

static const char *test_alias(const char *name)
{
	static const char *const tab[][2] = {{"ll", "ls -l"},      {"ls", "ls -F"},
	                                     {"n", "nice "},       {"q", "quiet"},
	                                     {"loop", "for i in"}, {"self", "self x"}};
	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (!strcmp(name, tab[i][0]))
			return tab[i][1];
	return NULL;
}

/* The words of text's first simple command, joined by spaces. */
static void expect_words(const char *text, const char *want)
{
	char buf[160] = "";
	struct node *c = first_cmd(parse(text));
	cr_assert_eq(c->kind, N_SIMPLE, "[%s]", text);
	for (int i = 0; i < c->nwords; i++)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s", i ? " " : "",
		         c->words[i]);
	cr_assert_str_eq(buf, want, "[%s]", text);
}

Test(sh_parse, aliases_replace_the_command_name)
{
	sh_alias_lookup = test_alias;
	expect_words("ll /tmp\n", "ls -F -l /tmp"); /* ll -> ls -l, then ls -> ls -F */
	expect_words("self\n", "self x");           /* not recursive */
	expect_words("echo ll\n", "echo ll");       /* only the command name */
	expect_words("'ll'\n", "'ll'");             /* nor a quoted word */
	expect_words("n q ll\n", "nice quiet ll");  /* a value ending in a blank */
	expect_words("X=1 ll\n", "ls -F -l");
	struct node *l = parse("loop 1 2; do echo $i; done; ll\nnext\n");
	cr_assert_eq(l->a->a->kind, N_FOR);
	cr_assert_str_eq(first_cmd(l)->words[1], "2");
	cr_assert_str_eq(l->a->next->a->words[0], "ls");
	cr_assert_eq(next(), P_OK); /* the position is back in the original text */
	cr_assert_eq(next(), P_EOF);
	sh_alias_lookup = NULL;
}
