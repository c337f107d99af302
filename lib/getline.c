/* getdelim: one delimited record from a stream into a buffer that grows
 * with realloc (POSIX semantics); <stdio.h>'s getline and getdelim call it. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "mica/getline.h"

#define GETLINE_MIN 128            /* the first allocation */
#define LEN_MAX     (SIZE_MAX / 2) /* ssize_t's largest */

/* Makes *lineptr hold at least want bytes; 0, or -1 with errno. */
static int reserve(char **lineptr, size_t *n, size_t want)
{
	if (*lineptr && *n >= want)
		return 0;
	size_t size = *lineptr && *n ? *n : GETLINE_MIN;
	while (size < want) {
		if (size > SIZE_MAX / 2) {
			errno = EOVERFLOW;
			return -1;
		}
		size *= 2;
	}
	char *p = realloc(*lineptr, size);
	if (!p) {
		errno = ENOMEM;
		return -1;
	}
	*lineptr = p, *n = size;
	return 0;
}

/* Reads up to and including delim (or to the end of f) into *lineptr,
 * NUL-terminated. Returns the bytes read, or -1 at the end of the stream
 * before any byte, on an error (errno says which), or on bad arguments. */
ssize_t mica_getdelim(char **lineptr, size_t *n, int delim, FILE *f)
{
	if (!lineptr || !n || !f) {
		errno = EINVAL;
		return -1;
	}
	if (reserve(lineptr, n, 1) < 0)
		return -1;
	size_t len = 0;
	int c;
	while ((c = getc(f)) != EOF) {
		if (len >= LEN_MAX) {
			errno = EOVERFLOW;
			return -1;
		}
		if (reserve(lineptr, n, len + 2) < 0)
			return -1;
		(*lineptr)[len++] = (char)c;
		if (c == (unsigned char)delim)
			break;
	}
	(*lineptr)[len] = '\0';
	return len ? (ssize_t)len : -1;
}
