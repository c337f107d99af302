/* Builtins about processes and their limits: kill (with job specs %n and
 * -l), times, ulimit (getrlimit/setrlimit), and fc -l over the prompt's
 * history. */
#include <errno.h>
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

static const struct limit {
	char opt;
	int resource;
	int unit; /* bytes per unit shown */
	const char *name;
} limits[] = {
    {'t', RLIMIT_CPU, 1, "time(seconds)"},
    {'f', RLIMIT_FSIZE, 512, "file(blocks)"},
    {'d', RLIMIT_DATA, 1024, "data(kbytes)"},
    {'s', RLIMIT_STACK, 1024, "stack(kbytes)"},
    {'c', RLIMIT_CORE, 512, "coredump(blocks)"},
    {'m', RLIMIT_RSS, 1024, "memory(kbytes)"},
    {'l', RLIMIT_MEMLOCK, 1024, "locked memory(kbytes)"},
    {'u', RLIMIT_NPROC, 1, "process"},
    {'n', RLIMIT_NOFILE, 1, "nofiles"},
    {'v', RLIMIT_AS, 1024, "vmemory(kbytes)"},
};

static int limit_show(const struct limit *l, bool hard, bool named)
{
	struct rlimit rl;
	if (getrlimit(l->resource, &rl) < 0) {
		sh_error("ulimit: %s", strerror(errno));
		return 1;
	}
	rlim_t v = hard ? rl.rlim_max : rl.rlim_cur;
	if (named)
		printf("%-20s ", l->name);
	if (v == RLIM_INFINITY)
		puts("unlimited");
	else
		printf("%llu\n", (unsigned long long)(v / (rlim_t)l->unit));
	return 0;
}

static int limit_set(const struct limit *l, const char *arg, bool hard, bool soft)
{
	struct rlimit rl;
	char *end;
	rlim_t v = RLIM_INFINITY;
	if (strcmp(arg, "unlimited")) {
		unsigned long long n = strtoull(arg, &end, 10);
		if (!*arg || *end) {
			sh_error("ulimit: %s: bad number", arg);
			return 1;
		}
		v = (rlim_t)n * (rlim_t)l->unit;
	}
	if (getrlimit(l->resource, &rl) < 0) {
		sh_error("ulimit: %s", strerror(errno));
		return 1;
	}
	if (hard)
		rl.rlim_max = v;
	if (soft)
		rl.rlim_cur = v;
	if (setrlimit(l->resource, &rl) < 0) {
		sh_error("ulimit: error setting limit (%s)", strerror(errno));
		return 1;
	}
	return 0;
}

static int bi_ulimit(int argc, char **argv)
{
	const struct limit *l = &limits[1]; /* -f */
	bool hard = false, soft = false, all = false;
	int i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++)
		for (const char *o = argv[i] + 1; *o; o++) {
			size_t k = 0;
			while (k < sizeof(limits) / sizeof(limits[0]) && limits[k].opt != *o)
				k++;
			if (*o == 'H' || *o == 'S' || *o == 'a') {
				hard |= *o == 'H', soft |= *o == 'S', all |= *o == 'a';
			} else if (k < sizeof(limits) / sizeof(limits[0])) {
				l = &limits[k];
			} else {
				sh_error("ulimit: -%c: invalid option", *o);
				return 2;
			}
		}
	if (all) {
		for (size_t k = 0; k < sizeof(limits) / sizeof(limits[0]); k++)
			limit_show(&limits[k], hard, true);
		return 0;
	}
	if (i >= argc)
		return limit_show(l, hard, false);
	return limit_set(l, argv[i], hard || !soft, soft || !hard);
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
