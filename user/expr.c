/* expr EXPRESSION: evaluates the POSIX expr grammar (| & = != < <= > >=
 * + - * / % and the ':' match against a basic regular expression) plus
 * GNU's match, substr, index, length and '+ TOKEN'. Prints the value;
 * status 0 if it is neither null nor 0, 1 if it is, 2 if the expression
 * is invalid, 3 on another error. */
#include <errno.h>
#include <inttypes.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct val {
	char *s;    /* the string, always set */
	intmax_t i; /* the number, if is_int */
	int is_int;
};

static char **tok;
static int ntok, pos;

static void die(int status, const char *fmt, const char *arg)
{
	fprintf(stderr, "expr: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(status);
}

static struct val from_str(const char *s)
{
	struct val v = {strdup(s), 0, 0};
	const char *p = s + (*s == '-');
	if (*p && strspn(p, "0123456789") == strlen(p)) {
		errno = 0;
		v.i = strtoimax(s, NULL, 10);
		v.is_int = errno == 0;
	}
	return v;
}

static struct val from_int(intmax_t i)
{
	char b[32];
	snprintf(b, sizeof(b), "%jd", i);
	return from_str(b);
}

static int is_null(const struct val *v)
{
	return !*v->s || (v->is_int && v->i == 0);
}

static intmax_t need_int(const struct val *v)
{
	if (!v->is_int)
		die(2, "%s", "non-integer argument");
	return v->i;
}

static int at(const char *op)
{
	return pos < ntok && !strcmp(tok[pos], op);
}

static const char *take(void)
{
	if (pos >= ntok)
		die(2, "syntax error: missing argument after '%s'", tok[pos - 1]);
	return tok[pos++];
}

/* STRING : REGEX, anchored at the start; \( \) give the match's text. */
static struct val match(const struct val *s, const char *re)
{
	regex_t r;
	regmatch_t m[2];
	char *anchored = malloc(strlen(re) + 2);
	sprintf(anchored, "^%s", re);
	int rc = regcomp(&r, anchored, 0);
	free(anchored);
	if (rc) {
		char msg[128];
		regerror(rc, &r, msg, sizeof(msg));
		die(2, "%s", msg);
	}
	int groups = r.re_nsub > 0;
	if (regexec(&r, s->s, 2, m, 0)) {
		regfree(&r);
		return groups ? from_str("") : from_int(0);
	}
	regfree(&r);
	if (!groups)
		return from_int(m[0].rm_eo - m[0].rm_so);
	if (m[1].rm_so < 0)
		return from_str("");
	char *t = strndup(s->s + m[1].rm_so, (size_t)(m[1].rm_eo - m[1].rm_so));
	struct val v = from_str(t);
	free(t);
	return v;
}

static struct val expr_or(void);

static struct val primary(void)
{
	if (pos >= ntok)
		die(2, "syntax error: missing argument after '%s'", pos ? tok[pos - 1] : "expr");
	if (at("(")) {
		pos++;
		struct val v = expr_or();
		if (!at(")"))
			die(2,
			    pos < ntok ? "syntax error: expecting ')' instead of '%s'"
			               : "syntax error: expecting ')' after '%s'",
			    pos < ntok ? tok[pos] : tok[pos - 1]);
		pos++;
		return v;
	}
	if (at("+")) {
		pos++;
		return from_str(take());
	}
	if (at("length") && pos + 1 < ntok) {
		pos++;
		struct val s = primary();
		return from_int((intmax_t)strlen(s.s));
	}
	if (at("match") && pos + 2 < ntok) {
		pos++;
		struct val s = primary(), r = primary();
		return match(&s, r.s);
	}
	if (at("index") && pos + 2 < ntok) {
		pos++;
		struct val s = primary(), c = primary();
		size_t i = strcspn(s.s, c.s);
		return from_int(s.s[i] ? (intmax_t)i + 1 : 0);
	}
	if (at("substr") && pos + 3 < ntok) {
		pos++;
		struct val s = primary(), p = primary(), l = primary();
		intmax_t len = (intmax_t)strlen(s.s), start = need_int(&p), n = need_int(&l);
		if (start < 1 || start > len || n < 1)
			return from_str("");
		char *t = strndup(s.s + start - 1, (size_t)n);
		struct val v = from_str(t);
		free(t);
		return v;
	}
	if (at(")") || at("|") || at("&"))
		die(2, "syntax error: unexpected argument '%s'", tok[pos]);
	return from_str(tok[pos++]);
}

static struct val expr_match(void)
{
	struct val v = primary();
	while (at(":")) {
		pos++;
		struct val r = primary();
		v = match(&v, r.s);
	}
	return v;
}

static struct val expr_mul(void)
{
	struct val v = expr_match();
	while (at("*") || at("/") || at("%")) {
		char op = *tok[pos++];
		struct val w = expr_match();
		intmax_t a = need_int(&v), b = need_int(&w);
		if (op != '*' && b == 0)
			die(2, "%s", "division by zero");
		v = from_int(op == '*' ? a * b : op == '/' ? a / b : a % b);
	}
	return v;
}

static struct val expr_add(void)
{
	struct val v = expr_mul();
	while (at("+") || at("-")) {
		char op = *tok[pos++];
		struct val w = expr_mul();
		intmax_t a = need_int(&v), b = need_int(&w);
		v = from_int(op == '+' ? a + b : a - b);
	}
	return v;
}

static struct val expr_cmp(void)
{
	static const char *ops[] = {"=", "==", "!=", "<", "<=", ">", ">=", NULL};
	struct val v = expr_add();
	for (;;) {
		int k = 0;
		while (ops[k] && !at(ops[k]))
			k++;
		if (!ops[k])
			return v;
		pos++;
		struct val w = expr_add();
		int c = v.is_int && w.is_int ? (v.i > w.i) - (v.i < w.i) : strcmp(v.s, w.s);
		int r = k <= 1   ? c == 0
		        : k == 2 ? c != 0
		        : k == 3 ? c < 0
		        : k == 4 ? c <= 0
		        : k == 5 ? c > 0
		                 : c >= 0;
		v = from_int(r);
	}
}

static struct val expr_and(void)
{
	struct val v = expr_cmp();
	while (at("&")) {
		pos++;
		struct val w = expr_cmp();
		if (is_null(&v) || is_null(&w))
			v = from_int(0);
	}
	return v;
}

static struct val expr_or(void)
{
	struct val v = expr_and();
	while (at("|")) {
		pos++;
		struct val w = expr_and();
		if (is_null(&v))
			v = is_null(&w) ? from_int(0) : w;
	}
	return v;
}

int main(int argc, char **argv)
{
	tok = argv + 1, ntok = argc - 1;
	if (ntok && !strcmp(tok[0], "--"))
		tok++, ntok--;
	if (ntok == 1 && !strcmp(tok[0], "--help")) {
		puts("Usage: expr EXPRESSION\nPrint the value of EXPRESSION to standard output.");
		return 0;
	}
	if (!ntok) {
		fprintf(stderr, "expr: missing operand\nTry 'expr --help' for more information.\n");
		return 2;
	}
	struct val v = expr_or();
	if (pos < ntok)
		die(2, "syntax error: unexpected argument '%s'", tok[pos]);
	puts(v.s);
	return is_null(&v);
}
