/* uniq [-c] [-d] [-u] [-i] [-f N] [-s N] [-w N] [INPUT [OUTPUT]]: adjacent
 * equal lines of INPUT written once to OUTPUT; fields (-f) and characters
 * (-s) skipped and at most N characters (-w) compared. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mica/utilopt.h"

static int count, dups_only, uniq_only, fold;
static long skip_fields, skip_chars, max_chars = -1;

static const struct util_long longs[] = {
    {"count", 0, 'c'},       {"repeated", 0, 'd'},
    {"unique", 0, 'u'},      {"ignore-case", 0, 'i'},
    {"skip-fields", 1, 'f'}, {"skip-chars", 1, 's'},
    {"check-chars", 1, 'w'}, {NULL, 0, 0},
};
static const struct util_prog prog = {
    .name = "uniq",
    .help = "Usage: uniq [OPTION]... [INPUT [OUTPUT]]\n"
            "Filter adjacent matching lines from INPUT (or standard input),\n"
            "writing to OUTPUT (or standard output).\n\n"
            "  -c, --count           prefix lines by the number of occurrences\n"
            "  -d, --repeated        only print duplicate lines, one for each group\n"
            "  -f, --skip-fields=N   avoid comparing the first N fields\n"
            "  -i, --ignore-case     ignore differences in case when comparing\n"
            "  -s, --skip-chars=N    avoid comparing the first N characters\n"
            "  -u, --unique          only print unique lines\n"
            "  -w, --check-chars=N   compare no more than N characters in lines\n",
    .usage_status = 1,
};

static long number(const char *s, const char *what)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (end == s || *end || v < 0 || errno) {
		fprintf(stderr, "uniq: %s: invalid number of %s to %s\n", s, what,
		        *what == 'b' ? "compare" : "skip");
		exit(1);
	}
	return v;
}

/* The part of a line that is compared; its length in *len. */
static const char *key(const char *s, size_t *len)
{
	for (long f = 0; f < skip_fields; f++) {
		while (*s == ' ' || *s == '\t')
			s++;
		while (*s && *s != ' ' && *s != '\t' && *s != '\n')
			s++;
	}
	for (long c = 0; c < skip_chars && *s && *s != '\n'; c++)
		s++;
	size_t n = strcspn(s, "\n");
	*len = max_chars >= 0 && (size_t)max_chars < n ? (size_t)max_chars : n;
	return s;
}

static int same(const char *a, const char *b)
{
	size_t la, lb;
	a = key(a, &la), b = key(b, &lb);
	if (la != lb)
		return 0;
	return fold ? !strncasecmp(a, b, la) : !memcmp(a, b, la);
}

static void put_group(FILE *out, const char *line, unsigned long n)
{
	if ((dups_only && n < 2) || (uniq_only && n > 1))
		return;
	if (count)
		fprintf(out, "%7lu ", n);
	fputs(line, out);
	if (!*line || line[strlen(line) - 1] != '\n')
		fputc('\n', out);
}

int main(int argc, char **argv)
{
	int c;
	while ((c = util_getopt(&prog, argc, argv, "cdDuif:s:w:", longs)) != -1) {
		switch (c) {
		case 'c':
			count = 1;
			break;
		case 'd':
			dups_only = 1;
			break;
		case 'u':
			uniq_only = 1;
			break;
		case 'i':
			fold = 1;
			break;
		case 'f':
			skip_fields = number(optarg, "fields");
			break;
		case 's':
			skip_chars = number(optarg, "chars");
			break;
		case 'w':
			max_chars = number(optarg, "bytes");
			break;
		default:
			util_usage_error(&prog, "invalid option -- '%c'", c);
		}
	}
	int nops = argc - optind;
	if (nops > 2)
		util_usage_error(&prog, "extra operand '%s'", argv[optind + 2]);
	FILE *in = stdin, *out = stdout;
	const char *iname = nops > 0 ? argv[optind] : "-",
	           *oname = nops > 1 ? argv[optind + 1] : "-";
	if (strcmp(iname, "-") && !(in = fopen(iname, "r"))) {
		fprintf(stderr, "uniq: %s: %s\n", iname, strerror(errno));
		return 1;
	}
	if (strcmp(oname, "-") && !(out = fopen(oname, "w"))) {
		fprintf(stderr, "uniq: %s: %s\n", oname, strerror(errno));
		return 1;
	}
	char *prev = NULL, *line = NULL;
	size_t pcap = 0, cap = 0;
	unsigned long n = 0;
	while (getline(&line, &cap, in) > 0) {
		if (n && same(prev, line)) {
			n++;
			continue;
		}
		if (n)
			put_group(out, prev, n);
		char *t = prev;
		size_t tc = pcap;
		prev = line, pcap = cap, line = t, cap = tc, n = 1;
	}
	if (n)
		put_group(out, prev, n);
	if (ferror(in)) {
		fprintf(stderr, "uniq: %s: %s\n", iname, strerror(errno));
		return 1;
	}
	if (fclose(out)) {
		fprintf(stderr, "uniq: write error: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}
