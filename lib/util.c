/* Helpers shared by the Unix utilities in user/ (see mica/util.h): what
 * cat, cp, mv, ls and the others would otherwise each write again. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mica/util.h"

/* --- options and usage messages ----------------------------------------- */

void util_help(const struct util_prog *p)
{
	fputs(p->help, stdout);
	exit(0);
}

void util_try_help(const struct util_prog *p)
{
	if (p->synopsis)
		fprintf(stderr, "%s\n", p->synopsis);
	fprintf(stderr, "Try '%s --help' for more information.\n", p->name);
	exit(p->usage_status);
}

void util_usage_error(const struct util_prog *p, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s: ", p->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	util_try_help(p);
}

/* The option -c (if c) or --name (if name); NULL if p has none such. */
static const struct util_opt *find_opt(const struct util_prog *p, char c, const char *name)
{
	for (const struct util_opt *o = p->opts; o && (o->c || o->name); o++)
		if ((c && o->c == c) || (name && o->name && !strcmp(o->name, name)))
			return o;
	return NULL;
}

static void set_opt(const struct util_opt *o)
{
	if (o->flag)
		*o->flag = o->value;
}

int util_parse_args(const struct util_prog *p, int argc, char **argv)
{
	int nops = 0, dashdash = 0;
	for (int i = 1; i < argc; i++) {
		char *a = argv[i];
		const struct util_opt *o;
		if (dashdash || a[0] != '-' || !a[1]) {
			argv[1 + nops++] = a;
		} else if (!strcmp(a, "--")) {
			dashdash = 1;
		} else if (!strcmp(a, "--help")) {
			util_help(p);
		} else if (a[1] == '-') {
			if (!(o = find_opt(p, 0, a + 2)))
				util_usage_error(p, "unrecognized option '%s'", a);
			set_opt(o);
		} else {
			for (char *c = a + 1; *c; c++) {
				if (!(o = find_opt(p, *c, NULL)))
					util_usage_error(p, "invalid option -- '%c'", *c);
				set_opt(o);
			}
		}
	}
	return nops;
}

/* --- reading, writing, copying ------------------------------------------ */

ssize_t util_read(int fd, void *buf, size_t n)
{
	ssize_t r;
	while ((r = read(fd, buf, n)) < 0 && errno == EINTR)
		;
	return r;
}

int util_write_all(int fd, const void *p, size_t n)
{
	const char *s = p;
	while (n) {
		ssize_t w = write(fd, s, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		s += w, n -= (size_t)w;
	}
	return 0;
}

/* 128 KiB at a time, as GNU cat: each read and write is one request to
 * fs (the library lends it the buffer), so fewer is faster. */
#define COPY_BUF (128 << 10)

int util_copy_fd(int in, int out)
{
	static char small[4096], *big;
	if (!big)
		big = malloc(COPY_BUF);
	char *buf = big ? big : small;
	size_t size = big ? COPY_BUF : sizeof(small);
	ssize_t n;
	while ((n = util_read(in, buf, size)) > 0)
		if (util_write_all(out, buf, (size_t)n) < 0)
			return UTIL_WRITE_ERROR;
	return n < 0 ? UTIL_READ_ERROR : 0;
}

int util_copy_file(const char *prog, const char *src, const char *dst, mode_t mode)
{
	int in = open(src, O_RDONLY), out, err;
	if (in < 0) {
		fprintf(stderr, "%s: cannot open '%s' for reading: %s\n", prog, src,
		        strerror(errno));
		return UTIL_NOT_COPIED;
	}
	if ((out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, mode)) < 0) {
		fprintf(stderr, "%s: cannot create regular file '%s': %s\n", prog, dst,
		        strerror(errno));
		close(in);
		return UTIL_NOT_COPIED;
	}
	if ((err = util_copy_fd(in, out)) == UTIL_READ_ERROR)
		fprintf(stderr, "%s: error reading '%s': %s\n", prog, src, strerror(errno));
	else if (err == UTIL_WRITE_ERROR)
		fprintf(stderr, "%s: error writing '%s': %s\n", prog, dst, strerror(errno));
	close(in);
	if (close(out) < 0 && !err) {
		fprintf(stderr, "%s: failed to close '%s': %s\n", prog, dst, strerror(errno));
		err = 1;
	}
	return err ? UTIL_COPY_BROKE : 0;
}

/* --- files and paths ---------------------------------------------------- */

int util_same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

