/* Signals for programs: sigaction and its handlers, masks, pending sets,
 * sigsuspend and pause, alarm and setitimer, raise and abort; the
 * runtime's upcall entry that runs handlers; and the EINTR/SA_RESTART
 * rule for blocking calls (mica_call_intr). pm decides; see
 * servers/pm/signal.c and docs/signals.md. */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <malloc.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "mica/posix.h"
#include "mica/proto/pm.h"
#include "mica/runtime.h"
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

/* --- the handlers' side -----------------------------------------------------
 * pm keeps the dispositions that decide what a signal does (ignored,
 * default, caught) and each thread's mask; the handlers themselves, and
 * their SA_SIGINFO and SA_RESTART, are kept here. A caught signal sends
 * a thread of ours to mica_upcall (SYS_THREAD_UPCALL): it fetches the
 * registers the thread had, takes signals from pm one by one, runs their
 * handlers on this stack and resumes the registers (UPCALL_RESUME). */
static struct {
	void (*fn)(int, siginfo_t *, void *);
	sigset_t mask;
	int flags;
} acts[NSIG];
static unsigned long ignored, caught; /* pm's, as of the last answer */
static bool dispositions_known;       /* asked since exec */

/* Per thread: handlers run since the blocking call began, and whether
 * one of them wanted no restart (no SA_RESTART). */
static __thread unsigned handled;
static __thread bool no_restart;

void mica_upcall(void);
__asm__(".text\n"
        ".globl mica_upcall\n"
        ".balign 4\n"
        "mica_upcall:\n"
        "	andi sp, sp, -16\n"
        "	addi sp, sp, -256\n" /* the registers the upcall took */
        "	sd zero, 0(sp)\n"    /* fault the stack in here, in user mode */
        "	sd zero, 248(sp)\n"
        "	li a0, 0\n" /* UPCALL_GET */
        "	mv a1, sp\n"
        "	li a7, 48\n" /* SYS_UPCALL_FRAME */
        "	ecall\n"
        "	mv a1, a0\n"
        "	mv a0, sp\n"
        "	call mica_sig_dispatch\n"
        "	unimp\n");
_Static_assert(UPCALL_GET == 0 && SYS_UPCALL_FRAME == 48, "mica_upcall's numbers");

static long pm_sig(unsigned op, unsigned long m0, unsigned long m1, unsigned long m2,
                   unsigned long m3, struct ipc_msg *out)
{
	struct ipc_msg m = {.tag = MAKE_TAG(op, 0), .m = {m0, m1, m2, m3}};
	long r = mica_call(SLOT_PM, &m);
	if (out)
		*out = m;
	return r < 0 ? r : PROTO_RESULT(m.tag);
}

static long ask_dispositions(void)
{
	struct ipc_msg m;
	long r = pm_sig(PM_SIGACTION, 0, 0, 0, 0, &m);
	if (r < 0)
		return r;
	ignored = m.m[0], caught = m.m[1];
	dispositions_known = true;
	return 0;
}

/* The interrupted code may have a payload in its IPC buffer (a reply it
 * has not read, a request it will make again): handlers get a page of
 * their own (two system calls), or, nested, the buffer is copied aside. */
static __thread void *spare_buf;
static __thread int dispatching;

static bool ipcbuf_swap(void *buf)
{
	if (!buf || dispatching)
		return false;
	if (!spare_buf)
		spare_buf = memalign(IPC_MAX, IPC_MAX);
	if (!spare_buf)
		return false;
	*(volatile char *)spare_buf = 0; /* ours now, in memory */
	((volatile char *)spare_buf)[IPC_MAX - 1] = 0;
	if (mica_ipcbuf_set(spare_buf) == 0)
		return true;
	mica_ipcbuf_set(buf);
	return false;
}

