/* getopts' parsing step (XCU getopts), apart from the shell's variables
 * so it builds for the host unit tests too. */
#ifndef MICA_SH_GETOPTS_H
#define MICA_SH_GETOPTS_H

#include <stdbool.h>

struct getopts_pos {
	int optind; /* 1-based index of the next argument, as $OPTIND */
	int sub;    /* index of the next option letter inside it (0: start a new one) */
};

enum getopts_rc {
	GO_OPT,     /* name = the letter; arg = OPTARG or NULL (unset) */
	GO_END,     /* no more options: name = '?', OPTIND at the first operand */
	GO_BAD,     /* a letter not in optstring: name = '?' (arg = the letter if silent) */
	GO_NEEDARG, /* the option's argument is missing: '?', or ':' with arg the letter if silent
	             */
};

struct getopts_res {
	char name;       /* what getopts stores in the variable */
	const char *arg; /* OPTARG, NULL: unset it */
	char letter;     /* the letter found, for messages */
	char buf[2];     /* holds arg when it is the letter itself */
};

/* One call of getopts: optstring (a leading ':' is silent mode) over the
 * n arguments args (args[0] is what OPTIND 1 names). */
enum getopts_rc getopts_step(const char *optstring, int n, char **args, struct getopts_pos *pos,
                             struct getopts_res *r);

#endif
