/* diff [-u | -U N] [-q] FILE1 FILE2: the lines that differ, in the normal
 * format or the unified one; "-" is standard input. Status 0 if the files
 * are the same, 1 if they differ, 2 on trouble. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/lcs.h"
#include "mica/utilopt.h"

struct file {
	const char *name;
	char *data;
	size_t size;
	const char **line; /* each line's start; line[n] is the end */
	size_t n;
	int no_eol; /* the last line has no newline */
	long *id;   /* equal lines, equal ids */
	struct stat st;
};

static const struct util_long longs[] = {
    {"unified", 0, 'u'},
    {"brief", 0, 'q'},
    {NULL, 0, 0},
};
static const struct util_prog prog = {
    .name = "diff",
    .help = "Usage: diff [OPTION]... FILE1 FILE2\n"
            "Compare FILES line by line.\n\n"
            "  -q, --brief             report only when files differ\n"
            "  -u, -U NUM, --unified   output NUM (default 3) lines of unified context\n",
    .usage_status = 2,
};

static void trouble(const char *name)
{
	fprintf(stderr, "diff: %s: %s\n", name, strerror(errno));
	exit(2);
}

static void load(struct file *f)
{
	int std = !strcmp(f->name, "-");
	int fd = std ? 0 : open(f->name, O_RDONLY);
	if (fd < 0 || fstat(fd, &f->st) < 0)
		trouble(f->name);
	if (S_ISDIR(f->st.st_mode)) {
		errno = EISDIR;
		trouble(f->name);
	}
	size_t cap = 8192;
	ssize_t r;
	f->data = malloc(cap);
	while (f->data && (r = util_read(fd, f->data + f->size, cap - f->size)) != 0) {
		if (r < 0)
			trouble(f->name);
		if ((f->size += (size_t)r) == cap)
			f->data = realloc(f->data, cap *= 2);
	}
	if (!std)
		close(fd);
	size_t lines = 0;
	for (size_t i = 0; i < f->size; i++)
		lines += f->data[i] == '\n';
	f->line = malloc(sizeof(char *) * (lines + 2));
	f->id = malloc(sizeof(long) * (lines + 1));
	if (!f->data || !f->line || !f->id) {
		fprintf(stderr, "diff: memory exhausted\n");
		exit(2);
	}
	for (size_t s = 0; s < f->size;) {
		char *nl = memchr(f->data + s, '\n', f->size - s);
		f->line[f->n++] = f->data + s;
		s = nl ? (size_t)(nl - f->data) + 1 : f->size;
	}
	f->line[f->n] = f->data + f->size;
	f->no_eol = f->size && f->data[f->size - 1] != '\n';
}

static size_t line_len(const struct file *f, size_t i)
{
	return (size_t)(f->line[i + 1] - f->line[i]);
}

/* Numbers the distinct lines of both files through one hash table. */
static void number_lines(struct file *f1, struct file *f2)
{
	size_t cap = 16;
	while (cap < 2 * (f1->n + f2->n))
		cap *= 2;
	struct slot {
		const struct file *f;
		size_t i;
	} *tab = calloc(cap, sizeof(*tab));
	long next = 0;
	if (!tab) {
		fprintf(stderr, "diff: memory exhausted\n");
		exit(2);
	}
	for (struct file *f = f1; f; f = f == f1 ? f2 : NULL)
		for (size_t i = 0; i < f->n; i++) {
			size_t len = line_len(f, i), h = 1469598103u;
			for (size_t k = 0; k < len; k++)
				h = (h ^ (unsigned char)f->line[i][k]) * 1099511628211u;
			for (h &= cap - 1;; h = (h + 1) & (cap - 1)) {
				struct slot *s = &tab[h];
				if (!s->f) {
					*s = (struct slot){f, i};
					f->id[i] = next++;
					break;
				}
				if (line_len(s->f, s->i) == len &&
				    !memcmp(s->f->line[s->i], f->line[i], len)) {
					f->id[i] = s->f->id[s->i];
					break;
				}
			}
		}
	free(tab);
}

static void put_line(const struct file *f, size_t i, const char *prefix)
{
	size_t len = line_len(f, i);
	fputs(prefix, stdout);
	fwrite(f->line[i], 1, len, stdout);
	if (i + 1 == f->n && f->no_eol)
		fputs("\n\\ No newline at end of file\n", stdout);
}

