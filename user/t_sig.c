/* t_sig: in-guest checks of signals: handlers (plain and SA_SIGINFO),
 * masks and pending sets, EINTR and SA_RESTART on blocking calls,
 * sigsuspend with a signal already pending, alarm and pause, SIGCHLD,
 * stop and continue as wait reports them, Linux's default actions
 * (terminate, core, ignore), SA_RESETHAND, SA_NODEFER, exec resetting
 * handlers, nanosleep's EINTR and SIGPIPE.
 * Prints "t_sig: NAME ok" or "FAILED: why", then the totals.
 * "t_sig execcheck" is the program exec'd by the exec check. */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <sys/mman.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/check.h"

static volatile sig_atomic_t hits, depth, maxdepth, last_sig;
static volatile int info_pid, info_code, info_status, info_signo;

static void on_sig(int sig)
{
	hits++;
	last_sig = sig;
}

static void on_info(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	hits++;
	info_signo = sig, info_pid = si->si_pid, info_code = si->si_code;
	info_status = si->si_status;
}

static int catch (int sig, void (*fn)(int), int flags)
{
	struct sigaction sa = {.sa_handler = fn, .sa_flags = flags};
	sigemptyset(&sa.sa_mask);
	return sigaction(sig, &sa, NULL);
}

static void reset(void)
{
	hits = depth = maxdepth = last_sig = 0;
	for (int s = 1; s < NSIG; s++)
		if (s != SIGKILL && s != SIGSTOP)
			signal(s, SIG_DFL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/* A child that sends sig to us after ms milliseconds, then writes one
 * byte to fd (if >= 0) after as long again; its pid. */
static pid_t poke(int sig, int ms, int fd)
{
	pid_t parent = getpid(), pid = fork();
	if (pid == 0) {
		usleep((useconds_t)ms * 1000);
		kill(parent, sig);
		if (fd >= 0) {
			usleep((useconds_t)ms * 1000);
			write(fd, "x", 1);
		}
		_exit(0);
	}
	return pid;
}

static int wait_status(pid_t pid, int opts)
{
	int st;
	pid_t r;
	while ((r = waitpid(pid, &st, opts)) < 0 && errno == EINTR)
		;
	return r == pid ? st : -1;
}

static int t_handler_runs_before_raise_returns(void)
{
	CHECK(catch (SIGUSR1, on_sig, 0) == 0, "sigaction: %s", strerror(errno));
	CHECK(raise(SIGUSR1) == 0, "raise");
	CHECK(hits == 1 && last_sig == SIGUSR1, "hits %d sig %d", (int)hits, (int)last_sig);
	struct sigaction old;
	CHECK(sigaction(SIGUSR1, NULL, &old) == 0 && old.sa_handler == on_sig, "old handler");
	return 0;
}

static int t_siginfo(void)
{
	struct sigaction sa = {.sa_sigaction = on_info, .sa_flags = SA_SIGINFO};
	sigemptyset(&sa.sa_mask);
	CHECK(sigaction(SIGUSR2, &sa, NULL) == 0, "sigaction");
	kill(getpid(), SIGUSR2);
	CHECK(hits == 1 && info_signo == SIGUSR2, "hits %d", (int)hits);
	CHECK(info_pid == getpid() && info_code == SI_USER, "pid %d code %d", info_pid, info_code);
	return 0;
}

static int t_mask_defers_and_pending_shows(void)
{
	sigset_t set, pend, old;
	catch (SIGUSR1, on_sig, 0);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	CHECK(sigprocmask(SIG_BLOCK, &set, &old) == 0, "block");
	raise(SIGUSR1);
	raise(SIGUSR1); /* standard signals do not queue: one delivery */
	CHECK(hits == 0, "ran while blocked");
	CHECK(sigpending(&pend) == 0 && sigismember(&pend, SIGUSR1), "not pending");
	CHECK(sigprocmask(SIG_SETMASK, &old, NULL) == 0, "unblock");
	CHECK(hits == 1, "after unblocking: %d deliveries", (int)hits);
	CHECK(sigpending(&pend) == 0 && !sigismember(&pend, SIGUSR1), "still pending");
	sigfillset(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);
	sigprocmask(SIG_SETMASK, NULL, &old);
	CHECK(!sigismember(&old, SIGKILL) && !sigismember(&old, SIGSTOP), "KILL/STOP blocked");
	return 0;
}

static int t_read_eintr_without_restart(void)
{
	int p[2];
	char c;
	CHECK(pipe(p) == 0, "pipe");
	catch (SIGUSR1, on_sig, 0);
	pid_t k = poke(SIGUSR1, 150, p[1]);
	ssize_t r = read(p[0], &c, 1);
	int e = errno;
	wait_status(k, 0);
	close(p[0]), close(p[1]);
	CHECK(r == -1 && e == EINTR && hits == 1, "read %zd errno %d hits %d", r, e, (int)hits);
	return 0;
}

static int t_read_restarts_with_sa_restart(void)
{
	int p[2];
	char c = 0;
	CHECK(pipe(p) == 0, "pipe");
	catch (SIGUSR1, on_sig, SA_RESTART);
	pid_t k = poke(SIGUSR1, 150, p[1]);
	ssize_t r = read(p[0], &c, 1);
	wait_status(k, 0);
	close(p[0]), close(p[1]);
	CHECK(r == 1 && c == 'x' && hits == 1, "read %zd c %d hits %d", r, c, (int)hits);
	return 0;
}

static int t_wait_eintr_and_restart(void)
{
	catch (SIGUSR1, on_sig, 0);
	pid_t parent = getpid(), c = fork();
	if (c == 0) {
		usleep(150000);
		kill(parent, SIGUSR1);
		usleep(150000);
		_exit(7);
	}
	int st;
	pid_t r = waitpid(c, &st, 0);
	int e = errno;
	CHECK(r == -1 && e == EINTR && hits == 1, "waitpid %d errno %d", (int)r, e);
	CHECK(waitpid(c, &st, 0) == c && WEXITSTATUS(st) == 7, "second wait");
	return 0;
}

static int t_sigsuspend_with_pending(void)
{
	sigset_t set, empty, now;
	catch (SIGUSR1, on_sig, 0);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	pid_t k = poke(SIGUSR1, 1, -1);
	wait_status(k, 0); /* now it is surely pending */
	CHECK(hits == 0, "ran while blocked");
	sigemptyset(&empty);
	int r = sigsuspend(&empty);
	CHECK(r == -1 && errno == EINTR && hits == 1, "sigsuspend %d errno %d hits %d", r, errno,
	      (int)hits);
	sigprocmask(SIG_SETMASK, NULL, &now);
	CHECK(sigismember(&now, SIGUSR1), "mask not restored after sigsuspend");
	return 0;
}

static int t_alarm_and_pause(void)
{
	struct timespec a, b;
	catch (SIGALRM, on_sig, 0);
	CHECK(alarm(5) == 0, "no alarm was set");
	CHECK(alarm(1) >= 4, "alarm did not report the old one");
	clock_gettime(CLOCK_MONOTONIC, &a);
	int r = pause();
	clock_gettime(CLOCK_MONOTONIC, &b);
	long ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
	CHECK(r == -1 && errno == EINTR && last_sig == SIGALRM, "pause %d", r);
	CHECK(ms >= 800 && ms < 1500, "alarm(1) came after %ld ms", ms);
	CHECK(alarm(0) == 0, "alarm left set");
	return 0;
}

static int t_sigchld_tells_the_parent(void)
{
	struct sigaction sa = {.sa_sigaction = on_info, .sa_flags = SA_SIGINFO};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
	pid_t c = fork();
	if (c == 0)
		_exit(3);
	int st = wait_status(c, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 3, "status %#x", st);
	CHECK(hits == 1 && info_signo == SIGCHLD && info_pid == c, "hits %d pid %d", (int)hits,
	      info_pid);
	CHECK(info_code == CLD_EXITED && info_status == 3, "code %d status %d", info_code,
	      info_status);
	return 0;
}

static char proc_state(pid_t pid)
{
	char path[32], line[128];
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	char st = '?';
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "State:\t", 7))
			st = line[7];
	if (f)
		fclose(f);
	return st;
}

