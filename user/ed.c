/* ed [-s] [-p PROMPT] [FILE]: the line editor. Commands a i c d p n l =
 * w W q Q e E f r s m t j k u z h H P with POSIX's addresses (ed/addr.c);
 * errors print "?" (with -s or H the reason too; h explains the last).
 * s/// uses sed's substitution (sed/subst.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ed/ed.h"
#include "sed/sed.h"

static struct ed_buf b;
static char **undo_lines;
static int undo_n, undo_cur, have_undo;
static char fname[1024];
static const char *prompt;
static int silent, verbose, modified, warned, status;
static char *last_repl;

static void add_line(int at, const char *s) /* after line at */
{
	if (b.n + 2 > b.cap &&
	    !(b.lines = realloc(b.lines, (size_t)(b.cap = b.cap * 2 + 16) * sizeof(char *))))
		exit(2);
	memmove(&b.lines[at + 2], &b.lines[at + 1], (size_t)(b.n - at) * sizeof(char *));
	if (!(b.lines[at + 1] = strdup(s)))
		exit(2);
	b.n++;
}

static void del_lines(int a1, int a2)
{
	memmove(&b.lines[a1], &b.lines[a2 + 1], (size_t)(b.n - a2) * sizeof(char *));
	b.n -= a2 - a1 + 1;
	for (int i = 0; i < 26; i++)
		if (b.marks[i] >= a1)
			b.marks[i] = b.marks[i] > a2 ? b.marks[i] - (a2 - a1 + 1) : 0;
}

static void save_undo(void)
{
	free(undo_lines);
	if (!(undo_lines = malloc((size_t)(b.n + 1) * sizeof(char *))))
		exit(2);
	memcpy(undo_lines, b.lines, (size_t)(b.n + 1) * sizeof(char *));
	undo_n = b.n, undo_cur = b.cur, have_undo = 1;
	modified = 1;
}

static void undo(void)
{
	char **l = malloc((size_t)(b.n + 1) * sizeof(char *));
	int n = b.n, cur = b.cur;
	if (!l)
		exit(2);
	memcpy(l, b.lines, (size_t)(b.n + 1) * sizeof(char *));
	if (undo_n + 1 > b.cap &&
	    !(b.lines = realloc(b.lines, (size_t)(b.cap = undo_n + 16) * sizeof(char *))))
		exit(2);
	memcpy(b.lines, undo_lines, (size_t)(undo_n + 1) * sizeof(char *));
	b.n = undo_n, b.cur = undo_cur;
	free(undo_lines);
	undo_lines = l, undo_n = n, undo_cur = cur;
}

