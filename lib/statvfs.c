/* statvfs and fstatvfs over fs's FS_STATFS: the totals of the file
 * system a path (or an open file) is on. */
#include <errno.h>
#include <string.h>
#include <sys/statvfs.h>

#include "mica/posix.h"
#include "mica/proto/fs.h"
#include "mica/runtime.h"

static void to_statvfs(const struct fs_statfs *f, struct statvfs *st)
{
	*st = (struct statvfs){.f_bsize = f->bsize,
	                       .f_frsize = f->bsize,
	                       .f_blocks = f->blocks,
	                       .f_bfree = f->bfree,
	                       .f_bavail = f->bavail,
	                       .f_files = f->files,
	                       .f_ffree = f->ffree,
	                       .f_favail = f->ffree,
	                       .f_fsid = f->fsid,
	                       .f_flag = f->rdonly ? ST_RDONLY : 0,
	                       .f_namemax = f->namemax};
}

/* FS_STATFS on path from base (0 the cwd, fd + 1 an open file). */
static int statfs_call(const char *path, unsigned long base, struct statvfs *st)
{
	char *ipc = mica_ipcbuf();
	size_t n = strlen(path) + 1;
	const unsigned long m[4] = {0, 0, 0, base};
	if (!ipc)
		return errno = ENOMEM, -1;
	if (n > IPC_MAX)
		return errno = ENAMETOOLONG, -1;
	memcpy(ipc, path, n);
	long r = mica_fs_call(FS_STATFS, m, n, NULL);
	if (r == 0) {
		struct fs_statfs f;
		memcpy(&f, ipc, sizeof(f));
		to_statvfs(&f, st);
	}
	return (int)mica_fail(r);
}

int statvfs(const char *path, struct statvfs *st)
{
	if (!*path)
		return errno = ENOENT, -1;
	return statfs_call(path, 0, st);
}

int fstatvfs(int fd, struct statvfs *st)
{
	if (fd < 0 || fd >= FS_MAX_FDS)
		return errno = EBADF, -1;
	return statfs_call("", (unsigned long)fd + 1, st);
}
