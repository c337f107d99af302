/* The C library's error reporting over lib/errtext.c: strerror, both
 * strerror_r (GNU and XSI), perror, and the picolibc-internal
 * _strerror_r, so that none of picolibc's texts is ever linked. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mica/strerror.h"

int __xpg_strerror_r(int e, char *buf, size_t n);

char *strerror(int e)
{
	static char buf[32];
	const char *t = mica_strerror_text(e);
	return t ? (char *)t : mica_strerror(e, buf, sizeof(buf));
}

char *_strerror_r(int e, int internal, int *err)
{
	(void)internal;
	if (err && !mica_strerror_text(e))
		*err = EINVAL;
	return strerror(e);
}

/* GNU: a pointer to the text (possibly not buf). */
char *strerror_r(int e, char *buf, size_t n)
{
	const char *t = mica_strerror_text(e);
	return t ? (char *)t : mica_strerror(e, buf, n);
}

/* POSIX (XSI): 0, EINVAL for an unknown e, ERANGE if buf is too small. */
int __xpg_strerror_r(int e, char *buf, size_t n)
{
	const char *t = mica_strerror_text(e);
	char tmp[32];
	if (!t)
		t = mica_strerror(e, tmp, sizeof(tmp));
	if (n == 0 || strlen(t) >= n) {
		if (n)
			snprintf(buf, n, "%s", t);
		return ERANGE;
	}
	memcpy(buf, t, strlen(t) + 1);
	return mica_strerror_text(e) ? 0 : EINVAL;
}

void perror(const char *s)
{
	const char *t = strerror(errno);
	if (s && *s)
		fprintf(stderr, "%s: %s\n", s, t);
	else
		fprintf(stderr, "%s\n", t);
}
