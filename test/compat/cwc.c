/* cwc: wc, uniq -c and tr in one classic filter, chosen by option:
 *   cwc [-lwc] [FILE...]     counts, with a total line for several files
 *   cwc -u                   uniq -c on stdin
 *   cwc -t SET1 SET2         tr with a-z ranges; -d SET deletes
 * Reads to EOF with getc; errors name the file with strerror. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *prog = "cwc";

static void count(FILE *f, long n[3])
{
	int c, inword = 0;
	n[0] = n[1] = n[2] = 0;
	while ((c = getc(f)) != EOF) {
		n[2]++;
		if (c == '\n')
			n[0]++;
		if (isspace(c))
			inword = 0;
		else if (!inword) {
			inword = 1;
			n[1]++;
		}
	}
}

static void show(const long n[3], int which, const char *name)
{
	for (int i = 0; i < 3; i++)
		if (which & (1 << i))
			printf("%8ld", n[i]);
	printf(name ? " %s\n" : "\n", name);
}

static int do_wc(int which, int argc, char **argv)
{
	long n[3], total[3] = {0, 0, 0};
	int status = 0;
	if (argc == 0) {
		count(stdin, n);
		show(n, which, NULL);
		return 0;
	}
	for (int i = 0; i < argc; i++) {
		FILE *f = fopen(argv[i], "r");
		if (!f) {
			fflush(stdout);
			fprintf(stderr, "%s: %s: %s\n", prog, argv[i], strerror(errno));
			status = 1;
			continue;
		}
		count(f, n);
		fclose(f);
		show(n, which, argv[i]);
		for (int j = 0; j < 3; j++)
			total[j] += n[j];
	}
	if (argc > 1)
		show(total, which, "total");
	return status;
}

static int do_uniq(void)
{
	char *line = NULL, *prev = NULL;
	size_t cap = 0;
	long reps = 0;
	while (getline(&line, &cap, stdin) != -1) {
		if (prev && strcmp(prev, line) == 0) {
			reps++;
			continue;
		}
		if (prev)
			printf("%7ld %s", reps, prev);
		free(prev);
		prev = strdup(line);
		reps = 1;
	}
	if (prev)
		printf("%7ld %s", reps, prev);
	free(prev);
	free(line);
	return 0;
}

/* "a-z0-9" spelled out into out (256 bytes at most); its length. */
static size_t expand(const char *set, unsigned char *out)
{
	size_t n = 0;
	for (const unsigned char *s = (const unsigned char *)set; *s && n < 256; s++) {
		if (s[1] == '-' && s[2]) {
			for (int c = s[0]; c <= s[2] && n < 256; c++)
				out[n++] = (unsigned char)c;
			s += 2;
		} else {
			out[n++] = *s;
		}
	}
	return n;
}

static int do_tr(const char *from, const char *to, int del)
{
	unsigned char a[256], b[256];
	int map[256];
	size_t na = expand(from, a), nb = to ? expand(to, b) : 0;
	for (int i = 0; i < 256; i++)
		map[i] = i;
	for (size_t i = 0; i < na; i++)
		map[a[i]] = del ? -1 : b[i < nb ? i : nb - 1];
	int c;
	while ((c = getchar()) != EOF)
		if (map[c] >= 0)
			putchar(map[c]);
	return 0;
}

int main(int argc, char **argv)
{
	int c, which = 0, uniq = 0, tr = 0, del = 0;
	while ((c = getopt(argc, argv, "lwcutd")) != -1) {
		switch (c) {
		case 'l':
			which |= 1;
			break;
		case 'w':
			which |= 2;
			break;
		case 'c':
			which |= 4;
			break;
		case 'u':
			uniq = 1;
			break;
		case 't':
			tr = 1;
			break;
		case 'd':
			del = 1;
			break;
		default:
			fprintf(stderr, "usage: %s [-lwc] [file...] | -u | -t set1 set2 | -d set\n",
			        prog);
			return 2;
		}
	}
	if (uniq)
		return do_uniq();
	if (tr || del) {
		if (optind + (del ? 1 : 2) > argc) {
			fprintf(stderr, "%s: missing operand\n", prog);
			return 2;
		}
		return do_tr(argv[optind], del ? NULL : argv[optind + 1], del);
	}
	return do_wc(which ? which : 7, argc - optind, argv + optind);
}
