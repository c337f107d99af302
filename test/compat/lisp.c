/* lisp: a tiny Lisp read from stdin, in the style of small embedded
 * interpreters: cons cells from a fixed heap with mark-and-sweep garbage
 * collection, recursive eval (deep recursion needs a big stack), and
 * errors that longjmp back to the top level and carry on. */
#include <ctype.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { NUM, SYM, CONS, PRIM, LAMBDA };
typedef struct obj {
	int type, mark;
	long num;
	char *name;
	struct obj *car, *cdr, *env; /* CONS: car/cdr; LAMBDA: params/body, env */
	struct obj *(*prim)(struct obj *);
	struct obj *next_free;
} obj;

#define HEAP 60000
static obj heap[HEAP], *free_list, *nil, *tru, *symbols, *global;
static obj *roots[1 << 18];
static int nroots, collections;
static jmp_buf toplevel;

static void fail(const char *msg, const char *what)
{
	printf("error: %s%s%s\n", msg, what ? " " : "", what ? what : "");
	longjmp(toplevel, 1);
}

static void mark(obj *o)
{
	while (o && !o->mark) {
		o->mark = 1;
		if (o->type == CONS || o->type == LAMBDA) {
			mark(o->car);
			mark(o->env);
			o = o->cdr;
		} else {
			return;
		}
	}
}

static void gc(void)
{
	collections++;
	mark(symbols);
	mark(global);
	for (int i = 0; i < nroots; i++)
		mark(roots[i]);
	free_list = NULL;
	for (int i = HEAP - 1; i >= 0; i--) {
		if (heap[i].mark)
			heap[i].mark = 0;
		else {
			if (heap[i].type == SYM)
				free(heap[i].name);
			memset(&heap[i], 0, sizeof(obj));
			heap[i].type = -1;
			heap[i].next_free = free_list;
			free_list = &heap[i];
		}
	}
}

static obj *alloc(int type)
{
	if (!free_list)
		gc();
	if (!free_list)
		fail("out of memory", NULL);
	obj *o = free_list;
	free_list = o->next_free;
	memset(o, 0, sizeof(*o));
	o->type = type;
	return o;
}

#define PUSH(x) (roots[nroots++] = (x))
#define POP(n)  (nroots -= (n))

static obj *cons(obj *a, obj *d)
{
	PUSH(a), PUSH(d);
	obj *o = alloc(CONS);
	POP(2);
	o->car = a, o->cdr = d;
	return o;
}

static obj *num(long v)
{
	obj *o = alloc(NUM);
	o->num = v;
	return o;
}

static obj *intern(const char *s)
{
	if (!strcmp(s, "nil"))
		return nil;
	for (obj *p = symbols; p != nil; p = p->cdr)
		if (strcmp(p->car->name, s) == 0)
			return p->car;
	obj *o = alloc(SYM);
	o->name = strdup(s);
	symbols = cons(o, symbols);
	return o;
}

static int peekc(void)
{
	int c = getchar();
	ungetc(c, stdin);
	return c;
}

static obj *read_obj(void);
static obj *read_list(void)
{
	int c;
	while (isspace(c = getchar()))
		;
	if (c == ')')
		return nil;
	if (c == EOF)
		fail("unexpected end of input", NULL);
	ungetc(c, stdin);
	obj *head = read_obj();
	PUSH(head);
	obj *tail = read_list();
	POP(1);
	return cons(head, tail);
}

static obj *read_obj(void)
{
	int c;
	while (isspace(c = getchar()) || c == ';')
		if (c == ';')
			while ((c = getchar()) != '\n' && c != EOF)
				;
	if (c == EOF)
		return NULL;
	if (c == '(')
		return read_list();
	if (c == ')')
		fail("unexpected )", NULL);
	if (c == '\'') {
		obj *q = read_obj();
		PUSH(q);
		obj *r = cons(intern("quote"), cons(q, nil));
		POP(1);
		return r;
	}
	char buf[64];
	int n = 0;
	buf[n++] = (char)c;
	while ((c = peekc()) != EOF && !isspace(c) && c != '(' && c != ')' && n < 63)
		buf[n++] = (char)getchar();
	buf[n] = 0;
	char *end;
	long v = strtol(buf, &end, 10);
	return *end == 0 && (isdigit((unsigned char)buf[0]) || (buf[0] == '-' && n > 1))
	           ? num(v)
	           : intern(buf);
}

static void print(obj *o)
{
	switch (o->type) {
	case NUM:
		printf("%ld", o->num);
		break;
	case SYM:
		printf("%s", o->name);
		break;
	case PRIM:
		printf("<prim>");
		break;
	case LAMBDA:
		printf("<lambda>");
		break;
	case CONS:
		putchar('(');
		for (;;) {
			print(o->car);
			o = o->cdr;
			if (o == nil)
				break;
			if (o->type != CONS) {
				printf(" . ");
				print(o);
				break;
			}
			putchar(' ');
		}
		putchar(')');
	}
}

