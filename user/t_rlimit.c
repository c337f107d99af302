/* t_rlimit: resource limits and nice values checked from inside the
 * guest, each limit in a child of its own: getrlimit/setrlimit and who
 * may raise what, inheritance by fork and exec, and each limit enforced
 * with Linux's error or signal (RLIMIT_CPU SIGXCPU then SIGKILL,
 * RLIMIT_FSIZE EFBIG and SIGXFSZ, RLIMIT_NOFILE EMFILE, RLIMIT_NPROC
 * EAGAIN, RLIMIT_STACK SIGSEGV, RLIMIT_AS and RLIMIT_DATA ENOMEM; SIGXCPU
 * and SIGXFSZ ignored, caught, or left to their default action); then
 * getpriority/setpriority, nice and sched_yield. Ends "t_rlimit: N
 * passed, M failed". `t_rlimit recurse KIB` (used by the stack check)
 * recurses through KIB KiB of stack and exits 0. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/check.h"

#define KIB 1024ul
#define MIB (1024ul * 1024)

/* --- children ------------------------------------------------------------ */

/* Runs fn in a child (its result is the child's exit status: 0 passed)
 * and gives the child's wait status, or -1 if fork failed. */
static int in_child(int (*fn)(void), int *status)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		return fail("fork: %s", strerror(errno));
	if (pid == 0) {
		int r = fn();
		if (r && why[0])
			printf("t_rlimit: (child) %s\n", why);
		fflush(stdout);
		_exit(r ? 1 : 0);
	}
	if (waitpid(pid, status, 0) != pid)
		return fail("waitpid: %s", strerror(errno));
	return 0;
}

static const char *describe(int st)
{
	static char buf[64];
	if (WIFEXITED(st))
		snprintf(buf, sizeof(buf), "exited with status %d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(buf, sizeof(buf), "killed by signal %d", WTERMSIG(st));
	else
		snprintf(buf, sizeof(buf), "status %#x", st);
	return buf;
}

/* The child's checks passed (it exited 0). */
static int child_passes(int (*fn)(void))
{
	int st;
	if (in_child(fn, &st))
		return -1;
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the child %s", describe(st));
	return 0;
}

/* The child died of sig. */
static int child_dies_of(int (*fn)(void), int sig)
{
	int st;
	if (in_child(fn, &st))
		return -1;
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == sig, "the child %s, want signal %d", describe(st),
	      sig);
	return 0;
}

static int set(int res, rlim_t cur, rlim_t max)
{
	struct rlimit rl = {cur, max};
	return setrlimit(res, &rl);
}

/* CPU time of the children waited for, in seconds. */
static double children_seconds(void)
{
	struct tms t;
	times(&t);
	return (double)t.tms_cutime / (double)CLK_TCK;
}

/* --- getting and setting ------------------------------------------------- */

static int t_defaults(void)
{
	struct rlimit rl;
	OK(getrlimit(RLIMIT_STACK, &rl));
	CHECK(rl.rlim_cur == 8 * MIB && rl.rlim_max == RLIM_INFINITY, "RLIMIT_STACK %lu/%lu",
	      rl.rlim_cur, rl.rlim_max);
	OK(getrlimit(RLIMIT_NOFILE, &rl));
	CHECK(rl.rlim_cur == 256 && rl.rlim_max == 256, "RLIMIT_NOFILE %lu/%lu", rl.rlim_cur,
	      rl.rlim_max);
	OK(getrlimit(RLIMIT_CPU, &rl));
	CHECK(rl.rlim_cur == RLIM_INFINITY && rl.rlim_max == RLIM_INFINITY, "RLIMIT_CPU");
	OK(getrlimit(RLIMIT_CORE, &rl));
	CHECK(rl.rlim_cur == 0, "RLIMIT_CORE %lu", rl.rlim_cur);
	ERR(getrlimit(RLIM_NLIMITS, &rl), EINVAL);
	ERR(getrlimit(-1, &rl), EINVAL);
	return 0;
}

