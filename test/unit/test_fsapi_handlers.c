/* The fs handlers of issue 9's POSIX surface, called as the transport
 * calls them: descriptor tables that grow to 256, 255-byte names,
 * truncate, the caller's rights on chmod and access, directory bases
 * (m3), non-blocking pipes, FIFO opens that wait, and poll. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "../../servers/fs/files.h"
#include "../../servers/fs/fs.h"
#include "fake_sys.h"
#include "mica/errno.h"
#include "mica/proto/fs.h"

#define P5 5ul
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

TestSuite(fsapi_handlers, .init = setup);

/* One request with m0..m3 and a payload; the verdict, *rep the reply. */
static int req4(unsigned long badge, unsigned op, const unsigned long m[4], const void *data,
                size_t len, struct srv_rep *rep)
{
	memcpy(out, data, len);
	struct srv_req req = {.op = op,
	                      .m = {m[0], m[1], m[2], m[3]},
	                      .data = out,
	                      .len = len,
	                      .badge = badge,
	                      .handle = -1,
	                      .call = true,
	                      .client = ++next_client};
	*rep = (struct srv_rep){0};
	return srv_dispatch(&fs_server, &req, rep);
}

/* A request answered at once: its result. */
static long call4(unsigned long badge, unsigned op, unsigned long m0, unsigned long m1,
                  unsigned long m2, unsigned long m3, const char *path)
{
	struct srv_rep rep;
	const unsigned long m[4] = {m0, m1, m2, m3};
	int what = req4(badge, op, m, path, path ? strlen(path) + 1 : 0, &rep);
	cr_assert_eq(what, SRV_REPLY, "op %u was not answered at once", op);
	return rep.result;
}

static long fopen_(unsigned long badge, const char *path, int flags)
{
	return call4(badge, FS_OPEN, (unsigned long)flags, 0644, 0, 0, path);
}

static long fwrite_(unsigned long badge, long fd, const char *s)
{
	struct srv_rep rep;
	const unsigned long m[4] = {(unsigned long)fd};
	req4(badge, FS_WRITE, m, s, strlen(s), &rep);
	return rep.result;
}

static struct fs_stat fstat_path(unsigned long badge, const char *path)
{
	struct fs_stat st;
	cr_assert_eq(call4(badge, FS_STAT, 0, 0, 0, 0, path), 0, "stat %s", path);
	memcpy(&st, out, sizeof(st));
	return st;
}

/* pm says pid runs as uid:gid. */
static void as_user(int pid, int uid, int gid)
{
	struct srv_rep rep;
	struct fs_proc row = {.pid = pid, .ppid = 1, .uid = uid, .gid = gid, .state = 'S'};
	const unsigned long m[4] = {0};
	req4(FS_BADGE_PM, FS_PM_PROC, m, &row, sizeof(row), &rep);
	cr_assert_eq(rep.result, 0);
}

Test(fsapi_handlers, a_descriptor_table_grows_as_used_up_to_256)
{
	for (long i = 0; i < 3; i++)
		cr_assert_eq(fopen_(P5, "/dev/null", FS_O_RDONLY), i);
	cr_assert_eq(fsproc_get(5, false)->nfd, 8, "a few descriptors: a small table");
	for (long i = 3; i < FS_MAX_FDS; i++)
		cr_assert_eq(fopen_(P5, "/dev/null", FS_O_RDONLY), i);
	cr_assert_eq(fsproc_get(5, false)->nfd, FS_MAX_FDS);
	cr_assert_eq(fopen_(P5, "/dev/null", FS_O_RDONLY), -EMFILE);
	cr_assert_eq(fopen_(P5, "/new", FS_O_CREAT | FS_O_RDWR), -EMFILE);
	cr_assert_eq(call4(P5, FS_STAT, 0, 0, 0, 0, "/new"), -ENOENT, "EMFILE before creating");
}

Test(fsapi_handlers, dup2_grows_the_table_to_its_target_and_not_beyond)
{
	cr_assert_eq(fopen_(P5, "/dev/null", FS_O_RDONLY), 0);
	cr_assert_eq(call4(P5, FS_DUP2, 0, 255, 0, 0, NULL), 255);
	cr_assert_eq(fsproc_get(5, false)->nfd, 256);
	cr_assert_eq(call4(P5, FS_DUP2, 0, 256, 0, 0, NULL), -EBADF);
	cr_assert_eq(call4(P5, FS_DUP, 0, 300, 0, 0, NULL), -EINVAL);
	cr_assert_eq(call4(P5, FS_DUP, 0, 10, 1, 0, NULL), 10);
	cr_assert_eq(call4(P5, FS_SETFD, 10, (unsigned long)-1, 0, 0, NULL), 1, "close-on-exec");
}

