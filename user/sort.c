/* sort [-bdfgimnrsu] [-k KEY]... [-t C] [-o FILE] [-c | -C] [FILE]...:
 * the lines of all FILEs, sorted (a stable merge sort) by the keys, with
 * whole-line byte order as the last resort unless -s or -u. -m sorts too:
 * merging sorted inputs gives the same lines. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/sortkey.h"
#include "mica/utilopt.h"

struct line {
	const char *p;
	size_t len;
};

static struct sort_opts opts = {.tab = -1};
static struct line *lines, *tmp;
static size_t nlines, cap;

static const struct util_long longs[] = {
    {"reverse", 0, 'r'},
    {"numeric-sort", 0, 'n'},
    {"unique", 0, 'u'},
    {"key", 1, 'k'},
    {"field-separator", 1, 't'},
    {"ignore-case", 0, 'f'},
    {"ignore-leading-blanks", 0, 'b'},
    {"output", 1, 'o'},
    {"check", 0, 'c'},
    {"merge", 0, 'm'},
    {"stable", 0, 's'},
    {"dictionary-order", 0, 'd'},
    {"general-numeric-sort", 0, 'g'},
    {"ignore-nonprinting", 0, 'i'},
    {NULL, 0, 0},
};
static const struct util_prog prog = {
    .name = "sort",
    .help = "Usage: sort [OPTION]... [FILE]...\n"
            "Write sorted concatenation of all FILE(s) to standard output.\n\n"
            "With no FILE, or when FILE is -, read standard input.\n\n"
            "  -b, --ignore-leading-blanks  ignore leading blanks\n"
            "  -d, --dictionary-order      consider only blanks and alphanumeric characters\n"
            "  -f, --ignore-case           fold lower case to upper case characters\n"
            "  -g, --general-numeric-sort  compare according to general numerical value\n"
            "  -i, --ignore-nonprinting    consider only printable characters\n"
            "  -n, --numeric-sort          compare according to string numerical value\n"
            "  -r, --reverse               reverse the result of comparisons\n"
            "  -c, --check                 check for sorted input; do not sort\n"
            "  -C                          like -c, but do not report first bad line\n"
            "  -k, --key=KEYDEF            sort via a key; KEYDEF gives location and type\n"
            "  -m, --merge                 merge already sorted files; do not sort\n"
            "  -o, --output=FILE           write result to FILE instead of standard output\n"
            "  -s, --stable                stabilize sort by disabling last-resort comparison\n"
            "  -t, --field-separator=SEP   use SEP instead of non-blank to blank transition\n"
            "  -u, --unique                output only the first of an equal run\n\n"
            "KEYDEF is F[.C][OPTS][,F[.C][OPTS]] for start and stop position.\n",
    .usage_status = 2,
};

static void die(const char *fmt, const char *arg, const char *why)
{
	fprintf(stderr, "sort: ");
	fprintf(stderr, fmt, arg);
	if (why)
		fprintf(stderr, ": %s", why);
	fputc('\n', stderr);
	exit(2);
}

static void add_line(const char *p, size_t len)
{
	if (nlines == cap) {
		cap = cap ? cap * 2 : 1024;
		lines = realloc(lines, cap * sizeof(*lines));
		if (!lines)
			die("%s", "memory exhausted", NULL);
	}
	lines[nlines++] = (struct line){p, len};
}

/* Reads a whole file and adds its lines (the buffer stays allocated). */
static void read_file(const char *name)
{
	int std = !strcmp(name, "-");
	int fd = std ? 0 : open(name, O_RDONLY);
	if (fd < 0)
		die("cannot read: %s", name, strerror(errno));
	size_t bcap = 8192, n = 0;
	char *b = malloc(bcap);
	ssize_t r;
	while (b && (r = util_read(fd, b + n, bcap - n)) != 0) {
		if (r < 0)
			die("read failed: %s", name, strerror(errno));
		if ((n += (size_t)r) == bcap)
			b = realloc(b, bcap *= 2);
	}
	if (!b)
		die("%s", "memory exhausted", NULL);
	if (!std)
		close(fd);
	for (size_t s = 0; s < n;) {
		char *nl = memchr(b + s, '\n', n - s);
		size_t e = nl ? (size_t)(nl - b) : n;
		add_line(b + s, e - s);
		s = e + 1;
	}
}

