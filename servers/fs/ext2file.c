/* ext2 file contents: reading (holes read as zeros), writing, truncating,
 * symlink targets (in i_block below 60 bytes, else in one block), and
 * freeing an inode whose last link and last reference are gone. */
#include <string.h>

#include "ext2int.h"

#define E2_READAHEAD 16            /* blocks: the read-ahead window */
#define E2_SMALL_MAX 0x7fffffffULL /* beyond: the large_file feature */

long e2_read(struct ext2 *fs, struct e2_ino *ip, uint64_t off, void *buf, size_t len)
{
	uint64_t size = e2_size(fs, ip->i);
	if (off >= size)
		return 0;
	size_t cnt = size - off < len ? (size_t)(size - off) : len;
	bool missed = false;
	for (size_t done = 0; done < cnt;) {
		uint64_t pos = off + done;
		uint32_t in = (uint32_t)(pos % fs->bsize), blk;
		size_t n = fs->bsize - in < cnt - done ? fs->bsize - in : cnt - done;
		struct buf *b;
		int r = e2_bmap(fs, ip, pos / fs->bsize, false, &blk);
		if (r == 0 && blk == 0)
			memset((char *)buf + done, 0, n);
		else if (r == 0 && (r = e2_bread(fs, blk, false, &b)) == 0) {
			bcache_mark_data(fs->bc, b);
			memcpy((char *)buf + done, b->data + in, n);
			/* reading into a window: ask for the next one now, so the
			 * disk works while the program reads (Linux's async
			 * read-ahead); blocks already cached are skipped */
			if (in == 0 && (pos / fs->bsize) % E2_READAHEAD == 0)
				bcache_readahead(fs->bc, fs->dev, blk + E2_READAHEAD, E2_READAHEAD);
		} else if (r == -EMISS && blk) {
			bcache_readahead(fs->bc, fs->dev, blk + 1, 2 * E2_READAHEAD - 1);
		}
		if (r == -EMISS)
			missed = true; /* go on: every missing block is asked for at once */
		else if (r < 0)
			return r;
		done += n;
	}
	return missed ? -EMISS : (long)cnt;
}

/* Sets the large_file feature once a file grows past 2 GiB - 1. */
static int note_large(struct ext2 *fs, uint64_t size)
{
	struct ext2_super *s;
	if (size <= E2_SMALL_MAX)
		return 0;
	int r = e2_sb(fs, false, &s);
	if (r < 0 || (s->s_feature_ro_compat & EXT2_RO_COMPAT_LARGEFILE))
		return r;
	if ((r = e2_sb(fs, true, &s)) == 0)
		s->s_feature_ro_compat |= EXT2_RO_COMPAT_LARGEFILE;
	return r;
}

/* The buffer for writing n bytes at in of block blk: a whole block is
 * not read first. */
static int write_buf(struct ext2 *fs, uint32_t blk, uint32_t in, size_t n, struct buf **b)
{
	int r = in == 0 && n == fs->bsize ? bcache_new(fs->bc, fs->dev, blk, b)
	                                  : e2_bread(fs, blk, true, b);
	if (r == 0)
		bcache_mark_data(fs->bc, *b);
	return r;
}

long e2_write(struct ext2 *fs, struct e2_ino *ip, uint64_t off, const void *buf, size_t len)
{
	if (off > fs->max_size || len > fs->max_size - off)
		return -EFBIG;
	int r = note_large(fs, off + len);
	if (r < 0 || (r = e2_iwrite(fs, ip)) < 0)
		return r;
	bool missed = false;
	for (size_t done = 0; done < len;) {
		uint64_t pos = off + done;
		uint32_t in = (uint32_t)(pos % fs->bsize), blk;
		size_t n = fs->bsize - in < len - done ? fs->bsize - in : len - done;
		struct buf *b;
		if ((r = e2_bmap(fs, ip, pos / fs->bsize, true, &blk)) == 0 &&
		    (r = write_buf(fs, blk, in, n, &b)) == 0)
			memcpy(b->data + in, (const char *)buf + done, n);
		if (r == -EMISS)
			missed = true;
		else if (r < 0)
			return r;
		done += n;
	}
	if (missed)
		return -EMISS;
	if (off + len > e2_size(fs, ip->i))
		e2_set_size(fs, ip->i, off + len);
	ip->i->i_mtime = ip->i->i_ctime = e2_now(fs);
	return (long)len;
}

