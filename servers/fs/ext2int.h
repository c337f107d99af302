/* Inside ext2: the mounted instance (geometry fixed at mount; every
 * counter, bitmap and inode lives in cache buffers, so an aborted
 * transaction leaves nothing stale) and the helpers the ext2*.c files
 * share. Every helper runs inside the caller's transaction and may
 * return -EMISS. */
#ifndef MICA_FS_EXT2INT_H
#define MICA_FS_EXT2INT_H

#include "ext2.h"
#include "ext2fmt.h"

struct ext2_open {
	uint32_t ino, refs;
};

struct ext2 {
	struct bcache *bc;
	struct bdev *dev;
	ext2_clock_fn clock;
	void *clock_arg;
	/* Geometry, from the superblock, checked at mount. */
	uint32_t bsize, ptrs;    /* bytes per block; block numbers per block */
	uint32_t blocks, inodes; /* s_blocks_count, s_inodes_count */
	uint32_t first_data;     /* s_first_data_block */
	uint32_t bpg, ipg, ngroups;
	uint32_t isize, ipb; /* bytes per inode; inodes per block */
	uint32_t itb;        /* inode-table blocks per group */
	uint32_t first_ino;
	uint32_t sb_blk, sb_off; /* where the superblock is */
	uint32_t gd_blk;         /* first group-descriptor block */
	uint16_t extra_isize;    /* for new 256-byte inodes */
	bool rdonly, filetype;
	uint16_t mount_state; /* s_state when mounted: written back at unmount */
	bool errors;          /* corruption seen: the superblock says so at unmount */
	uint64_t max_size;    /* largest file */
	/* Open references (ref/unref), for inodes kept after their last link. */
	struct ext2_open *open;
	size_t nopen, capopen;
};

/* An inode, pinned in its buffer for the transaction. */
struct e2_ino {
	uint32_t ino;
	struct buf *b;
	struct ext2_inode *i;
};

/* Where a directory entry is: its block's buffer and offset, and the
 * previous entry's offset in that block (-1 for the first). */
struct e2_slot {
	struct buf *b;
	uint32_t off;
	int32_t prev;
};

/* ext2super.c */
int e2_corrupt(struct ext2 *fs);
uint32_t e2_now(const struct ext2 *fs);
int e2_sb(struct ext2 *fs, bool write, struct ext2_super **sb);
int e2_gd(struct ext2 *fs, uint32_t g, bool write, struct ext2_gd **gd);
/* A block of the file system, range-checked; write announces a change. */
int e2_bread(struct ext2 *fs, uint32_t blk, bool write, struct buf **b);

/* ext2inode.c */
int e2_iget(struct ext2 *fs, uint64_t ino, struct e2_ino *ip);
int e2_iwrite(struct ext2 *fs, struct e2_ino *ip);
uint64_t e2_size(const struct ext2 *fs, const struct ext2_inode *i);
void e2_set_size(struct ext2 *fs, struct ext2_inode *i, uint64_t size);
uint32_t e2_uid(const struct ext2_inode *i);
uint32_t e2_gid(const struct ext2_inode *i);
bool e2_is_fast_symlink(const struct ext2 *fs, const struct ext2_inode *i);
/* The block holding logical block n (0 for a hole); with alloc, holes
 * are filled (new blocks zeroed). */
int e2_bmap(struct ext2 *fs, struct e2_ino *ip, uint64_t n, bool alloc, uint32_t *blk);
/* Frees every block past size bytes (the size field is the caller's). */
int e2_free_blocks(struct ext2 *fs, struct e2_ino *ip, uint64_t size);

/* ext2alloc.c */
int e2_balloc(struct ext2 *fs, uint32_t goal, uint32_t *blk);
int e2_bfree(struct ext2 *fs, uint32_t blk);
int e2_ialloc(struct ext2 *fs, uint32_t dir, bool isdir, uint32_t *ino);
int e2_ifree(struct ext2 *fs, uint32_t ino, bool isdir);
/* The name cache forgets the entry d of directory dir (it is changing). */
struct ext2_dirent;
void e2_forget_name(struct ext2 *fs, uint32_t dir, const struct ext2_dirent *d);
/* i_blocks accounting for one block gained (+1) or lost (-1). */
void e2_count_block(struct ext2 *fs, struct ext2_inode *i, int delta);

/* ext2dir.c */
int e2_dir_find(struct ext2 *fs, struct e2_ino *dir, const char *name, uint32_t *ino,
                struct e2_slot *slot);
int e2_dir_add(struct ext2 *fs, struct e2_ino *dir, const char *name, uint32_t ino, uint32_t mode);
int e2_dir_remove(struct ext2 *fs, struct e2_ino *dir, const struct e2_slot *slot);
/* 1 if dir holds only "." and "..", 0 if not. */
int e2_dir_is_empty(struct ext2 *fs, struct e2_ino *dir);
/* Points dir's ".." at parent. */
int e2_dir_set_parent(struct ext2 *fs, struct e2_ino *dir, uint32_t parent);
int e2_dir_parent(struct ext2 *fs, struct e2_ino *dir, uint32_t *parent);
/* A new directory's first block with "." and "..". */
int e2_dir_init(struct ext2 *fs, struct e2_ino *dir, uint32_t parent);
int e2_dir_next(struct ext2 *fs, struct e2_ino *dir, uint64_t *cookie, struct vfs_dirent *out);

/* ext2file.c */
long e2_read(struct ext2 *fs, struct e2_ino *ip, uint64_t off, void *buf, size_t len);
long e2_write(struct ext2 *fs, struct e2_ino *ip, uint64_t off, const void *buf, size_t len);
int e2_truncate(struct ext2 *fs, struct e2_ino *ip, uint64_t size);
int e2_symlink_write(struct ext2 *fs, struct e2_ino *ip, const char *target, size_t len);
long e2_readlink(struct ext2 *fs, struct e2_ino *ip, char *buf, size_t len);
/* Frees an inode whose last link and reference are gone. */
int e2_evict(struct ext2 *fs, struct e2_ino *ip);
/* True while the server holds ino open (ref). */
bool e2_is_open(const struct ext2 *fs, uint32_t ino);

#endif
