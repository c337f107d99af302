/* chmod [-R] [-v] [-f] MODE FILE...: changes permission bits; MODE is
 * octal or symbolic (chmod/mode.c). Like GNU chmod, "-w" or "-x" after
 * the options is a mode, and -R does not follow symbolic links. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chmod/mode.h"

static int recursive, verbose, quiet;
static unsigned cmask;

static int change(const char *path, const char *spec, int top);

static int walk(const char *dir, const char *spec)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int rc = 0;
	if (!d) {
		if (!quiet)
			fprintf(stderr, "chmod: cannot read directory '%s': %s\n", dir,
			        strerror(errno));
		return 1;
	}
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char *p = malloc(strlen(dir) + strlen(e->d_name) + 2);
		if (!p)
			break;
		sprintf(p, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", e->d_name);
		rc |= change(p, spec, 0);
		free(p);
	}
	closedir(d);
	return rc;
}

static int change(const char *path, const char *spec, int top)
{
	struct stat st;
	unsigned m;
	if ((top ? stat(path, &st) : lstat(path, &st)) < 0) {
		if (!quiet)
			fprintf(stderr, "chmod: cannot access '%s': %s\n", path, strerror(errno));
		return 1;
	}
	if (S_ISLNK(st.st_mode))
		return 0; /* met while recursing: links have no modes of their own */
	mode_apply(spec, st.st_mode, S_ISDIR(st.st_mode), cmask, &m);
	int rc = 0;
	if (chmod(path, m) < 0) {
		if (!quiet)
			fprintf(stderr, "chmod: changing permissions of '%s': %s\n", path,
			        strerror(errno));
		rc = 1;
	} else if (verbose) {
		printf("mode of '%s' changed from %04o to %04o\n", path, st.st_mode & 07777, m);
	}
	if (recursive && S_ISDIR(st.st_mode))
		rc |= walk(path, spec);
	return rc;
}

static void usage(void)
{
	fprintf(stderr, "Try 'chmod --help' for more information.\n");
	exit(1);
}

int main(int argc, char **argv)
{
	int i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if (!strcmp(a, "--help")) {
			printf("Usage: chmod [-Rvf] MODE FILE...\n"
			       "MODE: octal, or [ugoa]*[-+=][rwxXst]*|[ugo], separated by ','\n");
			return 0;
		}
		if (!strcmp(a, "--recursive"))
			recursive = 1;
		else if (strspn(a + 1, "Rvf") == strlen(a + 1)) {
			recursive |= !!strchr(a, 'R');
			verbose |= !!strchr(a, 'v');
			quiet |= !!strchr(a, 'f');
		} else if (mode_valid(a))
			break; /* "-w": a mode */
		else {
			fprintf(stderr, "chmod: invalid option -- '%c'\n", a[1]);
			usage();
		}
	}
	if (i >= argc) {
		fprintf(stderr, "chmod: missing operand\n");
		usage();
	}
	const char *spec = argv[i++];
	if (!mode_valid(spec)) {
		fprintf(stderr, "chmod: invalid mode: '%s'\n", spec);
		usage();
	}
	if (i >= argc) {
		fprintf(stderr, "chmod: missing operand after '%s'\n", spec);
		usage();
	}
	cmask = umask(0);
	umask(cmask);
	int rc = 0;
	for (; i < argc; i++)
		rc |= change(argv[i], spec, 1);
	return rc;
}
