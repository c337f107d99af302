/* picolibc's <fcntl.h> (its O_* values; lib/fsapi.c translates them for
 * fs) with the *at calls declared whatever the feature macros say. */
#ifndef MICA_FCNTL_H
#define MICA_FCNTL_H

#include_next <fcntl.h>

#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 16
#endif

int openat(int dirfd, const char *path, int flags, ...);

#endif
