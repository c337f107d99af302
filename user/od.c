/* od [-A d|o|x|n] [-t TYPE]... [-bcdox] [-j SKIP] [-N COUNT] [-v] [FILE]...:
 * the bytes of the FILEs, 16 a line, in each TYPE (default o2): aN, c,
 * dN, oN, uN, xN with N = 1, 2, 4 or 8. Columns line up across types as
 * in GNU od; a line equal to the one before prints as "*" unless -v. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mica/utilopt.h"

#define LINE 16

struct type {
	char kind; /* a c d o u x */
	int size;  /* bytes per item */
	int width; /* characters per item */
	int pad;   /* extra spaces spread over the line */
};

static struct type types[16];
static int ntypes, verbose;
static char radix = 'o';
static unsigned long long skip, limit = ~0ULL;
static char **files;
static int nfiles, cur = -1, cur_fd = -1, rc;

static const struct util_prog prog = {
    .name = "od",
    .help = "Usage: od [OPTION]... [FILE]...\n"
            "Write an unambiguous representation, octal bytes by default,\n"
            "of FILE to standard output.\n\n"
            "  -A, --address-radix=RADIX   output format for file offsets; RADIX is one\n"
            "                                of [doxn], for Decimal, Octal, Hex or None\n"
            "  -j, --skip-bytes=BYTES      skip BYTES input bytes first\n"
            "  -N, --read-bytes=BYTES      limit dump to BYTES input bytes\n"
            "  -t, --format=TYPE           select output format or formats\n"
            "  -v, --output-duplicates     do not use * to mark line suppression\n\n"
            "  -b  same as -t o1    -c  same as -t c    -d  same as -t u2\n"
            "  -o  same as -t o2    -x  same as -t x2\n\n"
            "TYPE is a (named character), c (character), d, o, u or x followed by\n"
            "1, 2, 4 or 8 (bytes per item).\n",
    .usage_status = 1,
};

static const struct util_long longs[] = {
    {"address-radix", 1, 'A'}, {"skip-bytes", 1, 'j'},        {"read-bytes", 1, 'N'},
    {"format", 1, 't'},        {"output-duplicates", 0, 'v'}, {NULL, 0, 0},
};

/* The printed width of an item of a kind and size. */
static int item_width(char kind, int size)
{
	static const int o[] = {3, 6, 11, 22}, d[] = {4, 6, 11, 20}, u[] = {3, 5, 10, 20};
	int k = size == 1 ? 0 : size == 2 ? 1 : size == 4 ? 2 : 3;
	switch (kind) {
	case 'o':
		return o[k];
	case 'd':
		return d[k];
	case 'u':
		return u[k];
	case 'x':
		return 2 * size;
	default:
		return 3;
	}
}

static void add_types(const char *s)
{
	while (*s) {
		char kind = *s++;
		int size = kind == 'a' || kind == 'c' ? 1 : 4;
		if (!strchr("acdoux", kind) || kind == 0) {
			fprintf(stderr, "od: invalid character '%c' in type string '%s'\n", kind,
			        s);
			util_try_help(&prog);
		}
		if (*s >= '0' && *s <= '9' && kind != 'a' && kind != 'c') {
			size = (int)strtol(s, (char **)&s, 10);
			if (size != 1 && size != 2 && size != 4 && size != 8) {
				fprintf(stderr,
				        "od: invalid type string '%s';\nthis system doesn't "
				        "provide a %d-byte integral type\n",
				        s, size);
				exit(1);
			}
		}
		if (ntypes < 16)
			types[ntypes++] = (struct type){kind, size, item_width(kind, size), 0};
	}
}

/* Gives every type the same line width, as GNU od does. */
static void align_types(void)
{
	int widest = 0;
	for (int i = 0; i < ntypes; i++) {
		int w = (types[i].width + 1) * (LINE / types[i].size);
		widest = w > widest ? w : widest;
	}
	for (int i = 0; i < ntypes; i++)
		types[i].pad = widest - (types[i].width + 1) * (LINE / types[i].size);
}

static unsigned long long number(const char *s)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (*end == 'b')
		v *= 512, end++;
	else if (*end == 'k' || *end == 'K')
		v *= 1024, end++;
	else if (*end == 'm' || *end == 'M')
		v *= 1024 * 1024, end++;
	if (end == s || *end || errno) {
		fprintf(stderr, "od: invalid number '%s'\n", s);
		exit(1);
	}
	return v;
}

/* The next bytes of the concatenated input: up to n into b; 0 at the end. */
static size_t input(unsigned char *b, size_t n)
{
	size_t got = 0;
	while (got < n) {
		if (cur_fd < 0) {
			if (++cur >= nfiles)
				break;
			int std = !strcmp(files[cur], "-");
			cur_fd = std ? 0 : open(files[cur], O_RDONLY);
			if (cur_fd < 0) {
				fprintf(stderr, "od: %s: %s\n", files[cur], strerror(errno));
				rc = 1;
				continue;
			}
		}
		ssize_t r = util_read(cur_fd, b + got, n - got);
		if (r <= 0) {
			if (r < 0) {
				fprintf(stderr, "od: %s: read error: %s\n", files[cur],
				        strerror(errno));
				rc = 1;
			}
			if (cur_fd > 0)
				close(cur_fd);
			cur_fd = -1;
			continue;
		}
		got += (size_t)r;
	}
	return got;
}