static int t_stop_and_continue(void)
{
	pid_t c = fork();
	if (c == 0) {
		for (;;)
			usleep(20000);
	}
	CHECK(kill(c, SIGSTOP) == 0, "kill STOP");
	int st = wait_status(c, WUNTRACED);
	CHECK(WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP, "status %#x", st);
	CHECK(proc_state(c) == 'T', "/proc state %c", proc_state(c));
	CHECK(kill(c, SIGCONT) == 0, "kill CONT");
	st = wait_status(c, WCONTINUED);
	CHECK(WIFCONTINUED(st), "status %#x after CONT", st);
	usleep(50000);
	CHECK(proc_state(c) == 'S' || proc_state(c) == 'R', "state %c", proc_state(c));
	kill(c, SIGTSTP);
	st = wait_status(c, WUNTRACED);
	CHECK(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTSTP, "TSTP status %#x", st);
	kill(c, SIGTERM); /* fatal by default: it ends a stopped process (as Linux) */
	st = wait_status(c, 0);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM, "end %#x", st);
	return 0;
}

static int died_of(void (*body)(void))
{
	pid_t c = fork();
	if (c == 0) {
		body();
		_exit(0);
	}
	return wait_status(c, 0);
}

static volatile int *volatile nowhere = (int *)16;
static void segv(void)
{
	*nowhere = 1;
}
static void quit(void)
{
	raise(SIGQUIT);
}
static void term(void)
{
	raise(SIGTERM);
}
static void winch(void)
{
	raise(SIGWINCH);
	raise(SIGURG);
	_exit(5);
}

