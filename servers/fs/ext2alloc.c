/* ext2 allocation: block and inode bitmaps, one block each per group,
 * with the group descriptor's and the superblock's free counts kept in
 * step. Blocks go near a goal (the file's previous block), inodes into
 * the parent directory's group; new directories spread over the groups. */
#include "dcache.h"
#include "ext2int.h"

void e2_count_block(struct ext2 *fs, struct ext2_inode *i, int delta)
{
	uint32_t n = fs->bsize / 512;
	if (delta > 0)
		i->i_blocks += n;
	else
		i->i_blocks = i->i_blocks >= n ? i->i_blocks - n : 0;
}

/* Blocks in group g (the last one may be short). */
static uint32_t group_blocks(const struct ext2 *fs, uint32_t g)
{
	uint32_t start = fs->first_data + g * fs->bpg;
	return fs->blocks - start < fs->bpg ? fs->blocks - start : fs->bpg;
}

/* The first clear bit in [from, n) then [0, from), or -1. */
static long find_clear(const uint8_t *map, uint32_t n, uint32_t from)
{
	for (uint32_t pass = 0, i = from; pass < 2; pass++, i = 0) {
		uint32_t end = pass == 0 ? n : from;
		while (i < end) {
			if (i % 8 == 0 && map[i / 8] == 0xff && i + 8 <= end) {
				i += 8;
				continue;
			}
			if (!(map[i / 8] & (1u << (i % 8))))
				return i;
			i++;
		}
	}
	return -1;
}

/* True if blk is one of group g's bitmaps or inode-table blocks. */
static bool is_meta(const struct ext2 *fs, const struct ext2_gd *gd, uint32_t blk)
{
	return blk == gd->bg_block_bitmap || blk == gd->bg_inode_bitmap ||
	       (blk >= gd->bg_inode_table && blk < gd->bg_inode_table + fs->itb);
}

/* Counts one block (kind 0) or inode (kind 1, dir: a directory) taken
 * (delta -1) or given back (+1) in the descriptor and the superblock. */
static int recount(struct ext2 *fs, struct ext2_gd *gd, int kind, bool dir, int delta)
{
	struct ext2_super *s;
	int r = e2_sb(fs, true, &s);
	if (r < 0)
		return r;
	uint16_t *gc = kind ? &gd->bg_free_inodes_count : &gd->bg_free_blocks_count;
	uint32_t *sc = kind ? &s->s_free_inodes_count : &s->s_free_blocks_count;
	uint32_t max = kind ? fs->inodes : fs->blocks;
	if ((delta < 0 && (*gc == 0 || *sc == 0)) || (delta > 0 && *sc >= max))
		return e2_corrupt(fs);
	*gc = (uint16_t)(*gc + delta);
	*sc = (uint32_t)(*sc + delta);
	if (dir && (delta < 0 || gd->bg_used_dirs_count > 0))
		gd->bg_used_dirs_count = (uint16_t)(gd->bg_used_dirs_count - delta);
	return 0;
}

/* Takes a clear bit of group g's bitmap map (block or inode), from bit
 * from on: *bit. -ENOSPC if none is clear. */
static int take_bit(struct ext2 *fs, uint32_t map, uint32_t nbits, uint32_t from, uint32_t *bit)
{
	struct buf *b;
	int r = e2_bread(fs, map, false, &b);
	if (r < 0)
		return r;
	long i = find_clear(b->data, nbits, from);
	if (i < 0)
		return -ENOSPC;
	if ((r = bcache_modify(fs->bc, b)) < 0)
		return r;
	b->data[i / 8] |= (uint8_t)(1u << (i % 8));
	*bit = (uint32_t)i;
	return 0;
}

int e2_balloc(struct ext2 *fs, uint32_t goal, uint32_t *blk)
{
	struct ext2_super *s;
	int r = e2_sb(fs, false, &s);
	if (r < 0)
		return r;
	if (s->s_free_blocks_count == 0)
		return -ENOSPC;
	if (goal < fs->first_data || goal >= fs->blocks)
		goal = fs->first_data;
	uint32_t g0 = (goal - fs->first_data) / fs->bpg;
	for (uint32_t k = 0; k < fs->ngroups; k++) {
		uint32_t g = (g0 + k) % fs->ngroups, bit;
		struct ext2_gd *gd;
		if ((r = e2_gd(fs, g, false, &gd)) < 0)
			return r;
		if (gd->bg_free_blocks_count == 0)
			continue;
		uint32_t from = k == 0 ? (goal - fs->first_data) % fs->bpg : 0;
		r = take_bit(fs, gd->bg_block_bitmap, group_blocks(fs, g), from, &bit);
		if (r == -ENOSPC)
			return e2_corrupt(fs); /* the count said there was one */
		if (r < 0 || (r = e2_gd(fs, g, true, &gd)) < 0)
			return r;
		*blk = fs->first_data + g * fs->bpg + bit;
		if (is_meta(fs, gd, *blk) || *blk <= fs->gd_blk)
			return e2_corrupt(fs);
		return recount(fs, gd, 0, false, -1);
	}
	return -ENOSPC;
}

