/* date [-u] [+FORMAT]: prints the time, in UTC (Mica has no time zones),
 * as GNU date does by default or through strftime's FORMAT. */
#include <stdio.h>
#include <time.h>

#include "mica/util.h"

#define DEFAULT_FORMAT "%a %b %e %H:%M:%S UTC %Y"

static const struct util_opt opts[] = {{'u', "utc", NULL, 0}, {0}};
static const struct util_prog prog = {
    .name = "date",
    .help = "Usage: date [OPTION]... [+FORMAT]\n"
            "Display the current time in the given FORMAT (see strftime).\n\n"
            "  -u, --utc  print Coordinated Universal Time (always so here)\n",
    .usage_status = 1,
    .opts = opts,
};

int main(int argc, char **argv)
{
	int n = util_parse_args(&prog, argc, argv);
	if (n > 1)
		util_usage_error(&prog, "extra operand '%s'", argv[2]);
	if (n == 1 && argv[1][0] != '+') {
		fprintf(stderr, "date: invalid date '%s'\n", argv[1]);
		return 1;
	}
	const char *fmt = n ? argv[1] + 1 : DEFAULT_FORMAT;
	time_t now = time(NULL);
	struct tm *tm = gmtime(&now);
	char out[512];
	if (!tm) {
		fprintf(stderr, "date: time %lld is out of range\n", (long long)now);
		return 1;
	}
	size_t len = strftime(out, sizeof(out), fmt, tm);
	if (!len && *fmt) {
		fprintf(stderr, "date: the formatted date is too long\n");
		return 1;
	}
	printf("%s\n", out);
	return 0;
}
