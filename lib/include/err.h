/* <err.h> for Mica (picolibc has none): lib/err.c. */
#ifndef MICA_ERR_H
#define MICA_ERR_H

#include <stdarg.h>

#ifdef __cplusplus
extern "C" {
#endif

#define __MICA_PF(f, a) __attribute__((format(printf, f, a)))
void warn(const char *fmt, ...) __MICA_PF(1, 2);
void warnx(const char *fmt, ...) __MICA_PF(1, 2);
void warnc(int code, const char *fmt, ...) __MICA_PF(2, 3);
void vwarn(const char *fmt, va_list ap) __MICA_PF(1, 0);
void vwarnx(const char *fmt, va_list ap) __MICA_PF(1, 0);
void vwarnc(int code, const char *fmt, va_list ap) __MICA_PF(2, 0);
void err(int status, const char *fmt, ...) __attribute__((noreturn)) __MICA_PF(2, 3);
void errx(int status, const char *fmt, ...) __attribute__((noreturn)) __MICA_PF(2, 3);
void errc(int status, int code, const char *fmt, ...) __attribute__((noreturn)) __MICA_PF(3, 4);
void verr(int status, const char *fmt, va_list ap) __attribute__((noreturn)) __MICA_PF(2, 0);
void verrx(int status, const char *fmt, va_list ap) __attribute__((noreturn)) __MICA_PF(2, 0);
void verrc(int status, int code, const char *fmt, va_list ap) __attribute__((noreturn))
__MICA_PF(3, 0);
#undef __MICA_PF

#ifdef __cplusplus
}
#endif

#endif