Test(fsapi_handlers, names_up_to_255_bytes_and_getdents_gives_them_whole)
{
	char path[300] = "/";
	memset(path + 1, 'a', 255);
	cr_assert_eq(fopen_(P5, path, FS_O_CREAT | FS_O_RDWR), 0);
	path[256] = 'a';
	cr_assert_eq(fopen_(P5, path, FS_O_CREAT | FS_O_RDWR), -ENAMETOOLONG);
	cr_assert_geq(fopen_(P5, "/", FS_O_RDONLY), 1);
	long n = call4(P5, FS_GETDENTS, 1, 0, 0, 0, NULL);
	const struct fs_dirent *d = (const void *)out;
	bool found = false;
	for (long i = 0; i < n; i++)
		found |= strlen(d[i].name) == 255 && d[i].name[0] == 'a';
	cr_assert(found, "the 255-byte name, whole");
}

Test(fsapi_handlers, truncate_shrinks_grows_with_zeros_and_checks_first)
{
	long fd = fopen_(P5, "/f", FS_O_CREAT | FS_O_RDWR);
	cr_assert_eq(fwrite_(P5, fd, "hello world"), 11);
	cr_assert_eq(call4(P5, FS_TRUNCATE, 5, 0, 0, 0, "/f"), 0);
	cr_assert_eq(fstat_path(P5, "/f").size, 5);
	cr_assert_eq(call4(P5, FS_TRUNCATE, 10, 0, 0, (unsigned long)fd + 1, ""), 0, "ftruncate");
	cr_assert_eq(fstat_path(P5, "/f").size, 10);
	cr_assert_eq(call4(P5, FS_LSEEK, (unsigned long)fd, 0, SEEK_SET, 0, NULL), 0);
	struct srv_rep rep;
	const unsigned long m[4] = {(unsigned long)fd, 64};
	req4(P5, FS_READ, m, NULL, 0, &rep);
	cr_assert_eq(rep.result, 10);
	cr_assert(!memcmp(out, "hello\0\0\0\0\0", 10), "zeros past the old end");
	cr_assert_eq(call4(P5, FS_TRUNCATE, (unsigned long)-1, 0, 0, 0, "/f"), -EINVAL);
	cr_assert_eq(call4(P5, FS_TRUNCATE, 0, 0, 0, 0, "/"), -EISDIR);
	cr_assert_eq(call4(P5, FS_TRUNCATE, 0, 0, 0, 0, "/nothere"), -ENOENT);
	long ro = fopen_(P5, "/f", FS_O_RDONLY);
	cr_assert_eq(call4(P5, FS_TRUNCATE, 0, 0, 0, (unsigned long)ro + 1, ""), -EINVAL);
	cr_assert_eq(call4(P5, FS_TRUNCATE, 0, 0, 0, 99, ""), -EBADF);
	cr_assert_eq(fstat_path(P5, "/f").size, 10, "refused calls changed nothing");
}

Test(fsapi_handlers, chmod_and_chown_are_the_owners_and_roots)
{
	fopen_(P5, "/f", FS_O_CREAT | FS_O_RDWR);
	as_user(6, 1000, 1000);
	cr_assert_eq(call4(P6, FS_CHMOD, 0777, 0, 0, 0, "/f"), -EPERM);
	cr_assert_eq(call4(P6, FS_CHOWN, 1000, UINT32_MAX, 0, 0, "/f"), -EPERM);
	cr_assert_eq(fstat_path(P5, "/f").mode & 07777, 0644);
	cr_assert_eq(call4(P5, FS_CHOWN, 1000, UINT32_MAX, 0, 0, "/f"), 0, "root gives it away");
	cr_assert_eq(call4(P6, FS_CHMOD, 0600, 0, 0, 0, "/f"), 0, "now the owner's");
	struct fs_stat st = fstat_path(P5, "/f");
	cr_assert_eq(st.mode & 07777, 0600);
	cr_assert_eq(st.uid, 1000);
	cr_assert_eq(st.gid, 0, "UINT32_MAX: unchanged");
	cr_assert_eq(call4(P6, FS_CHOWN, UINT32_MAX, 1000, 0, 0, "/f"), 0, "to its own group");
	cr_assert_eq(call4(P6, FS_CHOWN, UINT32_MAX, 5, 0, 0, "/f"), -EPERM, "to another group");
}

