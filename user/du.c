/* du [-s] [-a] [-c] [-h] [-k] [-d N] [FILE...]: disk usage of each FILE
 * and the directories under it, in KiB from st_blocks (ramfs counts a
 * file's size rounded up to 512-byte blocks). A file with several links
 * is counted once. Symbolic links are not followed. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int summarize, every, total, human, maxdepth = -1, rc;
static struct {
	dev_t dev;
	ino_t ino;
} * seen;
static size_t nseen, capseen;

static int seen_before(const struct stat *st)
{
	if (S_ISDIR(st->st_mode) || st->st_nlink < 2)
		return 0;
	for (size_t i = 0; i < nseen; i++)
		if (seen[i].dev == st->st_dev && seen[i].ino == st->st_ino)
			return 1;
	if (nseen == capseen) {
		capseen = capseen ? capseen * 2 : 64;
		seen = realloc(seen, capseen * sizeof(*seen));
		if (!seen)
			exit(1);
	}
	seen[nseen].dev = st->st_dev;
	seen[nseen++].ino = st->st_ino;
	return 0;
}

static void print(unsigned long long kib, const char *path)
{
	if (!human) {
		printf("%llu\t%s\n", kib, path);
		return;
	}
	const char *units = "KMGTP";
	double v = (double)kib;
	int u = 0;
	while (v >= 1024 && u < 4)
		v /= 1024, u++;
	if (kib == 0)
		printf("0\t%s\n", path);
	else if (v < 10)
		printf("%.1f%c\t%s\n", (double)(long long)(v * 10 + 0.999) / 10, units[u], path);
	else
		printf("%.0f%c\t%s\n", (double)(long long)(v + 0.999), units[u], path);
}

/* The KiB under path (depth below the operand), printing as asked. */
static unsigned long long walk(const char *path, int depth)
{
	struct stat st;
	if (lstat(path, &st) < 0) {
		fprintf(stderr, "du: cannot access '%s': %s\n", path, strerror(errno));
		rc = 1;
		return 0;
	}
	if (seen_before(&st))
		return 0;
	unsigned long long kib = ((unsigned long long)st.st_blocks * 512 + 1023) / 1024;
	int show = !summarize && (maxdepth < 0 || depth <= maxdepth);
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		struct dirent *e;
		if (!d) {
			fprintf(stderr, "du: cannot read directory '%s': %s\n", path,
			        strerror(errno));
			rc = 1;
		}
		while (d && (e = readdir(d))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			char *p = malloc(strlen(path) + strlen(e->d_name) + 2);
			if (!p)
				exit(1);
			sprintf(p, "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/",
			        e->d_name);
			kib += walk(p, depth + 1);
			free(p);
		}
		if (d)
			closedir(d);
		if (show || (summarize && depth == 0))
			print(kib, path);
	} else if ((every && show) || depth == 0) {
		print(kib, path);
	}
	return kib;
}

int main(int argc, char **argv)
{
	int i = 1;
	unsigned long long sum = 0;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--help")) {
			printf("Usage: du [-sachk] [-d N] [FILE]...\n");
			return 0;
		}
		for (const char *c = argv[i] + 1; *c; c++) {
			if (*c == 's')
				summarize = 1;
			else if (*c == 'a')
				every = 1;
			else if (*c == 'c')
				total = 1;
			else if (*c == 'h')
				human = 1;
			else if (*c == 'k')
				human = 0;
			else if (*c == 'd' && (c[1] || argv[i + 1])) {
				maxdepth = atoi(c[1] ? c + 1 : argv[++i]);
				break;
			} else {
				fprintf(stderr,
				        "du: invalid option -- '%c'\n"
				        "Try 'du --help' for more information.\n",
				        *c);
				return 1;
			}
		}
	}
	if (summarize && every) {
		fprintf(stderr, "du: cannot both summarize and show all entries\n");
		return 1;
	}
	if (i >= argc)
		sum += walk(".", 0);
	for (; i < argc; i++)
		sum += walk(argv[i], 0);
	if (total)
		print(sum, "total");
	return rc;
}
