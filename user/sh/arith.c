/* Arithmetic expansion (XCU 2.6.4): C's integer operators on long, by
 * precedence climbing. Variables read as numbers (unset or empty is 0);
 * the branch not taken by && || ?: is parsed but has no effects. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expand.h"
#include "parse.h"

struct ar {
	const struct xenv *e;
	const char *expr, *p;
	bool skip; /* inside a branch not taken */
	bool failed;
};

static long assign_expr(struct ar *a);

static long fail(struct ar *a, const char *what)
{
	char msg[200];
	if (!a->failed && a->e->error) {
		snprintf(msg, sizeof(msg), "%s: %s", a->expr, what);
		a->e->error(a->e->u, msg);
	}
	a->failed = true;
	return 0;
}

static void blanks(struct ar *a)
{
	while (isspace((unsigned char)*a->p))
		a->p++;
}

/* Consumes op if it is next (and not the start of a longer operator). */
static bool eat(struct ar *a, const char *op)
{
	size_t n = strlen(op);
	blanks(a);
	if (strncmp(a->p, op, n))
		return false;
	a->p += n;
	return true;
}

static long number(struct ar *a, const char *s, const char **end)
{
	long v = strtol(s, (char **)end, 0);
	if (*end == s || isalnum((unsigned char)**end) || **end == '_')
		return fail(a, "invalid number");
	return v;
}

static long var_value(struct ar *a, const char *name)
{
	const char *v = a->e->get(a->e->u, name), *end;
	if (!v || !*v) {
		if (a->e->nounset && !v && !a->skip)
			return fail(a, "parameter not set");
		return 0;
	}
	while (isspace((unsigned char)*v))
		v++;
	long n = number(a, v, &end);
	while (isspace((unsigned char)*end))
		end++;
	return *end ? fail(a, "invalid number") : n;
}

/* l op r for the binary operators (L and R: << and >>; = == etc. below). */
static long apply(struct ar *a, char op, long l, long r)
{
	if ((op == '/' || op == '%') && r == 0)
		return a->skip ? 0 : fail(a, "division by zero");
	switch (op) {
	case '*':
		return l * r;
	case '/':
		return (l == -__LONG_MAX__ - 1 && r == -1) ? l : l / r;
	case '%':
		return (r == -1) ? 0 : l % r;
	case '+':
		return (long)((unsigned long)l + (unsigned long)r);
	case '-':
		return (long)((unsigned long)l - (unsigned long)r);
	case 'L':
		return (long)((unsigned long)l << (r & 63));
	case 'R':
		return l >> (r & 63);
	case '<':
		return l < r;
	case 'l':
		return l <= r;
	case '>':
		return l > r;
	case 'g':
		return l >= r;
	case '=':
		return l == r;
	case '!':
		return l != r;
	case '&':
		return l & r;
	case '^':
		return l ^ r;
	case '|':
		return l | r;
	default:
		return 0;
	}
}

/* name [op= expr]: a variable, perhaps assigned. */
static long variable(struct ar *a)
{
	static const char *const ops[] = {
	    "<<=", ">>=", "*=", "/=", "%=", "+=", "-=", "&=", "^=", "|=", "="};
	char name[64];
	size_t n = 0;
	while (n < 63 && (isalnum((unsigned char)a->p[n]) || a->p[n] == '_'))
		n++;
	snprintf(name, sizeof(name), "%.*s", (int)n, a->p);
	a->p += n;
	blanks(a);
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		size_t k = strlen(ops[i]);
		if (strncmp(a->p, ops[i], k) || (k == 1 && a->p[1] == '='))
			continue;
		a->p += k;
		long old = k > 1 ? var_value(a, name) : 0, rhs = assign_expr(a), v = rhs;
		char op = ops[i][0], num[24];
		if (k > 1)
			v = apply(a, op == '<' ? 'L' : op == '>' ? 'R' : op, old, rhs);
		snprintf(num, sizeof(num), "%ld", v);
		if (!a->skip && !a->failed && a->e->set(a->e->u, name, num))
			return fail(a, "cannot assign");
		return v;
	}
	return var_value(a, name);
}

