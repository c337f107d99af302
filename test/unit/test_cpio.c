/* cpio newc reading: an archive written by GNU cpio (see
 * fixtures/README.md), damaged copies of it, and archives made by a small
 * builder for names the tool does not store. Every archive is read from a
 * malloc'd buffer of exactly its size (for valgrind or ASan) and from a
 * copy that ends right before an inaccessible page. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mica/cpio.h"
#include "mica/errno.h"

#define FIXTURE  "test/unit/fixtures/small.cpio"
#define HDR_SIZE 110
#define ARCH_MAX 4096
#define MAX_LIST 16

/* Field offsets in a header: the magic, then 8 hex digits per field. */
enum {
	H_MODE = 6 + 8 * 1,
	H_FILESIZE = 6 + 8 * 6,
	H_NAMESIZE = 6 + 8 * 11,
};

/* Where GNU cpio put each entry of the fixture (header offsets), and
 * where the data of each entry and the name of TRAILER!!! end. */
enum {
	AT_HELLO = 0x000,
	HELLO_END = 0x07e,
	AT_BIN = 0x080,
	AT_KTEST = 0x0f4,
	AT_EMPTY = 0x17c,
	AT_TRAILER = 0x1f0,
	KTEST_DATA = 0x16c,
	KTEST_END = 0x179,
	EMPTY_END = 0x1f0,
	TRAILER_NAME_END = 0x269,
	TRAILER_NEXT = 0x26c,
	FIXTURE_SIZE = 1024,
};

