/* The POSIX layer over messages: process calls go to pm (slot 0), files
 * to fs (slot 2), and console I/O that fs redirects to the console server
 * (slot 1). Each call sets errno and returns -1 on failure. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mica/execargs.h"
#include "mica/lock.h"
#include "mica/posix.h"
#include "mica/proto/con.h"
#include "mica/proto/fs.h"
#include "mica/proto/pm.h"
#include "mica/runtime.h"
#include "mica/syscall.h"

char **environ;

/* Servers answer with Linux's error numbers (lib/mica/errno.h); picolibc
 * numbers the ones above 34 differently. */
static int local_errno(long e)
{
	switch (e) {
	case 35:
		return EDEADLK;
	case 36:
		return ENAMETOOLONG;
	case 38:
		return ENOSYS;
	case 39:
		return ENOTEMPTY;
	case 40:
		return ELOOP;
	case 42:
		return ENOMSG;
	case 43:
		return EIDRM;
	case 90:
		return EMSGSIZE;
	case 110:
		return ETIMEDOUT;
	default:
		return (int)e;
	}
}

#define SERVER_GONE (-100000L) /* rpc(): the server's endpoint is dead */

static long fail(long r)
{
	if (r == SERVER_GONE)
		r = -EIO;
	if (r >= 0)
		return r;
	errno = local_errno(-r);
	return -1;
}

long mica_fail(long r)
{
	return fail(r);
}

static long rpc(long slot, unsigned op, unsigned long m0, unsigned long m1, size_t len,
                struct ipc_msg *out);

/* The mask lives in fs (FS_UMASK), which keeps it across exec; this is
 * a copy, asked for at the first use after exec (fork copies it). */
static mode_t cmask;
static bool cmask_known;

mode_t umask(mode_t mask)
{
	mode_t old = cmask_known ? cmask : 022;
	long r = rpc(SLOT_FS, FS_UMASK, mask & 0777, 0, 0, NULL);
	if (r >= 0)
		old = (mode_t)r;
	cmask = mask & 0777;
	cmask_known = true;
	return old;
}

mode_t mica_umask_get(void)
{
	if (!cmask_known) {
		long r = rpc(SLOT_FS, FS_UMASK, FS_UMASK_ASK, 0, 0, NULL);
		cmask = r >= 0 ? (mode_t)r : 022;
		cmask_known = true;
	}
	return cmask;
}

/* One request to a server; the result from the reply label. A blocking
 * one (intr) ends with EINTR or starts again after a signal's handler. */
static long rpc_call(long slot, unsigned op, unsigned long m0, unsigned long m1, size_t len,
                     struct ipc_msg *out, bool intr)
{
	struct ipc_msg m = {.tag = MAKE_TAG(op, len), .m = {m0, m1}};
	if (!mica_ipcbuf()) /* replies may carry a payload: have somewhere to put it */
		return -ENOMEM;
	long r = intr ? mica_call_intr(slot, &m, 0) : mica_call(slot, &m);
	if (out)
		*out = m;
	if (r == -EPIPE) /* the server itself is gone (not a broken pipe) */
		return SERVER_GONE;
	return r < 0 ? r : PROTO_RESULT(m.tag);
}

static long rpc(long slot, unsigned op, unsigned long m0, unsigned long m1, size_t len,
                struct ipc_msg *out)
{
	return rpc_call(slot, op, m0, m1, len, out, false);
}

long mica_fs_call(unsigned op, const unsigned long m[4], size_t len, struct ipc_msg *out)
{
	struct ipc_msg msg = {.tag = MAKE_TAG(op, len), .m = {m[0], m[1], m[2], m[3]}};
	if (!mica_ipcbuf())
		return -ENOMEM;
	long r = mica_call(SLOT_FS, &msg);
	if (out)
		*out = msg;
	if (r == -EPIPE)
		return -EIO;
	return r < 0 ? r : PROTO_RESULT(msg.tag);
}

/* fs_io and fs_window: the descriptor is the console, ask it instead. */
#define TO_CONSOLE (-100001L)

/* With fs gone, the standard descriptors still reach the console, so a
 * shell can say what happened and run poweroff. */
