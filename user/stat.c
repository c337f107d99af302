/* stat [-L] FILE...: the file status in coreutils' layout (without -L a
 * symbolic link itself is described; -L follows it). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mica/util.h"

static int follow;

static const struct util_opt opts[] = {{'L', "dereference", &follow, 1}, {0}};
static const struct util_prog prog = {
    .name = "stat",
    .help = "Usage: stat [OPTION]... FILE...\n"
            "Display file status.\n\n"
            "  -L, --dereference  follow links\n",
    .usage_status = 1,
    .opts = opts,
};

/* The name for id in /etc/passwd or /etc/group (field 3), or "UNKNOWN". */
static const char *id_name(const char *file, unsigned id, char *out, size_t size)
{
	static char buf[8192];
	snprintf(out, size, "UNKNOWN");
	int fd = open(file, O_RDONLY);
	if (fd < 0)
		return out;
	ssize_t n, len = 0;
	while (len < (ssize_t)sizeof(buf) - 1 &&
	       (n = read(fd, buf + len, sizeof(buf) - 1 - (size_t)len)) > 0)
		len += n;
	close(fd);
	buf[len] = '\0';
	for (char *line = buf, *next; line && *line; line = next) {
		if ((next = strchr(line, '\n')))
			*next++ = '\0';
		char *name = line, *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2)
			continue;
		char *end;
		unsigned long v = strtoul(c2 + 1, &end, 10);
		if (end != c2 + 1 && *end == ':' && v == id) {
			snprintf(out, size, "%.*s", (int)(c1 - name), name);
			break;
		}
	}
	return out;
}

static const char *type_name(const struct stat *st)
{
	mode_t m = st->st_mode;
	return S_ISREG(m)    ? st->st_size ? "regular file" : "regular empty file"
	       : S_ISDIR(m)  ? "directory"
	       : S_ISLNK(m)  ? "symbolic link"
	       : S_ISCHR(m)  ? "character special file"
	       : S_ISBLK(m)  ? "block special file"
	       : S_ISFIFO(m) ? "fifo"
	       : S_ISSOCK(m) ? "socket"
	                     : "weird file";
}

/* Times are seconds since boot: shown as a date in 1970, in UTC. */
static void print_time(const char *label, const struct timespec *ts)
{
	char date[64];
	time_t t = ts->tv_sec;
	struct tm *tm = gmtime(&t);
	if (!tm || !strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S", tm))
		strcpy(date, "?");
	printf("%s: %s.%09ld +0000\n", label, date, (long)ts->tv_nsec);
}

static int show(const char *path)
{
	struct stat st;
	char mode[11], user[64], group[64];
	if ((follow ? stat(path, &st) : lstat(path, &st)) < 0) {
		fprintf(stderr, "stat: cannot stat '%s': %s\n", path, strerror(errno));
		return 1;
	}
	printf("  File: %s", path);
	if (S_ISLNK(st.st_mode)) {
		char target[4096];
		ssize_t n = readlink(path, target, sizeof(target) - 1);
		if (n >= 0)
			printf(" -> %.*s", (int)n, target);
	}
	printf("\n  Size: %-10llu\tBlocks: %-10llu IO Block: %-6lu %s\n",
	       (unsigned long long)st.st_size, (unsigned long long)st.st_blocks,
	       (unsigned long)st.st_blksize, type_name(&st));
	printf("Device: %u,%u\tInode: %-11llu Links: ", util_dev_major(st.st_dev),
	       util_dev_minor(st.st_dev), (unsigned long long)st.st_ino);
	if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
		printf("%-5lu Device type: %u,%u\n", (unsigned long)st.st_nlink,
		       util_dev_major(st.st_rdev), util_dev_minor(st.st_rdev));
	else
		printf("%lu\n", (unsigned long)st.st_nlink);
	util_mode_string(st.st_mode, mode);
	printf("Access: (%04o/%s)  Uid: (%5u/%8s)   Gid: (%5u/%8s)\n", (unsigned)st.st_mode & 07777,
	       mode, (unsigned)st.st_uid, id_name("/etc/passwd", st.st_uid, user, sizeof(user)),
	       (unsigned)st.st_gid, id_name("/etc/group", st.st_gid, group, sizeof(group)));
	print_time("Access", &st.st_atim);
	print_time("Modify", &st.st_mtim);
	print_time("Change", &st.st_ctim);
	printf(" Birth: -\n");
	return 0;
}

int main(int argc, char **argv)
{
	char **files = argv + 1;
	int nfiles = util_parse_args(&prog, argc, argv), rc = 0;
	if (!nfiles)
		util_usage_error(&prog, "missing operand");
	for (int i = 0; i < nfiles; i++)
		rc |= show(files[i]);
	return rc;
}
