/* dd [OPERAND]...: copies if= (standard input) to of= (standard output)
 * in blocks of bs= bytes, count= blocks, after skipping skip= input blocks
 * and seeking seek= output blocks; a seek past the end of the output
 * leaves a hole. Without conv=notrunc the output is cut at the seek
 * point. Reports "N+M records in/out" on standard error as GNU dd does. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mica/util.h"

static const struct util_prog prog = {
    .name = "dd",
    .help = "Usage: dd [OPERAND]...\n"
            "Copy a file in blocks.\n\n"
            "  bs=BYTES        read and write up to BYTES bytes at a time (default 512)\n"
            "  count=N         copy only N input blocks\n"
            "  if=FILE         read from FILE instead of standard input\n"
            "  of=FILE         write to FILE instead of standard output\n"
            "  seek=N          skip N bs-sized blocks at the start of the output\n"
            "  skip=N          skip N bs-sized blocks at the start of the input\n"
            "  conv=notrunc    do not truncate the output file\n"
            "  iflag=fullblock accumulate full blocks of input\n"
            "  status=none     print nothing but errors\n\n"
            "N and BYTES may end in c (1), w (2), b (512), k or K (1024), M or G.\n",
    .usage_status = 1,
};

static struct {
	const char *in, *out;
	long long bs, count, skip, seek;
	int notrunc, fullblock, quiet;
} o = {.bs = 512, .count = -1};

/* "12", "4k", "1M": a count in units; -1 when s is not one. */
static long long number(const char *s)
{
	static const char units[] = "cwbkKMG";
	static const long long mult[] = {1, 2, 512, 1024, 1024, 1 << 20, 1 << 30};
	char *end;
	errno = 0;
	long long n = strtoll(s, &end, 10);
	if (errno || end == s || n < 0)
		return -1;
	const char *u = *end ? strchr(units, *end) : NULL;
	if (*end && (!u || end[1]))
		return -1;
	long long unit = u ? mult[u - units] : 1;
	return n > LLONG_MAX / unit ? -1 : n * unit;
}

static void operand(char *a)
{
	char *eq = strchr(a, '=');
	if (!eq)
		util_usage_error(&prog, "unrecognized operand '%s'", a);
	*eq = '\0';
	const char *v = eq + 1;
	long long *num = !strcmp(a, "bs")      ? &o.bs
	                 : !strcmp(a, "count") ? &o.count
	                 : !strcmp(a, "skip")  ? &o.skip
	                 : !strcmp(a, "seek")  ? &o.seek
	                                       : NULL;
	if (num && ((*num = number(v)) < 0 || (num == &o.bs && *num == 0)))
		util_usage_error(&prog, "invalid number: '%s'", v);
	else if (!num && !strcmp(a, "if"))
		o.in = v;
	else if (!num && !strcmp(a, "of"))
		o.out = v;
	else if (!num && !strcmp(a, "conv") && !strcmp(v, "notrunc"))
		o.notrunc = 1;
	else if (!num && !strcmp(a, "iflag") && !strcmp(v, "fullblock"))
		o.fullblock = 1;
	else if (!num && !strcmp(a, "status") && !strcmp(v, "none"))
		o.quiet = 1;
	else if (!num)
		util_usage_error(&prog, "unrecognized operand '%s=%s'", a, v);
}

static int fail(const char *what, const char *name)
{
	fprintf(stderr, "dd: %s '%s': %s\n", what, name, strerror(errno));
	return 1;
}

/* One input block: up to bs bytes (all of them with iflag=fullblock). */
static ssize_t read_block(int fd, char *buf)
{
	ssize_t got = 0, n;
	do {
		n = util_read(fd, buf + got, (size_t)(o.bs - got));
		if (n < 0)
			return -1;
		got += n;
	} while (o.fullblock && n > 0 && got < o.bs);
	return got;
}

/* Skips skip= input blocks: by lseek, else by reading them (a pipe). */
static int skip_input(int fd, char *buf)
{
	if (!o.skip || lseek(fd, (off_t)(o.skip * o.bs), SEEK_CUR) >= 0)
		return 0;
	for (long long i = 0; i < o.skip; i++) {
		ssize_t n = read_block(fd, buf);
		if (n <= 0)
			return (int)n;
	}
	return 0;
}

static int open_output(void)
{
	if (!o.out)
		return o.seek && lseek(1, (off_t)(o.seek * o.bs), SEEK_CUR) < 0 ? -1 : 1;
	int fd = open(o.out, O_WRONLY | O_CREAT, 0666);
	if (fd < 0)
		return -1;
	off_t at = (off_t)(o.seek * o.bs);
	struct stat st;
	if (!o.notrunc && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && ftruncate(fd, at) < 0)
		return -1;
	return lseek(fd, at, SEEK_SET) < 0 ? -1 : fd;
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help"))
			util_help(&prog);
		operand(argv[i]);
	}
	char *buf = malloc((size_t)o.bs);
	if (!buf) {
		fprintf(stderr, "dd: memory exhausted\n");
		return 1;
	}
	int in = o.in ? open(o.in, O_RDONLY) : 0;
	if (in < 0)
		return fail("failed to open", o.in);
	if (skip_input(in, buf) < 0)
		return fail("error reading", o.in ? o.in : "standard input");
	int out = open_output();
	if (out < 0)
		return fail("failed to open", o.out ? o.out : "standard output");
	long long full_in = 0, part_in = 0, full_out = 0, part_out = 0, bytes = 0;
	int rc = 0;
	while (o.count < 0 || full_in + part_in < o.count) {
		ssize_t n = read_block(in, buf);
		if (n < 0) {
			rc = fail("error reading", o.in ? o.in : "standard input");
			break;
		}
		if (n == 0)
			break;
		*(n == o.bs ? &full_in : &part_in) += 1;
		if (util_write_all(out, buf, (size_t)n) < 0) {
			rc = fail("error writing", o.out ? o.out : "standard output");
			break;
		}
		*(n == o.bs ? &full_out : &part_out) += 1;
		bytes += n;
	}
	if (out != 1 && close(out) < 0 && !rc)
		rc = fail("closing output file", o.out);
	if (!o.quiet)
		fprintf(stderr, "%lld+%lld records in\n%lld+%lld records out\n%lld bytes copied\n",
		        full_in, part_in, full_out, part_out, bytes);
	return rc;
}
