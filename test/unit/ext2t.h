/* Shared by the ext2 tests: an image made by mke2fs, mounted through a
 * test device and the buffer cache; every operation re-run until it
 * stops missing (TDEV_RUN). */
#ifndef TEST_EXT2T_H
#define TEST_EXT2T_H

#include "../../servers/fs/ext2.h"
#include "tdev.h"

struct e2t {
	char dir[64], img[128], src[128];
	struct bcache bc;
	struct tdev t;
	struct ext2 *fs;
	uint64_t clk;
};

extern struct e2t E;
#define OPS       (&ext2_ops)
#define RUN(expr) TDEV_RUN(&E.t, expr)

void e2t_setup(void);
void e2t_teardown(void);
/* Loads E.img and mounts it (0 or the error). */
int e2t_mount(bool deferred, size_t cap);
/* Unmounts, writes everything back, saves the image. */
void e2t_unmount(void);
/* The inode at path (from the root), or the error. */
long e2t_walk(const char *path, uint64_t *ino);
uint64_t e2t_ino(const char *path);
struct vattr e2t_attr(uint64_t ino);

#endif
