/* getopts' parsing step (XCU getopts): the next option letter among the
 * arguments, its argument, and where the next call goes on. Pure: the
 * builtin in bi_alias.c keeps OPTIND and OPTARG. */
#include <string.h>

#include "getopts.h"

/* Moves to the next argument once the letters of this one are used up. */
static void advance(char **args, struct getopts_pos *pos)
{
	if (args[pos->optind - 1][pos->sub] == '\0') {
		pos->optind++;
		pos->sub = 0;
	}
}

enum getopts_rc getopts_step(const char *optstring, int n, char **args, struct getopts_pos *pos,
                             struct getopts_res *r)
{
	bool silent = optstring[0] == ':';
	*r = (struct getopts_res){.name = '?'};
	if (pos->optind < 1)
		pos->optind = 1, pos->sub = 0;
	if (pos->sub == 0) {
		const char *a = pos->optind <= n ? args[pos->optind - 1] : NULL;
		if (!a || a[0] != '-' || a[1] == '\0')
			return GO_END;
		if (!strcmp(a, "--")) {
			pos->optind++;
			return GO_END;
		}
		pos->sub = 1;
	}
	const char *a = args[pos->optind - 1];
	char c = a[pos->sub++];
	const char *o = c == ':' ? NULL : strchr(optstring + silent, c);
	r->letter = c;
	r->buf[0] = c;
	if (!o) {
		r->arg = silent ? r->buf : NULL;
		advance(args, pos);
		return GO_BAD;
	}
	r->name = c;
	if (o[1] != ':') {
		advance(args, pos);
		return GO_OPT;
	}
	if (a[pos->sub]) {
		r->arg = a + pos->sub;
	} else if (pos->optind < n) {
		r->arg = args[pos->optind++];
	} else {
		r->name = silent ? ':' : '?';
		r->arg = silent ? r->buf : NULL;
		pos->optind++;
		pos->sub = 0;
		return GO_NEEDARG;
	}
	pos->optind++;
	pos->sub = 0;
	return GO_OPT;
}
