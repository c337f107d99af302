/* ipcrm: removes System V IPC objects as util-linux's ipcrm does:
 * -m ID and -M KEY for shared memory segments, -a/--all[=shm|msg|sem]
 * -q ID and -Q KEY for message queues, -s ID and -S KEY for semaphore
 * arrays, -a/--all[=shm|msg|sem] for every one, and the old form
 * "ipcrm shm|msg|sem ID...". Messages and the exit status (1 after any
 * failure) are util-linux's. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

#include "mica/utilopt.h"

enum type { SHM, MSG, SEM, ALL };

enum { OPT_ALL_TYPE = 0x200 };

static const struct util_prog prog = {
    .name = "ipcrm",
    .help = "\nUsage:\n"
            " ipcrm [options]\n"
            " ipcrm shm|msg|sem <id>...\n"
            "\n"
            "Remove certain IPC resources.\n"
            "\n"
            "Options:\n"
            " -m, --shmem-id <id>        remove shared memory segment by id\n"
            " -M, --shmem-key <key>      remove shared memory segment by key\n"
            " -q, --queue-id <id>        remove message queue by id\n"
            " -Q, --queue-key <key>      remove message queue by key\n"
            " -s, --semaphore-id <id>    remove semaphore by id\n"
            " -S, --semaphore-key <key>  remove semaphore by key\n"
            " -a, --all[=shm|msg|sem]    remove all (in the specified category)\n"
            " -v, --verbose              explain what is being done\n"
            "\n"
            " -h, --help                 display this help\n",
    .usage_status = 1,
};

static const struct util_long longs[] = {
    {"shmem-id", 1, 'm'},
    {"shmem-key", 1, 'M'},
    {"queue-id", 1, 'q'},
    {"queue-key", 1, 'Q'},
    {"semaphore-id", 1, 's'},
    {"semaphore-key", 1, 'S'},
    {"all", 0, 'a'},
    {"all-type", 1, OPT_ALL_TYPE}, /* --all=TYPE and -aTYPE, rewritten by main */
    {"verbose", 0, 'v'},
    {NULL, 0, 0},
};

static int verbose;

static void __attribute__((noreturn)) parse_error(const char *s, int e)
{
	if (e)
		fprintf(stderr, "ipcrm: failed to parse argument: '%s': %s\n", s, strerror(e));
	else
		fprintf(stderr, "ipcrm: failed to parse argument: '%s'\n", s);
	exit(1);
}

/* An id: a decimal 32-bit number, or exit 1. */
static int parse_id(const char *s)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno == ERANGE || (end != s && !*end && (v < INT32_MIN || v > INT32_MAX)))
		parse_error(s, ERANGE);
	if (errno || end == s || *end)
		parse_error(s, 0);
	return (int)v;
}

/* A key in decimal or 0x hex (or 0 octal), or exit 1. */
static key_t parse_key(const char *s)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 0);
	if (!*s || errno || end == s || *end)
		parse_error(s, errno);
	return (key_t)v;
}

/* Removes object id of type t; 0, or 1 after saying why not. */
static int remove_id(enum type t, int iskey, int id)
{
	int r = -1;
	if (t == SHM) {
		if (verbose)
			printf("removing shared memory segment id `%d'\n", id);
		r = shmctl(id, IPC_RMID, NULL);
	} else if (t == MSG) {
		if (verbose)
			printf("removing message queue id `%d'\n", id);
		r = msgctl(id, IPC_RMID, NULL);
	} else {
		if (verbose)
			printf("removing semaphore id `%d'\n", id);
		r = semctl(id, 0, IPC_RMID);
	}
	if (r == 0)
		return 0;
	const char *why;
	switch (errno) {
	case EACCES:
	case EPERM:
		why = iskey ? "permission denied for key" : "permission denied for id";
		break;
	case EINVAL:
		why = iskey ? "invalid key" : "invalid id";
		break;
	case EIDRM:
		why = iskey ? "already removed key" : "already removed id";
		break;
	default:
		fprintf(stderr, "ipcrm: %s: %s\n", iskey ? "key failed" : "id failed",
		        strerror(errno));
		exit(1);
	}
	fflush(stdout);
	fprintf(stderr, "ipcrm: %s (%d)\n", why, id);
	return 1;
}

/* The id of the object of type t with key s, or -1 after saying why not. */
static int key_to_id(enum type t, const char *s)
{
	key_t key = parse_key(s);
	if (key == IPC_PRIVATE) {
		fprintf(stderr, "ipcrm: illegal key (%s)\n", s);
		return -1;
	}
	int id = -1;
	if (t == SHM)
		id = shmget(key, 0, 0);
	else if (t == MSG)
		id = msgget(key, 0);
	else
		id = semget(key, 0, 0);
	if (id >= 0)
		return id;
	const char *why;
	switch (errno) {
	case EACCES:
		why = "permission denied for key";
		break;
	case EIDRM:
		why = "already removed key";
		break;
	case ENOENT:
		why = "invalid key";
		break;
	default:
		fprintf(stderr, "ipcrm: key failed: %s\n", strerror(errno));
		exit(1);
	}
	fflush(stdout);
	fprintf(stderr, "ipcrm: %s (%s)\n", why, s);
	return -1;
}

/* The id of the object of type t at index i (0..), or -1 if none or
 * not ours to see; STAT by index, as util-linux's ipcrm -a does. */
