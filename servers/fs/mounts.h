/* Disk file systems in the fs server (mounts.c). */
#ifndef FS_MOUNTS_H
#define FS_MOUNTS_H

#include "mica/server.h"

#define FS_NTFN_FLUSH 2ul /* our notification's bits: write dirty blocks back now (blk's is 1), */
#define FS_NTFN_TICK  4ul /* and the kernel's timer, every FS_TICK_US */
#define FS_TICK_US    100000ul
#define FS_WRITEBACK_TICKS                                                                         \
	50 /* dirty blocks are written back every 5 s, like Linux's writeback                      \
	    */

/* The buffer cache's size follows free memory: every tick, and after a
 * request that grew it a lot (cache.c). */
void cache_balance(void);
/* /proc/meminfo's lines for the caches (Buffers, Cached, Dirty). */
struct cache_info {
	size_t buffers, cached, dirty, cap;
};
void cache_info(struct cache_info *ci);

/* Runs every request: real[op], and a request that missed a block waits
 * and runs again when blocks arrive. */
void mounts_setup(struct server *s, const srv_handler *real, long ntfn);
int fs_run(struct server *s, const struct srv_req *req, struct srv_rep *rep);
/* Our notification fired (after blk's completions were collected). */
void mounts_notify(unsigned long bits);

struct fsreq;
/* The disk a path names (a block device in /dev), or -errno. */
int disk_of_path(const struct fsreq *c, const char *path);

int fs_do_mount(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int fs_do_umount(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int fs_do_sync(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int fs_do_shutdown(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int fs_do_pm_wake(struct server *s, const struct srv_req *req, struct srv_rep *rep);

#endif
