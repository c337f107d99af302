/* fs: the file-system server. A VFS with a mount table: a ramfs root
 * (filled by pm from the boot archive), devfs on /dev, procfs on /proc.
 * It keeps every process's descriptors and cwd, serves FS_* requests
 * and calls nobody: console I/O is redirected to the console server,
 * and pipe reads/writes that must wait are deferred replies.
 * Handles: slot 0 our endpoint. Badges: a process's pid (low 32 bits),
 * FS_BADGE_PM for pm. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "files.h"
#include "mica/errno.h"
#include "mica/proto/con.h"
#include "mica/runtime.h"
#include "mica/server.h"
#include "ramfs.h"

#define EP          0

struct vfs vfs;
static char *ipc; /* our IPC buffer: request and reply payloads */
static char path[VFS_PATH_MAX], path2[VFS_PATH_MAX];

static int result(struct ipc_msg *rep, long r, size_t len)
{
	rep->tag = PROTO_TAG(r, len);
	return SRV_REPLY;
}

static bool from_pm(const struct ipc_msg *req)
{
	return req->badge == FS_BADGE_PM;
}

static struct fsproc *caller(const struct ipc_msg *req)
{
	int pid = from_pm(req) ? 0 : (int)(req->badge & 0xFFFFFFFF);
	procfs_self = pid;
	return fsproc_get(pid, true);
}

/* The payload as one or two NUL-terminated strings. */
static int take_paths(const struct ipc_msg *req, bool two)
{
	size_t len = TAG_LEN(req->tag);
	if (!len || len > VFS_PATH_MAX || memchr(ipc, 0, len) == NULL)
		return -EINVAL;
	strcpy(path, ipc);
	if (two) {
		size_t a = strlen(path) + 1;
		if (a >= len || !memchr(ipc + a, 0, len - a))
			return -EINVAL;
		strcpy(path2, ipc + a);
	}
	return 0;
}

static const struct vfs_mount *mnt_of(struct vnode vn)
{
	return vfs_mount_at(&vfs, vn.mnt);
}

static void to_stat(struct vnode vn, const struct vattr *va, struct fs_stat *st)
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

/* Creates path's last component if asked; the resolved file in *vn. */
static int open_resolve(struct fsproc *p, int flags, unsigned mode, struct vnode *vn)
{
	struct vfs_lookup lk;
	int err = vfs_resolve(&vfs, p->cwd, path, 0, &lk);
	if (err == 0) {
		if ((flags & O_CREAT) && (flags & O_EXCL))
			return -EEXIST;
		*vn = lk.vn;
		return 0;
	}
	if (err != -ENOENT || !(flags & O_CREAT))
		return err;
	if ((err = vfs_resolve(&vfs, p->cwd, path, VFS_PARENT, &lk)))
		return err;
	const struct vfs_mount *m = mnt_of(lk.vn);
	uint64_t ino;
	if (!m->ops->create)
		return -EPERM;
	if ((err = m->ops->create(m->fs, lk.vn.ino, lk.name, mode & 07777, NULL, &ino)))
		return err;
	*vn = (struct vnode){lk.vn.mnt, ino};
	return 0;
}

static int open_kind(struct vnode vn, const struct vattr *va, int flags, struct ofile **of)
{
	enum of_kind kind = OF_VNODE;
	if (VFS_ISCHR(va->mode))
		kind = va->rdev == DEV_CONSOLE ? OF_CONSOLE
		       : va->rdev == DEV_NULL  ? OF_NULL
		                               : OF_ZERO;
	else if (mnt_of(vn)->ops == &procfs_ops && procfs_is_file(vn.ino))
		kind = OF_TEXT;
	struct ofile *f = *of = ofile_new(kind);
	if (!f)
		return -ENFILE;
	f->vn = vn;
	f->flags = flags & (O_ACCMODE | O_APPEND);
	if (kind == OF_TEXT) {
		f->text = malloc(8192);
		long n = f->text ? procfs_render(vn.ino, f->text, 8192) : -ENOMEM;
		f->tlen = n > 0 ? (size_t)n : 0;
	} else if (kind == OF_VNODE && mnt_of(vn)->ops->ref) {
		mnt_of(vn)->ops->ref(mnt_of(vn)->fs, vn.ino);
	}
	return 0;
}

