/* getopt(3) for the utilities, with coreutils' messages: options may follow
 * operands (GNU's permutation), --help prints the program's help, and an
 * unknown option or a missing argument is a usage error. */
#ifndef MICA_UTILOPT_H
#define MICA_UTILOPT_H

#include <getopt.h>

#include "mica/util.h"

/* The next option character, as getopt(argc, argv, optstring) gives it
 * (optarg holds its argument), or -1 after the last; never '?' or ':'.
 * longs (NULL: none) maps long names to option characters. */
struct util_long {
	const char *name;
	int has_arg; /* 0 none, 1 required */
	int c;
};
int util_getopt(const struct util_prog *p, int argc, char **argv, const char *optstring,
                const struct util_long *longs);

#endif
