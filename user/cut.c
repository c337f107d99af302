/* cut -b LIST | -c LIST | -f LIST [-d DELIM] [-s] [--complement]
 * [--output-delimiter=S] [FILE]...: the selected bytes, characters (bytes:
 * the C locale) or fields of each line. LIST is N, N-M, N- or -M, joined
 * by commas. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mica/utilopt.h"

struct range {
	unsigned long lo, hi; /* 1-based, inclusive */
};

static struct range *ranges;
static int nranges, complement, only_delimited;
static char delim = '\t', mode;
static const char *out_delim;

enum { OPT_COMPLEMENT = 0x200, OPT_OUTDELIM };
static const struct util_long longs[] = {
    {"bytes", 1, 'b'},
    {"characters", 1, 'c'},
    {"fields", 1, 'f'},
    {"delimiter", 1, 'd'},
    {"only-delimited", 0, 's'},
    {"complement", 0, OPT_COMPLEMENT},
    {"output-delimiter", 1, OPT_OUTDELIM},
    {NULL, 0, 0},
};
static const struct util_prog prog = {
    .name = "cut",
    .help = "Usage: cut OPTION... [FILE]...\n"
            "Print selected parts of lines from each FILE to standard output.\n\n"
            "  -b, --bytes=LIST        select only these bytes\n"
            "  -c, --characters=LIST   select only these characters\n"
            "  -d, --delimiter=DELIM   use DELIM instead of TAB for field delimiter\n"
            "  -f, --fields=LIST       select only these fields\n"
            "  -n                      (ignored)\n"
            "      --complement        complement the set of selected bytes, characters\n"
            "                            or fields\n"
            "  -s, --only-delimited    do not print lines not containing delimiters\n"
            "      --output-delimiter=STRING  use STRING as the output delimiter\n",
    .usage_status = 1,
};

static void list_error(const char *msg, const char *list)
{
	fprintf(stderr, "cut: %s", msg);
	if (list)
		fprintf(stderr, ": '%s'", list);
	fputc('\n', stderr);
	util_try_help(&prog);
}

static unsigned long list_number(const char **s)
{
	char *end;
	unsigned long v = strtoul(*s, &end, 10);
	*s = end;
	return v;
}

static void parse_list(const char *list)
{
	const char *s = list;
	ranges = calloc(strlen(list) + 1, sizeof(*ranges));
	while (*s) {
		struct range r = {1, (unsigned long)-1};
		int has_lo = *s >= '0' && *s <= '9';
		if (has_lo)
			r.lo = r.hi = list_number(&s);
		if (*s == '-') {
			s++;
			r.hi = *s >= '0' && *s <= '9' ? list_number(&s) : (unsigned long)-1;
			if (!has_lo && r.hi == (unsigned long)-1)
				list_error("invalid range with no endpoint: -", NULL);
		} else if (!has_lo) {
			list_error(mode == 'f' ? "invalid field value"
			                       : "invalid byte or character "
			                         "range",
			           list);
		}
		if (!r.lo || !r.hi)
			list_error(mode == 'f' ? "fields are numbered from 1"
			                       : "byte/character positions are numbered from 1",
			           NULL);
		if (r.lo > r.hi)
			list_error("invalid decreasing range", NULL);
		ranges[nranges++] = r;
		if (*s == ',')
			s++;
		else if (*s)
			list_error(mode == 'f' ? "invalid field value"
			                       : "invalid byte/character "
			                         "position",
			           list);
	}
}

static int selected(unsigned long i)
{
	for (int k = 0; k < nranges; k++)
		if (i >= ranges[k].lo && i <= ranges[k].hi)
			return !complement;
	return complement;
}

static void cut_bytes(const char *line, size_t len)
{
	int printed = 0;
	unsigned long prev = 0;
	for (size_t i = 0; i < len; i++)
		if (selected(i + 1)) {
			if (out_delim && printed && prev != i)
				fputs(out_delim, stdout);
			putchar(line[i]);
			printed = 1, prev = i + 1;
		}
	putchar('\n');
}

static void cut_fields(const char *line, size_t len)
{
	if (!memchr(line, delim, len)) {
		if (!only_delimited)
			fwrite(line, 1, len, stdout), putchar('\n');
		return;
	}
	int printed = 0;
	unsigned long f = 1;
	for (size_t start = 0; start <= len; f++) {
		const char *e = memchr(line + start, delim, len - start);
		size_t end = e ? (size_t)(e - line) : len;
		if (selected(f)) {
			if (printed++) {
				if (out_delim)
					fputs(out_delim, stdout);
				else
					putchar(delim);
			}
			fwrite(line + start, 1, end - start, stdout);
		}
		start = end + 1;
	}
	putchar('\n');
}

static int cut_file(const char *name)
{
	int std = !strcmp(name, "-");
	FILE *f = std ? stdin : fopen(name, "r");
	if (!f) {
		fprintf(stderr, "cut: %s: %s\n", name, strerror(errno));
		return 1;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&line, &cap, f)) > 0) {
		if (line[n - 1] == '\n')
			n--;
		if (mode == 'f')
			cut_fields(line, (size_t)n);
		else
			cut_bytes(line, (size_t)n);
	}
	int rc = 0;
	if (ferror(f)) {
		fprintf(stderr, "cut: %s: %s\n", name, strerror(errno));
		rc = 1;
	}
	free(line);
	if (!std)
		fclose(f);
	return rc;
}

int main(int argc, char **argv)
{
	const char *list = NULL;
	int c, have_delim = 0;
	while ((c = util_getopt(&prog, argc, argv, "b:c:f:d:sn", longs)) != -1) {
		if (c == 'b' || c == 'c' || c == 'f') {
			if (mode)
				list_error("only one type of list may be specified", NULL);
			mode = (char)c, list = optarg;
		} else if (c == 'd') {
			if (strlen(optarg) > 1)
				list_error("the delimiter must be a single character", NULL);
			delim = *optarg, have_delim = 1;
		} else if (c == 's') {
			only_delimited = 1;
		} else if (c == OPT_COMPLEMENT) {
			complement = 1;
		} else if (c == OPT_OUTDELIM) {
			out_delim = optarg;
		}
	}
	if (!mode)
		list_error("you must specify a list of bytes, characters, or fields", NULL);
	if (have_delim && mode != 'f')
		list_error("an input delimiter may be specified only when operating on fields",
		           NULL);
	if (only_delimited && mode != 'f')
		list_error("suppressing non-delimited lines makes sense\n\tonly when operating on "
		           "fields",
		           NULL);
	parse_list(list);
	int rc = 0;
	if (optind == argc)
		return cut_file("-");
	for (int i = optind; i < argc; i++)
		rc |= cut_file(argv[i]);
	return rc;
}
