/* <sys/statvfs.h> for Mica (picolibc has none): the file system a file
 * is on, from fs's FS_STATFS (lib/statvfs.c). */
#ifndef MICA_SYS_STATVFS_H
#define MICA_SYS_STATVFS_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct statvfs {
	unsigned long f_bsize, f_frsize; /* block size; the unit of f_blocks */
	fsblkcnt_t f_blocks, f_bfree, f_bavail;
	fsfilcnt_t f_files, f_ffree, f_favail;
	unsigned long f_fsid, f_flag, f_namemax;
};

#define ST_RDONLY 1
#define ST_NOSUID 2

int statvfs(const char *path, struct statvfs *buf);
int fstatvfs(int fd, struct statvfs *buf);

#ifdef __cplusplus
}
#endif

#endif
