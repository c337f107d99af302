/* ps [-l | -L]: the process list from pm: pid, ppid, state letter (R
 * running or ready, S sleeping, Z zombie, as in ps -l), threads, CPU time
 * (of all its threads), name; -l adds the user id, the nice value, PRI as
 * Linux's ps -l shows it (80 + nice: a larger number runs less) and the
 * memory in KiB: VSZ (what is mapped) and RSS (what is in memory). -L
 * shows one row per thread in procps's columns, PID LWP TTY TIME CMD,
 * from /proc/PID/task (LWP: the kernel's thread number; TTY: "?", pm
 * keeps no terminal per process). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mica/posix.h"

static void lwp_row(int pid, const char *lwp, unsigned long secs, const char *name)
{
	printf("%5d %5s %-8s %02lu:%02lu:%02lu %s\n", pid, lwp, "?", secs / 3600, secs / 60 % 60,
	       secs % 60, name);
}

/* Utime (field 14 of /proc/PID/task/LWP/stat, in 1/100 s) in seconds. */
static unsigned long thread_secs(int pid, int lwp)
{
	char path[64];
	unsigned long ticks = 0;
	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, lwp);
	FILE *f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%*d (%*[^)]) %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu",
		           &ticks) != 1)
			ticks = 0;
		fclose(f);
	}
	return ticks / 100;
}

/* One row per thread of p, by LWP; one with LWP "-" if /proc shows none
 * (a zombie, or a server inside the kernel). */
static void thread_rows(const struct pm_procinfo *p)
{
	char path[48], id[16];
	int lwp[64], n = 0;
	snprintf(path, sizeof(path), "/proc/%d/task", p->pid);
	DIR *d = opendir(path);
	for (struct dirent *e; d && n < 64 && (e = readdir(d));)
		if (e->d_name[0] != '.')
			lwp[n++] = atoi(e->d_name);
	if (d)
		closedir(d);
	for (int i = 1; i < n; i++) /* insertion sort: a handful */
		for (int j = i; j > 0 && lwp[j] < lwp[j - 1]; j--) {
			int t = lwp[j];
			lwp[j] = lwp[j - 1], lwp[j - 1] = t;
		}
	for (int i = 0; i < n; i++) {
		snprintf(id, sizeof(id), "%d", lwp[i]);
		lwp_row(p->pid, id, thread_secs(p->pid, lwp[i]), p->name);
	}
	if (!n)
		lwp_row(p->pid, "-", p->cpu_us / 1000000, p->name);
}

int main(int argc, char **argv)
{
	static struct pm_procinfo p[64];
	int lng = argc > 1 && !strcmp(argv[1], "-l");
	int lwp = argc > 1 && !strcmp(argv[1], "-L");
	if (argc > 2 || (argc > 1 && !lng && !lwp)) {
		fprintf(stderr, "ps: unknown option '%s'\nusage: ps [-l | -L]\n", argv[argc - 1]);
		return 1;
	}
	int n = mica_ps(p, 64);
	if (n < 0) {
		perror("ps");
		return 1;
	}
	if (lng)
		printf("  UID   PID  PPID S  NI PRI THR    VSZ    RSS     TIME CMD\n");
	else if (lwp)
		printf("  PID   LWP TTY          TIME CMD\n");
	else
		printf("  PID  PPID S THR     TIME CMD\n");
	for (int i = 0; i < n; i++) {
		if (lng)
			printf("%5d %5d %5d %c %3d %3d %3d %6lu %6lu %4lu.%03lu %s\n", p[i].uid,
			       p[i].pid, p[i].ppid, p[i].state, p[i].nice, 80 + p[i].nice,
			       p[i].nthreads, p[i].vsz_kb, p[i].rss_kb, p[i].cpu_us / 1000000,
			       p[i].cpu_us / 1000 % 1000, p[i].name);
		else if (lwp)
			thread_rows(&p[i]);
		else
			printf("%5d %5d %c %3d %4lu.%03lu %s\n", p[i].pid, p[i].ppid, p[i].state,
			       p[i].nthreads, p[i].cpu_us / 1000000, p[i].cpu_us / 1000 % 1000,
			       p[i].name);
	}
	return 0;
}
