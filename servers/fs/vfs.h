/* The file server's virtual file system: the operations table every file
 * system type implements, a table of up to 8 mounts, path resolution
 * (symlinks, "..", mount crossing) and the path of a directory (getcwd). */
#ifndef MICA_FS_VFS_H
#define MICA_FS_VFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mica/errno.h"

/* Not (yet) in mica/errno.h; Linux's values. */
#ifndef EXDEV
#define EXDEV 18
#endif
#ifndef ENAMETOOLONG
#define ENAMETOOLONG 36
#endif

#define VFS_MAX_MOUNTS  8
#define VFS_NAME_MAX    255  /* bytes in one path component */
#define VFS_PATH_MAX    4096 /* bytes in a path, with its terminating NUL */
#define VFS_SYMLOOP_MAX 40   /* symlinks followed in one resolution */
#define VFS_TYPE_MAX    16   /* mount: file-system type name, with NUL */
#define VFS_SOURCE_MAX  64   /* mount: source name, with NUL */
#define VFS_MPATH_MAX   256  /* mount: mount-point path, with NUL */

/* File type and permission bits of vattr.mode: Linux's octal values (the
 * same as S_IF* in <sys/stat.h>, named apart so both headers can meet). */
#define VFS_IFMT  0170000
#define VFS_IFDIR 0040000
#define VFS_IFCHR 0020000
#define VFS_IFREG 0100000
#define VFS_IFLNK 0120000
#define VFS_IFIFO 0010000
#define VFS_IFBLK 0060000
#define VFS_PERM  07777 /* suid, sgid, sticky, rwxrwxrwx */

#define VFS_ISDIR(m)  (((m)&VFS_IFMT) == VFS_IFDIR)
#define VFS_ISREG(m)  (((m)&VFS_IFMT) == VFS_IFREG)
#define VFS_ISLNK(m)  (((m)&VFS_IFMT) == VFS_IFLNK)
#define VFS_ISCHR(m)  (((m)&VFS_IFMT) == VFS_IFCHR)
#define VFS_ISFIFO(m) (((m)&VFS_IFMT) == VFS_IFIFO)
#define VFS_ISBLK(m)  (((m)&VFS_IFMT) == VFS_IFBLK)

/* vfs_dirent.type: Linux's DT_* values. */
#define VFS_DT_UNKNOWN 0
#define VFS_DT_FIFO    1
#define VFS_DT_CHR     2
#define VFS_DT_DIR     4
#define VFS_DT_BLK     6
#define VFS_DT_REG     8
#define VFS_DT_LNK     10

struct vattr {
	uint64_t ino;
	uint32_t mode; /* VFS_IF* type | permission bits */
	uint32_t nlink;
	uint64_t size; /* bytes; a symlink's target length */
	uint32_t uid, gid;
	uint64_t rdev;                /* character devices */
	uint64_t atime, mtime, ctime; /* seconds */
};

/* vattr fields setattr changes (mode: permission bits only). */
#define VFS_SET_MODE  0x01
#define VFS_SET_UID   0x02
#define VFS_SET_GID   0x04
#define VFS_SET_ATIME 0x08
#define VFS_SET_MTIME 0x10

struct vfs_dirent {
	uint64_t ino;
	uint8_t type; /* VFS_DT_* */
	char name[VFS_NAME_MAX + 1];
};

/* Who asks: the owner of a new node, and the process /proc/self names
 * (pid) while a path resolves. NULL means root (0, 0), pid 0. */
struct vfs_cred {
	uint32_t uid, gid; /* effective */
	int pid;
	const int32_t *groups; /* supplementary, ngroups of them (pm's row) */
	int ngroups;
};

/* Whether cr is in group gid: its own or a supplementary one. */
static inline bool vfs_in_group(const struct vfs_cred *cr, uint32_t gid)
{
	if (cr->gid == gid)
		return true;
	for (int i = 0; i < cr->ngroups; i++)
		if ((uint32_t)cr->groups[i] == gid)
			return true;
	return false;
}

/* What every file system implements. fs is the instance, dir and ino are
 * inode numbers within it. Results are 0 (or a count) or -E*. Names are
 * single components; lookup also answers "." and "..". A directory's
 * ".." at its root is the root itself (the VFS handles mount roots).
 * create/mkdir take permission bits; mknod takes VFS_IFCHR or VFS_IFIFO
 * | bits.
 * readdir returns 1 with *out filled and *cookie advanced, or 0 at the
 * end; cookie 0 starts at the beginning ("." and ".." first) and stays
 * valid while entries are added or removed. readlink does not add a NUL.
 * ref/unref (may be NULL) keep a node alive while the server has it open
 * even after its last link is gone. rename replaces an existing target
 * the way POSIX rename(2) does. Only lookup and getattr are required (a
 * mount without them is refused); every other operation may be NULL, and
 * every caller checks before it calls one. */
