/* grep: POSIX grep over the C library's regcomp/regexec. Patterns are basic
 * regular expressions (default, -G), extended ones (-E) or fixed strings
 * (-F); prints the selected lines, their count (-c) or the files' names
 * (-l, -L). Status 0 if a line was selected, 1 if none, 2 after an error. */
#include <dirent.h>
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mica/utilopt.h"

/* One pattern; an empty one matches the empty string everywhere, which
 * regcomp refuses to compile. */
struct pattern {
	regex_t re;
	int empty;
};

static struct pattern *pats;
static size_t npats;
static char **srcs; /* the patterns as given, one a line */
static size_t nsrcs;

static int syntax = 'G', icase, invert, count_only, list, list_missing, number, quiet, silent;
static int word, whole, only, recursive, with_name = -2; /* -2: unset; -1: when recursing */
static int error, any_selected;

static const struct util_prog prog = {
    .name = "grep",
    .help = "Usage: grep [OPTION]... PATTERNS [FILE]...\n"
            "Search for PATTERNS in each FILE.\n\n"
            "  -E  PATTERNS are extended regular expressions\n"
            "  -F  PATTERNS are strings\n"
            "  -G  PATTERNS are basic regular expressions (the default)\n"
            "  -e PATTERNS  use PATTERNS for matching\n"
            "  -f FILE      take PATTERNS from FILE\n"
            "  -i  ignore case distinctions in patterns and data\n"
            "  -w  match only whole words\n"
            "  -x  match only whole lines\n"
            "  -v  select non-matching lines\n"
            "  -c  print only a count of selected lines per FILE\n"
            "  -l  print only names of FILEs with selected lines\n"
            "  -L  print only names of FILEs with no selected lines\n"
            "  -n  print line number with output lines\n"
            "  -H  print file name with output lines\n"
            "  -h  suppress the file name prefix on output\n"
            "  -o  show only nonempty parts of lines that match\n"
            "  -q  suppress all normal output\n"
            "  -s  suppress error messages about unreadable files\n"
            "  -r  search directories recursively (-R: following links)\n\n"
            "When FILE is '-', read standard input. With no FILE, read '.' if\n"
            "recursive, '-' otherwise.\n"
            "Exit status is 0 if any line is selected, 1 otherwise;\n"
            "if any error occurs and -q is not given, the exit status is 2.\n",
    .synopsis = "Usage: grep [OPTION]... PATTERNS [FILE]...",
    .usage_status = 2,
    .opts = NULL,
};

static void *xrealloc(void *p, size_t n)
{
	if (!(p = realloc(p, n))) {
		fprintf(stderr, "grep: memory exhausted\n");
		exit(2);
	}
	return p;
}

/* Adds the patterns in s, one a line. */
static void add_patterns(const char *s)
{
	for (;;) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		srcs = xrealloc(srcs, (nsrcs + 1) * sizeof(*srcs));
		srcs[nsrcs] = xrealloc(NULL, n + 1);
		memcpy(srcs[nsrcs], s, n);
		srcs[nsrcs++][n] = '\0';
		if (!nl)
			return;
		s = nl + 1;
	}
}

/* Adds the lines of FILE (-f) as patterns; an empty file adds none. */
static void add_pattern_file(const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!f) {
		fprintf(stderr, "grep: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	char *s = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&s, &cap, f)) > 0) {
		if (s[n - 1] == '\n')
			s[n - 1] = '\0';
		add_patterns(s);
	}
	free(s);
	if (f != stdin)
		fclose(f);
}

/* s as a basic regular expression that matches it literally (-F). */
static char *quote_fixed(const char *s)
{
	char *q = xrealloc(NULL, 2 * strlen(s) + 1), *p = q;
	for (; *s; s++) {
		if (strchr("\\.[*^$", *s))
			*p++ = '\\';
		*p++ = *s;
	}
	*p = '\0';
	return q;
}

