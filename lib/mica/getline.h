/* getdelim and getline under Mica's own names, so that the same code also
 * builds on the host beside the C library's (the unit tests compare them). */
#ifndef MICA_GETLINE_H
#define MICA_GETLINE_H

#include <stdio.h>
#include <sys/types.h>

ssize_t mica_getdelim(char **lineptr, size_t *n, int delim, FILE *f);

#endif