/* Reads a file after line at: the byte count, or -1. */
static long read_file(const char *name, int at)
{
	FILE *f = fopen(name, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long bytes = 0;
	if (!f) {
		fprintf(stderr, "%s: %s\n", name, strerror(errno));
		b.err = "cannot open input file";
		return -1;
	}
	while ((n = getline(&line, &cap, f)) > 0) {
		bytes += n;
		if (line[n - 1] == '\n')
			line[n - 1] = 0;
		add_line(at++, line);
	}
	free(line);
	fclose(f);
	b.cur = at;
	return bytes;
}

static long write_file(const char *name, int a1, int a2, const char *mode)
{
	FILE *f = fopen(name, mode);
	long bytes = 0;
	if (!f) {
		fprintf(stderr, "%s: %s\n", name, strerror(errno));
		b.err = "cannot open output file";
		return -1;
	}
	for (int i = a1; i <= a2 && i > 0; i++)
		bytes += fprintf(f, "%s\n", b.lines[i]);
	fclose(f);
	return bytes;
}

static void print_line(int i, char how)
{
	if (how == 'n')
		printf("%d\t", i);
	if (how != 'l') {
		printf("%s\n", b.lines[i]);
		return;
	}
	for (const unsigned char *s = (const unsigned char *)b.lines[i]; *s; s++) {
		if (*s == '\\')
			printf("\\\\");
		else if (*s == '\t')
			printf("\\t");
		else if (*s < 32 || *s >= 127)
			printf("\\%03o", *s);
		else
			putchar(*s);
	}
	printf("$\n");
}

static char *read_input(void)
{
	static char *line;
	static size_t cap;
	ssize_t n = getline(&line, &cap, stdin);
	if (n < 0)
		return NULL;
	if (n && line[n - 1] == '\n')
		line[n - 1] = 0;
	return line;
}

/* a/i/c's text, up to a line holding ".", after line at. */
static void input_text(int at)
{
	char *l;
	while ((l = read_input()) && strcmp(l, "."))
		add_line(at++, l);
	b.cur = at;
}

/* s/re/repl/[g][p][N] over a1..a2; cmd points after 's'. */
static int substitute(const char *cmd, int a1, int a2)
{
	char delim = *cmd;
	if (!delim || delim == ' ' || delim == '\n')
		return b.err = "invalid pattern delimiter", -1;
	if (ed_regex(&b, &cmd))
		return -1;
	char repl[1024];
	size_t n = 0;
	while (*cmd && *cmd != delim && n < sizeof(repl) - 2) {
		if (*cmd == '\\' && cmd[1] == delim)
			cmd++;
		else if (*cmd == '\\' && cmd[1])
			repl[n++] = *cmd++;
		repl[n++] = *cmd++;
	}
	repl[n] = 0;
	if (!strcmp(repl, "%") && last_repl)
		snprintf(repl, sizeof(repl), "%s", last_repl);
	free(last_repl);
	last_repl = strdup(repl);
	if (*cmd == delim)
		cmd++;
	int global = 0, print = 0, nth = 1, done = 0;
	for (; *cmd; cmd++)
		if (*cmd == 'g')
			global = 1;
		else if (*cmd == 'p' || *cmd == 'l' || *cmd == 'n')
			print = *cmd;
		else if (*cmd >= '1' && *cmd <= '9')
			nth = (int)strtol(cmd, (char **)&cmd, 10), cmd--;
		else
			return b.err = "invalid command suffix", -1;
	save_undo();
	for (int i = a1; i <= a2; i++) {
		char *out;
		if (sed_subst(&b.last_re, repl, global, nth, b.lines[i], &out) <= 0)
			continue;
		/* a newline in the result splits the line */
		char *s = out, *nl;
		int at = i;
		b.lines[i] = s;
		while ((nl = strchr(s, '\n'))) {
			*nl = 0;
			add_line(at++, nl + 1);
			s = b.lines[at];
			a2++;
		}
		i = at;
		b.cur = at;
		done = 1;
	}
	if (!done)
		return b.err = "no match", -1;
	if (print)
		print_line(b.cur, (char)print);
	return 0;
}

/* m and t: their destination address after the command letter. */
static int dest(const char **s, int *to)
{
	int a1, a2, n;
	while (**s == ' ')
		(*s)++;
	if (ed_addrs(&b, s, &a1, &a2, &n))
		return -1;
	*to = a2;
	return 0;
}

static const char *file_arg(const char *s)
{
	while (*s == ' ')
		s++;
	return *s ? s : NULL;
}

/* Runs one command line; 0, 1 to quit, or -1 for "?". */
static int command(const char *s)
{
	int a1, a2, naddr, to;
	if (ed_addrs(&b, &s, &a1, &a2, &naddr))
		return -1;
	char c = *s ? *s++ : 0;
	if (strchr("acdijlmnpstw=k", c ? c : 'p') && (a1 > a2 || (a1 < 1 && !strchr("aitw=r", c))))
		if (!(c == 'w' && b.n == 0) && !(c == 0 && naddr))
			return b.err = "invalid address", -1;
	const char *arg = file_arg(s);
	long bytes;
	switch (c) {
	case 0: /* an address alone: print that line */
		if (!naddr) {
			if (b.cur >= b.n)
				return b.err = "invalid address", -1;
			a2 = b.cur + 1;
		}
		if (a2 < 1 || a2 > b.n)
			return b.err = "invalid address", -1;
		print_line(b.cur = a2, 'p');
		return 0;
	case 'a':
	case 'i':
	case 'c':
		save_undo();
		if (c == 'c') {
			del_lines(a1, a2);
			a2 = a1 - 1;
		}
		input_text(c == 'i' ? (a2 > 0 ? a2 - 1 : 0) : a2);
		return 0;
	case 'd':
		save_undo();
		del_lines(a1, a2);
		b.cur = a1 <= b.n ? a1 : b.n;
		return 0;
	case 'p':
	case 'n':
	case 'l':
		for (int i = a1; i <= a2; i++)
			print_line(i, c);
		b.cur = a2;
		return 0;
	case '=':
		printf("%d\n", naddr ? a2 : b.n);
		return 0;
	case 'k':
		if (*s < 'a' || *s > 'z')
			return b.err = "invalid mark character", -1;
		b.marks[*s - 'a'] = a2;
		return 0;
	case 'j':
		if (naddr < 2)
			a2 = a1 + 1;
		if (a2 > b.n)
			return b.err = "invalid address", -1;
		if (a1 == a2)
			return 0;
		save_undo();
		size_t len = 1;
		for (int i = a1; i <= a2; i++)
			len += strlen(b.lines[i]);
		char *joined = calloc(len, 1);
		if (!joined)
			exit(2);
		for (int i = a1; i <= a2; i++)
			strcat(joined, b.lines[i]);
		del_lines(a1 + 1, a2);
		b.lines[a1] = joined;
		b.cur = a1;
		return 0;
	case 'm':
	case 't': {
		if (dest(&s, &to))
			return -1;
		if (c == 'm' && to >= a1 && to < a2)
			return b.err = "invalid destination", -1;
		save_undo();
		int n = a2 - a1 + 1;
		char **tmp = malloc((size_t)n * sizeof(char *));
		if (!tmp)
			exit(2);
		memcpy(tmp, &b.lines[a1], (size_t)n * sizeof(char *));
		if (c == 'm') {
			del_lines(a1, a2);
			if (to > a2)
				to -= n;
		}
		for (int i = 0; i < n; i++)
			add_line(to + i, tmp[i]);
		free(tmp);
		b.cur = to + n;
		return 0;
	}
	case 's':
		return substitute(s, a1, a2);
	case 'u':
		if (!have_undo)
			return b.err = "nothing to undo", -1;
		undo();
		return 0;
	case 'w':
	case 'W':
		if (!arg && !fname[0])
			return b.err = "no current filename", -1;
		if (arg && !fname[0])
			snprintf(fname, sizeof(fname), "%s", arg);
		if (!naddr)
			a1 = 1, a2 = b.n;
		if ((bytes = write_file(arg ? arg : fname, a1, a2, c == 'W' ? "a" : "w")) < 0)
			return -1;
		if (!silent)
			printf("%ld\n", bytes);
		modified = 0;
		return 0;
	case 'r':
		if (!arg && !fname[0])
			return b.err = "no current filename", -1;
		save_undo();
		if ((bytes = read_file(arg ? arg : fname, naddr ? a2 : b.n)) < 0)
			return -1;
		if (!silent)
			printf("%ld\n", bytes);
		return 0;
	case 'e':
	case 'E':
		if (c == 'e' && modified && !warned) {
			warned = 1;
			return b.err = "warning: buffer modified", -1;
		}
		if (!arg && !fname[0])
			return b.err = "no current filename", -1;
		if (arg)
			snprintf(fname, sizeof(fname), "%s", arg);
		del_lines(1, b.n);
		if ((bytes = read_file(fname, 0)) < 0)
			return -1;
		if (!silent)
			printf("%ld\n", bytes);
		modified = have_undo = 0;
		return 0;
	case 'f':
		if (arg)
			snprintf(fname, sizeof(fname), "%s", arg);
		if (!fname[0])
			return b.err = "no current filename", -1;
		printf("%s\n", fname);
		return 0;
	case 'z': {
		int from = naddr ? a2 : b.cur + 1, n = 22;
		if (from < 1 || from > b.n)
			return b.err = "invalid address", -1;
		for (int i = from; i <= b.n && i < from + n; i++)
			print_line(b.cur = i, 'p');
		return 0;
	}
	case 'h':
		if (b.err)
			printf("%s\n", b.err);
		return 0;
	case 'H':
		verbose = !verbose;
		if (verbose && b.err)
			printf("%s\n", b.err);
		return 0;
	case 'P':
		prompt = prompt ? NULL : "*";
		return 0;
	case 'q':
		if (modified && !warned) {
			warned = 1;
			return b.err = "warning: buffer modified", -1;
		}
		return 1;
	case 'Q':
		return 1;
	default:
		return b.err = "unknown command", -1;
	}
}

int main(int argc, char **argv)
{
	int i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "-s"))
			silent = 1;
		else if (!strcmp(argv[i], "-p") && i + 1 < argc)
			prompt = argv[++i];
		else {
			fprintf(stderr, "usage: ed [-s] [-p prompt] [file]\n");
			return 1;
		}
	}
	if (!(b.lines = calloc(16, sizeof(char *))))
		return 2;
	b.cap = 16;
	if (i < argc) {
		snprintf(fname, sizeof(fname), "%s", argv[i]);
		long bytes = read_file(fname, 0);
		if (bytes >= 0 && !silent)
			printf("%ld\n", bytes);
		else if (bytes < 0)
			status = 1;
	}
	for (;;) {
		if (prompt) {
			fputs(prompt, stdout);
			fflush(stdout);
		}
		char *l = read_input();
		if (!l)
			break;
		int r = command(l);
		if (r == 1)
			break;
		if (r < 0) {
			status = 1;
			printf("?\n");
			if (verbose)
				printf("%s\n", b.err);
		} else if (strchr("qe", l[strspn(l, "0123456789.,;$ ")]) == NULL) {
			warned = 0;
		}
		fflush(stdout);
	}
	return status;
}