static int do_open(struct server *s, const struct ipc_msg *req, struct ipc_msg *rep)
{
	(void)s;
	struct fsproc *p = caller(req);
	int flags = (int)req->m[0], err;
	struct ofile *of;
	struct vnode vn;
	struct vattr va;
	if (!p || (err = take_paths(req, false)))
		return result(rep, p ? err : -ENOMEM, 0);
	if (fd_free(p, 0) < 0)
		return result(rep, -EMFILE, 0); /* before O_CREAT makes anything */
	if ((err = open_resolve(p, flags, (unsigned)req->m[1], &vn)) ||
	    (err = vfs_getattr(&vfs, vn, &va)))
		return result(rep, err, 0);
	bool writes = (flags & O_ACCMODE) != O_RDONLY;
	if (VFS_ISDIR(va.mode) && writes)
		return result(rep, -EISDIR, 0);
	if (VFS_ISREG(va.mode) && writes && !mnt_of(vn)->ops->write)
		return result(rep, -EACCES, 0); /* a /proc file */
	if ((flags & O_TRUNC) && VFS_ISREG(va.mode) && writes && (err = vfs_truncate(&vfs, vn, 0)))
		return result(rep, err, 0);
	if ((err = open_kind(vn, &va, flags, &of)))
		return result(rep, err, 0);
	int fd = fd_install(p, of, 0);
	if (fd < 0)
		ofile_put(of);
	else if (flags & O_CLOEXEC)
		p->cloexec[fd] = true;
	return result(rep, fd, 0);
}

static int do_close(struct server *s, const struct ipc_msg *req, struct ipc_msg *rep)
{
	(void)s;
	struct fsproc *p = caller(req);
	long fd = (long)req->m[0];
	struct ofile *f = fd_file(p, fd);
	if (!f)
		return result(rep, -EBADF, 0);
	p->fd[fd] = NULL;
	ofile_put(f);
	return result(rep, 0, 0);
}

/* --- read and write ------------------------------------------------------- */

static long read_vnode(struct ofile *f, size_t n)
{
	struct vattr va;
	if (vfs_getattr(&vfs, f->vn, &va) == 0 && VFS_ISDIR(va.mode))
		return -EISDIR;
	long r = vfs_read(&vfs, f->vn, f->off, ipc, n);
	if (r > 0)
		f->off += (uint64_t)r;
	return r;
}

static int do_read(struct server *s, const struct ipc_msg *req, struct ipc_msg *rep)
{
	(void)s;
	struct fsproc *p = caller(req);
	struct ofile *f = fd_file(p, (long)req->m[0]);
	size_t n = req->m[1] < IPC_MAX ? req->m[1] : IPC_MAX;
	long r;
	if (!f || (f->flags & O_ACCMODE) == O_WRONLY)
		return result(rep, -EBADF, 0);
	switch (f->kind) {
	case OF_CONSOLE:
		return result(rep, FS_REDIRECT, 0);
	case OF_NULL:
		return result(rep, 0, 0);
	case OF_ZERO:
		memset(ipc, 0, n);
		return result(rep, (long)n, n);
	case OF_TEXT:
		r = f->off < f->tlen ? (long)(f->tlen - f->off < n ? f->tlen - f->off : n) : 0;
		memcpy(ipc, f->text + f->off, (size_t)r);
		f->off += (uint64_t)r;
		return result(rep, r, (size_t)r);
	case OF_PIPE_R: /* answered by the pipe, now or later */
		if (pipe_read(f->pipe, p->pid, req->token, n, &r))
			return SRV_DEFER;
		return result(rep, r, 0);
	case OF_VNODE:
		r = read_vnode(f, n);
		return result(rep, r, r > 0 ? (size_t)r : 0);
	default:
		return result(rep, -EBADF, 0);
	}
}

