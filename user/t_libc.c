/* t_libc: the C runtime's POSIX surface checked from inside the guest:
 * signal numbers and dispositions (through pm), strerror texts, termios
 * and window size on the console, uname, sysconf and pathconf, the user
 * and group databases, syslog, rlimits, and the picolibc pieces that
 * link (libgen, fnmatch, regex). Ends "t_libc: N passed, M failed". */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <grp.h>
#include <libgen.h>
#include <limits.h>
#include <pwd.h>
#include <regex.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <syslog.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "lib/check.h"

#define STR(call, want)                                                                            \
	do {                                                                                       \
		const char *s_ = (call);                                                           \
		if (!s_ || strcmp(s_, (want)))                                                     \
			return fail("%s: got \"%s\", want \"%s\"", #call, s_ ? s_ : "(null)",      \
			            (want));                                                       \
	} while (0)

/* --- children ------------------------------------------------------------ */

/* A child that runs fn (which should end it) or else sleeps until killed;
 * its wait status after the parent's action, or -1. */
static int child_status(void (*fn)(void), int sig, int *status)
{
	pid_t pid = fork();
	if (pid < 0)
		return fail("fork: %s", strerror(errno));
	if (pid == 0) {
		if (fn)
			fn();
		for (;;)
			pause();
	}
	usleep(20000);
	if (sig && kill(pid, sig) < 0)
		return fail("kill(%d, %d): %s", pid, sig, strerror(errno));
	for (int t = 0; t < 500; t++) {
		pid_t r = waitpid(pid, status, WNOHANG);
		if (r == pid)
			return 0;
		if (r < 0)
			return fail("waitpid: %s", strerror(errno));
		if (t == 10 && sig && (sig == SIGCHLD || sig == SIGUSR1))
			break; /* still alive: the caller decides */
		usleep(10000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, status, 0);
	*status = -1; /* was alive */
	return 0;
}

static const char *describe(int st)
{
	static char buf[64];
	if (st == -1)
		return "still alive";
	if (WIFEXITED(st))
		snprintf(buf, sizeof(buf), "exited with status %d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(buf, sizeof(buf), "killed by signal %d", WTERMSIG(st));
	else
		snprintf(buf, sizeof(buf), "wait status %#x", st);
	return buf;
}

static int killed_by(int st, int sig)
{
	return st != -1 && WIFSIGNALED(st) && WTERMSIG(st) == sig;
}

/* --- signals ------------------------------------------------------------- */

static int t_signal_numbers(void)
{
	static const int want[][2] = {{SIGHUP, 1},   {SIGINT, 2},    {SIGQUIT, 3},  {SIGABRT, 6},
	                              {SIGKILL, 9},  {SIGUSR1, 10},  {SIGSEGV, 11}, {SIGUSR2, 12},
	                              {SIGPIPE, 13}, {SIGALRM, 14},  {SIGTERM, 15}, {SIGCHLD, 17},
	                              {SIGCONT, 18}, {SIGSTOP, 19},  {SIGTSTP, 20}, {SIGTTIN, 21},
	                              {SIGTTOU, 22}, {SIGWINCH, 28}, {NSIG, 65}};
	for (unsigned i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		CHECK(want[i][0] == want[i][1], "signal %u is %d, want %d", i, want[i][0],
		      want[i][1]);
	return 0;
}

static int t_sigchld_does_not_kill(void)
{
	int st;
	if (child_status(NULL, SIGCHLD, &st) < 0)
		return -1;
	CHECK(st == -1, "kill(child, SIGCHLD): %s, want alive", describe(st));
	return 0;
}

static int t_sigterm_status(void)
{
	int st;
	if (child_status(NULL, SIGTERM, &st) < 0)
		return -1;
	CHECK(killed_by(st, 15), "kill(child, SIGTERM): %s, want signal 15", describe(st));
	return 0;
}

static void do_abort(void)
{
	abort();
}

static void do_abort_ignored(void)
{
	signal(SIGABRT, SIG_IGN);
	abort();
}

static void do_raise_usr2(void)
{
	raise(SIGUSR2);
}

static int t_abort_and_raise(void)
{
	int st;
	if (child_status(do_abort, 0, &st) < 0)
		return -1;
	CHECK(killed_by(st, SIGABRT), "abort(): %s, want signal 6", describe(st));
	if (child_status(do_abort_ignored, 0, &st) < 0)
		return -1;
	CHECK(killed_by(st, SIGABRT), "abort() with SIGABRT ignored: %s", describe(st));
	if (child_status(do_raise_usr2, 0, &st) < 0)
		return -1;
	CHECK(killed_by(st, SIGUSR2), "raise(SIGUSR2): %s, want signal 12", describe(st));
	return 0;
}

static void ignore_usr1(void)
{
	signal(SIGUSR1, SIG_IGN);
}

static int t_sig_ign_is_honoured(void)
{
	int st;
	if (child_status(ignore_usr1, SIGUSR1, &st) < 0)
		return -1;
	CHECK(st == -1, "SIGUSR1 ignored: %s, want alive", describe(st));
	if (child_status(NULL, SIGUSR1, &st) < 0)
		return -1;
	CHECK(killed_by(st, SIGUSR1), "SIGUSR1 by default: %s", describe(st));
	/* and back to the default */
	CHECK(signal(SIGUSR1, SIG_IGN) == SIG_DFL, "first disposition not SIG_DFL");
	CHECK(signal(SIGUSR1, SIG_DFL) == SIG_IGN, "SIG_IGN not reported back");
	return 0;
}

static void on_signal(int sig)
{
	(void)sig;
}

static int t_sigaction_arguments(void)
{
	struct sigaction sa = {.sa_handler = on_signal, .sa_flags = SA_RESTART}, old;
	OK(sigaction(SIGINT, &sa, NULL));
	OK(sigaction(SIGINT, NULL, &old));
	CHECK(old.sa_handler == on_signal && (old.sa_flags & SA_RESTART), "SIGINT's handler");
	CHECK(signal(SIGTERM, on_signal) == SIG_DFL, "signal(handler): %s", strerror(errno));
	CHECK(signal(SIGTERM, SIG_DFL) == on_signal, "signal gave the handler back");
	sa.sa_handler = SIG_IGN;
	ERR(sigaction(SIGKILL, &sa, NULL), EINVAL);
	ERR(sigaction(SIGSTOP, &sa, NULL), EINVAL);
	ERR(sigaction(0, &sa, NULL), EINVAL);
	ERR(sigaction(65, &sa, NULL), EINVAL);
	sa.sa_handler = SIG_DFL;
	OK(sigaction(SIGINT, &sa, NULL));
	OK(sigaction(SIGINT, NULL, &old));
	CHECK(old.sa_handler == SIG_DFL, "SIGINT not SIG_DFL");
	return 0;
}

static int t_sigprocmask(void)
{
	sigset_t s, old;
	sigemptyset(&s);
	sigaddset(&s, SIGCHLD);
	OK(sigprocmask(SIG_BLOCK, &s, &old));
	OK(sigprocmask(SIG_BLOCK, NULL, &old));
	CHECK(sigismember(&old, SIGCHLD) == 1, "SIGCHLD not in the mask");
	sigaddset(&s, SIGINT);
	sigaddset(&s, SIGKILL);
	OK(sigprocmask(SIG_BLOCK, &s, NULL));
	OK(sigprocmask(SIG_SETMASK, NULL, &old));
	CHECK(sigismember(&old, SIGINT), "SIGINT not blocked");
	CHECK(!sigismember(&old, SIGKILL), "SIGKILL blocked");
	sigemptyset(&s);
	OK(sigprocmask(SIG_SETMASK, &s, NULL));
	ERR(sigprocmask(99, &s, NULL), EINVAL);
	return 0;
}

static int t_sigset_ops(void)
{
	sigset_t s;
	OK(sigemptyset(&s));
	for (int sig = 1; sig < NSIG; sig++)
		CHECK(sigismember(&s, sig) == 0, "empty set has %d", sig);
	OK(sigaddset(&s, SIGRTMAX));
	OK(sigaddset(&s, SIGHUP));
	IS(sigismember(&s, SIGRTMAX), 1);
	IS(sigismember(&s, SIGHUP), 1);
	IS(sigismember(&s, SIGINT), 0);
	OK(sigdelset(&s, SIGHUP));
	IS(sigismember(&s, SIGHUP), 0);
	ERR(sigaddset(&s, 0), EINVAL);
	ERR(sigaddset(&s, NSIG), EINVAL);
	OK(sigfillset(&s));
	IS(sigismember(&s, SIGKILL), 1);
	IS(sigismember(&s, 64), 1);
	return 0;
}

/* --- messages ------------------------------------------------------------ */

static int t_strerror_texts(void)
{
	STR(strerror(EPERM), "Operation not permitted");
	STR(strerror(ENOENT), "No such file or directory");
	STR(strerror(ENOSYS), "Function not implemented");
	STR(strerror(ENAMETOOLONG), "File name too long");
	STR(strerror(ENOTTY), "Inappropriate ioctl for device");
	STR(strerror(ELOOP), "Too many levels of symbolic links");
	STR(strerror(0), "Success");
	STR(strerror(12345), "Unknown error 12345");
	char buf[64];
	IS(strerror_r(EACCES, buf, sizeof(buf)), 0);
	STR(buf, "Permission denied");
	IS(strerror_r(EACCES, buf, 4), ERANGE);
	STR(strsignal(SIGSEGV), "Segmentation fault");
	STR(strsignal(SIGCHLD), "Child exited");
	return 0;
}

/* --- the terminal -------------------------------------------------------- */

#define MODE_BITS (ICANON | ECHO | ISIG)

static int t_termios_raw_round_trip(void)
{
	struct termios t, saved, now;
	CHECK(isatty(0), "stdin is not the console");
	OK(tcgetattr(0, &saved));
	CHECK((saved.c_lflag & MODE_BITS) == MODE_BITS, "cooked console lflag %#o", saved.c_lflag);
	CHECK(saved.c_cc[VINTR] == 3 && saved.c_cc[VEOF] == 4 && saved.c_cc[VERASE] == 0x7f,
	      "c_cc");
	t = saved;
	cfmakeraw(&t);
	OK(tcsetattr(0, TCSANOW, &t));
	OK(tcgetattr(0, &now));
	int raw_bits = now.c_lflag & MODE_BITS;
	t = saved;
	t.c_lflag &= ~(tcflag_t)ECHO; /* echo alone off */
	OK(tcsetattr(0, TCSADRAIN, &t));
	OK(tcgetattr(0, &now));
	int noecho_bits = now.c_lflag & MODE_BITS;
	OK(tcsetattr(0, TCSAFLUSH, &saved));
	OK(tcgetattr(0, &now));
	CHECK(raw_bits == 0, "after cfmakeraw lflag has %#o", raw_bits);
	CHECK(noecho_bits == (ICANON | ISIG), "echo off: lflag %#o", noecho_bits);
	CHECK((now.c_lflag & MODE_BITS) == MODE_BITS, "not cooked again: %#o", now.c_lflag);
	ERR(tcsetattr(0, 42, &saved), EINVAL);
	CHECK(cfgetospeed(&now) == B115200, "speed %u", cfgetospeed(&now));
	return 0;
}

static int t_not_a_tty(void)
{
	struct termios t;
	struct winsize ws;
	int fd = open("/etc/passwd", O_RDONLY);
	OK(fd);
	ERR(tcgetattr(fd, &t), ENOTTY);
	ERR(tcsetattr(fd, TCSANOW, &t), ENOTTY);
	ERR(ioctl(fd, TIOCGWINSZ, &ws), ENOTTY);
	CHECK(!isatty(fd), "a file is a tty");
	close(fd);
	fd = open("/dev/null", O_RDWR);
	OK(fd);
	ERR(tcgetattr(fd, &t), ENOTTY);
	close(fd);
	ERR(tcgetattr(99, &t), EBADF);
	return 0;
}

static int t_winsize(void)
{
	struct winsize ws, set = {.ws_row = 50, .ws_col = 132}, now;
	OK(ioctl(1, TIOCGWINSZ, &ws));
	CHECK(ws.ws_row > 0 && ws.ws_col > 0, "window %ux%u", ws.ws_row, ws.ws_col);
	OK(ioctl(1, TIOCSWINSZ, &set));
	OK(ioctl(0, TIOCGWINSZ, &now));
	OK(ioctl(1, TIOCSWINSZ, &ws));
	CHECK(now.ws_row == 50 && now.ws_col == 132, "set 50x132, read %ux%u", now.ws_row,
	      now.ws_col);
	set.ws_row = 0;
	ERR(ioctl(1, TIOCSWINSZ, &set), EINVAL);
	int n;
	OK(ioctl(0, FIONREAD, &n));
	CHECK(n >= 0, "FIONREAD %d", n);
	return 0;
}

/* --- the system ---------------------------------------------------------- */

static int t_uname(void)
{
	struct utsname u;
	char host[HOST_NAME_MAX + 1];
	OK(uname(&u));
	STR(u.sysname, "Mica");
	STR(u.nodename, "mica");
	STR(u.release, "0.1");
	STR(u.machine, "riscv64");
	CHECK(u.version[0] == '#', "version \"%s\"", u.version);
	OK(gethostname(host, sizeof(host)));
	STR(host, "mica");
	ERR(gethostname(host, 2), ENAMETOOLONG);
	return 0;
}

static int t_sysconf(void)
{
	IS(sysconf(_SC_PAGESIZE), 4096);
	IS(sysconf(_SC_PAGE_SIZE), 4096);
	IS(getpagesize(), 4096);
	IS(sysconf(_SC_CLK_TCK), CLK_TCK); /* the unit of times(), picolibc's CLK_TCK */
	IS(sysconf(_SC_ARG_MAX), 131072);
	IS(sysconf(_SC_NPROCESSORS_ONLN), 1);
	IS(sysconf(_SC_NPROCESSORS_CONF), 1);
	IS(sysconf(_SC_HOST_NAME_MAX), HOST_NAME_MAX);
	IS(sysconf(_SC_LINE_MAX), LINE_MAX);
	CHECK(sysconf(_SC_OPEN_MAX) >= 32, "_SC_OPEN_MAX %ld", sysconf(_SC_OPEN_MAX));
	CHECK(sysconf(_SC_CHILD_MAX) > 0, "_SC_CHILD_MAX");
	long phys = sysconf(_SC_PHYS_PAGES), avail = sysconf(_SC_AVPHYS_PAGES);
	CHECK(phys >= 16384 && avail > 0 && avail < phys, "pages %ld, available %ld", phys, avail);
	ERR(sysconf(-5), EINVAL);
	IS(pathconf("/", _PC_NAME_MAX), 255);
	IS(pathconf("/tmp", _PC_PATH_MAX), 4096);
	IS(pathconf("/", _PC_PIPE_BUF), 4096);
	CHECK(pathconf("/", _PC_LINK_MAX) > 0, "_PC_LINK_MAX");
	IS(fpathconf(0, _PC_NAME_MAX), 255);
	ERR(pathconf("/nope", _PC_NAME_MAX), ENOENT);
	ERR(fpathconf(99, _PC_NAME_MAX), EBADF);
	CHECK(PATH_MAX == 4096 && NAME_MAX == 255 && ARG_MAX == 131072 && PIPE_BUF == 4096,
	      "limits.h");
	CHECK(SSIZE_MAX == LONG_MAX && _POSIX_ARG_MAX == 4096 && _POSIX_VERSION >= 200112L,
	      "limits.h and unistd.h POSIX constants");
	return 0;
}

static int t_rlimits(void)
{
	struct rlimit rl, big;
	struct rusage ru;
	OK(getrlimit(RLIMIT_NOFILE, &rl));
	CHECK((long)rl.rlim_cur == sysconf(_SC_OPEN_MAX), "RLIMIT_NOFILE %lu", rl.rlim_cur);
	OK(setrlimit(RLIMIT_NOFILE, &rl));
	big = (struct rlimit){rl.rlim_cur + 1, rl.rlim_max + 1};
	ERR(setrlimit(RLIMIT_NOFILE, &big), EPERM);
	OK(getrlimit(RLIMIT_STACK, &rl));
	CHECK(rl.rlim_cur >= 65536, "RLIMIT_STACK %lu", rl.rlim_cur);
	OK(getrlimit(RLIMIT_AS, &rl));
	CHECK(rl.rlim_cur == RLIM_INFINITY, "RLIMIT_AS");
	ERR(getrlimit(99, &rl), EINVAL);
	OK(getrusage(RUSAGE_SELF, &ru));
	CHECK(ru.ru_utime.tv_sec >= 0 && ru.ru_utime.tv_usec < 1000000, "getrusage");
	return 0;
}

/* --- users and groups ---------------------------------------------------- */

static int t_passwd(void)
{
	struct passwd *pw = getpwnam("root"), res, *out;
	CHECK(pw && pw->pw_uid == 0 && pw->pw_gid == 0, "getpwnam(root)");
	STR(pw->pw_shell, "/bin/sh");
	pw = getpwuid(0);
	CHECK(pw, "getpwuid(0)");
	STR(pw->pw_name, "root");
	pw = getpwnam("user");
	CHECK(pw && pw->pw_uid == 1000, "getpwnam(user)");
	errno = 0;
	CHECK(!getpwnam("nobody-here") && errno == 0, "an unknown user");
	CHECK(!getpwuid(4242), "an unknown uid");
	char buf[256], tiny[4];
	IS(getpwnam_r("user", &res, buf, sizeof(buf), &out), 0);
	CHECK(out == &res && res.pw_uid == 1000, "getpwnam_r");
	IS(getpwuid_r(0, &res, tiny, sizeof(tiny), &out), ERANGE);
	IS(getpwuid_r(4242, &res, buf, sizeof(buf), &out), 0);
	CHECK(!out, "getpwuid_r of an unknown uid");
	int n = 0;
	setpwent();
	while ((pw = getpwent()))
		n++;
	endpwent();
	CHECK(n >= 2, "getpwent saw %d users", n);
	CHECK(getlogin() != NULL, "getlogin: %s", strerror(errno));
	return 0;
}

static int t_group(void)
{
	struct group *gr = getgrgid(0), res, *out;
	CHECK(gr, "getgrgid(0)");
	STR(gr->gr_name, "root");
	gr = getgrnam("user");
	CHECK(gr && gr->gr_gid == 1000, "getgrnam(user)");
	CHECK(!getgrnam("nogroup-here"), "an unknown group");
	char buf[256];
	IS(getgrgid_r(1000, &res, buf, sizeof(buf), &out), 0);
	CHECK(out && !strcmp(res.gr_name, "user"), "getgrgid_r");
	int n = 0;
	setgrent();
	while (getgrent())
		n++;
	endgrent();
	CHECK(n >= 2, "getgrent saw %d groups", n);
	return 0;
}

/* The scenario looks for these on the console. */
static int t_syslog(void)
{
	openlog("t_libc", LOG_PID, LOG_USER);
	syslog(LOG_NOTICE, "syslog says %d to the console", 42);
	IS(setlogmask(LOG_UPTO(LOG_INFO)), 0xff);
	syslog(LOG_DEBUG, "this debug line is masked");
	errno = ENOENT;
	syslog(LOG_ERR, "and %%m reads: %m");
	closelog();
	return 0;
}

static int t_picolibc_pieces(void)
{
	char a[] = "/usr/lib/libc.a", b[] = "/usr/lib/libc.a";
	STR(basename(a), "libc.a");
	STR(dirname(b), "/usr/lib");
	IS(fnmatch("*.c", "t_libc.c", 0), 0);
	IS(fnmatch("*.c", "t_libc.h", 0), FNM_NOMATCH);
	regex_t re;
	IS(regcomp(&re, "^a[0-9]+b$", REG_EXTENDED | REG_NOSUB), 0);
	IS(regexec(&re, "a123b", 0, NULL, 0), 0);
	IS(regexec(&re, "a12xb", 0, NULL, 0), REG_NOMATCH);
	regfree(&re);
	return 0;
}

static void run(const char *name, int (*fn)(void))
{
	check_run("t_libc", name, fn);
}

int main(void)
{
	static const struct {
		const char *name;
		int (*fn)(void);
	} checks[] = {
	    {"signal_numbers", t_signal_numbers},
	    {"sigchld_does_not_kill", t_sigchld_does_not_kill},
	    {"sigterm_status", t_sigterm_status},
	    {"abort_and_raise", t_abort_and_raise},
	    {"sig_ign_is_honoured", t_sig_ign_is_honoured},
	    {"sigaction_arguments", t_sigaction_arguments},
	    {"sigprocmask", t_sigprocmask},
	    {"sigset_ops", t_sigset_ops},
	    {"strerror_texts", t_strerror_texts},
	    {"termios_raw_round_trip", t_termios_raw_round_trip},
	    {"not_a_tty", t_not_a_tty},
	    {"winsize", t_winsize},
	    {"uname", t_uname},
	    {"sysconf", t_sysconf},
	    {"rlimits", t_rlimits},
	    {"passwd", t_passwd},
	    {"group", t_group},
	    {"syslog", t_syslog},
	    {"picolibc_pieces", t_picolibc_pieces},
	};
	for (unsigned i = 0; i < sizeof(checks) / sizeof(checks[0]); i++)
		run(checks[i].name, checks[i].fn);
	printf("t_libc: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