static long fs_gone(int fd, long r)
{
	if (r == SERVER_GONE && fd >= 0 && fd <= 2)
		return TO_CONSOLE;
	return r == SERVER_GONE ? -EIO : r == FS_REDIRECT ? TO_CONSOLE : r;
}

/* FS_READ or FS_WRITE (m1 count) with len bytes of payload: the count,
 * TO_CONSOLE or -errno. */
static long fs_io(unsigned op, int fd, unsigned long m1, size_t len)
{
	return fs_gone(fd, rpc_call(SLOT_FS, op, (unsigned long)fd, m1, len, NULL, true));
}

/* Above this a read or write lends fs the caller's buffer as a window
 * (one call, one copy); below it the payload's extra copies cost less
 * than the server's extra system call (measured in micro: a 500-byte
 * pipe write and read 4 % dearer through a window, 1000 bytes 6 % cheaper). */
#define WIN_MIN 768

/* Whether [buf, buf+n) is private memory of ours that pm may have swapped
 * out: program data and heap, or the stack. Touching it is safe. */
static bool swappable(const void *buf, size_t n)
{
	extern char __tls_base[];
	uintptr_t a = (uintptr_t)buf, e = a + n;
	uintptr_t brk = (uintptr_t)sbrk(0);
	return n && e > a &&
	       ((a >= (uintptr_t)__tls_base && e <= brk) ||
	        (a >= USER_STACK_TOP - USER_STACK_SIZE && e <= USER_STACK_TOP));
}

/* FS_READ or FS_WRITE of n bytes at buf, lent as a window: the count
 * (in m0; or, for a read answered as without a window, in the label
 * with the bytes as payload), TO_CONSOLE or -errno. */
static long fs_window(unsigned op, int fd, void *buf, size_t n)
{
	struct ipc_msg m = {.tag = MAKE_TAG(op, 0), .m = {(unsigned long)fd, n}};
	if ((unsigned long)buf & ~(WIN_WRITABLE - 1))
		return -EFAULT; /* not a user address: no window can say it */
	if (!mica_ipcbuf())
		return -ENOMEM;
	long r = mica_call_intr(SLOT_FS, &m, MAKE_WIN(buf, n, op == FS_READ));
	if (r == 0 && PROTO_RESULT(m.tag) == -EFAULT && swappable(buf, n)) {
		/* The server could not reach the window: a page of it may be in
		 * the swap area, where only a fault of ours brings it back.
		 * Touch every page (memory known to be ours) and ask once more. */
		for (size_t off = 0; off < n; off += 4096)
			(void)*(volatile const char *)((const char *)buf + off);
		(void)*(volatile const char *)((const char *)buf + n - 1);
		m = (struct ipc_msg){.tag = MAKE_TAG(op, 0), .m = {(unsigned long)fd, n}};
		r = mica_call_intr(SLOT_FS, &m, MAKE_WIN(buf, n, op == FS_READ));
	}
	if (r == -EPIPE)
		return fs_gone(fd, SERVER_GONE);
	if (r < 0 || (r = PROTO_RESULT(m.tag)) < 0 || r == FS_REDIRECT)
		return fs_gone(fd, r);
	if (r == 0)
		return (long)m.m[0];
	if (op == FS_READ)
		memcpy(buf, mica_ipcbuf(), r < (long)TAG_LEN(m.tag) ? (size_t)r : TAG_LEN(m.tag));
	return r;
}

pid_t getpid(void)
{
	return (pid_t)rpc(SLOT_PM, PM_GETPID, 0, 0, 0, NULL);
}

pid_t getppid(void)
{
	struct ipc_msg m;
	return rpc(SLOT_PM, PM_GETPID, 0, 0, 0, &m) < 0 ? -1 : (pid_t)m.m[0];
}

pid_t getpgrp(void)
{
	struct ipc_msg m;
	return rpc(SLOT_PM, PM_GETPID, 0, 0, 0, &m) < 0 ? -1 : (pid_t)m.m[1];
}

int setpgid(pid_t pid, pid_t pgid)
{
	return (int)fail(
	    rpc(SLOT_PM, PM_SETPGID, (unsigned long)pid, (unsigned long)pgid, 0, NULL));
}

