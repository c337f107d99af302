/* touch [-c] FILE...: creates each FILE that does not exist (-c: does not);
 * an existing file is opened for writing and closed, which changes nothing. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mica/util.h"

static int nocreate;

static const struct util_opt opts[] = {{'c', "no-create", &nocreate, 1}, {0}};
static const struct util_prog prog = {
    .name = "touch",
    .help = "Usage: touch [OPTION]... FILE...\n"
            "Create each FILE that does not exist.\n\n"
            "  -c, --no-create  do not create any files\n",
    .usage_status = 1,
    .opts = opts,
};

int main(int argc, char **argv)
{
	char **files = argv + 1;
	int nfiles = util_parse_args(&prog, argc, argv), rc = 0;
	if (!nfiles)
		util_usage_error(&prog, "missing file operand");
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
