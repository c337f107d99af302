/* Signal sets and the names and descriptions of signals, in Linux's
 * numbering: pure code, shared by lib/signal.c and the host tests. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mica/sigset.h"

#define RTMIN 34
#define RTMAX 64

static const struct {
	const char *name, *text;
} sigs[RTMIN] = {
    [1] = {"HUP", "Hangup"},
    [2] = {"INT", "Interrupt"},
    [3] = {"QUIT", "Quit"},
    [4] = {"ILL", "Illegal instruction"},
    [5] = {"TRAP", "Trace/breakpoint trap"},
    [6] = {"ABRT", "Aborted"},
    [7] = {"BUS", "Bus error"},
    [8] = {"FPE", "Floating point exception"},
    [9] = {"KILL", "Killed"},
    [10] = {"USR1", "User defined signal 1"},
    [11] = {"SEGV", "Segmentation fault"},
    [12] = {"USR2", "User defined signal 2"},
    [13] = {"PIPE", "Broken pipe"},
    [14] = {"ALRM", "Alarm clock"},
    [15] = {"TERM", "Terminated"},
    [16] = {"STKFLT", "Stack fault"},
    [17] = {"CHLD", "Child exited"},
    [18] = {"CONT", "Continued"},
    [19] = {"STOP", "Stopped (signal)"},
    [20] = {"TSTP", "Stopped"},
    [21] = {"TTIN", "Stopped (tty input)"},
    [22] = {"TTOU", "Stopped (tty output)"},
    [23] = {"URG", "Urgent I/O condition"},
    [24] = {"XCPU", "CPU time limit exceeded"},
    [25] = {"XFSZ", "File size limit exceeded"},
    [26] = {"VTALRM", "Virtual timer expired"},
    [27] = {"PROF", "Profiling timer expired"},
    [28] = {"WINCH", "Window changed"},
    [29] = {"IO", "I/O possible"},
    [30] = {"PWR", "Power failure"},
    [31] = {"SYS", "Bad system call"},
};

static int valid(int sig)
{
	if (sig > 0 && sig < MICA_NSIG)
		return 1;
	errno = EINVAL;
	return 0;
}

int mica_sigemptyset(unsigned long *set)
{
	*set = 0;
	return 0;
}

int mica_sigfillset(unsigned long *set)
{
	*set = ~0ul;
	return 0;
}

int mica_sigaddset(unsigned long *set, int sig)
{
	if (!valid(sig))
		return -1;
	*set |= 1ul << (sig - 1);
	return 0;
}

int mica_sigdelset(unsigned long *set, int sig)
{
	if (!valid(sig))
		return -1;
	*set &= ~(1ul << (sig - 1));
	return 0;
}

int mica_sigismember(const unsigned long *set, int sig)
{
	if (!valid(sig))
		return -1;
	return (*set >> (sig - 1)) & 1;
}

char *mica_strsignal(int sig, char *buf, size_t n)
{
	if (sig > 0 && sig < RTMIN && sigs[sig].text)
		snprintf(buf, n, "%s", sigs[sig].text);
	else if (sig >= RTMIN && sig <= RTMAX)
		snprintf(buf, n, "Real-time signal %d", sig - RTMIN);
	else
		snprintf(buf, n, "Unknown signal %d", sig);
	return buf;
}

int mica_sig2str(int sig, char *buf, size_t n)
{
	if (sig > 0 && sig < RTMIN && sigs[sig].name)
		snprintf(buf, n, "%s", sigs[sig].name);
	else if (sig == RTMIN)
		snprintf(buf, n, "RTMIN");
	else if (sig == RTMAX)
		snprintf(buf, n, "RTMAX");
	else if (sig > RTMIN && sig < RTMAX)
		snprintf(buf, n, "RTMIN+%d", sig - RTMIN);
	else
		return -1;
	return 0;
}

int mica_str2sig(const char *s)
{
	char *end;
	if (!strncmp(s, "SIG", 3))
		s += 3;
	for (int i = 1; i < RTMIN; i++)
		if (sigs[i].name && !strcmp(s, sigs[i].name))
			return i;
	if (!strcmp(s, "IOT"))
		return 6;
	if (!strcmp(s, "CLD"))
		return 17;
	if (!strcmp(s, "POLL"))
		return 29;
	if (!strncmp(s, "RTMIN", 5) || !strncmp(s, "RTMAX", 5)) {
		int base = s[4] == 'N' ? RTMIN : RTMAX;
		long k = s[5] ? strtol(s + 5, &end, 10) : 0;
		if ((s[5] && *end) || base + k < RTMIN || base + k > RTMAX)
			return -1;
		return (int)(base + k);
	}
	long k = strtol(s, &end, 10);
	return *s >= '0' && *s <= '9' && !*end && k < MICA_NSIG ? (int)k : -1;
}
