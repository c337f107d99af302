/* The buffer cache (see bcache.h): a hash of buffers by (device, block),
 * an LRU list for eviction (clean, unpinned, idle buffers only), and the
 * current transaction's list of pinned buffers with their saved contents. */
#include <stdlib.h>
#include <string.h>

#include "bcache.h"
#include "mica/errno.h"
#include "blkmem.h"

static size_t hash_of(const struct bdev *dev, uint64_t blk)
{
	uint64_t h = (uint64_t)(uintptr_t)dev * 0x9e3779b97f4a7c15ULL ^ blk * 0xff51afd7ed558ccdULL;
	return (size_t)(h >> 32) % BCACHE_HASH;
}

static struct buf *lookup(const struct bcache *bc, const struct bdev *dev, uint64_t blk)
{
	for (struct buf *b = bc->hash[hash_of(dev, blk)]; b; b = b->hnext)
		if (b->dev == dev && b->blk == blk)
			return b;
	return NULL;
}

static void lru_unlink(struct buf *b)
{
	b->prev->next = b->next;
	b->next->prev = b->prev;
}

static void lru_front(struct bcache *bc, struct buf *b)
{
	b->next = bc->lru.next;
	b->prev = &bc->lru;
	bc->lru.next->prev = b;
	bc->lru.next = b;
}

static void touch(struct bcache *bc, struct buf *b)
{
	lru_unlink(b);
	lru_front(bc, b);
}

/* Not evictable: dirty, in flight, pinned, or fresh: wanted by an
 * operation that will run again (its blocks arrived, or it was aborted)
 * and not yet used, for up to BCACHE_FRESH_OPS committed operations.
 * So a re-run finds what its last attempt read, even under the cap. */
static bool is_busy(const struct bcache *bc, const struct buf *b)
{
	if ((b->flags & B_FRESH) && bc->gen - b->gen < BCACHE_FRESH_OPS)
		return true;
	return b->flags & (B_DIRTY | B_READING | B_WRITING | B_PINNED);
}

/* Removes b from the cache and frees it. */
static void buf_free(struct bcache *bc, struct buf *b)
{
	struct buf **pp = &bc->hash[hash_of(b->dev, b->blk)];
	while (*pp != b)
		pp = &(*pp)->hnext;
	*pp = b->hnext;
	lru_unlink(b);
	if (b->flags & B_DIRTY)
		bc->st.dirty--, bc->st.dirty_bytes -= b->size;
	if (b->flags & B_DATA)
		bc->st.data_bytes -= b->size;
	bc->st.bufs--;
	bc->st.bytes -= b->size;
	free(b->save);
	blkmem_free(b->data, b->size);
	free(b);
}

/* Evicts clean idle buffers from the LRU tail until need more bytes fit
 * under the cap. True if they do. */
static bool make_room(struct bcache *bc, size_t need)
{
	struct buf *b = bc->lru.prev;
	while (bc->st.bytes + need > bc->cap && b != &bc->lru) {
		struct buf *prev = b->prev;
		if (!is_busy(bc, b)) {
			buf_free(bc, b);
			bc->st.evictions++;
		}
		b = prev;
	}
	return bc->st.bytes + need <= bc->cap;
}

/* Evicts the least recently used clean idle buffer; false if none. */
static bool evict_one(struct bcache *bc)
{
	for (struct buf *b = bc->lru.prev; b != &bc->lru; b = b->prev)
		if (!is_busy(bc, b)) {
			buf_free(bc, b);
			bc->st.evictions++;
			return true;
		}
	return false;
}

/* A new buffer for (dev, blk) with no valid data, at the LRU front. */
static struct buf *buf_alloc(struct bcache *bc, struct bdev *dev, uint64_t blk)
{
	make_room(bc, dev->bsize);
	struct buf *b = calloc(1, sizeof(*b));
	if (!b)
		return NULL;
	/* short of memory: the oldest clean block makes way */
	while (!(b->data = blkmem_alloc(dev->bsize)) && evict_one(bc))
		;
	if (!b->data) {
		free(b);
		return NULL;
	}
	b->dev = dev;
	b->blk = blk;
	b->size = dev->bsize;
	size_t h = hash_of(dev, blk);
	b->hnext = bc->hash[h];
	bc->hash[h] = b;
	lru_front(bc, b);
	bc->st.bufs++;
	bc->st.bytes += b->size;
	return b;
}

