/* The buffer cache's disks: struct bdev over the blk server. Reads and
 * writes of cache blocks go to blk as requests tagged BREQ_TAG + slot;
 * what blk cannot take yet (its slots are full) waits here and goes when
 * completions make room. Completions come back through disk_notify. */
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
	uint8_t *data; /* a write's copy */
};

static struct breq breqs[NBREQ];
struct bcache fs_bcache;
struct fsdisk fsdisks[BLK_MAX_DISKS];

static long blk_submit(struct breq *r, size_t i)
{
	struct fsdisk *d = &fsdisks[r->disk];
	uint32_t spb = d->bd.bsize / BLK_SECTOR;
	struct host_call c = {.op = r->write ? BLK_WRITE : BLK_READ,
	                      .m = {(unsigned long)r->disk, r->blk * spb, spb, BREQ_TAG + i},
	                      .handle = -1};
	if (r->write) {
		memcpy(host_buf(), r->data, d->bd.bsize);
		c.len = d->bd.bsize;
	}
	long e = host_call(SLOT_BLK, &c);
	long res = e < 0 ? e : c.result;
	r->queued = res == 0;
	return res == -EAGAIN ? 0 : res;
}

static long breq_start(int disk, uint64_t blk, const void *data)
{
	for (size_t i = 0; i < NBREQ; i++) {
		struct breq *r = &breqs[i];
		if (r->used)
			continue;
		*r = (struct breq){.used = true, .write = data != NULL, .disk = disk, .blk = blk};
		if (data && !(r->data = malloc(fsdisks[disk].bd.bsize))) {
			r->used = false;
			return -ENOMEM;
		}
		if (data)
			memcpy(r->data, data, fsdisks[disk].bd.bsize);
		long e = blk_submit(r, i);
		if (e < 0) {
			free(r->data);
			*r = (struct breq){0};
		}
		return e;
	}
	return -EAGAIN;
}

static int bd_read(struct bdev *dev, uint64_t blk, uint32_t n)
{
	struct fsdisk *d = dev->arg;
	for (uint32_t i = 0; i < n; i++) {
		long e = breq_start((int)(d - fsdisks), blk + i, NULL);
		if (e < 0)
			return i ? (int)i : (int)e; /* what went is coming */
	}
	return 0;
}

static int bd_write(struct bdev *dev, uint64_t blk, const void *data)
{
	struct fsdisk *d = dev->arg;
	return (int)breq_start((int)(d - fsdisks), blk, data);
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
		fsdisks[i].bd =
		    (struct bdev){.ops = &blk_ops, .arg = &fsdisks[i], .size = bytes[i]};
}

void blkdev_completed(unsigned long tag, long status, const void *data)
{
	size_t i = tag - BREQ_TAG;
	if (tag == BREQ_FLUSH || i >= NBREQ || !breqs[i].used || !breqs[i].queued)
		return;
	struct breq *r = &breqs[i];
	struct bdev *dev = &fsdisks[r->disk].bd;
	if (r->write)
		bcache_write_done(&fs_bcache, dev, r->blk, status ? -EIO : 0);
	else
		bcache_done(&fs_bcache, dev, r->blk, data, status ? -EIO : 0);
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
			blkdev_completed(BREQ_TAG + i, -EIO, NULL);
		} else if (!r->queued) {
			return; /* blk is full again */
		}
	}
}
