/* picolibc's <unistd.h> plus the POSIX version it only states for some
 * feature macros; sysconf, pathconf and friends are lib/sysconf.c. */
#ifndef MICA_UNISTD_H
#define MICA_UNISTD_H

#include_next <unistd.h>

#ifndef _POSIX_VERSION
#define _POSIX_VERSION 200809L
#endif
#ifndef _POSIX2_VERSION
#define _POSIX2_VERSION 200809L
#endif
#ifndef _XOPEN_VERSION
#define _XOPEN_VERSION 700
#endif

int gethostname(char *name, size_t len);
int getpagesize(void);
pid_t gettid(void);                          /* the thread's LWP id (lib/pthread.c) */
int getresuid(uid_t *r, uid_t *e, uid_t *s); /* lib/ids.c */
int getresgid(gid_t *r, gid_t *e, gid_t *s);

#endif
