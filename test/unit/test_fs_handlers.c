/* The fs server's handlers, called as the transport calls them: a
 * srv_req whose payload sits in the server's output buffer (as the IPC
 * buffer is in user mode), dispatched through fs_server's table. Covers
 * the file round trip, names, malformed requests, pipes whose readers
 * wait (answered later through srv_answer, bytes kept for a reader that
 * is gone), /proc/self and the operations only pm may ask for. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "../../servers/fs/fs.h"
#include "fake_sys.h"
#include "mica/errno.h"
#include "mica/proto/fs.h"

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

TestSuite(fs_handlers, .init = setup);

/* One request from badge with m0..m2 and len bytes of data; *rep the
 * reply, the handler's verdict returned. */
static int req_full(unsigned long badge, unsigned op, unsigned long m0, unsigned long m1,
                    unsigned long m2, const void *data, size_t len, long handle,
                    struct srv_rep *rep)
{
	memcpy(out, data, len); /* the payload arrives where replies go */
	struct srv_req req = {.op = op,
	                      .m = {m0, m1, m2},
	                      .data = out,
	                      .len = len,
	                      .badge = badge,
	                      .handle = handle,
	                      .call = true,
	                      .client = ++next_client};
	return srv_dispatch(&fs_server, &req, rep);
}

/* The result of a request that must be answered at once. */
static long call(unsigned long badge, unsigned op, unsigned long m0, unsigned long m1,
                 const void *data, size_t len)
{
	struct srv_rep rep;
	int what = req_full(badge, op, m0, m1, 0, data, len, -1, &rep);
	cr_assert_eq(what, SRV_REPLY, "op %u was not answered at once", op);
	return rep.result;
}

/* A path payload: the string with its NUL. */
static long path_call(unsigned long badge, unsigned op, unsigned long m0, const char *path)
{
	return call(badge, op, m0, 0, path, strlen(path) + 1);
}

static long fs_open(unsigned long badge, const char *path, int flags)
{
	return path_call(badge, FS_OPEN, (unsigned long)flags, path);
}

static long fs_write(unsigned long badge, long fd, const char *s)
{
	return call(badge, FS_WRITE, (unsigned long)fd, 0, s, strlen(s));
}

/* Reads up to n bytes into buf (NUL-terminated); the result. */
static long fs_read(unsigned long badge, long fd, size_t n, char *buf)
{
	struct srv_rep rep;
	cr_assert_eq(req_full(badge, FS_READ, (unsigned long)fd, n, 0, NULL, 0, -1, &rep),
	             SRV_REPLY);
	if (rep.result > 0 && rep.result != FS_REDIRECT) {
		cr_assert_eq(rep.len, (size_t)rep.result);
		memcpy(buf, out, rep.len);
		buf[rep.len] = 0;
	}
	return rep.result;
}

Test(fs_handlers, a_file_is_created_written_read_back_and_closed)
{
	char buf[64];
	long fd = fs_open(P5, "/f", O_CREAT | O_RDWR);
	cr_assert_eq(fd, 0, "the lowest descriptor");
	cr_assert_eq(fs_write(P5, fd, "hello"), 5);
	struct srv_rep rep;
	req_full(P5, FS_LSEEK, (unsigned long)fd, 0, SEEK_SET, NULL, 0, -1, &rep);
	cr_assert_eq(rep.result, 0);
	cr_assert_eq(fs_read(P5, fd, sizeof(buf) - 1, buf), 5);
	cr_assert_str_eq(buf, "hello");
	cr_assert_eq(fs_read(P5, fd, sizeof(buf) - 1, buf), 0, "end of file");
	cr_assert_eq(call(P5, FS_CLOSE, (unsigned long)fd, 0, NULL, 0), 0);
	cr_assert_eq(fs_read(P5, fd, 10, buf), -EBADF, "closed");
}

Test(fs_handlers, stat_reports_size_and_type_in_the_payload)
{
	long fd = fs_open(P5, "/f", O_CREAT | O_WRONLY);
	fs_write(P5, fd, "12345678");
	struct srv_rep rep;
	req_full(P5, FS_STAT, 0, 0, 0, "/f", 3, -1, &rep);
	cr_assert_eq(rep.result, 0);
	cr_assert_eq(rep.len, sizeof(struct fs_stat));
	struct fs_stat st;
	memcpy(&st, out, sizeof(st));
	cr_assert_eq(st.size, 8);
	cr_assert_eq(st.mode & 0170000, 0100000, "a regular file");
	cr_assert_eq(path_call(P5, FS_STAT, 0, "/nothing"), -ENOENT);
}

