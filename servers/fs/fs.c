/* fs: the file-system server's handlers. A VFS with a mount table: a
 * ramfs root (filled by pm from the boot archive), devfs on /dev, procfs
 * on /proc. It keeps every process's descriptors and cwd, serves FS_*
 * requests and calls nobody: console I/O is redirected to the console
 * server, and pipe reads/writes that must wait are deferred answers.
 * This file: the table, start-up, and requests on descriptors; rw.c
 * reads and writes, names.c and pmops.c the rest. No transport here: see main.c (user mode).
 * Handles: slot 0 our endpoint. Badges: a process's pid (low 32 bits),
 * FS_BADGE_PM for pm. */
#include <fcntl.h>
#include <stdio.h> /* SEEK_* */
#include <stdlib.h>
#include <string.h>

#include "disk.h"
#include "fs.h"
#include "fsreq.h"
#include "mounts.h"
#include "swap.h"
#include "mica/errno.h"
#include "mica/host.h"
#include "ramfs.h"

#define EP 0

struct vfs vfs;

/* --- the request -------------------------------------------------------- */

int fs_result(struct srv_rep *rep, long r, size_t len)
{
	rep->result = r;
	rep->len = len;
	return SRV_REPLY;
}

bool from_pm(const struct srv_req *req)
{
	return req->badge == FS_BADGE_PM;
}

void fsreq_begin(struct fsreq *c, const struct srv_req *req)
{
	int pid = from_pm(req) ? 0 : (int)(req->badge & 0xFFFFFFFF);
	const struct proc_row *r = pid ? procfs_row(pid, false) : NULL;
	*c = (struct fsreq){.req = req, .p = fsproc_get(pid, true), .cr = {.pid = pid}};
	if (r) { /* pm pushes every change of uid or gid before it answers */
		c->cr.uid = (uint32_t)r->p.uid;
		c->cr.gid = (uint32_t)r->p.gid;
		c->cr.groups = r->p.groups;
		c->cr.ngroups = r->p.ngroups > 16 ? 16 : r->p.ngroups;
	}
	if (c->p)
		c->base = c->base2 = c->p->cwd;
}

/* The base a path resolves from: m (0: the cwd, fd + 1: a directory). */
static int base_of(struct fsreq *c, unsigned long m, const char *path, struct vnode *vn,
                   struct ofile **fp)
{
	struct vattr va;
	struct ofile *f = m ? fd_file(c->p, (long)(m - 1)) : NULL;
	if (!m || path[0] == '/') /* the cwd; an absolute path needs no base */
		return 0;
	if (!f)
		return -EBADF;
	if (fp)
		*fp = f;
	if (path[0] == 0) /* empty: the file itself, where the operation allows */
		return 0;
	if (f->kind != OF_VNODE || vfs_getattr(&vfs, f->vn, &va) || !VFS_ISDIR(va.mode))
		return -ENOTDIR;
	*vn = f->vn;
	return 0;
}

int fsreq_paths(struct fsreq *c, bool two)
{
	const char *data = c->req->data;
	size_t len = c->req->len;
	if (!c->p)
		return -ENOMEM;
	if (!len || len > VFS_PATH_MAX || memchr(data, 0, len) == NULL)
		return -EINVAL;
	c->path = data;
	if (two) {
		size_t a = strlen(data) + 1;
		if (a >= len || !memchr(data + a, 0, len - a))
			return -EINVAL;
		c->path2 = data + a;
		int err = base_of(c, c->req->m[3], c->path2, &c->base2, NULL);
		return err ? err : base_of(c, c->req->m[2], c->path, &c->base, &c->basef);
	}
	return base_of(c, c->req->m[3], c->path, &c->base, &c->basef);
}

int fsreq_target(const struct fsreq *c, bool nofollow, struct vnode *vn)
{
	struct vfs_lookup lk;
	if (c->path[0] == 0 && c->basef) {
		*vn = c->basef->vn;
		return c->basef->kind == OF_PIPE_R || c->basef->kind == OF_PIPE_W ? -EINVAL : 0;
	}
	int err = vfs_resolve_as(&vfs, c->base, c->path, nofollow ? VFS_NOFOLLOW : 0, &c->cr, &lk);
	if (!err)
		*vn = lk.vn;
	return err;
}

