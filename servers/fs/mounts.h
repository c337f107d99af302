/* Disk file systems in the fs server (mounts.c). */
#ifndef FS_MOUNTS_H
#define FS_MOUNTS_H

#include "mica/server.h"

#define FS_NTFN_FLUSH   2ul       /* our notification's bit: write dirty blocks back (blk's is 1) */
#define FS_WRITEBACK_US 5000000ul /* the kernel signals FS_NTFN_FLUSH this often */

/* Runs every request: real[op], and a request that missed a block waits
 * and runs again when blocks arrive. */
void mounts_setup(struct server *s, const srv_handler *real, long ntfn);
int fs_run(struct server *s, const struct srv_req *req, struct srv_rep *rep);
/* Our notification fired (after blk's completions were collected). */
void mounts_notify(unsigned long bits);

int fs_do_mount(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int fs_do_umount(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int fs_do_sync(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int fs_do_shutdown(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int fs_do_pm_wake(struct server *s, const struct srv_req *req, struct srv_rep *rep);

#endif