/* Clears bit of the bitmap in block map; -EIO if it was clear. */
static int clear_bit(struct ext2 *fs, uint32_t map, uint32_t bit)
{
	struct buf *b;
	int r = e2_bread(fs, map, false, &b);
	if (r < 0)
		return r;
	if (!(b->data[bit / 8] & (1u << (bit % 8))))
		return e2_corrupt(fs);
	if ((r = bcache_modify(fs->bc, b)) < 0)
		return r;
	b->data[bit / 8] &= (uint8_t) ~(1u << (bit % 8));
	return 0;
}

int e2_bfree(struct ext2 *fs, uint32_t blk)
{
	struct ext2_gd *gd;
	if (blk <= fs->gd_blk || blk >= fs->blocks)
		return e2_corrupt(fs);
	uint32_t g = (blk - fs->first_data) / fs->bpg, bit = (blk - fs->first_data) % fs->bpg;
	int r = e2_gd(fs, g, true, &gd);
	if (r < 0)
		return r;
	if (is_meta(fs, gd, blk))
		return e2_corrupt(fs);
	if ((r = clear_bit(fs, gd->bg_block_bitmap, bit)) < 0)
		return r;
	return recount(fs, gd, 0, false, +1);
}

/* A group for a new directory: one with at least the average number of
 * free inodes and blocks and the fewest directories, searched from the
 * parent's next group; else any with a free inode. */
static uint32_t dir_group(struct ext2 *fs, uint32_t g0, const struct ext2_super *s, int *err)
{
	uint32_t best = UINT32_MAX, avg_i = s->s_free_inodes_count / fs->ngroups;
	uint32_t avg_b = s->s_free_blocks_count / fs->ngroups, best_dirs = UINT32_MAX;
	for (uint32_t k = 0; k < fs->ngroups; k++) {
		uint32_t g = (g0 + 1 + k) % fs->ngroups;
		struct ext2_gd *gd;
		if ((*err = e2_gd(fs, g, false, &gd)) < 0)
			return 0;
		if (gd->bg_free_inodes_count == 0)
			continue;
		bool good = gd->bg_free_inodes_count >= avg_i && gd->bg_free_blocks_count >= avg_b;
		if (good && gd->bg_used_dirs_count < best_dirs) {
			best = g;
			best_dirs = gd->bg_used_dirs_count;
		}
	}
	return best == UINT32_MAX ? g0 : best;
}

int e2_ialloc(struct ext2 *fs, uint32_t dir, bool isdir, uint32_t *ino)
{
	struct ext2_super *s;
	int r = e2_sb(fs, false, &s);
	if (r < 0)
		return r;
	if (s->s_free_inodes_count == 0)
		return -ENOSPC;
	uint32_t g0 = (dir - 1) / fs->ipg;
	if (isdir && ((g0 = dir_group(fs, g0, s, &r)), r < 0))
		return r;
	for (uint32_t k = 0; k < fs->ngroups; k++) {
		uint32_t g = (g0 + k) % fs->ngroups, bit;
		struct ext2_gd *gd;
		if ((r = e2_gd(fs, g, false, &gd)) < 0)
			return r;
		if (gd->bg_free_inodes_count == 0)
			continue;
		r = take_bit(fs, gd->bg_inode_bitmap, fs->ipg, 0, &bit);
		if (r == -ENOSPC)
			return e2_corrupt(fs);
		if (r < 0 || (r = e2_gd(fs, g, true, &gd)) < 0)
			return r;
		*ino = g * fs->ipg + bit + 1;
		if (*ino < fs->first_ino)
			return e2_corrupt(fs); /* reserved inodes are always in use */
		return recount(fs, gd, 1, isdir, -1);
	}
	return -ENOSPC;
}

int e2_ifree(struct ext2 *fs, uint32_t ino, bool isdir)
{
	struct ext2_gd *gd;
	if (isdir) /* the number may come back as another directory */
		dcache_forget_dir(fs, ino);
	if (ino < fs->first_ino || ino > fs->inodes)
		return e2_corrupt(fs);
	uint32_t g = (ino - 1) / fs->ipg;
	int r = e2_gd(fs, g, true, &gd);
	if (r < 0 || (r = clear_bit(fs, gd->bg_inode_bitmap, (ino - 1) % fs->ipg)) < 0)
		return r;
	return recount(fs, gd, 1, isdir, +1);
}
