/* sync [FILE]...: with no operand, writes every dirty disk block back and
 * waits until it is there; with FILEs, does that for each with fsync and
 * reports a failure (as coreutils' sync does), status 1. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int status = 0;
	if (argc < 2) {
		sync();
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY | O_NONBLOCK);
		if (fd < 0) {
			fprintf(stderr, "sync: error opening '%s': %s\n", argv[i], strerror(errno));
			status = 1;
			continue;
		}
		if (fsync(fd) < 0) {
			fprintf(stderr, "sync: error syncing '%s': %s\n", argv[i], strerror(errno));
			status = 1;
		}
		close(fd);
	}
	return status;
}
