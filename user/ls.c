/* ls [-l] [-a] [-i] [-d] [-1] [FILE]...: lists directories' entries (sorted by name) and
 * files; -l long format, -a dot files too, -i inode numbers, -d directories themselves. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mica/util.h"

struct ent {
	char *name; /* as shown */
	char *path; /* to stat and readlink */
	struct stat st;
	int have_st;
};

struct list {
	struct ent *v;
	int n, cap;
};

static int opt_long, opt_all, opt_inode, opt_dir, opt_one, status;

static const struct util_opt opts[] = {
    {'l', NULL, &opt_long, 1}, {'a', NULL, &opt_all, 1}, {'i', NULL, &opt_inode, 1},
    {'d', NULL, &opt_dir, 1},  {'1', NULL, &opt_one, 1}, {0},
};
static const struct util_prog prog = {
    .name = "ls",
    .help = "Usage: ls [OPTION]... [FILE]...\n"
            "List information about the FILEs (the current directory by default),\n"
            "sorted by name.\n\n"
            "  -a  do not ignore entries starting with .\n"
            "  -d  list directories themselves, not their contents\n"
            "  -i  print the index number of each file\n"
            "  -l  use a long listing format\n"
            "  -1  list one file per line\n",
    .usage_status = 2,
    .opts = opts,
};

static void nomem(void)
{
	fprintf(stderr, "ls: memory exhausted\n");
	exit(2);
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		nomem();
	return p;
}

static char *xstrdup(const char *s)
{
	return strcpy(xmalloc(strlen(s) + 1), s);
}

static char *join(const char *dir, const char *name)
{
	char *p = util_path_join(dir, name);
	if (!p)
		nomem();
	return p;
}

static struct ent *add(struct list *l, const char *name, char *path)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		struct ent *v = realloc(l->v, (size_t)l->cap * sizeof(*v));
		if (!v)
			nomem();
		l->v = v;
	}
	struct ent *e = &l->v[l->n++];
	*e = (struct ent){.name = xstrdup(name), .path = path};
	return e;
}

static void clear(struct list *l)
{
	for (int i = 0; i < l->n; i++)
		free(l->v[i].name), free(l->v[i].path);
	l->n = 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct ent *)a)->name, ((const struct ent *)b)->name);
}

static int digits(unsigned long long v)
{
	int n = 1;
	for (; v >= 10; v /= 10)
		n++;
	return n;
}

struct widths {
	int ino, nlink, uid, gid, size, major, minor;
};

static void measure(const struct list *l, struct widths *w)
{
	*w = (struct widths){0};
	for (int i = 0; i < l->n; i++) {
		const struct ent *e = &l->v[i];
		if (!e->have_st)
			continue;
		const struct stat *st = &e->st;
		int d;
		if ((d = digits((unsigned long long)st->st_ino)) > w->ino)
			w->ino = d;
		if ((d = digits((unsigned long long)st->st_nlink)) > w->nlink)
			w->nlink = d;
		if ((d = digits((unsigned long long)st->st_uid)) > w->uid)
			w->uid = d;
		if ((d = digits((unsigned long long)st->st_gid)) > w->gid)
			w->gid = d;
		if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode)) {
			if ((d = digits(util_dev_major(st->st_rdev))) > w->major)
				w->major = d;
			if ((d = digits(util_dev_minor(st->st_rdev))) > w->minor)
				w->minor = d;
			if (w->major + 2 + w->minor > w->size)
				w->size = w->major + 2 + w->minor;
		} else if ((d = digits((unsigned long long)st->st_size)) > w->size) {
			w->size = d;
		}
	}
}

static void print_long(const struct ent *e, const struct widths *w)
{
	const struct stat *st = &e->st;
	char mode[11], date[32];
	if (opt_inode)
		printf("%*llu ", w->ino, (unsigned long long)st->st_ino);
	util_mode_string(st->st_mode, mode);
	printf("%s %*lu %*u %*u ", mode, w->nlink, (unsigned long)st->st_nlink, w->uid,
	       (unsigned)st->st_uid, w->gid, (unsigned)st->st_gid);
	if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode))
		printf("%*s%*u, %*u ", w->size - (w->major + 2 + w->minor), "", w->major,
		       util_dev_major(st->st_rdev), w->minor, util_dev_minor(st->st_rdev));
	else
		printf("%*llu ", w->size, (unsigned long long)st->st_size);
	time_t t = st->st_mtime;
	struct tm *tm = gmtime(&t);
	if (!tm || !strftime(date, sizeof(date), "%b %e %H:%M", tm))
		strcpy(date, "?");
	printf("%s %s", date, e->name);
	if (S_ISLNK(st->st_mode)) {
		char target[4096];
		ssize_t n = readlink(e->path, target, sizeof(target) - 1);
		if (n < 0) {
			fprintf(stderr, "ls: cannot read symbolic link '%s': %s\n", e->path,
			        strerror(errno));
			status = status ? status : 1;
		} else {
			target[n] = '\0';
			printf(" -> %s", target);
		}
	}
	putchar('\n');
}

/* Shown width of an entry in the short formats. */
static size_t ent_width(const struct ent *e, const struct widths *w)
{
	return strlen(e->name) + (opt_inode ? (size_t)w->ino + 1 : 0);
}

static void print_short(const struct ent *e, const struct widths *w)
{
	if (opt_inode)
		printf("%*llu ", w->ino, e->have_st ? (unsigned long long)e->st.st_ino : 0ull);
	fputs(e->name, stdout);
}

