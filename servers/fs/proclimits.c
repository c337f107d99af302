/* /proc/N/limits and /proc/N/sched in Linux's layouts: a process's
 * resource limits and nice value as pm last told fs (FS_PM_LIMITS,
 * copied at fork), and its first thread's share and virtual runtime as
 * the kernel keeps them (docs/sched.md). */
#include <stdio.h>

#include "files.h"
#include "fsdev.h"
#include "mica/syscall.h"

static const struct {
	const char *name, *unit;
} lnames[MRLIM_N] = {
    [MRLIM_CPU] = {"Max cpu time", "seconds"},
    [MRLIM_FSIZE] = {"Max file size", "bytes"},
    [MRLIM_DATA] = {"Max data size", "bytes"},
    [MRLIM_STACK] = {"Max stack size", "bytes"},
    [MRLIM_CORE] = {"Max core file size", "bytes"},
    [MRLIM_RSS] = {"Max resident set", "bytes"},
    [MRLIM_NPROC] = {"Max processes", "processes"},
    [MRLIM_NOFILE] = {"Max open files", "files"},
    [MRLIM_MEMLOCK] = {"Max locked memory", "bytes"},
    [MRLIM_AS] = {"Max address space", "bytes"},
    [MRLIM_LOCKS] = {"Max file locks", "locks"},
    [MRLIM_SIGPENDING] = {"Max pending signals", "signals"},
    [MRLIM_MSGQUEUE] = {"Max msgqueue size", "bytes"},
    [MRLIM_NICE] = {"Max nice priority", NULL},
    [MRLIM_RTPRIO] = {"Max realtime priority", NULL},
    [MRLIM_RTTIME] = {"Max realtime timeout", "us"},
};

/* pid's limits and nice value: its fs row's, or the defaults. */
static struct pm_limits limits_of(int pid)
{
	struct fsproc *p = fsproc_get(pid, false);
	struct pm_limits l = {.pid = pid};
	if (p)
		return p->lim;
	mrlimit_defaults(l.rlim);
	return l;
}

int procfs_nice(int pid)
{
	return limits_of(pid).nice;
}

/* One limit: "unlimited" or the number, left-aligned in 20 columns. */
static int limit_field(char *buf, size_t len, uint64_t v)
{
	if (v == MRLIM_INF)
		return snprintf(buf, len, "%-20s ", "unlimited");
	return snprintf(buf, len, "%-20lu ", (unsigned long)v);
}

long procfs_limits(int pid, char *buf, size_t len)
{
	struct pm_limits l = limits_of(pid);
	size_t n = (size_t)snprintf(buf, len, "%-25s %-20s %-20s %-10s\n", "Limit", "Soft Limit",
	                            "Hard Limit", "Units");
	for (int i = 0; i < MRLIM_N && n < len; i++) {
		n += (size_t)snprintf(buf + n, len - n, "%-25s ", lnames[i].name);
		n += n < len ? (size_t)limit_field(buf + n, len - n, l.rlim[i].cur) : 0;
		n += n < len ? (size_t)limit_field(buf + n, len - n, l.rlim[i].max) : 0;
		if (n < len)
			n += (size_t)snprintf(buf + n, len - n, lnames[i].unit ? "%-10s\n" : "\n",
			                      lnames[i].unit);
	}
	return (long)(n < len ? n : len);
}

/* Microseconds as Linux's milliseconds with six decimals. */
static int ms_field(char *buf, size_t len, const char *name, long us)
{
	char whole[24];
	unsigned long a = us < 0 ? (unsigned long)-us : (unsigned long)us;
	snprintf(whole, sizeof(whole), "%s%lu", us < 0 ? "-" : "", a / 1000);
	return snprintf(buf, len, "%-45s:%14s.%06lu\n", name, whole, a % 1000 * 1000);
}

long procfs_sched(const struct proc_row *r, char *buf, size_t len)
{
	struct thread_info ti = {0}, other;
	int threads = 0;
	while (r->task >= 0 && mica_thread_info(r->task, threads, threads ? &other : &ti) == 0)
		threads++;
	int nice = limits_of(r->p.pid).nice;
	size_t n = (size_t)snprintf(buf, len, "%s (%d, #threads: %d)\n%.67s\n", r->p.name, r->p.pid,
	                            threads,
	                            "-------------------------------------------------------------"
	                            "------");
	n += n < len ? (size_t)ms_field(buf + n, len - n, "se.vruntime", ti.vruntime_us) : 0;
	n += n < len ? (size_t)ms_field(buf + n, len - n, "se.sum_exec_runtime", (long)ti.cpu_us)
	             : 0;
	if (n < len)
		n += (size_t)snprintf(buf + n, len - n,
		                      "%-45s:%21lu\n%-45s:%21lu\n%-45s:%21lu\n%-45s:%21lu\n"
		                      "%-45s:%21d\n%-45s:%21d\n",
		                      "nr_switches", ti.nvcsw + ti.nivcsw, "nr_voluntary_switches",
		                      ti.nvcsw, "nr_involuntary_switches", ti.nivcsw,
		                      "se.load.weight", ti.weight << 10, "policy", 0, "prio",
		                      120 + nice);
	return (long)(n < len ? n : len);
}
