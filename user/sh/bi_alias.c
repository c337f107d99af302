/* alias and unalias (the table the parser substitutes from, XCU 2.3.1),
 * getopts over OPTIND/OPTARG (its parsing is getopts.c's), and hash,
 * which lists nothing: Mica's sh looks commands up in PATH every time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "getopts.h"
#include "parse.h"
#include "sh.h"

#define MAX_ALIASES 64

static struct alias {
	char *name, *value;
} aliases[MAX_ALIASES];
static int naliases;

static struct alias *alias_find(const char *name)
{
	for (int i = 0; i < naliases; i++)
		if (!strcmp(aliases[i].name, name))
			return &aliases[i];
	return NULL;
}

const char *alias_lookup(const char *name)
{
	struct alias *a = alias_find(name);
	return a ? a->value : NULL;
}

/* An alias name: characters of the portable filename set, no '='. */
static bool is_alias_name(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_!%,@.-",
		            s[i]))
			return false;
	return true;
}

static void alias_print(const struct alias *a)
{
	printf("%s='", a->name);
	for (const char *s = a->value; *s; s++)
		fputs(*s == '\'' ? "'\\''" : (char[2]){*s, 0}, stdout);
	puts("'");
}

static int cmp_alias(const void *a, const void *b)
{
	return strcmp(((const struct alias *)a)->name, ((const struct alias *)b)->name);
}

static int alias_set(const char *name, size_t n, const char *value)
{
	char *nm = strndup(name, n), *v = strdup(value);
	struct alias *a = nm ? alias_find(nm) : NULL;
	if (!nm || !v || (!a && naliases == MAX_ALIASES)) {
		free(nm), free(v);
		sh_error("alias: too many aliases");
		return 1;
	}
	if (a) {
		free(nm);
		free(a->value);
		a->value = v;
	} else {
		aliases[naliases++] = (struct alias){nm, v};
		qsort(aliases, (size_t)naliases, sizeof(aliases[0]), cmp_alias);
	}
	return 0;
}

static int bi_alias(int argc, char **argv)
{
	int status = 0;
	if (argc == 1)
		for (int i = 0; i < naliases; i++)
			alias_print(&aliases[i]);
	for (int i = 1; i < argc; i++) {
		const char *eq = strchr(argv[i], '=');
		struct alias *a;
		if (eq && is_alias_name(argv[i], (size_t)(eq - argv[i]))) {
			status |= alias_set(argv[i], (size_t)(eq - argv[i]), eq + 1);
		} else if (eq) {
			sh_error("alias: `%s': invalid alias name", argv[i]);
			status = 1;
		} else if ((a = alias_find(argv[i]))) {
			alias_print(a);
		} else {
			sh_error("alias: %s: not found", argv[i]);
			status = 1;
		}
	}
	return status;
}

static int bi_unalias(int argc, char **argv)
{
	int status = 0;
	if (argc > 1 && !strcmp(argv[1], "-a")) {
		for (int i = 0; i < naliases; i++)
			free(aliases[i].name), free(aliases[i].value);
		naliases = 0;
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		struct alias *a = alias_find(argv[i]);
		if (!a) {
			sh_error("unalias: %s: not found", argv[i]);
			status = 1;
			continue;
		}
		free(a->name), free(a->value);
		*a = aliases[--naliases];
		qsort(aliases, (size_t)naliases, sizeof(aliases[0]), cmp_alias);
	}
	return status;
}

/* --- getopts ------------------------------------------------------------------- */

/* Where getopts is inside a group of letters (-abc): kept here, and
 * forgotten when OPTIND is no longer what getopts last set. */
static struct getopts_pos gpos;
static char gset[24];

static int bi_getopts(int argc, char **argv)
{
	if (argc < 3) {
		sh_error("getopts: usage: getopts optstring name [arg ...]");
		return 2;
	}
	const char *oi = var_get("OPTIND");
	if (!oi || strcmp(oi, gset))
		gpos = (struct getopts_pos){.optind = oi ? atoi(oi) : 1};
	int n = argc > 3 ? argc - 3 : params_count();
	char **args = argc > 3 ? argv + 3 : params_argv();
	struct getopts_res r;
	enum getopts_rc rc = getopts_step(argv[1], n, args, &gpos, &r);
	if (rc == GO_BAD && argv[1][0] != ':')
		sh_error("illegal option -- %c", r.letter);
	if (rc == GO_NEEDARG && argv[1][0] != ':')
		sh_error("option requires an argument -- %c", r.letter);
	snprintf(gset, sizeof(gset), "%d", gpos.optind);
	var_set("OPTIND", gset, 0);
	if (r.arg)
		var_set("OPTARG", r.arg, 0);
	else
		var_unset("OPTARG");
	if (!sh_is_name(argv[2], -1) || var_set(argv[2], (char[2]){r.name, 0}, 0)) {
		if (!sh_is_name(argv[2], -1))
			sh_error("getopts: `%s': not a valid identifier", argv[2]);
		return 2;
	}
	return rc == GO_END ? 1 : 0;
}

/* hash [-r]: there is no table of remembered commands to list or forget. */
static int bi_hash(int argc, char **argv)
{
	char buf[512];
	int status = 0;
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "-r") && !sh_find_path(argv[i], buf, sizeof(buf))) {
			sh_error("hash: %s: not found", argv[i]);
			status = 1;
		}
	return status;
}

const struct builtin_def alias_builtins[] = {
    {"alias", bi_alias}, {"unalias", bi_unalias}, {"getopts", bi_getopts}, {"hash", bi_hash},
    {NULL, NULL},
};
