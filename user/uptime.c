/* uptime: time since boot and the process count. */
#include <stdio.h>

#include "mica/syscall.h"

int main(void)
{
	struct kinfo k;
	if (mica_kinfo(&k))
		return 1;
	unsigned long s = k.uptime_us / 1000000;
	printf(" up %lu:%02lu:%02lu, %lu tasks, %lu threads\n", s / 3600, s / 60 % 60, s % 60,
	       k.ntasks, k.nthreads);
	return 0;
}
