/* head [-n N | -c N | -N] [FILE]...: the first N lines (default 10) or
 * bytes of each FILE
 * (none or "-": standard input), with "==> FILE <==" headers for several. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mica/util.h"

static char buf[4096];

static const struct util_prog prog = {
    .name = "head",
    .help = "Usage: head [OPTION]... [FILE]...\n"
            "Print the first 10 lines of each FILE to standard output.\n"
            "With more than one FILE, precede each with a header giving the file name.\n\n"
            "With no FILE, or when FILE is -, read standard input.\n\n"
            "  -c, --bytes=NUM  print the first NUM bytes of each file\n"
            "  -n, --lines=NUM  print the first NUM lines instead of the first 10\n"
            "  -NUM             the same as -n NUM\n",
    .usage_status = 1,
};

/* A decimal line count, or -1. */
static long parse_count(const char *s)
{
	char *end;
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	long n = strtol(s, &end, 10);
	return *end || errno ? -1 : n;
}

static int bytes; /* -c: count bytes, not lines */

/* Copies the first lines lines (or bytes) of fd; 0, or 1 after a read
 * error. */
static int head(int fd, const char *name, long lines)
{
	while (lines > 0) {
		ssize_t n = util_read(fd, buf, sizeof(buf));
		if (n == 0)
			break;
		if (n < 0) {
			fprintf(stderr, "head: error reading '%s': %s\n", name, strerror(errno));
			return 1;
		}
		size_t len = 0;
		if (bytes) {
			len = (size_t)lines < (size_t)n ? (size_t)lines : (size_t)n;
			lines -= (long)len;
		}
		while (!bytes && len < (size_t)n && lines > 0)
			if (buf[len++] == '\n')
				lines--;
		if (util_write_all(1, buf, len) < 0) {
			fprintf(stderr, "head: error writing 'standard output': %s\n",
			        strerror(errno));
			_exit(1);
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	char **files = argv + 1;
	int nfiles = 0, rc = 0, dashdash = 0, headers = 0;
	long lines = 10;
	for (int i = 1; i < argc; i++) {
		char *a = argv[i], *num = NULL;
		if (dashdash || a[0] != '-' || !a[1]) {
			files[nfiles++] = a;
			continue;
		}
		if (!strcmp(a, "--")) {
			dashdash = 1;
			continue;
		}
		if (!strcmp(a, "--help"))
			util_help(&prog);
		if (!strncmp(a, "--lines=", 8) || !strncmp(a, "--bytes=", 8)) {
			num = a + 8, bytes = a[2] == 'b';
		} else if (a[1] == '-') {
			util_usage_error(&prog, "unrecognized option '%s'", a);
		} else if (a[1] >= '0' && a[1] <= '9') {
			num = a + 1, bytes = 0;
		} else if (a[1] == 'n' || a[1] == 'c') {
			bytes = a[1] == 'c';
			if (a[2])
				num = a + 2;
			else if (i + 1 < argc)
				num = argv[++i];
			else
				util_usage_error(&prog, "option requires an argument -- '%c'",
				                 a[1]);
		} else {
			util_usage_error(&prog, "invalid option -- '%c'", a[1]);
		}
		if ((lines = parse_count(num)) < 0) {
			fprintf(stderr, "head: invalid number of %s: '%s'\n",
			        bytes ? "bytes" : "lines", num);
			return 1;
		}
	}
	if (!nfiles) {
		static char *dash[] = {"-"};
		files = dash, nfiles = 1;
	}
	for (int i = 0; i < nfiles; i++) {
		int std = !strcmp(files[i], "-");
		const char *name = std ? "standard input" : files[i];
		int fd = std ? 0 : open(files[i], O_RDONLY);
		if (fd < 0) {
			fprintf(stderr, "head: cannot open '%s' for reading: %s\n", files[i],
			        strerror(errno));
			rc = 1;
			continue;
		}
		if (nfiles > 1) {
			printf("%s==> %s <==\n", headers++ ? "\n" : "", name);
			fflush(stdout);
		}
		rc |= head(fd, name, lines);
		if (!std)
			close(fd);
	}
	return rc;
}
