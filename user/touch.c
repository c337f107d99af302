/* touch [-c] FILE...: creates each FILE that does not exist (-c: does not);
 * an existing file is opened for writing and closed, which changes nothing. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int usage(int status)
{
	if (status)
		fprintf(stderr, "Try 'touch --help' for more information.\n");
	else
		printf("Usage: touch [OPTION]... FILE...\n"
		       "Create each FILE that does not exist.\n\n"
		       "  -c, --no-create  do not create any files\n");
	return status;
}

int main(int argc, char **argv)
{
	char **files = argv + 1;
	int nfiles = 0, rc = 0, dashdash = 0, nocreate = 0;
	for (int i = 1; i < argc; i++) {
		char *a = argv[i];
		if (dashdash || a[0] != '-' || !a[1]) {
			files[nfiles++] = a;
		} else if (!strcmp(a, "--")) {
			dashdash = 1;
		} else if (!strcmp(a, "--help")) {
			return usage(0);
		} else if (!strcmp(a, "--no-create")) {
			nocreate = 1;
		} else if (a[1] == '-') {
			fprintf(stderr, "touch: unrecognized option '%s'\n", a);
			return usage(1);
		} else {
			for (char *o = a + 1; *o; o++) {
				if (*o != 'c') {
					fprintf(stderr, "touch: invalid option -- '%c'\n", *o);
					return usage(1);
				}
				nocreate = 1;
			}
		}
	}
	if (!nfiles) {
		fprintf(stderr, "touch: missing file operand\n");
		return usage(1);
	}
	for (int i = 0; i < nfiles; i++) {
		int fd = open(files[i], O_WRONLY | O_APPEND | (nocreate ? 0 : O_CREAT), 0666);
		if (fd >= 0) {
			close(fd);
		} else if (errno == EISDIR || (nocreate && errno == ENOENT)) {
			/* a directory exists already; -c: nothing to do */
		} else {
			fprintf(stderr, "touch: cannot touch '%s': %s\n", files[i],
			        strerror(errno));
			rc = 1;
		}
	}
	return rc;
}
