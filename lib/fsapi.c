/* The file-system calls beyond the basic ones in lib/posix.c: the *at
 * family (a directory descriptor as the base of a relative path),
 * metadata (chmod, chown, utimensat, truncate, access, mkfifo), fcntl,
 * fsync and realpath. Each is one fs request (lib/mica/proto/fs.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>
#include <utime.h>

#include "mica/posix.h"
#include "mica/proto/fs.h"
#include "mica/runtime.h"
#include "mica/syscall.h"

/* picolibc's O_* and fs's FS_O_* (Linux's), side by side. */
static const struct {
	int posix, fs;
} oflags[] = {
    {O_CREAT, FS_O_CREAT},       {O_EXCL, FS_O_EXCL},         {O_TRUNC, FS_O_TRUNC},
    {O_APPEND, FS_O_APPEND},     {O_NONBLOCK, FS_O_NONBLOCK}, {O_DIRECTORY, FS_O_DIRECTORY},
    {O_NOFOLLOW, FS_O_NOFOLLOW}, {O_CLOEXEC, FS_O_CLOEXEC},
};

int mica_fs_oflags(int flags)
{
	int r = flags & O_ACCMODE; /* 0, 1, 2 in both */
	for (size_t i = 0; i < sizeof(oflags) / sizeof(oflags[0]); i++)
		if (flags & oflags[i].posix)
			r |= oflags[i].fs;
	return r;
}

int mica_posix_oflags(int fsflags)
{
	int r = fsflags & FS_O_ACCMODE;
	for (size_t i = 0; i < sizeof(oflags) / sizeof(oflags[0]); i++)
		if (fsflags & oflags[i].fs)
			r |= oflags[i].posix;
	return r;
}

/* The m3 (or m2) base of a path: 0 the cwd, fd + 1 a directory; an fd
 * that cannot be one is sent as one that is never open. */
static unsigned long base(int dirfd)
{
	if (dirfd == AT_FDCWD)
		return 0;
	return dirfd < 0 ? (unsigned long)FS_MAX_FDS + 1 : (unsigned long)dirfd + 1;
}

/* A request naming path (and path2, if given) with m0..m3. */
static long at_call(unsigned op, const char *path, const char *path2, unsigned long m0,
                    unsigned long m1, unsigned long m2, unsigned long m3)
{
	char *ipc = mica_ipcbuf();
	size_t a = strlen(path) + 1, b = path2 ? strlen(path2) + 1 : 0;
	const unsigned long m[4] = {m0, m1, m2, m3};
	if (!ipc)
		return -ENOMEM;
	if (a + b > IPC_MAX)
		return -36; /* ENAMETOOLONG, as fs numbers it */
	memcpy(ipc, path, a);
	if (path2)
		memcpy(ipc + a, path2, b);
	return mica_fs_call(op, m, a + b, NULL);
}

static mode_t current_umask(void)
{
	return mica_umask_get();
}

int openat(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	va_start(ap, flags);
	unsigned mode = (flags & O_CREAT) ? va_arg(ap, unsigned) : 0;
	va_end(ap);
	return (int)mica_fail(at_call(FS_OPEN, path, NULL, (unsigned long)mica_fs_oflags(flags),
	                              mode & ~current_umask(), 0, base(dirfd)));
}

int fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	if (!path[0] && (flags & AT_EMPTY_PATH))
		return dirfd == AT_FDCWD ? stat(".", st) : fstat(dirfd, st);
	long r =
	    at_call(FS_STAT, path, NULL, (flags & AT_SYMLINK_NOFOLLOW) ? 1 : 0, 0, 0, base(dirfd));
	if (r == 0)
		mica_to_stat(mica_ipcbuf(), st);
	return (int)mica_fail(r);
}

int faccessat(int dirfd, const char *path, int mode, int flags)
{
	if (mode & ~(R_OK | W_OK | X_OK))
		return (int)mica_fail(-22);
	int m = (mode & R_OK ? 4 : 0) | (mode & W_OK ? 2 : 0) | (mode & X_OK ? 1 : 0);
	return (int)mica_fail(at_call(FS_ACCESS, path, NULL, (unsigned long)m, 0,
	                              (flags & AT_SYMLINK_NOFOLLOW) ? FS_AT_NOFOLLOW : 0,
	                              base(dirfd)));
}

