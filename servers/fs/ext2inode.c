/* ext2 inodes: finding one in its group's inode table, its size and
 * owner fields, and its block map: 12 direct blocks, then single, double
 * and triple indirect blocks of 32-bit block numbers (0 is a hole). */
#include <string.h>

#include "ext2int.h"

int e2_iget(struct ext2 *fs, uint64_t ino, struct e2_ino *ip)
{
	struct ext2_gd *gd;
	struct buf *b;
	if (ino < 1 || ino > fs->inodes)
		return e2_corrupt(fs);
	uint32_t g = (uint32_t)(ino - 1) / fs->ipg, idx = (uint32_t)(ino - 1) % fs->ipg;
	int r = e2_gd(fs, g, false, &gd);
	if (r < 0)
		return r;
	uint32_t blk = gd->bg_inode_table + idx / fs->ipb;
	if ((r = e2_bread(fs, blk, false, &b)) < 0)
		return r;
	ip->ino = (uint32_t)ino;
	ip->b = b;
	ip->i = (struct ext2_inode *)(b->data + (idx % fs->ipb) * fs->isize);
	return 0;
}

int e2_iwrite(struct ext2 *fs, struct e2_ino *ip)
{
	return bcache_modify(fs->bc, ip->b);
}

uint64_t e2_size(const struct ext2 *fs, const struct ext2_inode *i)
{
	(void)fs;
	uint64_t size = i->i_size;
	if (VFS_ISREG(i->i_mode))
		size |= (uint64_t)i->i_size_high << 32;
	return size;
}

void e2_set_size(struct ext2 *fs, struct ext2_inode *i, uint64_t size)
{
	(void)fs;
	i->i_size = (uint32_t)size;
	if (VFS_ISREG(i->i_mode))
		i->i_size_high = (uint32_t)(size >> 32);
}

uint32_t e2_uid(const struct ext2_inode *i)
{
	return i->i_uid | (uint32_t)i->i_uid_high << 16;
}

uint32_t e2_gid(const struct ext2_inode *i)
{
	return i->i_gid | (uint32_t)i->i_gid_high << 16;
}

bool e2_is_fast_symlink(const struct ext2 *fs, const struct ext2_inode *i)
{
	uint32_t acl = i->i_file_acl ? fs->bsize / 512 : 0;
	return VFS_ISLNK(i->i_mode) && i->i_blocks == acl;
}

/* The path to logical block n: returns the depth (0 for a direct block,
 * up to 3 for triple indirect) with the index at each level in idx, or
 * -EFBIG past the last mappable block. */
static int bmap_path(const struct ext2 *fs, uint64_t n, uint32_t idx[4])
{
	uint64_t p = fs->ptrs;
	if (n < EXT2_NDIR) {
		idx[0] = (uint32_t)n;
		return 0;
	}
	n -= EXT2_NDIR;
	if (n < p) {
		idx[0] = EXT2_IND, idx[1] = (uint32_t)n;
		return 1;
	}
	n -= p;
	if (n < p * p) {
		idx[0] = EXT2_DIND, idx[1] = (uint32_t)(n / p), idx[2] = (uint32_t)(n % p);
		return 2;
	}
	n -= p * p;
	if (n < p * p * p) {
		idx[0] = EXT2_TIND, idx[1] = (uint32_t)(n / (p * p));
		idx[2] = (uint32_t)(n / p % p), idx[3] = (uint32_t)(n % p);
		return 3;
	}
	return -EFBIG;
}

static bool blk_ok(const struct ext2 *fs, uint32_t b)
{
	return b > fs->sb_blk && b < fs->blocks;
}

/* Fills the hole at *slot (in holder) with a new zeroed block near goal. */
static int fill_hole(struct ext2 *fs, struct e2_ino *ip, struct buf *holder, uint32_t *slot,
                     uint32_t goal, struct buf **nb)
{
	uint32_t b;
	int r = bcache_modify(fs->bc, holder);
	if (r < 0 || (r = e2_balloc(fs, goal, &b)) < 0)
		return r;
	if ((r = bcache_new(fs->bc, fs->dev, b, nb)) < 0)
		return r;
	*slot = b;
	e2_count_block(fs, ip->i, +1);
	return 0;
}

