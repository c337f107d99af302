/* devfs: the /dev file system. A fixed directory of character devices,
 * then the disks blk found (vda, vdb, ...); the server gives each its
 * behaviour by device number (fsdev.h). Its names cannot be changed:
 * every namespace operation is -EPERM, so /dev/null stays the null
 * device. */
#include <string.h>

#include "disk.h"
#include "fsdev.h"
#include "mica/errno.h"

static const struct {
	const char *name;
	uint64_t rdev;
} devs[] = {{"console", DEV_CONSOLE}, {"null", DEV_NULL}, {"zero", DEV_ZERO}};
#define NCHR (sizeof(devs) / sizeof(devs[0]))
/* /dev/shm, where fs mounts a RAM file system for shm_open: last. */
#define SHM_INO 0x100
#define NDEVS   (NCHR + (unsigned)disk_count())

/* Entry i's name (char devices, then disks) into out, 8 bytes at least. */
static void dev_name(unsigned i, char *out)
{
	if (i < NCHR) {
		strcpy(out, devs[i].name);
		return;
	}
	memcpy(out, "vd?", 4);
	out[2] = (char)('a' + (i - NCHR));
}

static int dev_lookup(void *fs, uint64_t dir, const char *name, uint64_t *ino)
{
	(void)fs;
	if (dir != 1 && dir != SHM_INO)
		return -ENOTDIR;
	if (!strcmp(name, ".") || !strcmp(name, "..")) {
		*ino = dir == SHM_INO && name[1] == 0 ? SHM_INO : 1;
		return 0;
	}
	if (dir == SHM_INO)
		return -ENOENT; /* (covered by its RAM file system) */
	if (!strcmp(name, "shm")) {
		*ino = SHM_INO;
		return 0;
	}
	char dev[VFS_NAME_MAX + 1];
	for (unsigned i = 0; i < NDEVS; i++)
		if (dev_name(i, dev), !strcmp(name, dev)) {
			*ino = i + 2;
			return 0;
		}
	return -ENOENT;
}

static int dev_getattr(void *fs, uint64_t ino, struct vattr *va)
{
	(void)fs;
	if ((ino < 1 || ino > NDEVS + 1) && ino != SHM_INO)
		return -ENOENT;
	*va = (struct vattr){.ino = ino, .nlink = 1};
	if (ino == SHM_INO) {
		va->mode = VFS_IFDIR | 01777;
		va->nlink = 2;
	} else if (ino == 1) {
		va->mode = VFS_IFDIR | 0755;
		va->nlink = 2;
		va->size = NDEVS + 3;
	} else if (ino - 2 < NCHR) {
		va->mode = VFS_IFCHR | 0666;
		va->rdev = devs[ino - 2].rdev;
	} else {
		va->mode = VFS_IFBLK | 0660;
		va->rdev = DEV_DISK(ino - 2 - NCHR);
	}
	return 0;
}

static int dev_readdir(void *fs, uint64_t dir, uint64_t *cookie, struct vfs_dirent *out)
{
	(void)fs;
	if (dir != 1)
		return -ENOTDIR;
	if (*cookie >= NDEVS + 3)
		return 0;
	uint64_t c = (*cookie)++;
	if (c == NDEVS + 2) {
		out->ino = SHM_INO;
		out->type = VFS_DT_DIR;
		strcpy(out->name, "shm");
		return 1;
	}
	out->ino = c < 2 ? 1 : c;
	out->type = c < 2 ? VFS_DT_DIR : c - 2 < NCHR ? VFS_DT_CHR : VFS_DT_BLK;
	if (c < 2)
		strcpy(out->name, c ? ".." : ".");
	else
		dev_name((unsigned)c - 2, out->name);
	return 1;
}

static int refuse(void)
{
	return -EPERM;
}

const struct fs_ops devfs_ops = {
    .lookup = dev_lookup,
    .getattr = dev_getattr,
    .readdir = dev_readdir,
    .create = (void *)refuse,
    .mkdir = (void *)refuse,
    .mknod = (void *)refuse,
    .symlink = (void *)refuse,
    .link = (void *)refuse,
    .unlink = (void *)refuse,
    .rmdir = (void *)refuse,
    .rename = (void *)refuse,
};
