/* rmdir DIRECTORY...: removes the directories, which must be empty. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mica/util.h"

static const struct util_prog prog = {
    .name = "rmdir",
    .help = "Usage: rmdir DIRECTORY...\n"
            "Remove the DIRECTORY(ies), if they are empty.\n",
    .usage_status = 1,
};

int main(int argc, char **argv)
{
	char **dirs = argv + 1;
	int ndirs = util_parse_args(&prog, argc, argv), rc = 0;
	if (!ndirs)
		util_usage_error(&prog, "missing operand");
	for (int i = 0; i < ndirs; i++)
		if (rmdir(dirs[i]) < 0) {
			fprintf(stderr, "rmdir: failed to remove '%s': %s\n", dirs[i],
			        strerror(errno));
			rc = 1;
		}
	return rc;
}
