/* The kernel's event counters (struct kstat in mica/abi.h). Written by
 * the one hart that runs the kernel; read by SYS_KSTAT. */
#ifndef MICA_KSTAT_H
#define MICA_KSTAT_H

#include "mica/abi.h"

extern struct kstat kst;

#endif
