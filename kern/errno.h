/* Kernel error codes: a caller's mistake is returned as -EXXX.
 * The values match Linux/newlib so user space can share them. */
#ifndef MICA_ERRNO_H
#define MICA_ERRNO_H

#define EPERM   1
#define ENOENT  2
#define EIO     5
#define E2BIG   7
#define ENOEXEC 8
#define EBADF   9
#define EAGAIN  11
#define ENOMEM  12
#define EFAULT  14
#define EBUSY   16
#define EEXIST  17
#define EINVAL  22
#define ENOSPC  28
#define ERANGE  34
#define ENOSYS  38

#endif