const struct vfs_mount *mnt_of(struct vnode vn)
{
	return vfs_mount_at(&vfs, vn.mnt);
}

/* Changing a directory's entries needs write and search permission on it. */
int may_change_dir(const struct fsreq *c, struct vnode dir)
{
	struct vattr va;
	int err = vfs_getattr(&vfs, dir, &va);
	return err ? err : may_access(&c->cr, &va, 3) ? 0 : -EACCES;
}

int parent_of(const struct fsreq *c, struct vnode base, const char *path, struct vfs_lookup *lk,
              const struct vfs_mount **m)
{
	int err = vfs_resolve_as(&vfs, base, path, VFS_PARENT, &c->cr, lk);
	if (!err)
		*m = mnt_of(lk->vn);
	if (!err && (!strcmp(lk->name, ".") || !strcmp(lk->name, "..")))
		err = -EINVAL;
	return err ? err : may_change_dir(c, lk->vn);
}

void to_stat(struct vnode vn, const struct vattr *va, struct fs_stat *st)
{
	*st = (struct fs_stat){.dev = (uint64_t)vn.mnt + 1,
	                       .ino = va->ino,
	                       .size = va->size,
	                       .rdev = va->rdev,
	                       .atime = va->atime,
	                       .mtime = va->mtime,
	                       .ctime = va->ctime,
	                       .mode = va->mode,
	                       .nlink = va->nlink,
	                       .uid = va->uid,
	                       .gid = va->gid};
}

/* --- open ------------------------------------------------------------------- */

/* Creates c->path's last component if asked; the resolved file in *vn. */
static int open_resolve(const struct fsreq *c, int flags, unsigned mode, struct vnode *vn)
{
	struct vfs_lookup lk;
	int how = flags & (FS_O_NOFOLLOW | FS_O_EXCL) ? VFS_NOFOLLOW : 0;
	int err = vfs_resolve_as(&vfs, c->base, c->path, how, &c->cr, &lk);
	if (err == 0) {
		if ((flags & FS_O_CREAT) && (flags & FS_O_EXCL))
			return -EEXIST;
		*vn = lk.vn;
		return 0;
	}
	if (err != -ENOENT || !(flags & FS_O_CREAT))
		return err;
	if ((err = vfs_resolve_as(&vfs, c->base, c->path, VFS_PARENT, &c->cr, &lk)))
		return err;
	const struct vfs_mount *m = mnt_of(lk.vn);
	uint64_t ino;
	if (lk.trailing_slash)
		return -EISDIR;
	if (!m->ops->create)
		return -EPERM;
	if ((err = may_change_dir(c, lk.vn)))
		return err;
	if ((err = m->ops->create(m->fs, lk.vn.ino, lk.name, mode & 07777, &c->cr, &ino)))
		return err;
	*vn = (struct vnode){lk.vn.mnt, ino};
	return 0;
}

/* The open file a device node's number names, or -ENXIO for a number
 * no device here has: a node on a disk may carry any (as on Linux). */
static int dev_kind(const struct vattr *va)
{
	if (VFS_ISBLK(va->mode))
		return DEV_IS_DISK(va->rdev) && DEV_DISK_NUM(va->rdev) < disk_count() ? OF_DISK
		                                                                      : -ENXIO;
	switch (va->rdev) {
	case DEV_CONSOLE:
		return OF_CONSOLE;
	case DEV_NULL:
		return OF_NULL;
	case DEV_ZERO:
		return OF_ZERO;
	default:
		return -ENXIO;
	}
}

