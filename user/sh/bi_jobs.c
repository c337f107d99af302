/* Builtins about processes and their limits: kill (with job specs %n and
 * -l), times, ulimit (getrlimit/setrlimit), and fc -l over the prompt's
 * history. */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/times.h>
#include <unistd.h>

#include "sh.h"

/* kill -l [status...]: the signal names, or the one each status names. */
static int kill_list(int argc, char **argv)
{
	int status = 0;
	if (argc == 0)
		for (int s = 1; sig_name(s); s++)
			puts(sig_name(s));
	for (int i = 0; i < argc; i++) {
		int n = atoi(argv[i]);
		const char *nm = sig_name(n > 128 ? n - 128 : n);
		if (nm) {
			puts(nm);
		} else {
			sh_error("kill: %s: invalid signal specification", argv[i]);
			status = 1;
		}
	}
	return status;
}

static int bi_kill(int argc, char **argv)
{
	int sig = SIGTERM, i = 1, status = 0;
	if (i < argc && (!strcmp(argv[i], "-l") || !strcmp(argv[i], "-L")))
		return kill_list(argc - 2, argv + 2);
	if (i + 1 < argc && (!strcmp(argv[i], "-s") || !strcmp(argv[i], "-n")))
		sig = trap_signal(argv[++i]), i++;
	else if (i < argc && argv[i][0] == '-' && argv[i][1] && strcmp(argv[i], "--"))
		sig = trap_signal(argv[i++] + 1);
	if (i < argc && !strcmp(argv[i], "--"))
		i++;
	if (sig < 0) {
		sh_error("kill: %s: invalid signal specification", argv[i - 1]);
		return 1;
	}
	if (i >= argc) {
		sh_error("kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... "
		         "or kill -l [sigspec]");
		return 2;
	}
	for (; i < argc; i++) {
		pid_t pid = jobs_pid("kill", argv[i], true);
		if (pid == 0) {
			status = 1;
		} else if (kill(pid, sig) < 0) {
			sh_error("kill: (%s) - %s", argv[i], strerror(errno));
			status = 1;
		}
	}
	return status;
}

static void print_time(clock_t a, clock_t b)
{
	long hz = sysconf(_SC_CLK_TCK) > 0 ? sysconf(_SC_CLK_TCK) : 100;
	printf("%ldm%.6fs %ldm%.6fs\n", (long)(a / hz / 60), (double)(a % (hz * 60)) / (double)hz,
	       (long)(b / hz / 60), (double)(b % (hz * 60)) / (double)hz);
}

static int bi_times(int argc, char **argv)
{
	struct tms t;
	(void)argc, (void)argv;
	if (times(&t) == (clock_t)-1) {
		sh_error("times: %s", strerror(errno));
		return 1;
	}
	print_time(t.tms_utime, t.tms_stime);
	print_time(t.tms_cutime, t.tms_cstime);
	return 0;
}

/* --- ulimit ---------------------------------------------------------------------- */

/* bash's table, in its order: option, resource, bytes per unit shown,
 * and what -a prints. -p (the pipe buffer) is no resource: read only. */
#define PIPE_SIZE (-1)
static const struct limit {
	char opt;
	int resource;
	int unit;
	const char *name, *units;
} limits[] = {
    {'R', RLIMIT_RTTIME, 1, "real-time non-blocking time", "microseconds"},
    {'c', RLIMIT_CORE, 1024, "core file size", "blocks"},
    {'d', RLIMIT_DATA, 1024, "data seg size", "kbytes"},
    {'e', RLIMIT_NICE, 1, "scheduling priority", NULL},
    {'f', RLIMIT_FSIZE, 1024, "file size", "blocks"},
    {'i', RLIMIT_SIGPENDING, 1, "pending signals", NULL},
    {'l', RLIMIT_MEMLOCK, 1024, "max locked memory", "kbytes"},
    {'m', RLIMIT_RSS, 1024, "max memory size", "kbytes"},
    {'n', RLIMIT_NOFILE, 1, "open files", NULL},
    {'p', PIPE_SIZE, 512, "pipe size", "512 bytes"},
    {'q', RLIMIT_MSGQUEUE, 1, "POSIX message queues", "bytes"},
    {'r', RLIMIT_RTPRIO, 1, "real-time priority", NULL},
    {'s', RLIMIT_STACK, 1024, "stack size", "kbytes"},
    {'t', RLIMIT_CPU, 1, "cpu time", "seconds"},
    {'u', RLIMIT_NPROC, 1, "max user processes", NULL},
    {'v', RLIMIT_AS, 1024, "virtual memory", "kbytes"},
    {'x', RLIMIT_LOCKS, 1, "file locks", NULL},
};
#define NLIMITS (sizeof(limits) / sizeof(limits[0]))

static int get_limit(const struct limit *l, struct rlimit *rl)
{
	if (l->resource == PIPE_SIZE) {
		rl->rlim_cur = rl->rlim_max = PIPE_BUF;
		return 0;
	}
	return getrlimit(l->resource, rl);
}

/* One limit, soft or hard; with its description when named (-a, or
 * more than one asked). */
