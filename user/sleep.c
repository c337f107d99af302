/* sleep SECONDS: waits (fractions allowed, e.g. 0.5). */
#include <stdio.h>
#include <stdlib.h>

#include "mica/syscall.h"

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: sleep SECONDS\n");
		return 1;
	}
	char *end;
	double s = strtod(argv[1], &end);
	if (*end || s < 0) {
		fprintf(stderr, "sleep: invalid time interval '%s'\n", argv[1]);
		return 1;
	}
	mica_sleep((long)(s * 1000000.0));
	return 0;
}
