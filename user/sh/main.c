/* sh: Mica's shell. Reads a line, parses it (parse.c), and runs each
 * pipeline: builtins in the shell, programs with fork + execve found
 * through PATH, the foreground job in its own process group so ^C stops
 * it and not the shell. The prompt is $PS1, or "# " for uid 0 and "$ "
 * otherwise.
 * Pipelines of any length, redirections (<, >, >>, n>, n>&m), and
 * "sh -c CMD" and "sh FILE". */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mica/posix.h"
#include "parse.h"

#define MAX_VARS 64

static struct {
	char *vars[MAX_VARS]; /* "NAME=value", exported or not */
	bool exported[MAX_VARS];
	int status; /* $? */
	char status_str[12];
	pid_t pgrp;
	bool interactive;
} sh;

/* --- variables ------------------------------------------------------------ */

static int var_index(const char *name, size_t len)
{
	for (int i = 0; i < MAX_VARS; i++)
		if (sh.vars[i] && !strncmp(sh.vars[i], name, len) && sh.vars[i][len] == '=')
			return i;
	return -1;
}

static void var_set(const char *assign, bool export)
{
	const char *eq = strchr(assign, '=');
	int i = eq ? var_index(assign, (size_t)(eq - assign)) : -1;
	if (!eq)
		return;
	if (i < 0)
		for (i = 0; i < MAX_VARS && sh.vars[i]; i++)
			;
	if (i == MAX_VARS) {
		fprintf(stderr, "sh: too many variables\n");
		return;
	}
	free(sh.vars[i]);
	sh.vars[i] = strdup(assign);
	sh.exported[i] = sh.exported[i] || export;
}

static const char *lookup(void *ctx, const char *name)
{
	(void)ctx;
	if (!strcmp(name, "?")) {
		snprintf(sh.status_str, sizeof(sh.status_str), "%d", sh.status);
		return sh.status_str;
	}
	int i = var_index(name, strlen(name));
	return i < 0 ? NULL : strchr(sh.vars[i], '=') + 1;
}

static char **make_env(void)
{
	static char *env[MAX_VARS + 1];
	int n = 0;
	for (int i = 0; i < MAX_VARS; i++)
		if (sh.vars[i] && sh.exported[i])
			env[n++] = sh.vars[i];
	env[n] = NULL;
	return env;
}

/* --- running programs ---------------------------------------------------- */

/* execve through PATH; returns only on failure, with errno set. */
static void exec_path(char **argv)
{
	char path[256];
	if (strchr(argv[0], '/')) {
		execve(argv[0], argv, make_env());
		return;
	}
	const char *p = lookup(NULL, "PATH");
	if (!p)
		p = "/bin";
	int saved = ENOENT;
	while (*p) {
		size_t n = strcspn(p, ":");
		snprintf(path, sizeof(path), "%.*s/%s", (int)n, p, argv[0]);
		execve(path, argv, make_env());
		if (errno != ENOENT)
			saved = errno;
		p += n + (p[n] == ':');
	}
	errno = saved;
}

static const char *signame(int sig)
{
	switch (sig) {
	case 2:
		return NULL; /* ^C: just a new line, as bash does */
	case 4:
		return "Illegal instruction";
	case 5:
		return "Trace/breakpoint trap";
	case 7:
		return "Bus error";
	case 9:
		return "Killed";
	case 11:
		return "Segmentation fault";
	case 15:
		return "Terminated";
	default:
		return "Killed by a signal";
	}
}

static int report(int status)
{
	if (WIFSIGNALED(status)) {
		const char *what = signame(WTERMSIG(status));
		if (what)
			fprintf(stderr, "%s\n", what);
		else
			fputc('\n', stderr);
		return 128 + WTERMSIG(status);
	}
	return WEXITSTATUS(status);
}

