/* Helpers of the ext2 tests (see ext2t.h). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "ext2t.h"

struct e2t E;

static uint64_t test_clock(void *arg)
{
	return *(uint64_t *)arg;
}

void e2t_setup(void)
{
	memset(&E, 0, sizeof(E));
	tdir_make(E.dir, sizeof(E.dir));
	snprintf(E.img, sizeof(E.img), "%s/img", E.dir);
	snprintf(E.src, sizeof(E.src), "%s/src", E.dir);
	E.clk = 1700000000;
}

void e2t_teardown(void)
{
	if (E.fs)
		ext2_release(E.fs);
	if (E.bc.lru.next)
		bcache_destroy(&E.bc);
	tdev_free(&E.t);
	tdir_remove(E.dir);
}

int e2t_mount(bool deferred, size_t cap)
{
	bcache_init(&E.bc, cap);
	tdev_load(&E.t, &E.bc, E.img);
	E.t.deferred = deferred;
	return (int)RUN(ext2_mount(&E.bc, &E.t.dev, 0, test_clock, &E.clk, &E.fs));
}

void e2t_unmount(void)
{
	cr_assert_eq(RUN(ext2_unmount(E.fs)), 0);
	cr_assert_eq(bcache_writes_pending(&E.bc, &E.t.dev), 0);
	cr_assert_eq(bcache_sync(&E.bc, &E.t.dev), 0);
	cr_assert_eq(E.bc.st.dirty, 0);
	ext2_release(E.fs);
	E.fs = NULL;
	tdev_save(&E.t, E.img);
}

long e2t_walk(const char *path, uint64_t *ino)
{
	char name[256];
	uint64_t cur = ext2_root(E.fs);
	while (*path) {
		while (*path == '/')
			path++;
		size_t n = strcspn(path, "/");
		if (n == 0)
			break;
		memcpy(name, path, n);
		name[n] = '\0';
		path += n;
		long r = RUN(OPS->lookup(E.fs, cur, name, &cur));
		if (r < 0)
			return r;
	}
	*ino = cur;
	return 0;
}

uint64_t e2t_ino(const char *path)
{
	uint64_t ino;
	long r = e2t_walk(path, &ino);
	cr_assert_eq(r, 0, "walk %s: %ld", path, r);
	return ino;
}

struct vattr e2t_attr(uint64_t ino)
{
	struct vattr va;
	cr_assert_eq(RUN(OPS->getattr(E.fs, ino, &va)), 0);
	return va;
}