static long write_vnode(struct ofile *f, size_t n)
{
	struct vattr va;
	if ((f->flags & O_APPEND) && vfs_getattr(&vfs, f->vn, &va) == 0)
		f->off = va.size;
	long r = vfs_write(&vfs, f->vn, f->off, ipc, n);
	if (r > 0)
		f->off += (uint64_t)r;
	return r;
}

static int do_write(struct server *s, const struct ipc_msg *req, struct ipc_msg *rep)
{
	(void)s;
	struct fsproc *p = caller(req);
	struct ofile *f = fd_file(p, (long)req->m[0]);
	size_t n = TAG_LEN(req->tag);
	long r;
	if (!f || (f->flags & O_ACCMODE) == O_RDONLY)
		return result(rep, -EBADF, 0);
	switch (f->kind) {
	case OF_CONSOLE:
		return result(rep, FS_REDIRECT, 0);
	case OF_NULL:
	case OF_ZERO:
		return result(rep, (long)n, 0);
	case OF_PIPE_W:
		if (pipe_write(f->pipe, p->pid, req->token, ipc, n, &r))
			return SRV_DEFER;
		return result(rep, r, 0);
	case OF_VNODE:
		return result(rep, write_vnode(f, n), 0);
	default:
		return result(rep, -EBADF, 0);
	}
}

static int do_lseek(struct server *s, const struct ipc_msg *req, struct ipc_msg *rep)
{
	(void)s;
	struct ofile *f = fd_file(caller(req), (long)req->m[0]);
	struct vattr va = {0};
	long off = (long)req->m[1], base;
	if (!f)
		return result(rep, -EBADF, 0);
	if (f->kind == OF_PIPE_R || f->kind == OF_PIPE_W || f->kind == OF_CONSOLE)
		return result(rep, -ESPIPE, 0);
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
		base = f->kind == OF_TEXT ? (long)f->tlen : (long)va.size;
		break;
	default:
		return result(rep, -EINVAL, 0);
	}
	if (base + off < 0)
		return result(rep, -EINVAL, 0);
	f->off = (uint64_t)(base + off);
	f->cookie = 0;
	rep->m[0] = f->off;
	return result(rep, 0, 0);
}

/* --- names ------------------------------------------------------------------ */

static int do_stat(struct server *s, const struct ipc_msg *req, struct ipc_msg *rep)
{
	(void)s;
	struct fsproc *p = caller(req);
	struct vfs_lookup lk;
	struct vattr va;
	int err = p ? take_paths(req, false) : -ENOMEM;
	if (!err)
		err = vfs_resolve(&vfs, p->cwd, path, req->m[0] ? VFS_NOFOLLOW : 0, &lk);
	if (!err)
		err = vfs_getattr(&vfs, lk.vn, &va);
	if (err)
		return result(rep, err, 0);
	to_stat(lk.vn, &va, (struct fs_stat *)ipc);
	return result(rep, 0, sizeof(struct fs_stat));
}

static int do_fstat(struct server *s, const struct ipc_msg *req, struct ipc_msg *rep)
{
	(void)s;
	struct ofile *f = fd_file(caller(req), (long)req->m[0]);
	struct vattr va = {0};
	if (!f)
		return result(rep, -EBADF, 0);
	if (f->kind == OF_PIPE_R || f->kind == OF_PIPE_W) {
		va.mode = 0010600; /* S_IFIFO */
		va.size = pipebuf_count(&f->pipe->buf);
	} else {
		int err = vfs_getattr(&vfs, f->vn, &va);
		if (err)
			return result(rep, err, 0);
	}
	to_stat(f->vn, &va, (struct fs_stat *)ipc);
	return result(rep, 0, sizeof(struct fs_stat));
}

