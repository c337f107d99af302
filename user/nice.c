/* nice [-n N] [COMMAND [ARG]...]: runs COMMAND with its nice value
 * raised by N (default 10); without COMMAND, prints the current nice
 * value. pm maps the value to a scheduling priority (lib/nice.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static int usage(void)
{
	fprintf(stderr, "Try 'nice --help' for more information.\n");
	return 125;
}

static int parse_adj(const char *s, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end) {
		fprintf(stderr, "nice: invalid adjustment '%s'\n", s);
		return -1;
	}
	*out = v < -40 ? -40 : v > 40 ? 40 : (int)v;
	return 0;
}

int main(int argc, char **argv)
{
	int adj = 10, i = 1;
	if (i < argc && !strcmp(argv[i], "--help")) {
		printf("Usage: nice [-n N] [COMMAND [ARG]...]\n");
		return 0;
	}
	if (i < argc && !strncmp(argv[i], "-n", 2)) {
		const char *v = argv[i][2] ? argv[i] + 2 : argv[++i];
		if (!v) {
			fprintf(stderr, "nice: option requires an argument -- 'n'\n");
			return usage();
		}
		if (parse_adj(v, &adj))
			return usage();
		i++;
	} else if (i < argc && argv[i][0] == '-' && argv[i][1] >= '0' && argv[i][1] <= '9') {
		if (parse_adj(argv[i] + 1, &adj)) /* the old form: nice -10 cmd */
			return usage();
		i++;
	}
	if (i < argc && !strcmp(argv[i], "--"))
		i++;
	if (i >= argc) {
		errno = 0;
		int n = getpriority(PRIO_PROCESS, 0);
		if (n == -1 && errno) {
			perror("nice: cannot get niceness");
			return 125;
		}
		printf("%d\n", n);
		return 0;
	}
	errno = 0;
	int cur = getpriority(PRIO_PROCESS, 0);
	if (errno == 0 && setpriority(PRIO_PROCESS, 0, cur + adj) < 0)
		fprintf(stderr, "nice: cannot set niceness: %s\n", strerror(errno));
	execvp(argv[i], argv + i);
	int e = errno;
	fprintf(stderr, "nice: '%s': %s\n", argv[i], strerror(e));
	return e == ENOENT ? 127 : 126;
}
