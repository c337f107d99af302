/* What a program may ask about the system's limits: sysconf, pathconf,
 * fpathconf, getpagesize and getrusage. The numbers are the ones the
 * servers enforce (FS_MAX_FDS, the process's resource limits...). */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>

#include "mica/abi.h"
#include "mica/proto/fs.h"
#include "mica/syscall.h"

#define PAGE 4096

static long phys_pages(int avail)
{
	struct kinfo k;
	if (mica_kinfo(&k) < 0)
		return errno = ENOSYS, -1;
	return (long)(avail ? k.frames_free : k.frames_total);
}

/* As glibc: a resource's soft limit, -1 if unlimited. */
static long soft_limit(int res)
{
	struct rlimit rl;
	if (getrlimit(res, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY)
		return -1;
	return (long)rl.rlim_cur;
}

long sysconf(int name)
{
	switch (name) {
	case _SC_ARG_MAX:
		return ARG_MAX;
	case _SC_CHILD_MAX:
		return soft_limit(RLIMIT_NPROC);
	case _SC_CLK_TCK:
		return CLK_TCK; /* times()'s unit (lib/time.c): picolibc's, 1000000 */
	case _SC_NGROUPS_MAX:
		return 0; /* no supplementary groups */
	case _SC_OPEN_MAX:
		return soft_limit(RLIMIT_NOFILE);
	case _SC_JOB_CONTROL:
	case _SC_SAVED_IDS:
		return -1; /* not supported (no stopped processes, no saved ids) */
	case _SC_VERSION:
		return _POSIX_VERSION;
	case _SC_PAGESIZE:
		return PAGE;
	case _SC_NPROCESSORS_CONF:
	case _SC_NPROCESSORS_ONLN:
		return 1; /* user programs run on one hart */
	case _SC_PHYS_PAGES:
	case _SC_AVPHYS_PAGES:
		return phys_pages(name == _SC_AVPHYS_PAGES);
	case _SC_HOST_NAME_MAX:
		return HOST_NAME_MAX;
	case _SC_LOGIN_NAME_MAX:
		return LOGIN_NAME_MAX;
	case _SC_TTY_NAME_MAX:
		return TTY_NAME_MAX;
	case _SC_LINE_MAX:
		return LINE_MAX;
	case _SC_IOV_MAX:
		return IOV_MAX;
	case _SC_SYMLOOP_MAX:
		return SYMLOOP_MAX;
	case _SC_GETPW_R_SIZE_MAX:
	case _SC_GETGR_R_SIZE_MAX:
		return 1024;
	case _SC_STREAM_MAX:
		return FS_MAX_FDS;
	case _SC_TZNAME_MAX:
		return _POSIX_TZNAME_MAX;
	case _SC_RE_DUP_MAX:
		return _POSIX2_RE_DUP_MAX;
	default:
		return errno = EINVAL, -1;
	}
}

/* The same for every file: ramfs, devfs and procfs share these limits. */
static long path_limit(int name)
{
	switch (name) {
	case _PC_LINK_MAX:
		return 65000;
	case _PC_MAX_CANON:
	case _PC_MAX_INPUT:
		return 255; /* the console's line, LDISC_LINE_MAX - 1 */
	case _PC_NAME_MAX:
		return NAME_MAX;
	case _PC_PATH_MAX:
		return PATH_MAX;
	case _PC_PIPE_BUF:
		return PIPE_BUF;
	case _PC_CHOWN_RESTRICTED:
	case _PC_NO_TRUNC:
		return 1;
	case _PC_VDISABLE:
		return 0;
	case _PC_FILESIZEBITS:
		return 64;
	case _PC_2_SYMLINKS:
		return 1;
	case _PC_SYMLINK_MAX:
		return PATH_MAX - 1;
	default:
		return errno = EINVAL, -1;
	}
}

long pathconf(const char *path, int name)
{
	if (access(path, F_OK) < 0)
		return -1;
	return path_limit(name);
}

long fpathconf(int fd, int name)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return -1;
	return path_limit(name);
}

int getpagesize(void)
{
	return PAGE;
}

/* CPU time from times(): user and system are not told apart. */
int getrusage(int who, struct rusage *ru)
{
	struct tms t;
	if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN)
		return errno = EINVAL, -1;
	if (times(&t) == (clock_t)-1)
		return -1;
	clock_t ticks = who == RUSAGE_SELF ? t.tms_utime : t.tms_cutime;
	long us = (long)ticks * (1000000L / CLK_TCK);
	memset(ru, 0, sizeof(*ru));
	ru->ru_utime.tv_sec = us / 1000000L;
	ru->ru_utime.tv_usec = us % 1000000L;
	return 0;
}