static int t_default_actions(void)
{
	int st = died_of(segv);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV && WCOREDUMP(st), "segv %#x", st);
	st = died_of(quit);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGQUIT && WCOREDUMP(st), "quit %#x", st);
	st = died_of(term);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM && !WCOREDUMP(st), "term %#x", st);
	st = died_of(winch);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 5, "winch/urg are ignored: %#x", st);
	return 0;
}

static void twice(void)
{
	catch (SIGUSR1, on_sig, SA_RESETHAND);
	raise(SIGUSR1);
	if (hits != 1)
		_exit(2);
	struct sigaction old;
	sigaction(SIGUSR1, NULL, &old);
	if (old.sa_handler != SIG_DFL)
		_exit(3);
	raise(SIGUSR1); /* the default now: terminate */
	_exit(4);
}

static int t_resethand(void)
{
	int st = died_of(twice);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGUSR1, "status %#x", st);
	return 0;
}

static void nested(int sig)
{
	depth++;
	if (depth > maxdepth)
		maxdepth = depth;
	if (hits++ == 0)
		raise(sig);
	depth--;
}

static int t_nodefer(void)
{
	catch (SIGUSR1, nested, 0);
	raise(SIGUSR1);
	CHECK(hits == 2 && maxdepth == 1, "deferred: hits %d depth %d", (int)hits, (int)maxdepth);
	hits = maxdepth = 0;
	catch (SIGUSR1, nested, SA_NODEFER);
	raise(SIGUSR1);
	CHECK(hits == 2 && maxdepth == 2, "nodefer: hits %d depth %d", (int)hits, (int)maxdepth);
	return 0;
}

static int t_ignore(void)
{
	CHECK(signal(SIGUSR2, SIG_IGN) != SIG_ERR, "signal");
	raise(SIGUSR2);
	struct sigaction old;
	CHECK(sigaction(SIGUSR2, NULL, &old) == 0 && old.sa_handler == SIG_IGN, "old");
	CHECK(sigaction(SIGKILL, &old, NULL) == -1 && errno == EINVAL, "SIGKILL ignorable");
	return 0;
}

static int t_exec_resets_handlers(void)
{
	catch (SIGUSR1, on_sig, 0);
	signal(SIGUSR2, SIG_IGN);
	pid_t c = fork();
	if (c == 0) {
		execl("/bin/t_sig", "t_sig", "execcheck", (char *)NULL);
		_exit(99);
	}
	int st = wait_status(c, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "execcheck said %#x", st);
	return 0;
}

static int exec_check(void)
{
	struct sigaction a, b;
	sigaction(SIGUSR1, NULL, &a);
	sigaction(SIGUSR2, NULL, &b);
	return a.sa_handler == SIG_DFL && b.sa_handler == SIG_IGN ? 0 : 1;
}

static int t_nanosleep_eintr(void)
{
	catch (SIGUSR1, on_sig, SA_RESTART); /* sleeps end anyway */
	pid_t k = poke(SIGUSR1, 150, -1);
	struct timespec req = {2, 0}, rem = {0, 0};
	int r = nanosleep(&req, &rem);
	int e = errno;
	wait_status(k, 0);
	CHECK(r == -1 && e == EINTR && hits == 1, "nanosleep %d errno %d", r, e);
	CHECK(rem.tv_sec >= 1 && rem.tv_sec <= 2, "remaining %ld s", (long)rem.tv_sec);
	return 0;
}