/* Where to look for a new block: right after the one before it, else at
 * the holder (an indirect block), else in the inode's own group. */
static uint32_t goal_for(const struct ext2 *fs, const struct e2_ino *ip, const uint32_t *slot,
                         const uint32_t *first, const struct buf *holder)
{
	if (slot > first && blk_ok(fs, slot[-1]))
		return slot[-1] + 1;
	if (holder != ip->b)
		return (uint32_t)holder->blk + 1;
	return fs->first_data + (ip->ino - 1) / fs->ipg * fs->bpg;
}

int e2_bmap(struct ext2 *fs, struct e2_ino *ip, uint64_t n, bool alloc, uint32_t *blk)
{
	uint32_t idx[4];
	int depth = bmap_path(fs, n, idx);
	*blk = 0;
	if (depth < 0)
		return alloc ? depth : 0;
	if (alloc && (ip->b->flags & B_TXMOD) == 0)
		return -EINVAL; /* the caller announces the inode's change first */
	struct buf *holder = ip->b, *nb = NULL;
	uint32_t *first = ip->i->i_block, *slot = &first[idx[0]];
	for (int lvl = 0;; lvl++) {
		int r;
		nb = NULL;
		if (*slot == 0) {
			if (!alloc)
				return 0;
			uint32_t goal = goal_for(fs, ip, slot, first, holder);
			if ((r = fill_hole(fs, ip, holder, slot, goal, &nb)) < 0)
				return r;
		} else if (!blk_ok(fs, *slot)) {
			return e2_corrupt(fs);
		}
		if (lvl == depth) {
			*blk = *slot;
			return 0;
		}
		if (!nb && (r = e2_bread(fs, *slot, false, &nb)) < 0)
			return r;
		holder = nb;
		first = (uint32_t *)nb->data;
		slot = &first[idx[lvl + 1]];
	}
}

/* Frees what lies at or past logical block from in the subtree under
 * *slot (in holder), which maps depth levels below it the span blocks
 * from base. */
static int free_tree(struct ext2 *fs, struct e2_ino *ip, struct buf *holder, uint32_t *slot,
                     int depth, uint64_t base, uint64_t span, uint64_t from)
{
	int r;
	if (*slot == 0 || from >= base + span)
		return 0;
	if (!blk_ok(fs, *slot))
		return e2_corrupt(fs);
	if (depth > 0) {
		struct buf *b;
		uint64_t cspan = span / fs->ptrs;
		if ((r = e2_bread(fs, *slot, from > base, &b)) < 0)
			return r;
		uint32_t *p = (uint32_t *)b->data;
		for (uint32_t i = 0; depth > 1 && i < fs->ptrs; i++)
			if (p[i] && blk_ok(fs, p[i]))
				bcache_readahead(fs->bc, fs->dev, p[i], 1);
		for (uint32_t i = 0; i < fs->ptrs; i++)
			if ((r = free_tree(fs, ip, b, &p[i], depth - 1, base + i * cspan, cspan,
			                   from)) < 0)
				return r;
	}
	if (from > base)
		return 0;
	if ((r = bcache_modify(fs->bc, holder)) < 0 || (r = e2_bfree(fs, *slot)) < 0)
		return r;
	*slot = 0;
	e2_count_block(fs, ip->i, -1);
	return 0;
}

int e2_free_blocks(struct ext2 *fs, struct e2_ino *ip, uint64_t size)
{
	uint64_t from = (size + fs->bsize - 1) / fs->bsize, p = fs->ptrs;
	uint32_t *ib = ip->i->i_block;
	int r = e2_iwrite(fs, ip);
	for (uint32_t i = 0; r == 0 && i < EXT2_NDIR; i++)
		r = free_tree(fs, ip, ip->b, &ib[i], 0, i, 1, from);
	if (r == 0)
		r = free_tree(fs, ip, ip->b, &ib[EXT2_IND], 1, EXT2_NDIR, p, from);
	if (r == 0)
		r = free_tree(fs, ip, ip->b, &ib[EXT2_DIND], 2, EXT2_NDIR + p, p * p, from);
	if (r == 0)
		r = free_tree(fs, ip, ip->b, &ib[EXT2_TIND], 3, EXT2_NDIR + p + p * p, p * p * p,
		              from);
	return r;
}