void bcache_init(struct bcache *bc, size_t cap)
{
	memset(bc, 0, sizeof(*bc));
	bc->lru.next = bc->lru.prev = &bc->lru;
	bc->cap = cap;
}

void bcache_destroy(struct bcache *bc)
{
	while (bc->lru.next != &bc->lru)
		buf_free(bc, bc->lru.next);
}

void bcache_set_cap(struct bcache *bc, size_t cap)
{
	bc->cap = cap;
	make_room(bc, 0);
}

int bcache_invalidate(struct bcache *bc, struct bdev *dev)
{
	for (struct buf *b = bc->lru.next; b != &bc->lru; b = b->next)
		if (b->dev == dev && (b->flags & (B_DIRTY | B_READING | B_WRITING | B_PINNED)))
			return -EBUSY;
	for (struct buf *b = bc->lru.next, *n; b != &bc->lru; b = n) {
		n = b->next;
		if (b->dev == dev)
			buf_free(bc, b);
	}
	return 0;
}

int bcache_set_bsize(struct bcache *bc, struct bdev *dev, uint32_t bsize)
{
	int r = bcache_invalidate(bc, dev);
	if (r == 0)
		dev->bsize = bsize;
	return r;
}

static void pin(struct bcache *bc, struct buf *b)
{
	if (!bc->in_txn || (b->flags & B_PINNED))
		return;
	b->flags |= B_PINNED;
	b->tnext = bc->txn;
	bc->txn = b;
}

static int miss(struct bcache *bc, struct bdev *dev, uint64_t blk)
{
	bc->miss_dev = dev;
	bc->miss_blk = blk;
	return -EMISS;
}

/* Starts the read of b's block; its completion may already have come
 * when this returns. */
static int start_read(struct bcache *bc, struct buf *b)
{
	b->flags |= B_READING | B_WANTED;
	bc->st.reads++;
	int r = b->dev->ops->submit_read(b->dev, b->blk, 1);
	if (r < 0) {
		buf_free(bc, b);
		return r == -EMISS ? -EIO : r;
	}
	return 0;
}

int bcache_get(struct bcache *bc, struct bdev *dev, uint64_t blk, struct buf **out)
{
	if (dev->bsize == 0 || blk >= dev->size / dev->bsize)
		return -EINVAL;
	struct buf *b = lookup(bc, dev, blk);
	if (b && (b->flags & B_ERROR)) {
		buf_free(bc, b);
		return -EIO;
	}
	if (!b) {
		bc->st.misses++;
		if (!(b = buf_alloc(bc, dev, blk)))
			return -ENOMEM;
		int r = start_read(bc, b);
		if (r < 0)
			return r;
		return bcache_get(bc, dev, blk, out); /* it may have completed */
	}
	if (!(b->flags & B_VALID))
		return miss(bc, dev, blk);
	bc->st.hits++;
	b->flags &= ~B_FRESH;
	touch(bc, b);
	pin(bc, b);
	*out = b;
	return 0;
}

int bcache_new(struct bcache *bc, struct bdev *dev, uint64_t blk, struct buf **out)
{
	if (!bc->in_txn || dev->bsize == 0 || blk >= dev->size / dev->bsize)
		return -EINVAL;
	struct buf *b = lookup(bc, dev, blk);
	if (b && (b->flags & B_VALID)) {
		pin(bc, b);
		int r = bcache_modify(bc, b);
		if (r < 0)
			return r;
	} else {
		if (!b && !(b = buf_alloc(bc, dev, blk)))
			return -ENOMEM;
		/* A read in flight (read-ahead) is now stale: done ignores it. */
		b->flags = (b->flags & ~(B_READING | B_ERROR)) | B_VALID | B_TXNEW | B_TXMOD;
		pin(bc, b);
	}
	if (b->flags & B_DATA) /* a block allocated anew: whatever it held before */
		b->flags &= ~B_DATA, bc->st.data_bytes -= b->size;
	memset(b->data, 0, b->size);
	touch(bc, b);
	*out = b;
	return 0;
}

