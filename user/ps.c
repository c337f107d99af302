/* ps [-l]: the process list from pm: pid, ppid, state letter (R running
 * or ready, S sleeping, Z zombie, as in ps -l), threads, CPU time, name;
 * -l adds the user id, the nice value, PRI as Linux's ps -l shows it
 * (80 + nice: a larger number runs less) and the memory in KiB: VSZ
 * (what is mapped) and RSS (what is in memory). */
#include <stdio.h>
#include <string.h>

#include "mica/posix.h"

int main(int argc, char **argv)
{
	static struct pm_procinfo p[64];
	int lng = argc > 1 && !strcmp(argv[1], "-l");
	if (argc > 1 && !lng) {
		fprintf(stderr, "ps: unknown option '%s'\nusage: ps [-l]\n", argv[1]);
		return 1;
	}
	int n = mica_ps(p, 64);
	if (n < 0) {
		perror("ps");
		return 1;
	}
	if (lng)
		printf("  UID   PID  PPID S  NI PRI THR    VSZ    RSS     TIME CMD\n");
	else
		printf("  PID  PPID S THR     TIME CMD\n");
	for (int i = 0; i < n; i++) {
		if (lng)
			printf("%5d %5d %5d %c %3d %3d %3d %6lu %6lu %4lu.%03lu %s\n", p[i].uid,
			       p[i].pid, p[i].ppid, p[i].state, p[i].nice, 80 + p[i].nice,
			       p[i].nthreads, p[i].vsz_kb, p[i].rss_kb, p[i].cpu_us / 1000000,
			       p[i].cpu_us / 1000 % 1000, p[i].name);
		else
			printf("%5d %5d %c %3d %4lu.%03lu %s\n", p[i].pid, p[i].ppid, p[i].state,
			       p[i].nthreads, p[i].cpu_us / 1000000, p[i].cpu_us / 1000 % 1000,
			       p[i].name);
	}
	return 0;
}
