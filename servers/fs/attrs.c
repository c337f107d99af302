/* fs requests on a file's metadata: chmod, chown, utimens, truncate,
 * access and mknod, by path (from the cwd or a directory descriptor) or,
 * with an empty path, on the file an fd holds. Each checks the caller's
 * rights (its uid and gid from pm's rows) before it changes anything. */
#include <string.h>

#include "fsreq.h"
#include "mica/errno.h"

bool may_access(const struct vfs_cred *cr, const struct vattr *va, int want)
{
	unsigned m = va->mode;
	if (!cr || cr->uid == 0) /* root: all but running what nobody may */
		return !(want & 1) || (m & 0111) || VFS_ISDIR(m);
	unsigned bits = cr->uid == va->uid ? m >> 6 : vfs_in_group(cr, va->gid) ? m >> 3 : m;
	return ((unsigned)want & ~bits & 7) == 0;
}

static bool is_owner(const struct vfs_cred *cr, const struct vattr *va)
{
	return cr->uid == 0 || cr->uid == va->uid;
}

/* The request's target, its attributes and mount: the common start. */
static int attr_begin(struct fsreq *c, const struct srv_req *req, struct vnode *vn,
                      struct vattr *va)
{
	fsreq_begin(c, req);
	int err = fsreq_paths(c, false);
	if (!err)
		err = fsreq_target(c, req->m[2] & FS_AT_NOFOLLOW, vn);
	if (!err)
		err = vfs_getattr(&vfs, *vn, va);
	return err;
}

/* Sets the fields of mask to va's, where the file system can. */
static int attr_set(struct vnode vn, const struct vattr *va, unsigned mask)
{
	const struct vfs_mount *m = mnt_of(vn);
	return m && m->ops->setattr ? m->ops->setattr(m->fs, vn.ino, va, mask) : -EPERM;
}

int fs_do_chmod(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct fsreq c;
	struct vnode vn;
	struct vattr va;
	int err = attr_begin(&c, req, &vn, &va);
	if (!err && !is_owner(&c.cr, &va))
		err = -EPERM;
	if (err)
		return fs_result(rep, err, 0);
	va.mode = (uint32_t)req->m[0] & VFS_PERM;
	return fs_result(rep, attr_set(vn, &va, VFS_SET_MODE), 0);
}

int fs_do_chown(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct fsreq c;
	struct vnode vn;
	struct vattr va;
	uint32_t uid = (uint32_t)req->m[0], gid = (uint32_t)req->m[1];
	unsigned mask =
	    (uid != UINT32_MAX ? VFS_SET_UID : 0) | (gid != UINT32_MAX ? VFS_SET_GID : 0);
	int err = attr_begin(&c, req, &vn, &va);
	if (err)
		return fs_result(rep, err, 0);
	bool root = c.cr.uid == 0;
	if (!root && (!is_owner(&c.cr, &va) || ((mask & VFS_SET_UID) && uid != va.uid) ||
	              ((mask & VFS_SET_GID) && gid != va.gid && gid != c.cr.gid)))
		return fs_result(rep, -EPERM, 0); /* only root gives a file away */
	va.uid = uid, va.gid = gid;
	return fs_result(rep, mask ? attr_set(vn, &va, mask) : 0, 0);
}

/* One time of FS_UTIMENS: m is seconds, FS_UTIME_NOW or FS_UTIME_OMIT. */
static unsigned utime_field(unsigned long m, uint64_t *t, unsigned bit, bool *explicit_time)
{
	if (m == FS_UTIME_OMIT)
		return 0;
	if (m == FS_UTIME_NOW) {
		*t = fs_now();
	} else {
		*t = m;
		*explicit_time = true;
	}
	return bit;
}

int fs_do_utimens(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct fsreq c;
	struct vnode vn;
	struct vattr va;
	bool explicit_time = false;
	int err = attr_begin(&c, req, &vn, &va);
	if (err)
		return fs_result(rep, err, 0);
	unsigned mask = utime_field(req->m[0], &va.atime, VFS_SET_ATIME, &explicit_time) |
	                utime_field(req->m[1], &va.mtime, VFS_SET_MTIME, &explicit_time);
	if (explicit_time && !is_owner(&c.cr, &va))
		return fs_result(rep, -EPERM, 0);
	if (!explicit_time && !is_owner(&c.cr, &va) && !may_access(&c.cr, &va, 2))
		return fs_result(rep, -EACCES, 0);
	return fs_result(rep, mask ? attr_set(vn, &va, mask) : 0, 0);
}

