/* picolibc's <sys/stat.h> plus what it leaves to the system: lstat,
 * mknod, the *at calls whatever the feature macros say, and utimensat's
 * UTIME_NOW and UTIME_OMIT (Linux's values). */
#ifndef MICA_SYS_STAT_H
#define MICA_SYS_STAT_H

#include_next <sys/stat.h>

int lstat(const char *__restrict path, struct stat *__restrict buf);
int mknod(const char *path, mode_t mode, dev_t dev);
int fchmodat(int dirfd, const char *path, mode_t mode, int flags);
int fstatat(int dirfd, const char *__restrict path, struct stat *__restrict buf, int flags);
int mkdirat(int dirfd, const char *path, mode_t mode);
int mkfifoat(int dirfd, const char *path, mode_t mode);
int mknodat(int dirfd, const char *path, mode_t mode, dev_t dev);
int utimensat(int dirfd, const char *path, const struct timespec times[2], int flags);
int futimens(int fd, const struct timespec times[2]);

#ifndef UTIME_NOW
#define UTIME_NOW  ((1l << 30) - 1l)
#define UTIME_OMIT ((1l << 30) - 2l)
#endif

#endif