static uint8_t *load_fixture(size_t *len)
{
	FILE *f = fopen(FIXTURE, "rb");
	cr_assert_not_null(f, "cannot open %s (tests run from the repository root)", FIXTURE);
	cr_assert_eq(fseek(f, 0, SEEK_END), 0);
	long n = ftell(f);
	cr_assert_eq(n, FIXTURE_SIZE, "GNU cpio pads to 512-byte blocks");
	rewind(f);
	uint8_t *buf = malloc((size_t)n);
	cr_assert_not_null(buf);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* ---- Copies of exactly the archive's size -------------------------------- */

struct copy {
	uint8_t *map; /* guarded mapping, or NULL for a malloc'd copy */
	size_t maplen;
	uint8_t *data;
	size_t len;
};

/* kind 0: malloc'd, exactly len bytes. kind 1: ends right before an
 * inaccessible page, so a read past the end crashes the test. */
static struct copy make_copy(const uint8_t *src, size_t len, int kind)
{
	struct copy c = {.len = len};
	if (kind == 0) {
		c.data = malloc(len ? len : 1);
		cr_assert_not_null(c.data);
	} else {
		size_t pg = (size_t)sysconf(_SC_PAGESIZE);
		size_t body = (len + pg - 1) / pg * pg;
		c.maplen = body + pg;
		c.map = mmap(NULL, c.maplen, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		             -1, 0);
		cr_assert_neq(c.map, MAP_FAILED);
		cr_assert_eq(mprotect(c.map + body, pg, PROT_NONE), 0);
		memset(c.map, '0', body); /* plausible header bytes before the copy */
		c.data = c.map + body - len;
	}
	memcpy(c.data, src, len);
	return c;
}

static void free_copy(struct copy c)
{
	if (c.map)
		munmap(c.map, c.maplen);
	else
		free(c.data);
}

/* Checks that an entry lies inside the copy and is well formed. */
static void check_in_bounds(const struct copy *c, const struct cpio_file *f)
{
	const char *lo = (const char *)c->data, *hi = lo + c->len;
	cr_assert(f->name >= lo && f->namelen < (size_t)(hi - f->name), "name outside the archive");
	cr_assert_eq(f->name[f->namelen], '\0');
	cr_assert_eq(strlen(f->name), f->namelen);
	const char *d = f->data;
	cr_assert(d >= lo && d <= hi && f->size <= (size_t)(hi - d), "data outside the archive");
}

/* The result of listing an archive: entries up to the end or an error. */
struct listing {
	int n;
	int last; /* 0 at TRAILER!!!, or the error */
	size_t end_off;
	char name[MAX_LIST][64];
	size_t size[MAX_LIST];
	uint32_t mode[MAX_LIST];
	size_t data_off[MAX_LIST];
};

static void list_copy(const struct copy *c, struct listing *l)
{
	size_t off = 0;
	struct cpio_file f;
	memset(l, 0, sizeof(*l));
	for (;;) {
		int r = cpio_next(c->data, c->len, &off, &f);
		if (r != 1) {
			l->last = r;
			l->end_off = off;
			return;
		}
		check_in_bounds(c, &f);
		cr_assert_lt(l->n, MAX_LIST, "listing does not end");
		snprintf(l->name[l->n], sizeof(l->name[0]), "%s", f.name);
		l->size[l->n] = f.size;
		l->mode[l->n] = f.mode;
		l->data_off[l->n] = (size_t)((const uint8_t *)f.data - c->data);
		l->n++;
	}
}

/* Lists len bytes of src from both kinds of copy; both must agree. */
static void list(const uint8_t *src, size_t len, struct listing *l)
{
	static struct listing other;
	for (int kind = 0; kind < 2; kind++) {
		struct copy c = make_copy(src, len, kind);
		list_copy(&c, kind ? l : &other);
		free_copy(c);
	}
	cr_assert_eq(memcmp(l, &other, sizeof(other)), 0, "both copies list the same");
}

/* cpio_find on both kinds of copy; on success *data_off is where the data
 * starts and *size its length. */
static int find(const uint8_t *src, size_t len, const char *path, struct cpio_file *out,
                size_t *data_off)
{
	int r[2];
	size_t off[2] = {0, 0};
	for (int kind = 0; kind < 2; kind++) {
		struct copy c = make_copy(src, len, kind);
		struct cpio_file f;
		r[kind] = cpio_find(c.data, c.len, path, &f);
		if (r[kind] == 0) {
			check_in_bounds(&c, &f);
			off[kind] = (size_t)((const uint8_t *)f.data - c.data);
			*out = f; /* pointers are not used after the copy is gone */
		}
		free_copy(c);
	}
	cr_assert_eq(r[0], r[1]);
	cr_assert_eq(off[0], off[1]);
	if (data_off)
		*data_off = off[0];
	return r[0];
}

/* ---- A builder for archives GNU cpio would not write --------------------- */

struct arch {
	uint8_t buf[ARCH_MAX];
	size_t len;
};

static void pad(struct arch *a)
{
	while (a->len % 4)
		a->buf[a->len++] = 0;
}

/* Appends an entry; namesize is strlen(name) + 1 unless given (non-zero). */
static void add(struct arch *a, const char *name, uint32_t namesize, uint32_t mode,
                const char *data, uint32_t size)
{
	uint32_t nsz = namesize ? namesize : (uint32_t)strlen(name) + 1;
	char hdr[HDR_SIZE + 1];
	snprintf(hdr, sizeof(hdr), "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X", 1u,
	         mode, 0u, 0u, 1u, 0u, size, 0u, 0u, 0u, 0u, nsz, 0u);
	cr_assert_lt(a->len + HDR_SIZE + nsz + size + 8, ARCH_MAX);
	memcpy(a->buf + a->len, hdr, HDR_SIZE);
	a->len += HDR_SIZE;
	memset(a->buf + a->len, 0, nsz);
	memcpy(a->buf + a->len, name, strlen(name) < nsz ? strlen(name) : nsz);
	a->len += nsz;
	pad(a);
	memcpy(a->buf + a->len, data, size);
	a->len += size;
	pad(a);
}

static void add_file(struct arch *a, const char *name, const char *data)
{
	add(a, name, 0, 0100644, data, (uint32_t)strlen(data));
}

static void add_trailer(struct arch *a)
{
	add(a, "TRAILER!!!", 0, 0, "", 0);
}

/* Writes an 8-digit field of the header at hdr. */
static void set_field(uint8_t *hdr, int field_off, const char *digits)
{
	memcpy(hdr + field_off, digits, 8);
}

/* ---- The archive as GNU cpio wrote it ------------------------------------ */

Test(cpio, lists_every_entry_of_the_fixture_in_order)
{
	size_t len;
	uint8_t *buf = load_fixture(&len);
	static struct listing l;
	list(buf, len, &l);
	cr_assert_eq(l.last, 0, "ends at TRAILER!!!");
	cr_assert_eq(l.n, 4);
	cr_assert_str_eq(l.name[0], "hello.txt");
	cr_assert_str_eq(l.name[1], "bin");
	cr_assert_str_eq(l.name[2], "bin/ktest", "GNU cpio drops the \"./\" it was given");
	cr_assert_str_eq(l.name[3], "empty");
	cr_assert_eq(l.size[0], 6);
	cr_assert_eq(l.size[1], 0);
	cr_assert_eq(l.size[2], 13);
	cr_assert_eq(l.size[3], 0);
	cr_assert_eq(l.mode[0], 0100644);
	cr_assert_eq(l.mode[1], 040755);
	cr_assert_eq(l.mode[2], 0100755);
	cr_assert_eq(l.mode[3], 0100644);
	cr_assert_eq(memcmp(buf + l.data_off[0], "hello\n", 6), 0);
	cr_assert_eq(l.data_off[2], KTEST_DATA);
	cr_assert_eq(memcmp(buf + l.data_off[2], "ktest binary\n", 13), 0);
	cr_assert_eq(l.end_off, TRAILER_NEXT, "the offset moves past the trailer's padding");
	free(buf);
}

Test(cpio, next_advances_to_each_header_in_turn)
{
	size_t len;
	uint8_t *buf = load_fixture(&len);
	size_t want[] = {AT_BIN, AT_KTEST, AT_EMPTY, AT_TRAILER};
	size_t off = AT_HELLO;
	struct cpio_file f;
	for (int i = 0; i < 4; i++) {
		cr_assert_eq(cpio_next(buf, len, &off, &f), 1);
		cr_assert_eq(off, want[i]);
	}
	cr_assert_eq(cpio_next(buf, len, &off, &f), 0);
	free(buf);
}

Test(cpio, entry_name_length_excludes_the_nul)
{
	size_t len;
	uint8_t *buf = load_fixture(&len);
	size_t off = AT_KTEST;
	struct cpio_file f;
	cr_assert_eq(cpio_next(buf, len, &off, &f), 1);
	cr_assert_eq(f.namelen, 9);
	cr_assert_eq(f.name, (const char *)buf + AT_KTEST + HDR_SIZE);
	free(buf);
}

Test(cpio, trailer_entry_leaves_the_file_untouched)
{
	size_t len;
	uint8_t *buf = load_fixture(&len);
	size_t off = AT_TRAILER;
	struct cpio_file f = {.name = "sentinel", .size = 77};
	cr_assert_eq(cpio_next(buf, len, &off, &f), 0);
	cr_assert_str_eq(f.name, "sentinel");
	cr_assert_eq(f.size, 77);
	free(buf);
}

Test(cpio, finds_a_file_with_or_without_a_leading_slash_or_dot_slash)
{
	size_t len;
	uint8_t *buf = load_fixture(&len);
	const char *paths[] = {"bin/ktest", "/bin/ktest", "./bin/ktest", "//bin/ktest",
	                       "/./bin/ktest"};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct cpio_file f;
		size_t data_off;
		cr_assert_eq(find(buf, len, paths[i], &f, &data_off), 0, "%s not found", paths[i]);
		cr_assert_eq(data_off, KTEST_DATA);
		cr_assert_eq(f.size, 13);
		cr_assert_eq(f.mode, 0100755);
		cr_assert_eq(f.namelen, 9);
	}
	free(buf);
}

