/* The test block device and image helpers (see tdev.h). */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tdev.h"

static int t_read(struct bdev *dev, uint64_t blk, uint32_t n)
{
	struct tdev *t = dev->arg;
	cr_assert(blk + n <= t->size / dev->bsize, "read past the end: %lu", (unsigned long)blk);
	uint32_t want = n;
	if (t->take_max && n > t->take_max)
		n = t->take_max;
	for (uint32_t i = 0; i < n; i++) {
		t->reads++;
		if (t->deferred) {
			cr_assert(t->nq < TDEV_QMAX);
			t->q[t->nq++] = blk + i;
			continue;
		}
		bcache_done(t->bc, dev, blk + i, t->img + (blk + i) * dev->bsize,
		            blk + i == t->fail_blk ? -EIO : 0);
	}
	return n < want ? (int)n : 0;
}

static int t_write(struct bdev *dev, uint64_t blk, uint32_t n, const void *const *data)
{
	struct tdev *t = dev->arg;
	cr_assert(n >= 1 && n <= (dev->max_run ? dev->max_run : 1), "a run of %u", n);
	for (uint32_t i = 0; i < n; i++, blk++) {
		cr_assert(blk < t->size / dev->bsize, "write past the end: block %lu of %lu",
		          (unsigned long)blk, (unsigned long)(t->size / dev->bsize));
		t->writes++;
		t->img_hash_ok = false;
		if (!t->fail_writes)
			memcpy(t->img + blk * dev->bsize, data[i], dev->bsize);
		bcache_write_done(t->bc, dev, blk, t->fail_writes ? -EIO : 0);
	}
	t->write_reqs++;
	return 0;
}

static const struct bdev_ops tdev_ops = {.submit_read = t_read, .submit_write = t_write};

void tdev_init(struct tdev *t, struct bcache *bc, size_t size)
{
	memset(t, 0, sizeof(*t));
	t->bc = bc;
	t->img = calloc(1, size);
	cr_assert_not_null(t->img);
	t->size = size;
	t->fail_blk = UINT64_MAX;
	t->dev = (struct bdev){.ops = &tdev_ops, .arg = t, .size = size};
}

void tdev_load(struct tdev *t, struct bcache *bc, const char *path)
{
	FILE *f = fopen(path, "rb");
	cr_assert_not_null(f, "open %s", path);
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	rewind(f);
	tdev_init(t, bc, (size_t)size);
	cr_assert_eq(fread(t->img, 1, (size_t)size, f), (size_t)size);
	fclose(f);
}

void tdev_save(const struct tdev *t, const char *path)
{
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f, "create %s", path);
	cr_assert_eq(fwrite(t->img, 1, t->size, f), t->size);
	fclose(f);
}

void tdev_free(struct tdev *t)
{
	free(t->img);
	t->img = NULL;
}

void tdev_complete(struct tdev *t)
{
	while (t->nq > 0) {
		uint64_t blk = t->q[--t->nq];
		bcache_done(t->bc, &t->dev, blk, t->img + blk * t->dev.bsize,
		            blk == t->fail_blk ? -EIO : 0);
	}
}

static uint64_t hash_bytes(uint64_t h, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		h = (h ^ w) * 1099511628211ULL;
	}
	return h;
}

/* The image's hash (kept until a write) combined with every buffer that
 * differs from the image: clean buffers, read or evicted, change nothing. */
uint64_t tdev_view(const struct tdev *t)
{
	struct tdev *mt = (struct tdev *)t;
	if (!t->img_hash_ok) {
		mt->img_hash = hash_bytes(1469598103934665603ULL, t->img, t->size);
		mt->img_hash_ok = true;
	}
	uint64_t h = t->img_hash;
	for (struct buf *b = t->bc->lru.next; b != &t->bc->lru; b = b->next) {
		if (b->dev != &t->dev || !(b->flags & B_VALID))
			continue;
		if (memcmp(b->data, t->img + b->blk * b->size, b->size) == 0)
			continue;
		h += hash_bytes(b->blk * 0x9e3779b97f4a7c15ULL + 1, b->data, b->size);
	}
	return h;
}

void tdev_check_miss(struct tdev *t, uint64_t view, int attempts)
{
	cr_assert(!t->bc->in_txn, "a transaction left open after -EMISS");
	cr_assert_lt(attempts, 100000, "an operation that never stops missing");
	cr_assert(t->nq > 0 || attempts < 3, "-EMISS with no read in flight");
	cr_assert_eq(tdev_view(t), view, "an aborted attempt changed something (attempt %d)",
	             attempts);
}

void tdir_make(char *path, size_t len)
{
	snprintf(path, len, "/tmp/mica-ext2-XXXXXX");
	cr_assert_not_null(mkdtemp(path));
}

void tdir_remove(const char *path)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
	cr_assert_eq(system(cmd), 0);
}

int sh(char *out, size_t len, const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	FILE *p = popen(cmd, "r");
	cr_assert_not_null(p);
	size_t n = 0;
	if (out && len) {
		n = fread(out, 1, len - 1, p);
		out[n] = '\0';
	} else {
		char junk[4096];
		while (fread(junk, 1, sizeof(junk), p) > 0)
			;
	}
	int st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

void mkimg(const char *img, int bs, int is, bool dir_index, unsigned kib, const char *src)
{
	char out[4096], dopt[600] = "";
	if (src)
		snprintf(dopt, sizeof(dopt), "-d '%s'", src);
	int st = sh(out, sizeof(out),
	            "/usr/sbin/mke2fs -t ext2 -q -F -E nodiscard -b %d -I %d -O %sdir_index %s "
	            "'%s' %u 2>&1",
	            bs, is, dir_index ? "" : "^", dopt, img, kib);
	cr_assert_eq(st, 0, "mke2fs: %s", out);
}

void fsck_clean(const char *img)
{
	static char out[65536];
	int st = sh(out, sizeof(out), "/usr/sbin/e2fsck -fn '%s' 2>&1", img);
	cr_assert_eq(st, 0, "e2fsck -fn exits %d:\n%s", st, out);
}