void bcache_mark_data(struct bcache *bc, struct buf *b)
{
	if (!(b->flags & B_DATA))
		b->flags |= B_DATA, bc->st.data_bytes += b->size;
}

void bcache_readahead(struct bcache *bc, struct bdev *dev, uint64_t blk, uint32_t n)
{
	uint64_t end = dev->bsize ? dev->size / dev->bsize : 0;
	uint32_t run = 0;
	for (uint32_t i = 0; i <= n; i++) {
		uint64_t cur = blk + i;
		bool want = i < n && cur < end && !lookup(bc, dev, cur) &&
		            (bc->st.bytes + dev->bsize <= bc->cap || make_room(bc, dev->bsize));
		if (want) {
			struct buf *b = buf_alloc(bc, dev, cur);
			if (b) {
				b->flags |= B_READING;
				run++;
				continue;
			}
		}
		if (run > 0) {
			bc->st.reads += run;
			int took = dev->ops->submit_read(dev, cur - run, run);
			if (took != 0) /* what the driver did not take is never coming */
				for (uint64_t k = cur - run + (took > 0 ? (uint64_t)took : 0);
				     k < cur; k++)
					buf_free(bc, lookup(bc, dev, k));
			run = 0;
		}
		if (!want)
			return;
	}
}

void bcache_last_miss(const struct bcache *bc, struct bdev **dev, uint64_t *blk)
{
	*dev = bc->miss_dev;
	*blk = bc->miss_blk;
}

void bcache_done(struct bcache *bc, struct bdev *dev, uint64_t blk, const void *data, int err)
{
	struct buf *b = lookup(bc, dev, blk);
	if (!b || !(b->flags & B_READING))
		return;
	b->flags &= ~B_READING;
	if (err)
		b->flags |= B_ERROR;
	else {
		memcpy(b->data, data, b->size);
		b->flags |= B_VALID;
		if (b->flags & B_WANTED)
			b->flags |= B_FRESH;
		b->gen = bc->gen;
	}
	b->flags &= ~B_WANTED;
}

void bcache_write_done(struct bcache *bc, struct bdev *dev, uint64_t blk, int err)
{
	struct buf *b = lookup(bc, dev, blk);
	if (b)
		b->flags &= ~B_WRITING;
	if (err)
		bc->werr = -EIO;
}

void bcache_begin(struct bcache *bc)
{
	bc->in_txn = true;
	bc->txn = NULL;
}

int bcache_modify(struct bcache *bc, struct buf *b)
{
	pin(bc, b);
	if (!bc->in_txn)
		return -EINVAL;
	if (!b->save && !(b->flags & B_TXNEW)) {
		if (!(b->save = malloc(b->size)))
			return -ENOMEM;
		memcpy(b->save, b->data, b->size);
	}
	b->flags |= B_TXMOD;
	return 0;
}

/* Ends the transaction; keep says whether its changes stay. */
static void txn_end(struct bcache *bc, bool keep)
{
	struct buf *b = bc->txn;
	bc->txn = NULL;
	bc->in_txn = false;
	while (b) {
		struct buf *n = b->tnext;
		if (keep && (b->flags & B_TXMOD) && !(b->flags & B_DIRTY)) {
			b->flags |= B_DIRTY;
			bc->st.dirty++, bc->st.dirty_bytes += b->size;
		}
		if (!keep && b->save)
			memcpy(b->data, b->save, b->size);
		free(b->save);
		b->save = NULL;
		bool drop = !keep && (b->flags & B_TXNEW) && !(b->flags & B_DIRTY);
		b->flags &= ~(B_PINNED | B_TXMOD | B_TXNEW);
		if (!keep) {
			b->flags |= B_FRESH;
			b->gen = bc->gen;
		}
		b->tnext = NULL;
		if (drop)
			buf_free(bc, b);
		b = n;
	}
	make_room(bc, 0);
}