/* In a child: applies c's redirections in the order written. */
static int apply_redirs(const struct command *c)
{
	for (int i = 0; i < c->nredirs; i++) {
		const struct redir *r = &c->redirs[i];
		int fd;
		if (r->kind == REDIR_DUP) {
			if (dup2(r->target_fd, r->fd) < 0) {
				fprintf(stderr, "sh: %d: %s\n", r->target_fd, strerror(errno));
				return -1;
			}
			continue;
		}
		int flags = r->kind == REDIR_IN    ? O_RDONLY
		            : r->kind == REDIR_OUT ? O_WRONLY | O_CREAT | O_TRUNC
		                                   : O_WRONLY | O_CREAT | O_APPEND;
		if ((fd = open(r->path, flags, 0644)) < 0) {
			fprintf(stderr, "sh: %s: %s\n", r->path, strerror(errno));
			return -1;
		}
		if (fd != r->fd) {
			dup2(fd, r->fd);
			close(fd);
		}
	}
	return 0;
}

static int builtin(struct command *c, bool *done);

/* The child side of one pipeline stage. */
static void run_child(struct command *c, int in, int out)
{
	if (in != 0) {
		dup2(in, 0);
		close(in);
	}
	if (out != 1) {
		dup2(out, 1);
		close(out);
	}
	if (apply_redirs(c))
		_exit(1);
	for (int i = 0; i < c->nassigns; i++)
		var_set(c->assigns[i], true);
	if (c->argc == 0)
		_exit(0);
	bool done;
	int r = builtin(c, &done);
	if (done) {
		fflush(stdout);
		_exit(r);
	}
	exec_path(c->argv);
	fprintf(stderr, "sh: %s: %s\n", c->argv[0],
	        errno == ENOENT ? "not found" : strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

/* Forks every stage, joined by pipes, in one process group. */
static int run_stages(struct pipeline *pl)
{
	pid_t pids[64], pgid = 0;
	int in = 0, n = pl->ncmds < 64 ? pl->ncmds : 64;
	for (int i = 0; i < n; i++) {
		int fds[2] = {0, 1};
		if (i + 1 < n && pipe(fds) < 0) {
			fprintf(stderr, "sh: pipe: %s\n", strerror(errno));
			n = i;
			break;
		}
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0) {
			setpgid(0, pgid);
			if (i + 1 < n)
				close(fds[0]);
			run_child(&pl->cmds[i], in, i + 1 < n ? fds[1] : 1);
		}
		if (pid < 0)
			fprintf(stderr, "sh: fork: %s\n", strerror(errno));
		pgid = pgid ? pgid : pid;
		setpgid(pid, pgid);
		pids[i] = pid;
		if (in != 0)
			close(in);
		if (i + 1 < n) {
			close(fds[1]);
			in = fds[0];
		}
	}
	if (pl->background) {
		printf("[%d]\n", pgid);
		return 0;
	}
	if (sh.interactive)
		tcsetpgrp(0, pgid);
	int status = 0;
	for (int i = 0; i < n; i++)
		if (pids[i] > 0)
			while (waitpid(pids[i], &status, 0) < 0 && errno == EINTR)
				;
	if (sh.interactive)
		tcsetpgrp(0, sh.pgrp);
	return report(status);
}

/* --- builtins ---------------------------------------------------------------- */

static int do_cd(struct command *c)
{
	const char *dir = c->argc > 1 ? c->argv[1] : lookup(NULL, "HOME");
	if (!dir)
		dir = "/";
	if (chdir(dir) < 0) {
		fprintf(stderr, "sh: cd: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	char cwd[256];
	if (getcwd(cwd, sizeof(cwd))) {
		char assign[270];
		snprintf(assign, sizeof(assign), "PWD=%s", cwd);
		var_set(assign, true);
	}
	return 0;
}

static int builtin(struct command *c, bool *done)
{
	const char *n = c->argv[0];
	*done = true;
	if (!strcmp(n, "exit"))
		exit(c->argc > 1 ? atoi(c->argv[1]) : sh.status);
	if (!strcmp(n, "cd"))
		return do_cd(c);
	if (!strcmp(n, "pwd")) {
		char cwd[256];
		if (!getcwd(cwd, sizeof(cwd))) {
			fprintf(stderr, "sh: pwd: %s\n", strerror(errno));
			return 1;
		}
		puts(cwd);
		return 0;
	}
	if (!strcmp(n, "export")) {
		for (int i = 1; i < c->argc; i++) {
			int k = var_index(c->argv[i], strlen(c->argv[i]));
			if (strchr(c->argv[i], '='))
				var_set(c->argv[i], true);
			else if (k >= 0)
				sh.exported[k] = true;
		}
		return 0;
	}
	if (!strcmp(n, "wait")) {
		while (wait(NULL) > 0)
			;
		return 0;
	}
	*done = false;
	return 0;
}

/* Builtins that change the shell itself run in it; everything else,
 * and anything in a pipeline or with redirections, runs in children. */
static int run_pipeline(struct pipeline *pl)
{
	struct command *c = &pl->cmds[0];
	static const char *const own[] = {"cd", "exit", "export", "wait"};
	if (pl->ncmds == 1 && c->argc == 0 && !c->nredirs) {
		for (int i = 0; i < c->nassigns; i++)
			var_set(c->assigns[i], false);
		return 0;
	}
	for (unsigned i = 0; pl->ncmds == 1 && !pl->background && c->argc && i < 4; i++) {
		if (!strcmp(c->argv[0], own[i])) {
			bool done;
			return builtin(c, &done);
		}
	}
	return run_stages(pl);
}

/* Runs a line item by item. Expansion happens at parse time, so the line
 * is parsed again before each item: "X=1; echo $X" sees the new X. The
 * structure does not depend on values (expansions are not re-split). */
static void run_line(const char *line)
{
	struct sh_list l;
	char err[128];
	for (int i = 0;; i++) {
		if (sh_parse(line, lookup, NULL, &l, err, sizeof(err))) {
			fprintf(stderr, "sh: %s\n", err);
			sh.status = 2;
			return;
		}
		if (i >= l.n) {
			sh_free(&l);
			return;
		}
		sh.status = run_pipeline(&l.items[i]);
		while (i < l.n - 1 && ((l.ops[i] == OP_AND && sh.status != 0) ||
		                       (l.ops[i] == OP_OR && sh.status == 0)))
			i++; /* skip the item this operator guards */
		sh_free(&l);
	}
}

/* Background jobs that ended since the last prompt, as bash reports them. */
static void reap_jobs(void)
{
	int status;
	pid_t pid;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		printf("[%d] %s\n", pid,
		       WIFSIGNALED(status) ? (signame(WTERMSIG(status)) ?: "Interrupt") : "Done");
}

int main(int argc, char **argv, char **envp)
{
	for (int i = 0; envp && envp[i]; i++)
		var_set(envp[i], true);
	if (argc >= 3 && !strcmp(argv[1], "-c")) {
		run_line(argv[2]);
		return sh.status;
	}
	if (argc >= 2) { /* a script: one command line per line */
		FILE *f = fopen(argv[1], "r");
		char l[1024];
		if (!f) {
			fprintf(stderr, "sh: %s: %s\n", argv[1], strerror(errno));
			return 127;
		}
		while (fgets(l, sizeof(l), f))
			run_line(l);
		fclose(f);
		return sh.status;
	}
	sh.interactive = isatty(0);
	sh.pgrp = getpgrp();
	char line[1024];
	for (;;) {
		reap_jobs();
		const char *ps1 = lookup(NULL, "PS1");
		fputs(ps1 ? ps1 : getuid() == 0 ? "# " : "$ ", stdout);
		fflush(stdout);
		if (!fgets(line, sizeof(line), stdin))
			break;
		run_line(line);
	}
	putchar('\n');
	return sh.status;
}
