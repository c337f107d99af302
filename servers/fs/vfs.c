/* The mount table and path resolution. A path is walked one component at
 * a time through each file system's lookup; a symlink's target replaces
 * the component, so the remaining path is rewritten in a second buffer. */
#include <stdlib.h>
#include <string.h>

#include "vfs.h"

/* Copies src into dst[size]; -ENAMETOOLONG if it does not fit. */
static int copy_name(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);
	if (n >= size)
		return -ENAMETOOLONG;
	memcpy(dst, src, n + 1);
	return 0;
}

/* What resolution cannot do without; every other operation is optional. */
static bool ops_usable(const struct fs_ops *ops)
{
	return ops && ops->lookup && ops->getattr;
}

void vfs_init(struct vfs *vfs)
{
	memset(vfs, 0, sizeof(*vfs));
}

static int fill_mount(struct vfs_mount *m, const struct vfs_fs *f, struct vnode covered,
                      const char *path)
{
	struct vfs_mount n;
	memset(&n, 0, sizeof(n));
	n.used = true;
	n.ops = f->ops;
	n.fs = f->fs;
	n.covered = covered;
	n.root = f->root;
	n.flags = f->flags;
	if (copy_name(n.type, f->type ? f->type : "", sizeof(n.type)) < 0 ||
	    copy_name(n.source, f->source ? f->source : "none", sizeof(n.source)) < 0 ||
	    copy_name(n.path, path, sizeof(n.path)) < 0)
		return -ENAMETOOLONG;
	*m = n;
	return 0;
}

int vfs_mount_root(struct vfs *vfs, const struct vfs_fs *f)
{
	if (vfs->mnt[0].used)
		return -EBUSY;
	if (!ops_usable(f->ops))
		return -EINVAL;
	return fill_mount(&vfs->mnt[0], f, (struct vnode){-1, 0}, "/");
}

int vfs_mount(struct vfs *vfs, struct vnode cwd, const char *path, const struct vfs_fs *f)
{
	struct vfs_lookup lk;
	struct vattr va;
	char abs[VFS_MPATH_MAX];
	int r = vfs_resolve(vfs, cwd, path, 0, &lk);
	if (r < 0)
		return r;
	if ((r = vfs_getattr(vfs, lk.vn, &va)) < 0)
		return r;
	if (!VFS_ISDIR(va.mode))
		return -ENOTDIR;
	if (vfs_is_mount_root(vfs, lk.vn))
		return -EBUSY;
	if (!ops_usable(f->ops))
		return -EINVAL;
	if ((r = vfs_path(vfs, lk.vn, abs, sizeof(abs))) < 0)
		return r == -ERANGE ? -ENAMETOOLONG : r;
	for (int i = 1; i < VFS_MAX_MOUNTS; i++) {
		if (vfs->mnt[i].used)
			continue;
		if ((r = fill_mount(&vfs->mnt[i], f, lk.vn, abs)) < 0)
			return r;
		return i;
	}
	return -ENOSPC;
}

int vfs_switch_root(struct vfs *vfs, const struct vfs_fs *f, void **old)
{
	if (!vfs->mnt[0].used || !ops_usable(f->ops))
		return -EINVAL;
	struct vfs_mount was = vfs->mnt[0];
	struct vnode covered[VFS_MAX_MOUNTS];
	for (int i = 0; i < VFS_MAX_MOUNTS; i++) /* all of them: a failure restores all */
		covered[i] = vfs->mnt[i].covered;
	int r = fill_mount(&vfs->mnt[0], f, (struct vnode){-1, 0}, "/");
	for (int i = 1; r == 0 && i < VFS_MAX_MOUNTS; i++) {
		struct vfs_mount *m = &vfs->mnt[i];
		if (!m->used || m->covered.mnt != 0)
			continue;
		/* the same path in the new root; mounted on in the order they were */
		struct vfs_lookup lk;
		struct vattr va;
		m->used = false;
		if ((r = vfs_resolve(vfs, vfs_root(vfs), m->path, 0, &lk)) == 0 &&
		    (r = vfs_getattr(vfs, lk.vn, &va)) == 0 && !VFS_ISDIR(va.mode))
			r = -ENOTDIR;
		if (r == 0 && lk.vn.mnt != 0)
			r = -EBUSY;
		m->used = true;
		m->covered = lk.vn;
	}
	if (r < 0) { /* as it was */
		vfs->mnt[0] = was;
		for (int i = 1; i < VFS_MAX_MOUNTS; i++)
			if (vfs->mnt[i].used && covered[i].mnt == 0)
				vfs->mnt[i].covered = covered[i];
		return r;
	}
	if (old)
		*old = was.fs;
	return 0;
}