Test(cpio, finds_empty_files_and_directories)
{
	size_t len;
	uint8_t *buf = load_fixture(&len);
	struct cpio_file f;
	size_t data_off;
	cr_assert_eq(find(buf, len, "/empty", &f, &data_off), 0);
	cr_assert_eq(f.size, 0);
	cr_assert_eq(data_off, EMPTY_END);
	cr_assert_eq(find(buf, len, "./bin", &f, NULL), 0);
	cr_assert_eq(f.mode & 0170000, 040000, "a directory");
	cr_assert_eq(find(buf, len, "hello.txt", &f, &data_off), 0);
	cr_assert_eq(f.size, 6);
	cr_assert_eq(memcmp(buf + data_off, "hello\n", 6), 0);
	free(buf);
}

Test(cpio, missing_files_are_enoent)
{
	size_t len;
	uint8_t *buf = load_fixture(&len);
	const char *paths[] = {"nope", "bin/ktes",   "bin/ktest2", "ktest",
	                       "bin/", "/bin/k",     "hello.tx",   "",
	                       "/",    "TRAILER!!!", "BIN/KTEST"};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct cpio_file f;
		cr_assert_eq(find(buf, len, paths[i], &f, NULL), -ENOENT, "\"%s\" found", paths[i]);
	}
	free(buf);
}