int access(const char *path, int mode)
{
	return faccessat(AT_FDCWD, path, mode, 0);
}

int unlinkat(int dirfd, const char *path, int flags)
{
	unsigned op = (flags & AT_REMOVEDIR) ? FS_RMDIR : FS_UNLINK;
	return (int)mica_fail(at_call(op, path, NULL, 0, 0, 0, base(dirfd)));
}

int mkdirat(int dirfd, const char *path, mode_t mode)
{
	return (int)mica_fail(
	    at_call(FS_MKDIR, path, NULL, mode & ~current_umask() & 07777, 0, 0, base(dirfd)));
}

int renameat(int olddirfd, const char *old, int newdirfd, const char *new)
{
	return (int)mica_fail(at_call(FS_RENAME, old, new, 0, 0, base(olddirfd), base(newdirfd)));
}

int linkat(int olddirfd, const char *old, int newdirfd, const char *new, int flags)
{
	return (int)mica_fail(at_call(FS_LINK, old, new, (flags & AT_SYMLINK_FOLLOW) ? 1 : 0, 0,
	                              base(olddirfd), base(newdirfd)));
}

int symlinkat(const char *target, int dirfd, const char *linkpath)
{
	return (int)mica_fail(at_call(FS_SYMLINK, target, linkpath, 0, 0, 0, base(dirfd)));
}

ssize_t readlinkat(int dirfd, const char *path, char *buf, size_t n)
{
	long r = at_call(FS_READLINK, path, NULL, 0, 0, 0, base(dirfd));
	if (r > 0) {
		r = (size_t)r < n ? r : (long)n;
		memcpy(buf, mica_ipcbuf(), (size_t)r);
	}
	return mica_fail(r);
}

int fchdir(int fd)
{
	return (int)mica_fail(at_call(FS_CHDIR, "", NULL, 0, 0, 0, base(fd < 0 ? -1 : fd)));
}

/* --- metadata ------------------------------------------------------------- */

/* An operation on path from dirfd, or with path "" on the file fd holds. */
static int meta(unsigned op, int dirfd, const char *path, unsigned long m0, unsigned long m1,
                int flags)
{
	return (int)mica_fail(at_call(op, path, NULL, m0, m1,
	                              (flags & AT_SYMLINK_NOFOLLOW) ? FS_AT_NOFOLLOW : 0,
	                              base(dirfd)));
}

/* fd as the base of an empty path (never AT_FDCWD's meaning). */
static int fd_base(int fd)
{
	return fd < 0 ? -1000 : fd;
}

int fchmodat(int dirfd, const char *path, mode_t mode, int flags)
{
	return meta(FS_CHMOD, dirfd, path, mode & 07777, 0, flags);
}

int chmod(const char *path, mode_t mode)
{
	return fchmodat(AT_FDCWD, path, mode, 0);
}

int fchmod(int fd, mode_t mode)
{
	return meta(FS_CHMOD, fd_base(fd), "", mode & 07777, 0, 0);
}

/* An id for FS_CHOWN: picolibc's ids are 16 bits, so (uid_t)-1 is 65535. */
static unsigned long chown_id(unsigned id, unsigned none)
{
	return id == none ? UINT32_MAX : id;
}

int fchownat(int dirfd, const char *path, uid_t uid, gid_t gid, int flags)
{
	return meta(FS_CHOWN, dirfd, path, chown_id(uid, (uid_t)-1), chown_id(gid, (gid_t)-1),
	            flags);
}

int chown(const char *path, uid_t uid, gid_t gid)
{
	return fchownat(AT_FDCWD, path, uid, gid, 0);
}

int lchown(const char *path, uid_t uid, gid_t gid)
{
	return fchownat(AT_FDCWD, path, uid, gid, AT_SYMLINK_NOFOLLOW);
}