__attribute__((used)) void mica_sig_dispatch(unsigned long *regs, long got);
void mica_sig_dispatch(unsigned long *regs, long got)
{
	int saved_errno = errno;
	void *buf = mica_ipcbuf();
	struct ipc_msg m;
	long sig;
	if (got < 0) /* no registers to resume: the process cannot go on */
		mica_pm_exit(W_SIGNALED(SIGSEGV) | W_COREFLAG);
	bool swapped = ipcbuf_swap(buf);
	char *saved = swapped || !buf ? NULL : __builtin_alloca(IPC_MAX);
	if (saved)
		memcpy(saved, buf, IPC_MAX);
	dispatching++;
	while ((sig = pm_sig(PM_SIGTAKE, 0, 0, 0, 0, &m)) > 0 && sig < NSIG) {
		unsigned long restore = m.m[0];
		siginfo_t info = {.si_signo = (int)sig,
		                  .si_code = (int)(m.m[2] & 0xFFFFFFFF),
		                  .si_pid = (pid_t)(m.m[1] & 0xFFFFFFFF),
		                  .si_uid = (uid_t)(m.m[1] >> 32),
		                  .si_status = (int)(m.m[2] >> 32),
		                  .si_addr = (void *)m.m[3]};
		ucontext_t uc;
		memcpy(uc.uc_mcontext.__regs, regs, sizeof(uc.uc_mcontext.__regs));
		uc.uc_sigmask = restore;
		void (*fn)(int, siginfo_t *, void *) = acts[sig].fn;
		int flags = acts[sig].flags;
		if (flags & SA_RESETHAND) /* pm reset it as it gave it to us */
			acts[sig].fn = NULL, acts[sig].flags = 0, caught &= ~BIT(sig);
		handled++;
		if (!(flags & SA_RESTART))
			no_restart = true;
		if (fn && (flags & SA_SIGINFO))
			fn((int)sig, &info, &uc);
		else if (fn)
			((void (*)(int))(void (*)(void))fn)((int)sig);
		pm_sig(PM_SIGMASK, PM_SIG_SETMASK, restore, 0, 0, NULL);
	}
	dispatching--;
	if (swapped)
		mica_ipcbuf_set(buf);
	if (saved)
		memcpy(buf, saved, IPC_MAX);
	errno = saved_errno;
	mica_upcall_frame(UPCALL_RESUME, regs);
	mica_pm_exit(W_SIGNALED(SIGSEGV) | W_COREFLAG); /* resume refused the registers */
}

/* A call a signal may interrupt (TAG_INTR): after a handler without
 * SA_RESTART it fails with -EINTR, otherwise it is made again. A server
 * saying -EINTR (the console after SIGTTIN) counts as interrupted. */
long mica_call_intr(long slot, struct ipc_msg *m, unsigned long win)
{
	struct ipc_msg req = *m;
	for (;;) {
		if (no_restart) /* a store only when needed: after fork it copies a page */
			no_restart = false;
		m->tag |= TAG_INTR;
		long r = mica_call_window(slot, m, win);
		bool intr = r == -EINTR || (r == 0 && PROTO_RESULT(m->tag) == -EINTR);
		if (!intr)
			return r;
		if (no_restart)
			return r == -EINTR ? r : 0;
		*m = req;
	}
}

/* Sleeps until the deadline; -EINTR once a handler ran meanwhile. */
long mica_sleep_intr(long usec)
{
	long end = mica_time() + usec, left = usec;
	unsigned seen = handled;
	while (left > 0) {
		long r = mica_sleep(left);
		if (r == -EINTR && handled != seen)
			return -EINTR;
		left = end - mica_time();
	}
	return 0;
}

unsigned mica_sig_handled(void)
{
	return handled;
}

static bool is_signal(int sig)
{
	return sig > 0 && sig < NSIG;
}

int sigaction(int sig, const struct sigaction *restrict act, struct sigaction *restrict old)
{
	if (!is_signal(sig) || ((sig == SIGKILL || sig == SIGSTOP) && act))
		return errno = EINVAL, -1;
	if (!dispositions_known && ask_dispositions() < 0)
		return errno = EAGAIN, -1;
	struct sigaction was = {.sa_mask = acts[sig].mask, .sa_flags = acts[sig].flags};
	was.sa_sigaction = acts[sig].fn;
	if (!(caught & BIT(sig)))
		was.sa_handler = (ignored & BIT(sig)) ? SIG_IGN : SIG_DFL, was.sa_flags = 0;
	if (act) {
		_sig_func_ptr h = act->sa_handler;
		int disp = h == SIG_DFL ? 0 : h == SIG_IGN ? 1 : 2;
		unsigned flags = (act->sa_flags & SA_NODEFER ? PM_SA_NODEFER : 0) |
		                 (act->sa_flags & SA_RESETHAND ? PM_SA_RESETHAND : 0) |
		                 (act->sa_flags & SA_NOCLDSTOP ? PM_SA_NOCLDSTOP : 0);
		struct ipc_msg m;
		if (disp == 2) { /* the handler is in place before pm may use it */
			acts[sig].fn = act->sa_sigaction;
			acts[sig].mask = act->sa_mask;
			acts[sig].flags = act->sa_flags;
		}
		long r = pm_sig(PM_SIGACTION, (unsigned long)sig, PM_SA_DISP(disp, flags),
		                act->sa_mask, (unsigned long)mica_upcall, &m);
		if (r < 0) {
			if (disp == 2)
				acts[sig].fn =
				    was.sa_handler == SIG_DFL || was.sa_handler == SIG_IGN
				        ? NULL
				        : was.sa_sigaction;
			return mica_fail(r);
		}
		ignored = m.m[0], caught = m.m[1];
		if (disp != 2)
			acts[sig].fn = NULL, acts[sig].flags = 0, acts[sig].mask = 0;
	}
	if (old)
		*old = was;
	return 0;
}

