/* cat [FILE]...: copies each FILE (none or "-": standard input) to
 * standard output. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char buf[4096];

static int usage(int status)
{
	if (status)
		fprintf(stderr, "Try 'cat --help' for more information.\n");
	else
		printf("Usage: cat [FILE]...\n"
		       "Concatenate FILE(s) to standard output.\n\n"
		       "With no FILE, or when FILE is -, read standard input.\n"
		       "  -u  (ignored)\n");
	return status;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w, n -= (size_t)w;
	}
	return 0;
}

/* 0 on success, 1 after a read error; exits on a write error. */
static int copy(int fd, const char *name)
{
	ssize_t n;
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "cat: %s: %s\n", name, strerror(errno));
			return 1;
		}
		if (write_all(1, buf, (size_t)n) < 0) {
			fprintf(stderr, "cat: write error: %s\n", strerror(errno));
			_exit(1);
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	char **files = argv + 1;
	int nfiles = 0, rc = 0, dashdash = 0;
	for (int i = 1; i < argc; i++) {
		char *a = argv[i];
		if (dashdash || a[0] != '-' || !a[1]) {
			files[nfiles++] = a;
		} else if (!strcmp(a, "--")) {
			dashdash = 1;
		} else if (!strcmp(a, "--help")) {
			return usage(0);
		} else if (a[1] == '-') {
			fprintf(stderr, "cat: unrecognized option '%s'\n", a);
			return usage(1);
		} else {
			for (char *o = a + 1; *o; o++)
				if (*o != 'u') {
					fprintf(stderr, "cat: invalid option -- '%c'\n", *o);
					return usage(1);
				}
		}
	}
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
