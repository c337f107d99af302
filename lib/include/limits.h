/* picolibc's <limits.h> with Mica's limits where picolibc's differ
 * (its ARG_MAX, PATH_MAX, OPEN_MAX, PIPE_BUF are a generic BSD's) and the
 * POSIX minimums and SSIZE_MAX it leaves out. sysconf and pathconf
 * (lib/sysconf.c) give the same numbers. */
#ifndef MICA_LIMITS_H
#define MICA_LIMITS_H

#include_next <limits.h>

#undef ARG_MAX
#undef PATH_MAX
#undef NAME_MAX
#undef OPEN_MAX
#undef PIPE_BUF
#undef LINE_MAX
#undef IOV_MAX
#undef CHILD_MAX
#define ARG_MAX  131072 /* exec: arguments and environment */
#define PATH_MAX 4096
#define NAME_MAX 255
/* no OPEN_MAX: as on Linux, sysconf(_SC_OPEN_MAX) says (FS_MAX_FDS) */
#define PIPE_BUF       4096
#define LINE_MAX       2048
#define IOV_MAX        1024
#define HOST_NAME_MAX  64
#define LOGIN_NAME_MAX 256
#define TTY_NAME_MAX   32
#define SYMLOOP_MAX    40 /* fs follows at most 40 symbolic links */
#define CHILD_MAX      32 /* pm's per-user process limit (RLIMIT_NPROC) */

#ifndef SSIZE_MAX
#define SSIZE_MAX LONG_MAX
#endif

/* POSIX's minimum values, the same everywhere */
#define _POSIX_ARG_MAX        4096
#define _POSIX_CHILD_MAX      25
#define _POSIX_HOST_NAME_MAX  255
#define _POSIX_LINK_MAX       8
#define _POSIX_LOGIN_NAME_MAX 9
#define _POSIX_MAX_CANON      255
#define _POSIX_MAX_INPUT      255
#define _POSIX_NAME_MAX       14
#define _POSIX_NGROUPS_MAX    8
#define _POSIX_OPEN_MAX       20
#define _POSIX_PATH_MAX       256
#define _POSIX_PIPE_BUF       512
#define _POSIX_SSIZE_MAX      32767
#define _POSIX_STREAM_MAX     8
#define _POSIX_SYMLOOP_MAX    8
#define _POSIX_TTY_NAME_MAX   9
#define _POSIX_TZNAME_MAX     6
#define _POSIX2_LINE_MAX      2048
#define _XOPEN_IOV_MAX        16

#endif