int open_kind(const struct fsreq *c, struct vnode vn, const struct vattr *va, int flags,
              struct ofile **of)
{
	int kind = OF_VNODE;
	if (VFS_ISCHR(va->mode) || VFS_ISBLK(va->mode))
		kind = dev_kind(va);
	else if (mnt_of(vn)->ops == &procfs_ops && procfs_is_file(vn.ino))
		kind = OF_TEXT;
	if (kind < 0)
		return kind;
	struct ofile *f = *of = ofile_new((enum of_kind)kind);
	if (!f)
		return -ENFILE;
	f->vn = vn;
	f->flags = flags & (FS_O_ACCMODE | FS_O_APPEND | FS_O_NONBLOCK);
	f->disk = kind == OF_DISK ? DEV_DISK_NUM(va->rdev) : 0;
	if (kind == OF_TEXT) {
		f->text = malloc(8192);
		long n = f->text ? procfs_render(vn.ino, c->cr.pid, f->text, 8192) : -ENOMEM;
		f->tlen = n > 0 ? (size_t)n : 0;
	} else if (kind == OF_VNODE && mnt_of(vn)->ops->ref) {
		mnt_of(vn)->ops->ref(mnt_of(vn)->fs, vn.ino);
	}
	return 0;
}

/* What open may not do to the file va (flags FS_O_*), or 0. */
static int open_check(const struct fsreq *c, const struct vattr *va, int flags)
{
	int acc = flags & FS_O_ACCMODE;
	bool writes = acc != FS_O_RDONLY;
	if (acc == 3)
		return -EINVAL;
	if ((flags & FS_O_NOFOLLOW) && VFS_ISLNK(va->mode))
		return -ELOOP;
	if ((flags & FS_O_DIRECTORY) && !VFS_ISDIR(va->mode))
		return -ENOTDIR;
	if (VFS_ISDIR(va->mode) && writes)
		return -EISDIR;
	if (!may_access(&c->cr, va, (acc != FS_O_WRONLY ? 4 : 0) | (writes ? 2 : 0)))
		return -EACCES;
	return 0;
}

static int do_open(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct fsreq c;
	int flags = (int)req->m[0], err, fd;
	struct ofile *of;
	struct vnode vn;
	struct vattr va;
	fsreq_begin(&c, req);
	if ((err = fsreq_paths(&c, false)))
		return fs_result(rep, err, 0);
	if ((err = fd_free(c.p, 0)) < 0)
		return fs_result(rep, err, 0); /* before O_CREAT makes anything */
	if ((err = open_resolve(&c, flags, (unsigned)req->m[1], &vn)) ||
	    (err = vfs_getattr(&vfs, vn, &va)) || (err = open_check(&c, &va, flags)))
		return fs_result(rep, err, 0);
	bool writes = (flags & FS_O_ACCMODE) != FS_O_RDONLY;
	if (VFS_ISFIFO(va.mode)) {
		err = fifo_open(&c, vn, flags, &fd);
		return err == 1 ? SRV_DEFER : fs_result(rep, err ? err : fd, 0);
	}
	if (VFS_ISREG(va.mode) && writes && !mnt_of(vn)->ops->write)
		return fs_result(rep, -EACCES, 0); /* a /proc file */
	if ((flags & FS_O_TRUNC) && VFS_ISREG(va.mode) && writes &&
	    (err = vfs_truncate(&vfs, vn, 0)))
		return fs_result(rep, err, 0);
	if ((err = open_kind(&c, vn, &va, flags, &of)))
		return fs_result(rep, err, 0);
	fd = fd_install(c.p, of, 0);
	if (fd < 0)
		ofile_put(of);
	else if (flags & FS_O_CLOEXEC)
		c.p->fd[fd].cloexec = true;
	return fs_result(rep, fd, 0);
}

struct ofile *fsreq_file(const struct srv_req *req, struct fsproc **pp)
{
	struct fsreq c;
	fsreq_begin(&c, req);
	if (pp)
		*pp = c.p;
	return fd_file(c.p, (long)req->m[0]);
}

static int do_close(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct fsproc *p;
	struct ofile *f = fsreq_file(req, &p);
	if (!f)
		return fs_result(rep, -EBADF, 0);
	fd_close(p, (int)req->m[0]);
	return fs_result(rep, 0, 0);
}