int vfs_umount(struct vfs *vfs, struct vnode cwd, const char *path, void **fs)
{
	struct vfs_lookup lk;
	int r = vfs_resolve(vfs, cwd, path, 0, &lk);
	if (r < 0)
		return r;
	int k = lk.vn.mnt;
	if (k == 0 || !vfs_is_mount_root(vfs, lk.vn))
		return -EINVAL;
	for (int i = 1; i < VFS_MAX_MOUNTS; i++)
		if (vfs->mnt[i].used && vfs->mnt[i].covered.mnt == k)
			return -EBUSY;
	if (fs)
		*fs = vfs->mnt[k].fs;
	memset(&vfs->mnt[k], 0, sizeof(vfs->mnt[k]));
	return k;
}

struct vnode vfs_root(const struct vfs *vfs)
{
	return (struct vnode){0, vfs->mnt[0].root};
}

const struct vfs_mount *vfs_mount_at(const struct vfs *vfs, int mnt)
{
	if (mnt < 0 || mnt >= VFS_MAX_MOUNTS || !vfs->mnt[mnt].used)
		return NULL;
	return &vfs->mnt[mnt];
}

bool vfs_is_mount_root(const struct vfs *vfs, struct vnode vn)
{
	const struct vfs_mount *m = vfs_mount_at(vfs, vn.mnt);
	return m && vn.ino == m->root;
}

int vfs_getattr(const struct vfs *vfs, struct vnode vn, struct vattr *va)
{
	const struct vfs_mount *m = vfs_mount_at(vfs, vn.mnt);
	if (!m)
		return -ENOENT;
	return m->ops->getattr(m->fs, vn.ino, va);
}

long vfs_read(const struct vfs *vfs, struct vnode vn, uint64_t off, void *buf, size_t len)
{
	const struct vfs_mount *m = vfs_mount_at(vfs, vn.mnt);
	if (!m)
		return -ENOENT;
	if (!m->ops->read)
		return -EINVAL;
	return m->ops->read(m->fs, vn.ino, off, buf, len);
}

long vfs_read_to(const struct vfs *vfs, struct vnode vn, uint64_t off, size_t len, vfs_sink sink,
                 void *arg)
{
	const struct vfs_mount *m = vfs_mount_at(vfs, vn.mnt);
	if (!m)
		return -ENOENT;
	if (!m->ops->read_to)
		return -ENOSYS;
	return m->ops->read_to(m->fs, vn.ino, off, len, sink, arg);
}

long vfs_write(const struct vfs *vfs, struct vnode vn, uint64_t off, const void *buf, size_t len)
{
	const struct vfs_mount *m = vfs_mount_at(vfs, vn.mnt);
	if (!m)
		return -ENOENT;
	if (!m->ops->write)
		return -EACCES;
	return m->ops->write(m->fs, vn.ino, off, buf, len);
}

int vfs_truncate(const struct vfs *vfs, struct vnode vn, uint64_t size)
{
	const struct vfs_mount *m = vfs_mount_at(vfs, vn.mnt);
	if (!m)
		return -ENOENT;
	if (!m->ops->truncate)
		return -EACCES;
	return m->ops->truncate(m->fs, vn.ino, size);
}

int vfs_busy(const struct vfs *vfs, struct vnode dir, const char *name)
{
	struct vnode vn;
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return 0; /* not a name in dir; the caller refuses these */
	if (vfs_lookup_at(vfs, dir, name, &vn) < 0)
		return 0; /* nothing there to be busy */
	return vn.mnt != dir.mnt ? -EBUSY : 0;
}

/* The parent of directory dir: out of a mount root into the directory it
 * covers first; "/" is its own parent. */
static int dotdot(const struct vfs *vfs, struct vnode dir, struct vnode *out)
{
	for (int hops = 0; vfs_is_mount_root(vfs, dir); hops++) {
		struct vnode up = vfs->mnt[dir.mnt].covered;
		if (up.mnt < 0 || hops >= VFS_MAX_MOUNTS) {
			*out = dir;
			return 0;
		}
		dir = up;
	}
	const struct vfs_mount *m = vfs_mount_at(vfs, dir.mnt);
	if (!m)
		return -ENOENT;
	out->mnt = dir.mnt;
	return m->ops->lookup(m->fs, dir.ino, "..", &out->ino);
}

/* The root of the file system mounted on vn, or vn itself. */
static struct vnode cross_down(const struct vfs *vfs, struct vnode vn)
{
	for (int i = 1; i < VFS_MAX_MOUNTS; i++) {
		const struct vfs_mount *m = &vfs->mnt[i];
		if (m->used && m->covered.mnt == vn.mnt && m->covered.ino == vn.ino)
			return (struct vnode){i, m->root};
	}
	return vn;
}

