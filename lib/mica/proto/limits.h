/* Resource limits and nice values: pm keeps each process's (PM_RLIMIT,
 * PM_NICE) and tells fs (FS_PM_LIMITS), which enforces RLIMIT_FSIZE and
 * RLIMIT_NOFILE itself and shows them in /proc/N/limits and
 * /proc/N/sched. Resource numbers and RLIM_INFINITY are Linux's, as
 * <sys/resource.h> has them; the defaults are kept here once. */
#ifndef MICA_PROTO_LIMITS_H
#define MICA_PROTO_LIMITS_H

#include <stdint.h>

#include "mica/abi.h"

#define MRLIM_N   16     /* Linux's RLIM_NLIMITS */
#define MRLIM_INF (~0ul) /* RLIM_INFINITY */

#define MRLIM_CPU        0 /* seconds: SIGXCPU at the soft limit, SIGKILL at the hard */
#define MRLIM_FSIZE      1 /* bytes a file may reach by writing: EFBIG and SIGXFSZ */
#define MRLIM_DATA       2 /* bytes of heap (brk): ENOMEM */
#define MRLIM_STACK      3 /* bytes: the stack exec makes; deeper is SIGSEGV */
#define MRLIM_CORE       4
#define MRLIM_RSS        5
#define MRLIM_NPROC      6 /* processes of the uid (not root's): fork's EAGAIN */
#define MRLIM_NOFILE     7 /* one more than the highest descriptor: EMFILE */
#define MRLIM_MEMLOCK    8
#define MRLIM_AS         9 /* bytes of address space (mmap, brk, shmat): ENOMEM */
#define MRLIM_LOCKS      10
#define MRLIM_SIGPENDING 11
#define MRLIM_MSGQUEUE   12
#define MRLIM_NICE       13 /* an unprivileged process may lower its nice to 20 - this */
#define MRLIM_RTPRIO     14
#define MRLIM_RTTIME     15

/* The stack exec makes: the soft RLIMIT_STACK within these bounds
 * (unlimited is the top one). It lies below USER_STACK_TOP. */
#define MRLIM_STACK_MIN (64ul << 10)
#define MRLIM_STACK_MAX (1ul << 30)

struct mrlimit {
	uint64_t cur, max;
};

/* FS_PM_LIMITS's payload: one process's limits and nice value. */
struct pm_limits {
	int32_t pid, nice;
	struct mrlimit rlim[MRLIM_N];
};
_Static_assert(sizeof(struct pm_limits) == 264, "pm_limits: the layout pm and fs read");

/* What a process has before anyone sets a limit (init, and so everyone
 * who does not): Linux's defaults, with Mica's own maxima. */
static inline struct mrlimit mrlimit_default(int res)
{
	switch (res) {
	case MRLIM_STACK:
		return (struct mrlimit){USER_STACK_SIZE, MRLIM_INF};
	case MRLIM_CORE:
		return (struct mrlimit){0, MRLIM_INF}; /* no core files are written */
	case MRLIM_NPROC:
		return (struct mrlimit){32, 32}; /* CHILD_MAX */
	case MRLIM_NOFILE:
		return (struct mrlimit){256, 256}; /* FS_MAX_FDS */
	case MRLIM_MEMLOCK:
		return (struct mrlimit){8ul << 20, 8ul << 20};
	case MRLIM_MSGQUEUE:
		return (struct mrlimit){819200, 819200};
	case MRLIM_NICE:
	case MRLIM_RTPRIO:
		return (struct mrlimit){0, 0};
	default:
		return (struct mrlimit){MRLIM_INF, MRLIM_INF};
	}
}

static inline void mrlimit_defaults(struct mrlimit *rl)
{
	for (int i = 0; i < MRLIM_N; i++)
		rl[i] = mrlimit_default(i);
}

#endif
