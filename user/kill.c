/* kill [-SIGNAL] pid...: sends a signal (default TERM) by name or number. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name;
	int num;
} sigs[] = {{"INT", 2}, {"KILL", 9}, {"TERM", 15}, {"CHLD", 17}};

static int parse_sig(const char *s)
{
	if (!strncmp(s, "SIG", 3))
		s += 3;
	for (unsigned i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (!strcmp(s, sigs[i].name))
			return sigs[i].num;
	char *end;
	long n = strtol(s, &end, 10);
	return *s && !*end && n >= 0 && n < 65 ? (int)n : -1;
}

int main(int argc, char **argv)
{
	int sig = 15, i = 1, rc = 0;
	if (argc > 1 && argv[1][0] == '-') {
		if ((sig = parse_sig(argv[1] + 1)) < 0) {
			fprintf(stderr, "kill: %s: invalid signal specification\n", argv[1] + 1);
			return 1;
		}
		i = 2;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: kill [-SIGNAL] pid...\n");
		return 2;
	}
	for (; i < argc; i++) {
		if (kill((pid_t)atoi(argv[i]), sig) < 0) {
			fprintf(stderr, "kill: (%s) - %s\n", argv[i], strerror(errno));
			rc = 1;
		}
	}
	return rc;
}
