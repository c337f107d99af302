/* ext2: mounting (every superblock and group-descriptor value checked
 * before it is used), unmounting, sync and statfs, and access to the
 * superblock, group descriptors and blocks for the other ext2 files. */
#include <stdlib.h>
#include <string.h>

#include "dcache.h"
#include "ext2int.h"

int e2_corrupt(struct ext2 *fs)
{
	fs->errors = true;
	return -EIO;
}

uint32_t e2_now(const struct ext2 *fs)
{
	return fs->clock ? (uint32_t)fs->clock(fs->clock_arg) : 0;
}

int e2_bread(struct ext2 *fs, uint32_t blk, bool write, struct buf **b)
{
	if (blk >= fs->blocks)
		return e2_corrupt(fs);
	int r = bcache_get(fs->bc, fs->dev, blk, b);
	if (r == 0 && write)
		r = bcache_modify(fs->bc, *b);
	return r == -EINVAL ? e2_corrupt(fs) : r;
}

int e2_sb(struct ext2 *fs, bool write, struct ext2_super **sb)
{
	struct buf *b;
	int r = e2_bread(fs, fs->sb_blk, write, &b);
	if (r == 0)
		*sb = (struct ext2_super *)(b->data + fs->sb_off);
	return r;
}

int e2_gd(struct ext2 *fs, uint32_t g, bool write, struct ext2_gd **gd)
{
	uint32_t per = fs->bsize / sizeof(struct ext2_gd);
	struct buf *b;
	if (g >= fs->ngroups)
		return e2_corrupt(fs);
	int r = e2_bread(fs, fs->gd_blk + g / per, write, &b);
	if (r == 0)
		*gd = (struct ext2_gd *)b->data + g % per;
	return r;
}

static bool is_pow2(uint32_t x)
{
	return x && !(x & (x - 1));
}

/* The geometry of superblock s into g; -EINVAL unless every value is in
 * range and they agree with each other and with the device's size. */
static int geometry(struct ext2 *g, const struct ext2_super *s, const struct bdev *dev)
{
	if (s->s_magic != EXT2_MAGIC || s->s_rev_level != 1 || s->s_log_block_size > 2)
		return -EINVAL;
	g->bsize = 1024u << s->s_log_block_size;
	g->ptrs = g->bsize / 4;
	g->blocks = s->s_blocks_count;
	g->inodes = s->s_inodes_count;
	g->first_data = s->s_first_data_block;
	g->bpg = s->s_blocks_per_group;
	g->ipg = s->s_inodes_per_group;
	g->isize = s->s_inode_size;
	g->first_ino = s->s_first_ino;
	if (g->first_data != (g->bsize == 1024 ? 1u : 0u) || g->bpg < 8 || g->bpg > 8 * g->bsize ||
	    g->bpg % 8 || g->ipg == 0 || g->ipg > 8 * g->bsize)
		return -EINVAL;
	if (!is_pow2(g->isize) || g->isize < 128 || g->isize > g->bsize)
		return -EINVAL;
	if (g->blocks <= g->first_data + 2 || (uint64_t)g->blocks * g->bsize > dev->size)
		return -EINVAL;
	g->ngroups = (g->blocks - g->first_data + g->bpg - 1) / g->bpg;
	if ((uint64_t)g->ngroups * g->ipg != g->inodes || g->first_ino <= EXT2_ROOT_INO ||
	    g->first_ino >= g->inodes)
		return -EINVAL;
	if (s->s_free_blocks_count > g->blocks || s->s_free_inodes_count > g->inodes ||
	    s->s_r_blocks_count > g->blocks)
		return -EINVAL;
	g->ipb = g->bsize / g->isize;
	g->itb = (g->ipg + g->ipb - 1) / g->ipb;
	g->sb_blk = EXT2_SB_OFFSET / g->bsize;
	g->sb_off = EXT2_SB_OFFSET % g->bsize;
	g->gd_blk = g->first_data + 1;
	uint64_t gdb = ((uint64_t)g->ngroups * sizeof(struct ext2_gd) + g->bsize - 1) / g->bsize;
	if (g->gd_blk + gdb > g->blocks || g->itb > g->bpg)
		return -EINVAL;
	return 0;
}

/* Features, sizes and derived values of a superblock that passed geometry. */
static int features(struct ext2 *g, const struct ext2_super *s, unsigned flags)
{
	if (s->s_feature_incompat & ~EXT2_INCOMPAT_SUPP)
		return -EINVAL;
	g->filetype = s->s_feature_incompat & EXT2_INCOMPAT_FILETYPE;
	g->rdonly = (flags & EXT2_MNT_RDONLY) || (s->s_feature_ro_compat & ~EXT2_RO_COMPAT_SUPP);
	uint64_t p = g->ptrs;
	uint64_t nblk = EXT2_NDIR + p + p * p + p * p * p;
	g->max_size = nblk * g->bsize;
	if (g->max_size > (1ULL << 40))
		g->max_size = 1ULL << 40; /* well inside i_blocks' 2^32 sectors */
	g->extra_isize = 0;
	if (g->isize > EXT2_GOOD_OLD_INODE_SIZE) {
		uint32_t want = s->s_want_extra_isize ? s->s_want_extra_isize : 32;
		if (want > g->isize - EXT2_GOOD_OLD_INODE_SIZE || want % 4)
			want = 32;
		g->extra_isize = (uint16_t)want;
	}
	g->mount_state = s->s_state;
	g->errors = s->s_state & EXT2_ERROR_FS;
	return 0;
}