/* Resolves path's parent; *m its mount. */
static int parent_of(struct fsproc *p, const char *pth, struct vfs_lookup *lk,
                     const struct vfs_mount **m)
{
	int err = vfs_resolve(&vfs, p->cwd, pth, VFS_PARENT, lk);
	if (!err)
		*m = mnt_of(lk->vn);
	if (!err && (!strcmp(lk->name, ".") || !strcmp(lk->name, "..")))
		err = -EINVAL;
	return err;
}

enum name_op { N_MKDIR, N_RMDIR, N_UNLINK, N_SYMLINK };

static int name_op(const struct ipc_msg *req, struct ipc_msg *rep, enum name_op op)
{
	struct fsproc *p = caller(req);
	struct vfs_lookup lk;
	const struct vfs_mount *m;
	uint64_t ino;
	int err = p ? take_paths(req, op == N_SYMLINK) : -ENOMEM;
	const char *target = op == N_SYMLINK ? path2 : path;
	if (!err)
		err = parent_of(p, target, &lk, &m);
	if (!err && (op == N_RMDIR || op == N_UNLINK))
		err = vfs_busy(&vfs, lk.vn, lk.name);
	if (err)
		return result(rep, op == N_MKDIR && err == -EINVAL ? -EEXIST : err, 0);
	switch (op) {
	case N_MKDIR:
		err = m->ops->mkdir ? m->ops->mkdir(m->fs, lk.vn.ino, lk.name,
		                                    (uint32_t)req->m[0] & 07777, NULL, &ino)
		                    : -EPERM;
		break;
	case N_RMDIR:
		err = m->ops->rmdir ? m->ops->rmdir(m->fs, lk.vn.ino, lk.name) : -EPERM;
		break;
	case N_UNLINK:
		err = m->ops->unlink ? m->ops->unlink(m->fs, lk.vn.ino, lk.name) : -EPERM;
		break;
	case N_SYMLINK:
		err = m->ops->symlink ? m->ops->symlink(m->fs, lk.vn.ino, lk.name, path, NULL, &ino)
		                      : -EPERM;
		break;
	}
	return result(rep, err, 0);
}

static int do_mkdir(struct server *s, const struct ipc_msg *req, struct ipc_msg *rep)
{
	(void)s;
	return name_op(req, rep, N_MKDIR);
}

static int do_rmdir(struct server *s, const struct ipc_msg *req, struct ipc_msg *rep)
{
	(void)s;
	return name_op(req, rep, N_RMDIR);
}

static int do_unlink(struct server *s, const struct ipc_msg *req, struct ipc_msg *rep)
{
	(void)s;
	struct vfs_lookup lk;
	struct vattr va;
	struct fsproc *p = caller(req);
	if (p && !take_paths(req, false) && !vfs_resolve(&vfs, p->cwd, path, VFS_NOFOLLOW, &lk) &&
	    !vfs_getattr(&vfs, lk.vn, &va) && VFS_ISDIR(va.mode))
		return result(rep, -EISDIR, 0);
	return name_op(req, rep, N_UNLINK);
}

static int do_symlink(struct server *s, const struct ipc_msg *req, struct ipc_msg *rep)
{
	(void)s;
	return name_op(req, rep, N_SYMLINK);
}

static int do_link(struct server *s, const struct ipc_msg *req, struct ipc_msg *rep)
{
	(void)s;
	struct fsproc *p = caller(req);
	struct vfs_lookup from, to;
	const struct vfs_mount *m;
	int err = p ? take_paths(req, true) : -ENOMEM;
	if (!err)
		err = vfs_resolve(&vfs, p->cwd, path, VFS_NOFOLLOW, &from);
	if (!err)
		err = parent_of(p, path2, &to, &m);
	if (!err && from.vn.mnt != to.vn.mnt)
		err = -EXDEV;
	if (!err)
		err = m->ops->link ? m->ops->link(m->fs, to.vn.ino, to.name, from.vn.ino) : -EPERM;
	return result(rep, err, 0);
}

