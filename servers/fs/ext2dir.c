/* ext2 directories, read linearly: blocks of variable-length entries
 * (inode, rec_len, name_len, file_type, name), every entry checked before
 * it is used. A hashed (dir_index) directory reads the same way; one that
 * is changed loses its INDEX flag, as Linux's ext2 does. */
#include <string.h>

#include "dcache.h"
#include "ext2int.h"

static const uint8_t dt_of_ft[8] = {
    [EXT2_FT_REG] = VFS_DT_REG, [EXT2_FT_DIR] = VFS_DT_DIR,   [EXT2_FT_CHR] = VFS_DT_CHR,
    [EXT2_FT_BLK] = 6,          [EXT2_FT_FIFO] = VFS_DT_FIFO, [EXT2_FT_SOCK] = 12,
    [EXT2_FT_LNK] = VFS_DT_LNK,
};

static uint8_t ft_of_mode(uint32_t mode)
{
	switch (mode & VFS_IFMT) {
	case VFS_IFREG:
		return EXT2_FT_REG;
	case VFS_IFDIR:
		return EXT2_FT_DIR;
	case VFS_IFCHR:
		return EXT2_FT_CHR;
	case 0060000:
		return EXT2_FT_BLK;
	case VFS_IFIFO:
		return EXT2_FT_FIFO;
	case 0140000:
		return EXT2_FT_SOCK;
	case VFS_IFLNK:
		return EXT2_FT_LNK;
	}
	return EXT2_FT_UNKNOWN;
}

static struct ext2_dirent *ent_at(struct buf *b, uint32_t off)
{
	return (struct ext2_dirent *)(b->data + off);
}

/* The entry at off in b is whole and inside the block. */
static bool ent_ok(const struct ext2 *fs, struct buf *b, uint32_t off)
{
	if (off % 4 || off + EXT2_DIRENT_HEAD > fs->bsize)
		return false;
	const struct ext2_dirent *d = ent_at(b, off);
	return d->rec_len >= EXT2_DIRENT_HEAD && d->rec_len % 4 == 0 &&
	       off + d->rec_len <= fs->bsize && EXT2_REC_LEN(d->name_len) <= d->rec_len &&
	       d->inode <= fs->inodes;
}

/* Blocks in directory dir; -EIO unless its size is whole blocks. */
static int64_t dir_blocks(struct ext2 *fs, struct e2_ino *dir)
{
	uint64_t size = dir->i->i_size;
	if (!VFS_ISDIR(dir->i->i_mode))
		return -ENOTDIR;
	if (size % fs->bsize || size / fs->bsize > fs->blocks)
		return e2_corrupt(fs);
	return (int64_t)(size / fs->bsize);
}

/* Block n of directory dir (a hole is corruption). */
static int dir_block(struct ext2 *fs, struct e2_ino *dir, uint64_t n, struct buf **b)
{
	uint32_t blk;
	int r = e2_bmap(fs, dir, n, false, &blk);
	if (r < 0)
		return r;
	return blk ? e2_bread(fs, blk, false, b) : e2_corrupt(fs);
}

static int unindex(struct ext2 *fs, struct e2_ino *dir)
{
	int r = e2_iwrite(fs, dir);
	if (r == 0)
		dir->i->i_flags &= ~EXT2_INDEX_FL;
	return r;
}

int e2_dir_find(struct ext2 *fs, struct e2_ino *dir, const char *name, uint32_t *ino,
                struct e2_slot *slot)
{
	size_t len = strlen(name);
	int64_t n = dir_blocks(fs, dir);
	for (int64_t k = 0; k < n; k++) {
		struct buf *b;
		int r = dir_block(fs, dir, (uint64_t)k, &b);
		if (r < 0)
			return r;
		for (uint32_t off = 0, prev = UINT32_MAX; off < fs->bsize;) {
			if (!ent_ok(fs, b, off))
				return e2_corrupt(fs);
			struct ext2_dirent *d = ent_at(b, off);
			if (d->inode && d->name_len == len && memcmp(d->name, name, len) == 0) {
				*ino = d->inode;
				if (slot)
					*slot = (struct e2_slot){
					    b, off, prev == UINT32_MAX ? -1 : (int)prev};
				return 0;
			}
			prev = off;
			off += d->rec_len;
		}
	}
	return n < 0 ? (int)n : -ENOENT;
}

