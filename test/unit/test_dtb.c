/* Device-tree parsing: a real blob dumped from QEMU's virt machine (see
 * fixtures/README.md), then damaged copies of it and small hand-built
 * blobs for the checks a real blob never exercises. Every damaged or
 * hand-built blob is parsed from a malloc'd buffer of exactly the size
 * passed to dtb_parse (for valgrind or ASan) and from a copy that ends next
 * to an inaccessible page (a read far past the end crashes the test). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dtb.h"
#include "errno.h"

#define FIXTURE_DIR "test/unit/fixtures/"
#define FIXTURE     FIXTURE_DIR "virt.dtb"

/* Header field offsets (Devicetree Specification v0.4, 5.2). */
enum {
	H_MAGIC = 0,
	H_TOTALSIZE = 4,
	H_OFF_STRUCT = 8,
	H_OFF_STRINGS = 12,
	H_OFF_RSVMAP = 16,
	H_VERSION = 20,
	H_SIZE_STRINGS = 32,
	H_SIZE_STRUCT = 36,
	HEADER_SIZE = 40,
};

#define TOK_BEGIN_NODE 1
#define TOK_END_NODE   2
#define TOK_PROP       3
#define TOK_NOP        4
#define TOK_END        9

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* The fixture file, whole. QEMU writes its full FDT buffer, so the file
 * is larger than the blob's totalsize. */
