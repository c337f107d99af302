/* ext2 writing: what Mica's ext2 writes, the host's debugfs reads back
 * identically and e2fsck -fn finds clean: files at direct to triple
 * indirect offsets, truncate, directories, rename across directories,
 * links, symlinks, attributes, FIFOs and device nodes; with reads that
 * complete later (each aborted attempt changes nothing); a full disk and
 * running out of inodes. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ext2t.h"

TestSuite(ext2_write, .init = e2t_setup, .fini = e2t_teardown, .timeout = 60);

static uint64_t mk(uint64_t dir, const char *name)
{
	uint64_t ino;
	cr_assert_eq(RUN(OPS->create(E.fs, dir, name, 0644, NULL, &ino)), 0, "create %s", name);
	return ino;
}

static uint64_t mkd(uint64_t dir, const char *name)
{
	uint64_t ino;
	cr_assert_eq(RUN(OPS->mkdir(E.fs, dir, name, 0755, NULL, &ino)), 0, "mkdir %s", name);
	return ino;
}

static void put(uint64_t ino, uint64_t off, const void *buf, size_t len)
{
	cr_assert_eq(RUN(OPS->write(E.fs, ino, off, buf, len)), (long)len, "write at %llu",
	             (unsigned long long)off);
}

static void fill(char *buf, size_t len, unsigned seed)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (char)((i * 31 + seed * 7) ^ (i >> 9));
}

/* debugfs's view of path: its contents into out (len bytes at most). */
static size_t host_cat(const char *path, char *out, size_t len)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "/usr/sbin/debugfs -R 'cat %s' '%s' 2>/dev/null", path, E.img);
	FILE *p = popen(cmd, "r");
	size_t n = fread(out, 1, len, p);
	pclose(p);
	return n;
}

static void host_stat_has(const char *path, const char *want)
{
	static char out[8192];
	sh(out, sizeof(out), "/usr/sbin/debugfs -R 'stat %s' '%s' 2>/dev/null", path, E.img);
	cr_assert_not_null(strstr(out, want), "debugfs stat %s: no \"%s\" in\n%s", path, want, out);
}

/* The byte at off of a big file, through debugfs's block map. */
static void host_byte_at(const char *path, uint64_t off, int bs, char want)
{
	char out[256];
	unsigned long long pb;
	sh(out, sizeof(out), "/usr/sbin/debugfs -R 'bmap %s %llu' '%s' 2>/dev/null", path,
	   (unsigned long long)(off / bs), E.img);
	cr_assert_eq(sscanf(out, "%llu", &pb), 1, "bmap: %s", out);
	cr_assert_eq((char)E.t.img[pb * bs + off % bs], want, "byte at %llu",
	             (unsigned long long)off);
}

#define BIG (3u << 20)
static char data[BIG], back[BIG];