static void compile_patterns(void)
{
	int flags = (syntax == 'E' ? REG_EXTENDED : 0) | (icase ? REG_ICASE : 0);
	pats = xrealloc(NULL, (nsrcs + 1) * sizeof(*pats));
	for (size_t i = 0; i < nsrcs; i++) {
		struct pattern *p = &pats[npats++];
		p->empty = !*srcs[i];
		if (p->empty)
			continue;
		char *src = syntax == 'F' ? quote_fixed(srcs[i]) : srcs[i];
		int rc = regcomp(&p->re, src, flags);
		if (src != srcs[i])
			free(src);
		if (rc) {
			char msg[128];
			regerror(rc, &p->re, msg, sizeof(msg));
			fprintf(stderr, "grep: %s\n", msg);
			exit(2);
		}
	}
}

/* The leftmost-longest match of p in s[start, end) (the line is s[0, len)). */
static int re_find(const struct pattern *p, const char *s, size_t start, size_t end, size_t len,
                   regmatch_t *m)
{
	m->rm_so = (regoff_t)start;
	m->rm_eo = (regoff_t)(p->empty ? start : end);
	if (p->empty)
		return 1;
	int flags = REG_STARTEND | (start > 0 ? REG_NOTBOL : 0) | (end < len ? REG_NOTEOL : 0);
	return regexec(&p->re, s, 1, m, flags) == 0;
}

static int is_word_char(char c)
{
	return c == '_' || (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z');
}

/* s[so, eo) has no word character on either side (-w). */
static int is_word(const char *s, size_t len, size_t so, size_t eo)
{
	return (so == 0 || !is_word_char(s[so - 1])) && (eo == len || !is_word_char(s[eo]));
}

/* The first match of p at or after start that -w and -x accept: as GNU
 * grep does, a match that is not a word is shortened, then moved on. */
static int pat_find(const struct pattern *p, const char *s, size_t len, size_t start, regmatch_t *m)
{
	if (whole)
		return start == 0 && re_find(p, s, 0, len, len, m) && m->rm_so == 0 &&
		       (size_t)m->rm_eo == len;
	for (;;) {
		if (!re_find(p, s, start, len, len, m))
			return 0;
		size_t so = (size_t)m->rm_so;
		if (!word || is_word(s, len, so, (size_t)m->rm_eo))
			return 1;
		for (size_t e = (size_t)m->rm_eo; e-- > so;) {
			regmatch_t t;
			if (re_find(p, s, so, e, len, &t) && (size_t)t.rm_so == so &&
			    is_word(s, len, so, (size_t)t.rm_eo)) {
				*m = t;
				return 1;
			}
		}
		if (so >= len)
			return 0;
		start = so + 1;
	}
}

/* The leftmost, then longest, match of any pattern at or after start. */
static int line_find(const char *s, size_t len, size_t start, regmatch_t *m)
{
	int found = 0;
	for (size_t i = 0; i < npats; i++) {
		regmatch_t t;
		if (!pat_find(&pats[i], s, len, start, &t))
			continue;
		if (!found || t.rm_so < m->rm_so || (t.rm_so == m->rm_so && t.rm_eo > m->rm_eo))
			*m = t;
		found = 1;
	}
	return found;
}

static void prefix(const char *name, unsigned long lineno)
{
	if (with_name > 0)
		printf("%s:", name);
	if (number)
		printf("%lu:", lineno);
}

/* -o: each nonempty match in the line, one a line. */
static void print_matches(const char *name, unsigned long lineno, const char *s, size_t len)
{
	regmatch_t m;
	for (size_t pos = 0; pos <= len && line_find(s, len, pos, &m);) {
		if (m.rm_eo == m.rm_so) {
			pos = (size_t)m.rm_so + 1;
			continue;
		}
		prefix(name, lineno);
		fwrite(s + m.rm_so, 1, (size_t)(m.rm_eo - m.rm_so), stdout);
		putchar('\n');
		pos = (size_t)m.rm_eo;
	}
}

static void file_error(const char *name, int err)
{
	if (!silent)
		fprintf(stderr, "grep: %s: %s\n", name, strerror(err));
	error = 1;
}

/* Searches one stream and prints what the flags ask for. */
static void grep_stream(FILE *f, const char *name)
{
	char *s = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned long lineno = 0;
	long selected = 0;
	while ((n = getline(&s, &cap, f)) > 0) {
		size_t len = (size_t)n - (s[n - 1] == '\n');
		regmatch_t m;
		lineno++;
		if (line_find(s, len, 0, &m) == invert)
			continue;
		selected++;
		if (quiet)
			exit(0);
		if (list || list_missing)
			break;
		if (count_only || (only && invert))
			continue;
		if (only) {
			print_matches(name, lineno, s, len);
			continue;
		}
		prefix(name, lineno);
		fwrite(s, 1, len, stdout);
		putchar('\n');
	}
	if (ferror(f))
		file_error(name, errno);
	free(s);
	if (count_only && !list && !list_missing) {
		if (with_name > 0)
			printf("%s:", name);
		printf("%ld\n", selected);
	}
	if ((list && selected) || (list_missing && !selected))
		puts(name);
	if (selected)
		any_selected = 1;
}

static void grep_path(const char *path, int top);

/* -r: every entry of dir; names below "." given implicitly lose the "./". */
static void grep_dir(const char *dir, int implicit)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	if (!d) {
		file_error(dir, errno);
		return;
	}
	if (with_name == -1)
		with_name = 1;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char *child = implicit ? strdup(e->d_name) : util_path_join(dir, e->d_name);
		if (!child) {
			fprintf(stderr, "grep: memory exhausted\n");
			exit(2);
		}
		grep_path(child, 0);
		free(child);
	}
	closedir(d);
}

