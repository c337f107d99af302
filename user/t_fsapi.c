/* t_fsapi: in-guest checks of the file-system POSIX surface of issue 9:
 * 256 descriptors, 255-byte names, chmod/chown/utimensat/truncate/fsync,
 * FIFOs, access, fcntl and the open flags, non-blocking pipes, the *at
 * family, realpath, poll and select. Works in /tmp/t_fsapi.PID; prints
 * "t_fsapi: NAME ok" or "FAILED: why", then the counts. "t_fsapi stdin"
 * waits (poll) for a line typed at the console and echoes it. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

#include "lib/check.h"

static char dir[64];

/* dir/name in one of four rotating buffers. */
static const char *p(const char *name)
{
	static char buf[4][512];
	static int k;
	char *b = buf[k++ & 3];
	snprintf(b, sizeof(buf[0]), "%s/%s", dir, name);
	return b;
}

static int put(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	int r = write(fd, s, strlen(s)) == (ssize_t)strlen(s) ? 0 : -1;
	close(fd);
	return r;
}

static long ms_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Runs fn in a child (as uid, if not 0); its reason comes back by pipe. */
static int in_child(int (*fn)(void), uid_t uid)
{
	int fds[2], st;
	OK(pipe(fds));
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		why[0] = 0;
		int r = (uid && (setgid(uid) < 0 || setuid(uid) < 0))
		            ? fail("setuid: %s", strerror(errno))
		            : fn();
		if (r)
			write(fds[1], why, strlen(why));
		_exit(r ? 1 : 0);
	}
	close(fds[1]);
	char buf[sizeof(why)] = {0};
	read(fds[0], buf, sizeof(buf) - 1);
	close(fds[0]);
	OK(waitpid(pid, &st, 0));
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child: %s", buf[0] ? buf : "died");
	return 0;
}

/* --- limits ----------------------------------------------------------------- */

static int t_256_descriptors(void)
{
	int n = 0, last = -1, fd;
	while ((fd = open("/dev/null", O_RDONLY)) >= 0)
		last = fd, n++;
	int e = errno;
	for (int i = 3; i <= last; i++)
		close(i);
	CHECK(e == EMFILE, "open stopped with %s, want EMFILE", strerror(e));
	CHECK(last == 255 && n == 253, "opened %d, the last fd %d: want 253 and 255", n, last);
	OK(fd = open("/dev/null", O_RDONLY));
	IS(dup2(fd, 255), 255);
	ERR(dup2(fd, 256), EBADF);
	IS(fcntl(fd, F_DUPFD, 250), 250);
	ERR(fcntl(fd, F_DUPFD, 256), EINVAL);
	close(250), close(255), close(fd);
	ERR(close(255), EBADF);
	return 0;
}

static int t_255_byte_names(void)
{
	char name[257], path[600];
	memset(name, 'n', 255);
	name[255] = 0;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	OK(put(path, "long"));
	DIR *d = opendir(dir);
	struct dirent *de;
	int found = 0;
	CHECK(d, "opendir: %s", strerror(errno));
	while ((de = readdir(d)))
		found |= strcmp(de->d_name, name) == 0;
	closedir(d);
	CHECK(found, "readdir did not give the 255-byte name whole");
	OK(unlink(path));
	name[255] = 'n', name[256] = 0;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	ERR(open(path, O_WRONLY | O_CREAT, 0644), ENAMETOOLONG);
	ERR(mkdir(path, 0755), ENAMETOOLONG);
	return 0;
}

/* --- metadata --------------------------------------------------------------- */

static int t_chmod(void)
{
	struct stat st;
	int fd;
	OK(put(p("m"), "x"));
	OK(chmod(p("m"), 0600));
	OK(stat(p("m"), &st));
	CHECK((st.st_mode & 07777) == 0600 && S_ISREG(st.st_mode), "mode %o", st.st_mode);
	OK(fd = open(p("m"), O_RDONLY));
	OK(fchmod(fd, 0640));
	OK(fstat(fd, &st));
	CHECK((st.st_mode & 07777) == 0640, "fchmod: mode %o", st.st_mode);
	close(fd);
	ERR(chmod(p("nothere"), 0600), ENOENT);
	ERR(fchmod(-1, 0600), EBADF);
	ERR(fchmod(200, 0600), EBADF);
	ERR(chmod(p("m/x"), 0600), ENOTDIR);
	return 0;
}

