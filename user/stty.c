/* stty [raw | -raw | cooked | sane]: sets the console's line discipline.
 * raw: bytes reach readers at once, without echo or ^C handling;
 * -raw, cooked and sane: canonical mode with echo, erase and ^C. */
#include <stdio.h>
#include <string.h>

#include "mica/posix.h"

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: stty raw | -raw | cooked | sane\n");
		return 1;
	}
	int raw;
	if (!strcmp(argv[1], "raw"))
		raw = 1;
	else if (!strcmp(argv[1], "-raw") || !strcmp(argv[1], "cooked") || !strcmp(argv[1], "sane"))
		raw = 0;
	else {
		fprintf(stderr, "stty: invalid argument '%s'\n", argv[1]);
		return 1;
	}
	if (mica_console_mode(raw) < 0) {
		perror("stty");
		return 1;
	}
	return 0;
}
