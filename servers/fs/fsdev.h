/* Shared inside the fs server: device numbers, the extra file-system
 * types, and the process rows /proc shows. */
#ifndef FS_FSDEV_H
#define FS_FSDEV_H

#include "mica/proto/fs.h"
#include "vfs.h"

#ifndef EROFS
#define EROFS 30
#endif

/* Disks: block devices 254:0, 254:16, ... (virtio-blk's numbers on Linux). */
#define DEV_DISK(i)     ((uint64_t)(0xFE00 + 16 * (i)))
#define DEV_DISK_NUM(r) ((int)(((r)&0xFF) / 16))
#define DEV_IS_DISK(r)  (((r) & ~(uint64_t)0xF0) == 0xFE00) /* one of those numbers */

extern const struct fs_ops devfs_ops;
extern const struct fs_ops procfs_ops;

struct proc_row {
	struct fs_proc p; /* p.pid 0: unused */
	long task;        /* task handle from pm, -1 if none */
	char *maps;       /* /proc/N/maps as pm wrote it (malloc), or NULL */
	size_t maps_len;
};

/* pid's row; with create, a free row (the table grows) when it has none.
 * NULL if none, or no memory. Valid until the next call. */
struct proc_row *procfs_row(int pid, bool create);

/* Renders a procfs file (by inode) into buf, as process self (who
 * opens it: its status says it runs) sees it; its length or -E*. */
long procfs_render(uint64_t ino, int self, char *buf, size_t len);
bool procfs_is_file(uint64_t ino);
/* proclimits.c: /proc/N/limits (Linux's layout) and /proc/N/sched. */
long procfs_limits(int pid, char *buf, size_t len);
int procfs_nice(int pid); /* as pm last told fs */
long procfs_sched(const struct proc_row *r, char *buf, size_t len);

#endif