static int t_chown(void)
{
	struct stat st;
	int fd;
	OK(put(p("o"), "x"));
	OK(symlink(p("o"), p("olink")));
	OK(chown(p("o"), 1000, 1001));
	OK(stat(p("o"), &st));
	CHECK(st.st_uid == 1000 && st.st_gid == 1001, "owner %d:%d", (int)st.st_uid,
	      (int)st.st_gid);
	OK(chown(p("o"), (uid_t)-1, 7));
	OK(stat(p("o"), &st));
	CHECK(st.st_uid == 1000 && st.st_gid == 7, "-1 changed the uid: %d:%d", (int)st.st_uid,
	      (int)st.st_gid);
	OK(lchown(p("olink"), 5, 5));
	OK(lstat(p("olink"), &st));
	CHECK(st.st_uid == 5, "lchown did not change the link");
	OK(stat(p("olink"), &st));
	CHECK(st.st_uid == 1000, "lchown changed the target");
	OK(fd = open(p("o"), O_RDONLY));
	OK(fchown(fd, 0, 0));
	OK(fstat(fd, &st));
	CHECK(st.st_uid == 0 && st.st_gid == 0, "fchown");
	close(fd);
	ERR(chown(p("nothere"), 0, 0), ENOENT);
	ERR(fchown(99, 0, 0), EBADF);
	return 0;
}

/* As uid 1000: root's files are not ours to change. */
static int as_user(void)
{
	struct stat st;
	ERR(chmod(p("rootfile"), 0777), EPERM);
	ERR(chown(p("rootfile"), 1000, 1000), EPERM);
	ERR(access(p("rootfile"), W_OK), EACCES);
	OK(access(p("rootfile"), R_OK));
	ERR(access(p("secret"), R_OK), EACCES);
	ERR(open(p("secret"), O_RDONLY), EACCES);
	ERR(open(p("rootfile"), O_WRONLY), EACCES);
	ERR(utimensat(AT_FDCWD, p("rootfile"), NULL, 0), EACCES);
	OK(put(p("mine"), "x")); /* in the 0777 directory: ours */
	OK(stat(p("mine"), &st));
	CHECK(st.st_uid == 1000, "a new file's owner is %d, want 1000", (int)st.st_uid);
	OK(chmod(p("mine"), 0600));
	ERR(chown(p("mine"), 0, (gid_t)-1), EPERM);
	OK(chown(p("mine"), (uid_t)-1, 1000));
	/* a directory's entries change only with write permission on it */
	ERR(open(p("closed/new"), O_WRONLY | O_CREAT, 0644), EACCES);
	ERR(unlink(p("closed/f")), EACCES);
	ERR(mkdir(p("closed/d"), 0755), EACCES);
	ERR(rename(p("closed/f"), p("stolen")), EACCES);
	ERR(link(p("closed/f"), p("closed/g")), EACCES);
	ERR(symlink("x", p("closed/s")), EACCES);
	/* and in a sticky one (as /tmp) only the owner removes an entry */
	OK(put(p("sticky/mine"), "x"));
	ERR(unlink(p("sticky/roots")), EPERM);
	ERR(rename(p("sticky/roots"), p("sticky/taken")), EPERM);
	OK(unlink(p("sticky/mine")));
	return 0;
}

static int t_permissions(void)
{
	OK(put(p("rootfile"), "x"));
	OK(chmod(p("rootfile"), 0644));
	OK(put(p("secret"), "x"));
	OK(chmod(p("secret"), 0600));
	OK(chmod(dir, 0777));
	OK(access(p("rootfile"), F_OK));
	OK(access(p("rootfile"), R_OK | W_OK));
	ERR(access(p("rootfile"), X_OK), EACCES); /* no x bit: not even root */
	OK(chmod(p("secret"), 0400));
	OK(access(p("secret"), W_OK)); /* root writes anyway */
	OK(chmod(p("secret"), 0700));
	OK(access(p("secret"), X_OK));
	OK(chmod(p("secret"), 0600));
	ERR(access(p("nothere"), F_OK), ENOENT);
	ERR(access(p("rootfile"), 0100), EINVAL);
	OK(mkdir(p("closed"), 0755));
	OK(put(p("closed/f"), "x"));
	OK(mkdir(p("sticky"), 0777));
	OK(chmod(p("sticky"), 01777));
	OK(put(p("sticky/roots"), "x"));
	return in_child(as_user, 1000);
}

