/* ext2: read-write ext2 revision 1 on a block device, through the buffer
 * cache, as an fs_ops table. Every operation, mount and unmount included,
 * may return -EMISS (bcache.h): nothing has changed, and the caller re-runs
 * it once the block bcache_last_miss names has arrived. Corruption found
 * on the disk gives -EIO and marks the file system as having errors. */
#ifndef MICA_FS_EXT2_H
#define MICA_FS_EXT2_H

#include "bcache.h"
#include "vfs.h"

#ifndef EMLINK
#define EMLINK 31
#endif

#define EXT2_MNT_RDONLY 0x1

/* Seconds since the epoch for timestamps. */
typedef uint64_t (*ext2_clock_fn)(void *arg);

struct ext2;

/* The operations; the fs argument is a struct ext2 *, inode numbers are
 * ext2's (the root is ext2_root()). A directory's size is its bytes on
 * disk. Writes are all or nothing: -ENOSPC leaves the file as it was.
 * Modifying operations on a read-only mount give -EROFS. */
extern const struct fs_ops ext2_ops;

/* Mounts the ext2 file system on dev (its bsize may be 0: the first call
 * sets it). Refuses (-EINVAL) what is not ext2 revision 0/1 with 1, 2 or
 * 4 KiB blocks or fails a consistency check, and incompatible features
 * it does not implement; unknown read-only-compatible features make it
 * read-only (*out is then read-only, see ext2_is_rdonly). A read-write
 * mount counts itself in the superblock and marks it not clean. */
int ext2_mount(struct bcache *bc, struct bdev *dev, unsigned flags, ext2_clock_fn clock,
               void *clock_arg, struct ext2 **out);

/* Marks the superblock clean (or with errors) and starts writing every
 * dirty block of the device its driver takes now (the caller flushes the
 * rest). When nothing is dirty or pending (bcache_writes_pending), call
 * bcache_sync and then ext2_release. */
int ext2_unmount(struct ext2 *fs);
/* Drops the device's buffers and frees fs. */
void ext2_release(struct ext2 *fs);

/* Starts writing the device's dirty blocks (bcache_flush). */
int ext2_sync(struct ext2 *fs);

struct ext2_statfs {
	uint32_t bsize;
	uint64_t blocks, bfree, bavail; /* bavail: without the reserved blocks */
	uint64_t files, ffree;
};
int ext2_statfs(struct ext2 *fs, struct ext2_statfs *st);

uint64_t ext2_root(const struct ext2 *fs);
bool ext2_is_rdonly(const struct ext2 *fs);
/* True once corruption has been found (the superblock will say so). */
bool ext2_has_errors(const struct ext2 *fs);

#endif
