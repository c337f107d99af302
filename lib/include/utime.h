/* picolibc's <utime.h> declares struct utimbuf only; utime is in
 * lib/fsapi.c. */
#ifndef MICA_UTIME_H
#define MICA_UTIME_H

#include_next <utime.h>

int utime(const char *path, const struct utimbuf *times);

#endif
