/* Signals for programs: dispositions recorded by pm (SIG_DFL and SIG_IGN;
 * handlers are a later issue and fail with ENOSYS), raise and abort
 * through pm's kill, masks kept here where they can be honoured. */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mica/posix.h"
#include "mica/proto/pm.h"
#include "mica/sigset.h"
#include "mica/syscall.h"

_Static_assert(SIGHUP == MSIG_HUP && SIGINT == MSIG_INT && SIGQUIT == MSIG_QUIT &&
                   SIGILL == MSIG_ILL && SIGTRAP == MSIG_TRAP && SIGABRT == MSIG_ABRT &&
                   SIGBUS == MSIG_BUS && SIGFPE == MSIG_FPE && SIGKILL == MSIG_KILL &&
                   SIGUSR1 == MSIG_USR1 && SIGSEGV == MSIG_SEGV && SIGUSR2 == MSIG_USR2 &&
                   SIGPIPE == MSIG_PIPE && SIGALRM == MSIG_ALRM && SIGTERM == MSIG_TERM &&
                   SIGCHLD == MSIG_CHLD && SIGCONT == MSIG_CONT && SIGSTOP == MSIG_STOP &&
                   SIGTSTP == MSIG_TSTP && SIGTTIN == MSIG_TTIN && SIGTTOU == MSIG_TTOU &&
                   SIGURG == MSIG_URG && SIGWINCH == MSIG_WINCH && NSIG == MSIG_MAX + 1 &&
                   NSIG == MICA_NSIG,
               "<signal.h> and pm number signals alike");
_Static_assert(sizeof(sigset_t) * 8 >= NSIG - 1, "sigset_t holds every signal");

#define BIT(sig) PM_SIGBIT(sig)
/* Whose default action is to do nothing; pm agrees (servers/pm/proc.c). */
#define DEFAULT_IGNORED (BIT(SIGCHLD) | BIT(SIGCONT) | BIT(SIGURG) | BIT(SIGWINCH))

static unsigned long ignored; /* pm's record of our SIG_IGN set ... */
static bool ignored_known;    /* ... once asked (exec starts afresh) */
static sigset_t blocked;

static bool is_signal(int sig)
{
	return sig > 0 && sig < NSIG;
}

/* pm's PM_SIGIGN: sig 0 asks; the ignored set after the change, or -errno. */
static long pm_sigign(int sig, bool ignore)
{
	struct ipc_msg m = {.tag = MAKE_TAG(PM_SIGIGN, 0),
	                    .m = {(unsigned long)sig, ignore ? 1ul : 0ul}};
	long r = mica_call(SLOT_PM, &m);
	r = r < 0 ? r : PROTO_RESULT(m.tag);
	if (r < 0)
		return r;
	ignored = m.m[0];
	ignored_known = true;
	return 0;
}

static unsigned long ignored_set(void)
{
	if (!ignored_known && pm_sigign(0, false) < 0)
		return 0;
	return ignored;
}

/* pm answers with Linux's errno numbers; the few used here agree with
 * picolibc's but ENOSYS (38 against 88). */
static int fail_with(long r)
{
	errno = r == -38 ? ENOSYS : (int)-r;
	return -1;
}

int sigaction(int sig, const struct sigaction *restrict act, struct sigaction *restrict old)
{
	if (!is_signal(sig))
		return errno = EINVAL, -1;
	unsigned long ign = ignored_set();
	if (act) {
		_sig_func_ptr h = act->sa_handler;
		if (sig == SIGKILL || sig == SIGSTOP)
			return errno = EINVAL, -1;
		if (h != SIG_DFL && h != SIG_IGN)
			return errno = ENOSYS, -1; /* handlers: a later issue */
		long r = pm_sigign(sig, h == SIG_IGN);
		if (r < 0)
			return fail_with(r);
	}
	if (old) {
		memset(old, 0, sizeof(*old));
		old->sa_handler = (ign & BIT(sig)) ? SIG_IGN : SIG_DFL;
	}
	return 0;
}