/* ---- Names stored with prefixes ------------------------------------------ */

Test(cpio, stored_leading_slash_and_dot_slash_are_ignored)
{
	static struct arch a;
	memset(&a, 0, sizeof(a));
	add_file(&a, "./bin/init", "init");
	add_file(&a, "/etc/motd", "hi");
	add_file(&a, "plain", "p");
	add_trailer(&a);
	const char *paths[] = {"bin/init",   "/bin/init", "./bin/init", "etc/motd",
	                       "./etc/motd", "/etc/motd", "/plain",     "./plain"};
	const char *data[] = {"init", "init", "init", "hi", "hi", "hi", "p", "p"};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct cpio_file f;
		size_t data_off;
		cr_assert_eq(find(a.buf, a.len, paths[i], &f, &data_off), 0, "%s", paths[i]);
		cr_assert_eq(f.size, strlen(data[i]));
		cr_assert_eq(memcmp(a.buf + data_off, data[i], f.size), 0);
	}
	struct cpio_file f;
	cr_assert_eq(find(a.buf, a.len, "init", &f, NULL), -ENOENT);
}

Test(cpio, only_whole_dot_slash_prefixes_are_ignored)
{
	static struct arch a;
	memset(&a, 0, sizeof(a));
	add_file(&a, ".profile", "p");
	add_file(&a, "../up", "u");
	add_trailer(&a);
	struct cpio_file f;
	cr_assert_eq(find(a.buf, a.len, ".profile", &f, NULL), 0);
	cr_assert_eq(find(a.buf, a.len, "/.profile", &f, NULL), 0);
	cr_assert_eq(find(a.buf, a.len, "./.profile", &f, NULL), 0);
	cr_assert_eq(find(a.buf, a.len, "profile", &f, NULL), -ENOENT);
	cr_assert_eq(find(a.buf, a.len, "../up", &f, NULL), 0);
	cr_assert_eq(find(a.buf, a.len, "up", &f, NULL), -ENOENT);
	cr_assert_eq(find(a.buf, a.len, "./up", &f, NULL), -ENOENT);
}

Test(cpio, names_keep_their_stored_form)
{
	static struct arch a;
	memset(&a, 0, sizeof(a));
	add_file(&a, "./bin/init", "init");
	add_trailer(&a);
	struct cpio_file f;
	cr_assert_eq(cpio_find(a.buf, a.len, "bin/init", &f), 0);
	cr_assert_str_eq(f.name, "./bin/init");
	cr_assert_eq(f.namelen, 10);
}