int fchown(int fd, uid_t uid, gid_t gid)
{
	return meta(FS_CHOWN, fd_base(fd), "", chown_id(uid, (uid_t)-1), chown_id(gid, (gid_t)-1),
	            0);
}

/* One timespec as FS_UTIMENS takes it; -1 if its nanoseconds are bad. */
static long utime_arg(const struct timespec *t, unsigned long *m)
{
	if (!t || t->tv_nsec == UTIME_NOW)
		*m = FS_UTIME_NOW;
	else if (t->tv_nsec == UTIME_OMIT)
		*m = FS_UTIME_OMIT;
	else if (t->tv_nsec < 0 || t->tv_nsec >= 1000000000 || t->tv_sec < 0)
		return -1;
	else
		*m = (unsigned long)t->tv_sec;
	return 0;
}

int utimensat(int dirfd, const char *path, const struct timespec times[2], int flags)
{
	unsigned long a, m;
	if (utime_arg(times ? &times[0] : NULL, &a) || utime_arg(times ? &times[1] : NULL, &m))
		return (int)mica_fail(-22);
	if (!path) /* Linux's futimens */
		return meta(FS_UTIMENS, fd_base(dirfd), "", a, m, 0);
	return meta(FS_UTIMENS, dirfd, path, a, m, flags);
}

int futimens(int fd, const struct timespec times[2])
{
	return utimensat(fd_base(fd), NULL, times, 0);
}

int utimes(const char *path, const struct timeval tv[2])
{
	struct timespec ts[2];
	if (!tv)
		return utimensat(AT_FDCWD, path, NULL, 0);
	for (int i = 0; i < 2; i++)
		ts[i] = (struct timespec){tv[i].tv_sec, tv[i].tv_usec * 1000};
	return utimensat(AT_FDCWD, path, ts, 0);
}

int utime(const char *path, const struct utimbuf *t)
{
	struct timespec ts[2];
	if (!t)
		return utimensat(AT_FDCWD, path, NULL, 0);
	ts[0] = (struct timespec){t->actime, 0};
	ts[1] = (struct timespec){t->modtime, 0};
	return utimensat(AT_FDCWD, path, ts, 0);
}

int truncate(const char *path, off_t size)
{
	return (int)mica_fail(mica_io_signal(
	    at_call(FS_TRUNCATE, path, NULL, (unsigned long)size, 0, 0, base(AT_FDCWD))));
}

int ftruncate(int fd, off_t size)
{
	return (int)mica_fail(mica_io_signal(
	    at_call(FS_TRUNCATE, "", NULL, (unsigned long)size, 0, 0, base(fd_base(fd)))));
}

/* Writes back every dirty disk block (FS_SYNC; ramfs has none). Pipes
 * and the console cannot be synced (EINVAL, as Linux says). */
int fsync(int fd)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return -1;
	if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode))
		return (int)mica_fail(-22);
	unsigned long m[4] = {0};
	return (int)mica_fail(mica_fs_call(FS_SYNC, m, 0, NULL));
}

int fdatasync(int fd)
{
	return fsync(fd);
}

int mknodat(int dirfd, const char *path, mode_t mode, dev_t dev)
{
	(void)dev;
	unsigned long m = (mode & S_IFMT) | (mode & ~current_umask() & 07777);
	return (int)mica_fail(at_call(FS_MKNOD, path, NULL, m, 0, 0, base(dirfd)));
}

int mknod(const char *path, mode_t mode, dev_t dev)
{
	return mknodat(AT_FDCWD, path, mode, dev);
}

int mkfifoat(int dirfd, const char *path, mode_t mode)
{
	return mknodat(dirfd, path, S_IFIFO | (mode & 07777), 0);
}

int mkfifo(const char *path, mode_t mode)
{
	return mkfifoat(AT_FDCWD, path, mode);
}

/* --- fcntl ---------------------------------------------------------------- */

static long fd_call(unsigned op, int fd, unsigned long m1, unsigned long m2)
{
	const unsigned long m[4] = {(unsigned long)fd, m1, m2, 0};
	return mica_fs_call(op, m, 0, NULL);
}

