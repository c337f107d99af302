/* ext2's namespace operations: making nodes (files, directories, device
 * nodes, FIFOs, symlinks), hard links, unlink, rmdir and rename, with the
 * link counts a directory's ".." entries imply. Each is one transaction
 * (see ext2ops.c): checks first, then changes. */
#include <string.h>

#include "ext2names.h"

#define E2_DEPTH_MAX 65536 /* ".." steps before a directory tree is called corrupt */

static bool is_dots(const char *name)
{
	return strcmp(name, ".") == 0 || strcmp(name, "..") == 0;
}

static void touch_dir(struct ext2 *fs, struct e2_ino *d)
{
	d->i->i_mtime = d->i->i_ctime = e2_now(fs);
}

/* Directory dir, which has no entry name yet. */
static int prepare(struct ext2 *fs, uint64_t dir, const char *name, struct e2_ino *d)
{
	uint32_t other;
	int r = e2_get_dir(fs, dir, d);
	if (r < 0 || (r = e2_check_name(name)) < 0)
		return r;
	if (is_dots(name))
		return -EEXIST;
	r = e2_dir_find(fs, d, name, &other, NULL);
	return r == 0 ? -EEXIST : r == -ENOENT ? e2_iwrite(fs, d) : r;
}

struct newnode {
	uint32_t mode;
	uint64_t rdev;
	const char *target; /* symlinks */
	const struct vfs_cred *cr;
};

static void init_inode(struct ext2 *fs, struct e2_ino *ip, const struct newnode *nn)
{
	struct ext2_inode *i = ip->i;
	uint32_t uid = nn->cr ? nn->cr->uid : 0, gid = nn->cr ? nn->cr->gid : 0;
	memset(i, 0, fs->isize);
	i->i_mode = (uint16_t)nn->mode;
	i->i_uid = (uint16_t)uid, i->i_uid_high = (uint16_t)(uid >> 16);
	i->i_gid = (uint16_t)gid, i->i_gid_high = (uint16_t)(gid >> 16);
	i->i_atime = i->i_mtime = i->i_ctime = e2_now(fs);
	i->i_links_count = VFS_ISDIR(nn->mode) ? 2 : 1;
	if (fs->isize > EXT2_GOOD_OLD_INODE_SIZE)
		i->i_extra_isize = fs->extra_isize;
}

/* Device numbers as Linux keeps them (see rdev_of in ext2ops.c). */
static void set_rdev(struct ext2_inode *i, uint64_t rdev)
{
	uint32_t major = (uint32_t)((rdev >> 8) & 0xfff), minor = (uint32_t)(rdev & 0xff);
	minor |= (uint32_t)((rdev >> 12) & 0xfff00);
	if (major < 256 && minor < 256)
		i->i_block[0] = major << 8 | minor;
	else
		i->i_block[1] = (minor & 0xff) | major << 8 | (minor & ~0xffu) << 12;
}

/* What the new node holds: a directory's first block, a symlink's
 * target, a device number. */
static int fill_node(struct ext2 *fs, struct e2_ino *d, struct e2_ino *ip, const struct newnode *nn)
{
	if (VFS_ISDIR(nn->mode)) {
		d->i->i_links_count++;
		return e2_dir_init(fs, ip, d->ino);
	}
	if (VFS_ISLNK(nn->mode))
		return e2_symlink_write(fs, ip, nn->target, strlen(nn->target));
	if (VFS_ISCHR(nn->mode) || (nn->mode & VFS_IFMT) == 0060000)
		set_rdev(ip->i, nn->rdev);
	return 0;
}