Test(fs_handlers, each_process_has_its_own_descriptors)
{
	char buf[16];
	long fd = fs_open(P5, "/f", O_CREAT | O_RDWR);
	cr_assert_eq(fs_read(P6, fd, sizeof(buf) - 1, buf), -EBADF, "pid 6 has no fd 0");
	cr_assert_eq(fs_write(P6, fd, "x"), -EBADF);
}

Test(fs_handlers, a_read_only_descriptor_refuses_writes_and_vice_versa)
{
	char buf[16];
	fs_open(P5, "/f", O_CREAT | O_WRONLY);
	long r = fs_open(P5, "/f", O_RDONLY);
	cr_assert_eq(fs_read(P5, 0, 4, buf), -EBADF, "write-only");
	cr_assert_eq(fs_write(P5, r, "x"), -EBADF, "read-only");
}

Test(fs_handlers, a_bad_descriptor_is_ebadf)
{
	char buf[8];
	cr_assert_eq(fs_read(P5, -1, 4, buf), -EBADF);
	cr_assert_eq(fs_read(P5, FS_MAX_FDS, 4, buf), -EBADF);
	cr_assert_eq(call(P5, FS_CLOSE, 3, 0, NULL, 0), -EBADF);
	cr_assert_eq(call(P5, FS_DUP2, 0, 1, NULL, 0), -EBADF);
	cr_assert_eq(call(P5, FS_FSTAT, 7, 0, NULL, 0), -EBADF);
}

Test(fs_handlers, a_path_without_its_nul_or_empty_is_einval)
{
	cr_assert_eq(call(P5, FS_OPEN, O_CREAT | O_RDWR, 0, "abc", 3), -EINVAL);
	cr_assert_eq(call(P5, FS_RMDIR, 0, 0, "", 0), -EINVAL);
	cr_assert_eq(call(P5, FS_MKDIR, 0755, 0, "", 0), -EEXIST, "as for \".\"");
	cr_assert_eq(path_call(P5, FS_STAT, 0, "/abc"), -ENOENT, "nothing was created");
}

Test(fs_handlers, two_path_requests_need_two_strings)
{
	fs_open(P5, "/a", O_CREAT | O_RDWR);
	cr_assert_eq(call(P5, FS_RENAME, 0, 0, "/a", 3), -EINVAL, "one string only");
	cr_assert_eq(call(P5, FS_LINK, 0, 0, "/a\0/b", 5), -EINVAL, "the second lacks a NUL");
	cr_assert_eq(call(P5, FS_RENAME, 0, 0, "/a\0/b", 6), 0);
	cr_assert_eq(path_call(P5, FS_STAT, 0, "/b"), 0);
	cr_assert_eq(path_call(P5, FS_STAT, 0, "/a"), -ENOENT);
}

Test(fs_handlers, directories_are_made_refused_by_unlink_and_removed_by_rmdir)
{
	cr_assert_eq(path_call(P5, FS_MKDIR, 0755, "/d"), 0);
	cr_assert_eq(path_call(P5, FS_MKDIR, 0755, "/d"), -EEXIST);
	cr_assert_eq(path_call(P5, FS_UNLINK, 0, "/d"), -EISDIR);
	cr_assert_eq(fs_open(P5, "/d", O_WRONLY), -EISDIR);
	cr_assert_eq(path_call(P5, FS_RMDIR, 0, "/d"), 0);
	cr_assert_eq(path_call(P5, FS_STAT, 0, "/d"), -ENOENT);
}

Test(fs_handlers, unlink_removes_a_file_and_a_mount_point_stays)
{
	fs_open(P5, "/f", O_CREAT | O_RDWR);
	cr_assert_eq(path_call(P5, FS_UNLINK, 0, "/f"), 0);
	cr_assert_eq(path_call(P5, FS_STAT, 0, "/f"), -ENOENT);
	cr_assert_eq(path_call(P5, FS_RMDIR, 0, "/dev"), -EBUSY);
}

