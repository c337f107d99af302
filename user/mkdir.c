/* mkdir [-p] DIRECTORY...: creates the directories; -p: their missing
 * parents too, and no error if a directory exists. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "mica/util.h"

static int parents;

static const struct util_opt opts[] = {{'p', "parents", &parents, 1}, {0}};
static const struct util_prog prog = {
    .name = "mkdir",
    .help = "Usage: mkdir [OPTION]... DIRECTORY...\n"
            "Create the DIRECTORY(ies), if they do not already exist.\n\n"
            "  -p, --parents  no error if existing, make parent directories as needed\n",
    .usage_status = 1,
    .opts = opts,
};

/* mkdir -p: each ancestor, then the directory itself. */
static int make_parents(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/' || p[-1] == '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0777) < 0 && util_check_dir(path)) {
			struct stat st;
			int err = errno == EEXIST && stat(path, &st) == 0 ? ENOTDIR : errno;
			fprintf(stderr, "mkdir: cannot create directory '%s': %s\n", path,
			        strerror(err));
			*p = '/';
			return 1;
		}
		*p = '/';
	}
	if (mkdir(path, 0777) < 0 && !(errno == EEXIST && !util_check_dir(path))) {
		fprintf(stderr, "mkdir: cannot create directory '%s': %s\n", path, strerror(errno));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	char **dirs = argv + 1;
	int ndirs = util_parse_args(&prog, argc, argv), rc = 0;
	if (!ndirs)
		util_usage_error(&prog, "missing operand");
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
