/* syslog without a log daemon: each message is one write to /dev/console,
 * "ident[pid]: message\n" (and to stderr with LOG_PERROR). %m is the
 * text of errno, as glibc's syslog has it. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "mica/progname.h"

#define MSG_MAX 1024

static struct {
	const char *ident; /* NULL: the program's name */
	int option, facility, mask;
	int fd; /* /dev/console, -1 until opened */
} log = {.facility = LOG_USER, .mask = 0xff, .fd = -1};

void openlog(const char *ident, int option, int facility)
{
	log.ident = ident;
	log.option = option;
	if (facility && !(facility & ~LOG_FACMASK))
		log.facility = facility;
	if ((option & LOG_NDELAY) && log.fd < 0)
		log.fd = open("/dev/console", O_WRONLY | O_CLOEXEC);
}

void closelog(void)
{
	if (log.fd >= 0)
		close(log.fd);
	log.fd = -1;
	log.ident = NULL;
}

int setlogmask(int mask)
{
	int old = log.mask;
	if (mask)
		log.mask = mask;
	return old;
}

/* format with each %m replaced by the text of err ("%%" kept). */
static void expand_m(const char *format, int err, char *out, size_t n)
{
	size_t k = 0;
	const char *text = strerror(err);
	for (const char *p = format; *p && k + 1 < n; p++) {
		if (p[0] == '%' && p[1] == 'm') {
			for (const char *t = text; *t && k + 2 < n; t++)
				out[k++] = *t == '%' ? '%' : *t; /* texts hold no '%' */
			p++;
		} else if (p[0] == '%' && p[1] == '%' && k + 2 < n) {
			out[k++] = *p++;
			out[k++] = *p;
		} else {
			out[k++] = *p;
		}
	}
	out[k] = '\0';
}

void vsyslog(int priority, const char *format, va_list ap)
{
	char fmt[MSG_MAX], msg[MSG_MAX];
	int err = errno;
	if (!(log.mask & LOG_MASK(LOG_PRI(priority))))
		return;
	expand_m(format, err, fmt, sizeof(fmt));
	const char *ident = log.ident ? log.ident : mica_progname();
	int k = snprintf(msg, sizeof(msg), "%s[%d]: ", ident, (int)getpid());
	vsnprintf(msg + k, sizeof(msg) - (size_t)k - 1, fmt, ap);
	size_t len = strlen(msg);
	if (len && msg[len - 1] != '\n')
		msg[len++] = '\n';
	if (log.fd < 0)
		log.fd = open("/dev/console", O_WRONLY | O_CLOEXEC);
	if (log.fd < 0 || write(log.fd, msg, len) < 0)
		write(2, msg, len); /* LOG_CONS's spirit: say it somewhere */
	else if (log.option & LOG_PERROR)
		write(2, msg, len);
	errno = err;
}

void syslog(int priority, const char *format, ...)
{
	va_list ap;
	va_start(ap, format);
	vsyslog(priority, format, ap);
	va_end(ap);
}