static int t_utimes(void)
{
	struct stat st;
	struct timespec ts[2] = {{1000, 0}, {2000, 5}};
	OK(put(p("t"), "x"));
	OK(utimensat(AT_FDCWD, p("t"), ts, 0));
	OK(stat(p("t"), &st));
	CHECK(st.st_atime == 1000 && st.st_mtime == 2000, "times %ld %ld", (long)st.st_atime,
	      (long)st.st_mtime);
	ts[0].tv_nsec = UTIME_OMIT;
	ts[1].tv_nsec = UTIME_NOW;
	OK(utimensat(AT_FDCWD, p("t"), ts, 0));
	OK(stat(p("t"), &st));
	CHECK(st.st_atime == 1000 && labs((long)(st.st_mtime - time(NULL))) < 5,
	      "OMIT/NOW: %ld %ld", (long)st.st_atime, (long)st.st_mtime);
	struct utimbuf ub = {3000, 4000};
	OK(utime(p("t"), &ub));
	OK(stat(p("t"), &st));
	CHECK(st.st_atime == 3000 && st.st_mtime == 4000, "utime");
	struct timeval tv[2] = {{5000, 0}, {6000, 0}};
	OK(utimes(p("t"), tv));
	OK(stat(p("t"), &st));
	CHECK(st.st_atime == 5000 && st.st_mtime == 6000, "utimes");
	int fd = open(p("t"), O_RDONLY);
	struct timespec ts2[2] = {{7000, 0}, {8000, 0}};
	OK(futimens(fd, ts2));
	OK(fstat(fd, &st));
	CHECK(st.st_atime == 7000 && st.st_mtime == 8000, "futimens");
	close(fd);
	OK(utime(p("t"), NULL));
	OK(stat(p("t"), &st));
	CHECK(labs((long)(st.st_mtime - time(NULL))) < 5, "utime(NULL)");
	ts[0].tv_nsec = 1000000000;
	ERR(utimensat(AT_FDCWD, p("t"), ts, 0), EINVAL);
	ERR(utime(p("nothere"), NULL), ENOENT);
	return 0;
}

static int t_truncate(void)
{
	char buf[16];
	struct stat st;
	int fd;
	OK(put(p("tr"), "hello world"));
	OK(truncate(p("tr"), 5));
	OK(stat(p("tr"), &st));
	CHECK(st.st_size == 5, "size %ld after truncate", (long)st.st_size);
	OK(fd = open(p("tr"), O_RDWR));
	OK(ftruncate(fd, 10));
	OK(fstat(fd, &st));
	CHECK(st.st_size == 10, "size %ld after growing", (long)st.st_size);
	IS(read(fd, buf, sizeof(buf)), 10);
	CHECK(!memcmp(buf, "hello\0\0\0\0\0", 10), "grown bytes are not zeros");
	close(fd);
	OK(fd = open(p("tr"), O_RDONLY));
	ERR(ftruncate(fd, 0), EINVAL);
	close(fd);
	ERR(ftruncate(77, 0), EBADF);
	ERR(truncate(dir, 0), EISDIR);
	ERR(truncate(p("nothere"), 0), ENOENT);
	ERR(truncate(p("tr"), -1), EINVAL);
	return 0;
}

static int t_fsync(void)
{
	int fd, fds[2];
	OK(fd = open(p("sync"), O_WRONLY | O_CREAT, 0644));
	OK(fsync(fd));
	OK(fdatasync(fd));
	close(fd);
	OK(pipe(fds));
	ERR(fsync(fds[1]), EINVAL);
	close(fds[0]), close(fds[1]);
	ERR(fsync(fd), EBADF);
	return 0;
}

