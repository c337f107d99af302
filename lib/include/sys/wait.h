/* <sys/wait.h>: picolibc's, plus what job control reads of a status
 * (Linux's encodings, as pm reports them). */
#ifndef MICA_SYS_WAIT_H
#define MICA_SYS_WAIT_H

#include_next <sys/wait.h>

#ifndef WCONTINUED
#define WCONTINUED 8
#endif
#ifndef WIFCONTINUED
#define WIFCONTINUED(w) ((w) == 0xffff)
#endif
#ifndef WCOREDUMP
#define WCOREDUMP(w) ((w)&0x80)
#endif

#endif
