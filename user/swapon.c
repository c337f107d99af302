/* swapon DEVICE: pm pages to DEVICE (made by mkswap) when memory runs
 * low; swapon -s (--show, --summary) lists the areas (/proc/swaps).
 * swapoff DEVICE is the same program under that name: it brings every
 * page back and stops. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "mica/posix.h"
#include "mica/proto/pm.h"
#include "mica/runtime.h"
#include "mica/syscall.h"

static int show(void)
{
	FILE *f = fopen("/proc/swaps", "r");
	char line[256];
	if (!f) {
		perror("swapon: /proc/swaps");
		return 1;
	}
	while (fgets(line, sizeof(line), f))
		fputs(line, stdout);
	fclose(f);
	return 0;
}

int main(int argc, char **argv)
{
	const char *me = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	bool off = !strcmp(me, "swapoff");
	if (argc == 2 && !off &&
	    (!strcmp(argv[1], "-s") || !strcmp(argv[1], "--show") || !strcmp(argv[1], "--summary")))
		return show();
	if (argc != 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: %s DEVICE%s\n", me, off ? "" : "\n       swapon -s");
		return 1;
	}
	size_t n = strlen(argv[1]) + 1;
	char *buf = mica_ipcbuf();
	if (!buf || n > 64) {
		fprintf(stderr, "%s: %s: %s\n", me, argv[1], strerror(ENAMETOOLONG));
		return 1;
	}
	memcpy(buf, argv[1], n);
	struct ipc_msg m = {.tag = MAKE_TAG(PM_SWAPON, off ? 0 : n), .m = {off ? 1ul : 0ul}};
	long r = mica_call(SLOT_PM, &m);
	r = r < 0 ? r : PROTO_RESULT(m.tag);
	if (r < 0) {
		mica_fail(r); /* pm's -errno as errno */
		fprintf(stderr, "%s: %s: %s failed: %s\n", me, argv[1], me, strerror(errno));
		return r == -EPERM ? 1 : 255;
	}
	return 0;
}
