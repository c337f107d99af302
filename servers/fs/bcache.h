/* The buffer cache: fixed-size blocks of block devices keyed by (device,
 * block number), LRU, write-back, under a memory cap. Nothing here waits:
 * a miss starts a read and fails the operation with -EMISS, which the
 * caller defers and re-runs once bcache_done has delivered the block.
 * Operations run in transactions (begin / modify / commit or abort) so
 * that a re-run, or any error, finds the blocks as they were. */
#ifndef MICA_FS_BCACHE_H
#define MICA_FS_BCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "The block is on its way; re-run the operation when it has arrived."
 * Private to the fs server: no errno has this value, and it never
 * reaches a client. */
#define EMISS 4096

struct bdev;

/* What a block driver provides. Block numbers and sizes are in units of
 * dev->bsize. Either submit may complete before it returns (it then calls
 * bcache_done / bcache_write_done itself) or later. A submit that fails
 * at once returns -EIO (or another -E*) and completes nothing. */
struct bdev_ops {
	/* Reads n consecutive blocks starting at blk; each arrives through
	 * bcache_done. 0 when it took them all; k (0 < k < n) when it took
	 * only the first k (the cache forgets the rest); -E* when none. */
	int (*submit_read)(struct bdev *dev, uint64_t blk, uint32_t n);
	/* Writes n consecutive blocks from blk (n <= dev->max_run, at least
	 * 1), block i's bytes at data[i]; the driver copies them before it
	 * returns. */
	int (*submit_write)(struct bdev *dev, uint64_t blk, uint32_t n, const void *const *data);
	/* Asks the device to make completed writes durable (may be NULL). */
	int (*flush)(struct bdev *dev);
};

struct bdev {
	const struct bdev_ops *ops;
	void *arg;        /* the driver's */
	uint32_t bsize;   /* bytes per block: set by bcache_set_bsize */
	uint64_t size;    /* bytes on the device */
	uint32_t max_run; /* blocks one write may take (0: 1; at most BDEV_MAX_RUN) */
};

#define BDEV_MAX_RUN 64

/* buf.flags */
#define B_VALID   0x01  /* data holds the block */
#define B_DIRTY   0x02  /* data is newer than the disk */
#define B_READING 0x04  /* a read is in flight */
#define B_WRITING 0x08  /* a write is in flight */
#define B_ERROR   0x10  /* the read failed: the next get says -EIO */
#define B_PINNED  0x20  /* used by the current transaction */
#define B_TXMOD   0x40  /* modified by the current transaction */
#define B_TXNEW   0x80  /* made by bcache_new in the current transaction */
#define B_WANTED  0x100 /* read for an operation that missed it */
#define B_FRESH   0x200 /* an operation that will run again wants it: kept a while */
#define B_DATA    0x400 /* holds file contents (else metadata): /proc/meminfo's Cached */

/* Committed operations a fresh buffer is kept for. */
#define BCACHE_FRESH_OPS 64

struct buf {
	struct bdev *dev;
	uint64_t blk;
	uint8_t *data; /* dev->bsize bytes */
	uint32_t size;
	uint32_t flags;          /* B_* */
	uint64_t gen;            /* bcache.gen when it became fresh */
	uint8_t *save;           /* contents before this transaction, or NULL */
	struct buf *prev, *next; /* LRU: most recently used first */
	struct buf *hnext;       /* hash chain */
	struct buf *tnext;       /* the transaction's buffers */
};

struct bcache_stats {
	size_t bufs, bytes, dirty;      /* buffers held, their bytes, dirty ones */
	size_t data_bytes, dirty_bytes; /* of bytes: file contents (B_DATA), dirty */
	uint64_t hits, misses, reads, writes, evictions;
};

#define BCACHE_HASH 1024

/* One per fs server, shared by every mount. Not thread-safe: the server
 * runs one operation at a time. */
struct bcache {
	struct buf *hash[BCACHE_HASH];
	struct buf lru; /* sentinel: lru.next is the most recent */
	struct buf *txn;
	bool in_txn;
	size_t cap;            /* bytes of block data to keep; pinned and dirty may exceed it */
	int werr;              /* a write failed since the last bcache_sync: -EIO */
	uint64_t gen;          /* operations committed */
	struct bdev *miss_dev; /* the block the last -EMISS waits for */
	uint64_t miss_blk;
	struct bcache_stats st;
};

/* An empty cache that holds up to cap bytes of clean blocks. */
void bcache_init(struct bcache *bc, size_t cap);
/* Frees every buffer, dirty or not. */
void bcache_destroy(struct bcache *bc);
void bcache_set_cap(struct bcache *bc, size_t cap);

/* Sets the block size of dev, dropping its buffers. -EBUSY if one is
 * dirty, in flight or pinned. */
int bcache_set_bsize(struct bcache *bc, struct bdev *dev, uint32_t bsize);
/* Drops every buffer of dev (after a flush). -EBUSY as above. */
int bcache_invalidate(struct bcache *bc, struct bdev *dev);

/* The block in *out. 0; -EMISS if a read was started (or is in flight:
 * bcache_last_miss says which block); -EIO if the device failed it;
 * -EINVAL past the device's end; -ENOMEM. Within a transaction the
 * buffer stays pinned until commit/abort; outside one it is valid until
 * the next call. */
int bcache_get(struct bcache *bc, struct bdev *dev, uint64_t blk, struct buf **out);
/* A zeroed buffer for a block just allocated: no read. Transactions only;
 * it counts as modified. */
int bcache_new(struct bcache *bc, struct bdev *dev, uint64_t blk, struct buf **out);
/* Starts reading up to n blocks from blk that are not cached, as far as
 * the cap allows without evicting anything dirty. Never fails. */
void bcache_readahead(struct bcache *bc, struct bdev *dev, uint64_t blk, uint32_t n);
/* What the last -EMISS waits for. */
void bcache_last_miss(const struct bcache *bc, struct bdev **dev, uint64_t *blk);

/* Transactions: one at a time. modify announces that the caller is about
 * to change b (pinned in this transaction); its old contents are saved
 * the first time. abort puts back every saved block and forgets new
 * ones; commit marks the modified ones dirty. Both unpin. */
void bcache_begin(struct bcache *bc);
int bcache_modify(struct bcache *bc, struct buf *b);
void bcache_commit(struct bcache *bc);
void bcache_abort(struct bcache *bc);

/* Completions from the driver. A read's data is bsize bytes (ignored when
 * err is not 0). Unknown blocks are ignored. */
void bcache_done(struct bcache *bc, struct bdev *dev, uint64_t blk, const void *data, int err);
void bcache_write_done(struct bcache *bc, struct bdev *dev, uint64_t blk, int err);

/* Starts writing every dirty buffer of dev (NULL: of every device) that is
 * not pinned or already being written. Returns how many were submitted,
 * or -EIO if a submit failed (the buffer stays dirty). */
int bcache_flush(struct bcache *bc, struct bdev *dev);
/* Writes still in flight for dev (NULL: all). */
size_t bcache_writes_pending(const struct bcache *bc, struct bdev *dev);
/* Once nothing is pending: the device flush, and -EIO if any write
 * failed since the last call (then forgotten). */
int bcache_sync(struct bcache *bc, struct bdev *dev);

/* Marks b as holding file contents (for the statistics). */
void bcache_mark_data(struct bcache *bc, struct buf *b);

/* Gives back clean buffers until at most bytes are held (memory
 * pressure); returns the bytes freed. */
size_t bcache_shrink(struct bcache *bc, size_t bytes);

#endif