static int set_as_user(void)
{
	struct rlimit rl;
	OK(set(RLIMIT_FSIZE, 1000, 2000));
	OK(setuid(1000));
	ERR(set(RLIMIT_FSIZE, 1000, 3000), EPERM);
	ERR(set(RLIMIT_FSIZE, 3000, 2000), EINVAL);
	OK(set(RLIMIT_FSIZE, 2000, 2000)); /* the soft limit up to the hard one */
	OK(set(RLIMIT_FSIZE, 500, 1500));  /* the hard limit down */
	ERR(set(RLIMIT_FSIZE, 500, 2000), EPERM);
	OK(getrlimit(RLIMIT_FSIZE, &rl));
	CHECK(rl.rlim_cur == 500 && rl.rlim_max == 1500, "after the refusal: %lu/%lu", rl.rlim_cur,
	      rl.rlim_max);
	return 0;
}

static int set_as_root(void)
{
	OK(set(RLIMIT_FSIZE, 1000, 2000));
	OK(set(RLIMIT_FSIZE, 1000, RLIM_INFINITY)); /* root raises the hard limit */
	ERR(set(RLIMIT_NOFILE, 10, 257), EPERM);    /* past what fs holds */
	return 0;
}

static int t_who_may_set_what(void)
{
	return child_passes(set_as_user) || child_passes(set_as_root) ? -1 : 0;
}

/* fork passes the limits on and exec keeps them (/proc/N/limits shows
 * what fs was told). */
static int inherit(void)
{
	OK(set(RLIMIT_CPU, 100, 200));
	OK(set(RLIMIT_NOFILE, 40, 50));
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open("/tmp/t_rlimit.limits", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, 1);
		execl("/bin/cat", "cat", "/proc/self/limits", (char *)NULL);
		_exit(127);
	}
	int st;
	char text[2048] = "";
	CHECK(pid > 0 && waitpid(pid, &st, 0) == pid && st == 0, "cat /proc/self/limits");
	FILE *f = fopen("/tmp/t_rlimit.limits", "r");
	CHECK(f, "no output");
	text[fread(text, 1, sizeof(text) - 1, f)] = 0;
	fclose(f);
	unlink("/tmp/t_rlimit.limits");
	CHECK(strstr(text, "Max cpu time              100                  200                  "
	                   "seconds   \n"),
	      "the exec'd child's cpu limit: %s", text);
	CHECK(strstr(text, "Max open files            40                   50                   "
	                   "files     \n"),
	      "the exec'd child's open files: %s", text);
	return 0;
}

static int t_fork_and_exec_keep_them(void)
{
	return child_passes(inherit);
}

/* --- CPU time ------------------------------------------------------------ */

static int spin(void)
{
	for (volatile unsigned long i = 0;; i++)
		;
	return 1;
}

static int cpu_soft(void)
{
	OK(set(RLIMIT_CPU, 1, RLIM_INFINITY));
	return spin();
}

static int cpu_ignored(void)
{
	signal(SIGXCPU, SIG_IGN);
	OK(set(RLIMIT_CPU, 1, 2));
	return spin();
}

static int xcpu_pipe[2];

static void on_xcpu(int sig)
{
	char c = (char)sig;
	write(xcpu_pipe[1], &c, 1);
}

static int cpu_caught(void)
{
	signal(SIGXCPU, on_xcpu);
	OK(set(RLIMIT_CPU, 1, 3));
	return spin();
}

/* At the soft limit SIGXCPU (whose default action ends the process);
 * ignored, it runs on to the hard limit and SIGKILL. pm looks every
 * 100 ms. */
static int t_cpu(void)
{
	double t0 = children_seconds();
	if (child_dies_of(cpu_soft, SIGXCPU))
		return -1;
	double used = children_seconds() - t0;
	CHECK(used >= 1.0 && used < 1.5, "SIGXCPU after %.3f s of CPU", used);
	t0 = children_seconds();
	if (child_dies_of(cpu_ignored, SIGKILL))
		return -1;
	used = children_seconds() - t0;
	CHECK(used >= 2.0 && used < 2.5, "SIGKILL after %.3f s of CPU", used);
	/* caught: SIGXCPU once a second from the soft limit on, then SIGKILL */
	OK(pipe(xcpu_pipe));
	int st, n;
	char got[8];
	if (in_child(cpu_caught, &st))
		return -1;
	close(xcpu_pipe[1]);
	n = (int)read(xcpu_pipe[0], got, sizeof(got));
	close(xcpu_pipe[0]);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "the child %s, want SIGKILL",
	      describe(st));
	CHECK(n == 2 && got[0] == SIGXCPU && got[1] == SIGXCPU, "%d SIGXCPU caught, want 2", n);
	return 0;
}

