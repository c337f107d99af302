/* The shell's variables (with export and readonly flags and the frames
 * that `local` saves into), the positional parameters and the functions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "sh.h"

struct var {
	char *name, *value; /* value NULL: declared (export x) but unset */
	unsigned flags;
};

struct saved_var {
	struct var v;
	bool existed;
	int frame;
};

static struct var *vars;
static int nvars, capvars;
static struct saved_var *saved; /* `local` variables to restore, by frame */
static int nsaved, capsaved, frame;
static struct {
	char **v;
	int n;
} params;

static struct var *find(const char *name)
{
	for (int i = 0; i < nvars; i++)
		if (!strcmp(vars[i].name, name))
			return &vars[i];
	return NULL;
}

static struct var *create(const char *name)
{
	if (nvars == capvars) {
		int cap = capvars ? capvars * 2 : 64;
		struct var *nv = realloc(vars, sizeof(*nv) * (size_t)cap);
		if (!nv)
			return NULL;
		vars = nv;
		capvars = cap;
	}
	vars[nvars] = (struct var){.name = strdup(name)};
	return vars[nvars].name ? &vars[nvars++] : NULL;
}

const char *var_get(const char *name)
{
	struct var *v = find(name);
	return v ? v->value : NULL;
}

int var_set(const char *name, const char *value, unsigned flags)
{
	struct var *v = find(name);
	if (v && (v->flags & V_READONLY)) {
		sh_error("%s: is read only", name);
		return -1;
	}
	if (!v && !(v = create(name)))
		return -1;
	char *nv = value ? strdup(value) : NULL;
	if (value && !nv)
		return -1;
	free(v->value);
	v->value = nv;
	v->flags |= flags;
	return 0;
}

int var_set_assign(const char *assign, unsigned flags)
{
	const char *eq = strchr(assign, '=');
	char name[256];
	if (!eq || eq - assign > 255)
		return -1;
	snprintf(name, sizeof(name), "%.*s", (int)(eq - assign), assign);
	return var_set(name, eq + 1, flags);
}

int var_unset(const char *name)
{
	struct var *v = find(name);
	if (!v)
		return 0;
	if (v->flags & V_READONLY) {
		sh_error("%s: is read only", name);
		return -1;
	}
	free(v->name);
	free(v->value);
	*v = vars[--nvars];
	return 0;
}

int var_flag(const char *name, unsigned flags)
{
	struct var *v = find(name);
	if (!v && !(v = create(name)))
		return -1;
	v->flags |= flags;
	return 0;
}

static int cmp_var(const void *a, const void *b)
{
	return strcmp(((const struct var *)a)->name, ((const struct var *)b)->name);
}

/* Prints value in single quotes where it needs them. */
static void print_quoted(const char *s)
{
	if (*s &&
	    strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_/.:,+-=@%") ==
	        strlen(s)) {
		fputs(s, stdout);
		return;
	}
	putchar('\'');
	for (; *s; s++)
		if (*s == '\'')
			fputs("'\\''", stdout);
		else
			putchar(*s);
	putchar('\'');
}

void var_print(unsigned flags, const char *prefix)
{
	qsort(vars, (size_t)nvars, sizeof(*vars), cmp_var);
	for (int i = 0; i < nvars; i++) {
		if ((vars[i].flags & flags) != flags || (!flags && !vars[i].value))
			continue;
		printf("%s%s", prefix, vars[i].name);
		if (vars[i].value) {
			putchar('=');
			print_quoted(vars[i].value);
		}
		putchar('\n');
	}
}

char **var_environ(void)
{
	char **env = calloc((size_t)nvars + 1, sizeof(char *));
	int n = 0;
	for (int i = 0; env && i < nvars; i++) {
		if (!(vars[i].flags & V_EXPORT) || !vars[i].value)
			continue;
		size_t len = strlen(vars[i].name) + strlen(vars[i].value) + 2;
		if ((env[n] = malloc(len)))
			snprintf(env[n++], len, "%s=%s", vars[i].name, vars[i].value);
	}
	return env;
}

/* --- local ------------------------------------------------------------------ */

int var_local(const char *name)
{
	for (int i = nsaved - 1; i >= 0 && saved[i].frame == frame; i--)
		if (!strcmp(saved[i].v.name, name))
			return 0; /* already local here */
	if (nsaved == capsaved) {
		int cap = capsaved ? capsaved * 2 : 16;
		struct saved_var *ns = realloc(saved, sizeof(*ns) * (size_t)cap);
		if (!ns)
			return -1;
		saved = ns;
		capsaved = cap;
	}
	struct var *v = find(name);
	struct saved_var *s = &saved[nsaved++];
	s->frame = frame;
	s->existed = v != NULL;
	s->v.name = strdup(name);
	s->v.value = v && v->value ? strdup(v->value) : NULL;
	s->v.flags = v ? v->flags : 0;
	return 0;
}

void var_push_frame(void)
{
	frame++;
}

void var_pop_frame(void)
{
	while (nsaved > 0 && saved[nsaved - 1].frame == frame) {
		struct saved_var *s = &saved[--nsaved];
		struct var *v = find(s->v.name);
		if (v)
			v->flags &= ~V_READONLY;
		if (s->existed) {
			var_set(s->v.name, s->v.value, 0);
			find(s->v.name)->flags = s->v.flags;
		} else {
			var_unset(s->v.name);
		}
		free(s->v.name);
		free(s->v.value);
	}
	frame--;
}

/* --- positional parameters ---------------------------------------------------- */

void params_set(int n, char **v)
{
	char **nv = calloc((size_t)n + 1, sizeof(char *));
	if (!nv)
		return;
	for (int i = 0; i < n; i++)
		nv[i] = strdup(v[i]);
	params_restore(nv, n);
}

int params_count(void)
{
	return params.n;
}

const char *params_get(int i)
{
	return i >= 1 && i <= params.n ? params.v[i - 1] : NULL;
}

char **params_argv(void)
{
	return params.v;
}

void params_save(char ***v, int *n)
{
	*v = params.v;
	*n = params.n;
	params.v = NULL;
	params.n = 0;
}

void params_restore(char **v, int n)
{
	for (int i = 0; i < params.n; i++)
		free(params.v[i]);
	free(params.v);
	params.v = v;
	params.n = n;
}

int params_shift(int n)
{
	if (n < 0 || n > params.n)
		return -1;
	if (n == 0)
		return 0;
	for (int i = 0; i < n; i++)
		free(params.v[i]);
	memmove(params.v, params.v + n, sizeof(char *) * (size_t)(params.n - n + 1));
	params.n -= n;
	return 0;
}

/* --- functions ---------------------------------------------------------------- */

static struct func {
	char *name;
	struct node *body;
} * funcs;
static int nfuncs;

struct node *func_get(const char *name)
{
	for (int i = 0; i < nfuncs; i++)
		if (!strcmp(funcs[i].name, name))
			return funcs[i].body;
	return NULL;
}

void func_set(const char *name, struct node *body)
{
	for (int i = 0; i < nfuncs; i++)
		if (!strcmp(funcs[i].name, name)) {
			funcs[i].body = body;
			return;
		}
	struct func *nf = realloc(funcs, sizeof(*nf) * (size_t)(nfuncs + 1));
	if (!nf)
		return;
	funcs = nf;
	funcs[nfuncs].name = strdup(name);
	funcs[nfuncs++].body = body;
}

void func_unset(const char *name)
{
	for (int i = 0; i < nfuncs; i++)
		if (!strcmp(funcs[i].name, name)) {
			free(funcs[i].name);
			funcs[i] = funcs[--nfuncs];
			return;
		}
}
