/* tee [-a] [-i] [FILE]...: copies standard input to standard output and to
 * each FILE (truncated, or appended to with -a). A FILE that cannot be
 * opened or written is reported and left out; the status is then 1. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mica/util.h"

static int append, ignore_int;
static const struct util_opt opts[] = {
    {'a', "append", &append, 1},
    {'i', "ignore-interrupts", &ignore_int, 1},
    {0},
};
static const struct util_prog prog = {
    .name = "tee",
    .help = "Usage: tee [OPTION]... [FILE]...\n"
            "Copy standard input to each FILE, and also to standard output.\n\n"
            "  -a, --append              append to the given FILEs, do not overwrite\n"
            "  -i, --ignore-interrupts   ignore interrupt signals\n",
    .usage_status = 1,
    .opts = opts,
};

int main(int argc, char **argv)
{
	static char buf[4096];
	int n = util_parse_args(&prog, argc, argv), rc = 0;
	int *fds = malloc(sizeof(int) * (size_t)(n + 1));
	const char **names = malloc(sizeof(char *) * (size_t)(n + 1));
	if (!fds || !names)
		return 1;
	if (ignore_int)
		signal(SIGINT, SIG_IGN);
	fds[0] = 1, names[0] = "standard output";
	int flags = O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC);
	for (int i = 1; i <= n; i++) {
		names[i] = argv[i];
		if ((fds[i] = open(argv[i], flags, 0666)) < 0) {
			fprintf(stderr, "tee: %s: %s\n", argv[i], strerror(errno));
			rc = 1;
		}
	}
	ssize_t got;
	while ((got = util_read(0, buf, sizeof(buf))) > 0)
		for (int i = 0; i <= n; i++)
			if (fds[i] >= 0 && util_write_all(fds[i], buf, (size_t)got) < 0) {
				fprintf(stderr, "tee: %s: %s\n", names[i], strerror(errno));
				close(fds[i]);
				fds[i] = -1, rc = 1;
			}
	if (got < 0) {
		fprintf(stderr, "tee: standard input: %s\n", strerror(errno));
		rc = 1;
	}
	for (int i = 1; i <= n; i++)
		if (fds[i] >= 0 && close(fds[i]) < 0) {
			fprintf(stderr, "tee: %s: %s\n", names[i], strerror(errno));
			rc = 1;
		}
	return rc;
}
