/* trace [-fT] [-t|-tt] [-o FILE] COMMAND [ARG]... and trace -p PID:
 * prints every system call and server request a process makes, as
 * strace does, one line each on standard error (or FILE), the time of
 * the call first: 12:00:01.000123 open("/etc/passwd", O_RDONLY) = 3.
 * pm decides who may trace whom (PM_TRACE); the kernel then reports
 * each call of the process to our endpoint at its entry and its exit
 * and waits for our answer (SYS_TRACE), and we read its registers and
 * memory meanwhile (SYS_TRACE_READ). user/lib/tracefmt.c writes the
 * lines. Killing trace leaves the process running, untraced. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/tracefmt.h"
#include "mica/proto/pm.h"
#include "mica/syscall.h"

#define MAX_THREADS 32
#define MAX_PIDS    64
#define TICK_US     50000 /* how often we look whether the traced are alive */
/* The kernel's errors are Linux's numbers; picolibc's <errno.h> says 116
 * for ETIMEDOUT. */
#define K_ETIMEDOUT 110

static const char usage[] = "usage: trace [-fT] [-t|-tt] [-o FILE] COMMAND [ARG]...\n"
                            "       trace [-fT] [-t|-tt] [-o FILE] -p PID\n";
static const char help[] =
    "Prints the system calls and server requests of COMMAND (or of the running\n"
    "process PID) as strace does, each with the time it began.\n\n"
    "  -f       also trace the children forked from now on ([pid N] before each line)\n"
    "  -o FILE  write to FILE, not to standard error\n"
    "  -p PID   trace the running process PID; ^C leaves it running, untraced\n"
    "  -t       the time in seconds; -tt (the default) in microseconds\n"
    "  -T       the time each call took, <seconds>, at the end of its line\n";

/* One traced thread: its call between entry and exit. */
struct tracee {
	bool used;
	long pid;
	unsigned long tid;
	bool pending;          /* an entry whose exit has not come */
	bool shown;            /* its entry is printed, "<unfinished ...>" */
	bool muted;            /* before the first execve of trace COMMAND */
	int redirect_fd;       /* fs said the console: this descriptor's call goes on there */
	unsigned long long t0; /* when it began (ns since the epoch) */
	unsigned long long ns; /* how long it took, console part included */
	struct tf_call call;
};

/* One traced process. */
struct traced {
	long pid;
	bool quiet; /* trace COMMAND's child until its execve */
	bool ended; /* its exit was printed */
};

static struct tracee thr[MAX_THREADS];
static struct traced procs[MAX_PIDS];
static int out_fd = 2;
static bool follow, usec = true, show_time_spent;
static struct tf_text text;

static unsigned long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ull + (unsigned long long)ts.tv_nsec;
}

/* --- output -------------------------------------------------------------- */

static char line[TF_LINE + 128];

