/* A block device for host tests of the buffer cache and ext2: an image
 * in memory whose reads complete at once or when the test says so, and
 * whose writes are checked to stay inside it. Plus the helpers that make
 * ext2 images with mke2fs and check them with e2fsck and debugfs. */
#ifndef TEST_TDEV_H
#define TEST_TDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../servers/fs/bcache.h"
#include "mica/errno.h"

#define TDEV_QMAX 4096

struct tdev {
	struct bdev dev;
	struct bcache *bc;
	uint8_t *img;
	size_t size;
	bool deferred;         /* reads wait for tdev_complete */
	uint64_t fail_blk;     /* a read of this block fails (UINT64_MAX: none) */
	bool fail_writes;      /* writes complete with an error */
	uint32_t take_max;     /* a read takes at most this many blocks (0: all) */
	uint64_t q[TDEV_QMAX]; /* deferred reads, one block each */
	size_t nq;
	uint64_t reads, writes; /* blocks */
	uint64_t write_reqs;    /* submit_write calls */
	uint64_t img_hash;      /* tdev_view's cache */
	bool img_hash_ok;
};

/* A device over size bytes (zeroed) or over the file path. */
void tdev_init(struct tdev *t, struct bcache *bc, size_t size);
void tdev_load(struct tdev *t, struct bcache *bc, const char *path);
void tdev_save(const struct tdev *t, const char *path);
void tdev_free(struct tdev *t);
/* Delivers every deferred read. */
void tdev_complete(struct tdev *t);
/* A checksum of what the device holds as the cache sees it: buffers
 * over the image. An aborted operation must leave it as it was. */
uint64_t tdev_view(const struct tdev *t);

/* Runs expr until it stops returning -EMISS, completing the reads in
 * between; after each miss the view must not have changed. */
#define TDEV_RUN(t, expr)                                                                          \
	({                                                                                         \
		uint64_t view_ = (t)->deferred ? tdev_view(t) : 0;                                 \
		long r_;                                                                           \
		int n_ = 0;                                                                        \
		while ((r_ = (long)(expr)) == -EMISS) {                                            \
			tdev_check_miss(t, view_, ++n_);                                           \
			tdev_complete(t);                                                          \
		}                                                                                  \
		r_;                                                                                \
	})
void tdev_check_miss(struct tdev *t, uint64_t view, int attempts);

/* A temporary directory (removed by tdir_remove). */
void tdir_make(char *path, size_t len);
void tdir_remove(const char *path);
/* Runs a shell command; returns its exit status, its output in out. */
int sh(char *out, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* mke2fs -t ext2 with block size bs, inode size is, dir_index or not,
 * size in KiB, the tree src (NULL: empty). */
void mkimg(const char *img, int bs, int is, bool dir_index, unsigned kib, const char *src);
/* e2fsck -fn: the test fails (with its output) unless it finds nothing. */
void fsck_clean(const char *img);

#endif
