/* ramfs: nodes in an array sorted by inode number (numbers only grow, so
 * a new node is appended); a directory lists its entries in creation order
 * with readdir cookies. A node lives while it has links or open refs.
 * File data is in page blocks (blockmap.h), given back as files shrink. */
#include <stdlib.h>
#include <string.h>

#include "blockmap.h"
#include "ramfs.h"

struct rdirent {
	struct rdirent *next;
	uint64_t ino;
	uint64_t cookie; /* readdir position: 2, 3, ... ("." is 0, ".." 1) */
	char name[];
};

struct rnode {
	struct vattr va;
	uint32_t refs;
	struct blockmap blocks;      /* regular files: the contents */
	char *target;                /* symlinks: va.size bytes, no NUL */
	struct rdirent *head, *tail; /* directories */
	uint64_t next_cookie;
	uint64_t parent;
	uint32_t nent;
};

struct ramfs {
	struct rnode **nodes; /* sorted by ino */
	size_t count, cap;
	uint64_t next_ino;
	ramfs_clock_fn clock;
	void *clock_arg;
	size_t limit, used; /* bytes: data pages and symlink targets */
	size_t pages;       /* pages held by all files, index pages too */
};

static uint64_t now(const struct ramfs *fs)
{
	return fs->clock ? fs->clock(fs->clock_arg) : 0;
}

static bool is_dir(const struct rnode *n)
{
	return VFS_ISDIR(n->va.mode);
}

