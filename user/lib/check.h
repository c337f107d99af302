/* The in-guest test programs' checks (selftest, t_fsapi, t_libc, t_exec):
 * a check that fails records why (the first reason stands) and returns
 * -1 from the test; check_run runs one test and prints "PROG: NAME ok" or
 * "PROG: NAME FAILED: why"; the totals are passed and failed. */
#ifndef USER_LIB_CHECK_H
#define USER_LIB_CHECK_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static char why[512];
static int passed, failed;

__attribute__((format(printf, 1, 2), unused)) static int fail(const char *fmt, ...)
{
	if (!why[0]) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(why, sizeof(why), fmt, ap);
		va_end(ap);
	}
	return -1;
}

#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		if (!(cond))                                                                       \
			return fail(__VA_ARGS__);                                                  \
	} while (0)

/* A call that must succeed (not return -1). */
#define OK(call)                                                                                   \
	do {                                                                                       \
		if ((long)(call) == -1)                                                            \
			return fail("%s: %s", #call, strerror(errno));                             \
	} while (0)

/* A call that must fail with err. */
#define ERR(call, err)                                                                             \
	do {                                                                                       \
		errno = 0;                                                                         \
		long r_ = (long)(call);                                                            \
		if (r_ != -1 || errno != (err))                                                    \
			return fail("%s: got %ld (%s), want -1 (%s)", #call, r_,                   \
			            r_ == -1 ? strerror(errno) : "no error", strerror(err));       \
	} while (0)

/* A call that must return want. */
#define IS(call, want)                                                                             \
	do {                                                                                       \
		errno = 0;                                                                         \
		long r_ = (long)(call);                                                            \
		if (r_ != (long)(want))                                                            \
			return fail("%s: got %ld (%s), want %ld", #call, r_,                       \
			            r_ == -1 ? strerror(errno) : "no error", (long)(want));        \
	} while (0)

__attribute__((unused)) static void check_run(const char *prog, const char *name, int (*fn)(void))
{
	why[0] = '\0';
	if (fn() == 0) {
		printf("%s: %s ok\n", prog, name);
		passed++;
	} else {
		printf("%s: %s FAILED: %s\n", prog, name, why[0] ? why : "?");
		failed++;
	}
	fflush(stdout);
}

#endif