Test(fs_handlers, chdir_moves_the_cwd_getcwd_reports_it)
{
	path_call(P5, FS_MKDIR, 0755, "/d");
	fs_open(P5, "/f", O_CREAT | O_RDWR);
	cr_assert_eq(path_call(P5, FS_CHDIR, 0, "/f"), -ENOTDIR);
	cr_assert_eq(path_call(P5, FS_CHDIR, 0, "/d"), 0);
	struct srv_rep rep;
	req_full(P5, FS_GETCWD, 0, 0, 0, NULL, 0, -1, &rep);
	cr_assert_eq(rep.result, 2);
	cr_assert_eq(rep.len, 3, "with its NUL");
	cr_assert_str_eq(out, "/d");
	cr_assert_eq(fs_open(P5, "g", O_CREAT | O_RDWR), 1, "relative to /d");
	cr_assert_eq(path_call(P6, FS_STAT, 0, "/d/g"), 0);
}

Test(fs_handlers, symlink_and_readlink)
{
	cr_assert_eq(call(P5, FS_SYMLINK, 0, 0, "/target\0/l", 11), 0);
	struct srv_rep rep;
	req_full(P5, FS_READLINK, 0, 0, 0, "/l", 3, -1, &rep);
	cr_assert_eq(rep.result, 7);
	cr_assert_eq(rep.len, 7);
	cr_assert_eq(memcmp(out, "/target", 7), 0);
}

Test(fs_handlers, devices_redirect_the_console_and_swallow_null)
{
	char buf[8];
	long con = fs_open(P5, "/dev/console", O_RDWR);
	long null = fs_open(P5, "/dev/null", O_RDWR);
	cr_assert_eq(fs_read(P5, con, 4, buf), FS_REDIRECT);
	cr_assert_eq(fs_write(P5, con, "hi"), FS_REDIRECT);
	cr_assert_eq(fs_write(P5, null, "abc"), 3);
	cr_assert_eq(fs_read(P5, null, 4, buf), 0);
}

/* A pipe of pid 5: *r and *w its ends. */
static void make_pipe(long *r, long *w)
{
	struct srv_rep rep;
	cr_assert_eq(req_full(P5, FS_PIPE, 0, 0, 0, NULL, 0, -1, &rep), SRV_REPLY);
	cr_assert_eq(rep.result, 0);
	*r = (long)rep.m[0], *w = (long)rep.m[1];
}

Test(fs_handlers, a_pipe_read_with_no_data_waits_and_a_write_answers_it)
{
	long r, w;
	struct srv_rep rep;
	make_pipe(&r, &w);
	cr_assert_eq(req_full(P5, FS_READ, (unsigned long)r, 64, 0, NULL, 0, -1, &rep), SRV_DEFER);
	srv_client reader = next_client;
	cr_assert_eq(fake.answers, 0, "nothing to read yet");
	cr_assert_eq(fs_write(P5, w, "ping"), 4);
	cr_assert_eq(fake.answers, 1);
	cr_assert_eq(fake.answered_to, reader);
	cr_assert_eq(fake.answer.result, 4);
	cr_assert_eq(fake.answer.len, 4);
	cr_assert_eq(memcmp(fake.answer_data, "ping", 4), 0);
}

Test(fs_handlers, a_reader_gone_while_waiting_leaves_the_bytes_for_the_next)
{
	long r, w;
	char buf[16];
	struct srv_rep rep;
	make_pipe(&r, &w);
	req_full(P5, FS_READ, (unsigned long)r, 64, 0, NULL, 0, -1, &rep);
	fake.gone = next_client; /* killed while it waited */
	cr_assert_eq(fs_write(P5, w, "kept"), 4);
	cr_assert_eq(fake.answers, 0, "the gone reader got nothing");
	cr_assert_eq(call(P5, FS_FSTAT, (unsigned long)r, 0, NULL, 0), 0);
	struct fs_stat st;
	memcpy(&st, out, sizeof(st));
	cr_assert_eq(st.size, 4, "still in the pipe");
	cr_assert_eq(req_full(P5, FS_READ, (unsigned long)r, 64, 0, NULL, 0, -1, &rep), SRV_DEFER,
	             "answered by the pipe itself");
	cr_assert_eq(fake.answered_to, next_client);
	memcpy(buf, fake.answer_data, 4);
	buf[4] = 0;
	cr_assert_str_eq(buf, "kept");
}

