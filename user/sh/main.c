/* sh: Mica's shell. Reads a line, parses it (parse.c), and runs each
 * pipeline: builtins in the shell, programs with fork + execve found
 * through PATH, the foreground job in its own process group so ^C stops
 * it and not the shell. The prompt is "# " for uid 0 and "$ " otherwise.
 * Not yet (they need the file-system server): pipes and redirections. */
#include <errno.h>
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

static int run_program(struct command *c, bool background)
{
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "sh: fork: %s\n", strerror(errno));
		return 1;
	}
	if (pid == 0) {
		setpgid(0, 0);
		for (int i = 0; i < c->nassigns; i++)
			var_set(c->assigns[i], true);
		exec_path(c->argv);
		fprintf(stderr, "sh: %s: %s\n", c->argv[0],
		        errno == ENOENT ? "not found" : strerror(errno));
		_exit(errno == ENOENT ? 127 : 126);
	}
	setpgid(pid, pid);
	if (background) {
		printf("[%d]\n", pid);
		return 0;
	}
	if (sh.interactive)
		tcsetpgrp(0, pid);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (sh.interactive)
		tcsetpgrp(0, sh.pgrp);
	return report(status);
}

/* --- builtins ---------------------------------------------------------------- */

static int builtin(struct command *c, bool *done)
{
	const char *n = c->argv[0];
	*done = true;
	if (!strcmp(n, "exit"))
		exit(c->argc > 1 ? atoi(c->argv[1]) : sh.status);
	if (!strcmp(n, "export")) {
		for (int i = 1; i < c->argc; i++) {
			if (strchr(c->argv[i], '='))
				var_set(c->argv[i], true);
			else if (var_index(c->argv[i], strlen(c->argv[i])) >= 0)
				sh.exported[var_index(c->argv[i], strlen(c->argv[i]))] = true;
		}
		return 0;
	}
	if (!strcmp(n, "wait")) {
		while (wait(NULL) > 0)
			;
		return 0;
	}
	if (!strcmp(n, "cd") || !strcmp(n, "pwd")) {
		fprintf(stderr, "sh: %s: needs the file-system server (not built yet)\n", n);
		return 1;
	}
	*done = false;
	return 0;
}

static int run_pipeline(struct pipeline *pl)
{
	struct command *c = &pl->cmds[0];
	if (pl->ncmds > 1 || c->nredirs) {
		fprintf(stderr, "sh: pipes and redirections need the file-system server "
		                "(not built yet)\n");
		return 2;
	}
	if (c->argc == 0) {
		for (int i = 0; i < c->nassigns; i++)
			var_set(c->assigns[i], false);
		return 0;
	}
	bool done;
	int r = builtin(c, &done);
	return done ? r : run_program(c, pl->background);
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
	sh.interactive = isatty(0);
	sh.pgrp = getpgrp();
	char line[1024];
	for (;;) {
		reap_jobs();
		fputs(getuid() == 0 ? "# " : "$ ", stdout);
		fflush(stdout);
		if (!fgets(line, sizeof(line), stdin))
			break;
		run_line(line);
	}
	putchar('\n');
	return sh.status;
}
