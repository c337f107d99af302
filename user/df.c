/* df [-h] [-k] [-a] [-i] [FILE...]: file-system totals (statvfs, fs's
 * FS_STATFS) for every mount in /proc/mounts, or for the mounts FILEs
 * are on. File systems without storage (procfs, devfs) show with -a. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

#define MAXMNT 16

static int human, all, inodes;
static struct {
	char src[64], dir[256];
} mnt[MAXMNT];
static int nmnt;

static void unescape(char *s)
{
	char *o = s;
	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] && s[3]) {
			*o++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*o++ = *s;
		}
	}
	*o = 0;
}

static int read_mounts(void)
{
	char buf[4096], *line, *save;
	int fd = open("/proc/mounts", O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (fd >= 0)
		close(fd);
	if (n < 0) {
		fprintf(stderr, "df: /proc/mounts: %s\n", strerror(errno));
		return -1;
	}
	buf[n] = 0;
	for (line = strtok_r(buf, "\n", &save); line && nmnt < MAXMNT;
	     line = strtok_r(NULL, "\n", &save)) {
		char src[64], dir[256];
		if (sscanf(line, "%63s %255s", src, dir) != 2)
			continue;
		unescape(dir);
		strcpy(mnt[nmnt].src, src);
		strcpy(mnt[nmnt++].dir, dir);
	}
	return 0;
}

/* "1.5K", "12M": GNU's -h, rounding up, one decimal below 10. */
static void human_size(unsigned long long bytes, char *out, size_t n)
{
	const char *units = "BKMGTP";
	double v = (double)bytes;
	int u = 0;
	while (v >= 1024 && u < 5)
		v /= 1024, u++;
	if (u == 0)
		snprintf(out, n, "%llu", bytes);
	else if (v < 10)
		snprintf(out, n, "%.1f%c", (double)(long long)(v * 10 + 0.999) / 10, units[u]);
	else
		snprintf(out, n, "%.0f%c", (double)(long long)(v + 0.999), units[u]);
}

static void column(unsigned long long v, unsigned long bsize)
{
	char s[32];
	if (human)
		human_size(v * bsize, s, sizeof(s));
	else
		snprintf(s, sizeof(s), "%llu", v * bsize / 1024);
	printf(" %*s", human ? 5 : 9, s);
}

static int show(int i, const char *asked)
{
	struct statvfs st;
	if (statvfs(asked ? asked : mnt[i].dir, &st) < 0) {
		fprintf(stderr, "df: %s: %s\n", asked ? asked : mnt[i].dir, strerror(errno));
		return 1;
	}
	if (!asked && !all && st.f_blocks == 0)
		return 0;
	unsigned long long total = inodes ? st.f_files : st.f_blocks;
	unsigned long long avail = inodes ? st.f_ffree : st.f_bavail;
	unsigned long long used = total - (inodes ? st.f_ffree : st.f_bfree);
	unsigned long bsize = inodes ? 1024 : st.f_frsize;
	printf("%-14s", mnt[i].src);
	column(total, bsize);
	column(used, bsize);
	column(avail, bsize);
	if (used + avail)
		printf(" %3llu%%", (used * 100 + used + avail - 1) / (used + avail));
	else
		printf("    -");
	printf(" %s\n", mnt[i].dir);
	return 0;
}

/* The mount holding path: the longest mount directory that prefixes it. */
static int mount_of(const char *path)
{
	char real[PATH_MAX];
	int best = 0;
	size_t blen = 0;
	if (!realpath(path, real))
		return -1;
	for (int i = 0; i < nmnt; i++) {
		size_t n = strlen(mnt[i].dir);
		if (!strncmp(real, mnt[i].dir, n) && (real[n] == '/' || !real[n] || n == 1) &&
		    n >= blen)
			best = i, blen = n;
	}
	return best;
}

int main(int argc, char **argv)
{
	int i = 1, rc = 0;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--help")) {
			printf("Usage: df [-hkai] [FILE]...\n");
			return 0;
		}
		for (const char *c = argv[i] + 1; *c; c++) {
			if (*c == 'h')
				human = 1;
			else if (*c == 'k')
				human = 0;
			else if (*c == 'a')
				all = 1;
			else if (*c == 'i')
				inodes = 1;
			else if (*c != 'P') {
				fprintf(stderr,
				        "df: invalid option -- '%c'\n"
				        "Try 'df --help' for more information.\n",
				        *c);
				return 1;
			}
		}
	}
	if (read_mounts())
		return 1;
	if (inodes)
		printf("Filesystem       Inodes    IUsed    IFree IUse%% Mounted on\n");
	else if (human)
		printf("Filesystem      Size  Used Avail Use%% Mounted on\n");
	else
		printf("Filesystem     1K-blocks      Used Available Use%% Mounted on\n");
	if (i >= argc)
		for (int m = 0; m < nmnt; m++)
			rc |= show(m, NULL);
	for (; i < argc; i++) {
		int m = mount_of(argv[i]);
		if (m < 0) {
			fprintf(stderr, "df: %s: %s\n", argv[i], strerror(errno));
			rc = 1;
			continue;
		}
		rc |= show(m, argv[i]);
	}
	return rc;
}
