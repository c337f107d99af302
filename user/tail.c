/* tail [-n [+]N | -c [+]N | -N] [-f] [-q | -v] [FILE]...: the last N lines
 * (default 10) or bytes of each FILE, or everything from the Nth on with
 * +N; with -f, keeps printing what is appended to the files, polling their
 * sizes every 100 ms until killed. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mica/utilopt.h"

static int bytes, from_start, follow, headers = -1;
static unsigned long long count = 10;
static int last_shown = -1; /* the file whose header was printed last */

static const struct util_long longs[] = {
    {"lines", 1, 'n'},  {"bytes", 1, 'c'},   {"follow", 0, 'f'}, {"quiet", 0, 'q'},
    {"silent", 0, 'q'}, {"verbose", 0, 'v'}, {NULL, 0, 0},
};
static const struct util_prog prog = {
    .name = "tail",
    .help = "Usage: tail [OPTION]... [FILE]...\n"
            "Print the last 10 lines of each FILE to standard output.\n"
            "With more than one FILE, precede each with a header giving the file name.\n\n"
            "With no FILE, or when FILE is -, read standard input.\n\n"
            "  -c, --bytes=[+]NUM       output the last NUM bytes; or use -c +NUM to\n"
            "                             output starting with byte NUM of each file\n"
            "  -f, --follow             output appended data as the file grows\n"
            "  -n, --lines=[+]NUM       output the last NUM lines, instead of the last 10;\n"
            "                             or use -n +NUM to skip NUM-1 lines at the start\n"
            "  -q, --quiet, --silent    never output headers giving file names\n"
            "  -v, --verbose            always output headers giving file names\n",
    .usage_status = 1,
};

static void set_count(const char *s)
{
	const char *p = s;
	char *end;
	from_start = *p == '+';
	if (*p == '+' || *p == '-')
		p++;
	errno = 0;
	count = strtoull(p, &end, 10);
	if (end == p || *end || errno || *p == '-') {
		fprintf(stderr, "tail: invalid number of %s: '%s'\n", bytes ? "bytes" : "lines", s);
		exit(1);
	}
}

static void out(const char *p, size_t n)
{
	if (util_write_all(1, p, n) < 0) {
		fprintf(stderr, "tail: error writing 'standard output': %s\n", strerror(errno));
		exit(1);
	}
}

static void header(int i, const char *name)
{
	if (!headers || last_shown == i)
		return;
	printf("%s==> %s <==\n", last_shown >= 0 ? "\n" : "", name);
	fflush(stdout);
	last_shown = i;
}

/* Reads all of fd into a malloc'd buffer; its length in *len, or NULL. */
static char *slurp(int fd, size_t *len)
{
	size_t cap = 8192, n = 0;
	char *b = malloc(cap);
	ssize_t r;
	while (b && (r = util_read(fd, b + n, cap - n)) != 0) {
		if (r < 0) {
			free(b);
			return NULL;
		}
		n += (size_t)r;
		if (n == cap) {
			char *nb = realloc(b, cap *= 2);
			if (!nb)
				free(b);
			b = nb;
		}
	}
	*len = n;
	return b;
}

/* Where the output of a buffer of len bytes starts. */
static size_t start_of_tail(const char *b, size_t len)
{
	if (bytes) {
		if (from_start)
			return count ? (count - 1 < len ? count - 1 : len) : 0;
		return count < len ? len - count : 0;
	}
	size_t i = 0;
	if (from_start) {
		for (unsigned long long l = 1; l < count && i < len; i++)
			if (b[i] == '\n')
				l++;
		return i;
	}
	i = len;
	if (i && b[i - 1] == '\n')
		i--; /* the last line's newline ends it; it does not start one */
	for (unsigned long long l = 0; i > 0; i--)
		if (b[i - 1] == '\n' && ++l == count)
			break;
	return count ? i : len;
}

/* Prints the tail of one file: 0, or 1 after reporting an error. */
static int tail_fd(int fd, const char *name)
{
	size_t len;
	char *b = slurp(fd, &len);
	if (!b) {
		fprintf(stderr, "tail: error reading '%s': %s\n", name, strerror(errno));
		return 1;
	}
	size_t s = start_of_tail(b, len);
	out(b + s, len - s);
	free(b);
	return 0;
}

static void pause_100ms(void)
{
	struct timespec ts = {0, 100 * 1000 * 1000};
	nanosleep(&ts, NULL);
}

/* -f: prints what is appended to the open files, forever. */
static void follow_files(int *fds, char **names, int n)
{
	static char buf[4096];
	for (;;) {
		for (int i = 0; i < n; i++) {
			struct stat st;
			if (fds[i] < 0 || fstat(fds[i], &st) < 0)
				continue;
			off_t pos = lseek(fds[i], 0, SEEK_CUR);
			if (S_ISREG(st.st_mode) && st.st_size < pos) {
				fprintf(stderr, "tail: %s: file truncated\n", names[i]);
				lseek(fds[i], 0, SEEK_SET);
			}
			ssize_t r;
			while ((r = util_read(fds[i], buf, sizeof(buf))) > 0) {
				header(i, names[i]);
				out(buf, (size_t)r);
			}
		}
		pause_100ms();
	}
}

/* -N as the first argument: the obsolete form of -n N. */
static void obsolete_count(int *argc, char **argv)
{
	char *a = argv[1];
	if (*argc < 2 || a[0] != '-' || a[1] < '0' || a[1] > '9')
		return;
	set_count(a + 1);
	for (int i = 1; i < *argc; i++)
		argv[i] = argv[i + 1];
	(*argc)--;
}

int main(int argc, char **argv)
{
	int c, rc = 0;
	obsolete_count(&argc, argv);
	const char *num = NULL;
	while ((c = util_getopt(&prog, argc, argv, "n:c:fqvF", longs)) != -1) {
		if (c == 'n' || c == 'c')
			num = optarg, bytes = c == 'c';
		else if (c == 'f' || c == 'F')
			follow = 1;
		else
			headers = c == 'v';
	}
	if (num)
		set_count(num);
	int n = argc - optind;
	char *dash[] = {"-"}, **files = n ? argv + optind : dash;
	if (!n)
		n = 1;
	if (headers < 0)
		headers = n > 1;
	int *fds = malloc(sizeof(int) * (size_t)n);
	for (int i = 0; i < n; i++) {
		int std = !strcmp(files[i], "-");
		const char *name = std ? "standard input" : files[i];
		fds[i] = std ? 0 : open(files[i], O_RDONLY);
		if (fds[i] < 0) {
			fprintf(stderr, "tail: cannot open '%s' for reading: %s\n", files[i],
			        strerror(errno));
			rc = 1;
			continue;
		}
		header(i, name);
		rc |= tail_fd(fds[i], name);
		struct stat st;
		if (std && (fstat(0, &st) < 0 || !S_ISREG(st.st_mode)))
			fds[i] = -1; /* a pipe has no more to follow */
	}
	if (follow)
		follow_files(fds, files, n);
	return rc;
}