/* Puts the entry into b at off if its record has room: 1 if it did. */
static int try_insert(struct ext2 *fs, struct buf *b, uint32_t off, const char *name, uint32_t ino,
                      uint32_t mode)
{
	struct ext2_dirent *d = ent_at(b, off);
	size_t len = strlen(name);
	uint32_t used = d->inode ? EXT2_REC_LEN(d->name_len) : 0;
	if (d->rec_len - used < EXT2_REC_LEN(len))
		return 0;
	int r = bcache_modify(fs->bc, b);
	if (r < 0)
		return r;
	if (used) {
		struct ext2_dirent *nd = ent_at(b, off + used);
		nd->rec_len = (uint16_t)(d->rec_len - used);
		d->rec_len = (uint16_t)used;
		d = nd;
	}
	d->inode = ino;
	d->name_len = (uint8_t)len;
	d->file_type = fs->filetype ? ft_of_mode(mode) : 0;
	memcpy(d->name, name, len);
	return 1;
}

/* Adds a block holding only the new entry at the end of dir. */
static int add_block(struct ext2 *fs, struct e2_ino *dir, uint64_t n, const char *name,
                     uint32_t ino, uint32_t mode)
{
	uint32_t blk;
	struct buf *b;
	int r = e2_bmap(fs, dir, n, true, &blk);
	if (r < 0 || (r = e2_bread(fs, blk, true, &b)) < 0)
		return r;
	ent_at(b, 0)->rec_len = (uint16_t)fs->bsize;
	ent_at(b, 0)->inode = 0;
	if ((r = try_insert(fs, b, 0, name, ino, mode)) < 0)
		return r;
	e2_set_size(fs, dir->i, (n + 1) * fs->bsize);
	return 0;
}

int e2_dir_add(struct ext2 *fs, struct e2_ino *dir, const char *name, uint32_t ino, uint32_t mode)
{
	dcache_forget(fs, dir->ino, name);
	int64_t n = dir_blocks(fs, dir);
	int r = n < 0 ? (int)n : unindex(fs, dir);
	for (int64_t k = 0; r == 0 && k < n; k++) {
		struct buf *b;
		if ((r = dir_block(fs, dir, (uint64_t)k, &b)) < 0)
			return r;
		for (uint32_t off = 0; off < fs->bsize; off += ent_at(b, off)->rec_len) {
			if (!ent_ok(fs, b, off))
				return e2_corrupt(fs);
			if ((r = try_insert(fs, b, off, name, ino, mode)) != 0)
				return r < 0 ? r : 0;
		}
	}
	return r < 0 ? r : add_block(fs, dir, (uint64_t)n, name, ino, mode);
}

int e2_dir_remove(struct ext2 *fs, struct e2_ino *dir, const struct e2_slot *slot)
{
	int r = unindex(fs, dir);
	if (r < 0 || (r = bcache_modify(fs->bc, slot->b)) < 0)
		return r;
	struct ext2_dirent *d = ent_at(slot->b, slot->off);
	e2_forget_name(fs, dir->ino, d);
	if (slot->prev >= 0)
		ent_at(slot->b, (uint32_t)slot->prev)->rec_len += d->rec_len;
	else
		d->inode = 0;
	return 0;
}

void e2_forget_name(struct ext2 *fs, uint32_t dir, const struct ext2_dirent *d)
{
	char name[256];
	memcpy(name, d->name, d->name_len);
	name[d->name_len] = '\0';
	dcache_forget(fs, dir, name);
}

