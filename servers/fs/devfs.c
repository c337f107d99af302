/* devfs: the /dev file system. A fixed directory of character devices;
 * the server gives each its behaviour by device number (fsdev.h). Its
 * names cannot be changed: every namespace operation is -EPERM, so
 * /dev/null stays the null device. */
#include <string.h>

#include "fsdev.h"
#include "mica/errno.h"

static const struct {
	const char *name;
	uint64_t rdev;
} devs[] = {{"console", DEV_CONSOLE}, {"null", DEV_NULL}, {"zero", DEV_ZERO}};
#define NDEVS (sizeof(devs) / sizeof(devs[0]))

static int dev_lookup(void *fs, uint64_t dir, const char *name, uint64_t *ino)
{
	(void)fs;
	if (dir != 1)
		return -ENOTDIR;
	if (!strcmp(name, ".") || !strcmp(name, "..")) {
		*ino = 1;
		return 0;
	}
	for (unsigned i = 0; i < NDEVS; i++)
		if (!strcmp(name, devs[i].name)) {
			*ino = i + 2;
			return 0;
		}
	return -ENOENT;
}

static int dev_getattr(void *fs, uint64_t ino, struct vattr *va)
{
	(void)fs;
	if (ino < 1 || ino > NDEVS + 1)
		return -ENOENT;
	*va = (struct vattr){.ino = ino, .nlink = 1};
	if (ino == 1) {
		va->mode = VFS_IFDIR | 0755;
		va->nlink = 2;
		va->size = NDEVS + 2;
	} else {
		va->mode = VFS_IFCHR | 0666;
		va->rdev = devs[ino - 2].rdev;
	}
	return 0;
}

static int dev_readdir(void *fs, uint64_t dir, uint64_t *cookie, struct vfs_dirent *out)
{
	(void)fs;
	if (dir != 1)
		return -ENOTDIR;
	if (*cookie >= NDEVS + 2)
		return 0;
	uint64_t c = (*cookie)++;
	const char *name = c == 0 ? "." : c == 1 ? ".." : devs[c - 2].name;
	out->ino = c < 2 ? 1 : c;
	out->type = c < 2 ? VFS_DT_DIR : VFS_DT_CHR;
	strncpy(out->name, name, sizeof(out->name) - 1);
	out->name[sizeof(out->name) - 1] = 0;
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
