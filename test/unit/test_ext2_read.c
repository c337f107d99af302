/* ext2 reading images that mke2fs -d made from a host tree: every file,
 * directory, symlink and hard link reads back as the host has it, with
 * 1 and 4 KiB blocks, 128- and 256-byte inodes, dir_index on and off,
 * through reads that complete at once or later. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ext2t.h"

TestSuite(ext2_read, .init = e2t_setup, .fini = e2t_teardown, .timeout = 60);

#define BIG_SPARSE (1536ULL << 20) /* 1.5 GiB, a few blocks at its end */

/* The host tree: small files, a 1 MiB file, a sparse 1.5 GiB file, 300
 * files in one directory, 40 nested directories, a 255-byte name, fast
 * and slow symlinks, hard links, an empty file and a FIFO. */
static void make_tree(void)
{
	char out[4096];
	int st =
	    sh(out, sizeof(out),
	       "set -e; cd '%s'; mkdir -p src; cd src; "
	       "echo hello > small; : > empty; mkfifo fifo; "
	       "head -c 1048576 /dev/urandom > medium; head -c 70001 /dev/urandom > odd; "
	       "truncate -s %llu sparse; head -c 10000 /dev/urandom | "
	       "dd of=sparse bs=1 seek=%llu conv=notrunc status=none; "
	       "head -c 5000 /dev/urandom | dd of=sparse bs=1 seek=70000000 conv=notrunc "
	       "status=none; "
	       "mkdir many; for i in $(seq 1 300); do echo $i > many/file-number-$i; done; "
	       "p=deep; for i in $(seq 1 40); do p=$p/d$i; done; mkdir -p $p; echo bottom > $p/f; "
	       "touch $(printf 'n%%.0s' $(seq 1 255)); "
	       "ln -s small fastlink; ln -s $(printf 'x%%.0s' $(seq 1 100))/target slowlink; "
	       "ln medium medium.link; chmod 640 small 2>&1",
	       E.dir, BIG_SPARSE, BIG_SPARSE - 10000);
	cr_assert_eq(st, 0, "making the tree: %s", out);
}

static void compare_file(const char *host, uint64_t ino, uint64_t size)
{
	int fd = open(host, O_RDONLY);
	cr_assert_geq(fd, 0);
	size_t chunk = 65536;
	char *a = malloc(chunk), *b = malloc(chunk);
	/* Whole files up to 2 MiB; of bigger ones the start, the end and
	 * ranges across the middle. */
	uint64_t offs[] = {0, size / 3, size / 2 + 777, size > chunk ? size - chunk : 0};
	int nranges = size <= (2u << 20) ? -1 : 4;
	for (uint64_t off = 0, k = 0; nranges < 0 ? off < size : k < (uint64_t)nranges;
	     k++, off += chunk) {
		uint64_t at = nranges < 0 ? off : offs[k];
		ssize_t want = pread(fd, a, chunk, (off_t)at);
		long got = RUN(OPS->read(E.fs, ino, at, b, chunk));
		cr_assert_eq(got, want, "%s at %llu: read %ld, host %zd", host,
		             (unsigned long long)at, got, want);
		cr_assert(memcmp(a, b, (size_t)want) == 0, "%s differs at %llu", host,
		          (unsigned long long)at);
	}
	free(a);
	free(b);
	close(fd);
}

static int count_entries(uint64_t dir)
{
	uint64_t cookie = 0;
	struct vfs_dirent de;
	int n = 0;
	long r;
	while ((r = RUN(OPS->readdir(E.fs, dir, &cookie, &de))) == 1)
		n++;
	cr_assert_eq(r, 0);
	return n;
}

