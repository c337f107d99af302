/* free: memory in KiB, like procps free(1). */
#include <stdio.h>

#include "mica/syscall.h"

int main(void)
{
	struct kinfo k;
	if (mica_kinfo(&k))
		return 1;
	unsigned long total = k.frames_total * 4, avail = k.frames_free * 4;
	printf("%15s %11s %11s\n", "total", "used", "free");
	printf("Mem: %10lu %11lu %11lu\n", total, total - avail, avail);
	return 0;
}
