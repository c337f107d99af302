/* uname and gethostname: Mica's name and version, and the host name from
 * /etc/hostname ("mica" without one). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#define DEFAULT_HOST "mica"

/* The first line of /etc/hostname, or DEFAULT_HOST. */
static void host_name(char *buf, size_t n)
{
	int fd = open("/etc/hostname", O_RDONLY);
	ssize_t r = fd >= 0 ? read(fd, buf, n - 1) : -1;
	if (fd >= 0)
		close(fd);
	buf[r > 0 ? r : 0] = '\0';
	buf[strcspn(buf, "\r\n \t")] = '\0';
	if (!buf[0])
		snprintf(buf, n, "%s", DEFAULT_HOST);
}

int uname(struct utsname *u)
{
	memset(u, 0, sizeof(*u));
	strcpy(u->sysname, "Mica");
	host_name(u->nodename, sizeof(u->nodename));
	strcpy(u->release, "0.1");
	strcpy(u->version, "#1 " __DATE__ " " __TIME__);
	strcpy(u->machine, "riscv64");
	strcpy(u->domainname, "(none)");
	return 0;
}

int gethostname(char *name, size_t len)
{
	char buf[_UTSNAME_LENGTH];
	host_name(buf, sizeof(buf));
	if (strlen(buf) >= len)
		return errno = ENAMETOOLONG, -1;
	memcpy(name, buf, strlen(buf) + 1);
	return 0;
}