_sig_func_ptr signal(int sig, _sig_func_ptr handler)
{
	struct sigaction sa = {.sa_handler = handler, .sa_flags = SA_RESTART}, old;
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

/* abort ends the process with SIGABRT even if it is caught or ignored. */
void abort(void)
{
	signal(SIGABRT, SIG_DFL);
	pm_sig(PM_SIGMASK, PM_SIG_UNBLOCK, BIT(SIGABRT), 0, 0, NULL);
	raise(SIGABRT);
	mica_pm_exit(W_SIGNALED(SIGABRT) | W_COREFLAG); /* not reached while pm answers */
}

int sigprocmask(int how, const sigset_t *restrict set, sigset_t *restrict old)
{
	struct ipc_msg m;
	if (set && how != SIG_BLOCK && how != SIG_UNBLOCK && how != SIG_SETMASK)
		return errno = EINVAL, -1;
	long r =
	    pm_sig(PM_SIGMASK, set ? (unsigned long)how : PM_SIG_ASK, set ? *set : 0, 0, 0, &m);
	if (r < 0)
		return mica_fail(r);
	if (old)
		*old = m.m[0];
	return 0;
}

int pthread_sigmask(int how, const sigset_t *restrict set, sigset_t *restrict old)
{
	return sigprocmask(how, set, old) < 0 ? errno : 0;
}

int sigpending(sigset_t *set)
{
	struct ipc_msg m;
	long r = pm_sig(PM_SIGPENDING, 0, 0, 0, 0, &m);
	if (r < 0)
		return mica_fail(r);
	*set = m.m[0];
	return 0;
}

/* Waits (with mask, or the thread's own for pause) until a handler ran. */
static int suspend(const sigset_t *mask)
{
	unsigned seen = handled;
	do {
		struct ipc_msg m = {.tag = MAKE_TAG(PM_SIGSUSPEND, 0) | TAG_INTR,
		                    .m = {mask ? *mask : 0, mask ? 0 : 1}};
		long r = mica_call(SLOT_PM, &m);
		if (r == 0 && PROTO_RESULT(m.tag) < 0 && PROTO_RESULT(m.tag) != -EINTR)
			return mica_fail(PROTO_RESULT(m.tag));
	} while (handled == seen);
	pm_sig(PM_SIGMASK, PM_SIG_ENDSUSPEND, 0, 0, 0, NULL);
	return errno = EINTR, -1;
}

int pause(void)
{
	return suspend(NULL);
}

int sigsuspend(const sigset_t *mask)
{
	return suspend(mask);
}

/* ITIMER_REAL through pm's clock (100 ms resolution). */
int setitimer(int which, const struct itimerval *restrict nv, struct itimerval *restrict ov)
{
	struct ipc_msg m;
	if (which != ITIMER_REAL)
		return errno = EINVAL, -1;
	unsigned long v = nv ? (unsigned long)nv->it_value.tv_sec * 1000000 + nv->it_value.tv_usec
	                     : 0,
	              iv = nv ? (unsigned long)nv->it_interval.tv_sec * 1000000 +
	                            nv->it_interval.tv_usec
	                      : 0;
	if (nv && (nv->it_value.tv_usec < 0 || nv->it_value.tv_usec >= 1000000 ||
	           nv->it_interval.tv_usec < 0 || nv->it_interval.tv_usec >= 1000000))
		return errno = EINVAL, -1;
	long r = pm_sig(PM_ALARM, v, iv, 0, 0, &m);
	if (r < 0)
		return mica_fail(r);
	if (ov) {
		ov->it_value.tv_sec = (time_t)(m.m[0] / 1000000);
		ov->it_value.tv_usec = (suseconds_t)(m.m[0] % 1000000);
		ov->it_interval.tv_sec = (time_t)(m.m[1] / 1000000);
		ov->it_interval.tv_usec = (suseconds_t)(m.m[1] % 1000000);
	}
	return 0;
}

unsigned alarm(unsigned seconds)
{
	struct ipc_msg m;
	if (pm_sig(PM_ALARM, (unsigned long)seconds * 1000000, 0, 0, 0, &m) < 0)
		return 0;
	return (unsigned)((m.m[0] + 999999) / 1000000);
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
