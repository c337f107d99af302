/* fs requests that name files by path: stat, the namespace operations
 * (mkdir, rmdir, unlink, symlink, link, rename), readlink and chdir.
 * Paths come in the payload and resolve from the caller's cwd, as the
 * caller (/proc/self is its pid). */
#include <string.h>

#include "fsreq.h"
#include "mica/errno.h"

int fs_do_stat(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	struct fsreq c;
	struct vfs_lookup lk;
	struct vattr va;
	fsreq_begin(&c, req);
	int err = fsreq_paths(&c, false);
	if (!err)
		err =
		    vfs_resolve_as(&vfs, c.base, c.path, req->m[0] ? VFS_NOFOLLOW : 0, &c.cr, &lk);
	if (!err)
		err = vfs_getattr(&vfs, lk.vn, &va);
	if (err)
		return fs_result(rep, err, 0);
	to_stat(lk.vn, &va, srv_out(s));
	return fs_result(rep, 0, sizeof(struct fs_stat));
}

enum name_op { N_MKDIR, N_RMDIR, N_UNLINK, N_SYMLINK };

/* In a sticky directory (/tmp) only root, the directory's owner or the
 * entry's owner may remove or rename the entry. 0 also if it is absent. */
static int sticky_ok(const struct fsreq *c, const struct vfs_mount *m, struct vnode dir,
                     const char *name)
{
	struct vattr dva, fva;
	uint64_t ino;
	if (c->cr.uid == 0 || vfs_getattr(&vfs, dir, &dva) || !(dva.mode & 01000) ||
	    dva.uid == c->cr.uid || m->ops->lookup(m->fs, dir.ino, name, &ino))
		return 0;
	int err = vfs_getattr(&vfs, (struct vnode){dir.mnt, ino}, &fva);
	return err ? err : fva.uid == c->cr.uid ? 0 : -EPERM;
}

/* The operation itself, on a checked parent. */
static int name_apply(const struct fsreq *c, const struct vfs_mount *m, const struct vfs_lookup *lk,
                      enum name_op op)
{
	uint64_t ino;
	switch (op) {
	case N_MKDIR:
		return m->ops->mkdir ? m->ops->mkdir(m->fs, lk->vn.ino, lk->name,
		                                     (uint32_t)c->req->m[0] & 07777, &c->cr, &ino)
		                     : -EPERM;
	case N_RMDIR:
		return m->ops->rmdir ? m->ops->rmdir(m->fs, lk->vn.ino, lk->name) : -EPERM;
	case N_UNLINK:
		return m->ops->unlink ? m->ops->unlink(m->fs, lk->vn.ino, lk->name) : -EPERM;
	case N_SYMLINK:
		return m->ops->symlink
		           ? m->ops->symlink(m->fs, lk->vn.ino, lk->name, c->path, &c->cr, &ino)
		           : -EPERM;
	}
	return -EINVAL;
}

static int name_op(const struct srv_req *req, struct srv_rep *rep, enum name_op op)
{
	struct fsreq c;
	struct vfs_lookup lk;
	const struct vfs_mount *m;
	fsreq_begin(&c, req);
	int err = fsreq_paths(&c, op == N_SYMLINK);
	if (!err)
		err = parent_of(&c, op == N_SYMLINK ? c.base2 : c.base,
		                op == N_SYMLINK ? c.path2 : c.path, &lk, &m);
	if (!err && (op == N_RMDIR || op == N_UNLINK))
		err = vfs_busy(&vfs, lk.vn, lk.name);
	if (!err && (op == N_RMDIR || op == N_UNLINK))
		err = sticky_ok(&c, m, lk.vn, lk.name);
	if (err)
		return fs_result(rep, op == N_MKDIR && err == -EINVAL ? -EEXIST : err, 0);
	return fs_result(rep, name_apply(&c, m, &lk, op), 0);
}

int fs_do_mkdir(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	return name_op(req, rep, N_MKDIR);
}