Test(fs_handlers, a_pipe_with_no_writer_reads_end_of_file)
{
	long r, w;
	char buf[8];
	make_pipe(&r, &w);
	cr_assert_eq(call(P5, FS_CLOSE, (unsigned long)w, 0, NULL, 0), 0);
	struct srv_rep rep;
	cr_assert_eq(req_full(P5, FS_READ, (unsigned long)r, 8, 0, NULL, 0, -1, &rep), SRV_DEFER);
	cr_assert_eq(fake.answer.result, 0, "end of file");
	cr_assert_eq(call(P5, FS_LSEEK, (unsigned long)r, 0, NULL, 0), -ESPIPE);
	(void)buf;
}

Test(fs_handlers, operations_for_pm_refuse_everyone_else)
{
	cr_assert_eq(call(P5, FS_PM_EXIT, 6, 0, NULL, 0), -EPERM);
	cr_assert_eq(call(P5, FS_PM_FORK, 5, 6, NULL, 0), -EPERM);
	cr_assert_eq(call(P5, FS_PM_EXEC, 5, 0, NULL, 0), -EPERM);
	cr_assert_eq(call(P5, FS_PM_LOAD, 0644, 0, "/x\0data", 7), -EPERM);
	cr_assert_eq(path_call(P5, FS_PM_OPEN, 5, "/x"), -EPERM);
	cr_assert_eq(path_call(P5, FS_STAT, 0, "/x"), -ENOENT, "nothing was loaded");
}

Test(fs_handlers, pm_loads_a_file_a_process_reads_it)
{
	char buf[16];
	cr_assert_eq(call(FS_BADGE_PM, FS_PM_LOAD, 0755, 0, "/bin/x\0DATA", 11), -ENOENT,
	             "no /bin yet");
	struct srv_rep rep;
	req_full(FS_BADGE_PM, FS_PM_LOAD, 0755, 0, 1, "/bin", 5, -1, &rep);
	cr_assert_eq(rep.result, 0, "a directory");
	cr_assert_eq(call(FS_BADGE_PM, FS_PM_LOAD, 0755, 0, "/bin/x\0DATA", 11), 0);
	cr_assert_eq(call(FS_BADGE_PM, FS_PM_LOAD, 0755, 4, "/bin/x\0MORE", 11), 0, "a piece");
	long fd = fs_open(P5, "/bin/x", O_RDONLY);
	cr_assert_eq(fs_read(P5, fd, sizeof(buf) - 1, buf), 8);
	cr_assert_str_eq(buf, "DATAMORE");
	cr_assert_eq(call(FS_BADGE_PM, FS_PM_LOAD, 0644, 0, "/dev/y\0z", 8), -EPERM, "not in /dev");
}

Test(fs_handlers, pm_open_resolves_from_the_process_cwd_into_pms_table)
{
	path_call(P5, FS_MKDIR, 0755, "/d");
	path_call(P5, FS_CHDIR, 0, "/d");
	fs_open(P5, "prog", O_CREAT | O_RDWR);
	cr_assert_eq(path_call(FS_BADGE_PM, FS_PM_OPEN, 5, "prog"), -EACCES, "not executable");
	cr_assert_eq(path_call(P5, FS_CHMOD, 0755, "prog"), 0);
	cr_assert_eq(path_call(FS_BADGE_PM, FS_PM_OPEN, 5, "prog"), 0, "pm's fd 0");
	cr_assert_eq(path_call(FS_BADGE_PM, FS_PM_OPEN, 6, "prog"), -ENOENT, "6's cwd is /");
	cr_assert_eq(path_call(FS_BADGE_PM, FS_PM_OPEN, 5, "/d"), -EACCES, "a directory");
}

Test(fs_handlers, pm_fork_shares_descriptors_and_pm_exit_drops_them)
{
	char buf[8];
	long fd = fs_open(P5, "/f", O_CREAT | O_RDWR);
	fs_write(P5, fd, "ab");
	cr_assert_eq(call(FS_BADGE_PM, FS_PM_FORK, 5, 6, NULL, 0), 0);
	cr_assert_eq(fs_write(P6, fd, "cd"), 2, "the same open file");
	cr_assert_eq(call(FS_BADGE_PM, FS_PM_EXIT, 6, 0, NULL, 0), 0);
	cr_assert_eq(fs_read(P6, fd, 4, buf), -EBADF, "6 holds nothing now");
	struct srv_rep rep;
	req_full(P5, FS_LSEEK, (unsigned long)fd, 0, SEEK_CUR, NULL, 0, -1, &rep);
	cr_assert_eq(rep.m[0], 4, "one offset, moved by both");
}

