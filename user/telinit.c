/* telinit [0123456Ss|Qq]: asks init (pid 1) for a runlevel, or to re-read
 * /etc/inittab (q). The request goes in /var/run/initctl, then SIGHUP
 * tells init; init removes the file once it has read it. The signal is
 * sent again until then, so a signal that lands while init is busy (or
 * just before it waits) is not lost. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define INITCTL  "/var/run/initctl"
#define TRIES    100 /* answer within 10 seconds */
#define RETRY_US 100000

static int usage(void)
{
	fprintf(stderr, "Usage: telinit {0|1|2|3|4|5|6|S|s|Q|q}\n");
	return 1;
}

int main(int argc, char **argv)
{
	if (argc != 2 || strlen(argv[1]) != 1 || !strchr("0123456SsQq", argv[1][0]))
		return usage();
	char req[] = {argv[1][0], '\n'};
	mkdir("/var", 0755);
	mkdir("/var/run", 0755);
	int fd = open(INITCTL ".new", O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, req, sizeof(req)) != (ssize_t)sizeof(req) || close(fd) < 0 ||
	    rename(INITCTL ".new", INITCTL) < 0) {
		fprintf(stderr, "telinit: %s: %s\n", INITCTL, strerror(errno));
		return 1;
	}
	for (int i = 0; i < TRIES; i++) {
		if (kill(1, SIGHUP) < 0) {
			fprintf(stderr, "telinit: cannot signal init: %s\n", strerror(errno));
			unlink(INITCTL);
			return 1;
		}
		usleep(RETRY_US);
		if (access(INITCTL, F_OK) < 0)
			return 0;
	}
	fprintf(stderr, "telinit: init did not take the request\n");
	unlink(INITCTL);
	return 1;
}