Test(cpio, lowercase_hex_digits_are_accepted)
{
	static struct arch a;
	memset(&a, 0, sizeof(a));
	add_file(&a, "f", "0123456789abc");
	add_trailer(&a);
	set_field(a.buf, H_FILESIZE, "0000000d");
	set_field(a.buf, H_MODE, "000081a4");
	struct cpio_file f;
	cr_assert_eq(find(a.buf, a.len, "f", &f, NULL), 0);
	cr_assert_eq(f.size, 13);
	cr_assert_eq(f.mode, 0100644);
}

Test(cpio, trailer_without_final_padding_ends_the_archive)
{
	size_t len;
	uint8_t *buf = load_fixture(&len);
	static struct listing l;
	list(buf, TRAILER_NAME_END, &l);
	cr_assert_eq(l.last, 0);
	cr_assert_eq(l.n, 4);
	cr_assert_eq(l.end_off, TRAILER_NAME_END, "the offset stops at the end");
	free(buf);
}

/* ---- Damaged archives ---------------------------------------------------- */

Test(cpio, every_truncation_is_rejected_or_ends_at_the_trailer)
{
	size_t len;
	uint8_t *buf = load_fixture(&len);
	static struct listing l;
	for (size_t n = 0; n <= len; n++) {
		list(buf, n, &l);
		if (n < TRAILER_NAME_END) {
			cr_assert_eq(l.last, -EINVAL, "length %zu: %d", n, l.last);
		} else {
			cr_assert_eq(l.last, 0, "length %zu: %d", n, l.last);
			cr_assert_eq(l.n, 4);
		}
		int complete =
		    (n >= HELLO_END) + (n >= AT_KTEST) + (n >= KTEST_END) + (n >= EMPTY_END);
		cr_assert_eq(l.n, complete, "length %zu lists %d entries", n, l.n);
	}
	free(buf);
}

Test(cpio, every_truncation_finds_a_file_only_if_it_is_whole)
{
	size_t len;
	uint8_t *buf = load_fixture(&len);
	for (size_t n = 0; n <= len; n++) {
		struct cpio_file f;
		cr_assert_eq(find(buf, n, "/bin/ktest", &f, NULL), n >= KTEST_END ? 0 : -EINVAL,
		             "length %zu", n);
		cr_assert_eq(find(buf, n, "empty", &f, NULL), n >= EMPTY_END ? 0 : -EINVAL,
		             "length %zu", n);
		int missing = find(buf, n, "missing", &f, NULL);
		cr_assert_eq(missing, n >= TRAILER_NAME_END ? -ENOENT : -EINVAL, "length %zu", n);
	}
	free(buf);
}

Test(cpio, corrupted_magic_is_rejected)
{
	size_t len;
	uint8_t *buf = load_fixture(&len);
	const char *magics[] = {"070702", "070707", "070700", "170701", "07070 ", "\0\0\0\0\0\0"};
	for (size_t i = 0; i < sizeof(magics) / sizeof(magics[0]); i++) {
		memcpy(buf + AT_HELLO, magics[i], 6);
		static struct listing l;
		list(buf, len, &l);
		cr_assert_eq(l.last, -EINVAL);
		cr_assert_eq(l.n, 0);
		struct cpio_file f;
		cr_assert_eq(find(buf, len, "empty", &f, NULL), -EINVAL);
	}
	free(buf);
}

Test(cpio, corruption_after_the_file_does_not_hide_it)
{
	size_t len;
	uint8_t *buf = load_fixture(&len);
	memcpy(buf + AT_EMPTY, "XXXXXX", 6);
	struct cpio_file f;
	cr_assert_eq(find(buf, len, "bin/ktest", &f, NULL), 0);
	cr_assert_eq(find(buf, len, "empty", &f, NULL), -EINVAL);
	cr_assert_eq(find(buf, len, "missing", &f, NULL), -EINVAL);
	free(buf);
}

