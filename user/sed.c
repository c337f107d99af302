/* sed [-n] [-E|-r] [-s] [-i[SUF]] [-e SCRIPT]... [-f FILE]... [SCRIPT] [FILE...]:
 * the stream editor. sed/parse.c compiles the script, sed/subst.c does
 * s///; this file reads the input, matches addresses and runs the
 * commands on the pattern and hold spaces. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sed/sed.h"

struct str {
	char *s;
	size_t n, cap;
};

static struct sed_prog prog;
static int quiet, separate, in_place, status;
static const char *suffix;
static char **files;
static int nfiles, fi;
static FILE *in, *out;
static char *look; /* the next line, read ahead to know '$' */
static bool has_look;
static long lineno;
static struct str ps, hs, appq; /* pattern, hold, text to append */
static const regex_t *last_re;

static void str_set(struct str *d, const char *s, size_t n)
{
	if (n + 1 > d->cap && !(d->s = realloc(d->s, d->cap = n + 1 + d->cap * 2)))
		exit(4);
	memmove(d->s, s, n);
	d->s[d->n = n] = 0;
}

static void str_add(struct str *d, const char *s, size_t n)
{
	if (d->n + n + 1 > d->cap && !(d->s = realloc(d->s, d->cap = d->n + n + 1 + d->cap * 2)))
		exit(4);
	memcpy(d->s + d->n, s, n);
	d->s[d->n += n] = 0;
}

/* The next input line of the current file set (without its newline). */
static char *raw_line(void)
{
	static char *buf;
	static size_t cap;
	for (;;) {
		if (!in) {
			if (fi >= nfiles || (separate && fi > 0 && !has_look && look == NULL && 0))
				return NULL;
			if (fi >= nfiles)
				return NULL;
			const char *f = files[fi++];
			in = strcmp(f, "-") ? fopen(f, "r") : stdin;
			if (!in) {
				fprintf(stderr, "sed: can't read %s: %s\n", f, strerror(errno));
				status = 2;
				continue;
			}
		}
		ssize_t n = getline(&buf, &cap, in);
		if (n >= 0) {
			if (n && buf[n - 1] == '\n')
				buf[n - 1] = 0;
			return strdup(buf);
		}
		if (in != stdin)
			fclose(in);
		in = NULL;
		if (separate)
			return NULL; /* -s / -i: each file ends on its own */
	}
}

static bool next_line(void)
{
	if (!has_look) {
		look = raw_line();
		has_look = true;
	}
	if (!look)
		return false;
	str_set(&ps, look, strlen(look));
	free(look);
	look = raw_line();
	lineno++;
	return true;
}

static bool is_last(void)
{
	return has_look && !look;
}

static bool re_match(const regex_t *re, const char *s)
{
	if (!re && !(re = last_re)) {
		fprintf(stderr, "sed: no previous regular expression\n");
		exit(1);
	}
	last_re = re;
	return regexec(re, s, 0, NULL, 0) == 0;
}

static bool addr_is(const struct sed_addr *a)
{
	return a->kind == SA_LINE   ? lineno == a->line
	       : a->kind == SA_LAST ? is_last()
	                            : re_match(a->re, ps.s);
}

static bool matches(struct sed_cmd *c)
{
	bool m;
	if (c->naddr == 0)
		m = true;
	else if (c->naddr == 1)
		m = addr_is(&c->a1);
	else if (!c->active) {
		m = addr_is(&c->a1);
		if (m) {
			c->active = true;
			c->end_line = c->a2.kind == SA_PLUS ? lineno + c->a2.line : 0;
			if ((c->a2.kind == SA_LINE && c->a2.line <= lineno) ||
			    (c->a2.kind == SA_PLUS && c->a2.line == 0))
				c->active = false;
		}
	} else {
		m = true;
		if (c->a2.kind == SA_PLUS   ? lineno >= c->end_line
		    : c->a2.kind == SA_LINE ? lineno >= c->a2.line
		                            : addr_is(&c->a2))
			c->active = false;
	}
	return m != c->negate;
}

static void emit(const char *s, size_t n)
{
	fwrite(s, 1, n, out);
	fputc('\n', out);
}

static void flush_append(void)
{
	if (appq.n)
		fwrite(appq.s, 1, appq.n, out);
	appq.n = 0;
}

static void queue_file(const char *name)
{
	FILE *f = fopen(name, "r");
	char b[4096];
	size_t n;
	while (f && (n = fread(b, 1, sizeof(b), f)) > 0)
		str_add(&appq, b, n);
	if (f)
		fclose(f);
}

