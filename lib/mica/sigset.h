/* Signal sets and signal names under Mica's own names, so the same code
 * builds on the host beside the C library's (the unit tests compare
 * them). A set is one bit per signal 1..64: bit sig - 1. */
#ifndef MICA_SIGSET_H
#define MICA_SIGSET_H

#include <stddef.h>

#define MICA_NSIG 65 /* signals are 1..MICA_NSIG - 1, Linux's numbers */

/* Each returns 0, or -1 with errno EINVAL for a signal out of range. */
int mica_sigemptyset(unsigned long *set);
int mica_sigfillset(unsigned long *set);
int mica_sigaddset(unsigned long *set, int sig);
int mica_sigdelset(unsigned long *set, int sig);
/* 1 if sig is in the set, 0 if not, -1 (EINVAL) out of range. */
int mica_sigismember(const unsigned long *set, int sig);

/* glibc's description ("Hangup", "Real-time signal 3", "Unknown signal
 * 99") into buf; returns buf. */
char *mica_strsignal(int sig, char *buf, size_t n);
/* The name without "SIG" ("HUP", "RTMIN+1"); 0, or -1 if sig is unknown. */
int mica_sig2str(int sig, char *buf, size_t n);
/* A name (with or without "SIG") or a number to a signal; -1 if none. */
int mica_str2sig(const char *s);

#endif