static int make_node(struct ext2 *fs, uint64_t dir, const char *name, const struct newnode *nn,
                     uint64_t *ino)
{
	struct e2_ino d, ip;
	bool isdir = VFS_ISDIR(nn->mode);
	uint32_t n;
	int r = prepare(fs, dir, name, &d);
	if (r < 0)
		return r;
	if (isdir && d.i->i_links_count >= EXT2_LINK_MAX)
		return -EMLINK;
	if (nn->target && (strlen(nn->target) == 0 || strlen(nn->target) >= fs->bsize))
		return strlen(nn->target) ? -ENAMETOOLONG : -ENOENT;
	/* May not fail but for lack of space (or a block still to come). */
	if ((r = e2_ialloc(fs, d.ino, isdir, &n)) < 0 || (r = e2_iget(fs, n, &ip)) < 0 ||
	    (r = e2_iwrite(fs, &ip)) < 0)
		return r;
	init_inode(fs, &ip, nn);
	if ((r = fill_node(fs, &d, &ip, nn)) < 0 || (r = e2_dir_add(fs, &d, name, n, nn->mode)) < 0)
		return r;
	touch_dir(fs, &d);
	*ino = n;
	return 0;
}

static int run_make(void *p, uint64_t dir, const char *name, const struct newnode *nn,
                    uint64_t *ino)
{
	struct ext2 *fs = p;
	int r = e2_begin(fs, true);
	return r < 0 ? r : (int)e2_end(fs, make_node(fs, dir, name, nn, ino));
}

int ext2_create(void *fs, uint64_t dir, const char *name, uint32_t mode, const struct vfs_cred *cr,
                uint64_t *ino)
{
	struct newnode nn = {.mode = VFS_IFREG | (mode & VFS_PERM), .cr = cr};
	return run_make(fs, dir, name, &nn, ino);
}

int ext2_mkdir(void *fs, uint64_t dir, const char *name, uint32_t mode, const struct vfs_cred *cr,
               uint64_t *ino)
{
	struct newnode nn = {.mode = VFS_IFDIR | (mode & VFS_PERM), .cr = cr};
	return run_make(fs, dir, name, &nn, ino);
}

int ext2_mknod(void *fs, uint64_t dir, const char *name, uint32_t mode, uint64_t rdev,
               const struct vfs_cred *cr, uint64_t *ino)
{
	uint32_t t = mode & VFS_IFMT;
	if (t != VFS_IFCHR && t != VFS_IFIFO && t != 0060000 && t != 0140000)
		return -EINVAL;
	struct newnode nn = {.mode = t | (mode & VFS_PERM), .rdev = rdev, .cr = cr};
	return run_make(fs, dir, name, &nn, ino);
}

int ext2_symlink(void *fs, uint64_t dir, const char *name, const char *target,
                 const struct vfs_cred *cr, uint64_t *ino)
{
	struct newnode nn = {.mode = VFS_IFLNK | 0777, .target = target, .cr = cr};
	return run_make(fs, dir, name, &nn, ino);
}

static int do_link(struct ext2 *fs, uint64_t dir, const char *name, uint64_t ino)
{
	struct e2_ino d, ip;
	int r = e2_iget(fs, ino, &ip);
	if (r < 0)
		return r;
	if (VFS_ISDIR(ip.i->i_mode))
		return -EPERM;
	if (ip.i->i_links_count == 0)
		return -ENOENT;
	if (ip.i->i_links_count >= EXT2_LINK_MAX)
		return -EMLINK;
	if ((r = prepare(fs, dir, name, &d)) < 0 || (r = e2_iwrite(fs, &ip)) < 0 ||
	    (r = e2_dir_add(fs, &d, name, ip.ino, ip.i->i_mode)) < 0)
		return r;
	ip.i->i_links_count++;
	ip.i->i_ctime = e2_now(fs);
	touch_dir(fs, &d);
	return 0;
}

int ext2_link(void *p, uint64_t dir, const char *name, uint64_t ino)
{
	struct ext2 *fs = p;
	int r = e2_begin(fs, true);
	return r < 0 ? r : (int)e2_end(fs, do_link(fs, dir, name, ino));
}

/* Drops one link to ip (all of them for a directory) and frees it when
 * none is left and the server does not hold it open. */
static int drop_link(struct ext2 *fs, struct e2_ino *ip)
{
	int r = e2_iwrite(fs, ip);
	if (r < 0)
		return r;
	if (VFS_ISDIR(ip->i->i_mode) || ip->i->i_links_count == 0)
		ip->i->i_links_count = 0;
	else
		ip->i->i_links_count--;
	ip->i->i_ctime = e2_now(fs);
	if (ip->i->i_links_count == 0 && !e2_is_open(fs, ip->ino))
		return e2_evict(fs, ip);
	return 0;
}

