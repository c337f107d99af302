/* printf FORMAT [ARGUMENT]...: ARGUMENTs formatted under FORMAT as
 * POSIX printf(1) says (the work is in user/lib/pfmt.c). */
#include <stdio.h>
#include <string.h>

#include "lib/pfmt.h"
#include "mica/util.h"

static const struct util_prog prog = {
    .name = "printf",
    .help = "Usage: printf FORMAT [ARGUMENT]...\n"
            "Print ARGUMENT(s) according to FORMAT, which is reused while arguments\n"
            "remain. Escapes: \\\\ \\a \\b \\f \\n \\r \\t \\v \\NNN \\xHH \\c; conversions:\n"
            "%d %i %o %u %x %X %f %e %E %g %G %c %s %b %%, with flags, width and\n"
            "precision ('*' takes them from an argument).\n",
    .usage_status = 1,
};

int main(int argc, char **argv)
{
	int first = 1;
	if (argc > 1 && !strcmp(argv[1], "--help"))
		util_help(&prog);
	if (argc > 1 && !strcmp(argv[1], "--"))
		first = 2;
	if (argc <= first)
		util_usage_error(&prog, "missing operand");
	int rc = pfmt_run(stdout, argv[first], argv + first + 1, argc - first - 1);
	if (fflush(stdout))
		return 1;
	return rc ? 1 : 0;
}
