/* Time for programs: the realtime and monotonic clocks (SYS_CLOCK), CPU
 * time (SYS_THREAD_INFO), and sleeping (SYS_SLEEP, in microseconds).
 * picolibc's time() calls gettimeofday() and its clock() calls times(). */
#include <errno.h>
#include <stdint.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>

#include "mica/posix.h"
#include "mica/proto/pm.h"
#include "mica/syscall.h"

#define NSEC_PER_SEC 1000000000L

static int clock_id(clockid_t id)
{
	if (id == CLOCK_REALTIME)
		return CLOCK_ID_REALTIME;
	if (id == CLOCK_MONOTONIC)
		return CLOCK_ID_MONOTONIC;
	return -1;
}

int clock_gettime(clockid_t id, struct timespec *tp)
{
	int kid = clock_id(id);
	if (kid < 0) {
		errno = EINVAL;
		return -1;
	}
	long ns = mica_clock(kid);
	tp->tv_sec = ns / NSEC_PER_SEC;
	tp->tv_nsec = ns % NSEC_PER_SEC;
	return 0;
}

int clock_getres(clockid_t id, struct timespec *res)
{
	if (clock_id(id) < 0) {
		errno = EINVAL;
		return -1;
	}
	if (res)
		*res = (struct timespec){.tv_sec = 0, .tv_nsec = 1000}; /* the SYS_SLEEP unit */
	return 0;
}

int gettimeofday(struct timeval *restrict tv, void *restrict tz)
{
	(void)tz; /* always UTC */
	long ns = mica_clock(CLOCK_ID_REALTIME);
	if (tv) {
		tv->tv_sec = ns / NSEC_PER_SEC;
		tv->tv_usec = ns % NSEC_PER_SEC / 1000;
	}
	return 0;
}

/* CPU time of every thread of this task, in microseconds. */
static unsigned long cpu_us(void)
{
	unsigned long sum = 0;
	struct thread_info ti;
	for (long i = 0; mica_thread_info(HANDLE_SELF, i, &ti) == 0; i++)
		sum += ti.cpu_us;
	return sum;
}

/* Ticks of CLK_TCK; no user/system split, and children are not counted. */
/* CPU time of the children waited for (and of theirs), from pm. */
static unsigned long children_us(void)
{
	struct ipc_msg m = {.tag = MAKE_TAG(PM_TIMES, 0)};
	long r = mica_call(SLOT_PM, &m);
	return r < 0 || PROTO_RESULT(m.tag) < 0 ? 0 : m.m[0];
}

/* All CPU time counts as user time: the kernel does not tell them apart. */
clock_t times(struct tms *buf)
{
	unsigned long us = cpu_us();
	if (buf)
		*buf = (struct tms){.tms_utime = (clock_t)(us * CLK_TCK / 1000000),
		                    .tms_cutime = (clock_t)(children_us() * CLK_TCK / 1000000)};
	return (clock_t)(mica_clock(CLOCK_ID_MONOTONIC) / (NSEC_PER_SEC / CLK_TCK));
}

/* Sleeps at least rqtp (rounded up to a microsecond), or until a signal's
 * handler ran: EINTR and what was left in rmtp. */
int nanosleep(const struct timespec *rqtp, struct timespec *rmtp)
{
	if (!rqtp || rqtp->tv_nsec < 0 || rqtp->tv_nsec >= NSEC_PER_SEC || rqtp->tv_sec < 0) {
		errno = EINVAL;
		return -1;
	}
	long us = rqtp->tv_sec * 1000000 + (rqtp->tv_nsec + 999) / 1000;
	long end = mica_time() + us;
	if (mica_sleep_intr(us) == -EINTR) {
		long left = end - mica_time();
		left = left > 0 ? left : 0;
		if (rmtp)
			*rmtp = (struct timespec){left / 1000000, (left % 1000000) * 1000};
		errno = EINTR;
		return -1;
	}
	if (rmtp)
		*rmtp = (struct timespec){0};
	return 0;
}
