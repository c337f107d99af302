/* lib/sigset.c: signal sets against the host glibc's (same numbers, both
 * Linux's), and signal descriptions and names against glibc's. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "mica/sigset.h"

Test(sigset, add_del_and_member_agree_with_glibc_for_every_signal)
{
	unsigned long ours;
	sigset_t host;
	mica_sigemptyset(&ours);
	sigemptyset(&host);
	for (int sig = 1; sig < 65; sig += 3) {
		cr_assert_eq(mica_sigaddset(&ours, sig), 0);
		sigaddset(&host, sig);
	}
	for (int sig = 1; sig < 65; sig++)
		cr_assert_eq(mica_sigismember(&ours, sig), sigismember(&host, sig), "signal %d",
		             sig);
	cr_assert_eq(mica_sigdelset(&ours, 1), 0);
	cr_assert_eq(mica_sigismember(&ours, 1), 0);
	cr_assert_eq(mica_sigismember(&ours, 4), 1);
	mica_sigfillset(&ours);
	for (int sig = 1; sig < 65; sig++)
		cr_assert_eq(mica_sigismember(&ours, sig), 1, "signal %d", sig);
}

Test(sigset, out_of_range_signals_are_einval)
{
	unsigned long s = 0;
	errno = 0;
	cr_assert_eq(mica_sigaddset(&s, 0), -1);
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(mica_sigaddset(&s, 65), -1);
	cr_assert_eq(mica_sigdelset(&s, -1), -1);
	cr_assert_eq(mica_sigismember(&s, 65), -1);
	cr_assert_eq(s, 0);
}

Test(sigset, descriptions_read_as_glibc_says)
{
	char buf[64];
	for (int sig = -1; sig < 70; sig++)
		cr_expect_str_eq(mica_strsignal(sig, buf, sizeof(buf)), strsignal(sig), "signal %d",
		                 sig);
}

Test(sigset, names_go_both_ways)
{
	char buf[16];
	cr_assert_eq(mica_sig2str(SIGCHLD, buf, sizeof(buf)), 0);
	cr_assert_str_eq(buf, "CHLD");
	cr_assert_eq(mica_sig2str(SIGRTMIN + 1, buf, sizeof(buf)), 0);
	cr_assert_str_eq(buf, "RTMIN+1");
	cr_assert_eq(mica_sig2str(99, buf, sizeof(buf)), -1);
	cr_assert_eq(mica_str2sig("SIGTERM"), SIGTERM);
	cr_assert_eq(mica_str2sig("STOP"), SIGSTOP);
	cr_assert_eq(mica_str2sig("RTMAX-1"), SIGRTMAX - 1);
	cr_assert_eq(mica_str2sig("9"), 9);
	cr_assert_eq(mica_str2sig("BOGUS"), -1);
	cr_assert_eq(mica_str2sig("70"), -1);
	for (int sig = 1; sig < 32; sig++) {
		if (sig == 16 || mica_sig2str(sig, buf, sizeof(buf)) < 0)
			continue;
		cr_assert_eq(mica_str2sig(buf), sig, "%s", buf);
	}
}