static long unary(struct ar *a)
{
	blanks(a);
	if (eat(a, "(")) {
		long v = assign_expr(a);
		return eat(a, ")") ? v : fail(a, "missing `)'");
	}
	if (eat(a, "!"))
		return !unary(a);
	if (eat(a, "~"))
		return ~unary(a);
	if (eat(a, "-"))
		return -unary(a);
	if (eat(a, "+"))
		return unary(a);
	if (isdigit((unsigned char)*a->p)) {
		const char *end;
		long v = number(a, a->p, &end);
		a->p = end;
		return v;
	}
	if (isalpha((unsigned char)*a->p) || *a->p == '_')
		return variable(a);
	return fail(a, *a->p ? "syntax error in expression" : "missing operand");
}

/* The binary operators, longest spelling first, with their precedence;
 * assignment forms (+= <<= ...) are not binary and end the climb. */
static const struct binop {
	const char *s;
	char op;
	int prec;
} binops[] = {
    {"||", 'o', 1}, {"&&", 'a', 2}, {"==", '=', 6}, {"!=", '!', 6}, {"<=", 'l', 7}, {">=", 'g', 7},
    {"<<", 'L', 8}, {">>", 'R', 8}, {"|", '|', 3},  {"^", '^', 4},  {"&", '&', 5},  {"<", '<', 7},
    {">", '>', 7},  {"+", '+', 9},  {"-", '-', 9},  {"*", '*', 10}, {"/", '/', 10}, {"%", '%', 10},
};

static const struct binop *next_binop(struct ar *a)
{
	blanks(a);
	for (size_t i = 0; i < sizeof(binops) / sizeof(binops[0]); i++) {
		size_t n = strlen(binops[i].s);
		if (strncmp(a->p, binops[i].s, n))
			continue;
		if (a->p[n] == '=' && binops[i].prec >= 3 && binops[i].op != '<' &&
		    binops[i].op != '>')
			return NULL; /* an assignment operator */
		if (a->p[n] == '=' && (binops[i].op == '<' || binops[i].op == '>'))
			continue; /* <= >= come first; this is <<= or >>= territory */
		return &binops[i];
	}
	return NULL;
}

/* Left-associative operators of precedence min and above. */
static long binary(struct ar *a, int min)
{
	long l = unary(a);
	const struct binop *b;
	while (!a->failed && (b = next_binop(a)) && b->prec >= min) {
		a->p += strlen(b->s);
		bool was = a->skip;
		if ((b->op == 'a' && !l) || (b->op == 'o' && l))
			a->skip = true;
		long r = binary(a, b->prec + 1);
		a->skip = was;
		if (b->op == 'a')
			l = l && r;
		else if (b->op == 'o')
			l = l || r;
		else
			l = apply(a, b->op, l, r);
	}
	return l;
}

/* c ? x : y, right-associative, only the chosen branch has effects. */
static long assign_expr(struct ar *a)
{
	long c = binary(a, 1);
	if (a->failed || !eat(a, "?"))
		return c;
	bool was = a->skip;
	a->skip = was || !c;
	long x = assign_expr(a);
	a->skip = was;
	if (!eat(a, ":"))
		return fail(a, "`:' expected");
	a->skip = was || c;
	long y = assign_expr(a);
	a->skip = was;
	return c ? x : y;
}

int sh_arith(const struct xenv *e, const char *expr, long *result)
{
	struct ar a = {.e = e, .expr = expr, .p = expr};
	blanks(&a);
	if (!*a.p) {
		*result = 0;
		return 0;
	}
	*result = assign_expr(&a);
	blanks(&a);
	if (!a.failed && *a.p)
		fail(&a, "syntax error in expression");
	return a.failed ? -1 : 0;
}