void bcache_commit(struct bcache *bc)
{
	bc->gen++;
	txn_end(bc, true);
}

void bcache_abort(struct bcache *bc)
{
	txn_end(bc, false);
}

static int by_block(const void *a, const void *b)
{
	const struct buf *x = *(struct buf *const *)a, *y = *(struct buf *const *)b;
	if (x->dev != y->dev)
		return (uintptr_t)x->dev < (uintptr_t)y->dev ? -1 : 1;
	return x->blk < y->blk ? -1 : x->blk > y->blk;
}

/* Writes n buffers of consecutive blocks (one device) as one request. */
static int write_run(struct bcache *bc, struct buf **run, uint32_t n)
{
	const void *data[BDEV_MAX_RUN] = {0};
	for (uint32_t i = 0; i < n; i++) {
		run[i]->flags = (run[i]->flags & ~B_DIRTY) | B_WRITING;
		bc->st.dirty--, bc->st.dirty_bytes -= run[i]->size;
		data[i] = run[i]->data;
	}
	bc->st.writes += n;
	int r = run[0]->dev->ops->submit_write(run[0]->dev, run[0]->blk, n, data);
	for (uint32_t i = 0; r < 0 && i < n; i++) {
		run[i]->flags = (run[i]->flags & ~B_WRITING) | B_DIRTY;
		bc->st.dirty++, bc->st.dirty_bytes += run[i]->size;
	}
	return r < 0 ? -EIO : 0;
}

/* The dirty buffers go in block order, consecutive ones (up to the
 * device's max_run) as one request: a file written block by block
 * reaches the disk in few large writes. */
int bcache_flush(struct bcache *bc, struct bdev *dev)
{
	size_t k = 0, cnt = bc->st.dirty;
	struct buf **v = cnt ? malloc(cnt * sizeof(*v)) : NULL;
	if (cnt && !v)
		return -ENOMEM;
	for (struct buf *b = bc->lru.prev; b != &bc->lru && k < cnt; b = b->prev)
		if ((!dev || b->dev == dev) && (b->flags & B_DIRTY) &&
		    !(b->flags & (B_PINNED | B_WRITING)))
			v[k++] = b;
	qsort(v, k, sizeof(*v), by_block);
	int n = 0, r = 0;
	for (size_t i = 0; i < k && r == 0;) {
		uint32_t len = 1, max = v[i]->dev->max_run ? v[i]->dev->max_run : 1;
		while (i + len < k && len < max && len < BDEV_MAX_RUN &&
		       v[i + len]->dev == v[i]->dev && v[i + len]->blk == v[i]->blk + len)
			len++;
		if ((r = write_run(bc, v + i, len)) == 0)
			n += (int)len;
		i += len;
	}
	free(v);
	return r < 0 ? r : n;
}

size_t bcache_writes_pending(const struct bcache *bc, struct bdev *dev)
{
	size_t n = 0;
	for (const struct buf *b = bc->lru.next; b != &bc->lru; b = b->next)
		if ((!dev || b->dev == dev) && (b->flags & B_WRITING))
			n++;
	return n;
}

int bcache_sync(struct bcache *bc, struct bdev *dev)
{
	int r = 0;
	if (dev && dev->ops->flush)
		r = dev->ops->flush(dev);
	if (bc->werr)
		r = bc->werr;
	bc->werr = 0;
	return r < 0 ? -EIO : 0;
}

size_t bcache_shrink(struct bcache *bc, size_t bytes)
{
	size_t before = bc->st.bytes, cap = bc->cap;
	bc->cap = bytes;
	make_room(bc, 0);
	bc->cap = cap;
	return before - bc->st.bytes;
}