Test(fsapi_handlers, access_checks_mode_bits_against_the_caller)
{
	fopen_(P5, "/f", FS_O_CREAT | FS_O_RDWR); /* 0644, root's */
	as_user(6, 1000, 1000);
	cr_assert_eq(call4(P6, FS_ACCESS, 4, 0, 0, 0, "/f"), 0);
	cr_assert_eq(call4(P6, FS_ACCESS, 2, 0, 0, 0, "/f"), -EACCES);
	cr_assert_eq(call4(P5, FS_ACCESS, 2, 0, 0, 0, "/f"), 0, "root writes");
	cr_assert_eq(call4(P5, FS_ACCESS, 1, 0, 0, 0, "/f"), -EACCES, "no x bit at all");
	cr_assert_eq(call4(P5, FS_ACCESS, 8, 0, 0, 0, "/f"), -EINVAL);
	cr_assert_eq(call4(P6, FS_OPEN, FS_O_WRONLY, 0, 0, 0, "/f"), -EACCES, "open checks too");
}

Test(fsapi_handlers, a_relative_path_resolves_from_the_base_descriptor)
{
	call4(P5, FS_MKDIR, 0755, 0, 0, 0, "/d");
	long d = fopen_(P5, "/d", FS_O_RDONLY | FS_O_DIRECTORY);
	long f = fopen_(P5, "/f", FS_O_CREAT | FS_O_RDWR);
	cr_assert_geq(
	    call4(P5, FS_OPEN, FS_O_CREAT | FS_O_RDWR, 0644, 0, (unsigned long)d + 1, "x"), 0);
	cr_assert_eq(call4(P5, FS_STAT, 0, 0, 0, 0, "/d/x"), 0);
	cr_assert_eq(call4(P5, FS_STAT, 0, 0, 0, (unsigned long)f + 1, "x"), -ENOTDIR);
	cr_assert_eq(call4(P5, FS_STAT, 0, 0, 0, 200, "x"), -EBADF);
	cr_assert_eq(call4(P5, FS_STAT, 0, 0, 0, 200, "/d/x"), 0, "absolute: no base needed");
	cr_assert_eq(fopen_(P5, "/f", FS_O_RDONLY | FS_O_DIRECTORY), -ENOTDIR);
}

Test(fsapi_handlers, a_nonblocking_pipe_read_is_eagain)
{
	cr_assert_eq(call4(P5, FS_PIPE, 0, 0, 0, 0, NULL), 0);
	cr_assert_eq(call4(P5, FS_SETFL, 0, FS_O_NONBLOCK, 0, 0, NULL), 0);
	cr_assert_eq(call4(P5, FS_SETFL, 0, (unsigned long)-1, 0, 0, NULL), FS_O_NONBLOCK);
	struct srv_rep rep;
	const unsigned long m[4] = {0, 16};
	cr_assert_eq(req4(P5, FS_READ, m, NULL, 0, &rep), SRV_REPLY);
	cr_assert_eq(rep.result, -EAGAIN);
}

Test(fsapi_handlers, a_fifo_open_waits_for_the_other_end)
{
	struct srv_rep rep;
	cr_assert_eq(call4(P5, FS_MKNOD, FS_S_IFIFO | 0644, 0, 0, 0, "/p"), 0);
	cr_assert_eq(call4(P5, FS_MKNOD, FS_S_IFIFO | 0644, 0, 0, 0, "/p"), -EEXIST);
	cr_assert_eq(call4(P5, FS_MKNOD, 0020000 | 0644, 0, 0, 0, "/c"), -EINVAL, "no devices");
	const unsigned long rd[4] = {FS_O_RDONLY};
	cr_assert_eq(req4(P5, FS_OPEN, rd, "/p", 3, &rep), SRV_DEFER, "a reader waits");
	srv_client reader = next_client;
	cr_assert_eq(call4(P6, FS_OPEN, FS_O_WRONLY | FS_O_NONBLOCK, 0, 0, 0, "/p"), 0);
	cr_assert_eq(fake.answered_to, reader, "the writer's open answers the reader");
	cr_assert_eq(fake.answer.result, 0, "with its descriptor");
	cr_assert_eq(fwrite_(P6, 0, "via"), 3);
}

Test(fsapi_handlers, poll_reports_each_descriptor_and_refuses_a_torn_payload)
{
	struct srv_rep rep;
	call4(P5, FS_PIPE, 0, 0, 0, 0, NULL);
	struct fs_pollfd q[3] = {{0, FS_POLLIN, 0}, {1, FS_POLLOUT, 0}, {40, FS_POLLIN, 0}};
	const unsigned long m[4] = {0};
	req4(P5, FS_POLL, m, q, sizeof(q), &rep);
	cr_assert_eq(rep.result, 2);
	memcpy(q, out, sizeof(q));
	cr_assert_eq(q[0].revents, 0);
	cr_assert_eq(q[1].revents, FS_POLLOUT);
	cr_assert_eq(q[2].revents, FS_POLLNVAL);
	req4(P5, FS_POLL, m, q, sizeof(q) - 1, &rep);
	cr_assert_eq(rep.result, -EINVAL);
}