static void emit(long pid, unsigned long long when, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void emit(long pid, unsigned long long when, const char *fmt, ...)
{
	char clock[32];
	size_t n = 0;
	if (follow)
		n += (size_t)snprintf(line, sizeof(line), "[pid %5ld] ", pid);
	tf_clock(clock, sizeof(clock), when, usec);
	n += (size_t)snprintf(line + n, sizeof(line) - n, "%s ", clock);
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	n += k > 0 ? (size_t)k : 0;
	if (n > sizeof(line) - 1)
		n = sizeof(line) - 1;
	line[n - 1] = '\n'; /* every format ends in a newline: it survives a cut */
	(void)!write(out_fd, line, n);
}

static void spent(char *buf, size_t cap, unsigned long long ns)
{
	if (show_time_spent)
		snprintf(buf, cap, " <%llu.%06llu>", ns / 1000000000ull, ns % 1000000000ull / 1000);
	else
		buf[0] = 0;
}

/* Another thread's line comes now: entries still waiting for their exit
 * are printed as strace does, "read(0,  <unfinished ...>". */
static void interrupt_others(const struct tracee *me)
{
	for (int i = 0; i < MAX_THREADS; i++) {
		struct tracee *t = &thr[i];
		if (!t->used || t == me || !t->pending || t->shown || t->muted)
			continue;
		tf_format(&t->call, &text);
		emit(t->pid, t->t0, "%.*s <unfinished ...>\n", (int)text.split, text.s);
		t->shown = true;
	}
}

static void print_call(struct tracee *t)
{
	char took[48];
	interrupt_others(t);
	tf_format(&t->call, &text);
	spent(took, sizeof(took), t->ns);
	if (tf_no_return(&t->call))
		took[0] = 0; /* "= ?": it took what it took */
	if (t->shown)
		emit(t->pid, t->t0 + t->ns, "<... %s resumed>%s%s\n", text.name,
		     text.s + text.split, took);
	else
		emit(t->pid, t->t0, "%s%s\n", text.s, took);
}

/* --- who is traced ------------------------------------------------------------ */

static struct traced *proc_of(long pid, bool add)
{
	struct traced *free_slot = NULL;
	for (int i = 0; i < MAX_PIDS; i++) {
		if (procs[i].pid == pid)
			return &procs[i];
		if (!procs[i].pid && !free_slot)
			free_slot = &procs[i];
	}
	if (add && free_slot)
		*free_slot = (struct traced){.pid = pid};
	return add ? free_slot : NULL;
}

static struct tracee *thread_of(long pid, unsigned long tid)
{
	struct tracee *free_slot = NULL;
	for (int i = 0; i < MAX_THREADS; i++) {
		if (thr[i].used && thr[i].tid == tid)
			return &thr[i];
		if (!thr[i].used && !free_slot)
			free_slot = &thr[i];
	}
	if (!free_slot) /* more threads than we keep: reuse the first */
		free_slot = &thr[0];
	*free_slot = (struct tracee){.used = true, .pid = pid, .tid = tid, .redirect_fd = -1};
	return free_slot;
}

static void forget_threads(long pid, unsigned long keep_tid)
{
	for (int i = 0; i < MAX_THREADS; i++)
		if (thr[i].used && thr[i].pid == pid && thr[i].tid != keep_tid)
			thr[i].used = false;
}

/* The process ended: its last line. */
static void ended(long pid, const char *how)
{
	struct traced *p = proc_of(pid, true);
	if (p && p->ended)
		return;
	if (p)
		p->ended = true;
	for (int i = 0; i < MAX_THREADS; i++) { /* calls it was in: strace's "= ?" */
		struct tracee *t = &thr[i];
		if (!t->used || t->pid != pid || !t->pending || t->muted || tf_no_return(&t->call))
			continue;
		tf_format(&t->call, &text);
		if (t->shown)
			emit(pid, now_ns(), "<... %s resumed>) = ?\n", text.name);
		else
			emit(pid, t->t0, "%.*s <unfinished ...>) = ?\n", (int)text.split, text.s);
	}
	forget_threads(pid, 0);
	emit(pid, now_ns(), "+++ %s +++\n", how);
}

/* --- reports ------------------------------------------------------------------ */

static unsigned long report_token;

static long read_mem(void *ctx, unsigned long addr, void *buf, size_t len)
{
	(void)ctx;
	return mica_trace_read(report_token, addr, buf, len);
}

/* A thread of pid shows up after pid's execve: the execve worked (the
 * old thread is gone with its task). */
static void exec_succeeded(long pid, unsigned long tid, unsigned long long now)
{
	for (int i = 0; i < MAX_THREADS; i++) {
		struct tracee *t = &thr[i];
		if (t->used && t->pid == pid && t->tid != tid && t->pending &&
		    tf_is_exec(&t->call)) {
			struct trace_regs r = t->call.in;
			r.a[0] = r.a[1] = 0; /* status 0, label 0: "= 0" */
			tf_leave(&t->call, &r, read_mem, NULL);
			t->ns =
			    now > t->t0 ? now - t->t0 : 0; /* until the new program's first call */
			if (!t->muted)
				print_call(t);
		}
	}
	forget_threads(pid, tid);
}

static void on_call(struct tracee *t, const struct trace_regs *r, unsigned long long when)
{
	struct traced *p = proc_of(t->pid, true);
	exec_succeeded(t->pid, t->tid, when);
	if (t->pending && t->redirect_fd >= 0) { /* fs's read or write goes on at the console */
		int fd = t->redirect_fd;
		tf_enter(&t->call, r, read_mem, NULL);
		t->call.con_fd = fd;
		t->redirect_fd = -1;
		if (tf_is_console_io(&t->call))
			return; /* the same call: its time and line go on */
	} else {
		tf_enter(&t->call, r, read_mem, NULL);
	}
	t->pending = true;
	t->shown = false;
	t->t0 = when;
	t->ns = 0;
	if (p && p->quiet && tf_is_exec(&t->call))
		p->quiet = false;
	t->muted = p && p->quiet;
	if (tf_no_return(&t->call)) {
		char how[40];
		t->pending = false;
		if (t->muted)
			return;
		print_call(t);
		snprintf(how, sizeof(how), "exited with %ld", tf_exit_status(&t->call));
		ended(t->pid, how);
	}
}

static void on_return(struct tracee *t, const struct trace_regs *r, unsigned long long took)
{
	if (!t->pending)
		return;
	tf_leave(&t->call, r, read_mem, NULL);
	t->ns += took;
	if (tf_redirected(&t->call)) {
		t->redirect_fd = (int)t->call.in.a[2]; /* m0: the descriptor */
		return;
	}
	t->pending = false;
	long child = tf_fork_child(&t->call);
	if (child && follow)
		proc_of(child, true);
	if (!t->muted)
		print_call(t);
}

/* A call that began before we attached: only its end is ours. */
static void on_resumed(struct tracee *t, const struct trace_regs *r, unsigned long long took)
{
	char took_s[48];
	struct traced *p = proc_of(t->pid, false);
	long res = (long)r->a[0];
	if (p && p->quiet)
		return; /* trace COMMAND's child, waiting for us to start it */
	if (r->nr == SYS_CALL && res == 0)
		res = (long)(short)TAG_LABEL(r->a[1]);
	interrupt_others(t);
	spent(took_s, sizeof(took_s), took);
	emit(t->pid, now_ns(), "<... %s resumed>) = %ld%s\n", tf_syscall_name(r->nr), res, took_s);
}

static void on_report(const struct ipc_msg *m)
{
	struct trace_regs r;
	long pid = (long)m->badge;
	struct tracee *t = thread_of(pid, m->m[3]);
	report_token = m->token;
	if (mica_trace_read(m->token, 0, &r, sizeof(r)) < 0)
		return;
	if (m->m[0] == TRACE_ENTRY)
		on_call(t, &r, m->m[2]);
	else if (m->m[0] == TRACE_EXIT)
		on_return(t, &r, m->m[2]);
	else
		on_resumed(t, &r, m->m[2]);
}

/* --- the loop ------------------------------------------------------------------- */

static long root_pid;
static bool root_is_child;
static int root_status = -1;

/* Whether anything traced is left; reaps our child, says who went. */
static bool any_left(void)
{
	bool left = false;
	if (root_is_child && root_status < 0) {
		int st;
		if (waitpid((pid_t)root_pid, &st, WNOHANG) == root_pid) {
			char how[48];
			root_status = st;
			if (WIFSIGNALED(st))
				snprintf(how, sizeof(how), "killed by %s",
				         tf_signal_name(WTERMSIG(st)) ? tf_signal_name(WTERMSIG(st))
				                                      : "?");
			else
				snprintf(how, sizeof(how), "exited with %d", WEXITSTATUS(st));
			ended(root_pid, how);
		}
	}
	for (int i = 0; i < MAX_PIDS; i++) {
		struct traced *p = &procs[i];
		if (!p->pid)
			continue;
		if (p->pid == root_pid && root_is_child) { /* ours: gone once reaped */
			left |= root_status < 0;
			continue;
		}
		if (!p->ended && kill((pid_t)p->pid, 0) < 0 && errno == ESRCH)
			ended(p->pid, "killed");
		left |= !p->ended;
	}
	return left;
}

static void serve(long ep)
{
	long looked = mica_time();
	for (;;) {
		struct ipc_msg m;
		struct traced *root = proc_of(root_pid, false);
		/* once our child's exit is seen, its end is a moment away */
		long r = mica_recv(
		    ep, root && root->ended && root_is_child && !follow ? 1000 : TICK_US, &m);
		if (r == -K_ETIMEDOUT || mica_time() - looked >= TICK_US) {
			looked = mica_time(); /* also while reports keep coming */
			if (!any_left())
				return;
			if (r == -K_ETIMEDOUT)
				continue;
		}
		if (r < 0) {
			fprintf(stderr, "trace: receive: %s\n", tf_errno_text(-r));
			return;
		}
		if ((m.tag & TAG_KERNEL) && TAG_LABEL(m.tag) == MSG_TASK_TRACE &&
		    (m.tag & TAG_CALL))
			on_report(&m);
		if (m.tag & TAG_CALL) { /* go on (a stranger's call: refused) */
			struct ipc_msg rep = {.tag =
			                          (m.tag & TAG_KERNEL) ? 0 : PROTO_TAG(-EPERM, 0)};
			mica_reply(m.token, &rep);
		}
	}
}

static long pm_trace(long pid, long ep)
{
	struct ipc_msg m = {.tag = TAG_WITH_HANDLE(MAKE_TAG(PM_TRACE, 0), ep),
	                    .m = {(unsigned long)pid, follow ? PM_TRACE_FOLLOW : 0}};
	long r = mica_call(SLOT_PM, &m);
	return r < 0 ? r : PROTO_RESULT(m.tag);
}

/* COMMAND runs in a child that waits (on a pipe) until it is traced. */
static long start_command(char **argv, long ep)
{
	int go[2];
	if (pipe(go) < 0) {
		perror("trace: pipe");
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		perror("trace: fork");
		return -1;
	}
	if (pid == 0) {
		char c;
		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(126); /* trace could not trace us */
		close(go[0]);
		execvp(argv[0], argv);
		int e = errno;
		char msg[256]; /* one write: it is traced */
		int n = snprintf(msg, sizeof(msg), "trace: %s: %s\n", argv[0], strerror(e));
		(void)!write(2, msg, n < (int)sizeof(msg) ? (size_t)n : sizeof(msg) - 1);
		_exit(e == ENOENT ? 127 : 126);
	}
	close(go[0]);
	struct traced *p = proc_of(pid, true);
	p->quiet = true;
	long err = pm_trace(pid, ep);
	if (err < 0) {
		fprintf(stderr, "trace: cannot trace %s: %s\n", argv[0], tf_errno_text(-err));
		close(go[1]);
		waitpid(pid, NULL, 0);
		return -1;
	}
	(void)!write(go[1], "g", 1);
	close(go[1]);
	return pid;
}

/* Options up to the command (whose own options are its business): the
 * index of the command, or -1 after a message (*status: the exit status). */
static int parse_args(int argc, char **argv, long *pid, const char **outfile, int *status)
{
	int i = 1;
	*status = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--"))
			return i + 1;
		if (!strcmp(a, "--help")) {
			fputs(usage, stdout);
			fputs(help, stdout);
			*status = 0;
			return -1;
		}
		for (const char *c = a + 1; *c; c++) {
			if (*c == 'f') {
				follow = true;
			} else if (*c == 't') {
				usec = c[1] == 't';
				c += usec;
			} else if (*c == 'T') {
				show_time_spent = true;
			} else if ((*c == 'o' || *c == 'p') && !c[1] && i + 1 >= argc) {
				fprintf(stderr, "trace: option requires an argument -- '%c'\n%s",
				        *c, usage);
				return -1;
			} else if (*c == 'o' || *c == 'p') {
				const char *v = c[1] ? c + 1 : argv[++i];
				if (*c == 'o') {
					*outfile = v;
				} else if ((*pid = strtol(v, NULL, 10)) <= 0) {
					fprintf(stderr, "trace: invalid process id: '%s'\n", v);
					return -1;
				}
				break;
			} else {
				fprintf(stderr, "trace: invalid option -- '%c'\n%s", *c, usage);
				return -1;
			}
		}
	}
	return i;
}