static int t_fifo_basics(void)
{
	struct stat st;
	int r, w;
	OK(mkfifo(p("fifo"), 0644));
	OK(stat(p("fifo"), &st));
	CHECK(S_ISFIFO(st.st_mode) && (st.st_mode & 0777) == 0644, "mode %o", st.st_mode);
	ERR(mkfifo(p("fifo"), 0644), EEXIST);
	ERR(mkfifo(p("nodir/fifo"), 0644), ENOENT);
	ERR(open(p("fifo"), O_WRONLY | O_NONBLOCK), ENXIO); /* no reader yet */
	OK(r = open(p("fifo"), O_RDONLY | O_NONBLOCK));     /* at once */
	OK(w = open(p("fifo"), O_WRONLY | O_NONBLOCK));
	IS(write(w, "abc", 3), 3);
	char buf[8];
	IS(read(r, buf, sizeof(buf)), 3);
	ERR(read(r, buf, sizeof(buf)), EAGAIN);
	ERR(lseek(r, 0, SEEK_SET), ESPIPE);
	close(w);
	IS(read(r, buf, sizeof(buf)), 0); /* the writer is gone: end of file */
	close(r);
	OK(mknod(p("fifo2"), S_IFIFO | 0600, 0));
	OK(stat(p("fifo2"), &st));
	CHECK(S_ISFIFO(st.st_mode), "mknod made no FIFO");
	return 0;
}

static int fifo_writer(void)
{
	int w = open(p("fifo"), O_WRONLY); /* waits for the reader */
	CHECK(w >= 0, "writer open: %s", strerror(errno));
	usleep(50000);
	IS(write(w, "through the fifo", 16), 16);
	close(w);
	return 0;
}

/* A reader and a writer process meet through the FIFO; each open waits
 * for the other. */
static int t_fifo_two_processes(void)
{
	char buf[32] = {0};
	int st, r;
	pid_t pid = fork();
	if (pid == 0)
		_exit(fifo_writer() ? 1 : 0);
	usleep(20000);
	OK(r = open(p("fifo"), O_RDONLY));
	IS(read(r, buf, sizeof(buf)), 16);
	CHECK(!strcmp(buf, "through the fifo"), "read %s", buf);
	IS(read(r, buf, sizeof(buf)), 0);
	close(r);
	OK(waitpid(pid, &st, 0));
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the writer failed");
	/* the other order: the reader waits for a writer */
	pid = fork();
	if (pid == 0) {
		int fd = open(p("fifo"), O_RDONLY);
		char b[8] = {0};
		_exit(fd >= 0 && read(fd, b, sizeof(b)) == 2 && !strcmp(b, "hi") ? 0 : 1);
	}
	usleep(50000);
	int w;
	OK(w = open(p("fifo"), O_WRONLY));
	IS(write(w, "hi", 2), 2);
	close(w);
	OK(waitpid(pid, &st, 0));
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the waiting reader got nothing");
	return 0;
}

/* --- open flags and fcntl ------------------------------------------------- */

