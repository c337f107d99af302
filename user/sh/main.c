/* sh: Mica's shell. Reads commands from -c, a script, or standard input
 * (a terminal gets a prompt and line editing), parses one complete
 * command at a time (parse.c) and runs it (exec.c). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parse.h"
#include "sh.h"

struct shell sh;

static const char *xget(void *u, const char *name);
static int xset(void *u, const char *name, const char *value);
static int xnparams(void *u);
static const char *xparam(void *u, int i);
static void xerror(void *u, const char *msg);
char *sh_cmdsub(void *u, const char *text);

struct xenv sh_xenv = {.get = xget,
                       .set = xset,
                       .cmdsub = sh_cmdsub,
                       .nparams = xnparams,
                       .param = xparam,
                       .error = xerror};

/* --- what expansion sees ----------------------------------------------------- */

static const char *xget(void *u, const char *name)
{
	static char num[24], flags[16];
	(void)u;
	if (name[1] == '\0' && strchr("?$!-0", name[0])) {
		char *f = flags;
		switch (name[0]) {
		case '?':
			snprintf(num, sizeof(num), "%d", sh.status);
			return num;
		case '$':
			snprintf(num, sizeof(num), "%d", (int)sh.pid);
			return num;
		case '!':
			snprintf(num, sizeof(num), "%d", (int)sh.lastbg);
			return sh.lastbg ? num : "";
		case '0':
			return sh.arg0;
		default:
			for (const char *o = "efnuxC"; *o; o++)
				if ((*o == 'e' && sh.opt_e) || (*o == 'f' && sh.opt_f) ||
				    (*o == 'n' && sh.opt_n) || (*o == 'u' && sh.opt_u) ||
				    (*o == 'x' && sh.opt_x) || (*o == 'C' && sh.opt_C))
					*f++ = *o;
			if (sh.interactive)
				*f++ = 'i';
			*f = '\0';
			return flags;
		}
	}
	if (!strcmp(name, "LINENO")) {
		snprintf(num, sizeof(num), "%d", sh.lineno);
		return num;
	}
	return var_get(name);
}

static int xset(void *u, const char *name, const char *value)
{
	(void)u;
	return var_set(name, value, 0);
}

static int xnparams(void *u)
{
	(void)u;
	return params_count();
}

static const char *xparam(void *u, int i)
{
	(void)u;
	return params_get(i);
}

static void xerror(void *u, const char *msg)
{
	(void)u;
	sh_error("%s", msg);
}

/* --- running text ------------------------------------------------------------ */

void sh_exit(int status)
{
	if (sh.traps[0] && !sh.in_exit && !sh.is_child) {
		char *t = sh.traps[0];
		sh.in_exit = true;
		sh.traps[0] = NULL;
		sh.status = status;
		run_text(t, NULL);
	}
	sh_flush();
	exit(status);
}

/* Runs one parsed command; its tree is freed unless a function kept it. */
static void run_parsed(struct node *n, struct arena *ar)
{
	struct arena *outer = sh.ar;
	sh.ar = ar;
	if (!sh.opt_n)
		run_node(n);
	sh.ar = outer;
}

static void syntax_error(const char *err, int line)
{
	fflush(stdout);
	if (!sh.show_line)
		fprintf(stderr, "sh: %s\n", err);
	else
		fprintf(stderr, "sh: line %d: %s\n", line, err);
	sh.status = 2;
}

int run_text(const char *text, const char *what)
{
	struct parse_in in = {.text = text, .line = 1};
	char err[160];
	int saved_line = sh.lineno;
	(void)what;
	for (;;) {
		struct arena ar = {0};
		struct node *n;
		enum parse_rc rc = sh_parse_next(&in, &ar, &n, err, sizeof(err));
		if (rc == P_OK)
			run_parsed(n, &ar);
		if (!ar.keep)
			ar_free(&ar);
		if (rc == P_EOF || sh.interrupted)
			break;
		if (rc == P_ERROR || rc == P_INCOMPLETE) {
			syntax_error(err, in.line);
			if (!sh.interactive)
				sh_exit(2);
			break;
		}
	}
	sh.lineno = saved_line;
	return sh.status;
}

/* --- reading commands ------------------------------------------------------------ */

/* A line from fd 0 a byte at a time, so a command that reads standard
 * input gets the rest. NULL at the end with nothing read. */