/* 'l': the pattern space unambiguously, wrapped at 70 columns. */
static void list(void)
{
	int col = 0;
	for (size_t i = 0; i < ps.n; i++) {
		unsigned char ch = (unsigned char)ps.s[i];
		char b[8];
		const char *esc = strchr("\\\a\b\f\n\r\t\v", ch);
		if (ch && esc)
			snprintf(b, sizeof(b), "\\%c", "\\abfnrtv"[esc - "\\\a\b\f\n\r\t\v"]);
		else if (ch < 32 || ch >= 127)
			snprintf(b, sizeof(b), "\\%03o", ch);
		else
			snprintf(b, sizeof(b), "%c", ch);
		if (col + (int)strlen(b) > 69) {
			fputs("\\\n", out);
			col = 0;
		}
		fputs(b, out);
		col += (int)strlen(b);
	}
	fputs("$\n", out);
}

static void subst(struct sed_cmd *c, bool *tflag)
{
	const regex_t *re = c->re ? c->re : last_re;
	char *res;
	if (!re) {
		fprintf(stderr, "sed: no previous regular expression\n");
		exit(1);
	}
	last_re = re;
	int r = sed_subst(re, c->repl, c->global, c->nth, ps.s, &res);
	if (r < 0)
		exit(4);
	if (r == 0)
		return;
	str_set(&ps, res, strlen(res));
	free(res);
	*tflag = true;
	if (c->print)
		emit(ps.s, ps.n);
}

enum { GO_ON, END_CYCLE, END_QUIET, RESTART, QUIT };

/* Runs command i; may change *pc (branches). */
static int run_cmd(struct sed_cmd *c, int *pc, bool *tflag)
{
	char *nl;
	switch (c->cmd) {
	case '{':
		return GO_ON;
	case '=':
		fprintf(out, "%ld\n", lineno);
		return GO_ON;
	case 'a':
		str_add(&appq, c->text, strlen(c->text));
		str_add(&appq, "\n", 1);
		return GO_ON;
	case 'i':
		emit(c->text, strlen(c->text));
		return GO_ON;
	case 'c':
		if (c->naddr < 2 || !c->active || c->negate)
			emit(c->text, strlen(c->text));
		return END_QUIET;
	case 'd':
		return END_QUIET;
	case 'D':
		if (!(nl = strchr(ps.s, '\n')))
			return END_QUIET;
		str_set(&ps, nl + 1, ps.n - (size_t)(nl + 1 - ps.s));
		return RESTART;
	case 'p':
		emit(ps.s, ps.n);
		return GO_ON;
	case 'P':
		nl = strchr(ps.s, '\n');
		emit(ps.s, nl ? (size_t)(nl - ps.s) : ps.n);
		return GO_ON;
	case 'n':
		if (is_last() || (!has_look && 0))
			return QUIT;
		if (!quiet)
			emit(ps.s, ps.n);
		flush_append();
		return next_line() ? GO_ON : QUIT;
	case 'N': {
		struct str keep = {0};
		if (is_last())
			return QUIT; /* GNU: print the pattern space and end */
		str_set(&keep, ps.s, ps.n);
		flush_append();
		if (!next_line())
			return QUIT;
		str_add(&keep, "\n", 1);
		str_add(&keep, ps.s, ps.n);
		free(ps.s);
		ps = keep;
		return GO_ON;
	}
	case 'g':
		str_set(&ps, hs.s ? hs.s : "", hs.n);
		return GO_ON;
	case 'G':
		str_add(&ps, "\n", 1);
		str_add(&ps, hs.s ? hs.s : "", hs.n);
		return GO_ON;
	case 'h':
		str_set(&hs, ps.s, ps.n);
		return GO_ON;
	case 'H':
		str_add(&hs, "\n", 1);
		str_add(&hs, ps.s, ps.n);
		return GO_ON;
	case 'x': {
		struct str t = ps;
		ps = hs;
		hs = t;
		if (!ps.s)
			str_set(&ps, "", 0);
		return GO_ON;
	}
	case 'l':
		list();
		return GO_ON;
	case 'z':
		str_set(&ps, "", 0);
		return GO_ON;
	case 's':
		subst(c, tflag);
		return GO_ON;
	case 'y':
		for (size_t i = 0; i < ps.n; i++)
			ps.s[i] = (char)c->ymap[(unsigned char)ps.s[i]];
		return GO_ON;
	case 'b':
	case 't':
	case 'T': {
		bool jump = c->cmd == 'b' || (c->cmd == 't') == *tflag;
		if (c->cmd != 'b' && jump == (c->cmd == 't'))
			*tflag = false;
		if (jump)
			*pc = c->jump < 0 ? prog.n : c->jump;
		return GO_ON;
	}
	case 'r':
		queue_file(c->text);
		return GO_ON;
	case 'q':
		status = c->code;
		return QUIT;
	case 'Q':
		status = c->code;
		return QUIT + 1;
	default: /* ':', '}', 'w' */
		return GO_ON;
	}
}

