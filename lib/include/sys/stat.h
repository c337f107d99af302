/* picolibc's <sys/stat.h> plus what it leaves to the system: lstat and
 * the S_IS* of symbolic links. */
#ifndef MICA_SYS_STAT_H
#define MICA_SYS_STAT_H

#include_next <sys/stat.h>

int lstat(const char *__restrict path, struct stat *__restrict buf);

#endif