Test(cpio, non_hex_size_field_is_rejected)
{
	size_t len;
	uint8_t *buf = load_fixture(&len);
	const char *fields[] = {"0000000G", "0000000g", "0000000 ", " 000000D", "0x00000D",
	                        "-000000D", "0000000:", "0000000@", "0000000`"};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		set_field(buf + AT_KTEST, H_FILESIZE, fields[i]);
		size_t off = AT_KTEST;
		struct cpio_file f;
		cr_assert_eq(cpio_next(buf, len, &off, &f), -EINVAL, "%s accepted", fields[i]);
		cr_assert_eq(off, AT_KTEST, "the offset stays on a bad entry");
		cr_assert_eq(find(buf, len, "empty", &f, NULL), -EINVAL);
	}
	free(buf);
}

Test(cpio, non_hex_digit_in_any_field_is_rejected)
{
	size_t len;
	uint8_t *buf = load_fixture(&len);
	for (size_t at = 6; at < HDR_SIZE; at++) {
		uint8_t saved = buf[AT_HELLO + at];
		buf[AT_HELLO + at] = 'z';
		size_t off = 0;
		struct cpio_file f;
		cr_assert_eq(cpio_next(buf, len, &off, &f), -EINVAL, "byte %zu", at);
		buf[AT_HELLO + at] = saved;
	}
	free(buf);
}

Test(cpio, file_size_past_the_end_is_rejected)
{
	size_t len;
	uint8_t *buf = load_fixture(&len);
	char digits[9];
	/* One byte more than the archive holds after the data starts. */
	snprintf(digits, sizeof(digits), "%08zX", len - KTEST_DATA + 1);
	const char *sizes[] = {digits, "FFFFFFFF", "80000000", "FFFFFE94"};
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		set_field(buf + AT_KTEST, H_FILESIZE, sizes[i]);
		size_t off = AT_KTEST;
		struct cpio_file f;
		cr_assert_eq(cpio_next(buf, len, &off, &f), -EINVAL, "size %s", sizes[i]);
		cr_assert_eq(find(buf, len, "/bin/ktest", &f, NULL), -EINVAL);
	}
	snprintf(digits, sizeof(digits), "%08zX", len - KTEST_DATA);
	set_field(buf + AT_KTEST, H_FILESIZE, digits);
	struct cpio_file f;
	cr_assert_eq(find(buf, len, "/bin/ktest", &f, NULL), 0, "data up to the very end is fine");
	cr_assert_eq(f.size, len - KTEST_DATA);
	free(buf);
}

Test(cpio, name_size_past_the_end_is_rejected)
{
	size_t len;
	uint8_t *buf = load_fixture(&len);
	const char *sizes[] = {"FFFFFFFF", "00000400", "7FFFFFFF"};
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		set_field(buf + AT_KTEST, H_NAMESIZE, sizes[i]);
		size_t off = AT_KTEST;
		struct cpio_file f;
		cr_assert_eq(cpio_next(buf, len, &off, &f), -EINVAL, "name size %s", sizes[i]);
	}
	free(buf);
}

Test(cpio, zero_name_size_is_rejected)
{
	size_t len;
	uint8_t *buf = load_fixture(&len);
	set_field(buf + AT_HELLO, H_NAMESIZE, "00000000");
	size_t off = 0;
	struct cpio_file f;
	cr_assert_eq(cpio_next(buf, len, &off, &f), -EINVAL);
	free(buf);
}

Test(cpio, name_without_nul_is_rejected)
{
	size_t len;
	uint8_t *buf = load_fixture(&len);
	buf[AT_HELLO + HDR_SIZE + 9] = 'X'; /* the NUL after "hello.txt" */
	size_t off = 0;
	struct cpio_file f;
	cr_assert_eq(cpio_next(buf, len, &off, &f), -EINVAL);
	cr_assert_eq(find(buf, len, "hello.txtX", &f, NULL), -EINVAL);
	free(buf);
}

