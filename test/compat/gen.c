/* gen: deterministic text for the other compat programs: N lines of
 * pseudo-random words (a linear congruential generator, so the host and
 * the guest write the same bytes). Usage: gen [-s seed] [-w words] N */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static unsigned long state = 12345;

static unsigned next(void)
{
	state = state * 1103515245UL + 12345UL;
	return (unsigned)((state >> 16) & 0x7fff);
}

int main(int argc, char **argv)
{
	static const char *words[] = {"alpha",   "bravo",  "charlie", "delta",    "echo",
	                              "foxtrot", "golf",   "hotel",   "india",    "juliet",
	                              "kilo",    "lima",   "mike",    "november", "oscar",
	                              "papa",    "quebec", "romeo",   "sierra",   "tango"};
	int c, per = 6;
	while ((c = getopt(argc, argv, "s:w:")) != -1) {
		switch (c) {
		case 's':
			state = strtoul(optarg, NULL, 10);
			break;
		case 'w':
			per = atoi(optarg);
			break;
		default:
			fprintf(stderr, "usage: %s [-s seed] [-w words] N\n", argv[0]);
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "%s: missing line count\n", argv[0]);
		return 2;
	}
	long n = strtol(argv[optind], NULL, 10);
	for (long i = 0; i < n; i++) {
		int k = 1 + (int)(next() % (unsigned)per);
		for (int j = 0; j < k; j++)
			printf("%s%s", j ? " " : "", words[next() % 20]);
		printf(" %u\n", next() % 1000);
	}
	return 0;
}
