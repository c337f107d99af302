/* selftest: in-guest checks of the POSIX layer (files, directories, links,
 * pipes, processes, /dev, /proc, stdio) in /tmp, and Mica's fixes to picolibc; "selftest: NAME
 * ok" or "FAILED: why". */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/check.h"
#include "mica/runtime.h"
#include "mica/syscall.h"

#define CHILD_TIMEOUT_MS 10000
#define CHILD_FAILED     99 /* a child's check failed; its reason is in the file "why" */

static char dir[64]; /* the work directory, /tmp/selftest.PID */

/* dir/name, in one of four rotating buffers (so a call can take several). */
static const char *p(const char *name)
{
	static char buf[4][256];
	static int k;
	char *b = buf[k++ & 3];
	snprintf(b, sizeof(buf[0]), "%s/%s", dir, name);
	return b;
}

static int put(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return fail("open %s for writing: %s", path, strerror(errno));
	ssize_t n = write(fd, s, strlen(s));
	if (n != (ssize_t)strlen(s)) {
		close(fd);
		return fail("write %s: %zd of %zu bytes (%s)", path, n, strlen(s), strerror(errno));
	}
	if (close(fd) < 0)
		return fail("close %s: %s", path, strerror(errno));
	return 0;
}

/* The whole file into buf (NUL-terminated); its length or -1. */
static long get(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return fail("open %s: %s", path, strerror(errno));
	size_t len = 0;
	ssize_t n;
	while (len < size - 1 && (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
	close(fd);
	return (long)len;
}

/* The file holds exactly want. */
static int holds(const char *path, const char *want)
{
	char buf[256];
	if (get(path, buf, sizeof(buf)) < 0)
		return -1;
	CHECK(!strcmp(buf, want), "%s holds \"%s\", want \"%s\"", path, buf, want);
	return 0;
}

/* --- children ------------------------------------------------------------ */

/* Waits for pid; after timeout_ms it is killed and the check fails. */
static int wait_child(pid_t pid, int *status)
{
	for (int t = 0;; t += 10) {
		pid_t r = waitpid(pid, status, WNOHANG);
		if (r == pid)
			return 0;
		if (r < 0)
			return fail("waitpid(%d): %s", pid, strerror(errno));
		if (t >= CHILD_TIMEOUT_MS) {
			kill(pid, SIGKILL);
			waitpid(pid, status, 0);
			return fail("child %d hung: killed after %d ms", pid, CHILD_TIMEOUT_MS);
		}
		usleep(10000);
	}
}

/* Runs fn in a child process, so that a hang or a death is caught rather
 * than taking the test run with it. A failing fn's reason comes back
 * through a file. *status is the child's wait status. */
static int run_child(int (*fn)(void), int *status)
{
	pid_t pid = fork();
	if (pid < 0)
		return fail("fork: %s", strerror(errno));
	if (pid == 0) {
		why[0] = '\0';
		if (fn() == 0)
			_exit(0);
		put(p("why"), why);
		_exit(CHILD_FAILED);
	}
	return wait_child(pid, status);
}

static const char *describe(int st)
{
	static char buf[64];
	if (WIFEXITED(st))
		snprintf(buf, sizeof(buf), "exited with status %d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(buf, sizeof(buf), "killed by signal %d", WTERMSIG(st));
	else
		snprintf(buf, sizeof(buf), "wait status %#x", st);
	return buf;
}

/* fn must succeed in a child. */
static int in_child(int (*fn)(void))
{
	int st;
	if (run_child(fn, &st) < 0)
		return -1;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	if (WIFEXITED(st) && WEXITSTATUS(st) == CHILD_FAILED) {
		char buf[sizeof(why)];
		if (get(p("why"), buf, sizeof(buf)) > 0)
			return fail("%s", buf);
		why[0] = '\0';
		return fail("the child failed and left no reason");
	}
	return fail("child %s", describe(st));
}

/* --- files --------------------------------------------------------------- */

static int t_file(void)
{
	const char *f = p("file");
	char buf[32];
	struct stat st, st2;
	int fd = open(f, O_RDWR | O_CREAT | O_TRUNC, 0644);
	OK(fd);
	IS(write(fd, "hello, world", 12), 12);
	IS(lseek(fd, 0, SEEK_CUR), 12);
	IS(lseek(fd, 0, SEEK_SET), 0);
	IS(read(fd, buf, sizeof(buf)), 12);
	CHECK(!memcmp(buf, "hello, world", 12), "read back differs");
	IS(read(fd, buf, sizeof(buf)), 0); /* at the end */
	IS(lseek(fd, 7, SEEK_SET), 7);
	IS(read(fd, buf, 5), 5);
	CHECK(!memcmp(buf, "world", 5), "read at offset 7 is not \"world\"");
	IS(lseek(fd, -5, SEEK_END), 7);
	IS(lseek(fd, -2, SEEK_CUR), 5);
	ERR(lseek(fd, -100, SEEK_SET), EINVAL);
	OK(fstat(fd, &st));
	CHECK(S_ISREG(st.st_mode), "fstat: mode %#o is not a regular file", (unsigned)st.st_mode);
	CHECK(st.st_size == 12, "fstat: size %lld, want 12", (long long)st.st_size);
	CHECK(st.st_nlink == 1, "fstat: %d links, want 1", (int)st.st_nlink);
	CHECK((st.st_mode & 0777) == 0644, "mode %#o, want 0644 (umask?)",
	      (unsigned)st.st_mode & 0777);
	OK(stat(f, &st2));
	CHECK(st.st_ino == st2.st_ino && st.st_dev == st2.st_dev,
	      "stat and fstat disagree on the inode");
	OK(close(fd));
	return holds(f, "hello, world");
}

static int t_hole(void)
{
	const char *f = p("hole");
	char buf[16];
	struct stat st;
	int fd = open(f, O_RDWR | O_CREAT | O_TRUNC, 0644);
	OK(fd);
	IS(write(fd, "ab", 2), 2);
	IS(lseek(fd, 10, SEEK_SET), 10);
	IS(write(fd, "z", 1), 1);
	OK(fstat(fd, &st));
	CHECK(st.st_size == 11, "size %lld, want 11", (long long)st.st_size);
	IS(lseek(fd, 0, SEEK_SET), 0);
	IS(read(fd, buf, sizeof(buf)), 11);
	CHECK(!memcmp(buf, "ab\0\0\0\0\0\0\0\0z", 11), "the gap does not read as zeros");
	OK(close(fd));
	return 0;
}

static int t_append(void)
{
	const char *f = p("append");
	if (put(f, "abc") < 0)
		return -1;
	int fd = open(f, O_WRONLY | O_APPEND);
	OK(fd);
	OK(lseek(fd, 0, SEEK_SET));
	IS(write(fd, "def", 3), 3);
	IS(lseek(fd, 0, SEEK_CUR), 6); /* the end */
	OK(close(fd));
	return holds(f, "abcdef");
}

static int t_trunc(void)
{
	const char *f = p("trunc");
	struct stat st;
	if (put(f, "abcdef") < 0)
		return -1;
	int fd = open(f, O_WRONLY | O_TRUNC);
	OK(fd);
	OK(fstat(fd, &st));
	CHECK(st.st_size == 0, "size %lld after O_TRUNC, want 0", (long long)st.st_size);
	IS(write(fd, "xy", 2), 2);
	OK(close(fd));
	return holds(f, "xy");
}

static int t_excl(void)
{
	const char *f = p("excl");
	if (put(f, "x") < 0)
		return -1;
	ERR(open(f, O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST);
	int fd = open(p("excl2"), O_WRONLY | O_CREAT | O_EXCL, 0644);
	OK(fd);
	OK(close(fd));
	struct stat st;
	OK(stat(p("excl2"), &st));
	return 0;
}

static int t_enoent(void)
{
	struct stat st;
	ERR(open(p("missing"), O_RDONLY), ENOENT);
	ERR(stat(p("missing"), &st), ENOENT);
	ERR(open(p("missing/x"), O_WRONLY | O_CREAT, 0644), ENOENT);
	if (put(p("plain"), "x") < 0)
		return -1;
	ERR(open(p("plain/x"), O_RDONLY), ENOTDIR);
	return 0;
}

static int t_mkdir(void)
{
	const char *d = p("dir");
	struct stat st;
	OK(mkdir(d, 0755));
	OK(stat(d, &st));
	CHECK(S_ISDIR(st.st_mode), "mode %#o is not a directory", (unsigned)st.st_mode);
	ERR(mkdir(d, 0755), EEXIST);
	if (put(p("dir/f"), "x") < 0)
		return -1;
	ERR(rmdir(d), ENOTEMPTY);
	OK(unlink(p("dir/f")));
	OK(rmdir(d));
	ERR(stat(d, &st), ENOENT);
	ERR(rmdir(d), ENOENT);
	if (put(p("notdir"), "x") < 0)
		return -1;
	ERR(rmdir(p("notdir")), ENOTDIR);
	return 0;
}

static int t_unlink(void)
{
	const char *f = p("gone");
	struct stat st;
	if (put(f, "x") < 0)
		return -1;
	OK(unlink(f));
	ERR(stat(f, &st), ENOENT);
	ERR(open(f, O_RDONLY), ENOENT);
	ERR(unlink(f), ENOENT);
	return 0;
}

static int t_unlink_open(void)
{
	const char *f = p("open-unlinked");
	char buf[16];
	struct stat st;
	if (put(f, "still here") < 0)
		return -1;
	int fd = open(f, O_RDONLY);
	OK(fd);
	OK(unlink(f));
	IS(read(fd, buf, sizeof(buf)), 10);
	CHECK(!memcmp(buf, "still here", 10), "an open file's data is gone after unlink");
	OK(fstat(fd, &st));
	CHECK(st.st_nlink == 0, "fstat: %d links after unlink, want 0", (int)st.st_nlink);
	OK(close(fd));
	return 0;
}

static int t_link(void)
{
	const char *a = p("hard-a"), *b = p("hard-b");
	struct stat sa, sb;
	if (put(a, "one") < 0)
		return -1;
	OK(stat(a, &sa));
	CHECK(sa.st_nlink == 1, "%d links before link(), want 1", (int)sa.st_nlink);
	OK(link(a, b));
	OK(stat(a, &sa));
	OK(stat(b, &sb));
	CHECK(sa.st_nlink == 2 && sb.st_nlink == 2, "links %d and %d after link(), want 2",
	      (int)sa.st_nlink, (int)sb.st_nlink);
	CHECK(sa.st_ino == sb.st_ino, "the two names have different inodes");
	if (put(b, "two") < 0 || holds(a, "two") < 0)
		return -1;
	ERR(link(a, b), EEXIST);
	ERR(link(p("missing"), p("hard-c")), ENOENT);
	OK(unlink(b));
	OK(stat(a, &sa));
	CHECK(sa.st_nlink == 1, "%d links after unlink, want 1", (int)sa.st_nlink);
	return 0;
}

static int t_symlink(void)
{
	const char *t = p("sym-target"), *s = p("sym");
	char buf[64];
	struct stat st, lst, tst;
	if (put(t, "target data") < 0)
		return -1;
	OK(symlink("sym-target", s)); /* relative to the link's directory */
	ssize_t n = readlink(s, buf, sizeof(buf));
	CHECK(n == 10 && !memcmp(buf, "sym-target", 10), "readlink gives %zd \"%.*s\"", n,
	      n > 0 ? (int)n : 0, buf);
	OK(lstat(s, &lst));
	CHECK(S_ISLNK(lst.st_mode), "lstat: mode %#o is not a symlink", (unsigned)lst.st_mode);
	CHECK(lst.st_size == 10, "lstat: size %lld, want the target's length 10",
	      (long long)lst.st_size);
	OK(stat(s, &st));
	OK(stat(t, &tst));
	CHECK(S_ISREG(st.st_mode) && st.st_ino == tst.st_ino && st.st_size == 11,
	      "stat does not follow the link to the target");
	if (holds(s, "target data") < 0)
		return -1;
	ERR(readlink(t, buf, sizeof(buf)), EINVAL);
	ERR(symlink("x", s), EEXIST);
	OK(symlink("nowhere", p("dangling")));
	ERR(stat(p("dangling"), &st), ENOENT);
	OK(lstat(p("dangling"), &st));
	return 0;
}

static int t_symlink_loop(void)
{
	struct stat st;
	OK(symlink("loop2", p("loop1")));
	OK(symlink("loop1", p("loop2")));
	ERR(open(p("loop1"), O_RDONLY), ELOOP);
	ERR(stat(p("loop1"), &st), ELOOP);
	OK(lstat(p("loop1"), &st));
	OK(symlink("self", p("self")));
	ERR(stat(p("self"), &st), ELOOP);
	return 0;
}

static int t_rename(void)
{
	struct stat st;
	if (put(p("ren1"), "one") < 0)
		return -1;
	OK(rename(p("ren1"), p("ren2")));
	ERR(stat(p("ren1"), &st), ENOENT);
	if (holds(p("ren2"), "one") < 0 || put(p("ren3"), "three") < 0)
		return -1;
	OK(rename(p("ren2"), p("ren3"))); /* replaces ren3 */
	ERR(stat(p("ren2"), &st), ENOENT);
	if (holds(p("ren3"), "one") < 0)
		return -1;
	OK(mkdir(p("rendir"), 0755));
	if (put(p("rendir/f"), "in dir") < 0)
		return -1;
	OK(rename(p("rendir"), p("rendir2")));
	if (holds(p("rendir2/f"), "in dir") < 0)
		return -1;
	OK(mkdir(p("rendir2/sub"), 0755));
	ERR(rename(p("rendir2"), p("rendir2/sub/x")), EINVAL);
	ERR(rename(p("missing"), p("x")), ENOENT);
	return 0;
}

static int t_readdir(void)
{
	static const char *const names[] = {"x", "y", "z", "w"};
	int seen[4] = {0}, others = 0, dots = 0;
	OK(mkdir(p("list"), 0755));
	OK(mkdir(p("list/w"), 0755));
	if (put(p("list/x"), "") < 0 || put(p("list/y"), "") < 0 || put(p("list/z"), "") < 0)
		return -1;
	DIR *d = opendir(p("list"));
	CHECK(d, "opendir: %s", strerror(errno));
	struct dirent *de;
	while ((de = readdir(d))) {
		int k;
		for (k = 0; k < 4 && strcmp(de->d_name, names[k]); k++)
			;
		if (k < 4)
			seen[k]++;
		else if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			dots++;
		else
			others++;
	}
	OK(closedir(d));
	for (int k = 0; k < 4; k++)
		CHECK(seen[k] == 1, "\"%s\" listed %d times", names[k], seen[k]);
	CHECK(!others, "%d unexpected entries", others);
	CHECK(dots == 2, "\".\" and \"..\": %d entries, want 2", dots);
	errno = 0;
	CHECK(!opendir(p("list/x")) && errno == ENOTDIR, "opendir of a file: %s, want ENOTDIR",
	      strerror(errno));
	errno = 0;
	CHECK(!opendir(p("missing")) && errno == ENOENT, "opendir of nothing: %s, want ENOENT",
	      strerror(errno));
	return 0;
}

static int t_chdir(void)
{
	char cwd[256], want[256];
	struct stat a, b;
	OK(chdir(dir));
	CHECK(getcwd(cwd, sizeof(cwd)), "getcwd: %s", strerror(errno));
	CHECK(!strcmp(cwd, dir), "getcwd gives \"%s\", want \"%s\"", cwd, dir);
	OK(stat(cwd, &a));
	OK(stat(".", &b));
	CHECK(a.st_ino == b.st_ino, "getcwd's path is not \".\"");
	OK(mkdir("cwd-sub", 0755));
	OK(chdir("cwd-sub"));
	CHECK(getcwd(cwd, sizeof(cwd)), "getcwd: %s", strerror(errno));
	snprintf(want, sizeof(want), "%s/cwd-sub", dir);
	CHECK(!strcmp(cwd, want), "getcwd gives \"%s\", want \"%s\"", cwd, want);
	if (put("rel", "relative") < 0 || holds(p("cwd-sub/rel"), "relative") < 0)
		return -1;
	OK(chdir(".."));
	CHECK(getcwd(cwd, sizeof(cwd)) && !strcmp(cwd, dir), "after chdir(\"..\"): \"%s\"", cwd);
	errno = 0;
	CHECK(!getcwd(cwd, 3) && errno == ERANGE, "getcwd into 3 bytes: %s, want ERANGE",
	      strerror(errno));
	if (put("plain-cwd", "x") < 0)
		return -1;
	ERR(chdir("plain-cwd"), ENOTDIR);
	ERR(chdir("missing"), ENOENT);
	OK(chdir("/"));
	CHECK(getcwd(cwd, sizeof(cwd)) && !strcmp(cwd, "/"), "getcwd in / gives \"%s\"", cwd);
	return 0;
}

static int t_dup(void)
{
	char buf[8];
	if (put(p("dup"), "0123456789") < 0)
		return -1;
	int fd = open(p("dup"), O_RDONLY);
	OK(fd);
	int d = dup(fd);
	OK(d);
	CHECK(d != fd, "dup returned the same descriptor");
	IS(read(fd, buf, 3), 3);
	CHECK(!memcmp(buf, "012", 3), "read through the original gives \"%.3s\"", buf);
	IS(read(d, buf, 3), 3);
	CHECK(!memcmp(buf, "345", 3), "the duplicate does not share the offset");
	IS(lseek(d, 0, SEEK_CUR), 6);
	IS(dup2(fd, 20), 20);
	IS(lseek(20, 1, SEEK_SET), 1);
	IS(read(fd, buf, 1), 1);
	CHECK(buf[0] == '1', "dup2's copy does not share the offset");
	IS(dup2(d, d), d);
	OK(close(fd));
	IS(read(d, buf, 1), 1);
	CHECK(buf[0] == '2', "closing the original moved the duplicate's offset");
	int low = dup(d);
	CHECK(low == fd, "dup gave %d, want the lowest free descriptor %d", low, fd);
	IS(dup2(d, 20), 20); /* onto an open descriptor */
	ERR(dup2(-1, 21), EBADF);
	OK(close(low));
	OK(close(d));
	OK(close(20));
	return 0;
}

/* --- pipes (each in a child, so that a hang is caught) -------------------- */

static int c_pipe(void)
{
	int fds[2];
	char buf[16];
	struct stat st;
	OK(pipe(fds));
	IS(write(fds[1], "ping", 4), 4);
	IS(read(fds[0], buf, sizeof(buf)), 4);
	CHECK(!memcmp(buf, "ping", 4), "read back differs");
	OK(fstat(fds[0], &st));
	CHECK(S_ISFIFO(st.st_mode), "fstat: mode %#o is not a FIFO", (unsigned)st.st_mode);
	ERR(lseek(fds[0], 0, SEEK_SET), ESPIPE);
	OK(close(fds[1]));
	IS(read(fds[0], buf, sizeof(buf)), 0); /* EOF: no writer left */
	OK(close(fds[0]));
	return 0;
}

/* The writer is another process; the reader sees its data, then EOF. */
static int c_pipe_fork(void)
{
	int fds[2], st;
	char buf[64];
	OK(pipe(fds));
	pid_t pid = fork();
	OK(pid);
	if (pid == 0) {
		close(fds[0]);
		_exit(write(fds[1], "from the child", 14) == 14 ? 0 : 1);
	}
	OK(close(fds[1]));
	size_t len = 0;
	ssize_t n;
	while ((n = read(fds[0], buf + len, sizeof(buf) - len)) > 0)
		len += (size_t)n;
	CHECK(n == 0, "read: %s", strerror(errno));
	CHECK(len == 14 && !memcmp(buf, "from the child", 14), "read %zu bytes, want 14", len);
	OK(close(fds[0]));
	OK(waitpid(pid, &st, 0));
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "writer %s", describe(st));
	return 0;
}

static int c_epipe(void)
{
	int fds[2];
	signal(SIGPIPE, SIG_IGN); /* else SIGPIPE's default action ends the process */
	OK(pipe(fds));
	OK(close(fds[0]));
	ERR(write(fds[1], "x", 1), EPIPE);
	OK(close(fds[1]));
	return 0;
}

static int c_sigpipe(void)
{
	int fds[2];
	OK(pipe(fds));
	OK(close(fds[0]));
	long r = write(fds[1], "x", 1);
	return fail("write with no reader returned %ld (%s) and the process lives on", r,
	            r < 0 ? strerror(errno) : "no error");
}

static int t_pipe(void)
{
	return in_child(c_pipe);
}

static int t_pipe_fork(void)
{
	return in_child(c_pipe_fork);
}

static int t_epipe(void)
{
	return in_child(c_epipe);
}

static int t_sigpipe(void)
{
	int st;
	if (run_child(c_sigpipe, &st) < 0)
		return -1;
	if (WIFEXITED(st) && WEXITSTATUS(st) == CHILD_FAILED) {
		char buf[sizeof(why)];
		return fail("%s", get(p("why"), buf, sizeof(buf)) > 0 ? buf : "no SIGPIPE");
	}
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE, "child %s, want killed by SIGPIPE (%d)",
	      describe(st), SIGPIPE);
	return 0;
}

/* Twenty processes blocked reading one pipe are all served (fs kept at
 * most eight waiting readers per pipe). */
static int t_pipe_many_readers(void)
{
	enum { N = 20 };
	int fds[2], st, seen[N] = {0};
	pid_t kids[N];
	OK(pipe(fds));
	for (int i = 0; i < N; i++) {
		OK(kids[i] = fork());
		if (kids[i] == 0) {
			char c = 0;
			close(fds[1]);
			long r = read(fds[0], &c, 1);
			_exit(r == 1 && c >= 'a' && c < 'a' + N ? c - 'a' + 1
			      : r < 0                           ? 100 + errno
			                                        : 60 + (int)r * 10 + (c ? 1 : 0));
		}
	}
	usleep(200000); /* let them all block */
	IS(write(fds[1], "abcdefghijklmnopqrst", N), N);
	OK(close(fds[0]));
	OK(close(fds[1]));
	for (int i = 0; i < N; i++) {
		if (wait_child(kids[i], &st) < 0)
			return -1;
		CHECK(WIFEXITED(st) && WEXITSTATUS(st) >= 1 && WEXITSTATUS(st) <= N, "reader %d %s",
		      i, describe(st));
		seen[WEXITSTATUS(st) - 1]++;
	}
	for (int i = 0; i < N; i++)
		CHECK(seen[i] == 1, "byte %c read %d times", 'a' + i, seen[i]);
	return 0;
}

/* A reader killed while it waits takes nothing with it: the bytes written
 * afterwards are there for the next reader. */
static int t_pipe_killed_reader(void)
{
	int fds[2], st;
	char buf[8];
	OK(pipe(fds));
	pid_t pid = fork();
	OK(pid);
	if (pid == 0) {
		close(fds[1]);
		_exit(read(fds[0], buf, sizeof(buf)) > 0 ? 0 : 1);
	}
	usleep(100000);
	OK(kill(pid, SIGKILL));
	OK(waitpid(pid, &st, 0));
	CHECK(WIFSIGNALED(st), "reader %s", describe(st));
	IS(write(fds[1], "kept", 4), 4);
	IS(read(fds[0], buf, sizeof(buf)), 4);
	CHECK(!memcmp(buf, "kept", 4), "read back differs");
	OK(close(fds[0]));
	OK(close(fds[1]));
	return 0;
}

/* Twelve processes each holding 27 descriptors (21 files, 3 pipes): more
 * open files and pipes than fs's old fixed tables (256, 32) had. */
static int c_hold_many(int ready, int hold)
{
	int fds[2];
	for (int i = 0; i < 21; i++)
		if (open("/etc/issue", O_RDONLY) < 0)
			return write(ready, "f", 1);
	for (int i = 0; i < 3; i++)
		if (pipe(fds) < 0)
			return write(ready, "p", 1);
	if (write(ready, "y", 1) != 1)
		return -1;
	return (int)read(hold, fds, 1); /* until the parent closes it */
}

static int t_many_open_files(void)
{
	enum { N = 12 };
	int ready[2], hold[2], st;
	pid_t kids[N];
	char got[N + 1] = {0};
	OK(pipe(ready));
	OK(pipe(hold));
	for (int i = 0; i < N; i++) {
		OK(kids[i] = fork());
		if (kids[i] == 0) {
			close(ready[0]), close(hold[1]);
			c_hold_many(ready[1], hold[0]);
			_exit(0);
		}
	}
	OK(close(ready[1]));
	for (int n = 0; n < N;) {
		long r = read(ready[0], got + n, (size_t)(N - n));
		CHECK(r > 0, "read: %ld (%s) after %d", r, strerror(errno), n);
		n += (int)r;
	}
	OK(close(hold[1]));
	for (int i = 0; i < N; i++)
		if (wait_child(kids[i], &st) < 0)
			return -1;
	OK(close(ready[0]));
	OK(close(hold[0]));
	CHECK(!strcmp(got, "yyyyyyyyyyyy"), "children report %s (f: open, p: pipe failed)", got);
	return 0;
}

/* --- processes ----------------------------------------------------------- */

static int touched; /* changed only in a child */

static int t_fork(void)
{
	int st;
	pid_t pid = fork();
	OK(pid);
	if (pid == 0) {
		touched = 1;
		_exit(42);
	}
	CHECK(waitpid(pid, &st, 0) == pid, "waitpid: %s", strerror(errno));
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 42, "child %s, want exit 42", describe(st));
	CHECK(!touched, "the child's write to memory shows in the parent");
	pid = fork();
	OK(pid);
	if (pid == 0)
		_exit(7);
	CHECK(wait(&st) == pid, "wait: %s", strerror(errno));
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 7, "child %s, want exit 7", describe(st));
	ERR(waitpid(-1, &st, 0), ECHILD);
	return 0;
}

