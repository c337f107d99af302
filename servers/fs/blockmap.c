/* File blocks: block b lives in index page b / PER_INDEX at slot
 * b % PER_INDEX. A write first counts and takes every page it needs
 * (chained through their first word), then installs them: it cannot
 * fail half way. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "blockmap.h"
#include "mica/errno.h"

#define PER_INDEX (FS_PAGE_SIZE / sizeof(uint8_t *))

static uint8_t *block_at(const struct blockmap *bm, uint64_t b)
{
	size_t i = (size_t)(b / PER_INDEX);
	if (i >= bm->nindex || !bm->index[i])
		return NULL;
	return bm->index[i][b % PER_INDEX];
}

void bmap_read(const struct blockmap *bm, uint64_t off, void *buf, size_t len)
{
	uint8_t *dst = buf;
	while (len) {
		size_t in = (size_t)(off % FS_PAGE_SIZE);
		size_t n = len < FS_PAGE_SIZE - in ? len : FS_PAGE_SIZE - in;
		const uint8_t *blk = block_at(bm, off / FS_PAGE_SIZE);
		if (blk)
			memcpy(dst, blk + in, n);
		else
			memset(dst, 0, n);
		dst += n, off += n, len -= n;
	}
}

long bmap_read_to(const struct blockmap *bm, uint64_t off, size_t len, bmap_sink sink, void *arg)
{
	const uint8_t *run = NULL; /* the run not yet delivered: at..done */
	size_t at = 0, done = 0;
	while (done <= len) {
		size_t in = (size_t)(off % FS_PAGE_SIZE);
		size_t n = len - done < FS_PAGE_SIZE - in ? len - done : FS_PAGE_SIZE - in;
		const uint8_t *blk = n ? block_at(bm, off / FS_PAGE_SIZE) : NULL;
		const uint8_t *p = blk ? blk + in : NULL;
		bool joins = done > at && ((run && p == run + (done - at)) || (!run && !p));
		if (done > at && (!joins || !n)) { /* deliver the run so far */
			int err = sink(arg, at, run, done - at);
			if (err)
				return at ? (long)at : err;
			at = done;
		}
		if (!n)
			break;
		if (done == at)
			run = p;
		done += n, off += n;
	}
	return (long)len;
}

/* Pages blocks first..last lack: *data data pages, and the index pages. */
static size_t pages_wanted(const struct blockmap *bm, uint64_t first, uint64_t last, size_t *data)
{
	size_t n = 0;
	*data = 0;
	for (uint64_t b = first; b <= last; b++) {
		size_t i = (size_t)(b / PER_INDEX);
		bool no_index = i >= bm->nindex || !bm->index[i];
		if (no_index && (b == first || b % PER_INDEX == 0))
			n++;
		if (!block_at(bm, b))
			(*data)++;
	}
	return n + *data;
}

size_t bmap_missing(const struct blockmap *bm, uint64_t off, size_t len)
{
	size_t data = 0;
	if (len)
		pages_wanted(bm, off / FS_PAGE_SIZE, (off + len - 1) / FS_PAGE_SIZE, &data);
	return data;
}

/* The index table with at least n entries, new ones NULL. */
static int index_grow(struct blockmap *bm, size_t n)
{
	if (n <= bm->nindex)
		return 0;
	uint8_t ***t = realloc(bm->index, n * sizeof(*t));
	if (!t)
		return -ENOSPC;
	memset(t + bm->nindex, 0, (n - bm->nindex) * sizeof(*t));
	bm->index = t;
	bm->nindex = n;
	return 0;
}

static void chain_put(void *head)
{
	while (head) {
		void *next = *(void **)head;
		page_free(head);
		head = next;
	}
}

/* n pages chained through their first word, or -ENOSPC and none kept. */
static int chain_get(size_t n, void **head)
{
	*head = NULL;
	for (size_t k = 0; k < n; k++) {
		void *pg = page_alloc();
		if (!pg) {
			chain_put(*head);
			return -ENOSPC;
		}
		*(void **)pg = *head;
		*head = pg;
	}
	return 0;
}

/* The next page of the chain, zeroed. */
static void *chain_pop(void **head)
{
	void *pg = *head;
	*head = *(void **)pg;
	memset(pg, 0, FS_PAGE_SIZE);
	return pg;
}

int bmap_write(struct blockmap *bm, uint64_t off, const void *buf, size_t len)
{
	if (!len)
		return 0;
	uint64_t first = off / FS_PAGE_SIZE, last = (off + len - 1) / FS_PAGE_SIZE;
	size_t data, need = pages_wanted(bm, first, last, &data);
	void *chain;
	if (index_grow(bm, (size_t)(last / PER_INDEX) + 1) < 0 || chain_get(need, &chain) < 0)
		return -ENOSPC;
	/* May not fail after this point. */
	for (uint64_t b = first; b <= last; b++) {
		uint8_t ***idx = &bm->index[b / PER_INDEX];
		if (!*idx)
			*idx = chain_pop(&chain);
		if (!(*idx)[b % PER_INDEX])
			(*idx)[b % PER_INDEX] = chain_pop(&chain);
	}
	bm->pages += need;
	bm->data_pages += data;
	const uint8_t *src = buf;
	while (len) {
		size_t in = (size_t)(off % FS_PAGE_SIZE);
		size_t n = len < FS_PAGE_SIZE - in ? len : FS_PAGE_SIZE - in;
		memcpy(block_at(bm, off / FS_PAGE_SIZE) + in, src, n);
		src += n, off += n, len -= n;
	}
	return 0;
}

/* Frees the data pages of index page i from slot from on, and the index
 * page itself when from is 0. */
static void index_free_from(struct blockmap *bm, size_t i, size_t from)
{
	uint8_t **idx = bm->index[i];
	for (size_t j = PER_INDEX; j-- > from;) { /* top down: see page_free */
		if (idx[j]) {
			page_free(idx[j]);
			idx[j] = NULL;
			bm->pages--, bm->data_pages--;
		}
	}
	if (from == 0) {
		page_free(idx);
		bm->index[i] = NULL;
		bm->pages--;
	}
}

void bmap_truncate(struct blockmap *bm, uint64_t size)
{
	uint64_t keep = (size + FS_PAGE_SIZE - 1) / FS_PAGE_SIZE; /* blocks kept */
	size_t nkeep = (size_t)((keep + PER_INDEX - 1) / PER_INDEX);
	for (size_t i = bm->nindex; i-- > (size_t)(keep / PER_INDEX);)
		if (bm->index[i])
			index_free_from(bm, i, i == keep / PER_INDEX ? keep % PER_INDEX : 0);
	if (nkeep == 0) {
		free(bm->index);
		bm->index = NULL;
		bm->nindex = 0;
	} else if (nkeep < bm->nindex) {
		uint8_t ***t = realloc(bm->index, nkeep * sizeof(*t));
		bm->index = t ? t : bm->index; /* a failed shrink keeps the old table */
		bm->nindex = nkeep;
	}
	uint8_t *blk = size % FS_PAGE_SIZE ? block_at(bm, size / FS_PAGE_SIZE) : NULL;
	if (blk)
		memset(blk + size % FS_PAGE_SIZE, 0, FS_PAGE_SIZE - size % FS_PAGE_SIZE);
}
