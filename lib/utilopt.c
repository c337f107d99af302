/* util_getopt (see mica/utilopt.h): picolibc's getopt_long with the
 * program's usage messages in place of getopt's own. The arguments are
 * first put in GNU's order (options, then operands in their order) and
 * getopt is shown only the options, so options may follow operands and a
 * lone "-" (standard input) is an operand, which picolibc's getopt_long
 * would take for an option. */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mica/utilopt.h"

#define HELP_OPT 0x100

/* Whether short option c takes an argument. */
static bool takes_arg(const char *optstring, char c)
{
	const char *o = c != ':' ? strchr(optstring, c) : NULL;
	return o && o[1] == ':';
}

/* Whether the option word a (after "-") leaves its argument to the next word. */
static bool wants_next(const char *a, const char *optstring, const struct option *lo)
{
	if (a[1] == '-') {
		size_t n = strcspn(a + 2, "=");
		for (; lo->name; lo++)
			if (!strncmp(lo->name, a + 2, n) && lo->has_arg == required_argument)
				return a[2 + n] != '=';
		return false;
	}
	for (const char *c = a + 1; *c; c++)
		if (takes_arg(optstring, *c))
			return c[1] == '\0';
	return false;
}

/* Options first, then the operands, each kept in its order (after "--"
 * if there was one). Returns how many words getopt should see: the
 * program name, the options and a "--". */
static int permute(int argc, char **argv, const char *optstring, const struct option *lo)
{
	static char dashdash[] = "--";
	char **opt = malloc(sizeof(char *) * (size_t)(argc + 1));
	char **opd = malloc(sizeof(char *) * (size_t)(argc + 1));
	int no = 0, nd = 0;
	bool dd = false;
	if (!opt || !opd) {
		free(opt);
		free(opd);
		return argc;
	}
	for (int i = 1; i < argc; i++) {
		char *a = argv[i];
		if (!strcmp(a, "--")) {
			dd = true;
			while (++i < argc)
				opd[nd++] = argv[i];
		} else if (a[0] != '-' || a[1] == '\0') {
			opd[nd++] = a;
		} else {
			opt[no++] = a;
			if (wants_next(a, optstring, lo) && i + 1 < argc)
				opt[no++] = argv[++i];
		}
	}
	int k = 1;
	for (int i = 0; i < no; i++)
		argv[k++] = opt[i];
	if (dd) /* operands after it may start with '-' */
		argv[k++] = dashdash;
	int seen = k;
	for (int i = 0; i < nd && k < argc; i++)
		argv[k++] = opd[i];
	free(opt);
	free(opd);
	return seen;
}

int util_getopt(const struct util_prog *p, int argc, char **argv, const char *optstring,
                const struct util_long *longs)
{
	struct option lo[32];
	int n = 0;
	for (; longs && longs[n].name && n < 30; n++)
		lo[n] = (struct option){longs[n].name,
		                        longs[n].has_arg ? required_argument : no_argument, NULL,
		                        longs[n].c};
	lo[n++] = (struct option){"help", no_argument, NULL, HELP_OPT};
	lo[n] = (struct option){NULL, 0, NULL, 0};
	char spec[64];
	snprintf(spec, sizeof(spec), ":%s", optstring);
	opterr = 0;
	static char **done;
	static int words;
	if (optind <= 1 && done != argv) {
		done = argv;
		words = permute(argc, argv, optstring, lo);
	}
	/* getopt sees only the options: the operands follow at optind */
	int c = getopt_long(words, argv, spec, lo, NULL);
	if (c == HELP_OPT)
		util_help(p);
	if (c == '?') {
		if (optopt)
			util_usage_error(p, "invalid option -- '%c'", optopt);
		util_usage_error(p, "unrecognized option '%s'", argv[optind - 1]);
	}
	if (c == ':') {
		if (optopt && optopt < 0x100 && strncmp(argv[optind - 1], "--", 2))
			util_usage_error(p, "option requires an argument -- '%c'", optopt);
		util_usage_error(p, "option '%s' requires an argument", argv[optind - 1]);
	}
	return c;
}