static int do_rename(struct server *s, const struct ipc_msg *req, struct ipc_msg *rep)
{
	(void)s;
	struct fsproc *p = caller(req);
	struct vfs_lookup from, to;
	const struct vfs_mount *m, *m2;
	int err = p ? take_paths(req, true) : -ENOMEM;
	if (!err)
		err = parent_of(p, path, &from, &m);
	if (!err)
		err = parent_of(p, path2, &to, &m2);
	if (!err)
		err = vfs_busy(&vfs, from.vn, from.name);
	if (!err)
		err = vfs_busy(&vfs, to.vn, to.name);
	if (!err && from.vn.mnt != to.vn.mnt)
		err = -EXDEV;
	if (!err)
		err = m->ops->rename
		          ? m->ops->rename(m->fs, from.vn.ino, from.name, to.vn.ino, to.name)
		          : -EPERM;
	return result(rep, err, 0);
}

static int do_readlink(struct server *s, const struct ipc_msg *req, struct ipc_msg *rep)
{
	(void)s;
	struct fsproc *p = caller(req);
	struct vfs_lookup lk;
	int err = p ? take_paths(req, false) : -ENOMEM;
	if (!err)
		err = vfs_resolve(&vfs, p->cwd, path, VFS_NOFOLLOW, &lk);
	if (err)
		return result(rep, err, 0);
	const struct vfs_mount *m = mnt_of(lk.vn);
	long n = m->ops->readlink ? m->ops->readlink(m->fs, lk.vn.ino, ipc, IPC_MAX) : -EINVAL;
	return result(rep, n, n > 0 ? (size_t)n : 0);
}

static int do_getdents(struct server *s, const struct ipc_msg *req, struct ipc_msg *rep)
{
	(void)s;
	struct ofile *f = fd_file(caller(req), (long)req->m[0]);
	struct fs_dirent *out = (struct fs_dirent *)ipc;
	struct vfs_dirent d;
	int n = 0, max = IPC_MAX / (int)sizeof(*out);
	if (!f || f->kind != OF_VNODE)
		return result(rep, -EBADF, 0);
	const struct vfs_mount *m = mnt_of(f->vn);
	while (n < max) {
		int r =
		    m->ops->readdir ? m->ops->readdir(m->fs, f->vn.ino, &f->cookie, &d) : -ENOTDIR;
		if (r < 0)
			return result(rep, r, 0);
		if (r == 0)
			break;
		out[n] = (struct fs_dirent){.ino = d.ino, .type = d.type};
		size_t nl = strnlen(d.name, sizeof(out[n].name) - 1);
		memcpy(out[n].name, d.name, nl);
		out[n].name[nl] = 0;
		n++;
	}
	return result(rep, n, (size_t)n * sizeof(*out));
}

static int do_chdir(struct server *s, const struct ipc_msg *req, struct ipc_msg *rep)
{
	(void)s;
	struct fsproc *p = caller(req);
	struct vfs_lookup lk;
	struct vattr va;
	int err = p ? take_paths(req, false) : -ENOMEM;
	if (!err)
		err = vfs_resolve(&vfs, p->cwd, path, 0, &lk);
	if (!err)
		err = vfs_getattr(&vfs, lk.vn, &va);
	if (!err && !VFS_ISDIR(va.mode))
		err = -ENOTDIR;
	if (!err)
		p->cwd = lk.vn;
	return result(rep, err, 0);
}

static int do_getcwd(struct server *s, const struct ipc_msg *req, struct ipc_msg *rep)
{
	(void)s;
	struct fsproc *p = caller(req);
	int n = p ? vfs_path(&vfs, p->cwd, ipc, IPC_MAX) : -ENOMEM;
	return result(rep, n, n >= 0 ? (size_t)n + 1 : 0);
}

