/* yes [STRING]...: prints the STRINGs (default "y") on a line, forever,
 * until writing fails (a closed pipe) or it is killed. */
#include <stdlib.h>
#include <string.h>

#include "mica/util.h"

static char buf[8192];

int main(int argc, char **argv)
{
	size_t len = 0;
	if (argc > 1 && !strcmp(argv[1], "--help")) {
		const char *help =
		    "Usage: yes [STRING]...\n"
		    "Repeatedly output a line with all specified STRING(s), or 'y'.\n";
		util_write_all(1, help, strlen(help));
		return 0;
	}
	int first = argc > 1 && !strcmp(argv[1], "--") ? 2 : 1;
	if (first >= argc) {
		strcpy(buf, "y\n");
		len = 2;
	}
	for (int i = first; i < argc; i++) {
		size_t n = strlen(argv[i]);
		if (len + n + 1 > sizeof(buf) / 2)
			return 1;
		memcpy(buf + len, argv[i], n);
		len += n;
		buf[len++] = i + 1 < argc ? ' ' : '\n';
	}
	/* A buffer of whole lines, so each write is large. */
	size_t line = len;
	while (len + line <= sizeof(buf)) {
		memcpy(buf + len, buf, line);
		len += line;
	}
	while (util_write_all(1, buf, len) == 0)
		;
	return 1;
}
