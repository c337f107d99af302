/* pwd [-L | -P]: prints the current directory (-L: $PWD if it names it). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mica/util.h"

static int opt_logical;

static const struct util_opt opts[] = {
    {'L', "logical", &opt_logical, 1},
    {'P', "physical", &opt_logical, 0},
    {0},
};
static const struct util_prog prog = {
    .name = "pwd",
    .help = "Usage: pwd [OPTION]...\n"
            "Print the full filename of the current working directory.\n\n"
            "  -L, --logical   use PWD from environment, even if it contains symlinks\n"
            "  -P, --physical  avoid all symlinks (the default)\n",
    .usage_status = 1,
    .opts = opts,
};

/* $PWD, if it is absolute, has no "." or ".." components and names ".". */
static const char *logical(void)
{
	const char *wd = getenv("PWD");
	struct stat a, b;
	if (!wd || wd[0] != '/')
		return NULL;
	for (const char *p = wd; (p = strstr(p, "/.")); p++)
		if (p[2] == '\0' || p[2] == '/' || (p[2] == '.' && (p[3] == '\0' || p[3] == '/')))
			return NULL;
	if (stat(wd, &a) < 0 || stat(".", &b) < 0 || !util_same_file(&a, &b))
		return NULL;
	return wd;
}

int main(int argc, char **argv)
{
	if (util_parse_args(&prog, argc, argv))
		fprintf(stderr, "pwd: ignoring non-option arguments\n");
	const char *wd = opt_logical ? logical() : NULL;
	static char buf[4096];
	if (!wd && !(wd = getcwd(buf, sizeof(buf)))) {
		fprintf(stderr, "pwd: cannot get the current directory: %s\n", strerror(errno));
		return 1;
	}
	puts(wd);
	return 0;
}
