/* md5sum [-c] [--quiet] [--status] [FILE]...: RFC 1321 digests of each
 * FILE (none or "-": standard input), or with -c, check the "DIGEST  NAME"
 * lines that FILE lists, as GNU md5sum does. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/md5.h"
#include "mica/util.h"

static int check, quiet, status_only;

static const struct util_opt opts[] = {
    {'c', "check", &check, 1}, {0, "quiet", &quiet, 1}, {0, "status", &status_only, 1},
    {'b', "binary", NULL, 0},  {'t', "text", NULL, 0},  {0},
};
static const struct util_prog prog = {
    .name = "md5sum",
    .help = "Usage: md5sum [OPTION]... [FILE]...\n"
            "Print or check MD5 (128-bit) checksums.\n\n"
            "With no FILE, or when FILE is -, read standard input.\n\n"
            "  -c, --check   read checksums from the FILEs and check them\n"
            "      --quiet   don't print OK for each successfully verified file\n"
            "      --status  don't output anything, status code shows success\n",
    .usage_status = 1,
    .opts = opts,
};

/* The digest of a file as 32 hex digits in hex[33]; 0, or -1 (errno). */
static int digest_file(const char *name, char hex[33])
{
	static char buf[4096];
	int std = !strcmp(name, "-");
	int fd = std ? 0 : open(name, O_RDONLY);
	if (fd < 0)
		return -1;
	struct md5 m;
	unsigned char d[16];
	ssize_t n;
	md5_init(&m);
	while ((n = util_read(fd, buf, sizeof(buf))) > 0)
		md5_update(&m, buf, (size_t)n);
	int err = errno;
	if (!std)
		close(fd);
	if (n < 0) {
		errno = err;
		return -1;
	}
	md5_final(&m, d);
	for (int i = 0; i < 16; i++)
		sprintf(hex + 2 * i, "%02x", d[i]);
	return 0;
}

/* One "DIGEST  NAME" line of a check list: 1 ok, 0 mismatch, -1 unreadable,
 * -2 not a checksum line. */
static int check_line(char *line)
{
	size_t len = strlen(line);
	if (len && line[len - 1] == '\n')
		line[--len] = 0;
	if (len < 35 || line[32] != ' ' || (line[33] != ' ' && line[33] != '*'))
		return -2;
	if (strspn(line, "0123456789abcdefABCDEF") != 32)
		return -2;
	const char *name = line + 34;
	char hex[33];
	if (digest_file(name, hex) < 0) {
		fprintf(stderr, "md5sum: %s: %s\n", name, strerror(errno));
		if (!status_only)
			printf("%s: FAILED open or read\n", name);
		return -1;
	}
	int ok = !strncasecmp(hex, line, 32);
	if (!status_only && (!ok || !quiet))
		printf("%s: %s\n", name, ok ? "OK" : "FAILED");
	return ok;
}

static void warn_count(long n, const char *one, const char *many)
{
	if (n && !status_only)
		fprintf(stderr, "md5sum: WARNING: %ld %s\n", n, n == 1 ? one : many);
}

/* Checks every line of one list; returns the exit status. */
static int check_list(const char *list)
{
	int std = !strcmp(list, "-");
	FILE *f = std ? stdin : fopen(list, "r");
	if (!f) {
		fprintf(stderr, "md5sum: %s: %s\n", list, strerror(errno));
		return 1;
	}
	char *line = NULL;
	size_t cap = 0;
	long bad = 0, unread = 0, improper = 0, good = 0;
	while (getline(&line, &cap, f) > 0) {
		int r = check_line(line);
		good += r == 1, bad += r == 0, unread += r == -1, improper += r == -2;
	}
	free(line);
	if (!std)
		fclose(f);
	fflush(stdout);
	warn_count(improper, "line is improperly formatted", "lines are improperly formatted");
	warn_count(unread, "listed file could not be read", "listed files could not be read");
	warn_count(bad, "computed checksum did NOT match", "computed checksums did NOT match");
	if (!good && !bad && !unread) {
		fprintf(stderr, "md5sum: %s: no properly formatted MD5 checksum lines found\n",
		        std ? "standard input" : list);
		return 1;
	}
	return bad || unread;
}

int main(int argc, char **argv)
{
	int n = util_parse_args(&prog, argc, argv), rc = 0;
	char *dash[] = {"-"};
	char **files = n ? argv + 1 : dash;
	if (!n)
		n = 1;
	for (int i = 0; i < n; i++) {
		char hex[33];
		if (check) {
			rc |= check_list(files[i]);
		} else if (digest_file(files[i], hex) < 0) {
			fprintf(stderr, "md5sum: %s: %s\n", files[i], strerror(errno));
			rc = 1;
		} else {
			printf("%s  %s\n", hex, files[i]);
		}
	}
	return rc;
}