static void workload(int bs, int is, bool deferred, size_t cap)
{
	mkimg(E.img, bs, is, true, 32 * 1024, NULL);
	cr_assert_eq(e2t_mount(deferred, cap), 0);
	uint64_t root = ext2_root(E.fs), f, g, d1, d2, sub, far, x;
	fill(data, BIG, 1);
	/* A file through direct, indirect and double indirect blocks. */
	f = mk(root, "file");
	for (size_t off = 0; off < BIG; off += 65536)
		put(f, off, data + off, 65536);
	put(f, 5, "patch", 5); /* a partial block over existing data */
	memcpy(data + 5, "patch", 5);
	/* Triple indirect (1 KiB blocks) and past 1 GiB: sparse. */
	g = mk(root, "huge");
	uint64_t far_off = (1ULL << 30) + 12345;
	put(g, far_off, "far away", 8);
	put(g, 70ULL << 20, "seventy", 7);
	/* Truncate: a file shrunk inside a block, then grown. */
	x = mk(root, "trunc");
	put(x, 0, data, 300000);
	cr_assert_eq(RUN(OPS->truncate(E.fs, x, 1000)), 0);
	cr_assert_eq(RUN(OPS->truncate(E.fs, x, 5000)), 0);
	/* Directories, rename across them, links. */
	d1 = mkd(root, "d1");
	d2 = mkd(root, "d2");
	sub = mkd(d1, "sub");
	(void)sub;
	put(mk(sub, "inner"), 0, "inner file\n", 11);
	cr_assert_eq(RUN(OPS->rename(E.fs, d1, "sub", d2, "moved")), 0);
	cr_assert_eq(e2t_ino("d2/moved/.."), d2, "\"..\" follows a moved directory");
	cr_assert_eq(RUN(OPS->rename(E.fs, d2, "moved", d2, "moved")), 0);
	cr_assert_eq(RUN(OPS->rename(E.fs, root, "d2", d2, "x")), -EINVAL, "into itself");
	cr_assert_eq(RUN(OPS->link(E.fs, d1, "hard", f)), 0);
	cr_assert_eq(e2t_attr(f).nlink, 2);
	mk(d1, "victim");
	cr_assert_eq(RUN(OPS->rename(E.fs, root, "trunc", d1, "victim")), 0, "over a file");
	cr_assert_eq(RUN(OPS->unlink(E.fs, root, "file")), 0);
	mkd(root, "gone");
	cr_assert_eq(RUN(OPS->rmdir(E.fs, root, "gone")), 0);
	cr_assert_eq(RUN(OPS->rmdir(E.fs, root, "d2")), -ENOTEMPTY);
	/* Many entries in one directory, some removed again. */
	char name[64];
	for (int i = 0; i < 200; i++) {
		snprintf(name, sizeof(name), "entry-with-a-longish-name-%03d", i);
		mk(d1, name);
	}
	for (int i = 0; i < 200; i += 3) {
		snprintf(name, sizeof(name), "entry-with-a-longish-name-%03d", i);
		cr_assert_eq(RUN(OPS->unlink(E.fs, d1, name)), 0);
	}
	/* Symlinks, attributes, special files. */
	char slow[200];
	memset(slow, 's', sizeof(slow) - 1);
	slow[sizeof(slow) - 1] = '\0';
	cr_assert_eq(RUN(OPS->symlink(E.fs, root, "fast", "d1/hard", NULL, &far)), 0);
	cr_assert_eq(RUN(OPS->symlink(E.fs, root, "slow", slow, NULL, &far)), 0);
	char t[256];
	cr_assert_eq(RUN(OPS->readlink(E.fs, far, t, sizeof(t), NULL)), 199);
	struct vattr va = {.mode = 0600, .uid = 1234, .gid = 70000, .atime = 111, .mtime = 222};
	x = e2t_ino("d1/hard");
	cr_assert_eq(RUN(OPS->setattr(E.fs, x, &va,
	                              VFS_SET_MODE | VFS_SET_UID | VFS_SET_GID | VFS_SET_ATIME |
	                                  VFS_SET_MTIME)),
	             0);
	cr_assert_eq(RUN(OPS->mknod(E.fs, root, "fifo", VFS_IFIFO | 0644, 0, NULL, &x)), 0);
	cr_assert_eq(RUN(OPS->mknod(E.fs, root, "tty", VFS_IFCHR | 0620, (4 << 8) | 1, NULL, &x)),
	             0);
	cr_assert_eq(e2t_attr(x).rdev, (4 << 8) | 1);
	/* Read back through Mica before the host looks. */
	f = e2t_ino("d1/hard");
	cr_assert_eq(RUN(OPS->read(E.fs, f, 0, back, BIG)), BIG);
	cr_assert(memcmp(back, data, BIG) == 0);
	e2t_unmount();
	fsck_clean(E.img);

	cr_assert_eq(host_cat("/d1/hard", back, BIG), BIG);
	cr_assert(memcmp(back, data, BIG) == 0, "debugfs reads other bytes");
	cr_assert_eq(host_cat("/d1/victim", back, BIG), 5000);
	cr_assert(memcmp(back, data, 1000) == 0);
	for (int i = 1000; i < 5000; i++)
		cr_assert_eq(back[i], 0, "past a truncation: zeros");
	cr_assert_eq(host_cat("/d2/moved/inner", back, BIG), 11);
	host_stat_has("/huge", "Size: 1073754177");
	host_byte_at("/huge", far_off, bs, 'f');
	host_byte_at("/huge", far_off + 7, bs, 'y');
	host_byte_at("/huge", 70ULL << 20, bs, 's');
	host_stat_has("/d1/hard", "Mode:  0600");
	host_stat_has("/d1/hard", "User:  1234");
	host_stat_has("/d1/hard", "Group: 70000");
	host_stat_has("/d1/hard", "Links: 1");
	host_stat_has("/fifo", "Type: FIFO");
	host_stat_has("/tty", "Type: character special");
	host_stat_has("/tty", "Device major/minor number: 04:01");
	host_stat_has("/fast", "Fast link dest: \"d1/hard\"");
	cr_assert_eq(host_cat("/slow", back, BIG), 199, "a slow symlink's block");
	cr_assert(memcmp(back, slow, 199) == 0);
	host_stat_has("/d2", "Links: 3");
	host_stat_has("/d1", "Links: 2");
}

Test(ext2_write, blocks_1k_inodes_128)
{
	workload(1024, 128, false, 4 << 20);
}

Test(ext2_write, blocks_4k_inodes_256)
{
	workload(4096, 256, false, 4 << 20);
}