static int t_open_flags(void)
{
	int fd;
	char buf[8];
	OK(put(p("of"), "abcdef"));
	ERR(open(p("of"), O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST);
	OK(fd = open(p("of"), O_WRONLY | O_TRUNC));
	close(fd);
	struct stat st;
	OK(stat(p("of"), &st));
	CHECK(st.st_size == 0, "O_TRUNC left %ld bytes", (long)st.st_size);
	ERR(open(p("of"), O_RDONLY | O_DIRECTORY), ENOTDIR);
	OK(fd = open(dir, O_RDONLY | O_DIRECTORY));
	close(fd);
	OK(symlink(p("of"), p("oflink")));
	ERR(open(p("oflink"), O_RDONLY | O_NOFOLLOW), ELOOP);
	OK(fd = open(p("of"), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
	IS(fcntl(fd, F_GETFD), FD_CLOEXEC);
	close(fd);
	ERR(open(p("oflink"), O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST);
	ERR(open(p("nothere"), O_RDONLY), ENOENT);
	ERR(open(p("of/x"), O_RDONLY), ENOTDIR);
	ERR(open(dir, O_WRONLY), EISDIR);
	/* O_APPEND: every write at the end, whatever the offset */
	OK(put(p("ap"), "12345"));
	OK(fd = open(p("ap"), O_RDWR | O_APPEND));
	OK(lseek(fd, 0, SEEK_SET));
	IS(write(fd, "67", 2), 2);
	IS(lseek(fd, 0, SEEK_CUR), 7);
	OK(lseek(fd, 0, SEEK_SET));
	IS(read(fd, buf, sizeof(buf)), 7);
	CHECK(!memcmp(buf, "1234567", 7), "O_APPEND wrote over the start");
	close(fd);
	return 0;
}

static int t_fcntl(void)
{
	int fd, d;
	OK(put(p("fc"), "x"));
	OK(fd = open(p("fc"), O_RDWR | O_APPEND));
	int fl = fcntl(fd, F_GETFL);
	CHECK((fl & O_ACCMODE) == O_RDWR && (fl & O_APPEND) && !(fl & O_NONBLOCK), "F_GETFL %#x",
	      fl);
	OK(fcntl(fd, F_SETFL, O_NONBLOCK));
	fl = fcntl(fd, F_GETFL);
	CHECK((fl & O_NONBLOCK) && !(fl & O_APPEND) && (fl & O_ACCMODE) == O_RDWR,
	      "F_SETFL O_NONBLOCK: %#x", fl);
	OK(fcntl(fd, F_SETFL, O_RDONLY | O_APPEND)); /* the access mode stays */
	fl = fcntl(fd, F_GETFL);
	CHECK((fl & O_ACCMODE) == O_RDWR && (fl & O_APPEND), "F_SETFL changed the mode: %#x", fl);
	IS(fcntl(fd, F_GETFD), 0);
	OK(fcntl(fd, F_SETFD, FD_CLOEXEC));
	IS(fcntl(fd, F_GETFD), FD_CLOEXEC);
	OK(d = fcntl(fd, F_DUPFD_CLOEXEC, 20));
	CHECK(d >= 20, "F_DUPFD_CLOEXEC gave %d", d);
	IS(fcntl(d, F_GETFD), FD_CLOEXEC);
	IS(fcntl(d, F_GETFL) & O_APPEND, O_APPEND); /* the same open file */
	close(d);
	OK(d = fcntl(fd, F_DUPFD, 20));
	IS(fcntl(d, F_GETFD), 0);
	close(d), close(fd);
	ERR(fcntl(fd, F_GETFL), EBADF);
	ERR(fcntl(fd, F_SETFL, 0), EBADF);
	ERR(fcntl(-1, F_GETFD), EBADF);
	OK(fd = open(p("fc"), O_WRONLY));
	IS(fcntl(fd, F_GETFL) & O_ACCMODE, O_WRONLY);
	close(fd);
	return 0;
}

static int t_nonblocking_pipe(void)
{
	int fds[2];
	char buf[1024];
	long total = 0, r;
	OK(pipe(fds));
	OK(fcntl(fds[0], F_SETFL, O_NONBLOCK));
	ERR(read(fds[0], buf, sizeof(buf)), EAGAIN);
	OK(fcntl(fds[1], F_SETFL, O_NONBLOCK));
	memset(buf, 'x', sizeof(buf));
	while ((r = write(fds[1], buf, 100)) > 0)
		total += r;
	CHECK(r == -1 && errno == EAGAIN, "a full pipe's write: %ld (%s)", r, strerror(errno));
	CHECK(total >= 512, "only %ld bytes went in", total);
	ERR(write(fds[1], buf, 512), EAGAIN);
	IS(read(fds[0], buf, 200), 200);
	r = write(fds[1], buf, sizeof(buf)); /* 200 free: a short count */
	CHECK(r > 0 && r < (long)sizeof(buf), "partial write gave %ld", r);
	close(fds[1]);
	while ((r = read(fds[0], buf, sizeof(buf))) > 0)
		;
	IS(r, 0); /* the writer is gone: end of file, not EAGAIN */
	close(fds[0]);
	return 0;
}

/* --- the *at family ------------------------------------------------------- */

static int t_at_family(void)
{
	int dfd, fd;
	struct stat st;
	char buf[64];
	OK(mkdir(p("at"), 0755));
	OK(dfd = open(p("at"), O_RDONLY | O_DIRECTORY));
	OK(fd = openat(dfd, "f", O_WRONLY | O_CREAT, 0644));
	IS(write(fd, "data", 4), 4);
	close(fd);
	OK(stat(p("at/f"), &st));
	OK(fstatat(dfd, "f", &st, 0));
	CHECK(st.st_size == 4, "fstatat size %ld", (long)st.st_size);
	OK(symlinkat("f", dfd, "l"));
	OK(fstatat(dfd, "l", &st, AT_SYMLINK_NOFOLLOW));
	CHECK(S_ISLNK(st.st_mode), "AT_SYMLINK_NOFOLLOW followed the link");
	OK(fstatat(dfd, "l", &st, 0));
	CHECK(S_ISREG(st.st_mode), "fstatat did not follow the link");
	IS(readlinkat(dfd, "l", buf, sizeof(buf)), 1);
	OK(faccessat(dfd, "f", R_OK | W_OK, 0));
	ERR(faccessat(dfd, "nothere", F_OK, 0), ENOENT);
	OK(mkdirat(dfd, "sub", 0755));
	OK(fchmodat(dfd, "f", 0600, 0));
	OK(fchownat(dfd, "f", 3, 3, 0));
	OK(fstatat(dfd, "f", &st, 0));
	CHECK((st.st_mode & 0777) == 0600 && st.st_uid == 3, "fchmodat/fchownat");
	struct timespec ts[2] = {{10, 0}, {20, 0}};
	OK(utimensat(dfd, "f", ts, 0));
	OK(stat(p("at/f"), &st));
	CHECK(st.st_mtime == 20, "utimensat from a dirfd");
	OK(renameat(dfd, "f", dfd, "g"));
	ERR(stat(p("at/f"), &st), ENOENT);
	OK(linkat(dfd, "g", AT_FDCWD, p("at/sub/h"), 0));
	OK(stat(p("at/g"), &st));
	CHECK(st.st_nlink == 2, "linkat: nlink %d", (int)st.st_nlink);
	ERR(unlinkat(dfd, "sub", 0), EISDIR);
	OK(unlinkat(dfd, "sub/h", 0));
	OK(unlinkat(dfd, "sub", AT_REMOVEDIR));
	ERR(unlinkat(dfd, "g", AT_REMOVEDIR), ENOTDIR);
	OK(unlinkat(dfd, "g", 0));
	OK(fd = openat(dfd, "x", O_RDWR | O_CREAT, 0644));
	ERR(openat(fd, "y", O_RDONLY), ENOTDIR); /* a file is no base */
	ERR(openat(123, "y", O_RDONLY), EBADF);
	ERR(openat(-5, "y", O_RDONLY), EBADF);
	int abs_fd = openat(123, p("at/x"), O_RDONLY); /* absolute: the base is ignored */
	CHECK(abs_fd >= 0, "openat with an absolute path: %s", strerror(errno));
	close(abs_fd);
	ERR(fchdir(fd), ENOTDIR);
	close(fd);
	/* fdopendir lists the directory on the fd; fchdir moves there */
	int dfd2 = dup(dfd);
	DIR *d = fdopendir(dfd2);
	CHECK(d, "fdopendir: %s", strerror(errno));
	int n = 0;
	struct dirent *de;
	while ((de = readdir(d)))
		n += !strcmp(de->d_name, "x") || !strcmp(de->d_name, "l");
	closedir(d);
	CHECK(n == 2, "fdopendir saw %d of 2 entries", n);
	OK(fchdir(dfd));
	CHECK(getcwd(buf, sizeof(buf)) && !strcmp(buf, p("at")), "fchdir: cwd %s", buf);
	OK(fd = openat(AT_FDCWD, "x", O_RDONLY));
	close(fd);
	OK(chdir("/"));
	ERR(fchdir(99), EBADF);
	errno = 0;
	CHECK(!fdopendir(99) && errno == EBADF, "fdopendir(99): %s", strerror(errno));
	close(dfd);
	return 0;
}

static int t_realpath(void)
{
	char out[PATH_MAX], want[PATH_MAX];
	OK(mkdir(p("rp"), 0755));
	OK(mkdir(p("rp/a"), 0755));
	OK(put(p("rp/a/file"), "x"));
	OK(symlink("a", p("rp/la")));
	OK(symlink(p("rp/a/file"), p("rp/lf")));
	snprintf(want, sizeof(want), "%s/rp/a/file", dir);
	CHECK(realpath(p("rp/./la/../a//file"), out), "realpath: %s", strerror(errno));
	CHECK(!strcmp(out, want), "got %s", out);
	CHECK(realpath(p("rp/lf"), out) && !strcmp(out, want), "through a symlink: %s", out);
	OK(chdir(p("rp/la")));
	char *m = realpath("file", NULL);
	CHECK(m && !strcmp(m, want), "relative: %s", m ? m : strerror(errno));
	free(m);
	CHECK(realpath("..", out) && !strcmp(out, p("rp")), "..: %s", out);
	OK(chdir("/"));
	CHECK(realpath("/", out) && !strcmp(out, "/"), "/: %s", out);
	errno = 0;
	CHECK(!realpath(p("rp/nothere"), out) && errno == ENOENT, "missing: %s", strerror(errno));
	errno = 0;
	CHECK(!realpath(p("rp/a/file/x"), out) && errno == ENOTDIR, "file/x: %s", strerror(errno));
	OK(symlink("loop", p("rp/loop")));
	errno = 0;
	CHECK(!realpath(p("rp/loop"), out) && errno == ELOOP, "loop: %s", strerror(errno));
	return 0;
}

/* --- poll and select ------------------------------------------------------ */

static int t_poll_basics(void)
{
	int fds[2], f, nul;
	OK(pipe(fds));
	OK(f = open(p("pf"), O_RDWR | O_CREAT, 0644));
	OK(nul = open("/dev/null", O_RDWR));
	struct pollfd q[6] = {{fds[0], POLLIN, 0}, {fds[1], POLLOUT, 0}, {f, POLLIN | POLLOUT, 0},
	                      {nul, POLLIN, 0},    {-1, POLLIN, 0},      {77, POLLIN, 0}};
	IS(poll(q, 6, 0), 4);
	CHECK(q[0].revents == 0, "empty pipe: %#x", q[0].revents);
	CHECK(q[1].revents == POLLOUT, "write end: %#x", q[1].revents);
	CHECK(q[2].revents == (POLLIN | POLLOUT), "file: %#x", q[2].revents);
	CHECK(q[3].revents == POLLIN, "/dev/null: %#x", q[3].revents);
	CHECK(q[4].revents == 0, "fd -1: %#x", q[4].revents);
	CHECK(q[5].revents == POLLNVAL, "bad fd: %#x", q[5].revents);
	IS(write(fds[1], "x", 1), 1);
	IS(poll(q, 1, 0), 1);
	CHECK(q[0].revents == POLLIN, "pipe with a byte: %#x", q[0].revents);
	close(fds[1]);
	char c;
	IS(read(fds[0], &c, 1), 1);
	IS(poll(q, 1, 0), 1);
	CHECK(q[0].revents & POLLHUP, "no writer: %#x", q[0].revents);
	close(fds[0]);
	OK(pipe(fds));
	close(fds[0]);
	q[1].fd = fds[1];
	IS(poll(&q[1], 1, 0), 1);
	CHECK(q[1].revents & POLLERR, "no reader: %#x", q[1].revents);
	close(fds[1]), close(f), close(nul);
	struct pollfd out = {1, POLLOUT, 0};
	IS(poll(&out, 1, 0), 1); /* the console takes output */
	return 0;
}

static int t_poll_timeouts(void)
{
	int fds[2];
	OK(pipe(fds));
	struct pollfd q = {fds[0], POLLIN, 0};
	long t0 = ms_now();
	IS(poll(&q, 1, 0), 0);
	IS(poll(&q, 1, 150), 0);
	long dt = ms_now() - t0;
	CHECK(dt >= 140 && dt < 1000, "poll(150 ms) took %ld ms", dt);
	IS(poll(NULL, 0, 50), 0); /* a plain sleep */
	/* a child writes after 100 ms; poll(-1) wakes for it */
	pid_t pid = fork();
	if (pid == 0) {
		usleep(100000);
		write(fds[1], "w", 1);
		_exit(0);
	}
	t0 = ms_now();
	IS(poll(&q, 1, -1), 1);
	dt = ms_now() - t0;
	CHECK(q.revents == POLLIN, "revents %#x", q.revents);
	CHECK(dt >= 50 && dt < 2000, "woke after %ld ms", dt);
	pid = fork();
	if (pid == 0) {
		usleep(50000);
		write(fds[1], "v", 1);
		_exit(0);
	}
	char b[4];
	IS(read(fds[0], b, 1), 1);
	IS(poll(&q, 1, 5000), 1); /* wakes long before its time is up */
	while (wait(NULL) > 0)
		;
	close(fds[0]), close(fds[1]);
	return 0;
}

static int t_select(void)
{
	int a[2], b[2], hi;
	fd_set rd, wr;
	OK(pipe(a));
	OK(pipe(b));
	IS(write(a[1], "x", 1), 1);
	OK(hi = dup2(b[0], 200)); /* beyond picolibc's old FD_SETSIZE of 64 */
	CHECK(FD_SETSIZE >= 256, "FD_SETSIZE %d", FD_SETSIZE);
	FD_ZERO(&rd);
	FD_ZERO(&wr);
	FD_SET(a[0], &rd), FD_SET(hi, &rd), FD_SET(b[1], &wr);
	struct timeval tv = {0, 0};
	IS(select(hi + 1, &rd, &wr, NULL, &tv), 2);
	CHECK(FD_ISSET(a[0], &rd) && !FD_ISSET(hi, &rd) && FD_ISSET(b[1], &wr),
	      "select left the wrong bits");
	FD_ZERO(&rd);
	FD_SET(hi, &rd);
	tv = (struct timeval){0, 100000};
	long t0 = ms_now();
	IS(select(hi + 1, &rd, NULL, NULL, &tv), 0);
	long dt = ms_now() - t0;
	CHECK(dt >= 90 && dt < 1000, "select(100 ms) took %ld ms", dt);
	CHECK(!FD_ISSET(hi, &rd), "a timed-out set keeps its bits");
	IS(write(b[1], "y", 1), 1);
	FD_SET(hi, &rd);
	IS(select(hi + 1, &rd, NULL, NULL, NULL), 1);
	CHECK(FD_ISSET(hi, &rd), "fd 200 not ready");
	FD_ZERO(&rd);
	FD_SET(150, &rd);
	tv = (struct timeval){0, 0};
	ERR(select(151, &rd, NULL, NULL, &tv), EBADF);
	ERR(select(-1, NULL, NULL, NULL, &tv), EINVAL);
	close(a[0]), close(a[1]), close(b[0]), close(b[1]), close(hi);
	return 0;
}

/* --- the runner ----------------------------------------------------------- */

static void remove_tree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		struct dirent *de;
		char sub[600];
		while (d && (de = readdir(d)))
			if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
				snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
				remove_tree(sub);
			}
		if (d)
			closedir(d);
		rmdir(path);
	} else {
		unlink(path);
	}
}

static void run(const char *name, int (*fn)(void))
{
	check_run("t_fsapi", name, fn);
}

/* Waits up to 10 s for a line at the console, then echoes it. */
static int stdin_line(void)
{
	struct pollfd q = {0, POLLIN, 0};
	char buf[128];
	if (poll(&q, 1, 0) != 0)
		printf("stdin: readable before anything was typed\n");
	printf("stdin: waiting\n");
	fflush(stdout);
	int r = poll(&q, 1, 10000);
	ssize_t n = r == 1 ? read(0, buf, sizeof(buf) - 1) : -1;
	buf[n > 0 ? n : 0] = 0;
	printf("stdin: poll %d revents %#x line %s", r, q.revents, n > 0 ? buf : "(none)\n");
	return r == 1 && n > 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(void);
	} checks[] = {
	    {"256_descriptors", t_256_descriptors},
	    {"255_byte_names", t_255_byte_names},
	    {"chmod", t_chmod},
	    {"chown", t_chown},
	    {"permissions_and_access", t_permissions},
	    {"utimes", t_utimes},
	    {"truncate", t_truncate},
	    {"fsync", t_fsync},
	    {"fifo_basics", t_fifo_basics},
	    {"fifo_two_processes", t_fifo_two_processes},
	    {"open_flags", t_open_flags},
	    {"fcntl", t_fcntl},
	    {"nonblocking_pipe", t_nonblocking_pipe},
	    {"at_family", t_at_family},
	    {"realpath", t_realpath},
	    {"poll_basics", t_poll_basics},
	    {"poll_timeouts", t_poll_timeouts},
	    {"select", t_select},
	};
	if (argc == 2 && !strcmp(argv[1], "stdin"))
		return stdin_line();
	mkdir("/tmp", 0777);
	snprintf(dir, sizeof(dir), "/tmp/t_fsapi.%d", getpid());
	remove_tree(dir);
	if (mkdir(dir, 0755) < 0) {
		printf("t_fsapi: mkdir %s: %s\n", dir, strerror(errno));
		return 1;
	}
	for (unsigned i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		run(checks[i].name, checks[i].fn);
		chdir("/");
	}
	remove_tree(dir);
	printf("t_fsapi: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
