/* renice [-n] PRIORITY [-p] PID...: sets the nice value of running
 * processes, as util-linux's renice does (-g and -u, groups and users,
 * are refused: pm keeps nice per process). Prints
 * "PID (process ID) old priority OLD, new priority NEW" for each. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

static int usage(void)
{
	fprintf(stderr, "Usage:\n renice [-n] <priority> [-p|--pid] <pid>...\n");
	return 1;
}

static int number(const char *s, long *out)
{
	char *end;
	errno = 0;
	*out = strtol(s, &end, 10);
	return *s && !*end && !errno ? 0 : -1;
}

int main(int argc, char **argv)
{
	int i = 1, failed = 0, any = 0;
	long prio;
	if (i < argc && (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))) {
		usage();
		return 0;
	}
	if (i < argc && (!strcmp(argv[i], "-n") || !strcmp(argv[i], "--priority")))
		i++;
	if (i >= argc || number(argv[i], &prio)) {
		if (i < argc)
			fprintf(stderr, "renice: failed to parse priority: '%s'\n", argv[i]);
		return usage();
	}
	for (i++; i < argc; i++) {
		const char *a = argv[i];
		long pid;
		if (!strcmp(a, "-p") || !strcmp(a, "--pid"))
			continue;
		if (!strcmp(a, "-g") || !strcmp(a, "-u") || !strcmp(a, "--pgrp") ||
		    !strcmp(a, "--user")) {
			fprintf(stderr, "renice: %s: not supported: nice values are per process\n",
			        a);
			return 1;
		}
		if (number(a, &pid) || pid <= 0) {
			fprintf(stderr, "renice: failed to parse pid: '%s'\n", a);
			failed = 1;
			continue;
		}
		any = 1;
		errno = 0;
		int old = getpriority(PRIO_PROCESS, (id_t)pid);
		if (old == -1 && errno) {
			fprintf(stderr, "renice: failed to get priority for %ld (process ID): %s\n",
			        pid, strerror(errno));
			failed = 1;
			continue;
		}
		if (setpriority(PRIO_PROCESS, (id_t)pid, (int)prio) < 0) {
			fprintf(stderr, "renice: failed to set priority for %ld (process ID): %s\n",
			        pid, strerror(errno));
			failed = 1;
			continue;
		}
		errno = 0;
		int now = getpriority(PRIO_PROCESS, (id_t)pid);
		printf("%ld (process ID) old priority %d, new priority %d\n", pid, old,
		       now == -1 && errno ? (int)prio : now);
	}
	return any ? failed : (failed ? 1 : usage());
}
