/* pwd [-L | -P]: prints the current directory (-L: $PWD if it names it). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int usage(int status)
{
	if (status)
		fprintf(stderr, "Try 'pwd --help' for more information.\n");
	else
		printf("Usage: pwd [OPTION]...\n"
		       "Print the full filename of the current working directory.\n\n"
		       "  -L, --logical   use PWD from environment, even if it contains symlinks\n"
		       "  -P, --physical  avoid all symlinks (the default)\n");
	return status;
}

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
	if (stat(wd, &a) < 0 || stat(".", &b) < 0 || a.st_dev != b.st_dev || a.st_ino != b.st_ino)
		return NULL;
	return wd;
}

int main(int argc, char **argv)
{
	int log = 0, operands = 0, dashdash = 0;
	for (int i = 1; i < argc; i++) {
		char *a = argv[i];
		if (dashdash || a[0] != '-' || !a[1]) {
			operands = 1;
		} else if (!strcmp(a, "--")) {
			dashdash = 1;
		} else if (!strcmp(a, "--help")) {
			return usage(0);
		} else if (!strcmp(a, "--logical")) {
			log = 1;
		} else if (!strcmp(a, "--physical")) {
			log = 0;
		} else if (a[1] == '-') {
			fprintf(stderr, "pwd: unrecognized option '%s'\n", a);
			return usage(1);
		} else {
			for (char *o = a + 1; *o; o++) {
				if (*o == 'L')
					log = 1;
				else if (*o == 'P')
					log = 0;
				else {
					fprintf(stderr, "pwd: invalid option -- '%c'\n", *o);
					return usage(1);
				}
			}
		}
	}
	if (operands)
		fprintf(stderr, "pwd: ignoring non-option arguments\n");
	const char *wd = log ? logical() : NULL;
	static char buf[4096];
	if (!wd && !(wd = getcwd(buf, sizeof(buf)))) {
		fprintf(stderr, "pwd: cannot get the current directory: %s\n", strerror(errno));
		return 1;
	}
	puts(wd);
	return 0;
}