static bool is_dots(const struct ext2_dirent *d)
{
	return (d->name_len == 1 && d->name[0] == '.') ||
	       (d->name_len == 2 && d->name[0] == '.' && d->name[1] == '.');
}

int e2_dir_is_empty(struct ext2 *fs, struct e2_ino *dir)
{
	int64_t n = dir_blocks(fs, dir);
	for (int64_t k = 0; k < n; k++) {
		struct buf *b;
		int r = dir_block(fs, dir, (uint64_t)k, &b);
		if (r < 0)
			return r;
		for (uint32_t off = 0; off < fs->bsize; off += ent_at(b, off)->rec_len) {
			if (!ent_ok(fs, b, off))
				return e2_corrupt(fs);
			if (ent_at(b, off)->inode && !is_dots(ent_at(b, off)))
				return 0;
		}
	}
	return n < 0 ? (int)n : 1;
}

int e2_dir_parent(struct ext2 *fs, struct e2_ino *dir, uint32_t *parent)
{
	int r = e2_dir_find(fs, dir, "..", parent, NULL);
	return r == -ENOENT ? e2_corrupt(fs) : r;
}

int e2_dir_set_parent(struct ext2 *fs, struct e2_ino *dir, uint32_t parent)
{
	struct e2_slot slot;
	uint32_t old;
	int r = e2_dir_find(fs, dir, "..", &old, &slot);
	if (r == -ENOENT)
		return e2_corrupt(fs);
	if (r < 0 || (r = bcache_modify(fs->bc, slot.b)) < 0)
		return r;
	ent_at(slot.b, slot.off)->inode = parent;
	return 0;
}

int e2_dir_init(struct ext2 *fs, struct e2_ino *dir, uint32_t parent)
{
	uint32_t blk;
	struct buf *b;
	int r = e2_bmap(fs, dir, 0, true, &blk);
	if (r < 0 || (r = e2_bread(fs, blk, true, &b)) < 0)
		return r;
	struct ext2_dirent *d = ent_at(b, 0);
	*d = (struct ext2_dirent){dir->ino, 12, 1, fs->filetype ? EXT2_FT_DIR : 0};
	d->name[0] = '.';
	d = ent_at(b, 12);
	*d = (struct ext2_dirent){parent, (uint16_t)(fs->bsize - 12), 2,
	                          fs->filetype ? EXT2_FT_DIR : 0};
	memcpy(d->name, "..", 2);
	e2_set_size(fs, dir->i, fs->bsize);
	return 0;
}

/* Fills out from entry d. */
static void fill(const struct ext2 *fs, const struct ext2_dirent *d, struct vfs_dirent *out)
{
	out->ino = d->inode;
	out->type = fs->filetype ? dt_of_ft[d->file_type & 7] : VFS_DT_UNKNOWN;
	memcpy(out->name, d->name, d->name_len);
	out->name[d->name_len] = '\0';
}

int e2_dir_next(struct ext2 *fs, struct e2_ino *dir, uint64_t *cookie, struct vfs_dirent *out)
{
	int64_t n = dir_blocks(fs, dir);
	if (n < 0)
		return (int)n;
	for (uint64_t k = *cookie / fs->bsize; k < (uint64_t)n; k++) {
		struct buf *b;
		int r = dir_block(fs, dir, k, &b);
		if (r < 0)
			return r;
		uint64_t base = k * fs->bsize;
		for (uint32_t off = 0; off < fs->bsize; off += ent_at(b, off)->rec_len) {
			if (!ent_ok(fs, b, off))
				return e2_corrupt(fs);
			const struct ext2_dirent *d = ent_at(b, off);
			if (base + off >= *cookie && d->inode) {
				fill(fs, d, out);
				*cookie = base + off + d->rec_len;
				return 1;
			}
		}
	}
	*cookie = (uint64_t)n * fs->bsize;
	return 0;
}
