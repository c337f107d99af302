/* wc [-l] [-w] [-m] [-c] [FILE]...: newline, word, character (UTF-8) and byte counts of each FILE
 * (none or "-": standard input), and a total line for several files. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mica/util.h"

static char buf[4096];
static int show_lines, show_words, show_chars, show_bytes, width;

static const struct util_opt opts[] = {
    {'l', "lines", &show_lines, 1},
    {'w', "words", &show_words, 1},
    {'m', "chars", &show_chars, 1},
    {'c', "bytes", &show_bytes, 1},
    {0},
};
static const struct util_prog prog = {
    .name = "wc",
    .help = "Usage: wc [OPTION]... [FILE]...\n"
            "Print newline, word, and byte counts for each FILE, and a total line if\n"
            "more than one FILE is specified.\n\n"
            "With no FILE, or when FILE is -, read standard input.\n\n"
            "  -c, --bytes  print the byte counts\n"
            "  -l, --lines  print the newline counts\n"
            "  -m, --chars  print the character counts (UTF-8)\n"
            "  -w, --words  print the word counts\n",
    .usage_status = 1,
    .opts = opts,
};

static void print_counts(const unsigned long long c[4], const char *name)
{
	const int show[4] = {show_lines, show_words, show_chars, show_bytes};
	const char *sep = "";
	for (int i = 0; i < 4; i++)
		if (show[i]) {
			printf("%s%*llu", sep, width, c[i]);
			sep = " ";
		}
	if (name)
		printf(" %s", name);
	putchar('\n');
}

/* Counts fd into c; 0, or 1 after a read error (reported). */
static int count(int fd, const char *name, unsigned long long c[4])
{
	int in_word = 0;
	for (;;) {
		ssize_t n = util_read(fd, buf, sizeof(buf));
		if (n == 0)
			return 0;
		if (n < 0) {
			fprintf(stderr, "wc: %s: %s\n", name, strerror(errno));
			return 1;
		}
		c[3] += (unsigned long long)n;
		for (ssize_t i = 0; i < n; i++) {
			unsigned char ch = (unsigned char)buf[i];
			c[2] += (ch & 0xc0) != 0x80; /* not a UTF-8 continuation byte */
			if (ch == '\n')
				c[0]++;
			if (isspace(ch))
				in_word = 0;
			else if (!in_word)
				in_word = 1, c[1]++;
		}
	}
}

/* coreutils' rule: wide enough for the total size of the regular files,
 * at least 7 if an input is not a regular file, 1 for a single count of a
 * single file. */
static int number_width(char **files, int nfiles, int single)
{
	if (single)
		return 1;
	unsigned long long total = 0;
	int w = 1, min = 1;
	for (int i = 0; i < nfiles; i++) {
		struct stat st;
		int r = strcmp(files[i], "-") ? stat(files[i], &st) : fstat(0, &st);
		if (r < 0)
			continue;
		if (S_ISREG(st.st_mode))
			total += (unsigned long long)st.st_size;
		else
			min = 7;
	}
	for (; total >= 10; total /= 10)
		w++;
	return w < min ? min : w;
}

int main(int argc, char **argv)
{
	char **files = argv + 1;
	int nfiles = util_parse_args(&prog, argc, argv), rc = 0, named = 1;
	if (!show_lines && !show_words && !show_chars && !show_bytes)
		show_lines = show_words = show_bytes = 1;
	if (!nfiles) {
		static char *dash[] = {"-"};
		files = dash, nfiles = 1, named = 0;
	}
	width = number_width(files, nfiles,
	                     nfiles == 1 && show_lines + show_words + show_chars + show_bytes == 1);
	unsigned long long total[4] = {0, 0, 0, 0};
	for (int i = 0; i < nfiles; i++) {
		unsigned long long c[4] = {0, 0, 0, 0};
		int std = !strcmp(files[i], "-");
		int fd = std ? 0 : open(files[i], O_RDONLY);
		if (fd < 0) {
			fprintf(stderr, "wc: %s: %s\n", files[i], strerror(errno));
			rc = 1;
			continue;
		}
		rc |= count(fd, files[i], c);
		if (!std)
			close(fd);
		print_counts(c, named ? files[i] : NULL);
		for (int k = 0; k < 4; k++)
			total[k] += c[k];
	}
	if (nfiles > 1)
		print_counts(total, "total");
	return rc;
}
