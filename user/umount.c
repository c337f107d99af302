/* umount: unmounts the file system mounted on each DIR (root only); its
 * blocks are on the disk when it returns. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>

#include "mica/util.h"

static const struct util_prog prog = {
    .name = "umount",
    .help = "Usage:\n umount DIR...\n\nUnmount the file systems mounted on the DIRs.\n",
    .usage_status = 1,
};

int main(int argc, char **argv)
{
	int rc = 0;
	if (argc > 1 && !strcmp(argv[1], "--help"))
		util_help(&prog);
	if (argc < 2)
		util_usage_error(&prog, "bad usage");
	for (int i = 1; i < argc; i++)
		if (umount(argv[i]) < 0) {
			fprintf(stderr, "umount: %s: %s\n", argv[i],
			        errno == EINVAL ? "not mounted" : strerror(errno));
			rc = 32; /* util-linux's "umount failure" */
		}
	return rc;
}
