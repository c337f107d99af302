/* ext2's fs_ops: each operation is one buffer-cache transaction. It
 * checks, then changes; any error (-EMISS for a block still on its way
 * included) aborts the transaction, so nothing is left half done and a
 * deferred operation can simply be run again. The namespace operations
 * (create, link, rename, ...) are in ext2names.c. */
#include <stdlib.h>
#include <string.h>

#include "dcache.h"
#include "ext2int.h"
#include "ext2names.h"

int e2_begin(struct ext2 *fs, bool write)
{
	if (write && fs->rdonly)
		return -EROFS;
	bcache_begin(fs->bc);
	return 0;
}

long e2_end(struct ext2 *fs, long r)
{
	if (r < 0)
		bcache_abort(fs->bc);
	else
		bcache_commit(fs->bc);
	return r;
}

int e2_check_name(const char *name)
{
	size_t len = strlen(name);
	if (len == 0)
		return -ENOENT;
	if (len > VFS_NAME_MAX)
		return -ENAMETOOLONG;
	return memchr(name, '/', len) ? -EINVAL : 0;
}

/* The directory ino, still linked (-ENOENT if removed), or -ENOTDIR. */
int e2_get_dir(struct ext2 *fs, uint64_t ino, struct e2_ino *dp)
{
	int r = e2_iget(fs, ino, dp);
	if (r < 0)
		return r;
	if (!VFS_ISDIR(dp->i->i_mode))
		return -ENOTDIR;
	return dp->i->i_links_count ? 0 : -ENOENT;
}

static int do_lookup(struct ext2 *fs, uint64_t dir, const char *name, uint64_t *ino)
{
	struct e2_ino d;
	uint32_t found;
	int r = e2_get_dir(fs, dir, &d);
	if (r < 0 || (r = e2_check_name(name)) < 0)
		return r;
	if (strcmp(name, ".") == 0) {
		*ino = d.ino;
		return 0;
	}
	if ((r = dcache_lookup(fs, d.ino, name, ino)) != 0)
		return r < 0 ? r : 0;
	/* ".." changes under a rename without an entry of that name changing */
	bool cache = strcmp(name, "..") != 0;
	if ((r = e2_dir_find(fs, &d, name, &found, NULL)) < 0) {
		if (r == -ENOENT && cache)
			dcache_enter(fs, d.ino, name, 0);
		return r;
	}
	if (cache)
		dcache_enter(fs, d.ino, name, found);
	*ino = found;
	return 0;
}

static int ext2_lookup(void *p, uint64_t dir, const char *name, uint64_t *ino)
{
	struct ext2 *fs = p;
	e2_begin(fs, false);
	return (int)e2_end(fs, do_lookup(fs, dir, name, ino));
}

/* The device number of a device node, as Linux stores it: the old
 * 16-bit form in i_block[0] when it fits, else the new one in i_block[1]. */
static uint64_t rdev_of(const struct ext2_inode *i)
{
	return i->i_block[0] ? i->i_block[0] : i->i_block[1];
}

static void fill_attr(struct ext2 *fs, const struct e2_ino *ip, struct vattr *va)
{
	const struct ext2_inode *i = ip->i;
	memset(va, 0, sizeof(*va));
	va->ino = ip->ino;
	va->mode = i->i_mode;
	va->nlink = i->i_links_count;
	va->size = e2_size(fs, i);
	va->uid = e2_uid(i);
	va->gid = e2_gid(i);
	if (VFS_ISCHR(i->i_mode) || (i->i_mode & VFS_IFMT) == 0060000)
		va->rdev = rdev_of(i);
	va->atime = i->i_atime;
	va->mtime = i->i_mtime;
	va->ctime = i->i_ctime;
}

static int ext2_getattr(void *p, uint64_t ino, struct vattr *va)
{
	struct ext2 *fs = p;
	struct e2_ino ip;
	e2_begin(fs, false);
	int r = e2_iget(fs, ino, &ip);
	if (r == 0)
		fill_attr(fs, &ip, va);
	return (int)e2_end(fs, r);
}

static int do_setattr(struct ext2 *fs, uint64_t ino, const struct vattr *va, unsigned mask)
{
	struct e2_ino ip;
	int r = e2_iget(fs, ino, &ip);
	if (r < 0 || (r = e2_iwrite(fs, &ip)) < 0)
		return r;
	struct ext2_inode *i = ip.i;
	if (mask & VFS_SET_MODE)
		i->i_mode = (uint16_t)((i->i_mode & VFS_IFMT) | (va->mode & VFS_PERM));
	if (mask & VFS_SET_UID)
		i->i_uid = (uint16_t)va->uid, i->i_uid_high = (uint16_t)(va->uid >> 16);
	if (mask & VFS_SET_GID)
		i->i_gid = (uint16_t)va->gid, i->i_gid_high = (uint16_t)(va->gid >> 16);
	if (mask & VFS_SET_ATIME)
		i->i_atime = (uint32_t)va->atime;
	if (mask & VFS_SET_MTIME)
		i->i_mtime = (uint32_t)va->mtime;
	i->i_ctime = e2_now(fs);
	return 0;
}

static int ext2_setattr(void *p, uint64_t ino, const struct vattr *va, unsigned mask)
{
	struct ext2 *fs = p;
	int r = e2_begin(fs, true);
	return r < 0 ? r : (int)e2_end(fs, do_setattr(fs, ino, va, mask));
}