/* Group g's descriptor: its bitmaps and inode table inside the group,
 * counts no larger than the group. */
static int check_group(struct ext2 *fs, uint32_t g)
{
	struct ext2_gd *gd;
	int r = e2_gd(fs, g, false, &gd);
	if (r < 0)
		return r;
	uint32_t start = fs->first_data + g * fs->bpg;
	uint32_t end = g == fs->ngroups - 1 ? fs->blocks : start + fs->bpg;
	if (gd->bg_block_bitmap < start || gd->bg_block_bitmap >= end ||
	    gd->bg_inode_bitmap < start || gd->bg_inode_bitmap >= end ||
	    gd->bg_inode_table < start || gd->bg_inode_table > end - fs->itb ||
	    end - start < fs->itb + 2)
		return -EINVAL;
	if (gd->bg_free_blocks_count > end - start || gd->bg_free_inodes_count > fs->ipg ||
	    gd->bg_used_dirs_count > fs->ipg)
		return -EINVAL;
	return 0;
}

/* Reads and checks the superblock into g; switches the device's block
 * size to the file system's (once) when they differ. */
static int read_super(struct ext2 *g, unsigned flags)
{
	for (int tries = 0; tries < 2; tries++) {
		struct buf *b;
		uint32_t bs = g->dev->bsize;
		int r = bcache_get(g->bc, g->dev, EXT2_SB_OFFSET / bs, &b);
		if (r < 0)
			return r == -EINVAL ? -EINVAL : r;
		struct ext2_super *s = (void *)(b->data + EXT2_SB_OFFSET % bs);
		if ((r = geometry(g, s, g->dev)) < 0 || (r = features(g, s, flags)) < 0)
			return r;
		if (g->bsize == bs)
			return 0;
		bcache_abort(g->bc);
		if ((r = bcache_set_bsize(g->bc, g->dev, g->bsize)) < 0)
			return r;
		bcache_begin(g->bc);
	}
	return -EINVAL;
}

/* Every check of a mount; g is filled in. */
static int mount_checks(struct ext2 *g, unsigned flags)
{
	int r = read_super(g, flags);
	for (uint32_t i = 0; r == 0 && i < g->ngroups; i++)
		r = check_group(g, i);
	struct e2_ino root;
	if (r == 0 && (r = e2_iget(g, EXT2_ROOT_INO, &root)) == 0 &&
	    (!VFS_ISDIR(root.i->i_mode) || root.i->i_links_count < 2))
		r = -EINVAL;
	if (r == 0 && !g->rdonly) {
		struct ext2_super *s;
		if ((r = e2_sb(g, true, &s)) == 0) {
			s->s_mnt_count++;
			s->s_state &= ~EXT2_VALID_FS;
			s->s_mtime = e2_now(g);
		}
	}
	return r;
}

int ext2_mount(struct bcache *bc, struct bdev *dev, unsigned flags, ext2_clock_fn clock,
               void *clock_arg, struct ext2 **out)
{
	struct ext2 g = {.bc = bc, .dev = dev, .clock = clock, .clock_arg = clock_arg};
	if (dev->bsize == 0 && bcache_set_bsize(bc, dev, 1024) < 0)
		return -EBUSY;
	if (dev->bsize != 1024 && dev->bsize != 2048 && dev->bsize != 4096)
		return -EINVAL;
	bcache_begin(bc);
	int r = mount_checks(&g, flags);
	struct ext2 *fs = r == 0 ? malloc(sizeof(*fs)) : NULL;
	if (!fs) {
		bcache_abort(bc);
		return r < 0 ? r : -ENOMEM;
	}
	bcache_commit(bc);
	*fs = g;
	*out = fs;
	return 0;
}

int ext2_unmount(struct ext2 *fs)
{
	if (!fs->rdonly) {
		struct ext2_super *s = NULL;
		bcache_begin(fs->bc);
		int r = e2_sb(fs, true, &s);
		if (r < 0) {
			bcache_abort(fs->bc);
			return r;
		}
		s->s_state = fs->mount_state | (fs->errors ? EXT2_ERROR_FS : 0);
		s->s_wtime = e2_now(fs);
		bcache_commit(fs->bc);
	}
	bcache_flush(fs->bc, fs->dev); /* what its driver cannot take yet: the caller's */
	return 0;
}

void ext2_release(struct ext2 *fs)
{
	dcache_forget_fs(fs);
	bcache_invalidate(fs->bc, fs->dev);
	free(fs->open);
	free(fs);
}

int ext2_sync(struct ext2 *fs)
{
	return bcache_flush(fs->bc, fs->dev);
}

int ext2_statfs(struct ext2 *fs, struct ext2_statfs *st)
{
	struct ext2_super *s;
	bcache_begin(fs->bc);
	int r = e2_sb(fs, false, &s);
	if (r == 0) {
		st->bsize = fs->bsize;
		st->blocks = fs->blocks;
		st->bfree = s->s_free_blocks_count;
		st->bavail = st->bfree > s->s_r_blocks_count ? st->bfree - s->s_r_blocks_count : 0;
		st->files = fs->inodes;
		st->ffree = s->s_free_inodes_count;
	}
	bcache_abort(fs->bc);
	return r;
}

uint64_t ext2_root(const struct ext2 *fs)
{
	(void)fs;
	return EXT2_ROOT_INO;
}

bool ext2_is_rdonly(const struct ext2 *fs)
{
	return fs->rdonly;
}

bool ext2_has_errors(const struct ext2 *fs)
{
	return fs->errors;
}