Test(ext2_write, blocks_1k_deferred_small_cache)
{
	workload(1024, 256, true, 512 << 10);
}

Test(ext2_write, blocks_4k_deferred)
{
	workload(4096, 128, true, 1 << 20);
}

Test(ext2_write, full_disk_is_enospc_and_consistent)
{
	static char chunk[8192];
	struct ext2_statfs st;
	mkimg(E.img, 1024, 128, false, 1024, NULL);
	cr_assert_eq(e2t_mount(false, 1 << 20), 0);
	uint64_t root = ext2_root(E.fs), f = mk(root, "fill"), off = 0;
	fill(chunk, sizeof(chunk), 3);
	long r;
	while ((r = RUN(OPS->write(E.fs, f, off, chunk, sizeof(chunk)))) > 0)
		off += (uint64_t)r;
	cr_assert_eq(r, -ENOSPC);
	while ((r = RUN(OPS->write(E.fs, f, off, chunk, 1024))) > 0)
		off += (uint64_t)r;
	cr_assert_eq(r, -ENOSPC);
	cr_assert_eq(RUN(ext2_statfs(E.fs, &st)), 0);
	cr_assert_eq(st.bfree, 0);
	cr_assert_eq(e2t_attr(f).size, off, "a failed write changes nothing");
	uint64_t d;
	cr_assert_eq(RUN(OPS->mkdir(E.fs, root, "nospace", 0755, NULL, &d)), -ENOSPC);
	e2t_unmount();
	fsck_clean(E.img);
	cr_assert_eq(e2t_mount(false, 1 << 20), 0);
	cr_assert_eq(RUN(OPS->unlink(E.fs, root, "fill")), 0);
	cr_assert_eq(RUN(ext2_statfs(E.fs, &st)), 0);
	cr_assert_gt(st.bfree, 800);
	e2t_unmount();
	fsck_clean(E.img);
}

Test(ext2_write, out_of_inodes_is_enospc)
{
	char out[512], name[32];
	mkimg(E.img, 1024, 128, false, 2048, NULL);
	/* Few inodes: mke2fs -N. */
	cr_assert_eq(
	    sh(out, sizeof(out), "/usr/sbin/mke2fs -t ext2 -q -F -N 32 '%s' 2048 2>&1", E.img), 0,
	    "%s", out);
	cr_assert_eq(e2t_mount(false, 1 << 20), 0);
	uint64_t root = ext2_root(E.fs), ino;
	int n = 0;
	long r;
	do {
		snprintf(name, sizeof(name), "f%d", n++);
		r = RUN(OPS->create(E.fs, root, name, 0644, NULL, &ino));
	} while (r == 0);
	cr_assert_eq(r, -ENOSPC);
	cr_assert_gt(n, 10);
	e2t_unmount();
	fsck_clean(E.img);
}

Test(ext2_write, unlinked_open_file_lives_until_unref)
{
	char buf[16];
	mkimg(E.img, 4096, 256, true, 4096, NULL);
	cr_assert_eq(e2t_mount(false, 1 << 20), 0);
	uint64_t root = ext2_root(E.fs), f = mk(root, "open");
	put(f, 0, "still here", 10);
	cr_assert_eq(OPS->ref(E.fs, f), 0);
	cr_assert_eq(RUN(OPS->unlink(E.fs, root, "open")), 0);
	cr_assert_eq(RUN(OPS->read(E.fs, f, 0, buf, sizeof(buf))), 10);
	cr_assert_eq(RUN(OPS->unref(E.fs, f)), 0);
	cr_assert_eq(OPS->unref(E.fs, f), -EINVAL);
	e2t_unmount();
	fsck_clean(E.img);
}

Test(ext2_write, read_only_feature_mounts_read_only)
{
	char out[512];
	mkimg(E.img, 1024, 128, false, 4096, NULL);
	cr_assert_eq(
	    sh(out, sizeof(out), "/usr/sbin/debugfs -w -R 'feature huge_file' '%s' 2>&1", E.img),
	    0);
	cr_assert_eq(e2t_mount(false, 1 << 20), 0);
	cr_assert(ext2_is_rdonly(E.fs));
	uint64_t ino;
	cr_assert_eq(RUN(OPS->create(E.fs, ext2_root(E.fs), "x", 0644, NULL, &ino)), -EROFS);
	e2t_unmount();
	fsck_clean(E.img);
}

Test(ext2_write, unknown_incompat_feature_refused)
{
	char out[512];
	mkimg(E.img, 1024, 128, false, 4096, NULL);
	cr_assert_eq(
	    sh(out, sizeof(out), "/usr/sbin/debugfs -w -R 'feature meta_bg' '%s' 2>&1", E.img), 0);
	cr_assert_eq(e2t_mount(false, 1 << 20), -EINVAL);
}
