/* Simple commands (XCU 2.9.1): expansion, assignments, redirections, then
 * a special builtin, a function, a builtin or a program through PATH; and
 * command substitution, which runs a command in a child and reads its
 * output. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "parse.h"
#include "sh.h"

void sh_error(const char *fmt, ...)
{
	va_list ap;
	fflush(stdout);
	fputs("sh: ", stderr);
	if (sh.show_line && sh.lineno > 0)
		fprintf(stderr, "line %d: ", sh.lineno);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* An expansion failed (message given): a script ends, a prompt goes on. */
void sh_fatal_expansion(void)
{
	sh.status = 2;
	if (!sh.interactive)
		sh_exit(2);
	sh.interrupted = true; /* the rest of the line is dropped */
}

const char *sh_find_path(const char *name, char *buf, size_t len)
{
	const char *p = var_get("PATH");
	struct stat st;
	if (strchr(name, '/'))
		return name;
	for (p = p ? p : "/bin"; *p;) {
		size_t n = strcspn(p, ":");
		snprintf(buf, len, "%.*s%s%s", (int)n, p, n ? "/" : "", name);
		if (stat(buf, &st) == 0 && S_ISREG(st.st_mode))
			return buf;
		p += n + (p[n] == ':');
	}
	return NULL;
}

static bool exec_binary; /* the last ENOEXEC was a file that looks binary */

/* Why exec_path failed, as the message after "sh: NAME: ". */
const char *exec_error(int e)
{
	if (e == ENOENT)
		return "not found";
	return e == ENOEXEC && exec_binary ? "cannot execute binary file" : strerror(e);
}

/* Does the file start with a NUL in its first 80 bytes (so not a script)? */
static bool looks_binary(const char *path)
{
	char buf[80];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf));
	if (fd >= 0)
		close(fd);
	return n < 0 || memchr(buf, '\0', (size_t)n) != NULL;
}

/* execve failed with ENOEXEC: the file is a script without #!, which POSIX
 * says a new shell runs with $0 the file's name. Returns only when the
 * file looks binary (errno stays ENOEXEC) or /bin/sh cannot run. */
static void exec_script(const char *path, char **argv, char **envp)
{
	int n = 0;
	if (access(path, X_OK) != 0) { /* pm tries any file; sh runs only executable ones */
		errno = EACCES;
		return;
	}
	exec_binary = looks_binary(path);
	if (exec_binary) {
		errno = ENOEXEC;
		return;
	}
	while (argv[n])
		n++;
	char **v = calloc((size_t)n + 2, sizeof(char *));
	if (!v)
		return;
	v[0] = "sh";
	v[1] = (char *)path;
	memcpy(v + 2, argv + 1, sizeof(char *) * (size_t)n);
	execve("/bin/sh", v, envp);
	free(v);
}

/* execve, then a script through sh if the file is not a program. */
static void exec_one(const char *path, char **argv, char **envp)
{
	execve(path, argv, envp);
	if (errno == ENOEXEC)
		exec_script(path, argv, envp);
}

/* execve through PATH, trying each directory (stat would need fs, and
 * pm can still run programs from the boot archive without it); returns
 * only on failure, with errno set. */
void exec_path(char **argv, char **envp)
{
	char path[512];
	exec_binary = false;
	if (strchr(argv[0], '/')) {
		exec_one(argv[0], argv, envp);
		return;
	}
	const char *p = var_get("PATH");
	int saved = ENOENT;
	for (p = p ? p : "/bin"; *p;) {
		size_t n = strcspn(p, ":");
		snprintf(path, sizeof(path), "%.*s%s%s", (int)n, p, n ? "/" : "", argv[0]);
		exec_one(path, argv, envp);
		if (errno != ENOENT)
			saved = errno;
		p += n + (p[n] == ':');
	}
	errno = saved;
}

/* In a child: runs the program, or says why not and exits 127 or 126. */
static void exec_external(char **argv)
{
	exec_path(argv, var_environ());
	int e = errno;
	sh_error("%s: %s", argv[0], exec_error(e));
	sh_exit(e == ENOENT ? 127 : 126);
}

/* Prints the trace of set -x. */
static void xtrace(struct node *n, struct strv *args)
{
	const char *ps4 = var_get("PS4");
	fputs(ps4 ? ps4 : "+ ", stderr);
	for (int i = 0; i < n->nassigns; i++)
		fprintf(stderr, "%s%s", n->assigns[i], i + 1 < n->nassigns || args->n ? " " : "");
	for (int i = 0; i < args->n; i++)
		fprintf(stderr, "%s%s", args->v[i], i + 1 < args->n ? " " : "");
	fputc('\n', stderr);
}

