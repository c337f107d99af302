/* init (root task, for now): shows that user mode runs, then waits.
 * The real init, following /etc/inittab over the servers, replaces it
 * with the operating-system issue. */
#include <stdio.h>

#include "mica/runtime.h"
#include "mica/syscall.h"

int main(void)
{
	struct kinfo k;
	mica_kinfo(&k);
	printf("init: running in user mode; %lu tasks, %lu threads, %lu of %lu frames free\n",
	       k.ntasks, k.nthreads, k.frames_free, k.frames_total);
	printf("init: nothing else to start yet; Ctrl-A x leaves QEMU\n");
	for (;;)
		mica_sleep(3600L * 1000000L);
}