/* A file system's totals for statfs, in blocks of bsize bytes. */
struct vfs_statfs {
	uint64_t bsize, blocks, bfree, files, ffree;
	uint64_t bavail; /* free to non-root; left at UINT64_MAX it is bfree */
};

/* Where read_to delivers a file's bytes: n bytes at data (NULL: n zeros,
 * a hole) that belong at offset at of the read. 0, or -errno to stop. */
typedef int (*vfs_sink)(void *arg, size_t at, const void *data, size_t n);

struct fs_ops {
	int (*lookup)(void *fs, uint64_t dir, const char *name, uint64_t *ino);
	int (*getattr)(void *fs, uint64_t ino, struct vattr *va);
	int (*setattr)(void *fs, uint64_t ino, const struct vattr *va, unsigned mask);
	long (*read)(void *fs, uint64_t ino, uint64_t off, void *buf, size_t len);
	long (*write)(void *fs, uint64_t ino, uint64_t off, const void *buf, size_t len);
	int (*truncate)(void *fs, uint64_t ino, uint64_t size);
	int (*create)(void *fs, uint64_t dir, const char *name, uint32_t mode,
	              const struct vfs_cred *cr, uint64_t *ino);
	int (*mkdir)(void *fs, uint64_t dir, const char *name, uint32_t mode,
	             const struct vfs_cred *cr, uint64_t *ino);
	int (*mknod)(void *fs, uint64_t dir, const char *name, uint32_t mode, uint64_t rdev,
	             const struct vfs_cred *cr, uint64_t *ino);
	int (*symlink)(void *fs, uint64_t dir, const char *name, const char *target,
	               const struct vfs_cred *cr, uint64_t *ino);
	long (*readlink)(void *fs, uint64_t ino, char *buf, size_t len, const struct vfs_cred *cr);
	int (*link)(void *fs, uint64_t dir, const char *name, uint64_t ino);
	int (*unlink)(void *fs, uint64_t dir, const char *name);
	int (*rmdir)(void *fs, uint64_t dir, const char *name);
	int (*rename)(void *fs, uint64_t odir, const char *oname, uint64_t ndir, const char *nname);
	int (*readdir)(void *fs, uint64_t dir, uint64_t *cookie, struct vfs_dirent *out);
	int (*ref)(void *fs, uint64_t ino);
	int (*unref)(void *fs, uint64_t ino);
	int (*statfs)(void *fs, struct vfs_statfs *st); /* NULL: no storage, all 0 */
	/* read without copying into a buffer first: the bytes go to sink
	 * where they lie (a client's window). The count read (those before
	 * sink refused), or -errno. NULL: the server stages through read. */
	long (*read_to)(void *fs, uint64_t ino, uint64_t off, size_t len, vfs_sink sink, void *arg);
};

/* A file anywhere in the tree: mount slot and inode number in that fs. */
struct vnode {
	int mnt;
	uint64_t ino;
};

#define VFS_MNT_RDONLY 0x1 /* recorded and listed; the server enforces it */

/* A file-system instance to mount. */
struct vfs_fs {
	const struct fs_ops *ops;
	void *fs;
	uint64_t root; /* root directory's inode number */
	const char *type, *source;
	unsigned flags; /* VFS_MNT_* */
};

struct vfs_mount {
	bool used;
	const struct fs_ops *ops;
	void *fs;
	struct vnode covered; /* the mount point in the parent fs; mnt -1 for "/" */
	uint64_t root;
	unsigned flags;
	char type[VFS_TYPE_MAX];
	char source[VFS_SOURCE_MAX];
	char path[VFS_MPATH_MAX]; /* absolute, as it was when mounted */
};

struct vfs {
	struct vfs_mount mnt[VFS_MAX_MOUNTS];
};

/* vfs_resolve flags. */
#define VFS_NOFOLLOW 0x1 /* do not follow a final symlink (lstat, readlink) */
#define VFS_PARENT   0x2 /* stop before the last component (create, unlink, rename) */

struct vfs_lookup {
	struct vnode vn; /* the file, or with VFS_PARENT its directory */
	/* With VFS_PARENT: the last component, unresolved (it may be "."
	 * or ".."; "." when the path has none, as in "/"). Else "". */
	char name[VFS_NAME_MAX + 1];
	bool trailing_slash; /* the path ended in '/' after the name */
};

