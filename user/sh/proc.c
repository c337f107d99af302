/* Processes: forking with job control (each foreground job in its own
 * process group, given the terminal), waiting and reporting how a job
 * ended, background jobs, and command substitution. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "sh.h"

#define MAX_JOBS 32

/* Background and stopped jobs; slot i is job number i + 1 (%1). */
static struct job {
	pid_t pid;  /* 0: a free slot; the last process of the job */
	pid_t pgid; /* its own process group at the prompt, else 0 */
	int status;
	bool done;
	int stopped;  /* the signal that stopped it, 0 if it runs */
	unsigned seq; /* when it started: the latest is the current job, %+ */
	char *cmd;
	pid_t others[8]; /* a pipeline's other processes, still to be waited for */
	int nothers;
} jobs[MAX_JOBS];
static unsigned job_seq;

pid_t sh_fork(pid_t *pgid, bool bg)
{
	pid_t pid = fork();
	if (pid < 0) {
		sh_error("fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		if (sh.jobctl)
			setpgid(0, *pgid);
		sh.jobctl = false;
		sh.is_child = true;
		sh.interactive = false;
		traps_child();
		return 0;
	}
	if (sh.jobctl) {
		if (!*pgid)
			*pgid = pid;
		setpgid(pid, *pgid);
	}
	(void)bg;
	return pid;
}

static const char *signame(int sig)
{
	switch (sig) {
	case SIGINT:
		return NULL; /* ^C: just a new line, as bash does */
	case SIGILL:
		return "Illegal instruction";
	case SIGTRAP:
		return "Trace/breakpoint trap";
	case SIGBUS:
		return "Bus error";
	case SIGKILL:
		return "Killed";
	case SIGSEGV:
		return "Segmentation fault";
	case SIGTERM:
		return "Terminated";
	case SIGXCPU:
		return "CPU time limit exceeded";
	case SIGXFSZ:
		return "File size limit exceeded";
	case SIGPIPE:
		return "";
	default:
		return strsignal(sig); /* glibc's texts, as bash prints them */
	}
}

/* The shell's status for a wait status, reporting a death by a signal. */
static int decode(int status, bool report)
{
	if (!WIFSIGNALED(status))
		return WEXITSTATUS(status);
	int sig = WTERMSIG(status);
	const char *what = signame(sig);
	if (report && what && *what)
		fprintf(stderr, "%s%s\n", what, WCOREDUMP(status) ? " (core dumped)" : "");
	else if (report && !what)
		fputc('\n', stderr);
	if (sig == SIGINT && sh.jobctl)
		sh.interrupted = true;
	return 128 + sig;
}

static int job_slot(pid_t pid);
static void job_line(int i, bool amp);
static int job_find(const char *who, const char *spec);

/* A foreground job stopped (^Z): it joins the jobs, as bash says. */
static int job_stopped(pid_t *pids, int n, int k, pid_t pgid, int sig)
{
	int i = job_slot(pids[n - 1]);
	if (i < 0) {
		int num = jobs_add(pids[n - 1], pgid, sh.jobtext);
		if (!num)
			return 128 + sig;
		i = num - 1;
	}
	jobs[i].nothers = 0;
	for (int j = k; j < n - 1 && jobs[i].nothers < 8; j++)
		jobs[i].others[jobs[i].nothers++] = pids[j];
	jobs[i].stopped = sig;
	jobs[i].seq = ++job_seq; /* it becomes the current job */
	fputc('\n', stderr);
	job_line(i, false);
	fflush(stdout);
	return 128 + sig;
}

int sh_wait(pid_t *pids, int n, pid_t pgid)
{
	int status = 0, last = 0, opts = sh.jobctl ? WUNTRACED : 0;
	if (sh.jobctl && pgid)
		tcsetpgrp(0, pgid);
	for (int i = 0; i < n; i++) {
		while (waitpid(pids[i], &status, opts) < 0 && errno == EINTR)
			;
		if (WIFSTOPPED(status)) {
			if (sh.jobctl && pgid)
				tcsetpgrp(0, sh.pgrp);
			return sh.status = job_stopped(pids, n, i, pgid, WSTOPSIG(status));
		}
		if (i == n - 1)
			last = status;
	}
	if (sh.jobctl && pgid)
		tcsetpgrp(0, sh.pgrp);
	int slot = n ? job_slot(pids[n - 1]) : -1;
	if (slot >= 0) { /* a stopped job brought back with fg ended */
		free(jobs[slot].cmd);
		jobs[slot].cmd = NULL;
		jobs[slot].pid = 0;
	}
	return n ? decode(last, !sh.is_child || WTERMSIG(last) != SIGPIPE) : 1;
}

/* --- background jobs -------------------------------------------------------- */

/* A new job numbered one above the highest in use, as bash numbers them. */
int jobs_add(pid_t pid, pid_t pgid, const char *cmd)
{
	int top = 0;
	for (int i = 0; i < MAX_JOBS; i++)
		if (jobs[i].pid)
			top = i + 1;
	if (top == MAX_JOBS)
		for (top = 0; top < MAX_JOBS - 1 && jobs[top].pid; top++)
			;
	if (jobs[top].pid)
		return 0;
	free(jobs[top].cmd);
	jobs[top] = (struct job){.pid = pid, .pgid = pgid, .seq = ++job_seq};
	jobs[top].cmd = strdup(cmd ? cmd : "");
	return top + 1;
}

/* '+' for the current job (the latest), '-' for the one before, else ' '. */
static char job_mark(int i)
{
	int above = 0;
	for (int k = 0; k < MAX_JOBS; k++)
		if (jobs[k].pid && jobs[k].seq > jobs[i].seq)
			above++;
	return above == 0 ? '+' : above == 1 ? '-' : ' ';
}

static int job_slot(pid_t pid)
{
	for (int i = 0; i < MAX_JOBS; i++)
		if (jobs[i].pid == pid)
			return i;
	return -1;
}

/* How a job is or ended, as bash's jobs says it. */
static void job_state(const struct job *j, char *buf, size_t len)
{
	const char *what;
	if (!j->done && j->stopped)
		snprintf(buf, len, "%s",
		         j->stopped == SIGTTIN   ? "Stopped (tty input)"
		         : j->stopped == SIGTTOU ? "Stopped (tty output)"
		         : j->stopped == SIGSTOP ? "Stopped (signal)"
		                                 : "Stopped");
	else if (!j->done)
		snprintf(buf, len, "Running");
	else if (WIFSIGNALED(j->status))
		snprintf(buf, len, "%s",
		         (what = signame(WTERMSIG(j->status))) && *what ? what
		         : what                                         ? "Broken pipe"
		                                                        : "Interrupt");
	else if (WEXITSTATUS(j->status))
		snprintf(buf, len, "Exit %d", WEXITSTATUS(j->status));
	else
		snprintf(buf, len, "Done");
}

static void job_line(int i, bool amp)
{
	char state[40];
	job_state(&jobs[i], state, sizeof(state));
	printf("[%d]%c  %-24s%s%s\n", i + 1, job_mark(i), state, jobs[i].cmd,
	       amp && !jobs[i].done && !jobs[i].stopped ? " &" : "");
}

static void job_forget(int i)
{
	jobs[i].pid = 0;
	free(jobs[i].cmd);
	jobs[i].cmd = NULL;
}

/* Collects background jobs that ended or stopped; at a prompt says so,
 * as bash does. */
void jobs_reap(bool report)
{
	bool news[MAX_JOBS] = {0};
	for (int i = 0; i < MAX_JOBS; i++) {
		int status, opts = WNOHANG | (sh.jobctl ? WUNTRACED | WCONTINUED : 0);
		for (int k = 0; jobs[i].pid && k < jobs[i].nothers; k++)
			if (waitpid(jobs[i].others[k], &status, WNOHANG) > 0)
				jobs[i].others[k--] = jobs[i].others[--jobs[i].nothers];
		if (!jobs[i].pid || jobs[i].done || waitpid(jobs[i].pid, &status, opts) <= 0)
			continue;
		if (WIFSTOPPED(status)) {
			news[i] = jobs[i].stopped != WSTOPSIG(status);
			jobs[i].stopped = WSTOPSIG(status);
		} else if (WIFCONTINUED(status)) {
			jobs[i].stopped = 0;
		} else {
			jobs[i].done = true;
			jobs[i].status = status;
		}
	}
	for (int i = 0; report && i < MAX_JOBS; i++)
		if (jobs[i].pid && (jobs[i].done || news[i])) {
			job_line(i, false);
			if (jobs[i].done)
				job_forget(i);
		}
	fflush(stdout);
}

/* fg and bg: a job goes on, in the foreground (waited for, given the
 * terminal) or in the background. */
static int job_continue(const char *who, int argc, char **argv, bool fg)
{
	if (!sh.jobctl) {
		sh_error("%s: no job control", who);
		return 1;
	}
	jobs_reap(false);
	int i = job_find(who, argc > 1 ? argv[1] : "%+");
	if (i < 0)
		return 1;
	struct job *j = &jobs[i];
	if (j->done) {
		sh_error("%s: job has terminated", who);
		job_forget(i);
		return 1;
	}
	if (!fg && !j->stopped) {
		sh_error("%s: job %d already in background", who, i + 1);
		return 0;
	}
	if (fg)
		printf("%s\n", j->cmd);
	else
		printf("[%d]%c %s &\n", i + 1, job_mark(i), j->cmd);
	fflush(stdout);
	pid_t pgid = j->pgid ? j->pgid : j->pid;
	if (fg)
		tcsetpgrp(0, pgid);
	j->stopped = 0;
	j->seq = ++job_seq;
	kill(-pgid, SIGCONT);
	if (!fg)
		return 0;
	pid_t pids[9];
	int n = 0;
	for (int k = 0; k < j->nothers; k++)
		pids[n++] = j->others[k];
	pids[n++] = j->pid;
	snprintf(sh.jobtext, sizeof(sh.jobtext), "%s", j->cmd);
	return sh_wait(pids, n, pgid);
}

int bi_fg(int argc, char **argv)
{
	return job_continue("fg", argc, argv, true);
}

int bi_bg(int argc, char **argv)
{
	return job_continue("bg", argc, argv, false);
}

/* wait PID: its status, 127 if it is not a child. */
int jobs_wait(pid_t pid)
{
	int status;
	for (int i = 0; i < MAX_JOBS; i++) {
		if (jobs[i].pid != pid)
			continue;
		if (!jobs[i].done)
			while (waitpid(pid, &jobs[i].status, 0) < 0 && errno == EINTR)
				;
		status = jobs[i].status;
		job_forget(i);
		return decode(status, false);
	}
	if (waitpid(pid, &status, 0) == pid)
		return decode(status, false);
	return 127;
}

void jobs_print(void)
{
	jobs_reap(false);
	for (int i = 0; i < MAX_JOBS; i++)
		if (jobs[i].pid)
			job_line(i, true);
	for (int i = 0; i < MAX_JOBS; i++)
		if (jobs[i].pid && jobs[i].done)
			job_forget(i);
}

/* A job spec (%n %% %+ %- %string %?string): its slot, or -1 after a message. */
static int job_find(const char *who, const char *spec)
{
	const char *p = spec + 1;
	int best = -1;
	for (int i = 0; i < MAX_JOBS; i++) {
		if (!jobs[i].pid)
			continue;
		char m = job_mark(i);
		bool hit = *p >= '0' && *p <= '9'                      ? atoi(p) == i + 1
		           : !*p || !strcmp(p, "%") || !strcmp(p, "+") ? m == '+'
		           : !strcmp(p, "-")                           ? m == '-'
		           : *p == '?' ? strstr(jobs[i].cmd, p + 1) != NULL
		                       : !strncmp(jobs[i].cmd, p, strlen(p));
		if (hit)
			best = i;
	}
	if (best < 0)
		sh_error("%s: %s: no such job", who, spec);
	return best;
}

/* The pid a job spec or number names; with group, the job's process
 * group as a negative pid when it has one. 0 after a message. */
pid_t jobs_pid(const char *who, const char *arg, bool group)
{
	if (arg[0] != '%') {
		char *end;
		long v = strtol(arg, &end, 10);
		if (!*arg || *end) {
			sh_error("%s: %s: arguments must be process or job IDs", who, arg);
			return 0;
		}
		return (pid_t)v;
	}
	int i = job_find(who, arg);
	if (i < 0)
		return 0;
	return group && jobs[i].pgid ? -jobs[i].pgid : jobs[i].pid;
}

/* --- command substitution ------------------------------------------------------ */

static char *read_all(int fd)
{
	size_t len = 0, cap = 256;
	char *s = malloc(cap);
	ssize_t r;
	while (s && (r = read(fd, s + len, cap - len - 1)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		len += (size_t)r;
		if (cap - len < 2) {
			char *ns = realloc(s, cap *= 2);
			if (!ns)
				free(s);
			s = ns;
		}
	}
	if (s)
		s[len] = '\0';
	return s;
}

char *sh_cmdsub(void *u, const char *text)
{
	int fds[2], status;
	pid_t pgid = 0;
	(void)u;
	if (pipe(fds) < 0) {
		sh_error("pipe: %s", strerror(errno));
		return NULL;
	}
	sh_flush();
	bool jc = sh.jobctl;
	sh.jobctl = false; /* stays in the shell's group: its output is read here */
	pid_t pid = sh_fork(&pgid, false);
	sh.jobctl = jc;
	if (pid == 0) {
		close(fds[0]);
		if (fds[1] != 1) {
			dup2(fds[1], 1);
			close(fds[1]);
		}
		sh_exit(run_text(text, NULL));
	}
	close(fds[1]);
	char *out = read_all(fds[0]);
	close(fds[0]);
	if (pid > 0) {
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		sh.subst_status = decode(status, false);
	}
	return out;
}
