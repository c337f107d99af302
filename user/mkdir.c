/* mkdir [-p] DIRECTORY...: creates the directories; -p: their missing
 * parents too, and no error if a directory exists. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int usage(int status)
{
	if (status)
		fprintf(stderr, "Try 'mkdir --help' for more information.\n");
	else
		printf(
		    "Usage: mkdir [OPTION]... DIRECTORY...\n"
		    "Create the DIRECTORY(ies), if they do not already exist.\n\n"
		    "  -p, --parents  no error if existing, make parent directories as needed\n");
	return status;
}

static int is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* mkdir -p: each ancestor, then the directory itself. */
static int make_parents(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/' || p[-1] == '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0777) < 0 && !is_dir(path)) {
			struct stat st;
			int err = errno == EEXIST && stat(path, &st) == 0 ? ENOTDIR : errno;
			fprintf(stderr, "mkdir: cannot create directory '%s': %s\n", path,
			        strerror(err));
			*p = '/';
			return 1;
		}
		*p = '/';
	}
	if (mkdir(path, 0777) < 0 && !(errno == EEXIST && is_dir(path))) {
		fprintf(stderr, "mkdir: cannot create directory '%s': %s\n", path, strerror(errno));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	char **dirs = argv + 1;
	int ndirs = 0, parents = 0, rc = 0, dashdash = 0;
	for (int i = 1; i < argc; i++) {
		char *a = argv[i];
		if (dashdash || a[0] != '-' || !a[1]) {
			dirs[ndirs++] = a;
		} else if (!strcmp(a, "--")) {
			dashdash = 1;
		} else if (!strcmp(a, "--help")) {
			return usage(0);
		} else if (!strcmp(a, "--parents")) {
			parents = 1;
		} else if (a[1] == '-') {
			fprintf(stderr, "mkdir: unrecognized option '%s'\n", a);
			return usage(1);
		} else {
			for (char *o = a + 1; *o; o++) {
				if (*o != 'p') {
					fprintf(stderr, "mkdir: invalid option -- '%c'\n", *o);
					return usage(1);
				}
				parents = 1;
			}
		}
	}
	if (!ndirs) {
		fprintf(stderr, "mkdir: missing operand\n");
		return usage(1);
	}
	for (int i = 0; i < ndirs; i++) {
		if (parents) {
			rc |= make_parents(dirs[i]);
		} else if (mkdir(dirs[i], 0777) < 0) {
			fprintf(stderr, "mkdir: cannot create directory '%s': %s\n", dirs[i],
			        strerror(errno));
			rc = 1;
		}
	}
	return rc;
}