static int do_lseek(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct ofile *f = fsreq_file(req, NULL);
	struct vattr va = {0};
	long off = (long)req->m[1], base;
	if (!f)
		return fs_result(rep, -EBADF, 0);
	if (f->kind == OF_PIPE_R || f->kind == OF_PIPE_W || f->kind == OF_CONSOLE)
		return fs_result(rep, -ESPIPE, 0);
	if (f->kind == OF_VNODE)
		vfs_getattr(&vfs, f->vn, &va);
	switch (req->m[2]) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = (long)f->off;
		break;
	case SEEK_END:
		base = f->kind == OF_TEXT   ? (long)f->tlen
		       : f->kind == OF_DISK ? (long)disk_bytes(f->disk)
		                            : (long)va.size;
		break;
	default:
		return fs_result(rep, -EINVAL, 0);
	}
	if (base + off < 0)
		return fs_result(rep, -EINVAL, 0);
	f->off = (uint64_t)(base + off);
	f->cookie = 0;
	rep->m[0] = f->off;
	return fs_result(rep, 0, 0);
}

static int do_fstat(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	struct ofile *f = fsreq_file(req, NULL);
	struct vattr va = {0};
	if (!f)
		return fs_result(rep, -EBADF, 0);
	if ((f->kind == OF_PIPE_R || f->kind == OF_PIPE_W) && !f->pipe->fifo) {
		va.mode = 0010600; /* S_IFIFO */
		va.size = pipebuf_count(&f->pipe->buf);
	} else {
		int err = vfs_getattr(&vfs, f->vn, &va);
		if (err)
			return fs_result(rep, err, 0);
	}
	to_stat(f->vn, &va, srv_out(s));
	return fs_result(rep, 0, sizeof(struct fs_stat));
}

/* --- directories ---------------------------------------------------------- */

static int do_getdents(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	struct ofile *f = fsreq_file(req, NULL);
	struct fs_dirent *out = srv_out(s);
	struct vfs_dirent d;
	int n = 0, max = IPC_MAX / (int)sizeof(*out);
	if (!f || f->kind != OF_VNODE)
		return fs_result(rep, -EBADF, 0);
	const struct vfs_mount *m = mnt_of(f->vn);
	uint64_t start = f->cookie;
	while (n < max) {
		int r =
		    m->ops->readdir ? m->ops->readdir(m->fs, f->vn.ino, &f->cookie, &d) : -ENOTDIR;
		if (r < 0) {
			/* nothing read: a request that missed a block runs again from
			 * the start (mounts.c), and must find the entries it had */
			f->cookie = start;
			return fs_result(rep, r, 0);
		}
		if (r == 0)
			break;
		out[n] = (struct fs_dirent){.ino = d.ino, .type = d.type};
		size_t nl = strnlen(d.name, sizeof(out[n].name) - 1); /* 255: all of it */
		memcpy(out[n].name, d.name, nl);
		out[n].name[nl] = 0;
		n++;
	}
	return fs_result(rep, n, (size_t)n * sizeof(*out));
}

static int do_getcwd(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	struct fsreq c;
	fsreq_begin(&c, req);
	int n = c.p ? vfs_path(&vfs, c.p->cwd, srv_out(s), IPC_MAX) : -ENOMEM;
	return fs_result(rep, n, n >= 0 ? (size_t)n + 1 : 0);
}

/* --- descriptors -------------------------------------------------------- */

static int do_dup(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct fsproc *p;
	struct ofile *f = fsreq_file(req, &p);
	if (!f)
		return fs_result(rep, -EBADF, 0);
	if ((long)req->m[1] < 0 || (long)req->m[1] >= FS_MAX_FDS ||
	    req->m[1] >= fsproc_limit(p, MRLIM_NOFILE))
		return fs_result(rep, -EINVAL, 0); /* F_DUPFD past RLIMIT_NOFILE */
	int fd = fd_install(p, f, (int)req->m[1]);
	if (fd >= 0)
		p->fd[fd].cloexec = req->m[2] != 0;
	return fs_result(rep, fd, 0);
}

static int do_dup2(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct fsproc *p;
	long from = (long)req->m[0], to = (long)req->m[1];
	struct ofile *f = fsreq_file(req, &p);
	if (!f || to < 0 || to >= FS_MAX_FDS || (uint64_t)to >= fsproc_limit(p, MRLIM_NOFILE))
		return fs_result(rep, -EBADF, 0);
	if (from == to)
		return fs_result(rep, to, 0);
	if (fd_room(p, to))
		return fs_result(rep, -ENOMEM, 0);
	f->refs++; /* first: to may name the same file */
	fd_close(p, (int)to);
	p->fd[to] = (struct fdent){f, false};
	return fs_result(rep, to, 0);
}

