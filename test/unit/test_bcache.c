/* The buffer cache: hits and misses, LRU eviction under the cap, dirty
 * and pinned buffers kept, transactions (abort restores, commit marks
 * dirty), write-back, read-ahead and device errors. */
#include <criterion/criterion.h>
#include <string.h>

#include "tdev.h"

#define BS 1024

static struct bcache bc;
static struct tdev t;

static void setup(void)
{
	bcache_init(&bc, 4 * BS);
	tdev_init(&t, &bc, 64 * BS);
	for (size_t i = 0; i < 64; i++)
		memset(t.img + i * BS, (int)i, BS);
	cr_assert_eq(bcache_set_bsize(&bc, &t.dev, BS), 0);
}

static void teardown(void)
{
	bcache_destroy(&bc);
	tdev_free(&t);
}

TestSuite(bcache, .init = setup, .fini = teardown);

static struct buf *get(uint64_t blk)
{
	struct buf *b;
	cr_assert_eq(bcache_get(&bc, &t.dev, blk, &b), 0, "get %lu", (unsigned long)blk);
	return b;
}

static bool cached(uint64_t blk)
{
	for (struct buf *b = bc.lru.next; b != &bc.lru; b = b->next)
		if (b->blk == blk)
			return true;
	return false;
}

Test(bcache, miss_defers_until_done)
{
	struct buf *b;
	struct bdev *dev;
	uint64_t blk;
	t.deferred = true;
	cr_assert_eq(bcache_get(&bc, &t.dev, 7, &b), -EMISS);
	bcache_last_miss(&bc, &dev, &blk);
	cr_assert(dev == &t.dev && blk == 7);
	cr_assert_eq(bcache_get(&bc, &t.dev, 7, &b), -EMISS, "still in flight");
	cr_assert_eq(t.reads, 1, "one read, not two");
	tdev_complete(&t);
	cr_assert_eq(get(7)->data[0], 7);
}

Test(bcache, immediate_read_hits_at_once)
{
	cr_assert_eq(get(3)->data[BS - 1], 3);
	cr_assert_eq(get(3)->data[0], 3);
	cr_assert_eq(bc.st.hits, 2);
	cr_assert_eq(bc.st.misses, 1);
}

Test(bcache, past_the_end_is_einval)
{
	struct buf *b;
	cr_assert_eq(bcache_get(&bc, &t.dev, 64, &b), -EINVAL);
}

Test(bcache, evicts_least_recently_used)
{
	for (int i = 0; i < 4; i++)
		get(i);
	get(0); /* 1 is now the oldest */
	get(4);
	cr_assert(cached(0) && !cached(1) && cached(2) && cached(4));
	cr_assert_leq(bc.st.bytes, 4 * BS);
}

Test(bcache, dirty_buffers_stay_until_written)
{
	bcache_begin(&bc);
	struct buf *b = get(0);
	cr_assert_eq(bcache_modify(&bc, b), 0);
	b->data[0] = 0xaa;
	bcache_commit(&bc);
	cr_assert_eq(bc.st.dirty, 1);
	for (int i = 1; i < 10; i++)
		get(i);
	cr_assert(cached(0), "a dirty buffer was evicted");
	cr_assert_eq(t.img[0], 0, "written before a flush");
	cr_assert_eq(bcache_flush(&bc, NULL), 1);
	cr_assert_eq(t.img[0], 0xaa);
	cr_assert_eq(bc.st.dirty, 0);
	get(10);
	get(11);
	cr_assert(!cached(0), "a written buffer is clean and evictable");
}

Test(bcache, pins_buffers_during_a_transaction)
{
	struct buf *bs[8];
	bcache_begin(&bc);
	for (int i = 0; i < 8; i++)
		bs[i] = get(i);
	for (int i = 0; i < 8; i++)
		cr_assert_eq(bs[i]->data[5], i, "pinned buffer %d reused", i);
	cr_assert_eq(bc.st.bufs, 8);
	bcache_commit(&bc);
	cr_assert_leq(bc.st.bytes, 4 * BS, "over the cap after the transaction");
}

Test(bcache, abort_restores_contents)
{
	bcache_begin(&bc);
	struct buf *b = get(2);
	cr_assert_eq(bcache_modify(&bc, b), 0);
	memset(b->data, 0x55, BS);
	cr_assert_eq(bcache_modify(&bc, b), 0, "a second modify keeps the first save");
	bcache_abort(&bc);
	b = get(2);
	cr_assert_eq(b->data[0], 2);
	cr_assert_eq(b->data[BS - 1], 2);
	cr_assert_eq(bc.st.dirty, 0);
}

Test(bcache, abort_forgets_new_blocks)
{
	struct buf *b;
	bcache_begin(&bc);
	cr_assert_eq(bcache_new(&bc, &t.dev, 20, &b), 0);
	cr_assert_eq(b->data[0], 0);
	bcache_abort(&bc);
	cr_assert(!cached(20));
	cr_assert_eq(get(20)->data[0], 20, "the disk's contents, not the zeroed buffer");
}