static int id_at(enum type t, int i)
{
	struct shmid_ds sh;
	struct msqid_ds mq;
	struct semid_ds se;
	return t == SHM   ? shmctl(i, SHM_STAT, &sh)
	       : t == MSG ? msgctl(i, MSG_STAT, &mq)
	                  : semctl(i, 0, SEM_STAT, &se);
}

/* Removes every object of type t (ALL: of every type) this user may
 * see; 0, or 1 if any removal failed. */
static int remove_all(enum type t)
{
	int ret = 0;
	for (enum type u = SHM; u <= SEM; u++) {
		if (t != ALL && t != u)
			continue;
		int maxidx = u == SHM   ? shmctl(0, SHM_INFO, NULL)
		             : u == MSG ? msgctl(0, MSG_INFO, NULL)
		                        : semctl(0, 0, SEM_INFO);
		if (maxidx < 0) {
			fprintf(stderr, "ipcrm: kernel not configured for %s\n",
			        u == SHM   ? "shared memory"
			        : u == MSG ? "message queues"
			                   : "semaphores");
			exit(1);
		}
		for (int i = 0; i <= maxidx; i++) {
			int id = id_at(u, i);
			if (id >= 0)
				ret |= remove_id(u, 0, id);
		}
	}
	return ret;
}

/* "ipcrm shm|msg|sem ID...": returns -1 if argv[1] names no type, else
 * the exit status. */
static int old_form(int argc, char **argv)
{
	enum type t;
	if (!strcmp(argv[1], "shm"))
		t = SHM;
	else if (!strcmp(argv[1], "msg"))
		t = MSG;
	else if (!strcmp(argv[1], "sem"))
		t = SEM;
	else
		return -1;
	if (argc < 3) {
		fprintf(stderr, "ipcrm: not enough arguments\n");
		util_try_help(&prog);
	}
	int errors = 0;
	for (int i = 2; i < argc; i++) {
		char *end;
		errno = 0;
		unsigned long v = strtoul(argv[i], &end, 10);
		if (errno || end == argv[i] || *end) {
			fprintf(stderr, "ipcrm: invalid id: %s\n", argv[i]);
			errors++;
		} else if (remove_id(t, 0, (int)v)) {
			errors++;
		}
	}
	if (errors)
		return 1;
	printf("resource(s) deleted\n");
	return 0;
}

static enum type all_type(const char *s)
{
	if (!strcmp(s, "shm"))
		return SHM;
	if (!strcmp(s, "msg"))
		return MSG;
	if (!strcmp(s, "sem"))
		return SEM;
	fprintf(stderr, "ipcrm: unknown argument: %s\n", s);
	exit(1);
}

/* Whether option word a leaves its argument to the next word. */
static int takes_next(const char *a)
{
	static const char *const with_arg[] = {"shmem-id",  "shmem-key",    "queue-id",
	                                       "queue-key", "semaphore-id", "semaphore-key"};
	if (a[0] != '-' || !a[1])
		return 0;
	if (a[1] == '-') {
		for (size_t i = 0; i < sizeof(with_arg) / sizeof(with_arg[0]); i++)
			if (!strcmp(a + 2, with_arg[i]))
				return 1;
		return 0;
	}
	for (const char *c = a + 1; *c; c++) {
		if (strchr("mMqQsS", *c))
			return c[1] == '\0';
		if (*c == 'a')
			return 0; /* the rest is its argument */
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 1) {
		fprintf(stderr, "ipcrm: bad usage\n");
		util_try_help(&prog);
	}
	int st = old_form(argc, argv);
	if (st >= 0)
		return st;
	/* -a's argument is optional and must be attached: --all=TYPE and
	 * -aTYPE become --all-type=TYPE, which getopt takes */
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		const char *a = argv[i];
		const char *v = !strncmp(a, "--all=", 6)             ? a + 6
		                : a[0] == '-' && a[1] == 'a' && a[2] ? a + 2
		                                                     : NULL;
		if (v) {
			char *w = malloc(strlen(v) + sizeof("--all-type="));
			if (w)
				argv[i] = strcat(strcpy(w, "--all-type="), v);
		} else if (takes_next(a)) {
			i++; /* an option's argument, whatever it looks like */
		}
	}
	int ret = 0, rm_all = 0, c;
	enum type what_all = ALL;
	while ((c = util_getopt(&prog, argc, argv, "m:M:q:Q:s:S:avh", longs)) != -1) {
		enum type t = c == 'm' || c == 'M' ? SHM : c == 'q' || c == 'Q' ? MSG : SEM;
		int id;
		switch (c) {
		case 'M':
		case 'Q':
		case 'S':
			id = key_to_id(t, optarg);
			if (id < 0 || remove_id(t, 1, id))
				ret++;
			break;
		case 'm':
		case 'q':
		case 's':
			if (remove_id(t, 0, parse_id(optarg)))
				ret++;
			break;
		case 'a':
			rm_all = 1, what_all = ALL;
			break;
		case OPT_ALL_TYPE:
			rm_all = 1, what_all = all_type(optarg);
			break;
		case 'v':
			verbose = 1;
			break;
		case 'h':
			util_help(&prog);
		}
	}
	if (rm_all && remove_all(what_all))
		ret++;
	if (optind < argc) {
		fprintf(stderr, "ipcrm: unknown argument: %s\n", argv[optind]);
		util_try_help(&prog);
	}
	return ret ? 1 : 0;
}