/* Runs the script over the input; 0, or 1 after q/Q. */
static int run(void)
{
	bool restart = false;
	while (restart || next_line()) {
		bool tflag = false;
		int r = GO_ON;
		restart = false;
		for (int pc = 0; pc < prog.n && r == GO_ON;) {
			struct sed_cmd *c = &prog.cmds[pc++];
			if (!matches(c)) {
				if (c->cmd == '{')
					pc = c->jump;
				continue;
			}
			r = run_cmd(c, &pc, &tflag);
		}
		if (r == QUIT + 1)
			return 1;
		if (r != END_QUIET && r != RESTART && !quiet)
			emit(ps.s, ps.n);
		flush_append();
		if (r == QUIT)
			return 1;
		restart = r == RESTART;
	}
	return 0;
}

/* -i: edits each file through a temporary file renamed over it. */
static int edit_in_place(void)
{
	char **all = files;
	int n = nfiles;
	for (int k = 0; k < n; k++) {
		char tmp[4096];
		snprintf(tmp, sizeof(tmp), "%s.sedtmp", all[k]);
		files = &all[k], nfiles = 1, fi = 0, has_look = false, lineno = 0;
		if (access(all[k], R_OK) < 0) {
			fprintf(stderr, "sed: can't read %s: %s\n", all[k], strerror(errno));
			status = 2;
			continue;
		}
		if (!(out = fopen(tmp, "w"))) {
			fprintf(stderr, "sed: couldn't open temporary file %s: %s\n", tmp,
			        strerror(errno));
			return 4;
		}
		int q = run();
		fclose(out);
		if (suffix && *suffix) {
			char bak[4096];
			snprintf(bak, sizeof(bak), "%s%s", all[k], suffix);
			rename(all[k], bak);
		}
		rename(tmp, all[k]);
		if (q)
			break;
	}
	return status;
}

static void add_script(struct str *s, const char *text)
{
	if (s->n)
		str_add(s, "\n", 1);
	str_add(s, text, strlen(text));
}

static int add_file(struct str *s, const char *name)
{
	FILE *f = strcmp(name, "-") ? fopen(name, "r") : stdin;
	char b[4096];
	size_t n;
	if (!f) {
		fprintf(stderr, "sed: couldn't open file %s: %s\n", name, strerror(errno));
		return -1;
	}
	if (s->n)
		str_add(s, "\n", 1);
	while ((n = fread(b, 1, sizeof(b), f)) > 0)
		str_add(s, b, n);
	if (s->n && s->s[s->n - 1] == '\n')
		s->s[--s->n] = 0;
	if (f != stdin)
		fclose(f);
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "Usage: sed [-nErsi] [-e script] [-f script-file] [script] [file...]\n");
	return 1;
}

int main(int argc, char **argv)
{
	struct str script = {0};
	int i = 1, have = 0;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if (!strcmp(a, "--help"))
			return usage(), 0;
		for (const char *c = a + 1; *c; c++) {
			if (*c == 'n')
				quiet = 1;
			else if (*c == 'E' || *c == 'r')
				prog.ere = true;
			else if (*c == 's')
				separate = 1;
			else if (*c == 'i') {
				in_place = separate = 1;
				suffix = c + 1;
				break;
			} else if (*c == 'e' || *c == 'f') {
				const char *v = c[1] ? c + 1 : argv[++i];
				if (!v)
					return fprintf(stderr,
					               "sed: option requires an argument -- '%c'\n",
					               *c),
					       usage();
				if (*c == 'e')
					add_script(&script, v);
				else if (add_file(&script, v))
					return 1;
				have = 1;
				break;
			} else {
				fprintf(stderr, "sed: invalid option -- '%c'\n", *c);
				return usage();
			}
		}
	}
	if (!have) {
		if (i >= argc)
			return usage();
		add_script(&script, argv[i++]);
	}
	if (sed_parse(&prog, script.s ? script.s : "")) {
		fprintf(stderr, "sed: %s\n", prog.err);
		return 1;
	}
	quiet |= prog.quiet;
	static char *std_in[] = {"-"};
	files = i < argc ? argv + i : std_in;
	nfiles = i < argc ? argc - i : 1;
	out = stdout;
	if (in_place) {
		if (i >= argc) {
			fprintf(stderr, "sed: no input files\n");
			return 1;
		}
		return edit_in_place();
	}
	if (separate) {
		int n = nfiles;
		for (int k = 0; k < n && fi < n;) {
			has_look = false, lineno = 0;
			if (run())
				break;
			k = fi;
		}
	} else {
		run();
	}
	fflush(stdout);
	return status;
}