int fs_do_truncate(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct fsreq c;
	struct vnode vn;
	struct vattr va;
	long size = (long)req->m[0];
	int err = attr_begin(&c, req, &vn, &va);
	bool on_fd = !err && c.path[0] == 0 && c.basef;
	if (!err && size < 0)
		err = -EINVAL;
	if (!err && on_fd &&
	    (c.basef->kind != OF_VNODE || !VFS_ISREG(va.mode) ||
	     (c.basef->flags & FS_O_ACCMODE) == FS_O_RDONLY))
		err = -EINVAL; /* ftruncate: a regular file open for writing */
	if (!err && VFS_ISDIR(va.mode))
		err = -EISDIR;
	if (!err && !VFS_ISREG(va.mode))
		err = -EINVAL;
	if (!err && !on_fd && !may_access(&c.cr, &va, 2))
		err = -EACCES;
	if (!err && c.p && (uint64_t)size > va.size &&
	    (uint64_t)size > fsproc_limit(c.p, MRLIM_FSIZE))
		err = -EFBIG; /* growing past RLIMIT_FSIZE: the library raises SIGXFSZ */
	if (!err)
		err = vfs_truncate(&vfs, vn, (uint64_t)size);
	return fs_result(rep, err, 0);
}

int fs_do_access(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct fsreq c;
	struct vnode vn;
	struct vattr va;
	if (req->m[0] > 7)
		return fs_result(rep, -EINVAL, 0);
	int err = attr_begin(&c, req, &vn, &va);
	if (!err && !may_access(&c.cr, &va, (int)req->m[0]))
		err = -EACCES;
	return fs_result(rep, err, 0);
}

int fs_do_statfs(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	struct fsreq c;
	struct vnode vn;
	struct vattr va;
	struct vfs_statfs st = {.bsize = 4096, .bavail = UINT64_MAX};
	if (req->m[2] & ~(unsigned long)FS_AT_NOFOLLOW)
		return fs_result(rep, -EINVAL, 0);
	int err = attr_begin(&c, req, &vn, &va);
	const struct vfs_mount *m = err ? NULL : mnt_of(vn);
	if (!err && !m)
		err = -ENOENT;
	if (!err && m->ops->statfs)
		err = m->ops->statfs(m->fs, &st);
	if (err)
		return fs_result(rep, err, 0);
	struct fs_statfs *out = srv_out(s);
	*out = (struct fs_statfs){.bsize = st.bsize,
	                          .blocks = st.blocks,
	                          .bfree = st.bfree,
	                          .bavail = st.bavail == UINT64_MAX ? st.bfree : st.bavail,
	                          .files = st.files,
	                          .ffree = st.ffree,
	                          .fsid = (uint64_t)vn.mnt + 1,
	                          .namemax = 255,
	                          .rdonly = (m->flags & VFS_MNT_RDONLY) ? 1 : 0};
	return fs_result(rep, 0, sizeof(*out));
}

int fs_do_mknod(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct fsreq c;
	struct vfs_lookup lk;
	const struct vfs_mount *m;
	uint32_t mode = (uint32_t)req->m[0], type = mode & VFS_IFMT;
	uint64_t ino;
	fsreq_begin(&c, req);
	int err = fsreq_paths(&c, false);
	if (!err && type != VFS_IFIFO && type != VFS_IFREG && type != 0)
		err = c.cr.uid == 0 ? -EINVAL : -EPERM; /* devices: not made this way */
	if (err)
		return fs_result(rep, err, 0);
	if ((err = parent_of(&c, c.base, c.path, &lk, &m)))
		return fs_result(rep, err == -EINVAL ? -EEXIST : err, 0); /* "." or ".." */
	if (type == VFS_IFIFO)
		err = m->ops->mknod ? m->ops->mknod(m->fs, lk.vn.ino, lk.name,
		                                    mode & (VFS_IFMT | VFS_PERM), 0, &c.cr, &ino)
		                    : -EPERM;
	else
		err = m->ops->create
		          ? m->ops->create(m->fs, lk.vn.ino, lk.name, mode & VFS_PERM, &c.cr, &ino)
		          : -EPERM;
	return fs_result(rep, err, 0);
}