/* --- descriptors -------------------------------------------------------- */

static int do_dup(struct server *s, const struct ipc_msg *req, struct ipc_msg *rep)
{
	(void)s;
	struct fsproc *p = caller(req);
	struct ofile *f = fd_file(p, (long)req->m[0]);
	if (!f)
		return result(rep, -EBADF, 0);
	return result(rep, fd_install(p, f, (int)req->m[1]), 0);
}

static int do_dup2(struct server *s, const struct ipc_msg *req, struct ipc_msg *rep)
{
	(void)s;
	struct fsproc *p = caller(req);
	long from = (long)req->m[0], to = (long)req->m[1];
	if (!fd_file(p, from) || to < 0 || to >= FS_MAX_FDS)
		return result(rep, -EBADF, 0);
	if (from == to)
		return result(rep, to, 0);
	p->fd[from]->refs++; /* first: to may name the same file */
	if (p->fd[to])
		ofile_put(p->fd[to]);
	p->fd[to] = p->fd[from];
	p->cloexec[to] = false;
	return result(rep, to, 0);
}

static int do_setfd(struct server *s, const struct ipc_msg *req, struct ipc_msg *rep)
{
	(void)s;
	struct fsproc *p = caller(req);
	long fd = (long)req->m[0];
	if (!fd_file(p, fd))
		return result(rep, -EBADF, 0);
	if ((long)req->m[1] == -1)
		return result(rep, p->cloexec[fd] ? FD_CLOEXEC : 0, 0);
	p->cloexec[fd] = req->m[1] & FD_CLOEXEC;
	return result(rep, 0, 0);
}

static int do_pipe(struct server *s, const struct ipc_msg *req, struct ipc_msg *rep)
{
	(void)s;
	struct fsproc *p = caller(req);
	if (!p)
		return result(rep, -ENOMEM, 0);
	int rfd = fd_free(p, 0), wfd = rfd >= 0 ? fd_free(p, rfd + 1) : -EMFILE;
	if (wfd < 0)
		return result(rep, -EMFILE, 0);
	struct ofile *r = ofile_new(OF_PIPE_R), *w = ofile_new(OF_PIPE_W);
	struct pipe *pp = r && w ? pipe_new() : NULL;
	if (!pp) {
		free(r);
		free(w);
		return result(rep, -ENFILE, 0);
	}
	/* May not fail after this point. */
	r->pipe = w->pipe = pp;
	r->flags = O_RDONLY, w->flags = O_WRONLY;
	rep->m[0] = (unsigned long)fd_install(p, r, rfd);
	rep->m[1] = (unsigned long)fd_install(p, w, wfd);
	return result(rep, 0, 0);
}

/* --- operations only pm may ask for --------------------------------------- */

static int do_pm_fork(struct server *s, const struct ipc_msg *req, struct ipc_msg *rep)
{
	(void)s;
	struct fsproc *parent = from_pm(req) ? fsproc_get((int)req->m[0], true) : NULL;
	struct fsproc *child = parent ? fsproc_get((int)req->m[1], true) : NULL;
	if (!child)
		return result(rep, from_pm(req) ? -ENOMEM : -EPERM, 0);
	child->cwd = parent->cwd;
	for (int i = 0; i < FS_MAX_FDS; i++) {
		if (parent->fd[i])
			parent->fd[i]->refs++;
		if (child->fd[i])
			ofile_put(child->fd[i]);
		child->fd[i] = parent->fd[i];
		child->cloexec[i] = parent->cloexec[i];
	}
	return result(rep, 0, 0);
}

