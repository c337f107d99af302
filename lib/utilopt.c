/* util_getopt (see mica/utilopt.h): picolibc's getopt_long with the
 * program's usage messages in place of getopt's own. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mica/utilopt.h"

#define HELP_OPT 0x100

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
	int c = getopt_long(argc, argv, spec, lo, NULL);
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