int fs_do_rmdir(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	return name_op(req, rep, N_RMDIR);
}

int fs_do_unlink(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct fsreq c;
	struct vfs_lookup lk;
	struct vattr va;
	fsreq_begin(&c, req);
	if (!fsreq_paths(&c, false) &&
	    !vfs_resolve_as(&vfs, c.base, c.path, VFS_NOFOLLOW, &c.cr, &lk) &&
	    !vfs_getattr(&vfs, lk.vn, &va) && VFS_ISDIR(va.mode))
		return fs_result(rep, -EISDIR, 0);
	return name_op(req, rep, N_UNLINK);
}

int fs_do_symlink(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	return name_op(req, rep, N_SYMLINK);
}

int fs_do_link(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct fsreq c;
	struct vfs_lookup from, to;
	const struct vfs_mount *m;
	fsreq_begin(&c, req);
	int err = fsreq_paths(&c, true);
	if (!err)
		err = vfs_resolve_as(&vfs, c.base, c.path, req->m[0] ? 0 : VFS_NOFOLLOW, &c.cr,
		                     &from);
	if (!err)
		err = parent_of(&c, c.base2, c.path2, &to, &m);
	if (!err && from.vn.mnt != to.vn.mnt)
		err = -EXDEV;
	if (!err)
		err = m->ops->link ? m->ops->link(m->fs, to.vn.ino, to.name, from.vn.ino) : -EPERM;
	return fs_result(rep, err, 0);
}

int fs_do_rename(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct fsreq c;
	struct vfs_lookup from, to;
	const struct vfs_mount *m, *m2;
	fsreq_begin(&c, req);
	int err = fsreq_paths(&c, true);
	if (!err)
		err = parent_of(&c, c.base, c.path, &from, &m);
	if (!err)
		err = parent_of(&c, c.base2, c.path2, &to, &m2);
	if (!err)
		err = vfs_busy(&vfs, from.vn, from.name);
	if (!err)
		err = vfs_busy(&vfs, to.vn, to.name);
	if (!err && from.vn.mnt != to.vn.mnt)
		err = -EXDEV;
	if (!err)
		err = sticky_ok(&c, m, from.vn, from.name);
	if (!err)
		err = sticky_ok(&c, m2, to.vn, to.name);
	if (!err)
		err = m->ops->rename
		          ? m->ops->rename(m->fs, from.vn.ino, from.name, to.vn.ino, to.name)
		          : -EPERM;
	return fs_result(rep, err, 0);
}

int fs_do_readlink(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	struct fsreq c;
	struct vfs_lookup lk;
	fsreq_begin(&c, req);
	int err = fsreq_paths(&c, false);
	if (!err)
		err = vfs_resolve_as(&vfs, c.base, c.path, VFS_NOFOLLOW, &c.cr, &lk);
	if (err)
		return fs_result(rep, err, 0);
	/* done with the path: the reply may overwrite it */
	const struct vfs_mount *m = mnt_of(lk.vn);
	long n = m->ops->readlink ? m->ops->readlink(m->fs, lk.vn.ino, srv_out(s), IPC_MAX, &c.cr)
	                          : -EINVAL;
	return fs_result(rep, n, n > 0 ? (size_t)n : 0);
}

int fs_do_chdir(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct fsreq c;
	struct vnode vn;
	struct vattr va;
	fsreq_begin(&c, req);
	int err = fsreq_paths(&c, false);
	if (!err)
		err = fsreq_target(&c, false, &vn); /* an empty path: fchdir */
	if (!err)
		err = vfs_getattr(&vfs, vn, &va);
	if (!err && !VFS_ISDIR(va.mode))
		err = -ENOTDIR;
	if (!err && !may_access(&c.cr, &va, 1))
		err = -EACCES;
	if (!err)
		c.p->cwd = vn;
	return fs_result(rep, err, 0);
}
