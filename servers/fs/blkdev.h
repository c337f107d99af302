/* The buffer cache's disks over the blk server (blkdev.c). */
#ifndef FS_BLKDEV_H
#define FS_BLKDEV_H

#include "bcache.h"
#include "mica/proto/blk.h"

#define BREQ_TAG       0x10000ul   /* blk tags from here on are cache blocks */
#define BREQ_FLUSH     0xFFFFFul   /* a cache flush's tag */
#define BCACHE_CAP     (4ul << 20) /* until cache_balance has measured free memory */
#define BCACHE_CAP_MIN (512ul << 10)

struct ext2;

struct fsdisk {
	struct bdev bd;
	struct ext2 *fs; /* mounted from it, or NULL */
	int mnt;         /* its mount slot */
};

extern struct bcache fs_bcache;
extern struct fsdisk fsdisks[BLK_MAX_DISKS];

/* The cache and one bdev per disk blk has (bytes[i]: its size). */
void blkdev_init(int ndisks, const uint64_t *bytes);
/* A completion collected from blk for one of our tags. */
void blkdev_completed(unsigned long tag, long status, const void *data, size_t len);
/* Hands blk what waited for room there. */
void blkdev_retry(void);

#endif
