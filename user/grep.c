/* grep [-v] [-i] [-n] [-c] [-q] PATTERN [FILE]...: prints the lines that
 * contain the fixed string PATTERN; status 0 if one matched, 1 if none, 2 on error. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mica/util.h"

static int invert, icase, number, count_only, quiet, with_name;
static const char *pat;
static size_t patlen;
static char *buf;
static size_t cap = 4096;

static const struct util_opt opts[] = {
    {'v', NULL, &invert, 1},     {'i', NULL, &icase, 1}, {'n', NULL, &number, 1},
    {'c', NULL, &count_only, 1}, {'q', NULL, &quiet, 1}, {0},
};
static const struct util_prog prog = {
    .name = "grep",
    .help = "Usage: grep [OPTION]... PATTERNS [FILE]...\n"
            "Search for PATTERNS (fixed strings) in each FILE.\n\n"
            "  -i  ignore case distinctions in patterns and data\n"
            "  -v  select non-matching lines\n"
            "  -n  print line number with output lines\n"
            "  -c  print only a count of selected lines per FILE\n"
            "  -q  suppress all normal output\n\n"
            "When FILE is '-', read standard input. With no FILE, read '-'.\n"
            "Exit status is 0 if any line is selected, 1 otherwise;\n"
            "if any error occurs and -q is not given, the exit status is 2.\n",
    .synopsis = "Usage: grep [OPTION]... PATTERNS [FILE]...",
    .usage_status = 2,
    .opts = opts,
};

static int contains(const char *s, size_t n)
{
	if (patlen > n)
		return 0;
	for (size_t i = 0; i + patlen <= n; i++) {
		size_t k = 0;
		if (icase)
			while (k < patlen &&
			       tolower((unsigned char)s[i + k]) == tolower((unsigned char)pat[k]))
				k++;
		else
			while (k < patlen && s[i + k] == pat[k])
				k++;
		if (k == patlen)
			return 1;
	}
	return 0;
}

/* One line (without its newline); returns whether it was selected. */
static int line(const char *name, unsigned long lineno, const char *s, size_t n)
{
	if (contains(s, n) == invert)
		return 0;
	if (quiet)
		exit(0);
	if (count_only)
		return 1;
	if (with_name)
		printf("%s:", name);
	if (number)
		printf("%lu:", lineno);
	fwrite(s, 1, n, stdout);
	putchar('\n');
	return 1;
}

/* Searches fd; the number of selected lines, or -1 after a read error. */
static long grep(int fd, const char *name)
{
	size_t len = 0, start = 0;
	unsigned long lineno = 0;
	long selected = 0;
	int err = 0;
	for (;;) {
		if (start > 0 && len == cap) { /* keep the partial line at the front */
			memmove(buf, buf + start, len - start);
			len -= start, start = 0;
		}
		if (len == cap) {
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				fprintf(stderr, "grep: memory exhausted\n");
				exit(2);
			}
			buf = nb, cap *= 2;
		}
		ssize_t n = util_read(fd, buf + len, cap - len);
		if (n < 0) {
			fprintf(stderr, "grep: %s: %s\n", name, strerror(errno));
			err = 1;
		}
		if (n <= 0)
			break;
		size_t end = len + (size_t)n;
		for (size_t i = len; i < end; i++)
			if (buf[i] == '\n') {
				selected += line(name, ++lineno, buf + start, i - start);
				start = i + 1;
			}
		len = end;
		if (start == len)
			start = len = 0;
	}
	if (start < len) /* a last line without a newline */
		selected += line(name, ++lineno, buf + start, len - start);
	if (count_only) {
		if (with_name)
			printf("%s:", name);
		printf("%ld\n", selected);
	}
	return err ? -1 - selected : selected;
}

int main(int argc, char **argv)
{
	char **files = argv + 1;
	int nfiles = util_parse_args(&prog, argc, argv), matched = 0, error = 0;
	if (!nfiles)
		util_try_help(&prog);
	pat = files[0], patlen = strlen(pat);
	files++, nfiles--;
	if (!nfiles) {
		static char *dash[] = {"-"};
		files = dash, nfiles = 1;
	}
	with_name = nfiles > 1;
	if (!(buf = malloc(cap))) {
		fprintf(stderr, "grep: memory exhausted\n");
		return 2;
	}
	for (int i = 0; i < nfiles; i++) {
		int std = !strcmp(files[i], "-");
		const char *name = std ? "(standard input)" : files[i];
		int fd = std ? 0 : open(files[i], O_RDONLY);
		if (fd < 0) {
			fprintf(stderr, "grep: %s: %s\n", files[i], strerror(errno));
			error = 1;
			continue;
		}
		long n = grep(fd, name);
		if (n < 0)
			error = 1, n = -1 - n;
		if (n > 0)
			matched = 1;
		if (!std)
			close(fd);
	}
	return error ? 2 : matched ? 0 : 1;
}