pid_t setsid(void)
{
	return (pid_t)fail(rpc(SLOT_PM, PM_SETSID, 0, 0, 0, NULL));
}

int setuid(uid_t uid)
{
	return (int)fail(rpc(SLOT_PM, PM_SETID, PM_ID_UID, (unsigned long)uid, 0, NULL));
}

int setgid(gid_t gid)
{
	return (int)fail(rpc(SLOT_PM, PM_SETID, PM_ID_GID, (unsigned long)gid, 0, NULL));
}

/* pm keeps one waiting caller per process: threads take turns to block
 * in wait (WNOHANG does not wait, so it needs no turn). */
static int wait_lock;

/* Only the calling thread goes on in the child; the runtime's locks are
 * held across the copy so the child finds them free (lib/pthread.c). */
pid_t fork(void)
{
	fflush(stdout);
	mica_fork_phase(0);
	long r = rpc(SLOT_PM, PM_FORK, 0, 0, 0, NULL);
	if (r == 0 && wait_lock)
		wait_lock = 0; /* held by a thread the child does not have */
	mica_fork_phase(r == 0 ? 2 : 1);
	return (pid_t)fail(r);
}

/* The argument block (mica/execargs.h) goes as the payload when it fits
 * in one; otherwise pm reads it from our memory. A failure leaves us as
 * we were. */
int execve(const char *path, char *const argv[], char *const envp[])
{
	char *buf = mica_ipcbuf();
	long r = buf ? execargs_pack(buf, IPC_MAX, path, argv, envp) : -ENOMEM;
	if (r > 0 && r <= IPC_MAX) {
		fflush(stdout);
		r = rpc(SLOT_PM, PM_EXEC, 0, 0, (size_t)r, NULL);
	} else if (r > 0) {
		char *block = malloc((size_t)r);
		if (!block)
			return (int)fail(-ENOMEM);
		r = execargs_pack(block, (size_t)r, path, argv, envp);
		fflush(stdout);
		r = rpc(SLOT_PM, PM_EXEC, (unsigned long)block, (unsigned long)r, 0, NULL);
		free(block);
	}
	return (int)fail(r); /* only failures return */
}

pid_t waitpid(pid_t pid, int *status, int options)
{
	struct ipc_msg m;
	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED))
		return fail(-EINVAL);
	bool turn = !(options & WNOHANG) && mica_rt_lock(&wait_lock);
	long r = rpc_call(SLOT_PM, PM_WAIT, (unsigned long)(long)pid, (unsigned long)options, 0, &m,
	                  true);
	if (turn)
		mica_unlock(&wait_lock);
	if (r > 0 && status)
		*status = (int)m.m[0];
	return (pid_t)fail(r);
}

pid_t wait(int *status)
{
	return waitpid(-1, status, 0);
}

int kill(pid_t pid, int sig)
{
	return (int)fail(
	    rpc(SLOT_PM, PM_KILL, (unsigned long)(long)pid, (unsigned long)sig, 0, NULL));
}

void mica_pm_exit(int status)
{
	struct ipc_msg m = {.tag = MAKE_TAG(PM_EXIT, 0), .m = {(unsigned long)status}};
	mica_call(SLOT_PM, &m); /* pm ends the task; no return */
	mica_exit(status);
}

int mica_ps(struct pm_procinfo *out, int max)
{
	long n = rpc(SLOT_PM, PM_PS, 0, 0, 0, NULL);
	if (n < 0)
		return (int)fail(n);
	n = n < max ? n : max;
	memcpy(out, mica_ipcbuf(), (size_t)n * sizeof(*out));
	return (int)n;
}

/* The break, through pm: 0 asks; returns the break after the change. */
long mica_pm_brk(unsigned long want)
{
	struct ipc_msg m;
	long r = rpc(SLOT_PM, PM_BRK, want, 0, 0, &m);
	return r < 0 ? r : (long)m.m[0];
}

int mica_reboot_poweroff(int code)
{
	fflush(stdout);
	return (int)fail(rpc(SLOT_PM, PM_POWEROFF, (unsigned long)code, 0, 0, NULL));
}

