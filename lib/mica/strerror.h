/* Error texts under Mica's own names, so lib/errtext.c also builds on
 * the host beside glibc (the unit tests compare the two by errno name). */
#ifndef MICA_STRERROR_H
#define MICA_STRERROR_H

#include <stddef.h>

/* glibc's text for e, or NULL if e is not an errno we know. */
const char *mica_strerror_text(int e);
/* The text, or "Unknown error N", into buf; returns buf. */
char *mica_strerror(int e, char *buf, size_t n);

#endif
