/* The limits fs enforces itself, from what pm tells it (FS_PM_LIMITS):
 * RLIMIT_NOFILE at open, dup, dup2 and pipe, RLIMIT_FSIZE at write and
 * truncate; fork copies them, only pm may set them, and /proc/N/limits
 * and /proc/N/sched show them in Linux's layouts. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "../../servers/fs/fs.h"
#include "fake_sys.h"
#include "mica/errno.h"
#include "mica/proto/fs.h"
#include "mica/proto/limits.h"

#define P5 5ul /* a process's badge: pid 5, generation 0 */
#define P6 6ul

static char out[IPC_MAX];
static srv_client next_client;

static void setup(void)
{
	fake_reset();
	cr_assert_eq(fs_start(), 0);
	fs_server.out = out;
	next_client = 100;
}

TestSuite(fs_limits, .init = setup);

static long call3(unsigned long badge, unsigned op, unsigned long m0, unsigned long m1,
                  unsigned long m2, const void *data, size_t len)
{
	memcpy(out, data, len);
	struct srv_req req = {.op = op,
	                      .m = {m0, m1, m2},
	                      .data = out,
	                      .len = len,
	                      .badge = badge,
	                      .handle = -1,
	                      .call = true,
	                      .client = ++next_client};
	struct srv_rep rep;
	cr_assert_eq(srv_dispatch(&fs_server, &req, &rep), SRV_REPLY, "op %u", op);
	return rep.result;
}

static long fs_open(unsigned long badge, const char *path, int flags)
{
	return call3(badge, FS_OPEN, (unsigned long)flags, 0644, 0, path, strlen(path) + 1);
}

static long fs_write(unsigned long badge, long fd, size_t n)
{
	static const char bytes[64];
	return call3(badge, FS_WRITE, (unsigned long)fd, 0, 0, bytes, n);
}

/* pm says pid's soft and hard limit res is v (the rest the defaults). */
static long tell(unsigned long badge, int pid, int res, uint64_t v, int nice)
{
	struct pm_limits l = {.pid = pid, .nice = nice};
	mrlimit_defaults(l.rlim);
	l.rlim[res] = (struct mrlimit){v, v};
	return call3(badge, FS_PM_LIMITS, 0, 0, 0, &l, sizeof(l));
}

Test(fs_limits, only_pm_sets_them_and_fork_copies_them)
{
	cr_assert_eq(tell(P5, 5, MRLIM_NOFILE, 1, 0), -EPERM);
	cr_assert_eq(fs_open(P5, "/a", O_CREAT | O_RDWR), 0);
	cr_assert_eq(fs_open(P5, "/a", O_RDONLY), 1, "the refusal changed nothing");
	cr_assert_eq(tell(FS_BADGE_PM, 5, MRLIM_NOFILE, 3, 0), 0);
	cr_assert_eq(call3(FS_BADGE_PM, FS_PM_FORK, 5, 6, 0, NULL, 0), 0);
	cr_assert_eq(fs_open(P6, "/a", O_RDONLY), 2, "the child has 0 and 1 from its parent");
	cr_assert_eq(fs_open(P6, "/a", O_RDONLY), -EMFILE, "and the parent's limit");
}

Test(fs_limits, nofile_bounds_every_new_descriptor)
{
	tell(FS_BADGE_PM, 5, MRLIM_NOFILE, 2, 0);
	cr_assert_eq(fs_open(P5, "/a", O_CREAT | O_RDWR), 0);
	cr_assert_eq(fs_open(P5, "/a", O_RDONLY), 1);
	cr_assert_eq(fs_open(P5, "/a", O_RDONLY), -EMFILE);
	cr_assert_eq(call3(P5, FS_DUP, 0, 0, 0, NULL, 0), -EMFILE);
	cr_assert_eq(call3(P5, FS_DUP, 0, 2, 0, NULL, 0), -EINVAL, "F_DUPFD at the limit");
	cr_assert_eq(call3(P5, FS_DUP2, 0, 2, 0, NULL, 0), -EBADF, "dup2 at the limit");
	cr_assert_eq(call3(P5, FS_DUP2, 0, 1, 0, NULL, 0), 1, "dup2 below it");
	cr_assert_eq(call3(P5, FS_PIPE, 0, 0, 0, NULL, 0), -EMFILE);
	cr_assert_eq(call3(P5, FS_CLOSE, 1, 0, 0, NULL, 0), 0);
	cr_assert_eq(fs_open(P5, "/a", O_RDONLY), 1, "room again");
}

Test(fs_limits, fsize_stops_writes_and_growth_at_the_limit)
{
	tell(FS_BADGE_PM, 5, MRLIM_FSIZE, 100, 0);
	long fd = fs_open(P5, "/f", O_CREAT | O_RDWR);
	cr_assert_eq(fs_write(P5, fd, 60), 60);
	cr_assert_eq(fs_write(P5, fd, 60), 40, "up to the limit");
	cr_assert_eq(fs_write(P5, fd, 1), -EFBIG, "at it");
	cr_assert_eq(fs_write(P5, fd, 0), 0, "nothing is not past it");
	cr_assert_eq(call3(P5, FS_TRUNCATE, 101, 0, 0, "/f", 3), -EFBIG);
	cr_assert_eq(call3(P5, FS_TRUNCATE, 50, 0, 0, "/f", 3), 0, "shrinking is fine");
	long ap = fs_open(P5, "/f", O_WRONLY | O_APPEND);
	cr_assert_eq(fs_write(P5, ap, 64), 50, "from the end, up to the limit");
	long other = fs_open(P6, "/f", O_RDWR);
	cr_assert_eq(call3(P6, FS_TRUNCATE, 1000, 0, 0, "/f", 3), 0, "another process's limit");
	cr_assert_eq(fs_write(P6, other, 64), 64);
}

/* The text of /proc/5/FILE (its row pushed first). */
static const char *proc_file(const char *file)
{
	static char text[IPC_MAX + 1];
	struct fs_proc row = {.pid = 5, .ppid = 1, .state = 'S', .name = "prog"};
	cr_assert_eq(call3(FS_BADGE_PM, FS_PM_PROC, 0, 0, 0, &row, sizeof(row)), 0);
	char path[32];
	snprintf(path, sizeof(path), "/proc/5/%s", file);
	long fd = fs_open(P5, path, O_RDONLY);
	cr_assert_geq(fd, 0, "open %s: %ld", path, fd);
	long n = call3(P5, FS_READ, (unsigned long)fd, IPC_MAX, 0, NULL, 0);
	cr_assert_gt(n, 0);
	memcpy(text, out, (size_t)n);
	text[n] = 0;
	return text;
}

Test(fs_limits, proc_limits_and_sched_use_linuxs_layouts)
{
	tell(FS_BADGE_PM, 5, MRLIM_CPU, 7, 10);
	const char *t = proc_file("limits");
	cr_assert(strstr(t, "Limit                     Soft Limit           Hard Limit           "
	                    "Units     \n"
	                    "Max cpu time              7                    7                    "
	                    "seconds   \n"
	                    "Max file size             unlimited            unlimited            "
	                    "bytes     \n"),
	          "%s", t);
	cr_assert(
	    strstr(t, "Max nice priority         0                    0                    \n"),
	    "%s", t);
	t = proc_file("sched");
	cr_assert(strstr(t, "prog (5, #threads: 0)\n----"), "%s", t);
	cr_assert(
	    strstr(t, "\nprio                                         :                  130\n"),
	    "nice 10 is prio 130: %s", t);
}