static int do_pm_exit(struct server *s, const struct ipc_msg *req, struct ipc_msg *rep)
{
	(void)s;
	struct fsproc *p = from_pm(req) ? fsproc_get((int)req->m[0], false) : NULL;
	if (p)
		fsproc_drop(p);
	return result(rep, from_pm(req) ? 0 : -EPERM, 0);
}

static int do_pm_exec(struct server *s, const struct ipc_msg *req, struct ipc_msg *rep)
{
	(void)s;
	struct fsproc *p = from_pm(req) ? fsproc_get((int)req->m[0], false) : NULL;
	for (int i = 0; p && i < FS_MAX_FDS; i++)
		if (p->fd[i] && p->cloexec[i]) {
			ofile_put(p->fd[i]);
			p->fd[i] = NULL;
		}
	return result(rep, from_pm(req) ? 0 : -EPERM, 0);
}

/* Opens a program for exec: resolved from that process's cwd, installed
 * in pm's own table (pid 0). */
static int do_pm_open(struct server *s, const struct ipc_msg *req, struct ipc_msg *rep)
{
	(void)s;
	struct fsproc *who = from_pm(req) ? fsproc_get((int)req->m[0], true) : NULL;
	struct fsproc *pm = fsproc_get(0, true);
	struct vfs_lookup lk;
	struct vattr va;
	struct ofile *of;
	int err = who && pm ? take_paths(req, false) : from_pm(req) ? -ENOMEM : -EPERM;
	if (!err)
		err = vfs_resolve(&vfs, who->cwd, path, 0, &lk);
	if (!err)
		err = vfs_getattr(&vfs, lk.vn, &va);
	if (!err && VFS_ISDIR(va.mode))
		err = -EACCES;
	if (!err && !VFS_ISREG(va.mode))
		err = -EACCES;
	if (!err)
		err = open_kind(lk.vn, &va, O_RDONLY, &of);
	if (err)
		return result(rep, err, 0);
	int fd = fd_install(pm, of, 0);
	if (fd < 0)
		ofile_put(of);
	return result(rep, fd, 0);
}

static int do_pm_proc(struct server *s, const struct ipc_msg *req, struct ipc_msg *rep)
{
	(void)s;
	struct fs_proc in;
	struct proc_row *r;
	if (!from_pm(req) || TAG_LEN(req->tag) != sizeof(in))
		return result(rep, -EPERM, 0);
	memcpy(&in, ipc, sizeof(in));
	if (!(r = procfs_row(in.pid, in.state != 0)))
		return result(rep, in.state ? -ENOMEM : 0, 0);
	if ((req->tag & TAG_HANDLE) || !in.state) { /* a new task, or none */
		if (r->task >= 0)
			mica_handle_close(r->task);
		r->task = (req->tag & TAG_HANDLE) ? (long)TAG_SLOT(req->tag) : -1;
	}
	r->p = in;
	if (!in.state)
		r->p.pid = 0;
	return result(rep, 0, 0) | ((req->tag & TAG_HANDLE) ? SRV_KEEP_HANDLE : 0);
}

/* Fills the root from the boot archive, a piece at a time. */
static int do_pm_load(struct server *s, const struct ipc_msg *req, struct ipc_msg *rep)
{
	(void)s;
	size_t len = TAG_LEN(req->tag), plen = strnlen(ipc, len);
	struct fsproc *pm = fsproc_get(0, true);
	struct vfs_lookup lk;
	const struct vfs_mount *m;
	uint64_t ino;
	if (!from_pm(req) || plen >= len || !pm)
		return result(rep, pm ? -EPERM : -ENOMEM, 0);
	memcpy(path, ipc, plen + 1);
	int err = parent_of(pm, path, &lk, &m);
	if (!err && (!m->ops->mkdir || !m->ops->create || !m->ops->write))
		err = -EPERM; /* not into /dev or /proc */
	if (!err && req->m[2]) {
		err = m->ops->mkdir(m->fs, lk.vn.ino, lk.name, (uint32_t)req->m[0] & 07777, NULL,
		                    &ino);
		return result(rep, err == -EEXIST ? 0 : err, 0);
	}
	if (!err && req->m[1] == 0)
		err = m->ops->create(m->fs, lk.vn.ino, lk.name, (uint32_t)req->m[0] & 07777, NULL,
		                     &ino);
	if (!err || err == -EEXIST)
		err = m->ops->lookup(m->fs, lk.vn.ino, lk.name, &ino);
	size_t n = len - plen - 1;
	if (!err && n) {
		long w = m->ops->write(m->fs, ino, req->m[1], ipc + plen + 1, n);
		err = w < 0 ? (int)w : 0;
	}
	return result(rep, err, 0);
}

