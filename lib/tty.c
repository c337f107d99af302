/* The terminal's names and a password prompt: the console is the one
 * terminal (/dev/console), so it is every tty's name and the process's
 * controlling terminal (ctermid). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#define CONSOLE "/dev/console"

int ttyname_r(int fd, char *buf, size_t len)
{
	if (!isatty(fd))
		return errno;
	if (len < sizeof(CONSOLE))
		return ERANGE;
	memcpy(buf, CONSOLE, sizeof(CONSOLE));
	return 0;
}

char *ttyname(int fd)
{
	static char name[sizeof(CONSOLE)];
	int e = ttyname_r(fd, name, sizeof(name));
	if (e) {
		errno = e;
		return NULL;
	}
	return name;
}

char *ctermid(char *s)
{
	static char name[sizeof(CONSOLE)];
	char *out = s ? s : name;
	memcpy(out, CONSOLE, sizeof(CONSOLE));
	return out;
}

/* The prompt and the answer on the console, echo off while it is typed. */
char *getpass(const char *prompt)
{
	static char buf[128];
	int fd = open(CONSOLE, O_RDWR);
	if (fd < 0)
		return NULL;
	struct termios old, quiet;
	int have = tcgetattr(fd, &old) == 0;
	if (have) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(fd, TCSAFLUSH, &quiet);
	}
	(void)!write(fd, prompt, strlen(prompt));
	size_t n = 0;
	char c;
	while (read(fd, &c, 1) == 1 && c != '\n')
		if (n + 1 < sizeof(buf))
			buf[n++] = c;
	buf[n] = 0;
	(void)!write(fd, "\n", 1);
	if (have)
		tcsetattr(fd, TCSAFLUSH, &old);
	close(fd);
	return buf;
}