int e2_truncate(struct ext2 *fs, struct e2_ino *ip, uint64_t size)
{
	uint64_t old = e2_size(fs, ip->i);
	if (size > fs->max_size)
		return -EFBIG;
	int r = note_large(fs, size);
	if (r < 0 || (r = e2_iwrite(fs, ip)) < 0)
		return r;
	if (size < old && (r = e2_free_blocks(fs, ip, size)) < 0)
		return r;
	uint32_t in = (uint32_t)(size % fs->bsize), blk;
	if (size < old && in) {
		struct buf *b;
		if ((r = e2_bmap(fs, ip, size / fs->bsize, false, &blk)) < 0)
			return r;
		if (blk && (r = e2_bread(fs, blk, true, &b)) < 0)
			return r;
		if (blk)
			memset(b->data + in, 0, fs->bsize - in);
	}
	e2_set_size(fs, ip->i, size);
	ip->i->i_mtime = ip->i->i_ctime = e2_now(fs);
	return 0;
}

int e2_symlink_write(struct ext2 *fs, struct e2_ino *ip, const char *target, size_t len)
{
	uint32_t blk;
	struct buf *b;
	if (len >= fs->bsize)
		return -ENAMETOOLONG;
	if (len < EXT2_FAST_LINK) {
		memset(ip->i->i_block, 0, sizeof(ip->i->i_block));
		memcpy(ip->i->i_block, target, len);
	} else {
		int r = e2_bmap(fs, ip, 0, true, &blk);
		if (r < 0 || (r = e2_bread(fs, blk, true, &b)) < 0)
			return r;
		memcpy(b->data, target, len);
	}
	e2_set_size(fs, ip->i, len);
	return 0;
}

long e2_readlink(struct ext2 *fs, struct e2_ino *ip, char *buf, size_t len)
{
	uint64_t size = e2_size(fs, ip->i);
	uint32_t blk;
	struct buf *b;
	if (size >= fs->bsize || (e2_is_fast_symlink(fs, ip->i) && size >= EXT2_FAST_LINK))
		return e2_corrupt(fs);
	size_t cnt = size < len ? (size_t)size : len;
	if (e2_is_fast_symlink(fs, ip->i)) {
		memcpy(buf, ip->i->i_block, cnt);
		return (long)cnt;
	}
	int r = e2_bmap(fs, ip, 0, false, &blk);
	if (r < 0 || (r = blk ? e2_bread(fs, blk, false, &b) : e2_corrupt(fs)) < 0)
		return r;
	memcpy(buf, b->data, cnt);
	return (long)cnt;
}

/* Drops the inode's share of an extended-attribute block. */
static int drop_xattr(struct ext2 *fs, struct e2_ino *ip)
{
	struct buf *b;
	uint32_t blk = ip->i->i_file_acl;
	if (blk == 0)
		return 0;
	int r = e2_bread(fs, blk, true, &b);
	if (r < 0)
		return r;
	struct ext2_xattr_head *h = (void *)b->data;
	if (h->h_magic != EXT2_XATTR_MAGIC || h->h_refcount == 0)
		return e2_corrupt(fs);
	if (--h->h_refcount == 0 && (r = e2_bfree(fs, blk)) < 0)
		return r;
	e2_count_block(fs, ip->i, -1);
	ip->i->i_file_acl = 0;
	return 0;
}

/* True if i_block holds block numbers (not a fast symlink or device). */
static bool has_blocks(const struct ext2 *fs, const struct ext2_inode *i)
{
	uint32_t t = i->i_mode & VFS_IFMT;
	return t == VFS_IFREG || t == VFS_IFDIR || (t == VFS_IFLNK && !e2_is_fast_symlink(fs, i));
}

int e2_evict(struct ext2 *fs, struct e2_ino *ip)
{
	int r = e2_iwrite(fs, ip);
	if (r == 0 && has_blocks(fs, ip->i))
		r = e2_free_blocks(fs, ip, 0);
	if (r == 0)
		r = drop_xattr(fs, ip);
	if (r == 0)
		r = e2_ifree(fs, ip->ino, VFS_ISDIR(ip->i->i_mode));
	if (r < 0)
		return r;
	e2_set_size(fs, ip->i, 0);
	ip->i->i_links_count = 0;
	ip->i->i_dtime = e2_now(fs);
	if (ip->i->i_dtime == 0)
		ip->i->i_dtime = 1; /* a deleted inode has a dtime */
	return 0;
}

bool e2_is_open(const struct ext2 *fs, uint32_t ino)
{
	for (size_t k = 0; k < fs->nopen; k++)
		if (fs->open[k].ino == ino)
			return true;
	return false;
}
