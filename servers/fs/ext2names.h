/* ext2's namespace operations (ext2names.c) and the transaction helpers
 * they share with ext2ops.c. */
#ifndef MICA_FS_EXT2NAMES_H
#define MICA_FS_EXT2NAMES_H

#include "ext2int.h"

/* Starts an operation's transaction; -EROFS for a change on a read-only
 * mount. e2_end commits on success, aborts on any error, returns r. */
int e2_begin(struct ext2 *fs, bool write);
long e2_end(struct ext2 *fs, long r);
int e2_check_name(const char *name);
int e2_get_dir(struct ext2 *fs, uint64_t ino, struct e2_ino *dp);

int ext2_create(void *fs, uint64_t dir, const char *name, uint32_t mode, const struct vfs_cred *cr,
                uint64_t *ino);
int ext2_mkdir(void *fs, uint64_t dir, const char *name, uint32_t mode, const struct vfs_cred *cr,
               uint64_t *ino);
int ext2_mknod(void *fs, uint64_t dir, const char *name, uint32_t mode, uint64_t rdev,
               const struct vfs_cred *cr, uint64_t *ino);
int ext2_symlink(void *fs, uint64_t dir, const char *name, const char *target,
                 const struct vfs_cred *cr, uint64_t *ino);
int ext2_link(void *fs, uint64_t dir, const char *name, uint64_t ino);
int ext2_unlink(void *fs, uint64_t dir, const char *name);
int ext2_rmdir(void *fs, uint64_t dir, const char *name);
int ext2_rename(void *fs, uint64_t odir, const char *oname, uint64_t ndir, const char *nname);

#endif