static int do_setfd(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct fsproc *p;
	long fd = (long)req->m[0];
	if (!fsreq_file(req, &p))
		return fs_result(rep, -EBADF, 0);
	if ((long)req->m[1] == -1)
		return fs_result(rep, p->fd[fd].cloexec ? FD_CLOEXEC : 0, 0);
	p->fd[fd].cloexec = req->m[1] & FD_CLOEXEC;
	return fs_result(rep, 0, 0);
}

/* fcntl's F_GETFL and F_SETFL: the access mode is fixed at open. */
static int do_setfl(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct ofile *f = fsreq_file(req, NULL);
	const int settable = FS_O_APPEND | FS_O_NONBLOCK;
	if (!f)
		return fs_result(rep, -EBADF, 0);
	if ((long)req->m[1] == -1)
		return fs_result(rep, f->flags, 0);
	f->flags = (f->flags & ~settable) | ((int)req->m[1] & settable);
	return fs_result(rep, 0, 0);
}

static int do_pipe(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct fsreq c;
	fsreq_begin(&c, req);
	if (!c.p)
		return fs_result(rep, -ENOMEM, 0);
	int rfd = fd_free(c.p, 0), wfd = rfd >= 0 ? fd_free(c.p, rfd + 1) : -EMFILE;
	if (wfd < 0)
		return fs_result(rep, -EMFILE, 0);
	struct ofile *r = ofile_new(OF_PIPE_R), *w = ofile_new(OF_PIPE_W);
	struct pipe *pp = r && w ? pipe_new() : NULL;
	if (!pp) {
		free(r);
		free(w);
		return fs_result(rep, -ENFILE, 0);
	}
	/* May not fail after this point. */
	r->pipe = w->pipe = pp;
	r->flags = FS_O_RDONLY, w->flags = FS_O_WRONLY;
	rep->m[0] = (unsigned long)fd_install(c.p, r, rfd);
	rep->m[1] = (unsigned long)fd_install(c.p, w, wfd);
	return fs_result(rep, 0, 0);
}

/* --- the server ------------------------------------------------------------ */

static const srv_handler handlers[FS_NOPS] = {
    [FS_OPEN] = do_open,
    [FS_CLOSE] = do_close,
    [FS_READ] = fs_do_read,
    [FS_WRITE] = fs_do_write,
    [FS_LSEEK] = do_lseek,
    [FS_STAT] = fs_do_stat,
    [FS_FSTAT] = do_fstat,
    [FS_MKDIR] = fs_do_mkdir,
    [FS_RMDIR] = fs_do_rmdir,
    [FS_UNLINK] = fs_do_unlink,
    [FS_LINK] = fs_do_link,
    [FS_SYMLINK] = fs_do_symlink,
    [FS_RENAME] = fs_do_rename,
    [FS_READLINK] = fs_do_readlink,
    [FS_GETDENTS] = do_getdents,
    [FS_CHDIR] = fs_do_chdir,
    [FS_GETCWD] = do_getcwd,
    [FS_DUP] = do_dup,
    [FS_DUP2] = do_dup2,
    [FS_SETFD] = do_setfd,
    [FS_PIPE] = do_pipe,
    [FS_PM_FORK] = fs_do_pm_fork,
    [FS_PM_EXIT] = fs_do_pm_exit,
    [FS_PM_EXEC] = fs_do_pm_exec,
    [FS_PM_OPEN] = fs_do_pm_open,
    [FS_UMASK] = fs_do_umask,
    [FS_PM_DUPFD] = fs_do_pm_dupfd,
    [FS_PM_PROC] = fs_do_pm_proc,
    [FS_PM_SWAPON] = fs_do_pm_swapon,
    [FS_PM_SWAPOUT] = fs_do_pm_swapout,
    [FS_PM_SWAPIN] = fs_do_pm_swapin,
    [FS_PM_LOAD] = fs_do_pm_load,
    [FS_CHMOD] = fs_do_chmod,
    [FS_CHOWN] = fs_do_chown,
    [FS_UTIMENS] = fs_do_utimens,
    [FS_TRUNCATE] = fs_do_truncate,
    [FS_ACCESS] = fs_do_access,
    [FS_MKNOD] = fs_do_mknod,
    [FS_SETFL] = do_setfl,
    [FS_POLL] = fs_do_poll,
    [FS_STATFS] = fs_do_statfs,
    [FS_MOUNT] = fs_do_mount,
    [FS_UMOUNT] = fs_do_umount,
    [FS_SYNC] = fs_do_sync,
    [FS_PM_WAKE] = fs_do_pm_wake,
    [FS_SHUTDOWN] = fs_do_shutdown,
    [FS_PM_LIMITS] = fs_do_pm_limits,
};