static int t_sigpipe(void)
{
	int p[2];
	CHECK(pipe(p) == 0, "pipe");
	close(p[0]);
	catch (SIGPIPE, on_sig, 0);
	ssize_t r = write(p[1], "x", 1);
	int e = errno;
	close(p[1]);
	CHECK(r == -1 && e == EPIPE && hits == 1 && last_sig == SIGPIPE,
	      "write %zd errno %d hits %d", r, e, (int)hits);
	return 0;
}

static void blocked_default(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	raise(SIGTERM);
	write(1, "", 0);
	sigprocmask(SIG_UNBLOCK, &set, NULL); /* dies here */
	_exit(6);
}

static int t_blocked_default_waits(void)
{
	int st = died_of(blocked_default);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM, "status %#x", st);
	return 0;
}

/* A session leader's end hangs up its session: a process left in it
 * gets SIGHUP (and SIGCONT). */
static int t_hangup(void)
{
	int p[2];
	char c = 0;
	CHECK(pipe(p) == 0, "pipe");
	pid_t leader = fork();
	if (leader == 0) {
		close(p[0]);
		if (setsid() < 0)
			_exit(1);
		pid_t member = fork();
		if (member == 0) {
			catch (SIGHUP, on_sig, 0);
			write(p[1], "r", 1);
			while (!hits)
				pause();
			write(p[1], "H", 1);
			_exit(0);
		}
		read(p[0], &c, 0);
		usleep(100000); /* the member is waiting */
		_exit(0);
	}
	close(p[1]);
	CHECK(read(p[0], &c, 1) == 1 && c == 'r', "member did not start");
	CHECK(WIFEXITED(wait_status(leader, 0)), "leader");
	CHECK(read(p[0], &c, 1) == 1 && c == 'H', "no SIGHUP reached the session (%d)", c);
	close(p[0]);
	return 0;
}

/* A new window size sends SIGWINCH to the terminal's foreground group. */
static int t_winch(void)
{
	struct winsize ws, big;
	CHECK(isatty(0) && tcgetpgrp(0) == getpgrp(), "run it in the terminal's foreground");
	catch (SIGWINCH, on_sig, 0);
	CHECK(ioctl(0, TIOCGWINSZ, &ws) == 0, "TIOCGWINSZ");
	big = ws;
	big.ws_row = (unsigned short)(ws.ws_row == 50 ? 51 : 50);
	CHECK(ioctl(0, TIOCSWINSZ, &big) == 0, "TIOCSWINSZ");
	usleep(50000);
	ioctl(0, TIOCSWINSZ, &ws);
	CHECK(hits >= 1 && last_sig == SIGWINCH, "hits %d", (int)hits);
	return 0;
}

static volatile pid_t handled_by;
static volatile int worker_ready, worker_done;

static void on_tid(int sig)
{
	hits++;
	last_sig = sig;
	handled_by = gettid();
}

/* Starts with the creator's mask (USR1 blocked), opens USR1, waits. */
static void *worker(void *arg)
{
	sigset_t m, now;
	pthread_sigmask(SIG_SETMASK, NULL, &now);
	*(int *)arg = sigismember(&now, SIGUSR1);
	sigemptyset(&m);
	sigaddset(&m, SIGUSR1);
	pthread_sigmask(SIG_UNBLOCK, &m, NULL);
	worker_ready = 1;
	while (!worker_done)
		usleep(10000);
	return NULL;
}

/* A signal for the process goes to a thread that does not block it; a
 * thread starts with its creator's mask; pthread_kill picks the thread. */