static void put_range(size_t s, size_t e)
{
	printf(e - s > 1 ? "%zu,%zu" : "%zu", s + 1, e);
}

static void normal(const struct file *a, const struct file *b, const struct lcs_hunk *h, long n)
{
	for (long k = 0; k < n; k++, h++) {
		if (h->a0 == h->a1)
			printf("%zua", h->a0), put_range(h->b0, h->b1);
		else if (h->b0 == h->b1)
			put_range(h->a0, h->a1), printf("d%zu", h->b0);
		else
			put_range(h->a0, h->a1), putchar('c'), put_range(h->b0, h->b1);
		putchar('\n');
		for (size_t i = h->a0; i < h->a1; i++)
			put_line(a, i, "< ");
		if (h->a0 != h->a1 && h->b0 != h->b1)
			puts("---");
		for (size_t j = h->b0; j < h->b1; j++)
			put_line(b, j, "> ");
	}
}

static void unified_header(const char *mark, const struct file *f)
{
	char when[64] = "";
	struct tm *tm = gmtime(&f->st.st_mtime);
	if (tm)
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S.000000000 +0000", tm);
	printf("%s %s\t%s\n", mark, f->name, when);
}

static void unified_range(size_t s, size_t e)
{
	if (e - s == 1)
		printf("%zu", s + 1);
	else
		printf("%zu,%zu", e == s ? s : s + 1, e - s);
}

static void unified(const struct file *a, const struct file *b, const struct lcs_hunk *h, long n,
                    size_t ctx)
{
	unified_header("---", a);
	unified_header("+++", b);
	for (long k = 0; k < n;) {
		long last = k; /* the hunks whose context touches join one group */
		while (last + 1 < n && h[last + 1].a0 - h[last].a1 <= 2 * ctx)
			last++;
		size_t as = h[k].a0 > ctx ? h[k].a0 - ctx : 0;
		size_t ae = h[last].a1 + ctx < a->n ? h[last].a1 + ctx : a->n;
		size_t bs = h[k].b0 - (h[k].a0 - as), be = h[last].b1 + (ae - h[last].a1);
		printf("@@ -");
		unified_range(as, ae);
		printf(" +");
		unified_range(bs, be);
		printf(" @@\n");
		size_t i = as;
		for (; k <= last; k++) {
			for (; i < h[k].a0; i++)
				put_line(a, i, " ");
			for (; i < h[k].a1; i++)
				put_line(a, i, "-");
			for (size_t j = h[k].b0; j < h[k].b1; j++)
				put_line(b, j, "+");
		}
		for (; i < ae; i++)
			put_line(a, i, " ");
	}
}

int main(int argc, char **argv)
{
	int c, brief = 0;
	long ctx = -1;
	while ((c = util_getopt(&prog, argc, argv, "quU:", longs)) != -1) {
		if (c == 'q') {
			brief = 1;
		} else if (c == 'u') {
			ctx = 3;
		} else {
			char *end;
			ctx = strtol(optarg, &end, 10);
			if (*end || end == optarg || ctx < 0)
				util_usage_error(&prog, "invalid context length '%s'", optarg);
		}
	}
	if (argc - optind < 2)
		util_usage_error(&prog, "missing operand after '%s'", argv[argc - 1]);
	if (argc - optind > 2)
		util_usage_error(&prog, "extra operand '%s'", argv[optind + 2]);
	struct file a = {.name = argv[optind]}, b = {.name = argv[optind + 1]};
	load(&a);
	load(&b);
	if (a.size == b.size && !memcmp(a.data, b.data, a.size))
		return 0;
	if (brief || memchr(a.data, 0, a.size) || memchr(b.data, 0, b.size)) {
		printf("%s %s and %s differ\n", brief ? "Files" : "Binary files", a.name, b.name);
		return 1;
	}
	number_lines(&a, &b);
	struct lcs_hunk *h;
	long n = lcs_diff(a.id, a.n, b.id, b.n, &h);
	if (n < 0) {
		fprintf(stderr, "diff: memory exhausted\n");
		return 2;
	}
	if (ctx >= 0)
		unified(&a, &b, h, n, (size_t)ctx);
	else
		normal(&a, &b, h, n);
	return fflush(stdout) ? 2 : 1;
}