/* --- file size ----------------------------------------------------------- */

static char block[6000];

static int fsize_checks(void)
{
	int fd = open("/tmp/t_rlimit.big", O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0, "open: %s", strerror(errno));
	OK(set(RLIMIT_FSIZE, 10000, RLIM_INFINITY));
	IS(write(fd, block, 4000), 4000);
	IS(write(fd, block, 4000), 4000);
	IS(write(fd, block, 4000), 2000); /* up to the limit */
	ERR(write(fd, block, 1), EFBIG);  /* at it: EFBIG (SIGXFSZ ignored) */
	ERR(ftruncate(fd, 10001), EFBIG);
	OK(ftruncate(fd, 5000)); /* shrinking is fine */
	IS(lseek(fd, 20000, SEEK_SET), 20000);
	ERR(write(fd, block, 10), EFBIG);
	close(fd);
	fd = open("/tmp/t_rlimit.big", O_WRONLY | O_APPEND);
	IS(write(fd, block, 6000), 5000); /* O_APPEND: from the end, up to the limit */
	close(fd);
	int p[2];
	OK(pipe(p));
	OK(set(RLIMIT_FSIZE, 100, RLIM_INFINITY));
	IS(write(p[1], block, 4000), 4000); /* a pipe is no file */
	unlink("/tmp/t_rlimit.big");
	return 0;
}

static int fsize_ignored(void)
{
	signal(SIGXFSZ, SIG_IGN);
	return fsize_checks();
}