static obj *lookup(obj *sym, obj *env)
{
	for (; env != nil; env = env->cdr)
		if (env->car->car == sym)
			return env->car;
	for (env = global; env != nil; env = env->cdr)
		if (env->car->car == sym)
			return env->car;
	fail("unbound symbol", sym->name);
	return NULL;
}

static obj *eval(obj *o, obj *env);
static obj *evlist(obj *l, obj *env)
{
	if (l == nil)
		return nil;
	obj *a = eval(l->car, env);
	PUSH(a);
	obj *d = evlist(l->cdr, env);
	POP(1);
	return cons(a, d);
}

static obj *eval(obj *o, obj *env)
{
	if (o->type == NUM || o == nil || o == tru)
		return o;
	if (o->type == SYM)
		return lookup(o, env)->cdr;
	if (o->type != CONS)
		return o;
	obj *op = o->car;
	if (op->type == SYM) {
		const char *s = op->name;
		if (!strcmp(s, "quote"))
			return o->cdr->car;
		if (!strcmp(s, "if")) {
			obj *rest = o->cdr->cdr;
			if (eval(o->cdr->car, env) != nil)
				return eval(rest->car, env);
			return rest->cdr == nil ? nil : eval(rest->cdr->car, env);
		}
		if (!strcmp(s, "lambda")) {
			obj *l = alloc(LAMBDA);
			l->car = o->cdr->car, l->cdr = o->cdr->cdr->car, l->env = env;
			return l;
		}
		if (!strcmp(s, "define")) {
			obj *v = eval(o->cdr->cdr->car, env);
			PUSH(v);
			global = cons(cons(o->cdr->car, v), global);
			POP(1);
			return o->cdr->car;
		}
	}
	PUSH(env);
	obj *f = eval(op, env);
	PUSH(f);
	obj *args = evlist(o->cdr, env);
	PUSH(args);
	obj *r;
	if (f->type == PRIM) {
		r = f->prim(args);
	} else if (f->type == LAMBDA) {
		obj *e = f->env;
		for (obj *p = f->car; p != nil; p = p->cdr, args = args->cdr) {
			if (args == nil)
				fail("too few arguments", NULL);
			PUSH(e);
			e = cons(cons(p->car, args->car), e);
			POP(1);
		}
		PUSH(e);
		r = eval(f->cdr, e);
		POP(1);
	} else {
		fail("not a function", NULL);
		r = nil;
	}
	POP(3);
	return r;
}

static long arg(obj *a)
{
	if (a == nil || a->car->type != NUM)
		fail("number expected", NULL);
	return a->car->num;
}
static obj *p_add(obj *a)
{
	return num(arg(a) + arg(a->cdr));
}
static obj *p_sub(obj *a)
{
	return num(arg(a) - arg(a->cdr));
}
static obj *p_mul(obj *a)
{
	return num(arg(a) * arg(a->cdr));
}
static obj *p_div(obj *a)
{
	if (arg(a->cdr) == 0)
		fail("division by zero", NULL);
	return num(arg(a) / arg(a->cdr));
}
static obj *p_lt(obj *a)
{
	return arg(a) < arg(a->cdr) ? tru : nil;
}
static obj *p_eq(obj *a)
{
	return arg(a) == arg(a->cdr) ? tru : nil;
}
static obj *p_cons(obj *a)
{
	return cons(a->car, a->cdr->car);
}
static obj *p_car(obj *a)
{
	return a->car->type == CONS ? a->car->car : nil;
}
static obj *p_cdr(obj *a)
{
	return a->car->type == CONS ? a->car->cdr : nil;
}
static obj *p_null(obj *a)
{
	return a->car == nil ? tru : nil;
}

static void defprim(const char *name, obj *(*fn)(obj *))
{
	obj *p = alloc(PRIM);
	p->prim = fn;
	PUSH(p);
	global = cons(cons(intern(name), p), global);
	POP(1);
}

int main(void)
{
	for (int i = HEAP - 1; i >= 0; i--)
		heap[i].next_free = free_list, free_list = &heap[i];
	nil = alloc(SYM);
	nil->name = strdup("nil");
	symbols = global = nil;
	tru = intern("t");
	defprim("+", p_add), defprim("-", p_sub), defprim("*", p_mul), defprim("/", p_div);
	defprim("<", p_lt), defprim("=", p_eq), defprim("cons", p_cons), defprim("car", p_car);
	defprim("cdr", p_cdr), defprim("null", p_null);
	for (;;) {
		if (setjmp(toplevel))
			nroots = 0;
		obj *o = read_obj();
		if (!o)
			break;
		PUSH(o);
		obj *v = eval(o, nil);
		POP(1);
		print(v);
		putchar('\n');
	}
	printf("; %s\n", collections > 0 ? "garbage was collected" : "no collection");
	return 0;
}