static uint8_t *load_fixture(size_t *len)
{
	FILE *f = fopen(FIXTURE, "rb");
	cr_assert_not_null(f, "cannot open %s (tests run from the repository root)", FIXTURE);
	cr_assert_eq(fseek(f, 0, SEEK_END), 0);
	long n = ftell(f);
	cr_assert_gt(n, HEADER_SIZE);
	rewind(f);
	uint8_t *buf = malloc((size_t)n);
	cr_assert_not_null(buf);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* A malloc'd copy of the first totalsize bytes of the fixture. */
static uint8_t *load_blob(uint32_t *size)
{
	size_t len;
	uint8_t *file = load_fixture(&len);
	uint32_t total = get32(file + H_TOTALSIZE);
	cr_assert_leq(total, len);
	uint8_t *blob = malloc(total);
	cr_assert_not_null(blob);
	memcpy(blob, file, total);
	free(file);
	*size = total;
	return blob;
}

/* A copy of len bytes of blob ending at most 7 bytes before an
 * inaccessible page (the start stays 8-byte aligned, as the specification
 * requires of a blob), so reading past the end crashes the test even
 * without valgrind or ASan. The slack is filled with non-zero bytes. */
struct guarded {
	uint8_t *map;
	size_t maplen;
	uint8_t *data;
};

static struct guarded guarded_copy(const uint8_t *blob, size_t len)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	size_t body = (len + 7 + pg - 1) / pg * pg;
	struct guarded g = {.maplen = body + pg};
	g.map = mmap(NULL, g.maplen, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	cr_assert_neq(g.map, MAP_FAILED);
	cr_assert_eq(mprotect(g.map + body, pg, PROT_NONE), 0);
	g.data = g.map + ((body - len) & ~(size_t)7);
	memset(g.map, 0xA5, body);
	memcpy(g.data, blob, len);
	return g;
}

static void guarded_free(struct guarded g)
{
	munmap(g.map, g.maplen);
}

/* dtb_parse on two copies of exactly len bytes of blob: one from malloc,
 * for valgrind and ASan to watch, and one against a guard page. Both must
 * give the same answer. */
static int parse_copy(const uint8_t *blob, size_t len, struct bootinfo *bi)
{
	uint8_t *heap = malloc(len ? len : 1);
	cr_assert_not_null(heap);
	memcpy(heap, blob, len);
	int r1 = dtb_parse(heap, len, bi);
	free(heap);

	struct guarded g = guarded_copy(blob, len);
	int r2 = dtb_parse(g.data, len, bi);
	guarded_free(g);
	cr_assert_eq(r1, r2);
	return r2;
}

/* Offset of the FDT_PROP token of the first property named pname. */
static uint32_t find_prop(const uint8_t *blob, const char *pname)
{
	uint32_t st = get32(blob + H_OFF_STRUCT), end = st + get32(blob + H_SIZE_STRUCT);
	const char *strings = (const char *)blob + get32(blob + H_OFF_STRINGS);
	uint32_t off = st;
	while (off + 4 <= end) {
		uint32_t tok = get32(blob + off);
		if (tok == TOK_BEGIN_NODE) {
			off += 4 + (uint32_t)strlen((const char *)blob + off + 4) + 1;
			off = (off + 3) & ~3U;
		} else if (tok == TOK_PROP) {
			uint32_t len = get32(blob + off + 4), nameoff = get32(blob + off + 8);
			if (!strcmp(strings + nameoff, pname))
				return off;
			off = (off + 12 + len + 3) & ~3U;
		} else if (tok == TOK_END) {
			break;
		} else {
			off += 4;
		}
	}
	cr_assert_fail("property %s not in the fixture", pname);
	return 0;
}

/* ---- The fixture as QEMU wrote it ------------------------------------- */

Test(dtb, fixture_parses)
{
	uint32_t size;
	uint8_t *blob = load_blob(&size);
	struct bootinfo bi;
	cr_assert_eq(parse_copy(blob, size, &bi), 0);
	cr_assert_eq(bi.dtb_size, size);
	cr_assert_eq(dtb_total_size(blob), size);
	free(blob);
}

Test(dtb, fixture_parses_with_the_whole_file_as_limit)
{
	size_t len;
	uint8_t *file = load_fixture(&len);
	struct bootinfo bi;
	cr_assert_eq(dtb_parse(file, len, &bi), 0);
	cr_assert_eq(bi.dtb_size, get32(file + H_TOTALSIZE), "dtb_size is the header's totalsize");
	free(file);
}

Test(dtb, memory_is_128_mib_at_0x80000000)
{
	uint32_t size;
	uint8_t *blob = load_blob(&size);
	struct bootinfo bi;
	cr_assert_eq(parse_copy(blob, size, &bi), 0);
	cr_assert_eq(bi.nmem, 1);
	cr_assert_eq(bi.mem[0].base, 0x80000000UL);
	cr_assert_eq(bi.mem[0].size, 128UL << 20);
	cr_assert_eq(bi.nresv, 0, "QEMU's blob has no reservations before firmware adds them");
	free(blob);
}

Test(dtb, timebase_and_harts)
{
	uint32_t size;
	uint8_t *blob = load_blob(&size);
	struct bootinfo bi;
	cr_assert_eq(parse_copy(blob, size, &bi), 0);
	cr_assert_eq(bi.timebase_hz, 10000000);
	cr_assert_eq(bi.nharts, 2);
	cr_assert_eq(bi.harts[0], 0);
	cr_assert_eq(bi.harts[1], 1);
	free(blob);
}

Test(dtb, isa_string_and_extension_lookup)
{
	uint32_t size;
	uint8_t *blob = load_blob(&size);
	struct bootinfo bi;
	cr_assert_eq(parse_copy(blob, size, &bi), 0);
	cr_assert_eq(strncmp(bi.isa, "rv64imafdc", 10), 0, "isa is \"%s\"", bi.isa);
	cr_assert_not_null(strstr(bi.isa, "_sstc"), "isa is \"%s\"", bi.isa);

	cr_assert(dtb_isa_has(&bi, "sstc"));
	cr_assert(dtb_isa_has(&bi, "zicsr"));
	cr_assert(dtb_isa_has(&bi, "zifencei"));
	cr_assert(dtb_isa_has(&bi, "a"));
	cr_assert(dtb_isa_has(&bi, "i"));
	cr_assert(dtb_isa_has(&bi, "c"));
	cr_assert(dtb_isa_has(&bi, "h"));
	cr_assert_not(dtb_isa_has(&bi, "v"));
	cr_assert_not(dtb_isa_has(&bi, "zzz"));
	cr_assert_not(dtb_isa_has(&bi, "ss"), "a prefix of sstc is not an extension");
	cr_assert_not(dtb_isa_has(&bi, "zicsrx"));
	cr_assert_not(dtb_isa_has(&bi, "r"), "the \"rv64\" prefix holds no extensions");
	cr_assert_not(dtb_isa_has(&bi, "z"), "letters of multi-letter names do not count");
	free(blob);
}

Test(dtb, isa_lookup_on_hand_written_strings)
{
	struct bootinfo bi;
	memset(&bi, 0, sizeof(bi));
	strcpy(bi.isa, "rv64imac");
	cr_assert(dtb_isa_has(&bi, "m"));
	cr_assert(dtb_isa_has(&bi, "c"));
	cr_assert_not(dtb_isa_has(&bi, "f"));
	cr_assert_not(dtb_isa_has(&bi, "sstc"));
	strcpy(bi.isa, "rv64ima_sstc_zicsr");
	cr_assert(dtb_isa_has(&bi, "sstc"));
	cr_assert(dtb_isa_has(&bi, "zicsr"));
	cr_assert_not(dtb_isa_has(&bi, "s"), "single letters stop at the first '_'");
	strcpy(bi.isa, "");
	cr_assert_not(dtb_isa_has(&bi, "i"));
	cr_assert_not(dtb_isa_has(&bi, "sstc"));
}

Test(dtb, uart_plic_test_and_rtc)
{
	uint32_t size;
	uint8_t *blob = load_blob(&size);
	struct bootinfo bi;
	cr_assert_eq(parse_copy(blob, size, &bi), 0);
	cr_assert_eq(bi.uart.base, 0x10000000);
	cr_assert_eq(bi.uart.size, 0x100);
	cr_assert_eq(bi.uart.irq, 10);
	cr_assert_eq(bi.plic.base, 0x0c000000);
	cr_assert_eq(bi.plic.size, 0x600000);
	cr_assert_eq(bi.plic_ndev, 96, "riscv,ndev = <0x60> in the fixture");
	cr_assert_eq(bi.test.base, 0x100000);
	cr_assert_eq(bi.test.size, 0x1000);
	cr_assert_eq(bi.rtc.base, 0x101000);
	cr_assert_eq(bi.rtc.irq, 11);
	free(blob);
}

Test(dtb, eight_virtio_slots)
{
	uint32_t size;
	uint8_t *blob = load_blob(&size);
	struct bootinfo bi;
	cr_assert_eq(parse_copy(blob, size, &bi), 0);
	cr_assert_eq(bi.nvirtio, 8);
	/* QEMU lists them from the highest address down: slot k of the blob is
	 * 0x10008000 - k * 0x1000, interrupt 8 - k. Check the set, not the order. */
	bool seen[8] = {false};
	for (int k = 0; k < bi.nvirtio; k++) {
		uint64_t base = bi.virtio[k].base;
		cr_assert_geq(base, 0x10001000UL);
		cr_assert_leq(base, 0x10008000UL);
		cr_assert_eq(base % 0x1000, 0);
		int slot = (int)((base - 0x10001000UL) / 0x1000);
		cr_assert_not(seen[slot], "slot at %#lx seen twice", (unsigned long)base);
		seen[slot] = true;
		cr_assert_eq(bi.virtio[k].size, 0x1000);
		cr_assert_eq(bi.virtio[k].irq, (uint32_t)slot + 1);
	}
	free(blob);
}

Test(dtb, bootargs_and_initrd_from_chosen)
{
	uint32_t size;
	uint8_t *blob = load_blob(&size);
	struct bootinfo bi;
	cr_assert_eq(parse_copy(blob, size, &bi), 0);
	cr_assert_str_eq(bi.bootargs, "mica.hz=250 console=x");
	/* QEMU put the 4096-byte -initrd file at kernel entry + 64 MiB. */
	cr_assert_eq(bi.initrd_start, 0x84200000UL);
	cr_assert_eq(bi.initrd_end, 0x84201000UL);
	cr_assert_eq(bi.initrd_end - bi.initrd_start, 4096);
	free(blob);
}

/* ---- Damaged copies of the fixture ------------------------------------ */

Test(dtb, bad_magic_is_rejected)
{
	uint32_t size;
	uint8_t *blob = load_blob(&size);
	struct bootinfo bi;
	blob[0] ^= 0x01;
	cr_assert_eq(parse_copy(blob, size, &bi), -EINVAL);
	cr_assert_eq(dtb_total_size(blob), 0, "no size for a blob without the magic");
	put32(blob + H_MAGIC, 0xedfe0dd0); /* little-endian magic */
	cr_assert_eq(parse_copy(blob, size, &bi), -EINVAL);
	free(blob);
}

Test(dtb, every_truncation_of_the_blob_is_rejected)
{
	uint32_t size;
	uint8_t *blob = load_blob(&size);
	struct bootinfo bi;
	for (uint32_t len = 0; len < size; len += (len < 256 ? 1 : 7))
		cr_assert_eq(parse_copy(blob, len, &bi), -EINVAL, "accepted %u of %u bytes", len,
		             size);
	cr_assert_eq(parse_copy(blob, size - 1, &bi), -EINVAL);
	cr_assert_eq(parse_copy(blob, size, &bi), 0);
	free(blob);
}

/* The structure block cut short, with the header rewritten to describe the
 * shorter blob consistently: the walker itself must notice. */
Test(dtb, every_truncation_of_the_struct_block_is_rejected)
{
	uint32_t size;
	uint8_t *blob = load_blob(&size);
	uint32_t st_off = get32(blob + H_OFF_STRUCT), st_len = get32(blob + H_SIZE_STRUCT);
	uint32_t str_off = get32(blob + H_OFF_STRINGS), str_len = get32(blob + H_SIZE_STRINGS);
	cr_assert_eq(st_off + st_len, str_off, "fixture layout: strings follow the structs");
	cr_assert_eq(str_off + str_len, size);
	struct bootinfo bi;
	for (uint32_t cut = 0; cut < st_len; cut++) {
		uint32_t total = st_off + cut + str_len;
		uint8_t *b = malloc(total);
		cr_assert_not_null(b);
		memcpy(b, blob, st_off + cut);
		memcpy(b + st_off + cut, blob + str_off, str_len);
		put32(b + H_TOTALSIZE, total);
		put32(b + H_SIZE_STRUCT, cut);
		put32(b + H_OFF_STRINGS, st_off + cut);
		cr_assert_eq(parse_copy(b, total, &bi), -EINVAL, "accepted %u of %u struct bytes",
		             cut, st_len);
		free(b);
	}
	free(blob);
}

Test(dtb, totalsize_larger_than_the_buffer_is_rejected)
{
	uint32_t size;
	uint8_t *blob = load_blob(&size);
	struct bootinfo bi;
	put32(blob + H_TOTALSIZE, size + 1);
	cr_assert_eq(parse_copy(blob, size, &bi), -EINVAL);
	put32(blob + H_TOTALSIZE, 0xFFFFFFFF);
	cr_assert_eq(parse_copy(blob, size, &bi), -EINVAL);
	put32(blob + H_TOTALSIZE, HEADER_SIZE - 1); /* smaller than its own header */
	cr_assert_eq(parse_copy(blob, size, &bi), -EINVAL);
	free(blob);
}

Test(dtb, old_versions_are_rejected)
{
	uint32_t size;
	uint8_t *blob = load_blob(&size);
	struct bootinfo bi;
	put32(blob + H_VERSION, 15);
	cr_assert_eq(parse_copy(blob, size, &bi), -EINVAL);
	free(blob);
}

/* Sets one header field of a fresh copy and expects -EINVAL. */
static void expect_bad_field(const uint8_t *blob, uint32_t size, int field, uint32_t value)
{
	uint8_t *b = malloc(size);
	cr_assert_not_null(b);
	memcpy(b, blob, size);
	put32(b + field, value);
	struct bootinfo bi;
	cr_assert_eq(parse_copy(b, size, &bi), -EINVAL, "header field at %d = %#x accepted", field,
	             value);
	free(b);
}

Test(dtb, corrupted_block_offsets_are_rejected)
{
	uint32_t size;
	uint8_t *blob = load_blob(&size);
	uint32_t st_off = get32(blob + H_OFF_STRUCT), st_len = get32(blob + H_SIZE_STRUCT);
	uint32_t str_off = get32(blob + H_OFF_STRINGS), str_len = get32(blob + H_SIZE_STRINGS);

	expect_bad_field(blob, size, H_OFF_STRUCT, size + 4);
	expect_bad_field(blob, size, H_OFF_STRUCT, 0xFFFFFFFC);
	expect_bad_field(blob, size, H_OFF_STRUCT, st_off + 2); /* misaligned */
	/* Aligned, but the struct block would end past totalsize. */
	expect_bad_field(blob, size, H_OFF_STRUCT, (size - st_len + 4 + 3) & ~3U);
	expect_bad_field(blob, size, H_SIZE_STRUCT, size - st_off + 4);
	expect_bad_field(blob, size, H_SIZE_STRUCT, 0xFFFFFFFF);
	expect_bad_field(blob, size, H_SIZE_STRUCT, 0); /* no FDT_END */
	expect_bad_field(blob, size, H_OFF_STRINGS, size + 1);
	expect_bad_field(blob, size, H_OFF_STRINGS, str_off + 1);
	expect_bad_field(blob, size, H_OFF_STRINGS, 0xFFFFFFFF);
	expect_bad_field(blob, size, H_SIZE_STRINGS, str_len + 1);
	expect_bad_field(blob, size, H_SIZE_STRINGS, 0xFFFFFFFF);
	expect_bad_field(blob, size, H_SIZE_STRINGS, 0); /* every name is out of range */
	expect_bad_field(blob, size, H_OFF_RSVMAP, size + 16);
	expect_bad_field(blob, size, H_OFF_RSVMAP, 0x2a); /* misaligned */
	/* Aligned, but no room for a 16-byte entry before the end. */
	expect_bad_field(blob, size, H_OFF_RSVMAP, (size - 8) & ~3U);
	free(blob);
}

Test(dtb, property_length_past_the_end_is_rejected)
{
	uint32_t size;
	uint8_t *blob = load_blob(&size);
	struct bootinfo bi;
	uint32_t st_end = get32(blob + H_OFF_STRUCT) + get32(blob + H_SIZE_STRUCT);
	uint32_t p = find_prop(blob, "bootargs");
	uint32_t room = st_end - (p + 12); /* bytes from the value to the block's end */

	put32(blob + p + 4, room + 1);
	cr_assert_eq(parse_copy(blob, size, &bi), -EINVAL);
	put32(blob + p + 4, 0xFFFFFFFF);
	cr_assert_eq(parse_copy(blob, size, &bi), -EINVAL);
	put32(blob + p + 4, 0xFFFFFFF8); /* wraps the 32-bit offset if added blindly */
	cr_assert_eq(parse_copy(blob, size, &bi), -EINVAL);
	free(blob);
}

Test(dtb, property_name_offset_past_the_strings_is_rejected)
{
	uint32_t size;
	uint8_t *blob = load_blob(&size);
	struct bootinfo bi;
	uint32_t p = find_prop(blob, "bootargs");
	uint32_t str_len = get32(blob + H_SIZE_STRINGS);
	put32(blob + p + 8, str_len);
	cr_assert_eq(parse_copy(blob, size, &bi), -EINVAL);
	put32(blob + p + 8, 0xFFFFFFF0);
	cr_assert_eq(parse_copy(blob, size, &bi), -EINVAL);
	free(blob);
}

Test(dtb, unknown_token_is_rejected)
{
	uint32_t size;
	uint8_t *blob = load_blob(&size);
	struct bootinfo bi;
	uint32_t p = find_prop(blob, "bootargs");
	put32(blob + p, 0x00000005);
	cr_assert_eq(parse_copy(blob, size, &bi), -EINVAL);
	free(blob);
}

Test(dtb, missing_fdt_end_is_rejected)
{
	uint32_t size;
	uint8_t *blob = load_blob(&size);
	struct bootinfo bi;
	uint32_t st_end = get32(blob + H_OFF_STRUCT) + get32(blob + H_SIZE_STRUCT);
	cr_assert_eq(get32(blob + st_end - 4), TOK_END, "the fixture ends with FDT_END");
	put32(blob + st_end - 4, TOK_NOP);
	cr_assert_eq(parse_copy(blob, size, &bi), -EINVAL);
	put32(blob + st_end - 4, TOK_END_NODE); /* one END_NODE too many */
	cr_assert_eq(parse_copy(blob, size, &bi), -EINVAL);
	free(blob);
}

Test(dtb, initrd_end_before_start_is_rejected)
{
	uint32_t size;
	uint8_t *blob = load_blob(&size);
	struct bootinfo bi;
	uint32_t p = find_prop(blob, "linux,initrd-end");
	cr_assert_eq(get32(blob + p + 4), 4, "QEMU writes the initrd addresses as one cell");
	put32(blob + p + 12, 0x84100000);
	cr_assert_eq(parse_copy(blob, size, &bi), -EINVAL);
	free(blob);
}

/* ---- Hand-built blobs ------------------------------------------------- */

/* A minimal FDT writer: tokens go to st, names to strs, then fdt_finish
 * lays out header, empty reservation map, structs and strings. */
struct fdt_builder {
	uint8_t st[2048];
	uint32_t st_len;
	char strs[512];
	uint32_t strs_len;
};

static void b_u32(struct fdt_builder *b, uint32_t v)
{
	cr_assert_leq(b->st_len + 4, sizeof(b->st));
	put32(b->st + b->st_len, v);
	b->st_len += 4;
}

static void b_bytes(struct fdt_builder *b, const void *p, uint32_t n)
{
	cr_assert_leq(b->st_len + n + 3, sizeof(b->st));
	memcpy(b->st + b->st_len, p, n);
	b->st_len += n;
	while (b->st_len % 4)
		b->st[b->st_len++] = 0;
}

static void b_begin(struct fdt_builder *b, const char *name)
{
	b_u32(b, TOK_BEGIN_NODE);
	b_bytes(b, name, (uint32_t)strlen(name) + 1);
}

static void b_end(struct fdt_builder *b)
{
	b_u32(b, TOK_END_NODE);
}

static uint32_t b_string(struct fdt_builder *b, const char *name)
{
	for (uint32_t off = 0; off < b->strs_len; off += (uint32_t)strlen(b->strs + off) + 1)
		if (!strcmp(b->strs + off, name))
			return off;
	uint32_t off = b->strs_len, n = (uint32_t)strlen(name) + 1;
	cr_assert_leq(off + n, sizeof(b->strs));
	memcpy(b->strs + off, name, n);
	b->strs_len += n;
	return off;
}

static void b_prop(struct fdt_builder *b, const char *name, const void *val, uint32_t len)
{
	b_u32(b, TOK_PROP);
	b_u32(b, len);
	b_u32(b, b_string(b, name));
	b_bytes(b, val, len);
}

static void b_prop_u32(struct fdt_builder *b, const char *name, uint32_t v)
{
	uint8_t be[4];
	put32(be, v);
	b_prop(b, name, be, 4);
}

static void b_prop_str(struct fdt_builder *b, const char *name, const char *s)
{
	b_prop(b, name, s, (uint32_t)strlen(s) + 1);
}

/* The finished blob, malloc'd at exactly its totalsize. The usual layout
 * is header, reservations, structs, strings; with strings_first the
 * structure block comes last and ends the blob. */
static uint8_t *fdt_finish_layout(const struct fdt_builder *b, uint32_t *size, bool strings_first)
{
	uint32_t rsv = HEADER_SIZE, st = rsv + 16, str = st + b->st_len;
	if (strings_first) {
		str = rsv + 16;
		st = (str + b->strs_len + 3) & ~3U;
	}
	uint32_t total = strings_first ? st + b->st_len : str + b->strs_len;
	uint8_t *blob = calloc(1, total);
	cr_assert_not_null(blob);
	put32(blob + H_MAGIC, 0xd00dfeed);
	put32(blob + H_TOTALSIZE, total);
	put32(blob + H_OFF_STRUCT, st);
	put32(blob + H_OFF_STRINGS, str);
	put32(blob + H_OFF_RSVMAP, rsv);
	put32(blob + H_VERSION, 17);
	put32(blob + 24, 16); /* last_comp_version */
	put32(blob + H_SIZE_STRINGS, b->strs_len);
	put32(blob + H_SIZE_STRUCT, b->st_len);
	memcpy(blob + st, b->st, b->st_len);
	memcpy(blob + str, b->strs, b->strs_len);
	*size = total;
	return blob;
}

static uint8_t *fdt_finish(const struct fdt_builder *b, uint32_t *size)
{
	return fdt_finish_layout(b, size, false);
}

Test(dtb, minimal_hand_built_blob_parses)
{
	struct fdt_builder b = {.st_len = 0};
	b_begin(&b, "");
	b_prop_u32(&b, "#address-cells", 2);
	b_prop_u32(&b, "#size-cells", 2);
	b_begin(&b, "chosen");
	b_prop_str(&b, "bootargs", "mica.hz=1000");
	b_end(&b);
	b_end(&b);
	b_u32(&b, TOK_END);
	uint32_t size;
	uint8_t *blob = fdt_finish(&b, &size);
	struct bootinfo bi;
	cr_assert_eq(parse_copy(blob, size, &bi), 0);
	cr_assert_str_eq(bi.bootargs, "mica.hz=1000");
	cr_assert_eq(bi.nmem, 0);
	free(blob);
}

Test(dtb, unterminated_node_name_is_rejected)
{
	struct fdt_builder b = {.st_len = 0};
	b_begin(&b, "");
	b_u32(&b, TOK_BEGIN_NODE);
	/* The name runs to the end of the structure block: no NUL, no END. */
	memcpy(b.st + b.st_len, "abcdefgh", 8);
	b.st_len += 8;
	uint32_t size;
	uint8_t *blob = fdt_finish(&b, &size);
	struct bootinfo bi;
	cr_assert_eq(parse_copy(blob, size, &bi), -EINVAL);
	free(blob);
}

Test(dtb, unterminated_node_name_at_the_very_end_of_the_blob_is_rejected)
{
	/* No strings block either, so the name is the last byte of the blob:
	 * the parser must stop exactly at the buffer's end. */
	struct fdt_builder b = {.st_len = 0};
	b_u32(&b, TOK_BEGIN_NODE);
	memcpy(b.st + b.st_len, "node", 4);
	b.st_len += 4;
	uint32_t size;
	uint8_t *blob = fdt_finish(&b, &size);
	cr_assert_eq(blob[size - 1], 'e');
	struct bootinfo bi;
	cr_assert_eq(parse_copy(blob, size, &bi), -EINVAL);
	free(blob);
}

Test(dtb, strings_before_structs_is_a_valid_layout)
{
	struct fdt_builder b = {.st_len = 0};
	b_begin(&b, "");
	b_begin(&b, "chosen");
	b_prop_str(&b, "bootargs", "x=1");
	b_end(&b);
	b_end(&b);
	b_u32(&b, TOK_END);
	uint32_t size;
	uint8_t *blob = fdt_finish_layout(&b, &size, true);
	struct bootinfo bi;
	cr_assert_eq(parse_copy(blob, size, &bi), 0);
	cr_assert_str_eq(bi.bootargs, "x=1");
	free(blob);
}

Test(dtb, property_value_running_off_the_end_of_the_blob_is_rejected)
{
	/* The structure block ends the blob; the last property claims 200
	 * bytes of value where only 4 remain. Nothing of it may be read. */
	struct fdt_builder b = {.st_len = 0};
	b_begin(&b, "");
	b_begin(&b, "chosen");
	b_u32(&b, TOK_PROP);
	b_u32(&b, 200);
	b_u32(&b, b_string(&b, "bootargs"));
	b_bytes(&b, "abc", 4);
	uint32_t size;
	uint8_t *blob = fdt_finish_layout(&b, &size, true);
	struct bootinfo bi;
	cr_assert_eq(parse_copy(blob, size, &bi), -EINVAL);
	free(blob);
}

Test(dtb, unterminated_property_name_at_the_end_of_the_blob_is_rejected)
{
	/* The strings block ends the blob and its only name, "bootargs", has
	 * no NUL: comparing it with any known name would read past the end. */
	struct fdt_builder b = {.st_len = 0};
	b_begin(&b, "");
	b_begin(&b, "chosen");
	b_prop_str(&b, "bootargs", "x=1");
	b_end(&b);
	b_end(&b);
	b_u32(&b, TOK_END);
	cr_assert_eq(b.strs_len, 9);
	b.strs_len = 8; /* drop the NUL */
	uint32_t size;
	uint8_t *blob = fdt_finish(&b, &size);
	cr_assert_eq(size % 8, 0, "no slack before the guard page");
	cr_assert_eq(blob[size - 1], 's');
	struct bootinfo bi;
	cr_assert_eq(parse_copy(blob, size, &bi), -EINVAL);
	free(blob);
}

Test(dtb, property_outside_any_node_is_rejected)
{
	struct fdt_builder b = {.st_len = 0};
	b_prop_u32(&b, "#size-cells", 1);
	b_begin(&b, "");
	b_end(&b);
	b_u32(&b, TOK_END);
	uint32_t size;
	uint8_t *blob = fdt_finish(&b, &size);
	struct bootinfo bi;
	cr_assert_eq(parse_copy(blob, size, &bi), -EINVAL);
	free(blob);
}

Test(dtb, unbalanced_nodes_are_rejected)
{
	struct fdt_builder b = {.st_len = 0};
	b_begin(&b, "");
	b_begin(&b, "soc");
	b_end(&b);
	b_u32(&b, TOK_END); /* root never closed */
	uint32_t size;
	uint8_t *blob = fdt_finish(&b, &size);
	struct bootinfo bi;
	cr_assert_eq(parse_copy(blob, size, &bi), -EINVAL);
	free(blob);
}

Test(dtb, nesting_deeper_than_the_parser_stack_is_rejected)
{
	struct fdt_builder b = {.st_len = 0};
	for (int i = 0; i < 64; i++)
		b_begin(&b, "n");
	for (int i = 0; i < 64; i++)
		b_end(&b);
	b_u32(&b, TOK_END);
	uint32_t size;
	uint8_t *blob = fdt_finish(&b, &size);
	struct bootinfo bi;
	cr_assert_eq(parse_copy(blob, size, &bi), -EINVAL);
	free(blob);
}

Test(dtb, nop_tokens_are_skipped)
{
	struct fdt_builder b = {.st_len = 0};
	b_u32(&b, TOK_NOP);
	b_begin(&b, "");
	b_u32(&b, TOK_NOP);
	b_begin(&b, "chosen");
	b_u32(&b, TOK_NOP);
	b_prop_str(&b, "bootargs", "a=b");
	b_end(&b);
	b_end(&b);
	b_u32(&b, TOK_NOP);
	b_u32(&b, TOK_END);
	uint32_t size;
	uint8_t *blob = fdt_finish(&b, &size);
	struct bootinfo bi;
	cr_assert_eq(parse_copy(blob, size, &bi), 0);
	cr_assert_str_eq(bi.bootargs, "a=b");
	free(blob);
}

Test(dtb, memreserve_entries_are_collected)
{
	struct fdt_builder b = {.st_len = 0};
	b_begin(&b, "");
	b_end(&b);
	b_u32(&b, TOK_END);
	uint32_t size;
	uint8_t *base = fdt_finish(&b, &size);
	/* Room for two entries and the terminator before the structs. */
	uint32_t total = size + 32;
	uint8_t *blob = calloc(1, total);
	cr_assert_not_null(blob);
	memcpy(blob, base, HEADER_SIZE);
	memcpy(blob + HEADER_SIZE + 48, base + HEADER_SIZE + 16, size - HEADER_SIZE - 16);
	put32(blob + H_TOTALSIZE, total);
	put32(blob + H_OFF_STRUCT, get32(base + H_OFF_STRUCT) + 32);
	put32(blob + H_OFF_STRINGS, get32(base + H_OFF_STRINGS) + 32);
	put32(blob + HEADER_SIZE + 4, 0x80000000);  /* base, low word */
	put32(blob + HEADER_SIZE + 12, 0x00080000); /* size */
	put32(blob + HEADER_SIZE + 16, 0x1);        /* 0x1_0000_0000 */
	put32(blob + HEADER_SIZE + 28, 0x1000);
	struct bootinfo bi;
	cr_assert_eq(parse_copy(blob, total, &bi), 0);
	cr_assert_eq(bi.nresv, 2);
	cr_assert_eq(bi.resv[0].base, 0x80000000UL);
	cr_assert_eq(bi.resv[0].size, 0x80000UL);
	cr_assert_eq(bi.resv[1].base, 0x100000000UL);
	cr_assert_eq(bi.resv[1].size, 0x1000UL);
	free(base);
	free(blob);
}

Test(dtb, reserved_memory_children_are_collected)
{
	uint8_t reg[16];
	struct fdt_builder b = {.st_len = 0};
	b_begin(&b, "");
	b_prop_u32(&b, "#address-cells", 2);
	b_prop_u32(&b, "#size-cells", 2);
	b_begin(&b, "reserved-memory");
	b_prop_u32(&b, "#address-cells", 2);
	b_prop_u32(&b, "#size-cells", 2);
	b_begin(&b, "mmode_resv0@80000000");
	put32(reg, 0), put32(reg + 4, 0x80000000), put32(reg + 8, 0), put32(reg + 12, 0x40000);
	b_prop(&b, "reg", reg, 16);
	b_end(&b);
	b_end(&b);
	b_end(&b);
	b_u32(&b, TOK_END);
	uint32_t size;
	uint8_t *blob = fdt_finish(&b, &size);
	struct bootinfo bi;
	cr_assert_eq(parse_copy(blob, size, &bi), 0);
	cr_assert_eq(bi.nresv, 1);
	cr_assert_eq(bi.resv[0].base, 0x80000000UL);
	cr_assert_eq(bi.resv[0].size, 0x40000UL);
	free(blob);
}

Test(dtb, one_cell_addresses_follow_the_parent)
{
	/* #address-cells = 1, #size-cells = 1 at the root: reg is two cells. */
	uint8_t reg[16];
	struct fdt_builder b = {.st_len = 0};
	b_begin(&b, "");
	b_prop_u32(&b, "#address-cells", 1);
	b_prop_u32(&b, "#size-cells", 1);
	b_begin(&b, "memory@40000000");
	b_prop_str(&b, "device_type", "memory");
	put32(reg, 0x40000000), put32(reg + 4, 0x1000000);
	put32(reg + 8, 0x60000000), put32(reg + 12, 0x2000000);
	b_prop(&b, "reg", reg, 16);
	b_end(&b);
	b_begin(&b, "uart@9000000");
	b_prop_str(&b, "compatible", "ns16550a");
	put32(reg, 0x09000000), put32(reg + 4, 0x1000);
	b_prop(&b, "reg", reg, 8);
	b_prop_u32(&b, "interrupts", 33);
	b_end(&b);
	b_end(&b);
	b_u32(&b, TOK_END);
	uint32_t size;
	uint8_t *blob = fdt_finish(&b, &size);
	struct bootinfo bi;
	cr_assert_eq(parse_copy(blob, size, &bi), 0);
	cr_assert_eq(bi.nmem, 2);
	cr_assert_eq(bi.mem[0].base, 0x40000000UL);
	cr_assert_eq(bi.mem[0].size, 0x1000000UL);
	cr_assert_eq(bi.mem[1].base, 0x60000000UL);
	cr_assert_eq(bi.mem[1].size, 0x2000000UL);
	cr_assert_eq(bi.uart.base, 0x09000000UL);
	cr_assert_eq(bi.uart.size, 0x1000UL);
	cr_assert_eq(bi.uart.irq, 33);
	free(blob);
}

Test(dtb, zero_sized_memory_entries_are_skipped)
{
	uint8_t reg[48];
	struct fdt_builder b = {.st_len = 0};
	b_begin(&b, "");
	b_prop_u32(&b, "#address-cells", 2);
	b_prop_u32(&b, "#size-cells", 2);
	b_begin(&b, "memory@80000000");
	b_prop_str(&b, "device_type", "memory");
	memset(reg, 0, sizeof(reg));
	put32(reg + 4, 0x80000000), put32(reg + 12, 0x1000000); /* 16 MiB */
	put32(reg + 20, 0x90000000);                            /* size 0 */
	put32(reg + 32, 0x1), put32(reg + 44, 0x2000000);       /* 4 GiB + 32 MiB */
	b_prop(&b, "reg", reg, 48);
	b_end(&b);
	b_end(&b);
	b_u32(&b, TOK_END);
	uint32_t size;
	uint8_t *blob = fdt_finish(&b, &size);
	struct bootinfo bi;
	int r = parse_copy(blob, size, &bi);
	free(blob);
	cr_assert_eq(r, 0);
	cr_assert_eq(bi.nmem, 2);
	cr_assert_eq(bi.mem[0].base, 0x80000000UL);
	cr_assert_eq(bi.mem[0].size, 0x1000000UL);
	cr_assert_eq(bi.mem[1].base, 0x100000000UL);
	cr_assert_eq(bi.mem[1].size, 0x2000000UL);
}

Test(dtb, two_cell_cpu_reg_gives_the_hart_id)
{
	uint8_t reg[8];
	struct fdt_builder b = {.st_len = 0};
	b_begin(&b, "");
	b_begin(&b, "cpus");
	b_prop_u32(&b, "#address-cells", 2);
	b_prop_u32(&b, "#size-cells", 0);
	b_begin(&b, "cpu@5");
	b_prop_str(&b, "device_type", "cpu");
	put32(reg, 0), put32(reg + 4, 5);
	b_prop(&b, "reg", reg, 8);
	b_end(&b);
	b_end(&b);
	b_end(&b);
	b_u32(&b, TOK_END);
	uint32_t size;
	uint8_t *blob = fdt_finish(&b, &size);
	struct bootinfo bi;
	int r = parse_copy(blob, size, &bi);
	free(blob);
	cr_assert_eq(r, 0);
	cr_assert_eq(bi.nharts, 1);
	cr_assert_eq(bi.harts[0], 5);
}

Test(dtb, over_long_bootargs_are_truncated_and_terminated)
{
	char longargs[DT_STR_MAX * 2];
	memset(longargs, 'a', sizeof(longargs) - 1);
	longargs[sizeof(longargs) - 1] = '\0';
	struct fdt_builder b = {.st_len = 0};
	b_begin(&b, "");
	b_begin(&b, "chosen");
	b_prop_str(&b, "bootargs", longargs);
	b_end(&b);
	b_end(&b);
	b_u32(&b, TOK_END);
	uint32_t size;
	uint8_t *blob = fdt_finish(&b, &size);
	struct bootinfo bi;
	cr_assert_eq(parse_copy(blob, size, &bi), 0);
	cr_assert_eq(strlen(bi.bootargs), DT_STR_MAX - 1);
	free(blob);
}

Test(dtb, bootargs_outside_chosen_are_ignored)
{
	struct fdt_builder b = {.st_len = 0};
	b_begin(&b, "");
	b_begin(&b, "soc");
	b_begin(&b, "chosen"); /* not /chosen */
	b_prop_str(&b, "bootargs", "wrong");
	b_end(&b);
	b_end(&b);
	b_end(&b);
	b_u32(&b, TOK_END);
	uint32_t size;
	uint8_t *blob = fdt_finish(&b, &size);
	struct bootinfo bi;
	cr_assert_eq(parse_copy(blob, size, &bi), 0);
	cr_assert_str_eq(bi.bootargs, "");
	free(blob);
}

Test(dtb, disabled_cpus_are_not_counted)
{
	/* dtb.h: harts[] holds the ids of *enabled* cpus. On boards such as
	 * the SiFive FU540, cpu@0 is a monitor core with status "disabled". */
	struct fdt_builder b = {.st_len = 0};
	b_begin(&b, "");
	b_begin(&b, "cpus");
	b_prop_u32(&b, "#address-cells", 1);
	b_prop_u32(&b, "#size-cells", 0);
	b_prop_u32(&b, "timebase-frequency", 1000000);
	b_begin(&b, "cpu@0");
	b_prop_str(&b, "device_type", "cpu");
	b_prop_u32(&b, "reg", 0);
	b_prop_str(&b, "status", "disabled");
	b_prop_str(&b, "riscv,isa", "rv64imac");
	b_end(&b);
	b_begin(&b, "cpu@1");
	b_prop_str(&b, "device_type", "cpu");
	b_prop_u32(&b, "reg", 1);
	b_prop_str(&b, "status", "okay");
	b_prop_str(&b, "riscv,isa", "rv64imafdc");
	b_end(&b);
	b_begin(&b, "cpu@2");
	b_prop_str(&b, "device_type", "cpu");
	b_prop_u32(&b, "reg", 2); /* no status: "okay" by default */
	b_prop_str(&b, "riscv,isa", "rv64imafdc");
	b_end(&b);
	b_begin(&b, "cpu@3");
	b_prop_str(&b, "device_type", "cpu");
	b_prop_u32(&b, "reg", 3);
	b_prop_str(&b, "status", "ok"); /* the older spelling of "okay" */
	b_end(&b);
	b_begin(&b, "cpu@4");
	b_prop_str(&b, "device_type", "cpu");
	b_prop_u32(&b, "reg", 4);
	b_prop_str(&b, "status", "fail");
	b_end(&b);
	b_end(&b);
	b_end(&b);
	b_u32(&b, TOK_END);
	uint32_t size;
	uint8_t *blob = fdt_finish(&b, &size);
	struct bootinfo bi;
	int r = parse_copy(blob, size, &bi);
	free(blob);
	cr_assert_eq(r, 0);
	cr_assert_eq(bi.timebase_hz, 1000000);
	cr_assert_eq(bi.nharts, 3, "counted %d harts; cpu@0 and cpu@4 are not enabled", bi.nharts);
	cr_assert_eq(bi.harts[0], 1);
	cr_assert_eq(bi.harts[1], 2);
	cr_assert_eq(bi.harts[2], 3);
}
