/* cp SOURCE DEST | cp SOURCE... DIRECTORY: copies regular files (their
 * contents; a new DEST gets SOURCE's permission bits). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "mica/util.h"

static const struct util_prog prog = {
    .name = "cp",
    .help = "Usage: cp SOURCE DEST\n"
            "  or:  cp SOURCE... DIRECTORY\n"
            "Copy SOURCE to DEST, or multiple SOURCE(s) to DIRECTORY.\n",
    .usage_status = 1,
};

static int copy(const char *src, const char *dst)
{
	struct stat ss, ds;
	if (stat(src, &ss) < 0) {
		fprintf(stderr, "cp: cannot stat '%s': %s\n", src, strerror(errno));
		return 1;
	}
	if (S_ISDIR(ss.st_mode)) {
		fprintf(stderr, "cp: -r not specified; omitting directory '%s'\n", src);
		return 1;
	}
	if (stat(dst, &ds) < 0) {
		if (errno != ENOENT) {
			fprintf(stderr, "cp: cannot stat '%s': %s\n", dst, strerror(errno));
			return 1;
		}
		if (lstat(dst, &ds) == 0) {
			fprintf(stderr, "cp: not writing through dangling symlink '%s'\n", dst);
			return 1;
		}
	} else if (util_check_replace("cp", src, &ss, dst, &ds)) {
		return 1;
	}
	return util_copy_file("cp", src, dst, ss.st_mode & 0777) ? 1 : 0;
}

int main(int argc, char **argv)
{
	int nops = util_parse_args(&prog, argc, argv);
	return util_to_dest(&prog, argv + 1, nops, copy);
}