static char *read_plain_line(void)
{
	size_t len = 0, cap = 128;
	char *s = malloc(cap), c;
	ssize_t r;
	while (s && (r = read(0, &c, 1)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		if (len + 2 > cap) {
			char *ns = realloc(s, cap *= 2);
			if (!ns)
				break;
			s = ns;
		}
		s[len++] = c;
		if (c == '\n')
			break;
	}
	if (s && len == 0) {
		free(s);
		return NULL;
	}
	if (s)
		s[len] = '\0';
	return s;
}

/* A prompt after parameter expansion (XCU 2.5.3 PS1), as if it were
 * inside double quotes; NULL when it has nothing to expand or fails. */
static char *expand_prompt(const char *p)
{
	if (!strpbrk(p, "$`"))
		return NULL;
	char *w = malloc(2 * strlen(p) + 3), *o = w;
	if (!w)
		return NULL;
	*o++ = '"';
	for (; *p; p++) {
		if (*p == '"')
			*o++ = '\\';
		*o++ = *p;
	}
	*o++ = '"';
	*o = '\0';
	char *x = x_string(&sh_xenv, w, false);
	free(w);
	return x;
}

static char *next_line(bool more, bool *intr)
{
	const char *prompt = var_get(more ? "PS2" : "PS1");
	*intr = false;
	if (!prompt)
		prompt = more ? "> " : getuid() == 0 ? "# " : "$ ";
	if (!sh.interactive)
		return read_plain_line();
	char *expanded = expand_prompt(prompt);
	char *l = le_readline(expanded ? expanded : prompt, intr);
	free(expanded);
	return l;
}

/* At the prompt, a command (all its lines) goes into the history as one
 * line, as bash's cmdhist does. */
static void remember(const char *text, size_t n, const char *marks)
{
	char *h;
	if (!sh.interactive || n == 0 || !(h = sh_history_text(text, n, marks)))
		return;
	if (h[strspn(h, " \t")])
		le_history_add(h);
	free(h);
}

/* Runs what the buffer holds; keeps an incomplete command for more lines. */
static void run_buffer(char **buf, int *line)
{
	char *marks = calloc(1, strlen(*buf) + 1);
	struct parse_in in = {.text = *buf, .line = *line, .marks = marks};
	char err[160];
	for (;;) {
		struct arena ar = {0};
		struct node *n;
		size_t start = in.pos;
		enum parse_rc rc = sh_parse_next(&in, &ar, &n, err, sizeof(err));
		if (rc == P_OK)
			remember(*buf + start, in.pos - start, marks ? marks + start : NULL);
		else if (rc == P_ERROR)
			remember(*buf + start, strlen(*buf + start), marks ? marks + start : NULL);
		if (rc == P_OK) {
			size_t len = in.pos - start;
			const char *t = *buf + start;
			while (len && strchr(" \t\n;&", t[len - 1]))
				len--;
			snprintf(sh.jobtext, sizeof(sh.jobtext), "%.*s", (int)len, t);
			run_parsed(n, &ar);
			traps_run();
		}
		if (!ar.keep)
			ar_free(&ar);
		if (rc == P_INCOMPLETE && !sh.interrupted) {
			memmove(*buf, *buf + in.pos, strlen(*buf + in.pos) + 1);
			*line = in.line;
			free(marks);
			return;
		}
		if (rc == P_ERROR) {
			syntax_error(err, in.line);
			if (!sh.interactive)
				sh_exit(2);
		}
		if (rc != P_OK || sh.interrupted) {
			**buf = '\0';
			*line = in.line + 1;
			free(marks);
			return;
		}
	}
}

static void read_loop(void)
{
	char *buf = calloc(1, 1);
	int line = 1;
	for (;;) {
		bool intr;
		traps_run();
		if (sh.interactive && !*buf)
			jobs_reap(true);
		sh.interrupted = false;
		char *l = next_line(*buf != '\0', &intr);
		if (intr) {
			*buf = '\0';
			sh.status = 130;
			free(l);
			continue;
		}
		if (!l && sh.interactive && *buf) { /* ^D at PS2: the command is dropped */
			syntax_error("syntax error: unexpected end of file", line);
			*buf = '\0';
			continue;
		}
		if (!l)
			break;
		char *nb = realloc(buf, strlen(buf) + strlen(l) + 1);
		if (nb) {
			buf = nb;
			strcat(buf, l);
		}
		free(l);
		run_buffer(&buf, &line);
	}
	if (*buf) {
		syntax_error("syntax error: unexpected end of file", line);
		sh_exit(2);
	}
	if (sh.interactive)
		fputc('\n', stderr);
	free(buf);
}

static char *read_file(const char *path)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return NULL;
	size_t len = 0, cap = 4096;
	char *s = malloc(cap);
	ssize_t r;
	while (s && (r = read(fd, s + len, cap - len - 1)) > 0) {
		len += (size_t)r;
		if (cap - len < 2) {
			char *ns = realloc(s, cap *= 2);
			if (!ns)
				free(s);
			s = ns;
		}
	}
	close(fd);
	if (s)
		s[len] = '\0';
	return s;
}