Test(bcache, commit_marks_new_blocks_dirty)
{
	struct buf *b;
	bcache_begin(&bc);
	cr_assert_eq(bcache_new(&bc, &t.dev, 21, &b), 0);
	b->data[1] = 9;
	bcache_commit(&bc);
	cr_assert_eq(bc.st.dirty, 1);
	cr_assert_eq(bcache_flush(&bc, &t.dev), 1);
	cr_assert_eq(t.img[21 * BS], 0);
	cr_assert_eq(t.img[21 * BS + 1], 9);
}

Test(bcache, read_error_gives_eio_then_retries)
{
	struct buf *b;
	t.fail_blk = 5;
	cr_assert_eq(bcache_get(&bc, &t.dev, 5, &b), -EIO);
	t.deferred = true;
	cr_assert_eq(bcache_get(&bc, &t.dev, 5, &b), -EMISS);
	tdev_complete(&t);
	cr_assert_eq(bcache_get(&bc, &t.dev, 5, &b), -EIO);
	t.fail_blk = UINT64_MAX;
	t.deferred = false;
	cr_assert_eq(get(5)->data[0], 5, "a failed read is not cached");
}

Test(bcache, write_error_reported_by_sync)
{
	bcache_begin(&bc);
	struct buf *b = get(1);
	cr_assert_eq(bcache_modify(&bc, b), 0);
	bcache_commit(&bc);
	t.fail_writes = true;
	cr_assert_eq(bcache_flush(&bc, NULL), 1);
	cr_assert_eq(bcache_sync(&bc, &t.dev), -EIO);
	cr_assert_eq(bcache_sync(&bc, &t.dev), 0, "reported once");
}

Test(bcache, readahead_fills_without_misses)
{
	bcache_readahead(&bc, &t.dev, 10, 3);
	cr_assert_eq(t.reads, 3);
	cr_assert_eq(get(11)->data[0], 11);
	cr_assert_eq(bc.st.misses, 0);
	bcache_readahead(&bc, &t.dev, 62, 8);
	cr_assert_eq(t.reads, 5, "stops at the device's end");
}

Test(bcache, readahead_forgets_blocks_the_driver_did_not_take)
{
	t.deferred = true;
	t.take_max = 2;
	bcache_readahead(&bc, &t.dev, 10, 5);
	cr_assert_eq(t.nq, 2);
	cr_assert_eq(bc.st.bufs, 2, "only the blocks on their way are held");
	tdev_complete(&t);
	t.take_max = 0;
	struct buf *b;
	cr_assert_eq(bcache_get(&bc, &t.dev, 12, &b), -EMISS, "asked for again, not stuck");
	cr_assert_eq(t.nq, 1);
}

Test(bcache, flush_writes_consecutive_blocks_as_runs)
{
	t.dev.max_run = 4;
	bcache_begin(&bc);
	static const int blocks[] = {17, 10, 30, 12, 11, 13, 14, 16, 15};
	for (unsigned i = 0; i < sizeof(blocks) / sizeof(blocks[0]); i++)
		cr_assert_eq(bcache_modify(&bc, get(blocks[i])), 0);
	bcache_commit(&bc);
	cr_assert_eq(bcache_flush(&bc, NULL), 9);
	cr_assert_eq(t.write_reqs, 3, "10-13, 14-17 and 30: %lu", (unsigned long)t.write_reqs);
	cr_assert_eq(bc.st.dirty, 0);
	cr_assert_eq(bcache_writes_pending(&bc, NULL), 0);
}

Test(bcache, readahead_never_evicts_dirty)
{
	bcache_begin(&bc);
	for (int i = 0; i < 4; i++)
		cr_assert_eq(bcache_modify(&bc, get(i)), 0);
	bcache_commit(&bc);
	bcache_readahead(&bc, &t.dev, 30, 4);
	cr_assert_eq(t.reads, 4, "no room: nothing read ahead");
	cr_assert_eq(bc.st.dirty, 4);
}

Test(bcache, block_size_change_refused_while_dirty)
{
	bcache_begin(&bc);
	cr_assert_eq(bcache_modify(&bc, get(1)), 0);
	bcache_commit(&bc);
	cr_assert_eq(bcache_set_bsize(&bc, &t.dev, 4096), -EBUSY);
	bcache_flush(&bc, NULL);
	cr_assert_eq(bcache_set_bsize(&bc, &t.dev, 4096), 0);
	cr_assert_eq(bc.st.bufs, 0);
}

Test(bcache, shrink_gives_back_clean_buffers)
{
	for (int i = 0; i < 4; i++)
		get(i);
	cr_assert_eq(bcache_shrink(&bc, BS), 3 * BS);
	cr_assert_eq(bc.st.bufs, 1);
	cr_assert(cached(3), "the most recent stays");
}
