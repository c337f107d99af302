/* ramfs: a read-write file system in memory, one instance per
 * ramfs_new. Directories, regular files, symlinks, character-device
 * nodes and hard links, all reached through ramfs_ops (see vfs.h). */
#ifndef MICA_FS_RAMFS_H
#define MICA_FS_RAMFS_H

#include "vfs.h"

#define RAMFS_ROOT_INO  1
#define RAMFS_FILE_MAX  (1ULL << 32) /* largest file: writes beyond get -ENOSPC */
#define RAMFS_ROOT_MODE 0755

/* Seconds for timestamps; arg is what was given to ramfs_new. */
typedef uint64_t (*ramfs_clock_fn)(void *arg);

struct ramfs;

/* The operations table; the fs argument is a struct ramfs *. Inode
 * numbers start at 1 (the root) and are never reused. Errors beyond the
 * obvious ones: -ENOSPC when out of memory or over the limit; -EPERM for
 * a hard link to a directory; -EINVAL for file I/O on a non-regular
 * file, rmdir ".", rename of "." or "..", or a directory into its own
 * subtree. A directory's size is its number of entries, "." and ".."
 * included. */
extern const struct fs_ops ramfs_ops;

/* A new file system holding an empty root directory (RAMFS_ROOT_MODE,
 * owner 0:0). clock may be NULL (all times 0). NULL if out of memory. */
struct ramfs *ramfs_new(ramfs_clock_fn clock, void *clock_arg);

/* Frees every node, open or not. */
void ramfs_destroy(struct ramfs *fs);

/* Caps the bytes of file data (whole pages) and symlink targets; 0 (the
 * default) is no cap: files then grow until pages run out. */
void ramfs_set_limit(struct ramfs *fs, size_t bytes);

/* Open references: a node whose last link goes away lives on, readable
 * and writable by inode number, until its last reference is dropped.
 * -ENOENT for an unknown node, -EINVAL for an unref without a ref. */
int ramfs_ref(struct ramfs *fs, uint64_t ino);
int ramfs_unref(struct ramfs *fs, uint64_t ino);

/* Live nodes (the root included); bytes of data held (file data in
 * whole pages, symlink targets); pages held for files, index pages too. */
size_t ramfs_inode_count(const struct ramfs *fs);
size_t ramfs_bytes_used(const struct ramfs *fs);
size_t ramfs_pages_used(const struct ramfs *fs);

#endif
