/* ext2 on hostile images: thousands of corrupted copies of small
 * mke2fs -d images (random bit flips in the metadata blocks, and crafted
 * values in superblock, group descriptor, inode and directory-entry
 * fields). Mounting, walking the whole tree, reading, writing and
 * unmounting must never crash, hang (the suite's timeout) or write
 * outside the device (the test device asserts it); refusing to mount or
 * failing operations with -EIO is fine. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../servers/fs/ext2fmt.h"
#include "ext2t.h"

TestSuite(ext2_fuzz, .init = e2t_setup, .fini = e2t_teardown, .timeout = 60);

static uint64_t rng = 88172645463325252ULL;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)rng;
}

static const uint32_t odd_values[] = {
    0,      1,       2,      3,        7,          8,          11,         12,
    255,    256,     1023,   1024,     4095,       4096,       0x7fff,     0x8000,
    0xffff, 0x10000, 100000, 1u << 24, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff};

static uint32_t odd(void)
{
	return rnd() % 4 == 0 ? rnd() : odd_values[rnd() % (sizeof(odd_values) / 4)];
}

static void poke(uint8_t *p, int width, uint32_t v)
{
	if (width == 1)
		*p = (uint8_t)v;
	else if (width == 2)
		memcpy(p, &(uint16_t){(uint16_t)v}, 2);
	else
		memcpy(p, &v, 4);
}

/* Where the base image keeps things, found once. */
struct layout {
	uint32_t bs, isize, itable, inodes_used, rootblk;
};

static struct layout find_layout(const uint8_t *img)
{
	struct layout l;
	const struct ext2_super *s = (const void *)(img + 1024);
	l.bs = 1024u << s->s_log_block_size;
	l.isize = s->s_inode_size;
	const struct ext2_gd *gd = (const void *)(img + (s->s_first_data_block + 1) * l.bs);
	l.itable = gd->bg_inode_table;
	l.inodes_used = s->s_inodes_per_group - gd->bg_free_inodes_count;
	const struct ext2_inode *root = (const void *)(img + l.itable * l.bs + l.isize);
	l.rootblk = root->i_block[0];
	return l;
}

static const struct {
	uint16_t off;
	uint8_t width;
} sb_fields[] = {{0, 4},  {4, 4},  {8, 4},  {12, 4}, {16, 4}, {20, 4}, {24, 4}, {32, 4},  {40, 4},
                 {56, 2}, {58, 2}, {76, 4}, {84, 4}, {88, 2}, {92, 4}, {96, 4}, {100, 4}, {350, 2}},
  gd_fields[] = {{0, 4}, {4, 4}, {8, 4}, {12, 2}, {14, 2}, {16, 2}},
  ino_fields[] = {{0, 2},  {4, 4},  {26, 2}, {28, 4}, {32, 4}, {40, 4},  {44, 4},
                  {48, 4}, {84, 4}, {88, 4}, {92, 4}, {96, 4}, {104, 4}, {108, 4}},
  de_fields[] = {{0, 4}, {4, 2}, {6, 1}, {7, 1}};

#define PICK(a) (a[rnd() % (sizeof(a) / sizeof(a[0]))])

/* One corruption of img, by kind. */
static void corrupt(uint8_t *img, size_t size, const struct layout *l, int kind)
{
	size_t meta = (l->itable + 8) * (size_t)l->bs;
	if (meta > size)
		meta = size;
	switch (kind) {
	case 0: /* bit flips in the first blocks */
		for (int n = 1 + (int)(rnd() % 12); n > 0; n--) {
			size_t at = rnd() % meta;
			img[at] ^= (uint8_t)(1u << (rnd() % 8));
		}
		break;
	case 1: {
		__typeof__(sb_fields[0]) f = PICK(sb_fields);
		poke(img + 1024 + f.off, f.width, odd());
		break;
	}
	case 2: {
		__typeof__(gd_fields[0]) f = PICK(gd_fields);
		poke(img + (l->bs == 1024 ? 2048 : 4096) + f.off, f.width, odd());
		break;
	}
	case 3: {
		__typeof__(ino_fields[0]) f = PICK(ino_fields);
		uint32_t ino = 1 + rnd() % (l->inodes_used + 2);
		poke(img + l->itable * l->bs + (ino - 1) * l->isize + f.off, f.width, odd());
		break;
	}
	default: { /* an entry of the root directory */
		uint8_t *blk = img + (size_t)l->rootblk * l->bs;
		uint32_t off = 0, k = rnd() % 12;
		for (uint32_t i = 0; i < k; i++) {
			uint16_t rl;
			memcpy(&rl, blk + off + 4, 2);
			if (rl < 8 || off + rl >= l->bs)
				break;
			off += rl;
		}
		__typeof__(de_fields[0]) f = PICK(de_fields);
		poke(blk + off + f.off, f.width, odd());
	}
	}
}