/* --- files: the fs server (slot 2); the console when fs redirects ------- */

/* A request whose payload is s (and t, if given), both with their NULs. */
static long path_rpc(unsigned op, const char *s, const char *t, unsigned long m0, unsigned long m1,
                     struct ipc_msg *out)
{
	char *ipc = mica_ipcbuf();
	size_t a = strlen(s) + 1, b = t ? strlen(t) + 1 : 0;
	if (!ipc)
		return -ENOMEM;
	if (a + b > IPC_MAX)
		return -ENAMETOOLONG;
	memcpy(ipc, s, a);
	if (t)
		memcpy(ipc + a, t, b);
	return rpc(SLOT_FS, op, m0, m1, a + b, out);
}

int open(const char *path, int flags, ...)
{
	va_list ap;
	va_start(ap, flags);
	unsigned mode = (flags & O_CREAT) ? va_arg(ap, unsigned) : 0;
	va_end(ap);
	return (int)fail(path_rpc(FS_OPEN, path, NULL, (unsigned long)mica_fs_oflags(flags),
	                          (flags & O_CREAT) ? mode & ~mica_umask_get() : 0, NULL));
}

int creat(const char *path, mode_t mode)
{
	return open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
}

int close(int fd)
{
	return (int)fail(rpc(SLOT_FS, FS_CLOSE, (unsigned long)fd, 0, 0, NULL));
}

/* SIGPIPE: by default a writer to a pipe nobody reads dies; a program
 * that ignores it (or catches it) gets EPIPE. So with SIGXFSZ and EFBIG,
 * a write or truncate past RLIMIT_FSIZE. pm knows which. */
long mica_io_signal(long r)
{
	if (r == -EPIPE || r == -EFBIG)
		kill(getpid(), r == -EPIPE ? SIGPIPE : SIGXFSZ);
	return r;
}

/* One step of write: up to n bytes of buf to fd (or to the console):
 * the count, TO_CONSOLE or -errno. */
static long write_once(int fd, const char *buf, size_t n, bool console)
{
	size_t chunk = n < IPC_MAX ? n : IPC_MAX;
	if (!console && n > WIN_MIN)
		return fs_window(FS_WRITE, fd, (char *)buf, n < FS_RW_MAX ? n : FS_RW_MAX);
	memcpy(mica_ipcbuf(), buf, chunk);
	if (console)
		return rpc_call(SLOT_CONSOLE, CON_WRITE, 0, 0, chunk, NULL, true);
	return fs_io(FS_WRITE, fd, 0, chunk);
}

ssize_t write(int fd, const void *buf, size_t n)
{
	size_t done = 0;
	bool console = false;
	if (!mica_ipcbuf())
		return fail(-ENOMEM);
	while (done < n || n == 0) {
		long r = write_once(fd, (const char *)buf + done, n - done, console);
		if (r == TO_CONSOLE && !console) {
			console = true;
			continue;
		}
		if (r < 0)
			return done ? (ssize_t)done : fail(mica_io_signal(r));
		done += (size_t)r;
		if (n == 0 || r == 0)
			break;
	}
	return (ssize_t)done;
}

ssize_t read(int fd, void *buf, size_t n)
{
	size_t max = n < IPC_MAX ? n : IPC_MAX;
	long r = n > WIN_MIN ? fs_window(FS_READ, fd, buf, n < FS_RW_MAX ? n : FS_RW_MAX)
	                     : fs_io(FS_READ, fd, max, 0);
	if (r > 0 && n <= WIN_MIN)
		memcpy(buf, mica_ipcbuf(), (size_t)r);
	if (r == TO_CONSOLE) {
		r = rpc_call(SLOT_CONSOLE, CON_READ, max, 0, 0, NULL, true);
		if (r > 0)
			memcpy(buf, mica_ipcbuf(), (size_t)r);
	}
	return fail(r);
}

