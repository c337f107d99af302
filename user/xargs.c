/* xargs [-0] [-n N] [-L N] [-I R] [-t] [-r] [-s N] [COMMAND [ARG]...]:
 * runs COMMAND (default echo) with arguments read from standard input
 * (blank-separated with '"' and '\' quoting as POSIX says, or NUL-
 * separated with -0). Status as GNU xargs: 123 if a command exited 1-125,
 * 124 if one exited 255, 125 if one was killed, 126/127 if it could not
 * run or was not found. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int nul, max_args, max_lines, trace, no_empty;
static const char *repl;
static size_t max_chars = 100000;
static char **cmd;
static int ncmd, status;

/* The next argument from stdin (malloc'd), or NULL at end of input;
 * *eol is set when it ended a line. */
static char *next_arg(int *eol)
{
	size_t n = 0, cap = 64;
	char *s = malloc(cap);
	int c, q = 0, any = 0;
	*eol = 0;
	if (!s)
		exit(1);
	while ((c = getchar()) != EOF) {
		if (nul ? c == 0 : (!q && (c == ' ' || c == '\t' || c == '\n'))) {
			if (c == '\n' || nul)
				*eol = 1;
			if (any || nul)
				break;
			continue;
		}
		if (!nul && !repl && !q && (c == '\'' || c == '"')) {
			q = c, any = 1;
			continue;
		}
		if (!nul && q && c == q) {
			q = 0;
			continue;
		}
		if (!nul && !q && c == '\\' && (c = getchar()) == EOF)
			break;
		if (!nul && q && c == '\n') {
			fprintf(stderr, "xargs: unmatched %s quote\n",
			        q == '"' ? "double" : "single");
			exit(1);
		}
		if (n + 2 > cap && !(s = realloc(s, cap *= 2)))
			exit(1);
		s[n++] = (char)c, any = 1;
	}
	if (!any && !(nul && n) && c == EOF) {
		free(s);
		return NULL;
	}
	s[n] = 0;
	return s;
}

/* -I: the next whole line, leading blanks dropped; NULL at the end. */
static char *next_line(void)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getdelim(&line, &cap, nul ? 0 : '\n', stdin)) > 0) {
		if (line[n - 1] == (nul ? 0 : '\n'))
			line[--n] = 0;
		char *s = line + (nul ? 0 : strspn(line, " \t"));
		if (*s || nul) {
			memmove(line, s, strlen(s) + 1);
			return line;
		}
	}
	free(line);
	return NULL;
}

static char *replace(const char *arg, const char *with)
{
	size_t rl = strlen(repl), wl = strlen(with), n = 1;
	for (const char *s = arg; *s;)
		if (!strncmp(s, repl, rl) && rl)
			n += wl, s += rl;
		else
			n++, s++;
	char *out = malloc(n), *o = out;
	if (!out)
		exit(1);
	for (const char *s = arg; *s;)
		if (!strncmp(s, repl, rl) && rl) {
			memcpy(o, with, wl);
			o += wl, s += rl;
		} else {
			*o++ = *s++;
		}
	*o = 0;
	return out;
}

/* Runs the command with args; returns 0 to go on, or exits. */
static void run(char **args, int nargs)
{
	char **argv = calloc((size_t)(ncmd + nargs + 1), sizeof(char *));
	if (!argv)
		exit(1);
	memcpy(argv, cmd, (size_t)ncmd * sizeof(char *));
	memcpy(argv + ncmd, args, (size_t)nargs * sizeof(char *));
	if (trace) {
		for (int i = 0; argv[i]; i++)
			fprintf(stderr, "%s%s", i ? " " : "", argv[i]);
		fputc('\n', stderr);
	}
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		execvp(argv[0], argv);
		int e = errno;
		fprintf(stderr, "xargs: %s: %s\n", argv[0], strerror(e));
		_exit(e == ENOENT ? 127 : 126);
	}
	int st = 0;
	if (pid < 0) {
		fprintf(stderr, "xargs: fork: %s\n", strerror(errno));
		exit(125);
	}
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	free(argv);
	if (WIFSIGNALED(st)) {
		fprintf(stderr, "xargs: %s: terminated by signal %d\n", cmd[0], WTERMSIG(st));
		exit(125);
	}
	int code = WEXITSTATUS(st);
	if (code == 255) {
		fprintf(stderr, "xargs: %s: exited with status 255; aborting\n", cmd[0]);
		exit(124);
	}
	if (code == 126 || code == 127)
		exit(code);
	if (code)
		status = 123;
}

static void run_repl(void)
{
	char *line;
	while ((line = next_line())) {
		char **args = malloc((size_t)ncmd * sizeof(char *)), **save = cmd;
		if (!args)
			exit(1);
		for (int i = 0; i < ncmd; i++)
			args[i] = replace(cmd[i], line);
		cmd = args;
		run(NULL, 0);
		cmd = save;
		for (int i = 0; i < ncmd; i++)
			free(args[i]);
		free(args);
		free(line);
	}
}

static void run_batches(void)
{
	int cap = 1024, n = 0, lines = 0, eol, ran = 0;
	size_t chars = 0;
	char **args = malloc((size_t)cap * sizeof(char *)), *a;
	if (!args)
		exit(1);
	while ((a = next_arg(&eol))) {
		if (n == cap && !(args = realloc(args, (size_t)(cap *= 2) * sizeof(char *))))
			exit(1);
		args[n++] = a;
		chars += strlen(a) + 1;
		lines += eol;
		if ((max_args && n >= max_args) || (max_lines && lines >= max_lines) ||
		    chars >= max_chars) {
			run(args, n);
			ran = 1;
			while (n)
				free(args[--n]);
			chars = 0, lines = 0;
		}
	}
	if (n || (!ran && !no_empty))
		run(args, n);
	while (n)
		free(args[--n]);
	free(args);
}

static int usage(const char *msg, const char *arg)
{
	fprintf(stderr, msg, arg);
	fprintf(stderr, "Usage: xargs [-0rt] [-n N] [-L N] [-I R] [-s N] [command [arg]...]\n");
	return 1;
}

/* The value of option c: the rest of argv[*i] or the next argument. */
static const char *value(char **argv, int *i, const char *rest, char c)
{
	if (*rest)
		return rest;
	if (!argv[*i + 1]) {
		char s[2] = {c, 0};
		usage("xargs: option requires an argument -- '%s'\n", s);
		exit(1);
	}
	return argv[++*i];
}

int main(int argc, char **argv)
{
	static char *echo[] = {"echo", NULL};
	int i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		for (const char *c = argv[i] + 1; *c; c++) {
			if (*c == '0')
				nul = 1;
			else if (*c == 't')
				trace = 1;
			else if (*c == 'r')
				no_empty = 1;
			else if (strchr("nLIs", *c)) {
				char o = *c;
				const char *v = value(argv, &i, c + 1, o);
				if (o == 'I')
					repl = v;
				else if (atol(v) <= 0)
					return usage("xargs: invalid number for -%s option\n",
					             o == 'n'   ? "n"
					             : o == 'L' ? "L"
					                        : "s");
				else if (o == 'n')
					max_args = atoi(v);
				else if (o == 'L')
					max_lines = atoi(v);
				else
					max_chars = (size_t)atol(v);
				break;
			} else {
				char s[2] = {*c, 0};
				return usage("xargs: invalid option -- '%s'\n", s);
			}
		}
	}
	cmd = i < argc ? argv + i : echo;
	ncmd = i < argc ? argc - i : 1;
	if (repl)
		run_repl();
	else
		run_batches();
	return status;
}
