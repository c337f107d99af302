/* tr [-c] [-d] [-s] [-t] SET1 [SET2]: copies standard input to standard
 * output translating SET1's bytes into SET2's, deleting SET1's (-d), and
 * squeezing runs of the last SET's bytes into one (-s). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/trset.h"
#include "mica/utilopt.h"

static const struct util_long longs[] = {
    {"complement", 0, 'c'},    {"delete", 0, 'd'}, {"squeeze-repeats", 0, 's'},
    {"truncate-set1", 0, 't'}, {NULL, 0, 0},
};
static const struct util_prog prog = {
    .name = "tr",
    .help = "Usage: tr [OPTION]... SET1 [SET2]\n"
            "Translate, squeeze, and/or delete characters from standard input,\n"
            "writing to standard output.\n\n"
            "  -c, -C, --complement    use the complement of SET1\n"
            "  -d, --delete            delete characters in SET1, do not translate\n"
            "  -s, --squeeze-repeats   replace each sequence of a repeated character\n"
            "                          that is listed in the last specified SET,\n"
            "                          with a single occurrence of that character\n"
            "  -t, --truncate-set1     first truncate SET1 to length of SET2\n\n"
            "SETs are specified as strings of characters: \\NNN \\\\ \\n \\t ..., CHAR1-CHAR2,\n"
            "[CHAR*], [CHAR*REPEAT], [:alnum:] [:alpha:] [:digit:] [:lower:] [:upper:]\n"
            "[:space:] [:punct:] ..., [=CHAR=].\n",
    .usage_status = 1,
};

static struct trset set1, set2;

static void parse(const char *s, struct trset *set)
{
	char err[160];
	if (trset_parse(s, set, err, sizeof(err)) < 0) {
		fprintf(stderr, "tr: %s\n", err);
		exit(1);
	}
}

/* In SET2 only [:upper:] and [:lower:] may appear, each facing the other
 * in SET1 when translating, as POSIX requires. */
static void check_classes(const char *s1, const char *s2, int translate)
{
	for (const char *p = strstr(s2, "[:"); p; p = strstr(p + 2, "[:"))
		if (strncmp(p, "[:upper:]", 9) && strncmp(p, "[:lower:]", 9) && strstr(p, ":]")) {
			fprintf(stderr, "tr: the only character classes that may appear in string2 "
			                "are 'upper' and 'lower'\n");
			exit(1);
		}
	int up = strstr(s2, "[:upper:]") != NULL, low = strstr(s2, "[:lower:]") != NULL;
	if (translate && ((up && !strstr(s1, "[:lower:]")) || (low && !strstr(s1, "[:upper:]")))) {
		fprintf(stderr, "tr: misaligned [:upper:] and/or [:lower:] construct\n");
		exit(1);
	}
}

int main(int argc, char **argv)
{
	int c, complement = 0, delete = 0, squeeze = 0, truncate = 0;
	while ((c = util_getopt(&prog, argc, argv, "cCdst", longs)) != -1) {
		complement |= c == 'c' || c == 'C';
		delete |= c == 'd', squeeze |= c == 's', truncate |= c == 't';
	}
	int n = argc - optind, translate = !delete &&n >= 1 && !(squeeze && n == 1);
	int need = delete &&squeeze ? 2 : translate ? 2 : 1;
	if (n < need) {
		if (!n)
			util_usage_error(&prog, "missing operand");
		fprintf(stderr, "tr: missing operand after '%s'\n", argv[argc - 1]);
		fprintf(stderr, translate ? "Two strings must be given when translating.\n"
		                          : "Two strings must be given when both deleting and "
		                            "squeezing repeats.\n");
		util_try_help(&prog);
	}
	if (n > need)
		util_usage_error(&prog, "extra operand '%s'", argv[optind + need]);
	parse(argv[optind], &set1);
	if (complement)
		trset_complement(&set1);
	if (need == 2) {
		check_classes(argv[optind], argv[optind + 1], translate);
		parse(argv[optind + 1], &set2);
	}
	unsigned char map[256], del[256] = {0}, sq[256] = {0};
	for (int i = 0; i < 256; i++)
		map[i] = (unsigned char)i;
	if (translate) {
		if (truncate && set1.n > set2.n)
			set1.n = set2.n;
		if (!set2.n && set1.n) {
			fprintf(stderr,
			        "tr: when not truncating set1, string2 must be non-empty\n");
			return 1;
		}
		trset_extend(&set2, set1.n);
		for (size_t i = 0; i < set1.n; i++)
			map[set1.c[i]] = set2.c[i];
	}
	for (size_t i = 0; delete &&i < set1.n; i++)
		del[set1.c[i]] = 1;
	const struct trset *last = need == 2 ? &set2 : &set1;
	for (size_t i = 0; squeeze && i < last->n; i++)
		sq[last->c[i]] = 1;
	int prev = -1, ch;
	while ((ch = getchar()) != EOF) {
		if (del[ch])
			continue;
		ch = map[ch];
		if (sq[ch] && ch == prev)
			continue;
		putchar(ch);
		prev = ch;
	}
	return fflush(stdout) ? 1 : 0;
}
