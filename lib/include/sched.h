/* <sched.h> for Mica: picolibc's, and the calls it declares only for
 * _POSIX_PRIORITY_SCHEDULING, which Mica has in part (lib/sched.c):
 * sched_yield, the time slice, and the one policy, SCHED_OTHER (nice
 * values, not priorities, set a process's share: docs/sched.md). */
#ifndef MICA_SCHED_H
#define MICA_SCHED_H

#include_next <sched.h>
#include <sys/types.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

int sched_yield(void);
int sched_rr_get_interval(pid_t pid, struct timespec *interval);
int sched_get_priority_max(int policy);
int sched_get_priority_min(int policy);
int sched_getscheduler(pid_t pid);
int sched_getparam(pid_t pid, struct sched_param *param);

#ifdef __cplusplus
}
#endif

#endif
