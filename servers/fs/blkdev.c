/* The buffer cache's disks: struct bdev over the blk server. Reads and
 * writes of cache blocks go to blk as requests tagged BREQ_TAG + slot,
 * each a run of consecutive blocks up to BLK_MAX_SECTORS sectors: a
 * write lends blk its bytes as a window, a read's bytes come back through
 * the window BLK_COLLECT lends (disk.c). What blk cannot take yet (its
 * slots are full) waits here and goes when completions make room. */
#include <stdlib.h>
#include <string.h>

#include "blkdev.h"
#include "mica/errno.h"
#include "mica/host.h"
#include "mica/proto/blk.h"

#define SLOT_BLK 1
#define NBREQ    256

struct breq {
	bool used, queued, write;
	int disk;
	uint64_t blk;  /* in the device's bsize */
	uint32_t n;    /* blocks */
	uint8_t *data; /* a write's copy: n blocks */
};

static struct breq breqs[NBREQ];
struct bcache fs_bcache;
struct fsdisk fsdisks[BLK_MAX_DISKS];

static uint32_t run_max(const struct bdev *dev)
{
	uint32_t n = BLK_MAX_SECTORS * BLK_SECTOR / dev->bsize;
	return n ? n : 1;
}

static long blk_submit(struct breq *r, size_t i)
{
	struct fsdisk *d = &fsdisks[r->disk];
	uint32_t spb = d->bd.bsize / BLK_SECTOR;
	struct host_call c = {.op = r->write ? BLK_WRITE : BLK_READ,
	                      .m = {(unsigned long)r->disk, r->blk * spb, r->n * spb, BREQ_TAG + i},
	                      .handle = -1};
	if (r->write)
		c.win = r->data, c.win_len = (size_t)r->n * d->bd.bsize;
	long e = host_call(SLOT_BLK, &c);
	long res = e < 0 ? e : c.result;
	r->queued = res == 0;
	return res == -EAGAIN ? 0 : res;
}

/* A request for n blocks from blk (a write's n blocks at data[]). */
static long breq_start(int disk, uint64_t blk, uint32_t n, const void *const *data)
{
	uint32_t bs = fsdisks[disk].bd.bsize;
	for (size_t i = 0; i < NBREQ; i++) {
		struct breq *r = &breqs[i];
		if (r->used)
			continue;
		*r = (struct breq){
		    .used = true, .write = data != NULL, .disk = disk, .blk = blk, .n = n};
		if (data && !(r->data = malloc((size_t)n * bs))) {
			r->used = false;
			return -ENOMEM;
		}
		for (uint32_t k = 0; data && k < n; k++)
			memcpy(r->data + (size_t)k * bs, data[k], bs);
		long e = blk_submit(r, i);
		if (e < 0) {
			free(r->data);
			*r = (struct breq){0};
		}
		return e;
	}
	return -EAGAIN;
}

/* n blocks from blk as requests of at most a blk request's size (a
 * write's bytes at data[]): 0, or how many went before one failed (the
 * cache forgets a read's rest; a write is all written again later), or
 * -errno if none went. */
static int submit_runs(struct bdev *dev, uint64_t blk, uint32_t n, const void *const *data)
{
	struct fsdisk *d = dev->arg;
	uint32_t done = 0, max = run_max(dev);
	while (done < n) {
		uint32_t k = n - done < max ? n - done : max;
		long e = breq_start((int)(d - fsdisks), blk + done, k, data ? data + done : NULL);
		if (e < 0)
			return done && !data ? (int)done : (int)e;
		done += k;
	}
	return 0;
}

static int bd_read(struct bdev *dev, uint64_t blk, uint32_t n)
{
	return submit_runs(dev, blk, n, NULL);
}

static int bd_write(struct bdev *dev, uint64_t blk, uint32_t n, const void *const *data)
{
	return submit_runs(dev, blk, n, data);
}

static int bd_flush(struct bdev *dev)
{
	struct fsdisk *d = dev->arg;
	struct host_call c = {
	    .op = BLK_FLUSH, .m = {(unsigned long)(d - fsdisks), 0, 0, BREQ_FLUSH}, .handle = -1};
	long e = host_call(SLOT_BLK, &c);
	return e < 0 ? (int)e : (int)c.result;
}

static const struct bdev_ops blk_ops = {bd_read, bd_write, bd_flush};

void blkdev_init(int ndisks, const uint64_t *bytes)
{
	bcache_init(&fs_bcache, BCACHE_CAP);
	for (int i = 0; i < ndisks && i < BLK_MAX_DISKS; i++)
		fsdisks[i].bd = (struct bdev){
		    .ops = &blk_ops, .arg = &fsdisks[i], .size = bytes[i], .max_run = BDEV_MAX_RUN};
}

void blkdev_completed(unsigned long tag, long status, const void *data, size_t len)
{
	size_t i = tag - BREQ_TAG;
	if (tag == BREQ_FLUSH || i >= NBREQ || !breqs[i].used || !breqs[i].queued)
		return;
	struct breq *r = &breqs[i];
	struct bdev *dev = &fsdisks[r->disk].bd;
	if (!r->write && !status && len < (size_t)r->n * dev->bsize)
		status = -EIO; /* blk gave less than was asked for */
	for (uint32_t k = 0; k < r->n; k++) {
		if (r->write)
			bcache_write_done(&fs_bcache, dev, r->blk + k, status ? -EIO : 0);
		else
			bcache_done(&fs_bcache, dev, r->blk + k,
			            status ? NULL : (const uint8_t *)data + (size_t)k * dev->bsize,
			            status ? -EIO : 0);
	}
	free(r->data);
	*r = (struct breq){0};
}

void blkdev_retry(void)
{
	for (size_t i = 0; i < NBREQ; i++) {
		struct breq *r = &breqs[i];
		if (!r->used || r->queued)
			continue;
		long e = blk_submit(r, i);
		if (e < 0) { /* the device refuses it: the cache hears so */
			r->queued = true;
			blkdev_completed(BREQ_TAG + i, -EIO, NULL, 0);
		} else if (!r->queued) {
			return; /* blk is full again */
		}
	}
}