static int limit_show(const struct limit *l, bool hard, bool named)
{
	struct rlimit rl;
	if (get_limit(l, &rl) < 0) {
		sh_error("ulimit: %s: cannot get limit: %s", l->name, strerror(errno));
		return 1;
	}
	rlim_t v = hard ? rl.rlim_max : rl.rlim_cur;
	if (named) {
		char units[32];
		if (l->units)
			snprintf(units, sizeof(units), "(%s, -%c) ", l->units, l->opt);
		else
			snprintf(units, sizeof(units), "(-%c) ", l->opt);
		printf("%-20s %20s", l->name, units);
	}
	if (v == RLIM_INFINITY)
		puts("unlimited");
	else
		printf("%llu\n", (unsigned long long)(v / (rlim_t)l->unit));
	return 0;
}

/* "unlimited", "hard", "soft" or a decimal count of units, as bash. */
static int limit_value(const struct limit *l, const char *arg, const struct rlimit *now, rlim_t *v)
{
	if (!strcmp(arg, "unlimited"))
		return *v = RLIM_INFINITY, 0;
	if (!strcmp(arg, "hard") || !strcmp(arg, "soft"))
		return *v = arg[0] == 'h' ? now->rlim_max : now->rlim_cur, 0;
	char *end;
	errno = 0;
	unsigned long long n = strtoull(arg, &end, 10);
	if (!*arg || *end || *arg == '-' || errno || n > RLIM_INFINITY / (rlim_t)l->unit) {
		sh_error("ulimit: %s: invalid number", arg);
		return -1;
	}
	*v = (rlim_t)n * (rlim_t)l->unit;
	return 0;
}

/* Sets the soft or the hard limit, or both (neither -S nor -H). */
static int limit_set(const struct limit *l, const char *arg, bool hard, bool soft)
{
	struct rlimit rl;
	rlim_t v;
	if (get_limit(l, &rl) < 0 || limit_value(l, arg, &rl, &v) < 0)
		return 1;
	if (hard)
		rl.rlim_max = v;
	if (soft)
		rl.rlim_cur = v;
	errno = EINVAL; /* the pipe size cannot be set */
	if (l->resource == PIPE_SIZE || setrlimit(l->resource, &rl) < 0) {
		sh_error("ulimit: %s: cannot modify limit: %s", l->name, strerror(errno));
		return 1;
	}
	return 0;
}

/* ulimit [-SHa] [-RcdefilmnpqrstuvxX [limit]]...: bash's. Each resource
 * option takes the next word as its new limit unless that is another
 * option; -S or -H alone picks the soft or the hard limit (setting
 * sets both); none asked means -f. */
static int bi_ulimit(int argc, char **argv)
{
	const struct limit *asked[NLIMITS];
	const char *value[NLIMITS];
	bool hard = false, soft = false, all = false;
	size_t n = 0;
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i];
		if (o[0] != '-' || !o[1]) { /* a limit for the last option, or for -f */
			if (!n)
				asked[n] = &limits[4], value[n++] = NULL;
			if (!value[n - 1])
				value[n - 1] = o;
			continue;
		}
		for (o++; *o; o++) {
			size_t k = 0;
			while (k < NLIMITS && limits[k].opt != *o)
				k++;
			if (*o == 'H' || *o == 'S' || *o == 'a') {
				hard |= *o == 'H', soft |= *o == 'S', all |= *o == 'a';
			} else if (k < NLIMITS && n < NLIMITS) {
				asked[n] = &limits[k], value[n++] = NULL;
			} else {
				sh_error("ulimit: -%c: invalid option", *o);
				fputs("ulimit: usage: ulimit [-SHabcdefiklmnpqrstuvxPRT] [limit]\n",
				      stderr);
				return 2;
			}
		}
	}
	int status = 0;
	if (all) {
		for (size_t k = 0; k < NLIMITS; k++)
			status |= limit_show(&limits[k], hard, true);
		return status;
	}
	if (!n)
		asked[n] = &limits[4], value[n++] = NULL;
	for (size_t k = 0; k < n; k++)
		status |= value[k] ? limit_set(asked[k], value[k], hard || !soft, soft || !hard)
		                   : limit_show(asked[k], hard, n > 1);
	return status;
}

/* fc -l [-n] [-r] [first [last]]: lists the history (editing is not supported). */
static int bi_fc(int argc, char **argv)
{
	bool list = false, nums = true, rev = false;
	int i = 1, last = le_history_last(), from, to;
	for (; i < argc && argv[i][0] == '-' && argv[i][1] &&
	       !(argv[i][1] >= '0' && argv[i][1] <= '9');
	     i++)
		for (const char *o = argv[i] + 1; *o; o++) {
			list |= *o == 'l', nums &= *o != 'n', rev |= *o == 'r';
			if (!strchr("lnr", *o)) {
				sh_error("fc: -%c: only listing (-l -n -r) is supported", *o);
				return 2;
			}
		}
	if (!list) {
		sh_error("fc: only listing (fc -l) is supported");
		return 2;
	}
	from = i < argc ? atoi(argv[i]) : last - 15;
	to = i + 1 < argc ? atoi(argv[i + 1]) : last;
	from = from < 0 ? last + from : from;
	to = to < 0 ? last + to : to;
	if (rev ? from < to : from > to) {
		int t = from;
		from = to, to = t;
	}
	for (int n = from; rev ? n >= to : n <= to; n += rev ? -1 : 1) {
		const char *h = le_history_get(n);
		if (h && nums)
			printf("%d\t%s\n", n, h);
		else if (h)
			printf("\t%s\n", h);
	}
	return 0;
}

const struct builtin_def job_builtins[] = {
    {"kill", bi_kill}, {"times", bi_times}, {"ulimit", bi_ulimit}, {"fc", bi_fc}, {NULL, NULL},
};
