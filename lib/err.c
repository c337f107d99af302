/* BSD's <err.h> (picolibc has none): "prog: message: error text" on
 * stderr, and exit for err/errx; and the program's name they print. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mica/progname.h"

/* argv[0]'s last part, from /proc/self/cmdline (read once). */
const char *mica_progname(void)
{
	static char name[128];
	if (name[0])
		return name;
	char buf[128];
	int fd = open("/proc/self/cmdline", O_RDONLY);
	ssize_t r = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	if (fd >= 0)
		close(fd);
	buf[r > 0 ? r : 0] = '\0';
	const char *base = strrchr(buf, '/') ? strrchr(buf, '/') + 1 : buf;
	snprintf(name, sizeof(name), "%s", *base ? base : "?");
	return name;
}

static void report(int with_err, int e, const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "%s: ", mica_progname());
	if (fmt)
		vfprintf(stderr, fmt, ap);
	if (with_err)
		fprintf(stderr, fmt ? ": %s\n" : "%s\n", strerror(e));
	else
		fputc('\n', stderr);
}

void vwarn(const char *fmt, va_list ap)
{
	report(1, errno, fmt, ap);
}

void vwarnx(const char *fmt, va_list ap)
{
	report(0, 0, fmt, ap);
}

void vwarnc(int code, const char *fmt, va_list ap)
{
	report(1, code, fmt, ap);
}

void verr(int status, const char *fmt, va_list ap)
{
	vwarn(fmt, ap);
	exit(status);
}

void verrx(int status, const char *fmt, va_list ap)
{
	vwarnx(fmt, ap);
	exit(status);
}

void verrc(int status, int code, const char *fmt, va_list ap)
{
	vwarnc(code, fmt, ap);
	exit(status);
}

#define VA(call)                                                                                   \
	do {                                                                                       \
		va_list ap;                                                                        \
		va_start(ap, fmt);                                                                 \
		call;                                                                              \
		va_end(ap);                                                                        \
	} while (0)

void warn(const char *fmt, ...)
{
	VA(vwarn(fmt, ap));
}

void warnx(const char *fmt, ...)
{
	VA(vwarnx(fmt, ap));
}

void warnc(int code, const char *fmt, ...)
{
	VA(vwarnc(code, fmt, ap));
}

void err(int status, const char *fmt, ...)
{
	VA(verr(status, fmt, ap));
}

void errx(int status, const char *fmt, ...)
{
	VA(verrx(status, fmt, ap));
}

void errc(int status, int code, const char *fmt, ...)
{
	VA(verrc(status, code, fmt, ap));
}