static int t_threads(void)
{
	sigset_t m;
	int inherited = -1;
	pthread_t w;
	catch (SIGUSR1, on_tid, 0);
	catch (SIGUSR2, on_tid, 0);
	sigemptyset(&m);
	sigaddset(&m, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &m, NULL);
	worker_ready = worker_done = 0;
	CHECK(pthread_create(&w, NULL, worker, &inherited) == 0, "pthread_create");
	while (!worker_ready)
		usleep(5000);
	pid_t wtid = pthread_gettid_np(w), me = gettid();
	kill(getpid(), SIGUSR1);
	for (int i = 0; i < 100 && !hits; i++)
		usleep(10000);
	int first = (int)hits;
	pid_t by = handled_by;
	handled_by = 0;
	int r = pthread_kill(w, SIGUSR2);
	for (int i = 0; i < 100 && hits < 2; i++)
		usleep(10000);
	pid_t by2 = handled_by;
	handled_by = 0;
	int r2 = pthread_kill(pthread_self(), SIGUSR2); /* handled before it returns */
	pid_t by3 = handled_by;
	worker_done = 1;
	pthread_join(w, NULL);
	CHECK(inherited == 1, "the new thread did not start with USR1 blocked");
	CHECK(first == 1 && by == wtid && wtid != me, "USR1 ran in %d (worker %d, main %d)",
	      (int)by, (int)wtid, (int)me);
	CHECK(r == 0 && by2 == wtid, "pthread_kill(worker): %d, ran in %d", r, (int)by2);
	CHECK(r2 == 0 && by3 == me, "pthread_kill(self): %d, ran in %d", r2, (int)by3);
	CHECK(pthread_kill(w, SIGUSR2) == ESRCH, "pthread_kill of a joined thread");
	return 0;
}

static sigjmp_buf jump;
static void *volatile fault_addr;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	hits++;
	info_signo = sig, info_code = si->si_code;
	fault_addr = si->si_addr;
	siglongjmp(jump, 1);
}

/* A fault caught: SIGSEGV's handler learns the address and whether
 * nothing was there (SEGV_MAPERR) or it was not allowed (SEGV_ACCERR),
 * and siglongjmp leaves it with the mask sigsetjmp saved. */
static int t_segv_handler(void)
{
	struct sigaction sa = {.sa_sigaction = on_segv, .sa_flags = SA_SIGINFO};
	sigset_t now;
	sigemptyset(&sa.sa_mask);
	CHECK(sigaction(SIGSEGV, &sa, NULL) == 0, "sigaction");
	if (sigsetjmp(jump, 1) == 0)
		*nowhere = 1;
	CHECK(hits == 1 && info_signo == SIGSEGV && info_code == 1, "hits %d code %d", (int)hits,
	      info_code);
	CHECK(fault_addr == (void *)nowhere, "si_addr %p", fault_addr);
	sigprocmask(SIG_SETMASK, NULL, &now);
	CHECK(!sigismember(&now, SIGSEGV), "SIGSEGV still blocked after siglongjmp");
	char *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED, "mmap");
	if (sigsetjmp(jump, 1) == 0)
		p[10] = 1; /* read-only */
	CHECK(hits == 2 && info_code == 2 && fault_addr == p + 10, "hits %d code %d addr %p",
	      (int)hits, info_code, fault_addr);
	munmap(p, 4096);
	signal(SIGSEGV, SIG_DFL);
	int st = died_of(segv); /* and back to the default */
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV && WCOREDUMP(st), "default %#x", st);
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(void);
} tests[] = {
    {"handler", t_handler_runs_before_raise_returns},
    {"siginfo", t_siginfo},
    {"mask", t_mask_defers_and_pending_shows},
    {"eintr", t_read_eintr_without_restart},
    {"restart", t_read_restarts_with_sa_restart},
    {"wait-eintr", t_wait_eintr_and_restart},
    {"sigsuspend", t_sigsuspend_with_pending},
    {"alarm", t_alarm_and_pause},
    {"sigchld", t_sigchld_tells_the_parent},
    {"stop-cont", t_stop_and_continue},
    {"defaults", t_default_actions},
    {"resethand", t_resethand},
    {"nodefer", t_nodefer},
    {"ignore", t_ignore},
    {"exec", t_exec_resets_handlers},
    {"nanosleep", t_nanosleep_eintr},
    {"sigpipe", t_sigpipe},
    {"blocked-default", t_blocked_default_waits},
    {"hangup", t_hangup},
    {"winch", t_winch},
    {"threads", t_threads},
    {"segv-handler", t_segv_handler},
};

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "execcheck"))
		return exec_check();
	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		if (argc > 1 && strcmp(argv[1], tests[i].name))
			continue;
		reset();
		check_run("t_sig", tests[i].name, tests[i].fn);
	}
	reset();
	printf("t_sig: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