_sig_func_ptr signal(int sig, _sig_func_ptr handler)
{
	struct sigaction sa = {.sa_handler = handler}, old;
	if (sigaction(sig, &sa, &old) < 0)
		return SIG_ERR;
	return old.sa_handler;
}

int raise(int sig)
{
	if (sig < 0 || sig >= NSIG)
		return errno = EINVAL, -1;
	return kill(getpid(), sig);
}

int killpg(pid_t pgrp, int sig)
{
	if (pgrp < 0)
		return errno = EINVAL, -1;
	return kill(-pgrp, sig);
}

/* abort ends the process with SIGABRT even if it is ignored. */
void abort(void)
{
	signal(SIGABRT, SIG_DFL);
	raise(SIGABRT);
	mica_pm_exit(W_SIGNALED(SIGABRT)); /* not reached while pm answers */
}

/* Blocking is honest only for signals whose action is to do nothing
 * (there is no pending state to defer the others into): blocking one
 * that would end the process is ENOSYS, and nothing changes. */
int sigprocmask(int how, const sigset_t *restrict set, sigset_t *restrict old)
{
	sigset_t next = blocked;
	if (set) {
		if (how == SIG_BLOCK)
			next |= *set;
		else if (how == SIG_UNBLOCK)
			next &= ~*set;
		else if (how == SIG_SETMASK)
			next = *set;
		else
			return errno = EINVAL, -1;
		next &= ~(BIT(SIGKILL) | BIT(SIGSTOP)); /* never blocked (POSIX) */
		if (next & ~(DEFAULT_IGNORED | ignored_set()))
			return errno = ENOSYS, -1;
	}
	if (old)
		*old = blocked;
	blocked = next;
	return 0;
}

int pthread_sigmask(int how, const sigset_t *restrict set, sigset_t *restrict old)
{
	return sigprocmask(how, set, old) < 0 ? errno : 0;
}

/* Nothing is ever left pending (see sigprocmask). */
int sigpending(sigset_t *set)
{
	*set = 0;
	return 0;
}

/* Without handlers only a signal that ends the process ends the wait,
 * which is what POSIX asks of both. */
int pause(void)
{
	for (;;)
		mica_sleep(3600L * 1000000L);
}

int sigsuspend(const sigset_t *mask)
{
	(void)mask;
	return pause();
}

/* SIGALRM needs a timer in pm: not yet. alarm cannot report an error,
 * so it sets errno and arms nothing (docs/libc.md). */
unsigned alarm(unsigned seconds)
{
	if (seconds)
		errno = ENOSYS;
	return 0;
}

int sigaltstack(const stack_t *restrict ss, stack_t *restrict old)
{
	(void)ss, (void)old;
	return errno = ENOSYS, -1;
}

int siginterrupt(int sig, int flag)
{
	(void)flag;
	return is_signal(sig) ? 0 : (errno = EINVAL, -1);
}

int sigemptyset(sigset_t *set)
{
	return mica_sigemptyset(set);
}

int sigfillset(sigset_t *set)
{
	return mica_sigfillset(set);
}

int sigaddset(sigset_t *set, int sig)
{
	return mica_sigaddset(set, sig);
}

int sigdelset(sigset_t *set, int sig)
{
	return mica_sigdelset(set, sig);
}

int sigismember(const sigset_t *set, int sig)
{
	return mica_sigismember(set, sig);
}

char *strsignal(int sig)
{
	static char buf[32];
	return mica_strsignal(sig, buf, sizeof(buf));
}

int sig2str(int sig, char *str)
{
	return mica_sig2str(sig, str, SIG2STR_MAX);
}

int str2sig(const char *restrict str, int *restrict sig)
{
	int s = mica_str2sig(str);
	if (s < 0)
		return -1;
	*sig = s;
	return 0;
}

void psignal(int sig, const char *s)
{
	if (s && *s)
		fprintf(stderr, "%s: %s\n", s, strsignal(sig));
	else
		fprintf(stderr, "%s\n", strsignal(sig));
}

void psiginfo(const siginfo_t *info, const char *s)
{
	psignal(info->si_signo, s);
}