int vfs_lookup_at(const struct vfs *vfs, struct vnode dir, const char *name, struct vnode *out)
{
	const struct vfs_mount *m = vfs_mount_at(vfs, dir.mnt);
	if (!m)
		return -ENOENT;
	if (strcmp(name, ".") == 0) {
		*out = dir;
		return 0;
	}
	if (strcmp(name, "..") == 0)
		return dotdot(vfs, dir, out);
	uint64_t ino;
	int r = m->ops->lookup(m->fs, dir.ino, name, &ino);
	if (r < 0)
		return r;
	*out = cross_down(vfs, (struct vnode){dir.mnt, ino});
	return 0;
}

/* State of one resolution. path[pos..] is what is left to walk; spare is
 * a buffer of the same size for splicing in a symlink's target. */
struct walk {
	const struct vfs *vfs;
	const struct vfs_cred *cr; /* who asks, for readlink */
	char *path, *spare;
	size_t pos;
	int links;
	struct vnode cur;
	bool cur_dir;  /* cur is a directory */
	bool must_dir; /* the last component walked had a trailing slash */
};

/* Replaces the component just taken by the symlink's target: path becomes
 * target + the rest, walked from "/" or from the link's directory. */
static int follow(struct walk *w, struct vnode link)
{
	const struct vfs_mount *m = vfs_mount_at(w->vfs, link.mnt);
	if (++w->links > VFS_SYMLOOP_MAX)
		return -ELOOP;
	if (!m->ops->readlink)
		return -EINVAL;
	long n = m->ops->readlink(m->fs, link.ino, w->spare, VFS_PATH_MAX, w->cr);
	if (n < 0)
		return (int)n;
	if (n == 0)
		return -ENOENT;
	const char *rest = w->path + w->pos;
	size_t rlen = strlen(rest);
	if ((size_t)n + rlen >= VFS_PATH_MAX)
		return -ENAMETOOLONG;
	memcpy(w->spare + n, rest, rlen + 1);
	char *t = w->path;
	w->path = w->spare;
	w->spare = t;
	w->pos = 0;
	if (w->path[0] == '/') {
		w->cur = vfs_root(w->vfs);
		w->cur_dir = true;
	}
	return 0;
}

/* Walks one component from the directory w->cur. */
static int step(struct walk *w, const char *name, bool nofollow)
{
	struct vnode next;
	struct vattr va;
	int r = vfs_lookup_at(w->vfs, w->cur, name, &next);
	if (r < 0)
		return r;
	if ((r = vfs_getattr(w->vfs, next, &va)) < 0)
		return r;
	if (VFS_ISLNK(va.mode) && !nofollow)
		return follow(w, next);
	w->cur = next;
	w->cur_dir = VFS_ISDIR(va.mode);
	return 0;
}

/* Copies the component at path[pos] into name and moves past it.
 * Returns true through *last if only slashes follow it. */
static int take_name(struct walk *w, char *name, bool *last, bool *slash)
{
	const char *s = w->path + w->pos;
	size_t n = strcspn(s, "/");
	if (n > VFS_NAME_MAX)
		return -ENAMETOOLONG;
	memcpy(name, s, n);
	name[n] = '\0';
	w->pos += n;
	s += n;
	*slash = *s == '/';
	while (*s == '/')
		s++;
	*last = *s == '\0';
	return 0;
}

/* Search permission on the directory the walk is in: POSIX asks it of
 * every directory a path goes through; root passes. */
static int may_search(const struct walk *w)
{
	struct vattr va;
	if (!w->cr || w->cr->uid == 0)
		return 0;
	int r = vfs_getattr(w->vfs, w->cur, &va);
	if (r < 0)
		return r;
	unsigned bits = w->cr->uid == va.uid          ? va.mode >> 6
	                : vfs_in_group(w->cr, va.gid) ? va.mode >> 3
	                                              : va.mode;
	return bits & 1 ? 0 : -EACCES;
}

static int walk(struct walk *w, int flags, struct vfs_lookup *out)
{
	char name[VFS_NAME_MAX + 1];
	for (;;) {
		bool last, slash;
		while (w->path[w->pos] == '/')
			w->pos++;
		if (w->path[w->pos] == '\0')
			break;
		int r = take_name(w, name, &last, &slash);
		if (r < 0)
			return r;
		if (!w->cur_dir)
			return -ENOTDIR;
		if ((r = may_search(w)) < 0)
			return r;
		if (last && (flags & VFS_PARENT)) {
			out->vn = w->cur;
			memcpy(out->name, name, sizeof(name));
			out->trailing_slash = slash;
			return 0;
		}
		w->must_dir = slash;
		bool nofollow = last && !slash && (flags & VFS_NOFOLLOW);
		if ((r = step(w, name, nofollow)) < 0)
			return r;
	}
	if (w->must_dir && !w->cur_dir)
		return -ENOTDIR;
	out->vn = w->cur;
	strcpy(out->name, (flags & VFS_PARENT) ? "." : "");
	out->trailing_slash = false;
	return 0;
}