/* NAME=value words, expanded and set with flags; -1 on an error. */
static int assign_all(struct node *n, unsigned flags)
{
	for (int i = 0; i < n->nassigns; i++) {
		char *v = x_string(&sh_xenv, n->assigns[i], true);
		if (!v)
			return sh_fatal_expansion(), -1;
		int rc = var_set_assign(v, flags);
		free(v);
		if (rc && !sh.interactive) /* a readonly variable: fatal in a script */
			sh_exit(2);
		if (rc)
			return -1;
	}
	return 0;
}

/* Saves the variables a builtin's or function's assignments change. */
static void assigns_save(struct node *n, struct strv *old, struct strv *had)
{
	for (int i = 0; i < n->nassigns; i++) {
		char name[256];
		snprintf(name, sizeof(name), "%.*s", (int)strcspn(n->assigns[i], "="),
		         n->assigns[i]);
		const char *v = var_get(name);
		strv_push(had, strdup(name));
		strv_push(old, strdup(v ? v : "\x01"));
	}
}

static void assigns_restore(struct strv *old, struct strv *had)
{
	for (int i = 0; i < had->n; i++) {
		if (!strcmp(old->v[i], "\x01"))
			var_unset(had->v[i]);
		else
			var_set(had->v[i], old->v[i], 0);
	}
	strv_free(old);
	strv_free(had);
}

/* A builtin or function in the shell itself, redirections undone after. */
static int run_here(struct node *n, struct strv *args, builtin_fn fn, struct node *body,
                    bool special)
{
	struct saved_fds save = {.n = 0};
	struct strv old = {0}, had = {0};
	bool keep = fn && !strcmp(args->v[0], "exec") && args->n == 1;
	int status = 1;
	if (!special)
		assigns_save(n, &old, &had);
	if (assign_all(n, special ? 0 : V_EXPORT) == 0 &&
	    !redir_apply(n->redirs, keep ? NULL : &save)) {
		status = fn ? fn(args->n, args->v) : run_function(body, args->n, args->v);
		fflush(stdout);
	} else if (special && !sh.interactive) {
		sh_exit(1);
	}
	redir_restore(&save);
	if (!special)
		assigns_restore(&old, &had);
	return status;
}

/* A program: forked unless this process is only here to run it. */
static int run_program(struct node *n, struct strv *args, bool forked)
{
	pid_t pgid = 0, pid = 0;
	if (!forked) {
		sh_flush();
		pid = sh_fork(&pgid, false);
	}
	if (pid == 0) {
		if (redir_apply(n->redirs, NULL) || assign_all(n, V_EXPORT))
			sh_exit(1);
		exec_external(args->v);
	}
	return pid < 0 ? 1 : sh_wait(&pid, 1, pgid);
}

/* Only assignments and redirections: the redirections are made, then undone. */
static int run_bare(struct node *n)
{
	struct saved_fds save = {.n = 0};
	int status = redir_apply(n->redirs, &save) ? 1 : 0;
	redir_restore(&save);
	if (assign_all(n, 0))
		return 1;
	return status ? status : sh.subst_status;
}

int run_simple(struct node *n, bool forked)
{
	struct strv args = {0};
	int status;
	sh.lineno = n->line;
	sh.subst_status = 0;
	for (int i = 0; i < n->nwords; i++)
		if (x_fields(&sh_xenv, n->words[i], &args)) {
			strv_free(&args);
			sh_fatal_expansion();
			return 2;
		}
	if (sh.opt_x)
		xtrace(n, &args);
	if (args.n == 0) {
		status = run_bare(n);
	} else {
		bool special = false;
		builtin_fn fn = builtin_find(args.v[0], &special);
		struct node *body = special ? NULL : func_get(args.v[0]);
		if (body)
			fn = NULL;
		if (body || fn)
			status = run_here(n, &args, fn, body, special);
		else
			status = run_program(n, &args, forked);
	}
	strv_free(&args);
	return status;
}

int run_function(struct node *body, int argc, char **argv)
{
	char **ov;
	int on, status;
	params_save(&ov, &on);
	params_set(argc - 1, argv + 1);
	var_push_frame();
	sh.funcs++;
	status = run_cmd(body, false);
	if (sh.ret) {
		sh.ret = false;
		status = sh.status;
	}
	sh.funcs--;
	var_pop_frame();
	params_restore(ov, on);
	return status;
}

/* `command NAME ARGS`: a builtin or a program, never a function. */
int run_argv(int argc, char **argv)
{
	bool special;
	builtin_fn fn = builtin_find(argv[0], &special);
	if (fn)
		return fn(argc, argv);
	pid_t pgid = 0;
	sh_flush();
	pid_t pid = sh_fork(&pgid, false);
	if (pid == 0)
		exec_external(argv);
	return pid < 0 ? 1 : sh_wait(&pid, 1, pgid);
}

void sh_flush(void)
{
	fflush(stdout);
	fflush(stderr);
}