static void grep_path(const char *path, int top)
{
	struct stat st;
	if (top && !strcmp(path, "-")) {
		grep_stream(stdin, "(standard input)");
		clearerr(stdin);
		return;
	}
	int rc = top || recursive == 'R' ? stat(path, &st) : lstat(path, &st);
	if (rc < 0) {
		file_error(path, errno);
		return;
	}
	if (S_ISLNK(st.st_mode))
		return; /* -r follows only the links it is given */
	if (S_ISDIR(st.st_mode)) {
		if (recursive)
			grep_dir(path, 0);
		else
			file_error(path, EISDIR);
		return;
	}
	FILE *f = fopen(path, "r");
	if (!f) {
		file_error(path, errno);
		return;
	}
	grep_stream(f, path);
	fclose(f);
}

/* The options that only set a flag. */
static int *const flags[128] = {
    ['i'] = &icase,  ['y'] = &icase,        ['v'] = &invert, ['c'] = &count_only,
    ['l'] = &list,   ['L'] = &list_missing, ['n'] = &number, ['q'] = &quiet,
    ['s'] = &silent, ['x'] = &whole,        ['w'] = &word,   ['o'] = &only,
};

/* picolibc's getopt_long stops at a lone "-" operand: it stands in here. */
static char dash[] = "\001";

static void parse_options(int argc, char **argv)
{
	int c, given = 0;
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-"))
			argv[i] = dash;
	while ((c = util_getopt(&prog, argc, argv, "EFGe:f:iyvclLnhHqsxworR", NULL)) != -1) {
		if (optarg == dash)
			optarg = "-";
		if (c == 'E' || c == 'F' || c == 'G')
			syntax = c;
		else if (c == 'e')
			add_patterns(optarg), given = 1;
		else if (c == 'f')
			add_pattern_file(optarg), given = 1;
		else if (c == 'h' || c == 'H')
			with_name = c == 'H';
		else if (c == 'r' || c == 'R')
			recursive = c;
		else if (c > 0 && c < 128 && flags[c])
			*flags[c] = 1;
	}
	if (list)
		list_missing = 0;
	for (int i = optind; i < argc; i++)
		if (argv[i] == dash)
			argv[i] = "-";
	if (!given) {
		if (optind == argc)
			util_try_help(&prog);
		add_patterns(argv[optind++]);
	}
}

int main(int argc, char **argv)
{
	parse_options(argc, argv);
	compile_patterns();
	int nfiles = argc - optind;
	if (with_name == -2)
		with_name = nfiles > 1 ? 1 : recursive ? -1 : 0;
	if (!nfiles && recursive)
		grep_dir(".", 1);
	else if (!nfiles)
		grep_path("-", 1);
	for (int i = optind; i < argc; i++)
		grep_path(argv[i], 1);
	return error ? 2 : any_selected ? 0 : 1;
}