int main(int argc, char **argv)
{
	long pid = 0;
	const char *outfile = NULL;
	int status, i = parse_args(argc, argv, &pid, &outfile, &status);
	if (i < 0)
		return status;
	if ((pid && i < argc) || (!pid && i >= argc)) {
		fputs(usage, stderr);
		return 1;
	}
	if (outfile &&
	    (out_fd = open(outfile, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0) {
		fprintf(stderr, "trace: %s: %s\n", outfile, strerror(errno));
		return 1;
	}
	long ep = mica_ep_create();
	if (ep < 0) {
		fprintf(stderr, "trace: cannot make an endpoint: %s\n", tf_errno_text(-ep));
		return 1;
	}
	if (pid) {
		long err = pm_trace(pid, ep);
		if (err < 0) {
			fprintf(stderr, "trace: attach: %ld: %s\n", pid, tf_errno_text(-err));
			return 1;
		}
		proc_of(pid, true);
		fprintf(stderr, "trace: Process %ld attached\n", pid);
		root_pid = pid;
	} else {
		if ((root_pid = start_command(argv + i, ep)) < 0)
			return 1;
		root_is_child = true;
	}
	serve(ep);
	if (!root_is_child)
		return 0;
	if (WIFSIGNALED(root_status))
		return 128 + WTERMSIG(root_status);
	return WEXITSTATUS(root_status);
}
