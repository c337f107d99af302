/* getty [tty]: a login prompt on the console (or tty). Prints /etc/issue
 * with agetty's escapes (\n host name, \l line, \s system, \r release,
 * \m machine, \\), then "HOST login: ", reads a user name and execs
 * /bin/login NAME. Without /bin/login it says so and execs a shell for
 * that name instead. init's respawn brings getty back after logout. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "mica/posix.h"

#define NAME_MAX_LEN 32
#define LOGIN        "/bin/login"

static struct utsname un;
static const char *line = "console";

static void put_escape(char c)
{
	switch (c) {
	case 'n':
		fputs(un.nodename, stdout);
		break;
	case 'l':
		fputs(line, stdout);
		break;
	case 's':
		fputs(un.sysname, stdout);
		break;
	case 'r':
		fputs(un.release, stdout);
		break;
	case 'm':
		fputs(un.machine, stdout);
		break;
	default: /* \\ and anything unknown: the character itself */
		putchar(c);
	}
}

static void issue(void)
{
	FILE *f = fopen("/etc/issue", "r");
	if (!f)
		return;
	for (int c; (c = getc(f)) != EOF;) {
		if (c != '\\') {
			putchar(c);
			continue;
		}
		if ((c = getc(f)) == EOF)
			break;
		put_escape((char)c);
	}
	fclose(f);
}

static bool valid_name(const char *s)
{
	if (!*s || *s == '-')
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '.' || *s == '-'))
			return false;
	return true;
}

/* Reads one line from fd 0 into name; false at end of input. */
static bool read_name(char *name, size_t size)
{
	size_t n = 0;
	char c;
	for (;;) {
		ssize_t r = read(0, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return n > 0 ? (name[n] = '\0', true) : false;
		if (c == '\n' || c == '\r')
			break;
		if (n + 1 < size)
			name[n++] = c;
	}
	name[n] = '\0';
	return true;
}

static void open_tty(const char *path)
{
	int fd = open(path, O_RDWR);
	if (fd < 0) {
		fprintf(stderr, "getty: %s: %s\n", path, strerror(errno));
		_exit(1);
	}
	for (int i = 0; i < 3; i++)
		if (fd != i)
			dup2(fd, i);
	if (fd > 2)
		close(fd);
}

int main(int argc, char **argv)
{
	if (argc > 1) {
		const char *path = argv[1];
		char dev[64];
		if (path[0] != '/') {
			snprintf(dev, sizeof(dev), "/dev/%s", path);
			path = dev;
		}
		open_tty(path);
		line = strrchr(path, '/') + 1;
	}
	uname(&un);
	mica_console_mode(0); /* a session before may have left it raw */
	printf("\n");
	issue();
	char name[NAME_MAX_LEN + 1];
	for (;;) {
		printf("%s login: ", un.nodename);
		fflush(stdout);
		if (!read_name(name, sizeof(name)))
			return 0; /* end of input: init starts another getty */
		if (valid_name(name))
			break;
		if (name[0])
			printf("getty: bad user name\n");
	}
	char *login_argv[] = {"login", name, NULL};
	execv(LOGIN, login_argv);
	printf("getty: %s: %s; starting a shell for %s\n", LOGIN, strerror(errno), name);
	fflush(stdout);
	char user[48], logname[48];
	snprintf(user, sizeof(user), "USER=%s", name);
	snprintf(logname, sizeof(logname), "LOGNAME=%s", name);
	char *sh_argv[] = {"-sh", NULL};
	char *envp[] = {"PATH=/bin", "HOME=/", "TERM=vt100", user, logname, NULL};
	execve("/bin/sh", sh_argv, envp);
	printf("getty: /bin/sh: %s\n", strerror(errno));
	return 1;
}
