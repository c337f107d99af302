/* dmesg: prints the kernel's log ring (SYS_KLOG), the boot log and the
 * kernel's later messages (faults, servers' deaths), each line stamped
 * with seconds since boot. -c is refused (the ring is read-only). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mica/syscall.h"

static char buf[16 * 1024];

int main(int argc, char **argv)
{
	if (argc > 1) {
		fprintf(stderr, "dmesg: unknown option '%s'\nusage: dmesg\n", argv[1]);
		return 1;
	}
	long n = mica_klog(buf, sizeof(buf));
	if (n < 0) {
		fputs("dmesg: read kernel buffer failed: Bad address\n", stderr);
		return 1;
	}
	char *start = buf;
	if (n == (long)sizeof(buf)) { /* the ring wrapped: drop the partial first line */
		char *nl = memchr(buf, '\n', (size_t)n);
		if (nl)
			start = nl + 1;
	}
	fwrite(start, 1, (size_t)(buf + n - start), stdout);
	return 0;
}