static void print_address(unsigned long long a)
{
	if (radix == 'o')
		printf("%07llo", a);
	else if (radix == 'd')
		printf("%07llu", a);
	else if (radix == 'x')
		printf("%06llx", a);
}

static void print_char(const struct type *t, unsigned char c, int w)
{
	static const char *names[33] = {
	    "nul", "soh", "stx", "etx", "eot", "enq", "ack", "bel", "bs",  "ht",  "nl",
	    "vt",  "ff",  "cr",  "so",  "si",  "dle", "dc1", "dc2", "dc3", "dc4", "nak",
	    "syn", "etb", "can", "em",  "sub", "esc", "fs",  "gs",  "rs",  "us",  "sp"};
	char b[8];
	const char *s = b;
	if (t->kind == 'a') {
		c &= 0x7f;
		if (c <= 32)
			s = names[c];
		else if (c == 127)
			s = "del";
		else
			b[0] = (char)c, b[1] = 0;
	} else {
		static const char esc[] = "\0\a\b\f\n\r\t\v", out[] = "0abfnrtv";
		const char *e = c ? memchr(esc + 1, c, 7) : esc;
		if (e)
			b[0] = '\\', b[1] = out[e - esc], b[2] = 0;
		else if (c >= 32 && c < 127)
			b[0] = (char)c, b[1] = 0;
		else
			snprintf(b, sizeof(b), "%03o", c);
	}
	printf("%*s", w, s);
}

static void print_item(const struct type *t, const unsigned char *p, int w)
{
	if (t->kind == 'a' || t->kind == 'c') {
		print_char(t, *p, w);
		return;
	}
	unsigned long long v = 0;
	for (int i = t->size - 1; i >= 0; i--)
		v = v << 8 | p[i];
	if (t->kind == 'd') {
		int shift = 64 - 8 * t->size;
		long long s = shift ? (long long)(v << shift) >> shift : (long long)v;
		printf("%*lld", w, s);
	} else if (t->kind == 'u') {
		printf("%*llu", w, v);
	} else {
		printf(t->kind == 'o' ? "%*.*llo" : "%*.*llx", w, t->width, v);
	}
}

/* One line of n bytes (the rest of b zeroed) in every type. */
static void print_line(unsigned long long addr, const unsigned char *b, size_t n)
{
	for (int i = 0; i < ntypes; i++) {
		const struct type *t = &types[i];
		int fields = LINE / t->size, left = t->pad;
		if (i == 0)
			print_address(addr);
		else if (radix != 'n')
			printf("%*s", radix == 'x' ? 6 : 7, "");
		for (int f = fields; f > 0; f--) {
			int next = t->pad * (f - 1) / fields;
			size_t off = (size_t)(fields - f) * (size_t)t->size;
			if (off < n) {
				putchar(' ');
				print_item(t, b + off, left - next + t->width);
			}
			left = next;
		}
		putchar('\n');
	}
}

int main(int argc, char **argv)
{
	int c;
	while ((c = util_getopt(&prog, argc, argv, "A:j:N:t:vbcdox", longs)) != -1) {
		if (c == 'A') {
			if (strlen(optarg) != 1 || !strchr("doxn", *optarg)) {
				fprintf(stderr,
				        "od: invalid output address radix '%s'; it is not one "
				        "character of [doxn]\n",
				        optarg);
				return 1;
			}
			radix = *optarg;
		} else if (c == 'j') {
			skip = number(optarg);
		} else if (c == 'N') {
			limit = number(optarg);
		} else if (c == 't') {
			add_types(optarg);
		} else if (c == 'v') {
			verbose = 1;
		} else {
			add_types(c == 'b'   ? "o1"
			          : c == 'c' ? "c"
			          : c == 'd' ? "u2"
			          : c == 'o' ? "o2"
			                     : "x2");
		}
	}
	if (!ntypes)
		add_types("o2");
	align_types();
	char *dash[] = {"-"};
	files = optind < argc ? argv + optind : dash;
	nfiles = optind < argc ? argc - optind : 1;
	unsigned char b[LINE], prev[LINE];
	for (unsigned long long left = skip; left;) {
		size_t n = input(b, left < LINE ? (size_t)left : LINE);
		if (!n) {
			fprintf(stderr, "od: cannot skip past end of combined input\n");
			return 1;
		}
		left -= n;
	}
	unsigned long long addr = skip;
	int have_prev = 0, starred = 0;
	for (;;) {
		size_t want = limit - (addr - skip) < LINE ? (size_t)(limit - (addr - skip)) : LINE;
		size_t n = want ? input(b, want) : 0;
		if (!n)
			break;
		memset(b + n, 0, LINE - n);
		if (!verbose && have_prev && n == LINE && !memcmp(b, prev, LINE)) {
			if (!starred++)
				puts("*");
		} else {
			print_line(addr, b, n);
			starred = 0;
		}
		memcpy(prev, b, LINE);
		have_prev = n == LINE;
		addr += n;
	}
	if (radix != 'n') {
		print_address(addr);
		putchar('\n');
	}
	return rc;
}
