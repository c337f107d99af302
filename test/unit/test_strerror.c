/* lib/errtext.c against the host glibc's strerror, matched by errno
 * name (Mica's numbers are picolibc's, the host's are Linux's): every
 * name picolibc defines that glibc also has reads the same. */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "mica/strerror.h"

#define E(name)                                                                                    \
	{                                                                                          \
#name, name                                                                        \
	}
static const struct {
	const char *name;
	int num;
} names[] = {
    E(EPERM),
    E(ENOENT),
    E(ESRCH),
    E(EINTR),
    E(EIO),
    E(ENXIO),
    E(E2BIG),
    E(ENOEXEC),
    E(EBADF),
    E(ECHILD),
    E(EAGAIN),
    E(ENOMEM),
    E(EACCES),
    E(EFAULT),
    E(ENOTBLK),
    E(EBUSY),
    E(EEXIST),
    E(EXDEV),
    E(ENODEV),
    E(ENOTDIR),
    E(EISDIR),
    E(EINVAL),
    E(ENFILE),
    E(EMFILE),
    E(ENOTTY),
    E(ETXTBSY),
    E(EFBIG),
    E(ENOSPC),
    E(ESPIPE),
    E(EROFS),
    E(EMLINK),
    E(EPIPE),
    E(EDOM),
    E(ERANGE),
    E(ENOMSG),
    E(EIDRM),
    E(ECHRNG),
    E(EL2NSYNC),
    E(EL3HLT),
    E(EL3RST),
    E(ELNRNG),
    E(EUNATCH),
    E(ENOCSI),
    E(EL2HLT),
    E(EDEADLK),
    E(ENOLCK),
    E(EBADE),
    E(EBADR),
    E(EXFULL),
    E(ENOANO),
    E(EBADRQC),
    E(EBADSLT),
    E(EBFONT),
    E(ENOSTR),
    E(ENODATA),
    E(ETIME),
    E(ENOSR),
    E(ENONET),
    E(ENOPKG),
    E(EREMOTE),
    E(ENOLINK),
    E(EADV),
    E(ESRMNT),
    E(ECOMM),
    E(EPROTO),
    E(EMULTIHOP),
    E(EDOTDOT),
    E(EBADMSG),
    E(ENOTUNIQ),
    E(EBADFD),
    E(EREMCHG),
    E(ELIBACC),
    E(ELIBBAD),
    E(ELIBSCN),
    E(ELIBMAX),
    E(ELIBEXEC),
    E(ENOSYS),
    E(ENOTEMPTY),
    E(ENAMETOOLONG),
    E(ELOOP),
    E(EOPNOTSUPP),
    E(EPFNOSUPPORT),
    E(ECONNRESET),
    E(ENOBUFS),
    E(EAFNOSUPPORT),
    E(EPROTOTYPE),
    E(ENOTSOCK),
    E(ENOPROTOOPT),
    E(ESHUTDOWN),
    E(ECONNREFUSED),
    E(EADDRINUSE),
    E(ECONNABORTED),
    E(ENETUNREACH),
    E(ENETDOWN),
    E(ETIMEDOUT),
    E(EHOSTDOWN),
    E(EHOSTUNREACH),
    E(EINPROGRESS),
    E(EALREADY),
    E(EDESTADDRREQ),
    E(EMSGSIZE),
    E(EPROTONOSUPPORT),
    E(ESOCKTNOSUPPORT),
    E(EADDRNOTAVAIL),
    E(ENETRESET),
    E(EISCONN),
    E(ENOTCONN),
    E(ETOOMANYREFS),
    E(EUSERS),
    E(EDQUOT),
    E(ESTALE),
    E(ENOMEDIUM),
    E(EILSEQ),
    E(EOVERFLOW),
    E(ECANCELED),
    E(ENOTRECOVERABLE),
    E(EOWNERDEAD),
    E(ESTRPIPE),
};

Test(strerror, every_errno_name_reads_as_glibc_says)
{
	char buf[64];
	cr_assert_geq(sizeof(names) / sizeof(names[0]), 100);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *t = mica_strerror_text(names[i].num);
		cr_assert_not_null(t, "%s has no text", names[i].name);
		cr_expect_str_eq(t, strerror(names[i].num), "%s", names[i].name);
		cr_expect_str_eq(mica_strerror(names[i].num, buf, sizeof(buf)),
		                 strerror(names[i].num));
	}
}

Test(strerror, aliases_and_unknown_numbers_read_as_glibc_says)
{
	char buf[64];
	cr_assert_str_eq(mica_strerror_text(EWOULDBLOCK), strerror(EWOULDBLOCK));
	cr_assert_str_eq(mica_strerror_text(EDEADLOCK), strerror(EDEADLOCK));
	cr_assert_str_eq(mica_strerror_text(ENOTSUP), strerror(ENOTSUP));
	cr_assert_str_eq(mica_strerror(0, buf, sizeof(buf)), strerror(0));
	cr_assert_str_eq(mica_strerror(4000, buf, sizeof(buf)), strerror(4000));
	cr_assert_str_eq(mica_strerror(-5, buf, sizeof(buf)), strerror(-5));
	cr_assert_str_eq(mica_strerror(ENOENT, buf, 8), "No such");
}
