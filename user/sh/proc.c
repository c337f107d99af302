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

static struct job {
	pid_t pid;
	int status;
	bool done;
} jobs[MAX_JOBS];

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
		for (int i = 0; i < SH_NSIG; i++)
			if (sh.traps[i] &&
			    sh.traps[i][0]) { /* traps are not inherited, ignoring is */
				free(sh.traps[i]);
				sh.traps[i] = NULL;
			}
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
	case SIGPIPE:
		return "";
	default:
		return "Killed by a signal";
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
		fprintf(stderr, "%s\n", what);
	else if (report && !what)
		fputc('\n', stderr);
	if (sig == SIGINT && sh.jobctl)
		sh.interrupted = true;
	return 128 + sig;
}

int sh_wait(pid_t *pids, int n, pid_t pgid)
{
	int status = 0, last = 0;
	if (sh.jobctl && pgid)
		tcsetpgrp(0, pgid);
	for (int i = 0; i < n; i++) {
		while (waitpid(pids[i], &status, 0) < 0 && errno == EINTR)
			;
		if (i == n - 1)
			last = status;
	}
	if (sh.jobctl && pgid)
		tcsetpgrp(0, sh.pgrp);
	return n ? decode(last, !sh.is_child || WTERMSIG(last) != SIGPIPE) : 1;
}

/* --- background jobs -------------------------------------------------------- */

void jobs_add(pid_t pid)
{
	for (int i = 0; i < MAX_JOBS; i++)
		if (!jobs[i].pid) {
			jobs[i] = (struct job){.pid = pid};
			return;
		}
}

/* Collects background jobs that ended; at a prompt says so, as bash does. */
void jobs_reap(bool report)
{
	for (int i = 0; i < MAX_JOBS; i++) {
		int status;
		if (!jobs[i].pid || jobs[i].done || waitpid(jobs[i].pid, &status, WNOHANG) <= 0)
			continue;
		jobs[i].done = true;
		jobs[i].status = status;
		if (!report)
			continue;
		const char *what = WIFSIGNALED(status) ? signame(WTERMSIG(status)) : "Done";
		printf("[%d] %s\n", (int)jobs[i].pid, what ? what : "Interrupt");
		jobs[i].pid = 0;
	}
	fflush(stdout);
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
		jobs[i].pid = 0;
		return decode(jobs[i].status, false);
	}
	if (waitpid(pid, &status, 0) == pid)
		return decode(status, false);
	return 127;
}

void jobs_print(void)
{
	jobs_reap(false);
	for (int i = 0, n = 1; i < MAX_JOBS; i++) {
		if (!jobs[i].pid)
			continue;
		printf("[%d] %-8s %d\n", n++, jobs[i].done ? "Done" : "Running", (int)jobs[i].pid);
		if (jobs[i].done)
			jobs[i].pid = 0;
	}
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