static int t_wnohang(void)
{
	int st;
	pid_t pid = fork();
	OK(pid);
	if (pid == 0) {
		usleep(300000);
		_exit(3);
	}
	pid_t r = waitpid(pid, &st, WNOHANG);
	CHECK(r == 0, "waitpid(WNOHANG) on a running child gives %d, want 0", r);
	CHECK(waitpid(pid, &st, 0) == pid, "waitpid: %s", strerror(errno));
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 3, "child %s, want exit 3", describe(st));
	return 0;
}

static char *const no_env[] = {NULL};

static int c_exec_true(void)
{
	char *const argv[] = {"true", NULL};
	execve("/bin/true", argv, no_env);
	return fail("execve /bin/true: %s", strerror(errno));
}

static int c_exec_false(void)
{
	char *const argv[] = {"false", NULL};
	execve("/bin/false", argv, no_env);
	return fail("execve /bin/false: %s", strerror(errno));
}

static int t_exec(void)
{
	int st;
	char *const argv[] = {"nope", NULL};
	if (in_child(c_exec_true) < 0)
		return -1;
	if (run_child(c_exec_false, &st) < 0)
		return -1;
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 1, "/bin/false: child %s, want exit 1",
	      describe(st));
	ERR(execve(p("missing"), argv, no_env), ENOENT); /* a failed exec returns */
	return 0;
}

