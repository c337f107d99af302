/* Kernel error codes: the shared user/kernel list. */
#ifndef MICA_KERN_ERRNO_H
#define MICA_KERN_ERRNO_H

#include "mica/errno.h"

#endif
