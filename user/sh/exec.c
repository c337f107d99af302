/* The executor: walks the syntax tree. Lists, and-or lists, pipelines
 * (one process per stage), subshells, groups, if, loops with break and
 * continue, case and function definitions. Simple commands are run.c's. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sh.h"

/* Is a break, continue, return or ^C on its way out? */
static bool unwinding(void)
{
	return sh.brk || sh.cont || sh.ret || sh.interrupted;
}

/* set -e: a failure outside any condition ends the shell. */
static int checked(int status)
{
	if (status && sh.opt_e && !sh.noerrexit && !sh.ret)
		sh_exit(status);
	return status;
}

/* cmd & : in a child of its own, not waited for. */
static void run_background(struct node *n)
{
	pid_t pgid = 0, pid;
	sh_flush();
	if ((pid = sh_fork(&pgid, true)) == 0) {
		n->bg = false;
		if (n->kind == N_PIPE && !n->bang &&
		    !n->a->next) /* the job's pid is the program's */
			sh_exit(run_cmd(n->a, true));
		sh_exit(run_node(n));
	}
	if (pid < 0)
		return;
	sh.lastbg = pid;
	int job = jobs_add(pid, sh.jobctl ? pgid : 0, n->text);
	if (sh.interactive && !sh.is_child)
		fprintf(stderr, "[%d] %d\n", job, (int)pid);
	sh.status = 0;
}

static int run_list(struct node *n)
{
	int status = 0;
	for (struct node *i = n->a; i && !unwinding(); i = i->next) {
		if (i->bg) {
			run_background(i);
			status = 0;
		} else {
			status = run_node(i);
		}
		sh.status = status;
		traps_run();
	}
	return sh.status;
}

static int run_and_or(struct node *n)
{
	sh.noerrexit++;
	int status = run_node(n->a);
	sh.noerrexit--;
	if (unwinding())
		return status;
	if ((n->kind == N_AND) == (status == 0))
		return run_node(n->b);
	return status;
}

/* One stage of a pipeline, in its child: in and out are its ends. */
static void pipe_child(struct node *c, int in, int out, int unused)
{
	if (unused >= 0)
		close(unused);
	if (in != 0) {
		dup2(in, 0);
		close(in);
	}
	if (out != 1) {
		dup2(out, 1);
		close(out);
	}
	sh_exit(run_cmd(c, true));
}

static int run_stages(struct node *n)
{
	pid_t pids[64], pgid = 0;
	int np = 0, in = 0;
	sh_flush();
	for (struct node *c = n->a; c && np < 64; c = c->next) {
		int fds[2] = {-1, 1};
		if (c->next && pipe(fds) < 0) {
			sh_error("pipe: %s", strerror(errno));
			break;
		}
		pid_t pid = sh_fork(&pgid, false);
		if (pid == 0)
			pipe_child(c, in, c->next ? fds[1] : 1, fds[0]);
		if (pid > 0)
			pids[np++] = pid;
		if (in != 0)
			close(in);
		if (c->next) {
			close(fds[1]);
			in = fds[0];
		}
	}
	if (in != 0)
		close(in);
	return sh_wait(pids, np, pgid);
}

static int run_pipe(struct node *n)
{
	int status;
	if (n->bang)
		sh.noerrexit++;
	if (!n->a->next)
		status = run_cmd(n->a, false);
	else
		status = run_stages(n);
	if (n->bang) {
		sh.noerrexit--;
		return !status;
	}
	return checked(status);
}

static int run_if(struct node *n)
{
	sh.noerrexit++;
	int cond = run_node(n->a);
	sh.noerrexit--;
	if (unwinding())
		return cond;
	if (cond == 0)
		return run_node(n->b);
	return n->c ? run_node(n->c) : 0;
}

/* After a loop body: true if the loop must end. */
static bool loop_exit(void)
{
	if (sh.brk) {
		sh.brk--;
		return true;
	}
	if (sh.cont) {
		sh.cont--;
		return sh.cont > 0;
	}
	return sh.ret || sh.interrupted;
}

static int run_while(struct node *n)
{
	int status = 0;
	sh.loops++;
	for (;;) {
		sh.noerrexit++;
		int cond = run_node(n->a);
		sh.noerrexit--;
		if (unwinding() && loop_exit())
			break;
		if ((cond == 0) != (n->kind == N_WHILE))
			break;
		status = run_node(n->b);
		if (unwinding() && loop_exit())
			break;
	}
	sh.loops--;
	return status;
}

static int run_for(struct node *n)
{
	struct strv items = {0};
	int status = 0;
	for (int i = 0; i < n->nwords; i++)
		if (x_fields(&sh_xenv, n->words[i], &items))
			return strv_free(&items), sh_fatal_expansion(), 1;
	if (!n->has_in)
		for (int i = 1; i <= params_count(); i++)
			strv_push(&items, strdup(params_get(i)));
	sh.loops++;
	for (int i = 0; i < items.n; i++) {
		if (var_set(n->name, items.v[i], 0))
			break;
		status = run_node(n->b);
		if (unwinding() && loop_exit())
			break;
	}
	sh.loops--;
	strv_free(&items);
	return status;
}

static int run_case(struct node *n)
{
	char *w = x_string(&sh_xenv, n->words[0], false);
	if (!w)
		return sh_fatal_expansion(), 1;
	for (struct caseitem *ci = n->cases; ci; ci = ci->next) {
		for (int i = 0; i < ci->npats; i++) {
			char *pat = x_pattern(&sh_xenv, ci->pats[i]);
			bool m = pat && sh_match(pat, w);
			free(pat);
			if (m) {
				free(w);
				return ci->body ? run_node(ci->body) : 0;
			}
		}
	}
	free(w);
	return 0;
}

static int run_subshell(struct node *n, bool forked)
{
	if (forked)
		sh_exit(run_node(n->a));
	pid_t pgid = 0;
	sh_flush();
	pid_t pid = sh_fork(&pgid, false);
	if (pid == 0)
		sh_exit(run_node(n->a));
	return pid < 0 ? 1 : sh_wait(&pid, 1, pgid);
}

static int run_compound(struct node *n, bool forked)
{
	switch (n->kind) {
	case N_SUBSHELL:
		return run_subshell(n, forked);
	case N_GROUP:
		return run_node(n->a);
	case N_IF:
		return run_if(n);
	case N_WHILE:
	case N_UNTIL:
		return run_while(n);
	case N_FOR:
		return run_for(n);
	case N_CASE:
		return run_case(n);
	default:
		return run_node(n);
	}
}

/* A command of a pipeline: simple, compound with its redirections, or a
 * function definition. forked: this process exists only to run it. */
int run_cmd(struct node *n, bool forked)
{
	if (n->kind == N_SIMPLE)
		return run_simple(n, forked);
	if (n->kind == N_FUNC) {
		func_set(n->name, n->a);
		if (sh.ar)
			sh.ar->keep = true;
		return 0;
	}
	struct saved_fds save = {.n = 0};
	int status = 1;
	sh.lineno = n->line;
	if (!redir_apply(n->redirs, forked ? NULL : &save))
		status = run_compound(n, forked);
	redir_restore(&save);
	return status;
}

int run_node(struct node *n)
{
	int status;
	if (!n)
		return 0;
	if (n->bg) {
		run_background(n);
		return 0;
	}
	switch (n->kind) {
	case N_LIST:
		status = run_list(n);
		break;
	case N_AND:
	case N_OR:
		status = run_and_or(n);
		break;
	case N_PIPE:
		status = run_pipe(n);
		break;
	default:
		status = run_cmd(n, false);
		break;
	}
	sh.status = status;
	return status;
}
