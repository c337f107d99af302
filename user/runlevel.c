/* runlevel: prints the previous and the current runlevel, as init keeps
 * them in /var/run/runlevel ("N 2" after boot: no previous level), and
 * "unknown" (status 1) without it, as sysvinit's runlevel does. */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/var/run/runlevel";
	char buf[4];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf));
	if (fd >= 0)
		close(fd);
	if (n < 3 || buf[1] != ' ') {
		printf("unknown\n");
		return 1;
	}
	printf("%c %c\n", buf[0], buf[2]);
	return 0;
}