int util_check_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) < 0 ? errno : S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
}

int util_check_replace(const char *prog, const char *src, const struct stat *ss, const char *dst,
                       const struct stat *ds)
{
	if (util_same_file(ss, ds)) {
		fprintf(stderr, "%s: '%s' and '%s' are the same file\n", prog, src, dst);
		return 1;
	}
	if (S_ISDIR(ss->st_mode) && !S_ISDIR(ds->st_mode)) {
		fprintf(stderr, "%s: cannot overwrite non-directory '%s' with directory '%s'\n",
		        prog, dst, src);
		return 1;
	}
	if (!S_ISDIR(ss->st_mode) && S_ISDIR(ds->st_mode)) {
		fprintf(stderr, "%s: cannot overwrite directory '%s' with non-directory\n", prog,
		        dst);
		return 1;
	}
	return 0;
}

size_t util_base_name(const char *path, size_t *len)
{
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	size_t b = n;
	while (b > 0 && path[b - 1] != '/')
		b--;
	*len = n - b;
	return b;
}

/* "dir/" and the first len bytes of name, malloc'd; NULL without memory. */
static char *join_n(const char *dir, const char *name, size_t len)
{
	size_t dl = strlen(dir);
	char *p = malloc(dl + len + 2);
	if (p)
		sprintf(p, "%s%s%.*s", dir, dl && dir[dl - 1] == '/' ? "" : "/", (int)len, name);
	return p;
}

char *util_path_join(const char *dir, const char *name)
{
	return join_n(dir, name, strlen(name));
}

/* Each of srcs[0..n) into the directory dir, by act. */
static int into_dir(const char *prog, const char *dir, char **srcs, int n,
                    int (*act)(const char *src, const char *dst))
{
	int rc = 0;
	for (int i = 0; i < n; i++) {
		size_t len, b = util_base_name(srcs[i], &len);
		char *dst = join_n(dir, srcs[i] + b, len);
		if (!dst) {
			fprintf(stderr, "%s: memory exhausted\n", prog);
			return 1;
		}
		rc |= act(srcs[i], dst);
		free(dst);
	}
	return rc;
}

int util_to_dest(const struct util_prog *p, char **ops, int nops,
                 int (*act)(const char *src, const char *dst))
{
	if (nops == 0)
		util_usage_error(p, "missing file operand");
	if (nops == 1)
		util_usage_error(p, "missing destination file operand after '%s'", ops[0]);
	const char *dir = ops[nops - 1];
	int err = util_check_dir(dir);
	if (!err)
		return into_dir(p->name, dir, ops, nops - 1, act);
	if (nops == 2)
		return act(ops[0], ops[1]);
	fprintf(stderr, "%s: target '%s': %s\n", p->name, dir, strerror(err));
	return 1;
}

/* --- modes and devices -------------------------------------------------- */

void util_mode_string(mode_t m, char s[11])
{
	s[0] = S_ISDIR(m)    ? 'd'
	       : S_ISLNK(m)  ? 'l'
	       : S_ISCHR(m)  ? 'c'
	       : S_ISBLK(m)  ? 'b'
	       : S_ISFIFO(m) ? 'p'
	       : S_ISSOCK(m) ? 's'
	       : S_ISREG(m)  ? '-'
	                     : '?';
	const char *rwx = "rwxrwxrwx";
	for (int i = 0; i < 9; i++)
		s[1 + i] = m & (0400 >> i) ? rwx[i] : '-';
	if (m & S_ISUID)
		s[3] = s[3] == 'x' ? 's' : 'S';
	if (m & S_ISGID)
		s[6] = s[6] == 'x' ? 's' : 'S';
	if (m & S_ISVTX)
		s[9] = s[9] == 'x' ? 't' : 'T';
	s[10] = '\0';
}

/* Linux's dev_t encoding (picolibc's dev_t is 16 bits: major << 8 | minor). */
static unsigned long long devnum(dev_t d)
{
	return sizeof(d) == 2 ? (unsigned short)d : (unsigned long long)d;
}

unsigned util_dev_major(dev_t d)
{
	unsigned long long v = devnum(d);
	return (unsigned)(((v >> 8) & 0xfff) | ((v >> 32) & ~0xfffull));
}

unsigned util_dev_minor(dev_t d)
{
	unsigned long long v = devnum(d);
	return (unsigned)((v & 0xff) | ((v >> 12) & ~0xffull));
}
