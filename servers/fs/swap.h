/* The swap area pm's pager pages to (swap.c). */
#ifndef FS_SWAP_H
#define FS_SWAP_H

#include <stddef.h>

#include "mica/server.h"

#define SWAP_SLOT_BLK  1        /* our handle to blk (as disk.c's) */
#define SWAP_TAG       0x8000ul /* blk tags of the swap area's requests, */
#define SWAP_TAG_WRITE 0x4000ul /* writes among them; below BREQ_TAG */

/* /proc/meminfo's SwapTotal and SwapFree, /proc/vmstat's counters. */
struct swap_info {
	uint64_t total, used, pswpin, pswpout; /* pages */
	uint64_t unwritten;                    /* evicted clean: their slot still held them */
	int disk;                              /* the area's: 0 /dev/vda */
};
void swap_info(struct swap_info *si);
/* A completion collected from blk for one of our tags. */
void swap_completed(unsigned long tag, long status, const void *data, size_t len);
/* Hands blk the reads that waited for room there. */
void swap_retry(void);

int fs_do_pm_swapon(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int fs_do_pm_swapout(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int fs_do_pm_swapin(struct server *s, const struct srv_req *req, struct srv_rep *rep);

#endif
