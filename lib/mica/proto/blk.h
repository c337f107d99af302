/* Block-device server protocol (servers/blk): virtio disks in 512-byte
 * sectors. fs is its one client: it submits requests, which return at
 * once, and collects completions when the notification it attached is
 * signalled, so no server ever waits for the disk (docs/servers.md).
 * Results are in the reply label (PROTO_RESULT: >= 0 or -errno). */
#ifndef MICA_PROTO_BLK_H
#define MICA_PROTO_BLK_H

#include "mica/proto/common.h"

enum blk_op {
	BLK_INFO = 1, /* m0 disk -> 0; m0 sectors, m1 BLK_F_*, m2 disks in all */
	BLK_ATTACH,   /* a notification (RIGHT_SEND) travels with it: BLK_NTFN_BIT is
	               * signalled there whenever completions wait -> 0 */
	BLK_READ,     /* m0 disk, m1 sector, m2 count (1..BLK_MAX_SECTORS), m3 tag -> 0 queued */
	BLK_WRITE,    /* m0 disk, m1 sector, m3 tag; the data (count * 512 bytes) as the
	               * payload, or lent as a window (no payload) -> 0 queued */
	BLK_FLUSH,    /* m0 disk, m3 tag -> 0 queued */
	BLK_COLLECT,  /* -> 0; m0 tag, m1 status (0 or -EIO), m2 disk, m3 the data's bytes: a
	               * read's data goes into the window the call lends (writable), else
	               * as the payload (at most IPC_MAX: a larger read waits, -EMSGSIZE);
	               * -EAGAIN when nothing has completed */
	BLK_NOPS
};

#define BLK_SECTOR      512
#define BLK_MAX_SECTORS 64 /* 32 KiB per request (above 8: through windows) */
#define BLK_MAX_DISKS   8
#define BLK_NTFN_BIT    1ul

/* BLK_INFO flags. */
#define BLK_F_RO    0x1 /* the device refuses writes */
#define BLK_F_FLUSH 0x2 /* it has a write cache to flush */

/* Badges on the handles pm gives out to blk's endpoint. */
#define BLK_BADGE_FS 1

#endif