/* Empties the table. */
void vfs_init(struct vfs *vfs);

/* Mounts f as "/" in slot 0. -EBUSY if there is one already. */
int vfs_mount_root(struct vfs *vfs, const struct vfs_fs *f);

/* Mounts f on the directory path (resolved from cwd). Returns the slot.
 * -EBUSY if that directory is a mount root already, -ENOTDIR if it is
 * not a directory, -ENOSPC if the table is full, -ENAMETOOLONG if a name
 * or the mount point's path does not fit. */
int vfs_mount(struct vfs *vfs, struct vnode cwd, const char *path, const struct vfs_fs *f);

/* Puts f at "/" in place of the root file system (as Linux's initramfs
 * gives way to the real root): every mount on the old root moves to the
 * same path in f, which must have those directories (-ENOENT,
 * -ENOTDIR; nothing changes then). *old (if not NULL) gets the old
 * root's instance. Vnodes of the old root held elsewhere (cwds, open
 * files) now name inodes of f: the caller makes sure there are none. */
int vfs_switch_root(struct vfs *vfs, const struct vfs_fs *f, void **old);
/* Unmounts the file system whose root path names; *fs (if not NULL) gets
 * its instance back to destroy. -EINVAL if path is not a mount root (or
 * is "/"), -EBUSY if something is mounted inside it. Open files and cwds
 * in it are the caller's to check. Returns the freed slot. */
int vfs_umount(struct vfs *vfs, struct vnode cwd, const char *path, void **fs);

struct vnode vfs_root(const struct vfs *vfs);

/* The mount slot's entry, or NULL if unused or out of range. */
const struct vfs_mount *vfs_mount_at(const struct vfs *vfs, int mnt);

/* True if vn is the root directory of a mounted file system. */
bool vfs_is_mount_root(const struct vfs *vfs, struct vnode vn);

int vfs_getattr(const struct vfs *vfs, struct vnode vn, struct vattr *va);

/* File data through the mount's operations; a file system without the
 * operation gives -EINVAL (read) or -EACCES (write, truncate: as Linux
 * answers for /proc files), never a call through NULL. */
long vfs_read(const struct vfs *vfs, struct vnode vn, uint64_t off, void *buf, size_t len);
long vfs_write(const struct vfs *vfs, struct vnode vn, uint64_t off, const void *buf, size_t len);
/* read_to, or -ENOSYS if the file system has none (then use vfs_read). */
long vfs_read_to(const struct vfs *vfs, struct vnode vn, uint64_t off, size_t len, vfs_sink sink,
                 void *arg);
int vfs_truncate(const struct vfs *vfs, struct vnode vn, uint64_t size);

/* -EBUSY if name in directory dir is a mount point (the root of another
 * file system is mounted there), else 0: such a directory cannot be
 * removed, renamed or replaced while it is mounted on. */
int vfs_busy(const struct vfs *vfs, struct vnode dir, const char *name);

/* One step: name in directory dir, with "." and ".." (up out of a mount
 * root, staying at "/") and crossing into a file system mounted on the
 * result. A symlink is returned, not followed. */
int vfs_lookup_at(const struct vfs *vfs, struct vnode dir, const char *name, struct vnode *out);

/* Resolves path from cwd (absolute paths from "/"). Errors: -ENOENT
 * (also for ""), -ENOTDIR (a non-directory in the middle, or before a
 * trailing slash), -ELOOP (more than 40 symlinks), -ENAMETOOLONG (a
 * component over 255 bytes, a path of 4096 or more), -ENOSPC (out of
 * memory), or any error of the file system's lookup. */
int vfs_resolve(const struct vfs *vfs, struct vnode cwd, const char *path, int flags,
                struct vfs_lookup *out);
/* The same on behalf of cr (NULL: root, pid 0), which symlinks whose
 * target depends on who asks (/proc/self) are read for. */
int vfs_resolve_as(const struct vfs *vfs, struct vnode cwd, const char *path, int flags,
                   const struct vfs_cred *cr, struct vfs_lookup *out);

/* Writes the absolute path of directory dir into buf (NUL-terminated),
 * found by walking ".." and searching each parent's entries. Returns its
 * length, -ERANGE if buf is too small, -ENOENT if dir has been removed. */
int vfs_path(const struct vfs *vfs, struct vnode dir, char *buf, size_t len);

/* Writes the mount table as /proc/mounts does ("source path type rw 0 0"
 * lines) into buf, truncated to len - 1 bytes and NUL-terminated when
 * len > 0. Returns the full length, like snprintf. */
size_t vfs_mounts(const struct vfs *vfs, char *buf, size_t len);

#endif
