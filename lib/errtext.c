/* strerror, strerror_r and perror with Linux's (glibc's) texts for every
 * errno picolibc defines ("No such file or directory", not picolibc's
 * "Not owner"). Indexed by the E* names, so it builds on the host too. */
#define _GNU_SOURCE
#define __LINUX_ERRNO_EXTENSIONS__ /* picolibc: every name it has */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mica/strerror.h"

static const char *const texts[] = {
    [0] = "Success",
    [EPERM] = "Operation not permitted",
    [ENOENT] = "No such file or directory",
    [ESRCH] = "No such process",
    [EINTR] = "Interrupted system call",
    [EIO] = "Input/output error",
    [ENXIO] = "No such device or address",
    [E2BIG] = "Argument list too long",
    [ENOEXEC] = "Exec format error",
    [EBADF] = "Bad file descriptor",
    [ECHILD] = "No child processes",
    [EAGAIN] = "Resource temporarily unavailable",
    [ENOMEM] = "Cannot allocate memory",
    [EACCES] = "Permission denied",
    [EFAULT] = "Bad address",
    [ENOTBLK] = "Block device required",
    [EBUSY] = "Device or resource busy",
    [EEXIST] = "File exists",
    [EXDEV] = "Invalid cross-device link",
    [ENODEV] = "No such device",
    [ENOTDIR] = "Not a directory",
    [EISDIR] = "Is a directory",
    [EINVAL] = "Invalid argument",
    [ENFILE] = "Too many open files in system",
    [EMFILE] = "Too many open files",
    [ENOTTY] = "Inappropriate ioctl for device",
    [ETXTBSY] = "Text file busy",
    [EFBIG] = "File too large",
    [ENOSPC] = "No space left on device",
    [ESPIPE] = "Illegal seek",
    [EROFS] = "Read-only file system",
    [EMLINK] = "Too many links",
    [EPIPE] = "Broken pipe",
    [EDOM] = "Numerical argument out of domain",
    [ERANGE] = "Numerical result out of range",
    [ENOMSG] = "No message of desired type",
    [EIDRM] = "Identifier removed",
    [ECHRNG] = "Channel number out of range",
    [EL2NSYNC] = "Level 2 not synchronized",
    [EL3HLT] = "Level 3 halted",
    [EL3RST] = "Level 3 reset",
    [ELNRNG] = "Link number out of range",
    [EUNATCH] = "Protocol driver not attached",
    [ENOCSI] = "No CSI structure available",
    [EL2HLT] = "Level 2 halted",
    [EDEADLK] = "Resource deadlock avoided",
    [ENOLCK] = "No locks available",
    [EBADE] = "Invalid exchange",
    [EBADR] = "Invalid request descriptor",
    [EXFULL] = "Exchange full",
    [ENOANO] = "No anode",
    [EBADRQC] = "Invalid request code",
    [EBADSLT] = "Invalid slot",
#if EDEADLOCK != EDEADLK
    [EDEADLOCK] = "Resource deadlock avoided",
#endif
    [EBFONT] = "Bad font file format",
    [ENOSTR] = "Device not a stream",
    [ENODATA] = "No data available",
    [ETIME] = "Timer expired",
    [ENOSR] = "Out of streams resources",
    [ENONET] = "Machine is not on the network",
    [ENOPKG] = "Package not installed",
    [EREMOTE] = "Object is remote",
    [ENOLINK] = "Link has been severed",
    [EADV] = "Advertise error",
    [ESRMNT] = "Srmount error",
    [ECOMM] = "Communication error on send",
    [EPROTO] = "Protocol error",
    [EMULTIHOP] = "Multihop attempted",
#ifdef ELBIN /* picolibc only */
    [ELBIN] = "Inode is remote",
#endif
    [EDOTDOT] = "RFS specific error",
    [EBADMSG] = "Bad message",
#ifdef EFTYPE /* picolibc only */
    [EFTYPE] = "Inappropriate file type or format",
#endif
    [ENOTUNIQ] = "Name not unique on network",
    [EBADFD] = "File descriptor in bad state",
    [EREMCHG] = "Remote address changed",
    [ELIBACC] = "Can not access a needed shared library",
    [ELIBBAD] = "Accessing a corrupted shared library",
    [ELIBSCN] = ".lib section in a.out corrupted",
    [ELIBMAX] = "Attempting to link in too many shared libraries",
    [ELIBEXEC] = "Cannot exec a shared library directly",
    [ENOSYS] = "Function not implemented",
#ifdef ENMFILE /* picolibc only */
    [ENMFILE] = "No more files",
#endif
    [ENOTEMPTY] = "Directory not empty",
    [ENAMETOOLONG] = "File name too long",
    [ELOOP] = "Too many levels of symbolic links",
    [EOPNOTSUPP] = "Operation not supported",
    [EPFNOSUPPORT] = "Protocol family not supported",
    [ECONNRESET] = "Connection reset by peer",
    [ENOBUFS] = "No buffer space available",
    [EAFNOSUPPORT] = "Address family not supported by protocol",
    [EPROTOTYPE] = "Protocol wrong type for socket",
    [ENOTSOCK] = "Socket operation on non-socket",
    [ENOPROTOOPT] = "Protocol not available",
    [ESHUTDOWN] = "Cannot send after transport endpoint shutdown",
    [ECONNREFUSED] = "Connection refused",
    [EADDRINUSE] = "Address already in use",
    [ECONNABORTED] = "Software caused connection abort",
    [ENETUNREACH] = "Network is unreachable",
    [ENETDOWN] = "Network is down",
    [ETIMEDOUT] = "Connection timed out",
    [EHOSTDOWN] = "Host is down",
    [EHOSTUNREACH] = "No route to host",
    [EINPROGRESS] = "Operation now in progress",
    [EALREADY] = "Operation already in progress",
    [EDESTADDRREQ] = "Destination address required",
    [EMSGSIZE] = "Message too long",
    [EPROTONOSUPPORT] = "Protocol not supported",
    [ESOCKTNOSUPPORT] = "Socket type not supported",
    [EADDRNOTAVAIL] = "Cannot assign requested address",
    [ENETRESET] = "Network dropped connection on reset",
    [EISCONN] = "Transport endpoint is already connected",
    [ENOTCONN] = "Transport endpoint is not connected",
    [ETOOMANYREFS] = "Too many references: cannot splice",
#ifdef EPROCLIM /* picolibc only */
    [EPROCLIM] = "Too many processes",
#endif
    [EUSERS] = "Too many users",
    [EDQUOT] = "Disk quota exceeded",
    [ESTALE] = "Stale file handle",
#if ENOTSUP != EOPNOTSUPP
    [ENOTSUP] = "Operation not supported",
#endif
    [ENOMEDIUM] = "No medium found",
#ifdef ENOSHARE /* picolibc only */
    [ENOSHARE] = "No such host or network path",
#endif
#ifdef ECASECLASH /* picolibc only */
    [ECASECLASH] = "Filename exists with different case",
#endif
    [EILSEQ] = "Invalid or incomplete multibyte or wide character",
    [EOVERFLOW] = "Value too large for defined data type",
    [ECANCELED] = "Operation canceled",
    [ENOTRECOVERABLE] = "State not recoverable",
    [EOWNERDEAD] = "Owner died",
    [ESTRPIPE] = "Streams pipe error",
};

const char *mica_strerror_text(int e)
{
	if (e < 0 || (size_t)e >= sizeof(texts) / sizeof(texts[0]))
		return NULL;
	return texts[e];
}

char *mica_strerror(int e, char *buf, size_t n)
{
	const char *t = mica_strerror_text(e);
	if (t)
		snprintf(buf, n, "%s", t);
	else
		snprintf(buf, n, "Unknown error %d", e);
	return buf;
}