off_t lseek(int fd, off_t off, int whence)
{
	struct ipc_msg m = {.tag = MAKE_TAG(FS_LSEEK, 0),
	                    .m = {(unsigned long)fd, (unsigned long)off, (unsigned long)whence}};
	long r = mica_call(SLOT_FS, &m);
	r = r < 0 ? r : PROTO_RESULT(m.tag);
	return r < 0 ? (off_t)fail(r) : (off_t)m.m[0];
}

static void to_stat(const struct fs_stat *f, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = (dev_t)f->dev;
	st->st_ino = (ino_t)f->ino;
	st->st_mode = (mode_t)f->mode;
	st->st_nlink = (nlink_t)f->nlink;
	st->st_uid = (uid_t)f->uid;
	st->st_gid = (gid_t)f->gid;
	st->st_rdev = (dev_t)f->rdev;
	st->st_size = (off_t)f->size;
	st->st_blksize = 4096;
	st->st_blocks = (blkcnt_t)((f->size + 511) / 512);
	st->st_atime = (time_t)f->atime;
	st->st_mtime = (time_t)f->mtime;
	st->st_ctime = (time_t)f->ctime;
}

void mica_to_stat(const struct fs_stat *f, struct stat *st)
{
	to_stat(f, st);
}

static int stat_common(const char *path, struct stat *st, int nofollow)
{
	long r = path_rpc(FS_STAT, path, NULL, (unsigned long)nofollow, 0, NULL);
	if (r == 0)
		to_stat(mica_ipcbuf(), st);
	return (int)fail(r);
}

int stat(const char *path, struct stat *st)
{
	return stat_common(path, st, 0);
}

int lstat(const char *path, struct stat *st)
{
	return stat_common(path, st, 1);
}

int fstat(int fd, struct stat *st)
{
	long r = rpc(SLOT_FS, FS_FSTAT, (unsigned long)fd, 0, 0, NULL);
	if (r == 0)
		to_stat(mica_ipcbuf(), st);
	return (int)fail(r);
}

int mkdir(const char *path, mode_t mode)
{
	return (int)fail(path_rpc(FS_MKDIR, path, NULL, mode & ~mica_umask_get(), 0, NULL));
}

int rmdir(const char *path)
{
	return (int)fail(path_rpc(FS_RMDIR, path, NULL, 0, 0, NULL));
}

int unlink(const char *path)
{
	return (int)fail(path_rpc(FS_UNLINK, path, NULL, 0, 0, NULL));
}

int link(const char *old, const char *new)
{
	return (int)fail(path_rpc(FS_LINK, old, new, 0, 0, NULL));
}

int symlink(const char *target, const char *linkpath)
{
	return (int)fail(path_rpc(FS_SYMLINK, target, linkpath, 0, 0, NULL));
}

int rename(const char *old, const char *new)
{
	return (int)fail(path_rpc(FS_RENAME, old, new, 0, 0, NULL));
}

ssize_t readlink(const char *path, char *buf, size_t n)
{
	long r = path_rpc(FS_READLINK, path, NULL, 0, 0, NULL);
	if (r > 0) {
		r = (size_t)r < n ? r : (long)n;
		memcpy(buf, mica_ipcbuf(), (size_t)r);
	}
	return fail(r);
}

int chdir(const char *path)
{
	return (int)fail(path_rpc(FS_CHDIR, path, NULL, 0, 0, NULL));
}

char *getcwd(char *buf, size_t n)
{
	long r = rpc(SLOT_FS, FS_GETCWD, 0, 0, 0, NULL);
	if (r < 0)
		return fail(r), NULL;
	if ((size_t)r + 1 > n)
		return fail(-ERANGE), NULL;
	memcpy(buf, mica_ipcbuf(), (size_t)r + 1);
	return buf;
}

int dup(int fd)
{
	return (int)fail(rpc(SLOT_FS, FS_DUP, (unsigned long)fd, 0, 0, NULL));
}

int dup2(int fd, int to)
{
	return (int)fail(rpc(SLOT_FS, FS_DUP2, (unsigned long)fd, (unsigned long)to, 0, NULL));
}

int pipe(int fds[2])
{
	struct ipc_msg m;
	long r = rpc(SLOT_FS, FS_PIPE, 0, 0, 0, &m);
	if (r == 0)
		fds[0] = (int)m.m[0], fds[1] = (int)m.m[1];
	return (int)fail(r);
}