/* Exported for `.`: runs the file at path, or says why not. */
int sh_source(const char *path)
{
	char *text = read_file(path);
	if (!text) {
		sh_error("%s: %s", path, strerror(errno));
		return 127;
	}
	int status = run_text(text, path);
	free(text);
	return status;
}

/* The variables the shell sets itself (XCU 2.5.3): IFS, PPID, PWD, OPTIND. */
static void shell_vars(void)
{
	char num[24], cwd[512];
	const char *pwd = var_get("PWD");
	struct stat a, b;
	var_set("IFS", " \t\n", 0);
	snprintf(num, sizeof(num), "%d", (int)sh.ppid);
	var_set("PPID", num, 0);
	var_set("OPTIND", "1", 0);
	/* an inherited $PWD stands if it names the working directory */
	if (pwd && pwd[0] == '/' && stat(pwd, &a) == 0 && stat(".", &b) == 0 &&
	    a.st_ino == b.st_ino && a.st_dev == b.st_dev)
		return;
	if (getcwd(cwd, sizeof(cwd)))
		var_set("PWD", cwd, V_EXPORT);
}

/* -e -u -x -f -n -C and their + forms; returns how many arguments were options. */
int sh_options(int argc, char **argv, bool *cflag)
{
	int i = 1;
	for (; i < argc && (argv[i][0] == '-' || argv[i][0] == '+') && argv[i][1]; i++) {
		bool on = argv[i][0] == '-';
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		for (const char *o = argv[i] + 1; *o; o++) {
			bool *f = *o == 'e'   ? &sh.opt_e
			          : *o == 'x' ? &sh.opt_x
			          : *o == 'u' ? &sh.opt_u
			          : *o == 'f' ? &sh.opt_f
			          : *o == 'n' ? &sh.opt_n
			          : *o == 'C' ? &sh.opt_C
			                      : NULL;
			if (f)
				*f = on;
			else if (*o == 'c' && cflag)
				*cflag = true;
			else if (*o != 'i' && *o != 's' && *o != 'm') {
				sh_error("-%c: invalid option", *o);
				return -1;
			}
		}
	}
	sh_xenv.noglob = sh.opt_f;
	sh_xenv.nounset = sh.opt_u;
	return i;
}

int main(int argc, char **argv, char **envp)
{
	bool cflag = false;
	for (int i = 0; envp && envp[i]; i++)
		var_set_assign(envp[i], V_EXPORT);
	sh.pid = getpid();
	sh.ppid = getppid();
	sh.arg0 = argv[0] ? argv[0] : "sh";
	shell_vars();
	sh_alias_lookup = alias_lookup;
	int i = sh_options(argc, argv, &cflag);
	if (i < 0)
		return 2;
	if (cflag || i < argc) {
		if (i >= argc) {
			sh_error("-c: option requires an argument");
			return 2;
		}
		char *what = argv[i++];
		if (!cflag)
			sh.arg0 = what;
		else if (i < argc)
			sh.arg0 = argv[i++];
		params_set(argc - i, argv + i);
		sh.show_line = true;
		sh_exit(cflag ? run_text(what, NULL) : sh_source(what));
	}
	sh.interactive = isatty(0);
	sh.jobctl = sh.interactive;
	sh.pgrp = getpgrp();
	if (sh.jobctl) {
		sh_jobctl_signals();
		tcsetpgrp(0, sh.pgrp); /* the terminal is ours until a job takes it */
	}
	read_loop();
	sh_exit(sh.status);
}