/* The entry name in directory dir, for unlink and rmdir. */
static int find_victim(struct ext2 *fs, uint64_t dir, const char *name, struct e2_ino *d,
                       struct e2_slot *slot, struct e2_ino *v)
{
	uint32_t ino;
	int r = e2_get_dir(fs, dir, d);
	if (r < 0 || (r = e2_check_name(name)) < 0 ||
	    (r = e2_dir_find(fs, d, name, &ino, slot)) < 0)
		return r;
	if ((r = e2_iget(fs, ino, v)) < 0)
		return r;
	return e2_iwrite(fs, d);
}

static int do_unlink(struct ext2 *fs, uint64_t dir, const char *name)
{
	struct e2_ino d, v;
	struct e2_slot slot;
	if (is_dots(name))
		return -EISDIR;
	int r = find_victim(fs, dir, name, &d, &slot, &v);
	if (r < 0)
		return r;
	if (VFS_ISDIR(v.i->i_mode))
		return -EISDIR;
	if ((r = e2_dir_remove(fs, &d, &slot)) < 0)
		return r;
	touch_dir(fs, &d);
	return drop_link(fs, &v);
}

int ext2_unlink(void *p, uint64_t dir, const char *name)
{
	struct ext2 *fs = p;
	int r = e2_begin(fs, true);
	return r < 0 ? r : (int)e2_end(fs, do_unlink(fs, dir, name));
}

static int do_rmdir(struct ext2 *fs, uint64_t dir, const char *name)
{
	struct e2_ino d, v;
	struct e2_slot slot;
	if (strcmp(name, ".") == 0)
		return -EINVAL;
	if (strcmp(name, "..") == 0)
		return -ENOTEMPTY;
	int r = find_victim(fs, dir, name, &d, &slot, &v);
	if (r < 0)
		return r;
	if (!VFS_ISDIR(v.i->i_mode))
		return -ENOTDIR;
	if ((r = e2_dir_is_empty(fs, &v)) <= 0)
		return r < 0 ? r : -ENOTEMPTY;
	if ((r = e2_dir_remove(fs, &d, &slot)) < 0)
		return r;
	if (d.i->i_links_count > 2)
		d.i->i_links_count--;
	touch_dir(fs, &d);
	return drop_link(fs, &v);
}

int ext2_rmdir(void *p, uint64_t dir, const char *name)
{
	struct ext2 *fs = p;
	int r = e2_begin(fs, true);
	return r < 0 ? r : (int)e2_end(fs, do_rmdir(fs, dir, name));
}

/* -EINVAL if directory dir is a or lies below it (walking ".."). */
static int check_not_below(struct ext2 *fs, uint32_t a, uint32_t dir)
{
	for (int steps = 0; steps < E2_DEPTH_MAX; steps++) {
		struct e2_ino d;
		uint32_t up;
		if (dir == a)
			return -EINVAL;
		if (dir == EXT2_ROOT_INO)
			return 0;
		int r = e2_iget(fs, dir, &d);
		if (r < 0 || (r = e2_dir_parent(fs, &d, &up)) < 0)
			return r;
		dir = up;
	}
	return e2_corrupt(fs);
}

struct rename {
	struct e2_ino od, nd, src, dst;
	bool has_dst;
	struct e2_slot dslot;
};

/* POSIX's rules for moving src over dst (if any) into nd; 1 when they
 * are the same file (nothing to do). */
static int rename_check(struct ext2 *fs, struct rename *rn)
{
	bool sdir = VFS_ISDIR(rn->src.i->i_mode);
	if (rn->has_dst && rn->dst.ino == rn->src.ino)
		return 1;
	if (rn->has_dst && VFS_ISDIR(rn->dst.i->i_mode)) {
		if (!sdir)
			return -EISDIR;
		int r = e2_dir_is_empty(fs, &rn->dst);
		if (r <= 0)
			return r < 0 ? r : -ENOTEMPTY;
	} else if (rn->has_dst && sdir) {
		return -ENOTDIR;
	}
	if (!sdir || rn->od.ino == rn->nd.ino)
		return 0;
	if (!rn->has_dst && rn->nd.i->i_links_count >= EXT2_LINK_MAX)
		return -EMLINK;
	return check_not_below(fs, rn->src.ino, rn->nd.ino);
}