/* --- directories ------------------------------------------------------------ */

struct mica_dir {
	int fd;
	int n, pos;
	long index; /* entries readdir has returned since the start: telldir */
	struct fs_dirent ents[IPC_MAX / sizeof(struct fs_dirent)];
	struct dirent cur;
};

DIR *fdopendir(int fd)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return NULL;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return NULL;
	}
	DIR *d = calloc(1, sizeof(*d));
	if (!d) {
		errno = ENOMEM;
		return NULL;
	}
	d->fd = fd;
	return d;
}

DIR *opendir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	if (fd >= 0 && !d) {
		int e = errno;
		close(fd);
		errno = e;
	}
	return d;
}

struct dirent *readdir(DIR *d)
{
	if (d->pos == d->n) {
		long r = rpc(SLOT_FS, FS_GETDENTS, (unsigned long)d->fd, 0, 0, NULL);
		if (r <= 0)
			return r < 0 ? (fail(r), NULL) : NULL;
		d->n = (int)r, d->pos = 0;
		memcpy(d->ents, mica_ipcbuf(), (size_t)r * sizeof(d->ents[0]));
	}
	struct fs_dirent *e = &d->ents[d->pos++];
	d->index++;
	d->cur.d_ino = (ino_t)e->ino;
	d->cur.d_type = e->type;
	snprintf(d->cur.d_name, sizeof(d->cur.d_name), "%s", e->name);
	return &d->cur;
}

void rewinddir(DIR *d)
{
	lseek(d->fd, 0, SEEK_SET);
	d->n = d->pos = 0;
	d->index = 0;
}

long telldir(DIR *d)
{
	return d->index;
}

/* Back to the start and forward again: positions are entry counts. */
void seekdir(DIR *d, long pos)
{
	rewinddir(d);
	while (d->index < pos && readdir(d))
		;
}

int dirfd(DIR *d)
{
	return d->fd;
}

int closedir(DIR *d)
{
	int r = close(d->fd);
	free(d);
	return r;
}

/* picolibc's fileno knows only the streams fdopen makes; the standard
 * three are 0, 1 and 2. Programs link with --wrap=fileno, which makes
 * this fileno and picolibc's __real_fileno. */
int __real_fileno(FILE *f);
int __wrap_fileno(FILE *f)
{
	if (f == stdin)
		return 0;
	if (f == stdout)
		return 1;
	if (f == stderr)
		return 2;
	int fd = __real_fileno(f);
	if (fd < 0)
		errno = EBADF;
	return fd;
}

int isatty(int fd)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return 0;
	if (S_ISCHR(st.st_mode) && st.st_rdev == 0x0501)
		return 1;
	errno = ENOTTY;
	return 0;
}

unsigned sleep(unsigned seconds)
{
	long end = mica_time() + (long)seconds * 1000000L;
	if (mica_sleep_intr((long)seconds * 1000000L) == 0)
		return 0;
	long left = end - mica_time();
	return left > 0 ? (unsigned)((left + 999999) / 1000000) : 0;
}

int usleep(useconds_t usec)
{
	return (int)fail(mica_sleep_intr((long)usec));
}

int mica_console_mode(int raw)
{
	return (int)fail(
	    rpc(SLOT_CONSOLE, CON_SETMODE, raw ? CON_MODE_RAW : CON_MODE_COOKED, 0, 0, NULL));
}

int tcsetpgrp(int fd, pid_t pgrp)
{
	(void)fd;
	return (int)fail(rpc(SLOT_CONSOLE, CON_SETFG, (unsigned long)pgrp, 0, 0, NULL));
}

uid_t getuid(void)
{
	struct ipc_msg m;
	return rpc(SLOT_PM, PM_GETPID, 0, 0, 0, &m) < 0 ? (uid_t)-1 : (uid_t)m.m[2];
}

gid_t getgid(void)
{
	struct ipc_msg m;
	return rpc(SLOT_PM, PM_GETPID, 0, 0, 0, &m) < 0 ? (gid_t)-1 : (gid_t)m.m[3];
}
