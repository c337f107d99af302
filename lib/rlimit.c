/* getrlimit and setrlimit over pm's PM_RLIMIT: pm keeps each process's
 * limits, fork passes them on and exec keeps them; pm and fs enforce
 * them (mica/proto/limits.h says which and how). */
#include <errno.h>
#include <sys/resource.h>

#include "mica/posix.h"
#include "mica/proto/limits.h"
#include "mica/proto/pm.h"
#include "mica/syscall.h"

_Static_assert(RLIMIT_CPU == MRLIM_CPU && RLIMIT_FSIZE == MRLIM_FSIZE &&
                   RLIMIT_DATA == MRLIM_DATA && RLIMIT_STACK == MRLIM_STACK &&
                   RLIMIT_NPROC == MRLIM_NPROC && RLIMIT_NOFILE == MRLIM_NOFILE &&
                   RLIMIT_AS == MRLIM_AS && RLIM_NLIMITS == MRLIM_N && RLIM_INFINITY == MRLIM_INF,
               "<sys/resource.h> and pm number limits alike");

/* PM_RLIMIT: sets res to *in if in; the limits before in *old. */
static long pm_rlimit(int res, const struct rlimit *in, struct rlimit *old)
{
	struct ipc_msg m = {.tag = MAKE_TAG(PM_RLIMIT, 0),
	                    .m = {(unsigned long)res, in ? 1ul : 0ul, in ? in->rlim_cur : 0,
	                          in ? in->rlim_max : 0}};
	if (res < 0 || res >= RLIM_NLIMITS)
		return -EINVAL;
	long r = mica_call(SLOT_PM, &m);
	r = r < 0 ? r : PROTO_RESULT(m.tag);
	if (r == 0 && old)
		*old = (struct rlimit){m.m[0], m.m[1]};
	return r;
}

int getrlimit(int resource, struct rlimit *rl)
{
	return (int)mica_fail(pm_rlimit(resource, NULL, rl));
}

int setrlimit(int resource, const struct rlimit *rl)
{
	return (int)mica_fail(pm_rlimit(resource, rl, NULL));
}
