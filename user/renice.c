/* renice [-n] PRIORITY [[-p] PID...] [-g PGRP...] [-u USER...]: sets the
 * nice value of running processes, of every process in a group, or of
 * every process of a user, as util-linux's renice does. Prints
 * "ID (process ID) old priority OLD, new priority NEW" for each (process
 * group ID, user ID); for a group or a user the old value is the least
 * among its processes, as getpriority says. */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

static const char *const idtype[] = {
    [PRIO_PROCESS] = "process ID", [PRIO_PGRP] = "process group ID", [PRIO_USER] = "user ID"};

static int usage(void)
{
	fprintf(stderr, "Usage:\n renice [-n] <priority> [-p|--pid] <pid>...\n"
	                " renice [-n] <priority>  -g|--pgrp <pgid>...\n"
	                " renice [-n] <priority>  -u|--user <user>...\n");
	return 1;
}

static int number(const char *s, long *out)
{
	char *end;
	errno = 0;
	*out = strtol(s, &end, 10);
	return *s && !*end && !errno ? 0 : -1;
}

/* The id a word names for which: a number, or for -u a user's name. */
static int target(int which, const char *a, long *id)
{
	if (which == PRIO_USER && number(a, id)) {
		struct passwd *pw = getpwnam(a);
		if (!pw) {
			fprintf(stderr, "renice: unknown user %s\n", a);
			return -1;
		}
		*id = (long)pw->pw_uid;
		return 0;
	}
	if (number(a, id) || *id < 0) {
		fprintf(stderr, "renice: failed to parse %s: '%s'\n",
		        which == PRIO_USER   ? "uid"
		        : which == PRIO_PGRP ? "pgid"
		                             : "pid",
		        a);
		return -1;
	}
	return 0;
}

static int renice(int which, long id, long prio)
{
	errno = 0;
	int old = getpriority(which, (id_t)id);
	if (old == -1 && errno) {
		fprintf(stderr, "renice: failed to get priority for %ld (%s): %s\n", id,
		        idtype[which], strerror(errno));
		return 1;
	}
	if (setpriority(which, (id_t)id, (int)prio) < 0) {
		fprintf(stderr, "renice: failed to set priority for %ld (%s): %s\n", id,
		        idtype[which], strerror(errno));
		return 1;
	}
	errno = 0;
	int now = getpriority(which, (id_t)id);
	printf("%ld (%s) old priority %d, new priority %d\n", id, idtype[which], old,
	       now == -1 && errno ? (int)prio : now);
	return 0;
}

int main(int argc, char **argv)
{
	int i = 1, failed = 0, any = 0, which = PRIO_PROCESS;
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
		long id;
		if (!strcmp(a, "-p") || !strcmp(a, "--pid")) {
			which = PRIO_PROCESS;
			continue;
		}
		if (!strcmp(a, "-g") || !strcmp(a, "--pgrp")) {
			which = PRIO_PGRP;
			continue;
		}
		if (!strcmp(a, "-u") || !strcmp(a, "--user")) {
			which = PRIO_USER;
			continue;
		}
		if (target(which, a, &id)) {
			failed = 1;
			continue;
		}
		any = 1;
		failed |= renice(which, id, prio);
	}
	return any ? failed : (failed ? 1 : usage());
}