static int fsize_default(void)
{
	int fd = open("/tmp/t_rlimit.sig", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	OK(set(RLIMIT_FSIZE, 100, RLIM_INFINITY));
	write(fd, block, 100);
	write(fd, block, 1); /* SIGXFSZ: the process ends here */
	return 1;
}

static volatile sig_atomic_t xfsz_seen;

static void on_xfsz(int sig)
{
	xfsz_seen = sig;
}

static int fsize_caught(void)
{
	int fd = open("/tmp/t_rlimit.caught", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	signal(SIGXFSZ, on_xfsz);
	OK(set(RLIMIT_FSIZE, 10, RLIM_INFINITY));
	IS(write(fd, block, 20), 10);
	CHECK(!xfsz_seen, "SIGXFSZ for a short write");
	ERR(write(fd, block, 1), EFBIG);
	CHECK(xfsz_seen == SIGXFSZ, "the handler did not run");
	unlink("/tmp/t_rlimit.caught");
	return 0;
}

static int t_fsize(void)
{
	if (child_passes(fsize_ignored) || child_dies_of(fsize_default, SIGXFSZ) ||
	    child_passes(fsize_caught))
		return -1;
	struct stat st;
	OK(stat("/tmp/t_rlimit.sig", &st));
	unlink("/tmp/t_rlimit.sig");
	CHECK(st.st_size == 100, "the file has %ld bytes", (long)st.st_size);
	return 0;
}

/* --- open files ---------------------------------------------------------- */

static int nofile_checks(void)
{
	for (int fd = 3; fd < 10; fd++)
		close(fd);
	OK(set(RLIMIT_NOFILE, 5, 5));
	IS(sysconf(_SC_OPEN_MAX), 5);
	IS(open("/dev/null", O_RDONLY), 3);
	IS(open("/dev/null", O_RDONLY), 4);
	ERR(open("/dev/null", O_RDONLY), EMFILE);
	ERR(dup(0), EMFILE);
	ERR(dup2(0, 5), EBADF);
	ERR(fcntl(0, F_DUPFD, 5), EINVAL);
	int p[2];
	ERR(pipe(p), EMFILE);
	OK(close(4));
	IS(dup(0), 4);
	IS(dup2(0, 4), 4);
	OK(setuid(1000));
	ERR(set(RLIMIT_NOFILE, 6, 6), EPERM); /* a user cannot raise it again */
	return 0;
}

static int t_nofile(void)
{
	return child_passes(nofile_checks);
}

/* --- processes ----------------------------------------------------------- */

static int nproc_checks(void)
{
	OK(setuid(1000));
	OK(set(RLIMIT_NPROC, 2, 2)); /* this process and one more */
	fflush(stdout);
	pid_t a = fork();
	if (a == 0) {
		pause();
		_exit(0);
	}
	CHECK(a > 0, "the first fork: %s", strerror(errno));
	errno = 0;
	pid_t b = fork();
	if (b == 0)
		_exit(0);
	int e = errno;
	kill(a, SIGKILL);
	waitpid(a, NULL, 0);
	CHECK(b == -1 && e == EAGAIN, "the second fork: %d (%s), want EAGAIN", b, strerror(e));
	return 0;
}

static int nproc_root(void)
{
	OK(set(RLIMIT_NPROC, 0, 0)); /* root is not held, as on Linux */
	fflush(stdout);
	pid_t a = fork();
	if (a == 0)
		_exit(0);
	CHECK(a > 0, "root's fork: %s", strerror(errno));
	waitpid(a, NULL, 0);
	return 0;
}

static int t_nproc(void)
{
	return child_passes(nproc_checks) || child_passes(nproc_root) ? -1 : 0;
}

/* --- the stack ----------------------------------------------------------- */

/* One KiB of stack per level, used after the call (no tail call). */
static int recurse(unsigned long kib)
{
	volatile char frame[1000];
	frame[0] = (char)kib;
	if (kib > 1)
		frame[1] = (char)recurse(kib - 1);
	return frame[0] + frame[1];
}

static unsigned long stack_kib;
static rlim_t stack_limit;

static int stack_run(void)
{
	char arg[24];
	snprintf(arg, sizeof(arg), "%lu", stack_kib);
	OK(set(RLIMIT_STACK, stack_limit, RLIM_INFINITY));
	execl("/bin/t_rlimit", "t_rlimit", "recurse", arg, (char *)NULL);
	return fail("exec: %s", strerror(errno));
}

/* exec makes the stack RLIMIT_STACK says: deeper is SIGSEGV; raised,
 * deeper than the default 8 MiB works. */
static int t_stack(void)
{
	stack_kib = 512, stack_limit = 256 * KIB;
	if (child_dies_of(stack_run, SIGSEGV))
		return -1;
	stack_kib = 128;
	if (child_passes(stack_run))
		return -1;
	stack_kib = 12 * 1024, stack_limit = 16 * MIB;
	if (child_passes(stack_run))
		return -1;
	stack_limit = 8 * MIB;
	return child_dies_of(stack_run, SIGSEGV);
}

/* --- address space and data ---------------------------------------------- */

/* VmSize from /proc/self/status, in bytes (read without stdio, whose
 * buffer would grow the heap). */
static unsigned long vm_size(void)
{
	static char text[2048];
	int fd = open("/proc/self/status", O_RDONLY);
	long n = fd < 0 ? -1 : read(fd, text, sizeof(text) - 1);
	close(fd);
	text[n > 0 ? n : 0] = 0;
	const char *v = strstr(text, "VmSize:");
	return v ? strtoul(v + 7, NULL, 10) * KIB : 0;
}

static int as_checks(void)
{
	unsigned long now = vm_size();
	CHECK(now > 0, "no VmSize");
	OK(set(RLIMIT_AS, now + 2 * MIB, RLIM_INFINITY));
	void *p = mmap(NULL, 4 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p == MAP_FAILED && errno == ENOMEM, "mmap of 4 MiB past RLIMIT_AS: %p (%s)", p,
	      strerror(errno));
	p = mmap(NULL, MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED, "mmap of 1 MiB within it: %s", strerror(errno));
	memset(p, 1, MIB);
	void *q = mmap(NULL, 2 * MIB, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(q == MAP_FAILED && errno == ENOMEM, "a shared mapping counts too");
	unsigned long before = vm_size();
	CHECK(malloc(4 * MIB) == NULL, "malloc past RLIMIT_AS");
	CHECK(vm_size() == before, "a failed malloc grew VmSize %lu -> %lu", before, vm_size());
	OK(munmap(p, MIB));
	p = mmap(NULL, 2 * MIB, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED, "munmap gave it back: %s", strerror(errno));
	return 0;
}

static int data_checks(void)
{
	OK(set(RLIMIT_DATA, 4 * MIB, RLIM_INFINITY));
	void *p = mmap(NULL, 8 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p == MAP_FAILED && errno == ENOMEM, "private writable memory past RLIMIT_DATA");
	p = mmap(NULL, 8 * MIB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED, "read-only memory is no data: %s", strerror(errno));
	CHECK(sbrk(8 * MIB) == (void *)-1 && errno == ENOMEM, "sbrk past RLIMIT_DATA");
	CHECK(sbrk(64 * KIB) != (void *)-1, "sbrk within it: %s", strerror(errno));
	return 0;
}

static int t_address_space(void)
{
	return child_passes(as_checks) || child_passes(data_checks) ? -1 : 0;
}

/* --- nice values and the scheduler --------------------------------------- */

static int prio_user(void)
{
	OK(setpriority(PRIO_PROCESS, 0, 5));
	IS(getpriority(PRIO_PROCESS, 0), 5);
	IS(nice(2), 7);
	OK(setuid(1000));
	ERR(setpriority(PRIO_PROCESS, 0, 3), EACCES); /* lowering needs RLIMIT_NICE */
	ERR(nice(-1), EPERM);
	ERR(setpriority(PRIO_PROCESS, 1, 10), EPERM); /* init is root's */
	OK(setpriority(PRIO_PROCESS, 0, 30));         /* clamped to 19 */
	IS(getpriority(PRIO_PROCESS, 0), 19);
	IS(getpriority(PRIO_USER, 0), 19);
	ERR(getpriority(PRIO_USER, 4242), ESRCH);
	ERR(getpriority(7, 0), EINVAL);
	return 0;
}

static int prio_group(void)
{
	OK(setpgid(0, 0));
	fflush(stdout);
	pid_t a = fork();
	if (a == 0) {
		pause();
		_exit(0);
	}
	OK(setpriority(PRIO_PGRP, 0, 4));
	int pa = getpriority(PRIO_PROCESS, (id_t)a), me = getpriority(PRIO_PROCESS, 0);
	OK(setpriority(PRIO_PROCESS, (id_t)a, 9));
	int least = getpriority(PRIO_PGRP, (id_t)getpgrp());
	kill(a, SIGKILL);
	waitpid(a, NULL, 0);
	CHECK(pa == 4 && me == 4, "PRIO_PGRP set %d and %d, want 4", pa, me);
	CHECK(least == 4, "PRIO_PGRP answers the least: %d", least);
	return 0;
}

static int t_priorities(void)
{
	struct timespec ts;
	IS(sched_yield(), 0);
	OK(sched_rr_get_interval(0, &ts));
	CHECK(ts.tv_sec == 0 && ts.tv_nsec == 50000000, "time slice %ld.%09ld s", (long)ts.tv_sec,
	      ts.tv_nsec);
	IS(sched_getscheduler(0), SCHED_OTHER);
	return child_passes(prio_user) || child_passes(prio_group) ? -1 : 0;
}

/* --- main ---------------------------------------------------------------- */

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(void);
	} checks[] = {
	    {"defaults", t_defaults},
	    {"who_may_set_what", t_who_may_set_what},
	    {"fork_and_exec_keep_them", t_fork_and_exec_keep_them},
	    {"cpu", t_cpu},
	    {"fsize", t_fsize},
	    {"nofile", t_nofile},
	    {"nproc", t_nproc},
	    {"stack", t_stack},
	    {"address_space", t_address_space},
	    {"priorities", t_priorities},
	};
	if (argc == 3 && !strcmp(argv[1], "recurse"))
		return recurse(strtoul(argv[2], NULL, 10)) == -1000;
	for (unsigned i = 0; i < sizeof(checks) / sizeof(checks[0]); i++)
		if (argc < 2 || !strcmp(argv[1], checks[i].name))
			check_run("t_rlimit", checks[i].name, checks[i].fn);
	printf("t_rlimit: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
