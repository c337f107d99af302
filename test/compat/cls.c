/* cls: an ls in the classic mould: scandir with alphasort (or by size
 * with -S), lstat on each, -l for mode, links, size, owner known or not
 * (getpwuid), mtime by strftime in UTC, and the symlink's target; -a
 * shows dot files; -R recurses. Errors: "cls: PATH: strerror". */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int all, longfmt, bysize, recurse;

static int visible(const struct dirent *e)
{
	return all || e->d_name[0] != '.';
}

static const char *sizepath;
static int cmp_size(const struct dirent **a, const struct dirent **b)
{
	char pa[1024], pb[1024];
	struct stat sa, sb;
	snprintf(pa, sizeof(pa), "%s/%s", sizepath, (*a)->d_name);
	snprintf(pb, sizeof(pb), "%s/%s", sizepath, (*b)->d_name);
	if (lstat(pa, &sa) || lstat(pb, &sb))
		return 0;
	if (sa.st_size != sb.st_size)
		return sa.st_size < sb.st_size ? 1 : -1;
	return strcmp((*a)->d_name, (*b)->d_name);
}

static void mode_string(mode_t m, char *s)
{
	s[0] = S_ISDIR(m) ? 'd' : S_ISLNK(m) ? 'l' : S_ISFIFO(m) ? 'p' : S_ISCHR(m) ? 'c' : '-';
	const char *rwx = "rwxrwxrwx";
	for (int i = 0; i < 9; i++)
		s[i + 1] = (m & (0400 >> i)) ? rwx[i] : '-';
	s[10] = 0;
}

static void entry(const char *dir, const char *name)
{
	char path[1024], when[64], mode[11];
	struct stat st;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (lstat(path, &st) < 0) {
		fprintf(stderr, "cls: %s: %s\n", path, strerror(errno));
		return;
	}
	if (!longfmt) {
		printf("%s\n", name);
		return;
	}
	mode_string(st.st_mode, mode);
	struct tm tm;
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M", gmtime_r(&st.st_mtime, &tm));
	printf("%s %6lld %s %s %s", mode, (long long)st.st_size,
	       getpwuid(st.st_uid) ? "known" : "nobody", when, name);
	if (S_ISLNK(st.st_mode)) {
		char target[256];
		ssize_t n = readlink(path, target, sizeof(target) - 1);
		if (n >= 0) {
			target[n] = 0;
			printf(" -> %s", target);
		}
	}
	putchar('\n');
}

static int list(const char *dir)
{
	struct dirent **names;
	sizepath = dir;
	int n = scandir(dir, &names, visible, bysize ? cmp_size : alphasort);
	if (n < 0) {
		fflush(stdout);
		fprintf(stderr, "cls: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	for (int i = 0; i < n; i++)
		entry(dir, names[i]->d_name);
	for (int i = 0; recurse && i < n; i++) {
		char sub[1024];
		struct stat st;
		snprintf(sub, sizeof(sub), "%s/%s", dir, names[i]->d_name);
		if (strcmp(names[i]->d_name, ".") && strcmp(names[i]->d_name, "..") &&
		    lstat(sub, &st) == 0 && S_ISDIR(st.st_mode)) {
			printf("\n%s:\n", sub);
			list(sub);
		}
	}
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return 0;
}

int main(int argc, char **argv)
{
	int c, status = 0;
	while ((c = getopt(argc, argv, "alSR")) != -1) {
		switch (c) {
		case 'a':
			all = 1;
			break;
		case 'l':
			longfmt = 1;
			break;
		case 'S':
			bysize = 1;
			break;
		case 'R':
			recurse = 1;
			break;
		default:
			fprintf(stderr, "usage: cls [-alSR] [dir...]\n");
			return 2;
		}
	}
	if (optind == argc)
		return list(".");
	for (int i = optind; i < argc; i++) {
		if (argc - optind > 1)
			printf("%s%s:\n", i > optind ? "\n" : "", argv[i]);
		status |= list(argv[i]);
	}
	return status;
}
