/* The fs server as its two transports see it. */
#ifndef FS_FS_H
#define FS_FS_H

#include "mica/server.h"

extern struct server fs_server;
/* Sets up the mount table (ramfs on /, devfs on /dev, proc on /proc)
 * and the pipes; 0 or -errno (said on the kernel console). Then the
 * transport serves fs_server. */
int fs_start(void);

#endif