/* Columns filled top to bottom, each as wide as its widest entry plus two
 * blanks, as many as fit in the line (coreutils' layout). */
static void print_columns(const struct list *l, const struct widths *w)
{
	size_t linelen = 80, n = (size_t)l->n;
	const char *c = getenv("COLUMNS");
	if (c && atoi(c) > 0)
		linelen = (size_t)atoi(c);
	size_t maxcols = linelen / 3 + (linelen % 3 != 0);
	if (maxcols > n)
		maxcols = n;
	size_t *colw = xmalloc(maxcols * sizeof(*colw)), cols;
	for (cols = maxcols; cols > 1; cols--) {
		size_t rows = (n + cols - 1) / cols, total = 0;
		memset(colw, 0, cols * sizeof(*colw));
		for (size_t i = 0; i < n; i++) {
			size_t col = i / rows,
			       len = ent_width(&l->v[i], w) + (col == cols - 1 ? 0 : 2);
			if (len > colw[col])
				colw[col] = len;
		}
		for (size_t k = 0; k < cols; k++)
			total += colw[k] < 3 ? 3 : colw[k];
		if (total < linelen)
			break;
	}
	size_t rows = (n + cols - 1) / cols;
	if (cols == 1)
		colw[0] = 0;
	for (size_t r = 0; r < rows; r++) {
		size_t pos = 0;
		for (size_t i = r, col = 0; i < n; i += rows, col++) {
			print_short(&l->v[i], w);
			if (i + rows >= n)
				break;
			/* pad with tabs (every 8 columns) and blanks, as coreutils does */
			size_t from = pos + ent_width(&l->v[i], w), to = pos + colw[col];
			while (from < to) {
				if (to / 8 > (from + 1) / 8) {
					putchar('\t');
					from += 8 - from % 8;
				} else {
					putchar(' ');
					from++;
				}
			}
			pos = to;
		}
		putchar('\n');
	}
	free(colw);
}

static void print_list(struct list *l)
{
	struct widths w;
	qsort(l->v, (size_t)l->n, sizeof(*l->v), by_name);
	measure(l, &w);
	if (opt_long) {
		for (int i = 0; i < l->n; i++)
			print_long(&l->v[i], &w);
	} else if (!opt_one && isatty(1) && l->n) {
		print_columns(l, &w);
	} else {
		for (int i = 0; i < l->n; i++) {
			print_short(&l->v[i], &w);
			putchar('\n');
		}
	}
}

/* Lists a directory's entries, after a "dir:" header if header; a blank
 * line comes before the header if sep or after the first header. */
static void list_dir(const char *dir, int header, int sep)
{
	static int headers;
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "ls: cannot open directory '%s': %s\n", dir, strerror(errno));
		status = 2;
		return;
	}
	if (header)
		printf("%s%s:\n", sep || headers++ ? "\n" : "", dir);
	static struct list l;
	struct dirent *de;
	errno = 0;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' && !opt_all)
			continue;
		struct ent *e = add(&l, de->d_name, join(dir, de->d_name));
		if (opt_long || opt_inode) {
			if (lstat(e->path, &e->st) == 0)
				e->have_st = 1;
			else {
				fprintf(stderr, "ls: cannot access '%s': %s\n", e->path,
				        strerror(errno));
				status = status ? status : 1;
			}
		}
		errno = 0;
	}
	if (errno) {
		fprintf(stderr, "ls: reading directory '%s': %s\n", dir, strerror(errno));
		status = 2;
	}
	closedir(d);
	if (opt_long) {
		unsigned long long blocks = 0; /* in 512-byte units; shown in KiB */
		for (int i = 0; i < l.n; i++)
			if (l.v[i].have_st)
				blocks += (unsigned long long)l.v[i].st.st_blocks;
		printf("total %llu\n", (blocks + 1) / 2);
	}
	/* entries that could not be stat'ed are left out of a long listing */
	if (opt_long) {
		int k = 0;
		for (int i = 0; i < l.n; i++) {
			if (l.v[i].have_st)
				l.v[k++] = l.v[i];
			else
				free(l.v[i].name), free(l.v[i].path);
		}
		l.n = k;
	}
	print_list(&l);
	clear(&l);
}

int main(int argc, char **argv)
{
	char **ops = argv + 1;
	int nops = util_parse_args(&prog, argc, argv);
	static char *dot[] = {"."};
	int header = nops > 1;
	if (!nops)
		ops = dot, nops = 1;

	/* Operands: files (and, with -d, directories) are listed first, then
	 * each directory's entries. A symlink to a directory counts as the
	 * directory unless -l or -d is given. */
	struct list files = {0}, dirs = {0};
	for (int i = 0; i < nops; i++) {
		struct stat st;
		int follow = !opt_long && !opt_dir;
		if (follow && stat(ops[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			add(&dirs, ops[i], xstrdup(ops[i]));
			continue;
		}
		if (lstat(ops[i], &st) < 0) {
			fprintf(stderr, "ls: cannot access '%s': %s\n", ops[i], strerror(errno));
			status = 2;
			continue;
		}
		struct ent *e =
		    add(!opt_dir && S_ISDIR(st.st_mode) ? &dirs : &files, ops[i], xstrdup(ops[i]));
		e->st = st, e->have_st = 1;
	}
	if (files.n)
		print_list(&files);
	qsort(dirs.v, (size_t)dirs.n, sizeof(*dirs.v), by_name);
	for (int i = 0; i < dirs.n; i++)
		list_dir(dirs.v[i].path, header, files.n > 0);
	return status;
}