static int cmp(const struct line *a, const struct line *b)
{
	return sortkey_compare(&opts, a->p, a->len, b->p, b->len);
}

/* A stable merge sort of v[0..n), through tmp. */
static void merge_sort(struct line *v, size_t n)
{
	if (n < 2)
		return;
	size_t h = n / 2, i = 0, j = h, k = 0;
	merge_sort(v, h);
	merge_sort(v + h, n - h);
	while (i < h && j < n)
		tmp[k++] = cmp(&v[j], &v[i]) < 0 ? v[j++] : v[i++];
	while (i < h)
		tmp[k++] = v[i++];
	while (j < n)
		tmp[k++] = v[j++];
	memcpy(v, tmp, n * sizeof(*v));
}

/* -c, -C: 0 if sorted (strictly with -u), else 1 after reporting the
 * first line out of order. */
static int check_sorted(const char *name, int quiet, int strict)
{
	for (size_t i = 1; i < nlines; i++) {
		int r = cmp(&lines[i - 1], &lines[i]);
		if (r > 0 || (strict && r == 0)) {
			if (!quiet)
				fprintf(stderr, "sort: %s:%zu: disorder: %.*s\n", name, i + 1,
				        (int)lines[i].len, lines[i].p);
			return 1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct sort_key keys[64];
	int c, check = 0, unique = 0, stable = 0;
	const char *output = NULL;
	char err[200];
	while ((c = util_getopt(&prog, argc, argv, "bcCdfgik:mno:rsS:t:T:u", longs)) != -1) {
		static const char letters[] = "nrfdgi";
		static const unsigned bits[] = {SK_NUMERIC, SK_REVERSE, SK_FOLD,
		                                SK_DICT,    SK_GENERAL, SK_NOPRINT};
		const char *flagc = c > 0 && c < 0x100 ? strchr(letters, c) : NULL;
		if (flagc) {
			opts.flags |= bits[flagc - letters];
		} else if (c == 'b') {
			opts.flags |= SK_BSTART;
		} else if (c == 'c' || c == 'C') {
			check = c;
		} else if (c == 'k') {
			if (opts.nkeys == 64)
				die("%s", "too many keys", NULL);
			if (sortkey_parse(optarg, &keys[opts.nkeys], err, sizeof(err)) < 0)
				die("%s", err, NULL);
			opts.nkeys++;
		} else if (c == 'o') {
			output = optarg;
		} else if (c == 's') {
			stable = 1;
		} else if (c == 'u') {
			unique = 1;
		} else if (c == 't') {
			if (strlen(optarg) != 1)
				die(*optarg ? "multi-character tab '%s'" : "empty tab%s", optarg,
				    NULL);
			opts.tab = (unsigned char)*optarg;
		} /* -m merges by sorting; -S and -T are accepted and ignored */
	}
	opts.keys = keys;
	opts.last_resort = !stable && !unique;
	int nfiles = argc - optind;
	char *dash[] = {"-"}, **files = nfiles ? argv + optind : dash;
	if (!nfiles)
		nfiles = 1;
	if (check && nfiles > 1)
		util_usage_error(&prog, "extra operand '%s' not allowed with -%c", files[1], check);
	for (int i = 0; i < nfiles; i++)
		read_file(files[i]);
	if (check) /* with -u, equal neighbours are disorder too */
		return check_sorted(files[0], check == 'C', unique);
	if (!(tmp = malloc((nlines + 1) * sizeof(*tmp))))
		die("%s", "memory exhausted", NULL);
	merge_sort(lines, nlines);
	if (output) { /* only now: the output may be one of the inputs */
		int fd = open(output, O_WRONLY | O_CREAT | O_TRUNC, 0666);
		if (fd < 0 || dup2(fd, 1) < 0)
			die("open failed: %s", output, strerror(errno));
		close(fd);
	}
	for (size_t i = 0; i < nlines; i++) {
		if (unique && i && !cmp(&lines[i - 1], &lines[i]))
			continue;
		fwrite(lines[i].p, 1, lines[i].len, stdout);
		putchar('\n');
	}
	if (fflush(stdout) || ferror(stdout))
		die("write failed: %s", output ? output : "standard output", strerror(errno));
	return 0;
}