Test(cpio, name_size_shorter_than_the_name_is_rejected)
{
	size_t len;
	uint8_t *buf = load_fixture(&len);
	set_field(buf + AT_HELLO, H_NAMESIZE, "00000005"); /* "hell" + 'o', not NUL */
	size_t off = 0;
	struct cpio_file f;
	cr_assert_eq(cpio_next(buf, len, &off, &f), -EINVAL);
	free(buf);
}

Test(cpio, name_with_an_embedded_nul_is_rejected)
{
	static struct arch a;
	memset(&a, 0, sizeof(a));
	add(&a, "ab", 6, 0100644, "x", 1); /* "ab\0\0\0\0": the name is not 5 bytes */
	add_trailer(&a);
	size_t off = 0;
	struct cpio_file f;
	cr_assert_eq(cpio_next(a.buf, a.len, &off, &f), -EINVAL);
}

Test(cpio, unterminated_name_at_the_very_end_is_rejected)
{
	static struct arch a;
	memset(&a, 0, sizeof(a));
	add_file(&a, "f", "data");
	size_t start = a.len;
	add(&a, "last", 0, 0100644, "", 0);
	size_t n = start + HDR_SIZE + 4; /* ends right after "last", before its NUL */
	static struct listing l;
	list(a.buf, n, &l);
	cr_assert_eq(l.n, 1);
	cr_assert_eq(l.last, -EINVAL);
}

Test(cpio, archive_without_trailer_is_malformed)
{
	static struct arch a;
	memset(&a, 0, sizeof(a));
	add_file(&a, "one", "1");
	add_file(&a, "two", "22");
	static struct listing l;
	list(a.buf, a.len, &l);
	cr_assert_eq(l.n, 2);
	cr_assert_eq(l.last, -EINVAL);
	struct cpio_file f;
	cr_assert_eq(find(a.buf, a.len, "two", &f, NULL), 0);
	cr_assert_eq(find(a.buf, a.len, "three", &f, NULL), -EINVAL);
}

Test(cpio, offset_past_the_end_is_rejected)
{
	size_t len;
	uint8_t *buf = load_fixture(&len);
	size_t offs[] = {len, len + 1, len - HDR_SIZE + 1, (size_t)-1};
	for (size_t i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		size_t off = offs[i];
		struct cpio_file f;
		cr_assert_eq(cpio_next(buf, len, &off, &f), -EINVAL);
		cr_assert_eq(off, offs[i]);
	}
	free(buf);
}

Test(cpio, empty_archive_is_malformed)
{
	struct cpio_file f;
	size_t off = 0;
	cr_assert_eq(cpio_next("", 0, &off, &f), -EINVAL);
	cr_assert_eq(cpio_find("", 0, "x", &f), -EINVAL);
}

static uint64_t rng_state = 0x2545f4914f6cdd1dULL;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

Test(cpio, random_corruption_never_reads_outside_the_archive)
{
	size_t len;
	uint8_t *orig = load_fixture(&len);
	static uint8_t buf[FIXTURE_SIZE];
	static const char hex[] = "0123456789abcdefABCDEF";
	static struct listing l;
	for (int iter = 0; iter < 3000; iter++) {
		memcpy(buf, orig, len);
		int changes = 1 + (int)(rng() % 4);
		for (int k = 0; k < changes; k++) {
			size_t at = rng() % TRAILER_NEXT;
			/* Hex digits mostly, so the sizes change and still parse. */
			buf[at] = rng() % 4 ? (uint8_t)hex[rng() % 22] : (uint8_t)rng();
		}
		size_t n = rng() % 2 ? len : rng() % (len + 1);
		list(buf, n, &l); /* checks every entry it returns */
		cr_assert(l.last == 0 || l.last == -EINVAL);
		struct cpio_file f;
		int r = find(buf, n, "bin/ktest", &f, NULL);
		cr_assert(r == 0 || r == -ENOENT || r == -EINVAL);
	}
	free(orig);
}