static const srv_handler handlers[FS_NOPS] = {
    [FS_OPEN] = do_open,       [FS_CLOSE] = do_close,       [FS_READ] = do_read,
    [FS_WRITE] = do_write,     [FS_LSEEK] = do_lseek,       [FS_STAT] = do_stat,
    [FS_FSTAT] = do_fstat,     [FS_MKDIR] = do_mkdir,       [FS_RMDIR] = do_rmdir,
    [FS_UNLINK] = do_unlink,   [FS_LINK] = do_link,         [FS_SYMLINK] = do_symlink,
    [FS_RENAME] = do_rename,   [FS_READLINK] = do_readlink, [FS_GETDENTS] = do_getdents,
    [FS_CHDIR] = do_chdir,     [FS_GETCWD] = do_getcwd,     [FS_DUP] = do_dup,
    [FS_DUP2] = do_dup2,       [FS_SETFD] = do_setfd,       [FS_PIPE] = do_pipe,
    [FS_PM_FORK] = do_pm_fork, [FS_PM_EXIT] = do_pm_exit,   [FS_PM_EXEC] = do_pm_exec,
    [FS_PM_OPEN] = do_pm_open, [FS_PM_PROC] = do_pm_proc,   [FS_PM_LOAD] = do_pm_load,
};

static long pipe_answer(unsigned long token, long res, size_t len)
{
	struct ipc_msg m = {.tag = PROTO_TAG(res, len)};
	return mica_reply(token, &m);
}

static uint64_t clock_s(void *arg)
{
	(void)arg;
	return (uint64_t)mica_time() / 1000000;
}

int main(void)
{
	static struct server srv = {.name = "fs", .ep = EP, .table = handlers, .nops = FS_NOPS};
	struct ramfs *root = ramfs_new(clock_s, NULL);
	struct vfs_fs rootfs = {&ramfs_ops, root, RAMFS_ROOT_INO, "ramfs", "rootfs", 0};
	struct vfs_fs devfs = {&devfs_ops, NULL, 1, "devfs", "devfs", 0};
	struct vfs_fs procfs = {&procfs_ops, NULL, 1, "proc", "proc", 0};
	uint64_t ino;
	ipc = mica_ipcbuf();
	vfs_init(&vfs);
	if (!root || !ipc || vfs_mount_root(&vfs, &rootfs) ||
	    ramfs_ops.mkdir(root, RAMFS_ROOT_INO, "dev", 0755, NULL, &ino) ||
	    ramfs_ops.mkdir(root, RAMFS_ROOT_INO, "proc", 0555, NULL, &ino) ||
	    vfs_mount(&vfs, vfs_root(&vfs), "/dev", &devfs) < 0 ||
	    vfs_mount(&vfs, vfs_root(&vfs), "/proc", &procfs) < 0) {
		static const char msg[] = "fs: cannot set up the file systems\n";
		mica_debug_write(msg, sizeof(msg) - 1);
		return 1;
	}
	pipe_setup(ipc, IPC_MAX, pipe_answer);
	static const char hello[] = "fs: ramfs on /, devfs on /dev, proc on /proc\n";
	mica_debug_write(hello, sizeof(hello) - 1);
	server_run(&srv);
}
