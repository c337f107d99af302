/* rmdir DIRECTORY...: removes the directories, which must be empty. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int usage(int status)
{
	if (status)
		fprintf(stderr, "Try 'rmdir --help' for more information.\n");
	else
		printf("Usage: rmdir DIRECTORY...\n"
		       "Remove the DIRECTORY(ies), if they are empty.\n");
	return status;
}

int main(int argc, char **argv)
{
	char **dirs = argv + 1;
	int ndirs = 0, rc = 0, dashdash = 0;
	for (int i = 1; i < argc; i++) {
		char *a = argv[i];
		if (dashdash || a[0] != '-' || !a[1]) {
			dirs[ndirs++] = a;
		} else if (!strcmp(a, "--")) {
			dashdash = 1;
		} else if (!strcmp(a, "--help")) {
			return usage(0);
		} else if (a[1] == '-') {
			fprintf(stderr, "rmdir: unrecognized option '%s'\n", a);
			return usage(1);
		} else {
			fprintf(stderr, "rmdir: invalid option -- '%c'\n", a[1]);
			return usage(1);
		}
	}
	if (!ndirs) {
		fprintf(stderr, "rmdir: missing operand\n");
		return usage(1);
	}
	for (int i = 0; i < ndirs; i++)
		if (rmdir(dirs[i]) < 0) {
			fprintf(stderr, "rmdir: failed to remove '%s': %s\n", dirs[i],
			        strerror(errno));
			rc = 1;
		}
	return rc;
}