/* Compares host directory path with directory ino, recursively. */
static void compare_tree(const char *path, uint64_t ino, int *files)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int n = 2;
	cr_assert_not_null(d);
	while ((e = readdir(d))) {
		char sub[4096], target[4096], got[4096];
		struct stat st;
		uint64_t child;
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		n++;
		snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
		cr_assert_eq(lstat(sub, &st), 0);
		cr_assert_eq(RUN(OPS->lookup(E.fs, ino, e->d_name, &child)), 0, "lookup %s", sub);
		struct vattr va = e2t_attr(child);
		cr_assert_eq(va.mode, st.st_mode, "%s: mode %o, host %o", sub, va.mode, st.st_mode);
		cr_assert_eq(va.nlink, st.st_nlink, "%s: nlink", sub);
		if (S_ISDIR(st.st_mode)) {
			compare_tree(sub, child, files);
			continue;
		}
		cr_assert_eq(va.size, (uint64_t)st.st_size, "%s: size", sub);
		if (S_ISREG(st.st_mode))
			compare_file(sub, child, va.size);
		if (S_ISLNK(st.st_mode)) {
			ssize_t len = readlink(sub, target, sizeof(target));
			long r = RUN(OPS->readlink(E.fs, child, got, sizeof(got), NULL));
			cr_assert(r == len && memcmp(got, target, (size_t)len) == 0, "%s", sub);
		}
		++*files;
	}
	closedir(d);
	if (ino == ext2_root(E.fs))
		n++; /* lost+found */
	cr_assert_eq(count_entries(ino), n, "%s: entries", path);
}

static void read_back(int bs, int is, bool dir_index, bool deferred, size_t cap)
{
	int files = 0;
	make_tree();
	mkimg(E.img, bs, is, dir_index, 24 * 1024, E.src);
	cr_assert_eq(e2t_mount(deferred, cap), 0);
	compare_tree(E.src, ext2_root(E.fs), &files);
	cr_assert_gt(files, 310);
	uint64_t ino = e2t_ino("sparse"), far;
	char z[4096];
	cr_assert_eq(RUN(OPS->read(E.fs, ino, BIG_SPARSE - 20000, z, sizeof(z))), sizeof(z));
	for (size_t i = 0; i < sizeof(z); i++)
		cr_assert_eq(z[i], 0, "a hole reads as zeros");
	cr_assert_eq(RUN(OPS->read(E.fs, ino, BIG_SPARSE, z, 1)), 0, "end of file");
	cr_assert_eq(e2t_walk("many/nope", &far), -ENOENT);
	cr_assert_eq(e2t_walk("small/x", &far), -ENOTDIR);
	e2t_unmount();
	fsck_clean(E.img);
}

Test(ext2_read, blocks_1k_inodes_128_linear)
{
	read_back(1024, 128, false, false, 1 << 20);
}

Test(ext2_read, blocks_4k_inodes_256_dir_index)
{
	read_back(4096, 256, true, false, 1 << 20);
}

Test(ext2_read, blocks_1k_inodes_256_dir_index_deferred)
{
	read_back(1024, 256, true, true, 256 << 10);
}

Test(ext2_read, blocks_4k_inodes_128_deferred_small_cache)
{
	read_back(4096, 128, false, true, 64 << 10);
}

Test(ext2_read, statfs_matches_dumpe2fs)
{
	char out[4096];
	struct ext2_statfs st;
	mkimg(E.img, 1024, 128, false, 4096, NULL);
	cr_assert_eq(sh(out, sizeof(out),
	                "/usr/sbin/dumpe2fs -h '%s' 2>/dev/null | "
	                "awk -F: '/^Free blocks/{b=$2} /^Free inodes/{i=$2} END{print b+0, i+0}'",
	                E.img),
	             0);
	unsigned long fb, fi;
	cr_assert_eq(sscanf(out, "%lu %lu", &fb, &fi), 2);
	cr_assert_eq(e2t_mount(false, 1 << 20), 0);
	cr_assert_eq(RUN(ext2_statfs(E.fs, &st)), 0);
	cr_assert_eq(st.bsize, 1024);
	cr_assert_eq(st.blocks, 4096);
	cr_assert_eq(st.bfree, fb);
	cr_assert_eq(st.ffree, fi);
	cr_assert_lt(st.bavail, st.bfree, "5%% reserved");
	e2t_unmount();
	fsck_clean(E.img);
}