/* echo's standard output, redirected with dup2, lands in a file: argv and
 * descriptors survive exec. */
static int c_exec_redirect(void)
{
	char *const argv[] = {"echo", "hello", "world", NULL};
	int fd = open(p("echo.out"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
	OK(fd);
	OK(dup2(fd, 1));
	OK(close(fd));
	execve("/bin/echo", argv, no_env);
	return fail("execve /bin/echo: %s", strerror(errno));
}

static int t_exec_redirect(void)
{
	if (in_child(c_exec_redirect) < 0)
		return -1;
	return holds(p("echo.out"), "hello world\n");
}

/* --- stdio ---------------------------------------------------------------- */

/* stdin on a pipe read to its end: the end is EOF, not an error, through
 * getchar and fgets alike. (picolibc 1.8's fgets drops a last line that
 * has no newline, so the input ends with one.) */
static int c_stdin_eof(void)
{
	int fds[2];
	char line[16];
	OK(pipe(fds));
	IS(write(fds[1], "ab\ncd\n", 6), 6);
	OK(close(fds[1]));
	OK(dup2(fds[0], 0));
	OK(close(fds[0]));
	CHECK(getchar() == 'a', "getchar: not the first byte");
	CHECK(fgets(line, sizeof(line), stdin) && !strcmp(line, "b\n"), "fgets: first line");
	CHECK(fgets(line, sizeof(line), stdin) && !strcmp(line, "cd\n"), "fgets: last line");
	CHECK(!fgets(line, sizeof(line), stdin), "fgets past the end returned a line");
	CHECK(getchar() == EOF, "getchar past the end");
	CHECK(feof(stdin) && !ferror(stdin), "at the end: feof %d, ferror %d", feof(stdin),
	      ferror(stdin));
	return 0;
}

static int t_stdin_eof(void)
{
	return in_child(c_stdin_eof);
}

static int t_fileno(void)
{
	IS(fileno(stdin), 0);
	IS(fileno(stdout), 1);
	IS(fileno(stderr), 2);
	OK(put(p("fileno"), "x"));
	FILE *f = fopen(p("fileno"), "r");
	CHECK(f, "fopen: %s", strerror(errno));
	int fd = fileno(f);
	fclose(f);
	CHECK(fd > 2, "fileno of an fopen stream: %d", fd);
	char buf[4];
	f = fmemopen(buf, sizeof(buf), "r");
	CHECK(f, "fmemopen: %s", strerror(errno));
	errno = 0;
	fd = fileno(f);
	int e = errno;
	fclose(f);
	CHECK(fd == -1 && e == EBADF, "fileno of a memory stream: %d (%s)", fd, strerror(e));
	return 0;
}

static int t_getline(void)
{
	OK(put(p("lines"), "one\n\nthree:3\nlast"));
	FILE *f = fopen(p("lines"), "r");
	CHECK(f, "fopen: %s", strerror(errno));
	char *line = NULL;
	size_t n = 0;
	static const char *const want[] = {"one\n", "\n", "three:3\n", "last"};
	for (unsigned i = 0; i < 4; i++) {
		ssize_t len = getline(&line, &n, f);
		CHECK(len == (ssize_t)strlen(want[i]) && !strcmp(line, want[i]) && n > (size_t)len,
		      "getline %u: %zd \"%s\"", i, len, line ? line : "");
	}
	CHECK(getline(&line, &n, f) == -1 && feof(f), "getline at the end");
	rewind(f);
	CHECK(getdelim(&line, &n, ':', f) == 11 && !strcmp(line, "one\n\nthree:"), "getdelim");
	fclose(f);
	free(line);
	ERR(getline(NULL, &n, stdin), EINVAL);
	return 0;
}

/* "selftest stdout-probe": one line into a file or a pipe stays in the
 * buffer (fully buffered) until exit. Exits 0 if it did. */
static int stdout_probe(void)
{
	struct stat st;
	printf("buffered\n");
	if (fstat(1, &st) < 0 || st.st_size != 0)
		return 1;
	return 0;
}

static int c_stdout_buffered(void)
{
	char *const argv[] = {"selftest", "stdout-probe", NULL};
	int fd = open(p("probe.out"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
	OK(fd);
	OK(dup2(fd, 1));
	OK(close(fd));
	execve("/bin/selftest", argv, no_env);
	return fail("execve /bin/selftest: %s", strerror(errno));
}

static int t_stdout_buffered(void)
{
	int st;
	if (run_child(c_stdout_buffered, &st) < 0)
		return -1;
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "stdout into a file: a line was written before exit (child %s)", describe(st));
	return holds(p("probe.out"), "buffered\n");
}

/* Runs "sh -c 'cat <&5'" with fd 5 open on a file; returns its status. */
static int cat_fd5(int cloexec)
{
	int st, fd = open(p("cloexec"), O_RDONLY);
	if (fd < 0 || dup2(fd, 5) != 5 || close(fd) < 0 || fcntl(5, F_SETFD, cloexec) < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY); /* keep the output quiet */
		dup2(null, 1), dup2(null, 2);
		char *argv[] = {"sh", "-c", "cat <&5", NULL}, *envp[] = {NULL};
		execve("/bin/sh", argv, envp);
		_exit(127);
	}
	close(5);
	if (pid < 0 || wait_child(pid, &st) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* One raw request; the result from the reply label (or the kernel's). */
static long raw_call(long slot, unsigned long tag, unsigned long m0, unsigned long m1)
{
	struct ipc_msg m = {.tag = tag, .m = {m0, m1}};
	long r = mica_call(slot, &m);
	return r < 0 ? r : (long)(short)TAG_LABEL(m.tag);
}

/* Malformed requests get errors; the servers go on serving. */
static int t_bad_messages(void)
{
	char *buf = mica_ipcbuf();
	CHECK(buf, "no IPC buffer");
	memset(buf, 'x', IPC_MAX); /* no NUL anywhere */
	for (long slot = 0; slot < 3; slot++) {
		CHECK(raw_call(slot, MAKE_TAG(999, 0), 0, 0) < 0, "slot %ld: unknown opcode", slot);
		CHECK(raw_call(slot, MAKE_TAG(0, 0), 0, 0) < 0, "slot %ld: opcode 0", slot);
	}
	CHECK(raw_call(2, MAKE_TAG(1 /* FS_OPEN */, IPC_MAX), 0, 0) < 0, "open, unterminated path");
	CHECK(raw_call(2, MAKE_TAG(3 /* FS_READ */, 0), 12345, 10) < 0, "read of a bad fd");
	CHECK(raw_call(0, MAKE_TAG(4 /* PM_EXEC */, 0), 0, 0) < 0, "exec without a path");
	CHECK(raw_call(0, MAKE_TAG(4 /* PM_EXEC */, IPC_MAX), 0, 0) < 0, "exec, garbage payload");
	CHECK(raw_call(0, MAKE_TAG(6 /* PM_KILL */, 0), 1, 999) < 0, "kill with signal 999");
	CHECK(raw_call(1, MAKE_TAG(3 /* CON_SETMODE */, 0), 77, 0) < 0, "console mode 77");
	CHECK(raw_call(5, MAKE_TAG(1, 0), 0, 0) == -EBADF, "a slot we hold nothing in");
	CHECK(getpid() > 0 && access("/bin/sh", 0) == 0, "the servers stopped answering");
	return 0;
}

/* Forking until the process table (or the kernel's pools) run out gives
 * EAGAIN, not a crash; after the children go, fork works again. */
static int t_fork_exhaustion(void)
{
	static pid_t kids[200];
	int n = 0, fds[2], st;
	OK(pipe(fds));
	for (; n < 200; n++) {
		pid_t pid = fork();
		if (pid == 0) { /* wait until the pipe closes */
			char c;
			close(fds[1]);
			read(fds[0], &c, 1);
			_exit(0);
		}
		if (pid < 0)
			break;
		kids[n] = pid;
	}
	int err = errno;
	close(fds[0]), close(fds[1]);
	for (int i = 0; i < n; i++)
		waitpid(kids[i], &st, 0);
	CHECK(n < 200, "200 forks succeeded: no limit reached");
	CHECK(err == EAGAIN || err == ENOMEM, "fork failed with %s", strerror(err));
	pid_t pid = fork();
	if (pid == 0)
		_exit(7);
	CHECK(pid > 0 && waitpid(pid, &st, 0) == pid && WEXITSTATUS(st) == 7,
	      "fork after the children left");
	printf("selftest: fork_exhaustion: %d children before fork failed\n", n);
	return 0;
}

/* A close-on-exec descriptor does not reach the new program; others do. */
static int t_cloexec(void)
{
	int fd = open(p("cloexec"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
	OK(fd);
	IS(write(fd, "x\n", 2), 2);
	OK(close(fd));
	fd = open(p("cloexec"), O_RDONLY | O_CLOEXEC);
	OK(fd);
	IS(fcntl(fd, F_GETFD), FD_CLOEXEC);
	OK(close(fd));
	IS(cat_fd5(0), 0);
	CHECK(cat_fd5(FD_CLOEXEC) != 0, "fd 5 survived exec with FD_CLOEXEC set");
	return 0;
}

static int t_pids(void)
{
	int st;
	pid_t me = getpid(), parent = getppid();
	CHECK(me > 0, "getpid() = %d", me);
	CHECK(parent > 0 && parent != me, "getppid() = %d, getpid() = %d", parent, me);
	CHECK(getpid() == me, "getpid changes between calls");
	pid_t pid = fork();
	OK(pid);
	if (pid == 0) /* bit 7: parent is wrong; bits 0-6: our pid, to compare */
		_exit((getppid() == me ? 0 : 128) | (getpid() & 127));
	CHECK(pid != me, "fork returned the parent's own pid");
	if (wait_child(pid, &st) < 0)
		return -1;
	CHECK(WIFEXITED(st), "child %s", describe(st));
	CHECK(!(WEXITSTATUS(st) & 128), "the child's getppid() is not the parent's getpid()");
	CHECK((WEXITSTATUS(st) & 127) == (pid & 127), "the child's getpid() is not fork's result");
	return 0;
}

/* --- devices and /proc ---------------------------------------------------- */

static int t_dev_null(void)
{
	char buf[8];
	struct stat st;
	int fd = open("/dev/null", O_RDWR);
	OK(fd);
	IS(read(fd, buf, sizeof(buf)), 0);
	IS(write(fd, "hello", 5), 5);
	OK(fstat(fd, &st));
	CHECK(S_ISCHR(st.st_mode), "mode %#o is not a character device", (unsigned)st.st_mode);
	OK(close(fd));
	return 0;
}

static int t_dev_zero(void)
{
	static char buf[5000];
	memset(buf, 0xff, sizeof(buf));
	int fd = open("/dev/zero", O_RDONLY);
	OK(fd);
	IS(read(fd, buf, 100), 100);
	for (int i = 0; i < 100; i++)
		CHECK(!buf[i], "byte %d is %#x", i, (unsigned char)buf[i]);
	memset(buf, 0xff, sizeof(buf));
	ssize_t n = read(fd, buf, sizeof(buf));
	CHECK(n > 0, "a large read gives %zd", n);
	for (ssize_t i = 0; i < n; i++)
		CHECK(!buf[i], "byte %zd of a large read is %#x", i, (unsigned char)buf[i]);
	OK(close(fd));
	return 0;
}

/* The number after "\nKEY:" in s, or -1. */
static long field(const char *s, const char *key)
{
	size_t k = strlen(key);
	for (const char *l = s; l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		if (!strncmp(l, key, k) && l[k] == ':')
			return strtol(l + k + 1, NULL, 10);
	return -1;
}

static int t_proc_self(void)
{
	static char buf[2048];
	char path[64];
	if (get("/proc/self/status", buf, sizeof(buf)) < 0)
		return -1;
	long pid = field(buf, "Pid"), ppid = field(buf, "PPid");
	CHECK(pid == getpid(), "/proc/self/status: Pid %ld, want %d", pid, getpid());
	CHECK(ppid == getppid(), "/proc/self/status: PPid %ld, want %d", ppid, getppid());
	snprintf(path, sizeof(path), "/proc/%d/status", getpid());
	if (get(path, buf, sizeof(buf)) < 0)
		return -1;
	CHECK(field(buf, "Pid") == getpid(), "%s: Pid %ld", path, field(buf, "Pid"));
	return 0;
}

static int t_ebadf(void)
{
	char c;
	if (put(p("badf"), "x") < 0)
		return -1;
	int fd = open(p("badf"), O_RDONLY);
	OK(fd);
	ERR(write(fd, "x", 1), EBADF); /* opened read-only */
	OK(close(fd));
	ERR(close(fd), EBADF);
	ERR(read(fd, &c, 1), EBADF);
	ERR(close(-1), EBADF);
	ERR(close(1000), EBADF);
	ERR(dup(fd), EBADF);
	fd = open(p("badf"), O_WRONLY);
	OK(fd);
	ERR(read(fd, &c, 1), EBADF); /* opened write-only */
	OK(close(fd));
	return 0;
}

/* --- picolibc fixes (lib/fround.c, lib/strtodhex.c, lib/fmemopen.c) -------- */

/* volatile: the compiler must not fold these calls at build time. */
static volatile double neg_frac = -2097152.25;

static int t_libc_math(void)
{
	double x = neg_frac;
	char *end;
	CHECK(floor(x) == -2097153.0, "floor(-2097152.25) = %.17g", floor(x));
	CHECK(ceil(x) == -2097152.0, "ceil(-2097152.25) = %.17g", ceil(x));
	CHECK(round(x) == -2097152.0, "round(-2097152.25) = %.17g", round(x));
	CHECK(floorf((float)x) == -2097153.0f, "floorf(-2097152.25)");
	CHECK(strtod("0xAA.0z", &end) == 170.0 && *end == 'z', "strtod(\"0xAA.0\")");
	CHECK(strtod(" -0x1.8p1", NULL) == -3.0, "strtod(\"-0x1.8p1\")");
	CHECK(strtod("2.5e3", &end) == 2500.0 && !*end, "strtod(\"2.5e3\")");
	CHECK(atof("0x10") == 16.0, "atof(\"0x10\")");
	return 0;
}

static int t_fmemopen(void)
{
	char buf[8] = "abc", out[8];
	FILE *f = fmemopen(buf, 3, "r");
	CHECK(f, "fmemopen r: %s", strerror(errno));
	CHECK(fread(out, 1, sizeof(out), f) == 3, "short read");
	CHECK(feof(f) && !ferror(f), "at the end: feof %d ferror %d", !!feof(f), !!ferror(f));
	fclose(f);
	f = fmemopen(buf, sizeof(buf), "w");
	CHECK(f, "fmemopen w: %s", strerror(errno));
	CHECK(fputs("hi", f) >= 0 && !strcmp(buf, "hi"), "write gave \"%s\"", buf);
	fclose(f);
	return 0;
}

/* Not a check: what malloc(64 KiB) + free costs (instructions retired,
 * the kernel's included), the first time (the heap grows) and again. */
static int t_malloc_cost(void)
{
	unsigned long n[2];
	for (int i = 0; i < 2; i++) {
		unsigned long t0 = mica_rdinstret();
		void *p = malloc(64 * 1024);
		free(p);
		n[i] = mica_rdinstret() - t0;
		CHECK(p, "malloc(64 KiB) failed");
	}
	char *p = malloc(64 * 1024);
	CHECK(p, "malloc(64 KiB) failed");
	memset(p, 1, 64 * 1024);
	unsigned long t0 = mica_rdinstret();
	memset(p, 0, 64 * 1024);
	unsigned long m = mica_rdinstret() - t0;
	free(p);
	printf("selftest: malloc_cost: malloc(64 KiB)+free %lu instructions, then %lu; "
	       "memset(64 KiB) %lu\n",
	       n[0], n[1], m);
	return 0;
}

/* --- driver --------------------------------------------------------------- */

static void run(const char *name, int (*fn)(void))
{
	check_run("selftest", name, fn);
}

static int setup(void)
{
	if (mkdir("/tmp", 0777) < 0 && errno != EEXIST)
		return fail("mkdir /tmp: %s", strerror(errno));
	OK(mkdir(dir, 0755));
	return 0;
}

/* Removes path and everything under it (best effort). */
static void remove_tree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		struct dirent *de;
		char sub[512];
		while (d && (de = readdir(d))) {
			if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
				snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
				remove_tree(sub);
			}
		}
		if (d)
			closedir(d);
		rmdir(path);
	} else {
		unlink(path);
	}
}

/* The monotonic clock never goes backwards; realtime is a real date. */
static int t_clocks(void)
{
	struct timespec a, b, r;
	CHECK(!clock_gettime(CLOCK_MONOTONIC, &a), "clock_gettime(MONOTONIC): %s", strerror(errno));
	for (int i = 0; i < 1000; i++, a = b) {
		clock_gettime(CLOCK_MONOTONIC, &b);
		CHECK(b.tv_sec > a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec >= a.tv_nsec),
		      "monotonic went back from %lld.%09ld to %lld.%09ld", (long long)a.tv_sec,
		      a.tv_nsec, (long long)b.tv_sec, b.tv_nsec);
	}
	CHECK(!clock_gettime(CLOCK_REALTIME, &r), "clock_gettime(REALTIME): %s", strerror(errno));
	CHECK(r.tv_sec > 1700000000, "realtime %lld s is before 2023: no RTC?",
	      (long long)r.tv_sec);
	CHECK(clock_gettime((clockid_t)99, &r) == -1 && errno == EINVAL, "clock 99 not refused");
	return 0;
}

static long elapsed_us(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1000000L + (b->tv_nsec - a->tv_nsec) / 1000;
}

static int t_nanosleep(void)
{
	struct timespec a, b, d = {.tv_sec = 0, .tv_nsec = 20000000};
	clock_gettime(CLOCK_MONOTONIC, &a);
	CHECK(!nanosleep(&d, NULL), "nanosleep: %s", strerror(errno));
	clock_gettime(CLOCK_MONOTONIC, &b);
	long us = elapsed_us(&a, &b);
	CHECK(us >= 20000, "nanosleep(20 ms) slept %ld us", us);
	d.tv_nsec = 1000000000;
	CHECK(nanosleep(&d, NULL) == -1 && errno == EINVAL, "tv_nsec of 1e9 not refused");
	return 0;
}

static int t_gettimeofday(void)
{
	struct timeval tv;
	time_t before = time(NULL);
	CHECK(!gettimeofday(&tv, NULL), "gettimeofday: %s", strerror(errno));
	time_t after = time(NULL);
	CHECK(before <= tv.tv_sec && tv.tv_sec <= after, "time() %lld..%lld, gettimeofday %lld",
	      (long long)before, (long long)after, (long long)tv.tv_sec);
	CHECK(tv.tv_usec >= 0 && tv.tv_usec < 1000000, "tv_usec %ld", (long)tv.tv_usec);
	struct tm *tm = gmtime(&after);
	char buf[32];
	CHECK(tm && strftime(buf, sizeof(buf), "%Y", tm) == 4 && atoi(buf) >= 2023,
	      "gmtime/strftime year \"%s\"", tm ? buf : "(null)");
	CHECK(clock() != (clock_t)-1, "clock() failed");
	return 0;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(void);
	} checks[] = {
	    {"file", t_file},
	    {"lseek_hole", t_hole},
	    {"append", t_append},
	    {"trunc", t_trunc},
	    {"excl", t_excl},
	    {"enoent", t_enoent},
	    {"mkdir_rmdir", t_mkdir},
	    {"unlink", t_unlink},
	    {"unlink_open", t_unlink_open},
	    {"link", t_link},
	    {"symlink", t_symlink},
	    {"symlink_loop", t_symlink_loop},
	    {"rename", t_rename},
	    {"readdir", t_readdir},
	    {"chdir_getcwd", t_chdir},
	    {"dup", t_dup},
	    {"pipe", t_pipe},
	    {"pipe_fork", t_pipe_fork},
	    {"epipe", t_epipe},
	    {"sigpipe_default", t_sigpipe},
	    {"pipe_many_readers", t_pipe_many_readers},
	    {"pipe_killed_reader", t_pipe_killed_reader},
	    {"many_open_files", t_many_open_files},
	    {"fork_wait", t_fork},
	    {"wnohang", t_wnohang},
	    {"exec", t_exec},
	    {"exec_redirect", t_exec_redirect},
	    {"cloexec", t_cloexec},
	    {"bad_messages", t_bad_messages},
	    {"fork_exhaustion", t_fork_exhaustion},
	    {"pids", t_pids},
	    {"dev_null", t_dev_null},
	    {"dev_zero", t_dev_zero},
	    {"proc_self", t_proc_self},
	    {"ebadf", t_ebadf},
	    {"stdin_eof", t_stdin_eof},
	    {"fileno", t_fileno},
	    {"getline", t_getline},
	    {"stdout_buffered", t_stdout_buffered},
	    {"libc_math", t_libc_math},
	    {"fmemopen", t_fmemopen},
	    {"malloc_cost", t_malloc_cost},
	    {"clocks", t_clocks},
	    {"nanosleep", t_nanosleep},
	    {"gettimeofday", t_gettimeofday},
	};
	if (argc == 2 && !strcmp(argv[1], "stdout-probe"))
		return stdout_probe();
	snprintf(dir, sizeof(dir), "/tmp/selftest.%d", getpid());
	remove_tree(dir);
	run("setup", setup);
	for (unsigned i = 0; i < sizeof(checks) / sizeof(checks[0]); i++)
		run(checks[i].name, checks[i].fn);
	chdir("/");
	remove_tree(dir);
	printf("selftest: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
