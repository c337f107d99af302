/* more [FILE...]: pages text by the terminal's height (TIOCGWINSZ). At
 * "--More--(NN%)" space shows the next page, Enter the next line, q
 * quits; keys are read from the terminal in raw mode. When standard
 * output is not a terminal it copies its input like cat. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

static int rows = 24, cols = 80, tty = -1;
static struct termios saved;

/* One key from the terminal, in raw mode. */
static int key(void)
{
	struct termios raw = saved;
	unsigned char c = 'q';
	raw.c_lflag &= ~(unsigned)(ICANON | ECHO);
	tcsetattr(tty, TCSANOW, &raw);
	if (read(tty, &c, 1) != 1)
		c = 'q';
	tcsetattr(tty, TCSANOW, &saved);
	return c;
}

/* Pages f (size bytes, 0 unknown); 1 if the user quit. */
static int page(FILE *f, long size)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long done = 0;
	int left = rows - 1;
	while ((n = getline(&line, &cap, f)) > 0) {
		done += n;
		fwrite(line, 1, (size_t)n, stdout);
		int used = 1 + (int)((n > 1 ? n - 2 : 0) / cols);
		if ((left -= used) > 0)
			continue;
		if (size)
			printf("--More--(%ld%%)", done * 100 / size);
		else
			printf("--More--");
		fflush(stdout);
		int c = key();
		printf("\r              \r");
		if (c == 'q' || c == 'Q' || c == 4) {
			free(line);
			return 1;
		}
		left = c == '\n' || c == '\r' ? 1 : rows - 1;
	}
	free(line);
	return 0;
}

static int copy(FILE *f)
{
	char b[4096];
	size_t n;
	while ((n = fread(b, 1, sizeof(b), f)) > 0)
		fwrite(b, 1, n, stdout);
	return ferror(f) ? 1 : 0;
}

int main(int argc, char **argv)
{
	int rc = 0, paging = isatty(1);
	struct winsize ws;
	if (paging && ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 1) {
		rows = ws.ws_row;
		cols = ws.ws_col ? ws.ws_col : 80;
	}
	if (paging) {
		tty = isatty(0) ? 0 : open("/dev/console", O_RDONLY);
		if (tty < 0 || tcgetattr(tty, &saved) < 0)
			paging = 0;
	}
	for (int i = 1; i < argc || (i == 1 && argc == 1); i++) {
		const char *name = argc > 1 ? argv[i] : "-";
		FILE *f = strcmp(name, "-") ? fopen(name, "r") : stdin;
		struct stat st;
		if (!f) {
			fprintf(stderr, "more: cannot open %s: %s\n", name, strerror(errno));
			rc = 1;
			continue;
		}
		if (argc > 2 && paging)
			printf("::::::::::::::\n%s\n::::::::::::::\n", name);
		long size =
		    fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) ? (long)st.st_size : 0;
		int quit = paging && (f != stdin || tty != 0) ? page(f, size) : copy(f);
		if (f != stdin)
			fclose(f);
		if (quit == 1 && paging)
			break;
	}
	fflush(stdout);
	return rc;
}