static long ops_done;

/* Reads every file and walks every directory, depth and entries capped
 * (a corrupted tree may have cycles). */
static void walk(uint64_t dir, int depth)
{
	static char buf[16384];
	struct vfs_dirent de;
	uint64_t cookie = 0;
	for (int n = 0; n < 64 && RUN(OPS->readdir(E.fs, dir, &cookie, &de)) == 1; n++) {
		struct vattr va;
		uint64_t ino;
		ops_done++;
		if (strcmp(de.name, ".") == 0 || strcmp(de.name, "..") == 0)
			continue;
		if (RUN(OPS->lookup(E.fs, dir, de.name, &ino)) < 0 ||
		    RUN(OPS->getattr(E.fs, ino, &va)) < 0)
			continue;
		if (VFS_ISDIR(va.mode) && depth < 6)
			walk(ino, depth + 1);
		else if (VFS_ISREG(va.mode))
			RUN(OPS->read(E.fs, ino, rnd() % 2 ? 0 : va.size / 2, buf, sizeof(buf)));
		else if (VFS_ISLNK(va.mode))
			RUN(OPS->readlink(E.fs, ino, buf, sizeof(buf), NULL));
	}
}

static void some_writes(void)
{
	static char buf[10000];
	uint64_t root = ext2_root(E.fs), ino, d;
	memset(buf, 'w', sizeof(buf));
	if (RUN(OPS->create(E.fs, root, "new", 0644, NULL, &ino)) == 0)
		RUN(OPS->write(E.fs, ino, rnd() % 100000, buf, sizeof(buf)));
	if (RUN(OPS->mkdir(E.fs, root, "newdir", 0755, NULL, &d)) == 0)
		RUN(OPS->rename(E.fs, root, "new", d, "moved"));
	if (RUN(OPS->lookup(E.fs, root, "a", &ino)) == 0) {
		RUN(OPS->write(E.fs, ino, 0, buf, 3000));
		RUN(OPS->truncate(E.fs, ino, 10));
	}
	RUN(OPS->unlink(E.fs, root, "b"));
	RUN(OPS->rmdir(E.fs, root, "dir"));
	RUN(OPS->unlink(E.fs, root, "sym"));
	RUN(OPS->symlink(E.fs, root, "s2", "target", NULL, &ino));
	ops_done += 10;
}

/* Mounts a corrupted copy of base and does everything to it. */
static bool attempt(const uint8_t *base, size_t size, const struct layout *l, int kind)
{
	bcache_init(&E.bc, 256 << 10);
	tdev_init(&E.t, &E.bc, size);
	memcpy(E.t.img, base, size);
	corrupt(E.t.img, size, l, kind);
	E.t.deferred = rnd() % 4 == 0;
	bool mounted = RUN(ext2_mount(&E.bc, &E.t.dev, 0, NULL, NULL, &E.fs)) == 0;
	if (mounted) {
		walk(ext2_root(E.fs), 0);
		some_writes();
		walk(ext2_root(E.fs), 0);
		RUN(ext2_unmount(E.fs));
		ext2_release(E.fs);
		E.fs = NULL;
	}
	bcache_destroy(&E.bc);
	tdev_free(&E.t);
	return mounted;
}

static void campaign(int bs, int is, int rounds)
{
	char out[2048];
	int st = sh(out, sizeof(out),
	            "set -e; mkdir -p '%s'; cd '%s'; echo a > a; head -c 30000 /dev/urandom > b; "
	            "mkdir dir; echo x > dir/x; ln -s a sym; "
	            "ln -s $(printf 'y%%.0s' $(seq 1 90)) slow; mkdir -p p/q/r; "
	            "for i in $(seq 1 40); do echo $i > p/f$i; done 2>&1",
	            E.src, E.src);
	cr_assert_eq(st, 0, "%s", out);
	mkimg(E.img, bs, is, true, 1024, E.src);
	struct tdev base;
	struct bcache dummy;
	tdev_load(&base, &dummy, E.img);
	struct layout l = find_layout(base.img);
	int mounted = 0;
	for (int i = 0; i < rounds; i++)
		mounted += attempt(base.img, base.size, &l, i % 5);
	tdev_free(&base);
	cr_log_info("%d rounds, %d mounted, %ld operations", rounds, mounted, ops_done);
	cr_assert_gt(mounted, rounds / 10, "most corruptions should still mount");
}

Test(ext2_fuzz, blocks_1k_inodes_128)
{
	campaign(1024, 128, 3000);
}

Test(ext2_fuzz, blocks_4k_inodes_256)
{
	campaign(4096, 256, 3000);
}