/* pm's /proc row for pid, with a task handle or -1; the verdict. */
static int push_row(unsigned long badge, int pid, char state, long handle, struct srv_rep *rep)
{
	struct fs_proc row = {.pid = pid, .ppid = 1, .state = state, .name = "prog"};
	return req_full(badge, FS_PM_PROC, 0, 0, 0, &row, sizeof(row), handle, rep);
}

Test(fs_handlers, pm_proc_keeps_the_task_handle_only_when_it_takes_it)
{
	struct srv_rep rep;
	cr_assert_eq(push_row(FS_BADGE_PM, 5, 'S', 9, &rep), SRV_REPLY | SRV_KEEP_HANDLE);
	cr_assert_eq(rep.result, 0);
	cr_assert_eq(push_row(FS_BADGE_PM, 5, 'S', -1, &rep), SRV_REPLY);
	cr_assert_eq(push_row(P5, 5, 'S', 9, &rep), SRV_REPLY, "not pm: the handle is closed");
	cr_assert_eq(rep.result, -EPERM);
	struct fs_proc row = {.pid = 5};
	req_full(FS_BADGE_PM, FS_PM_PROC, 0, 0, 0, &row, sizeof(row) - 1, -1, &rep);
	cr_assert_eq(rep.result, -EPERM, "a short row");
}

Test(fs_handlers, proc_self_names_whoever_asks)
{
	struct srv_rep rep;
	push_row(FS_BADGE_PM, 5, 'S', -1, &rep);
	push_row(FS_BADGE_PM, 6, 'S', -1, &rep);
	req_full(P5, FS_READLINK, 0, 0, 0, "/proc/self", 11, -1, &rep);
	cr_assert_eq(rep.result, 1);
	cr_assert_eq(out[0], '5');
	req_full(P6, FS_READLINK, 0, 0, 0, "/proc/self", 11, -1, &rep);
	cr_assert_eq(out[0], '6');
	cr_assert_eq(path_call(P6, FS_STAT, 0, "/proc/self/status"), 0, "resolves to /proc/6");
	push_row(FS_BADGE_PM, 6, 0, -1, &rep); /* 6 is gone */
	cr_assert_eq(path_call(P6, FS_STAT, 0, "/proc/self/status"), -ENOENT);
}

Test(fs_handlers, proc_status_says_the_reader_runs)
{
	char buf[512];
	struct srv_rep rep;
	push_row(FS_BADGE_PM, 5, 'S', -1, &rep);
	long fd = fs_open(P5, "/proc/self/status", O_RDONLY);
	cr_assert_geq(fd, 0);
	cr_assert_gt(fs_read(P5, fd, sizeof(buf) - 1, buf), 0);
	cr_assert(strstr(buf, "State:\tR (running)"), "%s", buf);
	long other = fs_open(P6, "/proc/5/status", O_RDONLY);
	cr_assert_gt(fs_read(P6, other, sizeof(buf) - 1, buf), 0);
	cr_assert(strstr(buf, "State:\tS (sleeping)"), "%s", buf);
}

Test(fs_handlers, dup2_shares_the_file_and_clears_close_on_exec)
{
	long fd = fs_open(P5, "/f", O_CREAT | O_RDWR | O_CLOEXEC);
	cr_assert_eq(call(P5, FS_SETFD, (unsigned long)fd, (unsigned long)-1, NULL, 0), FD_CLOEXEC);
	cr_assert_eq(call(P5, FS_DUP2, (unsigned long)fd, 7, NULL, 0), 7);
	cr_assert_eq(call(P5, FS_SETFD, 7, (unsigned long)-1, NULL, 0), 0);
	cr_assert_eq(call(FS_BADGE_PM, FS_PM_EXEC, 5, 0, NULL, 0), 0);
	cr_assert_eq(fs_write(P5, fd, "x"), -EBADF, "closed on exec");
	cr_assert_eq(fs_write(P5, 7, "x"), 1, "the dup stays");
}

Test(fs_handlers, an_unknown_label_is_enosys)
{
	struct srv_rep rep;
	cr_assert_eq(req_full(P5, FS_NOPS + 3, 0, 0, 0, NULL, 0, -1, &rep), SRV_REPLY);
	cr_assert_eq(rep.result, -ENOSYS);
}