static int rename_find(struct ext2 *fs, struct rename *rn, uint64_t odir, const char *oname,
                       uint64_t ndir, const char *nname)
{
	uint32_t ino;
	int r = e2_get_dir(fs, odir, &rn->od);
	if (r < 0 || (r = e2_get_dir(fs, ndir, &rn->nd)) < 0 || (r = e2_check_name(oname)) < 0 ||
	    (r = e2_check_name(nname)) < 0)
		return r;
	if ((r = e2_dir_find(fs, &rn->od, oname, &ino, NULL)) < 0 ||
	    (r = e2_iget(fs, ino, &rn->src)) < 0)
		return r;
	r = e2_dir_find(fs, &rn->nd, nname, &ino, &rn->dslot);
	if (r == -ENOENT)
		return 0;
	rn->has_dst = r == 0;
	return r < 0 ? r : e2_iget(fs, ino, &rn->dst);
}

/* Moves the entry: nname now names src, oname is gone, ".." follows. */
static int rename_move(struct ext2 *fs, struct rename *rn, const char *oname, const char *nname)
{
	struct e2_slot oslot;
	uint32_t ino;
	bool sdir = VFS_ISDIR(rn->src.i->i_mode);
	int r = e2_iwrite(fs, &rn->od);
	if (r < 0 || (r = e2_iwrite(fs, &rn->nd)) < 0 || (r = e2_iwrite(fs, &rn->src)) < 0)
		return r;
	if (rn->has_dst) {
		if ((r = bcache_modify(fs->bc, rn->dslot.b)) < 0)
			return r;
		struct ext2_dirent *d = (void *)(rn->dslot.b->data + rn->dslot.off);
		e2_forget_name(fs, rn->nd.ino, d);
		d->inode = rn->src.ino;
		if (fs->filetype)
			d->file_type = sdir ? EXT2_FT_DIR : d->file_type;
		if (VFS_ISDIR(rn->dst.i->i_mode) && rn->nd.i->i_links_count > 2)
			rn->nd.i->i_links_count--;
		if ((r = drop_link(fs, &rn->dst)) < 0)
			return r;
	} else if ((r = e2_dir_add(fs, &rn->nd, nname, rn->src.ino, rn->src.i->i_mode)) < 0) {
		return r;
	}
	/* Found again: adding may have split the entry before it. */
	if ((r = e2_dir_find(fs, &rn->od, oname, &ino, &oslot)) < 0 ||
	    (r = e2_dir_remove(fs, &rn->od, &oslot)) < 0)
		return r;
	if (sdir && rn->od.ino != rn->nd.ino) {
		if ((r = e2_dir_set_parent(fs, &rn->src, rn->nd.ino)) < 0)
			return r;
		if (rn->od.i->i_links_count > 2)
			rn->od.i->i_links_count--;
		rn->nd.i->i_links_count++;
	}
	rn->src.i->i_ctime = e2_now(fs);
	touch_dir(fs, &rn->od);
	touch_dir(fs, &rn->nd);
	return 0;
}

static int do_rename(struct ext2 *fs, uint64_t odir, const char *oname, uint64_t ndir,
                     const char *nname)
{
	struct rename rn = {0};
	if (is_dots(oname) || is_dots(nname))
		return -EINVAL;
	int r = rename_find(fs, &rn, odir, oname, ndir, nname);
	if (r < 0 || (r = rename_check(fs, &rn)) != 0)
		return r < 0 ? r : 0;
	return rename_move(fs, &rn, oname, nname);
}

int ext2_rename(void *p, uint64_t odir, const char *oname, uint64_t ndir, const char *nname)
{
	struct ext2 *fs = p;
	int r = e2_begin(fs, true);
	return r < 0 ? r : (int)e2_end(fs, do_rename(fs, odir, oname, ndir, nname));
}