/* Index of ino in fs->nodes, or where it would go. */
static size_t slot_of(const struct ramfs *fs, uint64_t ino)
{
	size_t lo = 0, hi = fs->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (fs->nodes[mid]->va.ino < ino)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static struct rnode *node_get(const struct ramfs *fs, uint64_t ino)
{
	size_t i = slot_of(fs, ino);
	return i < fs->count && fs->nodes[i]->va.ino == ino ? fs->nodes[i] : NULL;
}

/* A node with no links yet, appended to the table. */
static struct rnode *node_new(struct ramfs *fs, uint32_t mode, const struct vfs_cred *cr)
{
	if (fs->count == fs->cap) {
		size_t ncap = fs->cap ? fs->cap * 2 : 16;
		struct rnode **t = realloc(fs->nodes, ncap * sizeof(*t));
		if (!t)
			return NULL;
		fs->nodes = t;
		fs->cap = ncap;
	}
	struct rnode *n = calloc(1, sizeof(*n));
	if (!n)
		return NULL;
	n->va.ino = fs->next_ino++;
	n->va.mode = mode;
	n->va.uid = cr ? cr->uid : 0;
	n->va.gid = cr ? cr->gid : 0;
	n->va.atime = n->va.mtime = n->va.ctime = now(fs);
	n->next_cookie = 2;
	fs->nodes[fs->count++] = n;
	return n;
}

/* Counts the change in n's pages since it held was. */
static void recount(struct ramfs *fs, const struct rnode *n, struct blockmap was)
{
	fs->pages = fs->pages - was.pages + n->blocks.pages;
	fs->used = fs->used - was.data_pages * FS_PAGE_SIZE + n->blocks.data_pages * FS_PAGE_SIZE;
}

/* Frees n's data blocks past size. */
static void drop_blocks(struct ramfs *fs, struct rnode *n, uint64_t size)
{
	struct blockmap was = n->blocks;
	bmap_truncate(&n->blocks, size);
	recount(fs, n, was);
}

static void node_free(struct ramfs *fs, struct rnode *n)
{
	size_t i = slot_of(fs, n->va.ino);
	memmove(&fs->nodes[i], &fs->nodes[i + 1], (fs->count - i - 1) * sizeof(*fs->nodes));
	fs->count--;
	while (n->head) {
		struct rdirent *d = n->head;
		n->head = d->next;
		free(d);
	}
	drop_blocks(fs, n, 0);
	if (n->target)
		fs->used -= (size_t)n->va.size;
	free(n->target);
	free(n);
}

static void maybe_free(struct ramfs *fs, struct rnode *n)
{
	if (n->va.nlink == 0 && n->refs == 0)
		node_free(fs, n);
}

/* Sets a file's size: a grown file reads zeros (a hole, no pages); a
 * shrunk one gives back the pages past its end. */
static int set_size(struct ramfs *fs, struct rnode *n, uint64_t size)
{
	if (size > RAMFS_FILE_MAX)
		return -ENOSPC;
	if (size < n->va.size)
		drop_blocks(fs, n, size);
	n->va.size = size;
	return 0;
}

static int check_name(const char *name)
{
	size_t len = strlen(name);
	if (len == 0)
		return -ENOENT;
	if (len > VFS_NAME_MAX)
		return -ENAMETOOLONG;
	if (memchr(name, '/', len))
		return -EINVAL;
	return 0;
}

static bool is_dots(const char *name)
{
	return strcmp(name, ".") == 0 || strcmp(name, "..") == 0;
}

/* The live directory ino: -ENOENT if gone or removed, -ENOTDIR. */
static int get_dir(const struct ramfs *fs, uint64_t ino, struct rnode **out)
{
	struct rnode *d = node_get(fs, ino);
	if (!d || d->va.nlink == 0)
		return -ENOENT;
	if (!is_dir(d))
		return -ENOTDIR;
	*out = d;
	return 0;
}

/* The entry called name in d; *prev gets its predecessor (or NULL). */
static struct rdirent *dir_find(const struct rnode *d, const char *name, struct rdirent **prev)
{
	struct rdirent *p = NULL;
	for (struct rdirent *e = d->head; e; p = e, e = e->next) {
		if (strcmp(e->name, name) == 0) {
			if (prev)
				*prev = p;
			return e;
		}
	}
	return NULL;
}

static struct rdirent *dirent_new(const char *name, uint64_t ino)
{
	size_t n = strlen(name) + 1;
	struct rdirent *e = malloc(sizeof(*e) + n);
	if (!e)
		return NULL;
	e->next = NULL;
	e->ino = ino;
	memcpy(e->name, name, n);
	return e;
}

static void dir_append(struct rnode *d, struct rdirent *e)
{
	e->cookie = d->next_cookie++;
	if (d->tail)
		d->tail->next = e;
	else
		d->head = e;
	d->tail = e;
	d->nent++;
}

static void dir_remove(struct rnode *d, struct rdirent *e, struct rdirent *prev)
{
	if (prev)
		prev->next = e->next;
	else
		d->head = e->next;
	if (d->tail == e)
		d->tail = prev;
	d->nent--;
	free(e);
}

static void touch(const struct ramfs *fs, struct rnode *n, bool modified)
{
	n->va.ctime = now(fs);
	if (modified)
		n->va.mtime = n->va.ctime;
}

static int ramfs_lookup(void *p, uint64_t dir, const char *name, uint64_t *ino)
{
	struct ramfs *fs = p;
	struct rnode *d;
	int r = get_dir(fs, dir, &d);
	if (r < 0)
		return r;
	if (strcmp(name, ".") == 0) {
		*ino = dir;
		return 0;
	}
	if (strcmp(name, "..") == 0) {
		*ino = d->parent;
		return 0;
	}
	if ((r = check_name(name)) < 0)
		return r;
	struct rdirent *e = dir_find(d, name, NULL);
	if (!e)
		return -ENOENT;
	*ino = e->ino;
	return 0;
}

static int ramfs_getattr(void *p, uint64_t ino, struct vattr *va)
{
	struct rnode *n = node_get(p, ino);
	if (!n)
		return -ENOENT;
	*va = n->va;
	if (is_dir(n))
		va->size = n->nent + 2;
	return 0;
}

static int ramfs_setattr(void *p, uint64_t ino, const struct vattr *va, unsigned mask)
{
	struct ramfs *fs = p;
	struct rnode *n = node_get(fs, ino);
	if (!n)
		return -ENOENT;
	if (mask & VFS_SET_MODE)
		n->va.mode = (n->va.mode & VFS_IFMT) | (va->mode & VFS_PERM);
	if (mask & VFS_SET_UID)
		n->va.uid = va->uid;
	if (mask & VFS_SET_GID)
		n->va.gid = va->gid;
	if (mask & VFS_SET_ATIME)
		n->va.atime = va->atime;
	if (mask & VFS_SET_MTIME)
		n->va.mtime = va->mtime;
	n->va.ctime = now(fs);
	return 0;
}

/* The regular file ino, for I/O. */
static int get_file(const struct ramfs *fs, uint64_t ino, struct rnode **out)
{
	struct rnode *n = node_get(fs, ino);
	if (!n)
		return -ENOENT;
	if (is_dir(n))
		return -EISDIR;
	if (!VFS_ISREG(n->va.mode))
		return -EINVAL;
	*out = n;
	return 0;
}

/* What a read of len bytes at off gets: the file in *np and a count (0
 * at or past the end), or -errno. Reading sets atime. */
static long read_span(struct ramfs *fs, uint64_t ino, uint64_t off, size_t len, struct rnode **np)
{
	int r = get_file(fs, ino, np);
	if (r < 0)
		return r;
	(*np)->va.atime = now(fs);
	uint64_t size = (*np)->va.size;
	return off >= size ? 0 : (long)(size - off < len ? size - off : len);
}

static long ramfs_read(void *p, uint64_t ino, uint64_t off, void *buf, size_t len)
{
	struct rnode *n;
	long cnt = read_span(p, ino, off, len, &n);
	if (cnt > 0)
		bmap_read(&n->blocks, off, buf, (size_t)cnt);
	return cnt;
}

static long ramfs_read_to(void *p, uint64_t ino, uint64_t off, size_t len, vfs_sink sink, void *arg)
{
	struct rnode *n;
	long cnt = read_span(p, ino, off, len, &n);
	return cnt > 0 ? bmap_read_to(&n->blocks, off, (size_t)cnt, sink, arg) : cnt;
}

static long ramfs_write(void *p, uint64_t ino, uint64_t off, const void *buf, size_t len)
{
	struct ramfs *fs = p;
	struct rnode *n;
	int r = get_file(fs, ino, &n);
	if (r < 0)
		return r;
	if (len == 0)
		return 0;
	if (off > RAMFS_FILE_MAX || len > RAMFS_FILE_MAX - off)
		return -ENOSPC;
	size_t more = bmap_missing(&n->blocks, off, len) * FS_PAGE_SIZE;
	if (fs->limit && fs->used + more > fs->limit)
		return -ENOSPC;
	struct blockmap was = n->blocks;
	if ((r = bmap_write(&n->blocks, off, buf, len)) < 0)
		return r;
	recount(fs, n, was);
	if (off + len > n->va.size)
		n->va.size = off + len;
	touch(fs, n, true);
	return (long)len;
}

static int ramfs_truncate(void *p, uint64_t ino, uint64_t size)
{
	struct ramfs *fs = p;
	struct rnode *n;
	int r = get_file(fs, ino, &n);
	if (r < 0)
		return r;
	if ((r = set_size(fs, n, size)) < 0)
		return r;
	touch(fs, n, true);
	return 0;
}

/* Makes a node of the given mode under name in directory dir, with one
 * link. The caller sets up the type-specific part. */
static int make_node(struct ramfs *fs, uint64_t dir, const char *name, uint32_t mode,
                     const struct vfs_cred *cr, struct rnode **out)
{
	struct rnode *d, *n;
	uint64_t ino;
	int r = get_dir(fs, dir, &d);
	if (r < 0)
		return r;
	if (ramfs_lookup(fs, dir, name, &ino) == 0)
		return -EEXIST;
	if ((r = check_name(name)) < 0)
		return r;
	struct rdirent *e = dirent_new(name, 0);
	if (!e || !(n = node_new(fs, mode, cr))) {
		free(e);
		return -ENOSPC;
	}
	e->ino = n->va.ino;
	dir_append(d, e);
	n->va.nlink = 1;
	n->parent = dir;
	touch(fs, d, true);
	*out = n;
	return 0;
}

static int ramfs_create(void *p, uint64_t dir, const char *name, uint32_t mode,
                        const struct vfs_cred *cr, uint64_t *ino)
{
	struct rnode *n;
	int r = make_node(p, dir, name, VFS_IFREG | (mode & VFS_PERM), cr, &n);
	if (r < 0)
		return r;
	*ino = n->va.ino;
	return 0;
}

static int ramfs_mkdir(void *p, uint64_t dir, const char *name, uint32_t mode,
                       const struct vfs_cred *cr, uint64_t *ino)
{
	struct rnode *n;
	int r = make_node(p, dir, name, VFS_IFDIR | (mode & VFS_PERM), cr, &n);
	if (r < 0)
		return r;
	n->va.nlink = 2;
	node_get(p, dir)->va.nlink++;
	*ino = n->va.ino;
	return 0;
}

static int ramfs_mknod(void *p, uint64_t dir, const char *name, uint32_t mode, uint64_t rdev,
                       const struct vfs_cred *cr, uint64_t *ino)
{
	struct rnode *n;
	if ((mode & VFS_IFMT) != VFS_IFCHR && (mode & VFS_IFMT) != VFS_IFIFO)
		return -EINVAL;
	int r = make_node(p, dir, name, mode & (VFS_IFMT | VFS_PERM), cr, &n);
	if (r < 0)
		return r;
	n->va.rdev = rdev;
	*ino = n->va.ino;
	return 0;
}

static int ramfs_symlink(void *p, uint64_t dir, const char *name, const char *target,
                         const struct vfs_cred *cr, uint64_t *ino)
{
	struct ramfs *fs = p;
	struct rnode *n;
	size_t len = strlen(target);
	if (len == 0)
		return -ENOENT;
	if (len >= VFS_PATH_MAX)
		return -ENAMETOOLONG;
	if (fs->limit && fs->used + len > fs->limit)
		return -ENOSPC;
	char *copy = malloc(len);
	if (!copy)
		return -ENOSPC;
	int r = make_node(fs, dir, name, VFS_IFLNK | 0777, cr, &n);
	if (r < 0) {
		free(copy);
		return r;
	}
	memcpy(copy, target, len);
	n->target = copy;
	n->va.size = len;
	fs->used += len;
	*ino = n->va.ino;
	return 0;
}

static long ramfs_readlink(void *p, uint64_t ino, char *buf, size_t len, const struct vfs_cred *cr)
{
	(void)cr; /* a link's target is the same for everyone */
	struct rnode *n = node_get(p, ino);
	if (!n)
		return -ENOENT;
	if (!VFS_ISLNK(n->va.mode))
		return -EINVAL;
	size_t cnt = n->va.size < len ? (size_t)n->va.size : len;
	memcpy(buf, n->target, cnt);
	return (long)cnt;
}

static int ramfs_link(void *p, uint64_t dir, const char *name, uint64_t ino)
{
	struct ramfs *fs = p;
	struct rnode *d, *n = node_get(fs, ino);
	uint64_t other;
	int r = get_dir(fs, dir, &d);
	if (r < 0)
		return r;
	if (!n || n->va.nlink == 0)
		return -ENOENT;
	if (is_dir(n))
		return -EPERM;
	if (ramfs_lookup(fs, dir, name, &other) == 0)
		return -EEXIST;
	if ((r = check_name(name)) < 0)
		return r;
	struct rdirent *e = dirent_new(name, ino);
	if (!e)
		return -ENOSPC;
	dir_append(d, e);
	n->va.nlink++;
	touch(fs, n, false);
	touch(fs, d, true);
	return 0;
}

/* Drops one link to n, which some entry of directory d named. */
static void drop_link(struct ramfs *fs, struct rnode *d, struct rnode *n)
{
	if (is_dir(n)) {
		n->va.nlink = 0;
		d->va.nlink--;
	} else {
		n->va.nlink--;
	}
	touch(fs, n, false);
	maybe_free(fs, n);
}

/* Finds the entry name in directory dir for unlink and rmdir. */
static int find_victim(struct ramfs *fs, uint64_t dir, const char *name, struct rnode **d,
                       struct rdirent **e, struct rdirent **prev)
{
	int r = get_dir(fs, dir, d);
	if (r < 0 || (r = check_name(name)) < 0)
		return r;
	*e = dir_find(*d, name, prev);
	return *e ? 0 : -ENOENT;
}

static int ramfs_unlink(void *p, uint64_t dir, const char *name)
{
	struct ramfs *fs = p;
	struct rnode *d;
	struct rdirent *e, *prev = NULL;
	if (is_dots(name))
		return -EISDIR;
	int r = find_victim(fs, dir, name, &d, &e, &prev);
	if (r < 0)
		return r;
	struct rnode *n = node_get(fs, e->ino);
	if (is_dir(n))
		return -EISDIR;
	dir_remove(d, e, prev);
	drop_link(fs, d, n);
	touch(fs, d, true);
	return 0;
}

static int ramfs_rmdir(void *p, uint64_t dir, const char *name)
{
	struct ramfs *fs = p;
	struct rnode *d;
	struct rdirent *e, *prev = NULL;
	if (strcmp(name, ".") == 0)
		return -EINVAL;
	if (strcmp(name, "..") == 0)
		return -ENOTEMPTY;
	int r = find_victim(fs, dir, name, &d, &e, &prev);
	if (r < 0)
		return r;
	struct rnode *n = node_get(fs, e->ino);
	if (!is_dir(n))
		return -ENOTDIR;
	if (n->nent > 0)
		return -ENOTEMPTY;
	dir_remove(d, e, prev);
	drop_link(fs, d, n);
	touch(fs, d, true);
	return 0;
}

/* POSIX rename rules for moving src over dst (NULL if none) in directory
 * nd. Returns 1 when they are the same node (nothing to do). */
static int rename_check(const struct ramfs *fs, const struct rnode *src, const struct rnode *nd,
                        const struct rnode *dst)
{
	if (src == dst)
		return 1;
	if (!is_dir(src))
		return dst && is_dir(dst) ? -EISDIR : 0;
	for (const struct rnode *a = nd;; a = node_get(fs, a->parent)) {
		if (a == src)
			return -EINVAL;
		if (a->va.ino == RAMFS_ROOT_INO)
			break;
	}
	if (dst && !is_dir(dst))
		return -ENOTDIR;
	if (dst && dst->nent > 0)
		return -ENOTEMPTY;
	return 0;
}

/* Points the entry de (new, or dst's) in nd at src. */
static void rename_commit(struct ramfs *fs, struct rnode *od, struct rnode *nd, struct rnode *src,
                          struct rdirent *de, struct rnode *dst)
{
	if (dst) {
		de->ino = src->va.ino;
		drop_link(fs, nd, dst);
	} else {
		dir_append(nd, de);
	}
	if (is_dir(src) && od != nd) {
		od->va.nlink--;
		nd->va.nlink++;
	}
	src->parent = nd->va.ino;
	touch(fs, src, false);
	touch(fs, od, true);
	touch(fs, nd, true);
}

static int ramfs_rename(void *p, uint64_t odir, const char *oname, uint64_t ndir, const char *nname)
{
	struct ramfs *fs = p;
	struct rnode *od, *nd;
	struct rdirent *se, *sprev = NULL;
	if (is_dots(oname) || is_dots(nname))
		return -EINVAL;
	int r = find_victim(fs, odir, oname, &od, &se, &sprev);
	if (r < 0 || (r = get_dir(fs, ndir, &nd)) < 0 || (r = check_name(nname)) < 0)
		return r;
	struct rnode *src = node_get(fs, se->ino);
	struct rdirent *de = dir_find(nd, nname, NULL);
	struct rnode *dst = de ? node_get(fs, de->ino) : NULL;
	if ((r = rename_check(fs, src, nd, dst)) != 0)
		return r < 0 ? r : 0;
	if (!de && !(de = dirent_new(nname, src->va.ino)))
		return -ENOSPC;
	rename_commit(fs, od, nd, src, de, dst);
	dir_remove(od, se, sprev);
	return 0;
}

static uint8_t dt_of(uint32_t mode)
{
	switch (mode & VFS_IFMT) {
	case VFS_IFDIR:
		return VFS_DT_DIR;
	case VFS_IFREG:
		return VFS_DT_REG;
	case VFS_IFLNK:
		return VFS_DT_LNK;
	case VFS_IFCHR:
		return VFS_DT_CHR;
	case VFS_IFIFO:
		return VFS_DT_FIFO;
	}
	return VFS_DT_UNKNOWN;
}

static void fill_dirent(const struct ramfs *fs, struct vfs_dirent *out, const char *name,
                        uint64_t ino)
{
	const struct rnode *n = node_get(fs, ino);
	out->ino = ino;
	out->type = n ? dt_of(n->va.mode) : VFS_DT_UNKNOWN;
	strcpy(out->name, name);
}

static int ramfs_readdir(void *p, uint64_t dir, uint64_t *cookie, struct vfs_dirent *out)
{
	struct ramfs *fs = p;
	struct rnode *d;
	int r = get_dir(fs, dir, &d);
	if (r < 0)
		return r;
	if (*cookie < 2) {
		fill_dirent(fs, out, *cookie == 0 ? "." : "..", *cookie == 0 ? dir : d->parent);
		++*cookie;
		return 1;
	}
	for (struct rdirent *e = d->head; e; e = e->next) {
		if (e->cookie >= *cookie) {
			fill_dirent(fs, out, e->name, e->ino);
			*cookie = e->cookie + 1;
			return 1;
		}
	}
	return 0;
}

int ramfs_ref(struct ramfs *fs, uint64_t ino)
{
	struct rnode *n = node_get(fs, ino);
	if (!n)
		return -ENOENT;
	n->refs++;
	return 0;
}

int ramfs_unref(struct ramfs *fs, uint64_t ino)
{
	struct rnode *n = node_get(fs, ino);
	if (!n)
		return -ENOENT;
	if (n->refs == 0)
		return -EINVAL;
	n->refs--;
	maybe_free(fs, n);
	return 0;
}

static int op_ref(void *p, uint64_t ino)
{
	return ramfs_ref(p, ino);
}

static int op_unref(void *p, uint64_t ino)
{
	return ramfs_unref(p, ino);
}

/* Pages held against the pages still to be had (within the limit, if
 * one is set); a node costs memory too, so free inodes follow free pages. */
static int op_statfs(void *p, struct vfs_statfs *st)
{
	const struct ramfs *fs = p;
	uint64_t room = page_room();
	if (fs->limit) {
		uint64_t left = fs->limit > fs->used ? (fs->limit - fs->used) / FS_PAGE_SIZE : 0;
		room = room < left ? room : left;
	}
	*st = (struct vfs_statfs){.bsize = FS_PAGE_SIZE,
	                          .blocks = fs->pages + room,
	                          .bfree = room,
	                          .bavail = room,
	                          .files = fs->count + room,
	                          .ffree = room};
	return 0;
}

const struct fs_ops ramfs_ops = {
    .lookup = ramfs_lookup,
    .getattr = ramfs_getattr,
    .setattr = ramfs_setattr,
    .read = ramfs_read,
    .write = ramfs_write,
    .truncate = ramfs_truncate,
    .create = ramfs_create,
    .mkdir = ramfs_mkdir,
    .mknod = ramfs_mknod,
    .symlink = ramfs_symlink,
    .readlink = ramfs_readlink,
    .link = ramfs_link,
    .unlink = ramfs_unlink,
    .rmdir = ramfs_rmdir,
    .rename = ramfs_rename,
    .readdir = ramfs_readdir,
    .ref = op_ref,
    .unref = op_unref,
    .statfs = op_statfs,
    .read_to = ramfs_read_to,
};

struct ramfs *ramfs_new(ramfs_clock_fn clock, void *clock_arg)
{
	struct ramfs *fs = calloc(1, sizeof(*fs));
	if (!fs)
		return NULL;
	fs->clock = clock;
	fs->clock_arg = clock_arg;
	fs->next_ino = RAMFS_ROOT_INO;
	struct rnode *root = node_new(fs, VFS_IFDIR | RAMFS_ROOT_MODE, NULL);
	if (!root) {
		free(fs->nodes);
		free(fs);
		return NULL;
	}
	root->va.nlink = 2;
	root->parent = RAMFS_ROOT_INO;
	return fs;
}

void ramfs_destroy(struct ramfs *fs)
{
	if (!fs)
		return;
	while (fs->count > 0)
		node_free(fs, fs->nodes[fs->count - 1]);
	free(fs->nodes);
	free(fs);
}

void ramfs_set_limit(struct ramfs *fs, size_t bytes)
{
	fs->limit = bytes;
}

size_t ramfs_inode_count(const struct ramfs *fs)
{
	return fs->count;
}

size_t ramfs_bytes_used(const struct ramfs *fs)
{
	return fs->used;
}

size_t ramfs_pages_used(const struct ramfs *fs)
{
	return fs->pages;
}
