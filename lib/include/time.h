/* picolibc's <time.h> plus what it hides without _POSIX_TIMERS: the
 * clocks and nanosleep that lib/time.c provides over SYS_CLOCK; and
 * XSI's timezone and daylight (always 0: the system keeps UTC). */
#ifndef MICA_TIME_H
#define MICA_TIME_H

#include_next <time.h>

#ifndef CLOCK_MONOTONIC
#define CLOCK_MONOTONIC ((clockid_t)4) /* picolibc's number for it */
#endif

#ifndef _POSIX_TIMERS
int clock_gettime(clockid_t clock_id, struct timespec *tp);
int clock_getres(clockid_t clock_id, struct timespec *res);
int nanosleep(const struct timespec *rqtp, struct timespec *rmtp);
#endif

#if __XSI_VISIBLE || __SVID_VISIBLE
extern long timezone;
extern int daylight;
#endif

#endif