int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	va_start(ap, cmd);
	long arg = va_arg(ap, long);
	va_end(ap);
	long r;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		return (int)mica_fail(
		    fd_call(FS_DUP, fd, (unsigned long)arg, cmd == F_DUPFD_CLOEXEC));
	case F_GETFD:
		return (int)mica_fail(fd_call(FS_SETFD, fd, (unsigned long)-1, 0));
	case F_SETFD:
		return (int)mica_fail(fd_call(FS_SETFD, fd, (unsigned long)arg, 0));
	case F_GETFL:
		r = fd_call(FS_SETFL, fd, (unsigned long)-1, 0);
		return (int)mica_fail(r < 0 ? r : mica_posix_oflags((int)r));
	case F_SETFL:
		return (int)mica_fail(
		    fd_call(FS_SETFL, fd, (unsigned long)mica_fs_oflags((int)arg & ~O_ACCMODE), 0));
	default:
		return (int)mica_fail(-22);
	}
}

/* --- realpath ------------------------------------------------------------- */

/* Appends name to the absolute path out (len bytes now); -1 if too long. */
static int path_push(char *out, size_t *len, const char *name, size_t n)
{
	if (*len + 1 + n >= PATH_MAX)
		return -1;
	if (*len > 1 || out[0] != '/')
		out[(*len)++] = '/';
	else
		*len = 1;
	memcpy(out + *len, name, n);
	*len += n;
	out[*len] = 0;
	return 0;
}

static void path_pop(char *out, size_t *len)
{
	while (*len > 1 && out[*len - 1] != '/')
		(*len)--;
	if (*len > 1)
		(*len)--;
	out[*len] = 0;
}

/* Walks path one name at a time from "/" or the cwd, following symlinks
 * (at most 40) by splicing their targets into what is left. */
static int resolve(const char *path, char *out)
{
	char *rest = malloc(PATH_MAX * 2), link[PATH_MAX];
	size_t len, links = 0;
	struct stat st;
	int err = rest ? 0 : ENOMEM;
	if (!err && strlen(path) >= PATH_MAX)
		err = ENAMETOOLONG;
	if (!err && path[0] != '/' && !getcwd(out, PATH_MAX))
		err = errno;
	if (err)
		return free(rest), err;
	if (path[0] == '/')
		strcpy(out, "/");
	len = strlen(out);
	strcpy(rest, path);
	for (char *p = rest; *p;) {
		while (*p == '/')
			p++;
		size_t n = strcspn(p, "/");
		if (n == 0 || (n == 1 && p[0] == '.')) {
			p += n;
			continue;
		}
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			path_pop(out, &len);
			p += n;
			continue;
		}
		if (path_push(out, &len, p, n) < 0) {
			err = ENAMETOOLONG;
			break;
		}
		p += n;
		if (lstat(out, &st) < 0) {
			err = errno;
			break;
		}
		if (S_ISLNK(st.st_mode)) {
			ssize_t k = readlink(out, link, sizeof(link) - 1);
			if (k < 0 || ++links > 40) {
				err = k < 0 ? errno : ELOOP;
				break;
			}
			link[k] = 0;
			if (k + strlen(p) + 1 >= PATH_MAX * 2) {
				err = ENAMETOOLONG;
				break;
			}
			/* the target, then what was left ("" or "/...") */
			memmove(rest + k, p, strlen(p) + 1);
			memcpy(rest, link, (size_t)k);
			p = rest;
			path_pop(out, &len);
			if (link[0] == '/')
				strcpy(out, "/"), len = 1;
		} else if (*p && !S_ISDIR(st.st_mode)) {
			err = ENOTDIR;
			break;
		}
	}
	free(rest);
	return err;
}

char *realpath(const char *path, char *resolved)
{
	char *out = resolved ? resolved : malloc(PATH_MAX);
	int err = !path ? EINVAL : !out ? ENOMEM : !path[0] ? ENOENT : resolve(path, out);
	if (err) {
		if (!resolved)
			free(out);
		errno = err;
		return NULL;
	}
	return out;
}
