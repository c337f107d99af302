/* cat [FILE]...: copies each FILE (none or "-": standard input) to
 * standard output. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mica/util.h"

static const struct util_opt opts[] = {{'u', NULL, NULL, 0}, {0}};
static const struct util_prog prog = {
    .name = "cat",
    .help = "Usage: cat [FILE]...\n"
            "Concatenate FILE(s) to standard output.\n\n"
            "With no FILE, or when FILE is -, read standard input.\n"
            "  -u  (ignored)\n",
    .usage_status = 1,
    .opts = opts,
};

/* 0 on success, 1 after a read error; exits on a write error. */
static int copy(int fd, const char *name)
{
	int err = util_copy_fd(fd, 1);
	if (err == UTIL_WRITE_ERROR) {
		fprintf(stderr, "cat: write error: %s\n", strerror(errno));
		_exit(1);
	}
	if (err) {
		fprintf(stderr, "cat: %s: %s\n", name, strerror(errno));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	char **files = argv + 1;
	int nfiles = util_parse_args(&prog, argc, argv), rc = 0;
	if (!nfiles) {
		static char *dash[] = {"-"};
		files = dash, nfiles = 1;
	}
	for (int i = 0; i < nfiles; i++) {
		if (!strcmp(files[i], "-")) {
			rc |= copy(0, "-");
			continue;
		}
		int fd = open(files[i], O_RDONLY);
		if (fd < 0) {
			fprintf(stderr, "cat: %s: %s\n", files[i], strerror(errno));
			rc = 1;
			continue;
		}
		rc |= copy(fd, files[i]);
		close(fd);
	}
	return rc;
}
