/* cksum [FILE]...: the POSIX CRC, the byte count and the name of each FILE
 * (none or "-": standard input, printed without a name). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/crc.h"
#include "mica/util.h"

static const struct util_prog prog = {
    .name = "cksum",
    .help = "Usage: cksum [FILE]...\n"
            "Print CRC checksum and byte counts of each FILE.\n\n"
            "With no FILE, or when FILE is -, read standard input.\n",
    .usage_status = 1,
};

/* Prints the line for one file; 0, or 1 after reporting an error. */
static int cksum(const char *name, int named)
{
	static char buf[4096];
	int std = !strcmp(name, "-");
	int fd = std ? 0 : open(name, O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "cksum: %s: %s\n", name, strerror(errno));
		return 1;
	}
	uint32_t crc = 0;
	uint64_t len = 0;
	ssize_t n;
	while ((n = util_read(fd, buf, sizeof(buf))) > 0) {
		crc = crc_update(crc, buf, (size_t)n);
		len += (uint64_t)n;
	}
	if (n < 0)
		fprintf(stderr, "cksum: %s: %s\n", name, strerror(errno));
	if (!std)
		close(fd);
	if (n < 0)
		return 1;
	printf("%lu %llu", (unsigned long)crc_finish(crc, len), (unsigned long long)len);
	printf(named ? " %s\n" : "\n", name);
	return 0;
}

int main(int argc, char **argv)
{
	int n = util_parse_args(&prog, argc, argv), rc = 0;
	if (!n)
		return cksum("-", 0);
	for (int i = 1; i <= n; i++)
		rc |= cksum(argv[i], 1);
	return rc;
}
