/* find [-H|-L] [PATH...] [EXPRESSION]: walks each PATH (default ".")
 * and evaluates the expression (find/expr.c) on every file; this file
 * holds the walk and the actions: -print, -print0, -exec ... {} ;,
 * -exec ... {} +, -delete, and -empty's directory read. Status 1 if any
 * file could not be reached or an action failed. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "find/expr.h"

#define BATCH_MAX 256 /* paths per -exec ... + command */

struct batch {
	char *paths[BATCH_MAX];
	int n;
};

static struct find_opts opts;
static int follow, rc;

/* Runs argv and waits: whether it exited with 0. */
static bool run(char **argv)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "find: fork: %s\n", strerror(errno));
		rc = 1;
		return false;
	}
	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "find: '%s': %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* arg with each "{}" replaced by path (malloc'd). */
static char *subst(const char *arg, const char *path)
{
	size_t n = 1, pl = strlen(path);
	for (const char *s = arg; *s; s++)
		n += (s[0] == '{' && s[1] == '}') ? pl : 1;
	char *out = malloc(n), *o = out;
	if (!out)
		exit(1);
	for (const char *s = arg; *s; s++) {
		if (s[0] == '{' && s[1] == '}') {
			memcpy(o, path, pl);
			o += pl, s++;
		} else {
			*o++ = *s;
		}
	}
	*o = 0;
	return out;
}

static bool exec_one(struct find_node *n, const char *path)
{
	char **argv = calloc((size_t)n->argc + 1, sizeof(char *));
	if (!argv)
		exit(1);
	for (int i = 0; i < n->argc; i++)
		argv[i] = subst(n->argv[i], path);
	bool ok = run(argv);
	for (int i = 0; i < n->argc; i++)
		free(argv[i]);
	free(argv);
	return ok;
}

static void flush_batch(struct find_node *n)
{
	struct batch *b = n->batch;
	if (!b || !b->n)
		return;
	char **argv = calloc((size_t)n->argc + (size_t)b->n + 1, sizeof(char *));
	if (!argv)
		exit(1);
	memcpy(argv, n->argv, (size_t)n->argc * sizeof(char *));
	memcpy(argv + n->argc, b->paths, (size_t)b->n * sizeof(char *));
	if (!run(argv))
		rc = 1; /* POSIX: the + form's failure shows in find's status */
	for (int i = 0; i < b->n; i++)
		free(b->paths[i]);
	b->n = 0;
	free(argv);
}

static void flush_all(struct find_node *n)
{
	if (!n)
		return;
	flush_all(n->l);
	flush_all(n->r);
	if (n->kind == F_EXECPLUS)
		flush_batch(n);
}

static bool dir_is_empty(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	bool empty = true;
	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			empty = false;
	if (d)
		closedir(d);
	return d && empty;
}

static bool act(struct find_ctx *c, struct find_node *n)
{
	switch (n->kind) {
	case F_PRINT:
		printf("%s\n", c->path);
		return true;
	case F_PRINT0:
		fputs(c->path, stdout);
		putchar(0);
		return true;
	case F_EXEC:
		return exec_one(n, c->path);
	case F_EXECPLUS: {
		struct batch *b = n->batch ? n->batch : (n->batch = calloc(1, sizeof(*b)));
		if (!b || !(b->paths[b->n++] = strdup(c->path)))
			exit(1);
		if (b->n == BATCH_MAX)
			flush_batch(n);
		return true;
	}
	case F_DELETE:
		if ((S_ISDIR(c->st->st_mode) ? rmdir(c->path) : unlink(c->path)) < 0 &&
		    strcmp(c->path, ".")) {
			fprintf(stderr, "find: cannot delete '%s': %s\n", c->path, strerror(errno));
			rc = 1;
			return false;
		}
		return true;
	case F_EMPTY:
		return S_ISDIR(c->st->st_mode) ? dir_is_empty(c->path) : c->st->st_size == 0;
	default:
		return true;
	}
}

static void visit(struct find_node *e, const char *path, int depth);

static void descend(struct find_node *e, const char *path, int depth)
{
	DIR *d = opendir(path);
	struct dirent *ent;
	if (!d) {
		fprintf(stderr, "find: '%s': %s\n", path, strerror(errno));
		rc = 1;
		return;
	}
	while ((ent = readdir(d))) {
		if (!strcmp(ent->d_name, ".") || !strcmp(ent->d_name, ".."))
			continue;
		size_t pl = strlen(path);
		char *p = malloc(pl + strlen(ent->d_name) + 2);
		if (!p)
			exit(1);
		sprintf(p, "%s%s%s", path, pl && path[pl - 1] == '/' ? "" : "/", ent->d_name);
		visit(e, p, depth + 1);
		free(p);
	}
	closedir(d);
}

static void visit(struct find_node *e, const char *path, int depth)
{
	struct stat st;
	int r = (follow == 2 || (follow == 1 && depth == 0)) ? stat(path, &st) : lstat(path, &st);
	if (r < 0 && lstat(path, &st) < 0) {
		fprintf(stderr, "find: '%s': %s\n", path, strerror(errno));
		rc = 1;
		return;
	}
	struct find_ctx c = {.path = path, .st = &st, .depth = depth, .act = act};
	bool in_range = depth >= opts.mindepth && (opts.maxdepth < 0 || depth <= opts.maxdepth);
	if (!opts.depth_first && in_range)
		find_eval(e, &c);
	if (S_ISDIR(st.st_mode) && !c.prune && (opts.maxdepth < 0 || depth < opts.maxdepth))
		descend(e, path, depth);
	if (opts.depth_first && in_range)
		find_eval(e, &c);
}

int main(int argc, char **argv)
{
	int i = 1;
	char err[256];
	for (; i < argc &&
	       (!strcmp(argv[i], "-H") || !strcmp(argv[i], "-L") || !strcmp(argv[i], "-P"));
	     i++)
		follow = argv[i][1] == 'H' ? 1 : argv[i][1] == 'L' ? 2 : 0;
	int first = i;
	while (i < argc && argv[i][0] != '-' && strcmp(argv[i], "(") && strcmp(argv[i], "!"))
		i++;
	struct find_node *e = find_parse(argv + i, argc - i, &opts, err, sizeof(err));
	if (!e) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	if (first == i)
		visit(e, ".", 0);
	for (int k = first; k < i; k++)
		visit(e, argv[k], 0);
	flush_all(e);
	fflush(stdout);
	find_free(e);
	return rc;
}
