/* ps: the process list from pm: pid, ppid, state letter (R running or
 * ready, S sleeping, Z zombie, as in ps -l), threads, CPU time, name. */
#include <stdio.h>

#include "mica/posix.h"

int main(void)
{
	static struct pm_procinfo p[64];
	int n = mica_ps(p, 64);
	if (n < 0) {
		perror("ps");
		return 1;
	}
	printf("  PID  PPID S THR     TIME CMD\n");
	for (int i = 0; i < n; i++)
		printf("%5d %5d %c %3d %4lu.%03lu %s\n", p[i].pid, p[i].ppid, p[i].state,
		       p[i].nthreads, p[i].cpu_us / 1000000, p[i].cpu_us / 1000 % 1000, p[i].name);
	return 0;
}