/* What the transport calls: every operation through fs_run (mounts.c). */
static srv_handler run_table[FS_NOPS];

/* Notifications (blk's: disk requests finished) and unknown labels. */
static int do_other(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	if (req->notify) {
		disk_notify();
		mounts_notify(req->m[0]);
		return SRV_NONE;
	}
	rep->result = -ENOSYS;
	return req->call ? SRV_REPLY : SRV_NONE;
}

struct server fs_server = {
    .name = "fs", .ep = EP, .table = run_table, .nops = FS_NOPS, .other = do_other};

uint64_t fs_now(void)
{
	return (uint64_t)mica_clock(CLOCK_ID_REALTIME) / 1000000000; /* seconds since the epoch */
}

static uint64_t clock_s(void *arg)
{
	(void)arg;
	return fs_now();
}

int fs_start(void)
{
	struct ramfs *root = ramfs_new(clock_s, NULL);
	struct vfs_fs rootfs = {&ramfs_ops, root, RAMFS_ROOT_INO, "ramfs", "rootfs", 0};
	struct vfs_fs devfs = {&devfs_ops, NULL, 1, "devfs", "devfs", 0};
	struct vfs_fs procfs = {&procfs_ops, NULL, 1, "proc", "proc", 0};
	uint64_t ino;
	vfs_init(&vfs);
	if (!root || vfs_mount_root(&vfs, &rootfs) ||
	    ramfs_ops.mkdir(root, RAMFS_ROOT_INO, "dev", 0755, NULL, &ino) ||
	    ramfs_ops.mkdir(root, RAMFS_ROOT_INO, "proc", 0555, NULL, &ino) ||
	    vfs_mount(&vfs, vfs_root(&vfs), "/dev", &devfs) < 0 ||
	    vfs_mount(&vfs, vfs_root(&vfs), "/proc", &procfs) < 0) {
		static const char msg[] = "fs: cannot set up the file systems\n";
		mica_debug_write(msg, sizeof(msg) - 1);
		return -ENOMEM;
	}
	/* /dev/shm: shm_open's files, in RAM, anyone may create (sticky) */
	struct ramfs *shm = ramfs_new(clock_s, NULL);
	struct vfs_fs shmfs = {&ramfs_ops, shm, RAMFS_ROOT_INO, "tmpfs", "shm", 0};
	struct vattr mode = {.mode = VFS_IFDIR | 01777};
	if (!shm || ramfs_ops.setattr(shm, RAMFS_ROOT_INO, &mode, VFS_SET_MODE) ||
	    vfs_mount(&vfs, vfs_root(&vfs), "/dev/shm", &shmfs) < 0)
		mica_debug_write("fs: no /dev/shm\n", 16);
	pipe_setup(&fs_server);
	for (int op = 0; op < FS_NOPS; op++)
		run_table[op] = handlers[op] ? fs_run : NULL;
	if (disk_start(&fs_server))
		mica_debug_write("fs: the disks did not attach\n", 29);
	mounts_setup(&fs_server, handlers, disk_ntfn());
	static const char hello[] = "fs: ramfs on /, devfs on /dev, proc on /proc\n";
	mica_debug_write(hello, sizeof(hello) - 1);
	return 0;
}
