/* mv SOURCE DEST | mv SOURCE... DIRECTORY: renames SOURCE to DEST, or moves
 * the SOURCEs into DIRECTORY; regular files are copied across file systems. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mica/util.h"

static const struct util_prog prog = {
    .name = "mv",
    .help = "Usage: mv SOURCE DEST\n"
            "  or:  mv SOURCE... DIRECTORY\n"
            "Rename SOURCE to DEST, or move SOURCE(s) to DIRECTORY.\n",
    .usage_status = 1,
};

/* rename across file systems for a regular file: copy, then unlink. */
static int copy_file(const char *src, const char *dst, const struct stat *st)
{
	int r = util_copy_file("mv", src, dst, st->st_mode & 07777);
	if (r == UTIL_COPY_BROKE)
		unlink(dst);
	if (r)
		return 1;
	if (unlink(src) < 0) {
		fprintf(stderr, "mv: cannot remove '%s': %s\n", src, strerror(errno));
		return 1;
	}
	return 0;
}

static int move(const char *src, const char *dst)
{
	struct stat ss, ds;
	if (lstat(src, &ss) < 0) {
		fprintf(stderr, "mv: cannot stat '%s': %s\n", src, strerror(errno));
		return 1;
	}
	if (lstat(dst, &ds) == 0 && util_check_replace("mv", src, &ss, dst, &ds))
		return 1;
	if (rename(src, dst) == 0)
		return 0;
	if (errno == EXDEV && S_ISREG(ss.st_mode))
		return copy_file(src, dst, &ss);
	if (errno == EINVAL && S_ISDIR(ss.st_mode))
		fprintf(stderr, "mv: cannot move '%s' to a subdirectory of itself, '%s'\n", src,
		        dst);
	else
		fprintf(stderr, "mv: cannot move '%s' to '%s': %s\n", src, dst, strerror(errno));
	return 1;
}

int main(int argc, char **argv)
{
	int nops = util_parse_args(&prog, argc, argv);
	return util_to_dest(&prog, argv + 1, nops, move);
}