int vfs_resolve(const struct vfs *vfs, struct vnode cwd, const char *path, int flags,
                struct vfs_lookup *out)
{
	return vfs_resolve_as(vfs, cwd, path, flags, NULL, out);
}

int vfs_resolve_as(const struct vfs *vfs, struct vnode cwd, const char *path, int flags,
                   const struct vfs_cred *cr, struct vfs_lookup *out)
{
	size_t len = strlen(path);
	if (len == 0)
		return -ENOENT;
	if (len >= VFS_PATH_MAX)
		return -ENAMETOOLONG;
	struct walk w = {.vfs = vfs, .cr = cr, .cur = path[0] == '/' ? vfs_root(vfs) : cwd};
	struct vattr va;
	int r = vfs_getattr(vfs, w.cur, &va);
	if (r < 0)
		return r;
	w.cur_dir = VFS_ISDIR(va.mode);
	/* one walk at a time: a server runs one handler at a time, and a
	 * walk starts no other */
	static char bufs[2 * VFS_PATH_MAX];
	w.path = bufs;
	w.spare = bufs + VFS_PATH_MAX;
	memcpy(w.path, path, len + 1);
	return walk(&w, flags, out);
}

/* Finds the name under which directory parent lists child. */
static int name_in(const struct vfs_mount *m, uint64_t parent, uint64_t child,
                   struct vfs_dirent *de)
{
	uint64_t cookie = 0;
	int r;
	if (!m->ops->readdir)
		return -ENOENT;
	while ((r = m->ops->readdir(m->fs, parent, &cookie, de)) > 0) {
		if (de->ino == child && strcmp(de->name, ".") != 0 && strcmp(de->name, "..") != 0)
			return 0;
	}
	return r < 0 ? r : -ENOENT;
}

/* Puts "/" name in front of buf[*pos..]. */
static int prepend(char *buf, size_t *pos, const char *name)
{
	size_t n = strlen(name);
	if (*pos < n + 1)
		return -ERANGE;
	*pos -= n;
	memcpy(buf + *pos, name, n);
	buf[--*pos] = '/';
	return 0;
}

int vfs_path(const struct vfs *vfs, struct vnode dir, char *buf, size_t len)
{
	struct vfs_dirent de;
	if (len < 2)
		return -ERANGE;
	size_t pos = len - 1;
	buf[pos] = '\0';
	for (int steps = 0; steps < VFS_PATH_MAX / 2; steps++) {
		const struct vfs_mount *m = vfs_mount_at(vfs, dir.mnt);
		if (!m)
			return -ENOENT;
		if (dir.ino == m->root) {
			if (m->covered.mnt < 0) {
				if (pos == len - 1)
					buf[--pos] = '/';
				memmove(buf, buf + pos, len - pos);
				return (int)(len - 1 - pos);
			}
			dir = m->covered;
			continue;
		}
		uint64_t parent;
		int r = m->ops->lookup(m->fs, dir.ino, "..", &parent);
		if (r < 0 || (r = name_in(m, parent, dir.ino, &de)) < 0 ||
		    (r = prepend(buf, &pos, de.name)) < 0)
			return r;
		dir.ino = parent;
	}
	return -ENAMETOOLONG;
}

/* Appends s to buf as far as it fits; *n counts every byte regardless. */
static void put(char *buf, size_t len, size_t *n, const char *s)
{
	for (; *s; s++, (*n)++)
		if (*n + 1 < len)
			buf[*n] = *s;
}

size_t vfs_mounts(const struct vfs *vfs, char *buf, size_t len)
{
	size_t n = 0;
	for (int i = 0; i < VFS_MAX_MOUNTS; i++) {
		const struct vfs_mount *m = &vfs->mnt[i];
		if (!m->used)
			continue;
		put(buf, len, &n, m->source);
		put(buf, len, &n, " ");
		put(buf, len, &n, m->path);
		put(buf, len, &n, " ");
		put(buf, len, &n, m->type);
		put(buf, len, &n, (m->flags & VFS_MNT_RDONLY) ? " ro 0 0\n" : " rw 0 0\n");
	}
	if (len > 0)
		buf[n < len ? n : len - 1] = '\0';
	return n;
}
