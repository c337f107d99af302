/* lsort: sort lines read with getline into a realloc-grown array, by
 * qsort: -r reverse, -n by the last number on the line, -u unique,
 * -s print a summary (count, first, last, a checksum) instead. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int reverse, numeric;

static long last_number(const char *s)
{
	const char *p = strrchr(s, ' ');
	return strtol(p ? p + 1 : s, NULL, 10);
}

static int cmp(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	int r = 0;
	if (numeric) {
		long u = last_number(x), v = last_number(y);
		r = (u > v) - (u < v);
	}
	if (r == 0)
		r = strcmp(x, y);
	return reverse ? -r : r;
}

int main(int argc, char **argv)
{
	int c, unique = 0, summary = 0;
	while ((c = getopt(argc, argv, "rnus")) != -1) {
		switch (c) {
		case 'r':
			reverse = 1;
			break;
		case 'n':
			numeric = 1;
			break;
		case 'u':
			unique = 1;
			break;
		case 's':
			summary = 1;
			break;
		default:
			return 2;
		}
	}
	char **lines = NULL, *line = NULL;
	size_t n = 0, cap = 0, lcap = 0;
	ssize_t len;
	while ((len = getline(&line, &lcap, stdin)) != -1) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			char **grown = realloc(lines, cap * sizeof(*lines));
			if (!grown) {
				perror("lsort: realloc");
				return 1;
			}
			lines = grown;
		}
		if (len && line[len - 1] == '\n')
			line[len - 1] = 0;
		lines[n++] = strdup(line);
	}
	qsort(lines, n, sizeof(*lines), cmp);
	unsigned long sum = 0;
	size_t out = 0;
	for (size_t i = 0; i < n; i++) {
		if (unique && i && strcmp(lines[i], lines[i - 1]) == 0)
			continue;
		out++;
		for (const char *p = lines[i]; *p; p++)
			sum = sum * 31 + (unsigned char)*p;
		if (!summary)
			puts(lines[i]);
	}
	if (summary && n)
		printf("%zu lines, %zu printed, first \"%s\", last \"%s\", sum %lu\n", n, out,
		       lines[0], lines[n - 1], sum);
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	free(line);
	return 0;
}
