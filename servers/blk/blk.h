/* The block-device server as its two transports see it. */
#ifndef BLK_BLK_H
#define BLK_BLK_H

#include "mica/server.h"

extern struct server blk_server;
/* Finds the virtio block devices and takes their interrupts; 0 or
 * -errno. Then the transport serves blk_server. */
int blk_start(void);

#endif
