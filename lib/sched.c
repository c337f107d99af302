/* <sched.h>: sched_yield is the kernel's SYS_YIELD (to another ready
 * thread of the same priority, even one owed less CPU); the time slice
 * is the kernel's (SCHED_SLICE_TICKS); every process is SCHED_OTHER,
 * whose only static priority is 0, as on Linux. */
#include <errno.h>
#include <sched.h>
#include <signal.h>

#include "mica/syscall.h"

int sched_yield(void)
{
	mica_yield();
	return 0;
}

/* A process that exists (kill with signal 0 tells), or errno ESRCH. */
static int exists(pid_t pid)
{
	return pid == 0 || kill(pid, 0) == 0 || errno == EPERM ? 0 : (errno = ESRCH, -1);
}

int sched_rr_get_interval(pid_t pid, struct timespec *interval)
{
	struct kinfo k;
	if (pid < 0)
		return errno = EINVAL, -1;
	if (exists(pid) < 0)
		return -1;
	if (mica_kinfo(&k) < 0 || !k.hz)
		return errno = ENOSYS, -1;
	unsigned long ns = k.slice_ticks * (1000000000ul / k.hz);
	*interval = (struct timespec){(time_t)(ns / 1000000000ul), (long)(ns % 1000000000ul)};
	return 0;
}

int sched_get_priority_max(int policy)
{
	return policy == SCHED_OTHER                        ? 0
	       : policy == SCHED_FIFO || policy == SCHED_RR ? 99
	                                                    : (errno = EINVAL, -1);
}

int sched_get_priority_min(int policy)
{
	return policy == SCHED_OTHER                        ? 0
	       : policy == SCHED_FIFO || policy == SCHED_RR ? 1
	                                                    : (errno = EINVAL, -1);
}

int sched_getscheduler(pid_t pid)
{
	if (pid < 0)
		return errno = EINVAL, -1;
	return exists(pid) < 0 ? -1 : SCHED_OTHER;
}

int sched_getparam(pid_t pid, struct sched_param *param)
{
	if (pid < 0 || !param)
		return errno = EINVAL, -1;
	if (exists(pid) < 0)
		return -1;
	param->sched_priority = 0;
	return 0;
}