/* The regular file ino: -EISDIR for a directory, -EINVAL for others. */
static int get_file(struct ext2 *fs, uint64_t ino, struct e2_ino *ip)
{
	int r = e2_iget(fs, ino, ip);
	if (r < 0)
		return r;
	if (VFS_ISDIR(ip->i->i_mode))
		return -EISDIR;
	return VFS_ISREG(ip->i->i_mode) ? 0 : -EINVAL;
}

static long ext2_read(void *p, uint64_t ino, uint64_t off, void *buf, size_t len)
{
	struct ext2 *fs = p;
	struct e2_ino ip;
	e2_begin(fs, false);
	long r = get_file(fs, ino, &ip);
	if (r == 0)
		r = e2_read(fs, &ip, off, buf, len);
	return e2_end(fs, r);
}

static long ext2_write(void *p, uint64_t ino, uint64_t off, const void *buf, size_t len)
{
	struct ext2 *fs = p;
	struct e2_ino ip;
	long r = e2_begin(fs, true);
	if (r < 0)
		return r;
	if ((r = get_file(fs, ino, &ip)) == 0 && len > 0)
		r = e2_write(fs, &ip, off, buf, len);
	return e2_end(fs, r);
}

static int ext2_truncate(void *p, uint64_t ino, uint64_t size)
{
	struct ext2 *fs = p;
	struct e2_ino ip;
	int r = e2_begin(fs, true);
	if (r < 0)
		return r;
	if ((r = get_file(fs, ino, &ip)) == 0)
		r = e2_truncate(fs, &ip, size);
	return (int)e2_end(fs, r);
}

static long ext2_readlink(void *p, uint64_t ino, char *buf, size_t len, const struct vfs_cred *cr)
{
	(void)cr; /* a link's target is the same for everyone */
	struct ext2 *fs = p;
	struct e2_ino ip;
	e2_begin(fs, false);
	long r = e2_iget(fs, ino, &ip);
	if (r == 0)
		r = VFS_ISLNK(ip.i->i_mode) ? e2_readlink(fs, &ip, buf, len) : -EINVAL;
	return e2_end(fs, r);
}

static int ext2_readdir(void *p, uint64_t dir, uint64_t *cookie, struct vfs_dirent *out)
{
	struct ext2 *fs = p;
	struct e2_ino d;
	uint64_t c = *cookie;
	e2_begin(fs, false);
	int r = e2_iget(fs, dir, &d);
	if (r == 0)
		r = e2_dir_next(fs, &d, &c, out);
	if (r >= 0)
		*cookie = c;
	return (int)e2_end(fs, r);
}

static int ext2_ref(void *p, uint64_t ino)
{
	struct ext2 *fs = p;
	for (size_t k = 0; k < fs->nopen; k++)
		if (fs->open[k].ino == ino) {
			fs->open[k].refs++;
			return 0;
		}
	if (ino < 1 || ino > fs->inodes)
		return -ENOENT;
	if (fs->nopen == fs->capopen) {
		size_t cap = fs->capopen ? fs->capopen * 2 : 16;
		struct ext2_open *t = realloc(fs->open, cap * sizeof(*t));
		if (!t)
			return -ENOMEM;
		fs->open = t;
		fs->capopen = cap;
	}
	fs->open[fs->nopen++] = (struct ext2_open){(uint32_t)ino, 1};
	return 0;
}

/* Frees ino if its last link has gone. */
static int evict_unlinked(struct ext2 *fs, uint64_t ino)
{
	struct e2_ino ip;
	if (fs->rdonly)
		return 0;
	bcache_begin(fs->bc);
	int r = e2_iget(fs, ino, &ip);
	if (r == 0 && ip.i->i_links_count == 0 && ip.i->i_dtime == 0)
		r = e2_evict(fs, &ip);
	return (int)e2_end(fs, r);
}

static int ext2_unref(void *p, uint64_t ino)
{
	struct ext2 *fs = p;
	for (size_t k = 0; k < fs->nopen; k++) {
		if (fs->open[k].ino != ino)
			continue;
		if (fs->open[k].refs > 1) {
			fs->open[k].refs--;
			return 0;
		}
		int r = evict_unlinked(fs, ino); /* -EMISS: the ref stays, run again */
		if (r < 0 && r != -EIO)
			return r;
		fs->open[k] = fs->open[--fs->nopen];
		return r;
	}
	return -EINVAL;
}

/* df: the free figures the superblock keeps (bavail: less the blocks
 * reserved for root). */
static int ext2_statfs_op(void *fs, struct vfs_statfs *out)
{
	struct ext2_statfs st;
	int r = ext2_statfs(fs, &st);
	if (r == 0)
		*out = (struct vfs_statfs){st.bsize, st.blocks, st.bfree,
		                           st.files, st.ffree,  st.bavail};
	return r;
}

const struct fs_ops ext2_ops = {
    .lookup = ext2_lookup,
    .getattr = ext2_getattr,
    .setattr = ext2_setattr,
    .read = ext2_read,
    .write = ext2_write,
    .truncate = ext2_truncate,
    .create = ext2_create,
    .mkdir = ext2_mkdir,
    .mknod = ext2_mknod,
    .symlink = ext2_symlink,
    .readlink = ext2_readlink,
    .link = ext2_link,
    .unlink = ext2_unlink,
    .rmdir = ext2_rmdir,
    .rename = ext2_rename,
    .readdir = ext2_readdir,
    .ref = ext2_ref,
    .unref = ext2_unref,
    .statfs = ext2_statfs_op,
};
