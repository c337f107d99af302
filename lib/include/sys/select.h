/* picolibc's <sys/select.h> with room for every descriptor a process may
 * hold (256, fs's FS_MAX_FDS); select and pselect are in lib/poll.c. */
#ifndef MICA_SYS_SELECT_H
#define MICA_SYS_SELECT_H

#ifndef FD_SETSIZE
#define FD_SETSIZE 256
#endif

#include_next <sys/select.h>

#endif
