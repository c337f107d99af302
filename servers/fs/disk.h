/* fs's raw disks through the blk server (disk.c). */
#ifndef FS_DISK_H
#define FS_DISK_H

#include <stddef.h>
#include <stdint.h>

#include "mica/server.h"

struct ofile;

/* Finds blk's disks and attaches our notification; 0 (also with no
 * disks) or -errno. */
int disk_start(struct server *s);
int disk_count(void);
/* Our notification (to signal ourselves), or -1 without disks. */
long disk_ntfn(void);
uint64_t disk_bytes(int d);
/* FS_READ / FS_WRITE on an open disk: SRV_DEFER (client answered later)
 * or an answer in rep now. */
int disk_read(struct ofile *f, srv_client client, size_t n, struct srv_rep *rep);
int disk_write(struct ofile *f, srv_client client, const void *data, size_t n, struct srv_rep *rep);
/* blk's notification: collect what finished and answer its clients. */
void disk_notify(void);

#endif
