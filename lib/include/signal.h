/* <signal.h> for Mica, replacing picolibc's whole: Linux's signal numbers
 * (the ones pm, the console and the kernel use, lib/mica/proto/common.h),
 * a 64-signal sigset_t, struct sigaction and siginfo_t in Linux's shape.
 * What each call does today is in docs/libc.md (handlers: ENOSYS). */
#ifndef MICA_SIGNAL_H
#define MICA_SIGNAL_H
/* picolibc's own headers include <sys/signal.h> or <signal.h>: these
 * guards keep its numbering out. */
#define _SIGNAL_H_
#define _SYS_SIGNAL_H

#include <sys/_sigset.h>
#include <sys/_timespec.h>
#include <sys/cdefs.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SIGHUP    1
#define SIGINT    2
#define SIGQUIT   3
#define SIGILL    4
#define SIGTRAP   5
#define SIGABRT   6
#define SIGIOT    SIGABRT
#define SIGBUS    7
#define SIGFPE    8
#define SIGKILL   9
#define SIGUSR1   10
#define SIGSEGV   11
#define SIGUSR2   12
#define SIGPIPE   13
#define SIGALRM   14
#define SIGTERM   15
#define SIGSTKFLT 16
#define SIGCHLD   17
#define SIGCLD    SIGCHLD
#define SIGCONT   18
#define SIGSTOP   19
#define SIGTSTP   20
#define SIGTTIN   21
#define SIGTTOU   22
#define SIGURG    23
#define SIGXCPU   24
#define SIGXFSZ   25
#define SIGVTALRM 26
#define SIGPROF   27
#define SIGWINCH  28
#define SIGIO     29
#define SIGPOLL   SIGIO
#define SIGPWR    30
#define SIGSYS    31
#define SIGRTMIN  34
#define SIGRTMAX  64
#define NSIG      65 /* signals are 1..64 */
#define _NSIG     NSIG

typedef int sig_atomic_t;
typedef void (*_sig_func_ptr)(int);
typedef _sig_func_ptr sighandler_t;
typedef _sig_func_ptr sig_t;

#define SIG_DFL ((_sig_func_ptr)0)
#define SIG_IGN ((_sig_func_ptr)1)
#define SIG_ERR ((_sig_func_ptr)-1)

/* One bit per signal: bit sig - 1. */
#if !defined(_SIGSET_T_DECLARED)
#define _SIGSET_T_DECLARED
typedef __sigset_t sigset_t;
#endif

union sigval {
	int sival_int;
	void *sival_ptr;
};

#define SIGEV_SIGNAL 0
#define SIGEV_NONE   1
#define SIGEV_THREAD 2

struct sigevent {
	union sigval sigev_value;
	int sigev_signo;
	int sigev_notify;
	void (*sigev_notify_function)(union sigval);
	void *sigev_notify_attributes;
};

/* si_code values (Linux's) */
#define SI_USER    0
#define SI_KERNEL  0x80
#define SI_QUEUE   (-1)
#define SI_TIMER   (-2)
#define SI_MESGQ   (-3)
#define SI_ASYNCIO (-4)
#define CLD_EXITED 1
#define CLD_KILLED 2
#define CLD_DUMPED 3

typedef struct {
	int si_signo;
	int si_errno;
	int si_code;
	pid_t si_pid;
	uid_t si_uid;
	int si_status;
	void *si_addr;
	union sigval si_value;
} siginfo_t;

/* sa_flags (Linux's values) */
#define SA_NOCLDSTOP 0x00000001
#define SA_NOCLDWAIT 0x00000002
#define SA_SIGINFO   0x00000004
#define SA_ONSTACK   0x08000000
#define SA_RESTART   0x10000000
#define SA_NODEFER   0x40000000
#define SA_RESETHAND 0x80000000
#define SA_NOMASK    SA_NODEFER
#define SA_ONESHOT   SA_RESETHAND

struct sigaction {
	union {
		void (*__handler)(int);
		void (*__sigaction)(int, siginfo_t *, void *);
	} __sa_u;
	sigset_t sa_mask;
	int sa_flags;
};
#define sa_handler   __sa_u.__handler
#define sa_sigaction __sa_u.__sigaction

/* A handler's third argument (SA_SIGINFO): the registers the signal
 * interrupted (__regs[0] the pc, __regs[i] register xi) and the mask
 * restored when the handler returns. */
typedef struct {
	unsigned long __regs[32];
} mcontext_t;
typedef struct ucontext {
	struct ucontext *uc_link;
	sigset_t uc_sigmask;
	mcontext_t uc_mcontext;
} ucontext_t;

typedef struct {
	void *ss_sp;
	int ss_flags;
	size_t ss_size;
} stack_t;
#define SS_ONSTACK  1
#define SS_DISABLE  2
#define MINSIGSTKSZ 2048
#define SIGSTKSZ    8192

#define SIG_BLOCK   0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

_sig_func_ptr signal(int sig, _sig_func_ptr handler);
int raise(int sig);
int kill(pid_t pid, int sig);
int killpg(pid_t pgrp, int sig);
int sigaction(int sig, const struct sigaction *__restrict act, struct sigaction *__restrict old);
int sigprocmask(int how, const sigset_t *__restrict set, sigset_t *__restrict old);
int pthread_sigmask(int how, const sigset_t *__restrict set, sigset_t *__restrict old);
int sigemptyset(sigset_t *set);
int sigfillset(sigset_t *set);
int sigaddset(sigset_t *set, int sig);
int sigdelset(sigset_t *set, int sig);
int sigismember(const sigset_t *set, int sig);
int sigpending(sigset_t *set);
int sigsuspend(const sigset_t *mask);
int pause(void);
int sigaltstack(const stack_t *__restrict ss, stack_t *__restrict old);
int siginterrupt(int sig, int flag);
void psignal(int sig, const char *s);
void psiginfo(const siginfo_t *info, const char *s);
char *strsignal(int sig);
#define SIG2STR_MAX 16
int sig2str(int sig, char *str);
int str2sig(const char *__restrict str, int *__restrict sig);

#ifdef __cplusplus
}
#endif

#endif
