/* ELF executable checking: a tiny real RISC-V executable (see
 * fixtures/README.md), then images made by a small builder for every
 * reason to refuse a file. Every image is parsed from a malloc'd buffer
 * of exactly its size (for valgrind or ASan) and from a copy that ends
 * right before an inaccessible page. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mica/elf.h"
#include "mica/errno.h"

#define FIXTURE "test/unit/fixtures/tiny.elf"

#define MIN_VA              0x1000UL
#define MAX_VA              0x0000004000000000UL /* USER_TOP */
#define KERNEL_VA           0xFFFFFFFF80200000UL /* where build/kernel.elf is linked */
#define IMAGE_MAX           0x10000
#define EHDR_SIZE           64
#define PHDR_SIZE           56
#define PT_LOAD             1
#define PT_DYNAMIC          2
#define PT_INTERP           3
#define PT_NOTE             4
#define PT_PHDR             6
#define PT_TLS              7
#define PT_GNU_STACK        0x6474e551U
#define PT_RISCV_ATTRIBUTES 0x70000003U
#define RO                  ELF_PF_R
#define RX                  (ELF_PF_R | ELF_PF_X)
#define RW                  (ELF_PF_R | ELF_PF_W)
#define WX                  (ELF_PF_W | ELF_PF_X)
#define RWX                 (ELF_PF_R | ELF_PF_W | ELF_PF_X)

/* ELF header field offsets (System V gABI). */
enum {
	E_CLASS = 4,
	E_DATA = 5,
	E_IDVERSION = 6,
	E_TYPE = 16,
	E_MACHINE = 18,
	E_VERSION = 20,
	E_ENTRY = 24,
	E_PHOFF = 32,
	E_PHENTSIZE = 54,
	E_PHNUM = 56,
};

struct ph {
	uint32_t type, flags;
	uint64_t offset, vaddr, filesz, memsz, align;
};

/* An image under construction: program headers follow the ELF header. */
struct image {
	uint8_t buf[IMAGE_MAX];
	size_t size;
};

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static uint8_t *phdr(struct image *im, int i)
{
	return im->buf + EHDR_SIZE + i * PHDR_SIZE;
}

/* Builds an ET_EXEC RISC-V image with the given program headers. The file
 * is just long enough for the headers and every segment's data (as far as
 * it fits in IMAGE_MAX), which is filled with a pattern. */
static void build(struct image *im, uint64_t entry, const struct ph *ph, int nph)
{
	memset(im, 0, sizeof(*im));
	im->size = EHDR_SIZE + (size_t)nph * PHDR_SIZE;
	for (int i = 0; i < nph; i++)
		if (ph[i].offset <= IMAGE_MAX && ph[i].filesz <= IMAGE_MAX - ph[i].offset &&
		    ph[i].offset + ph[i].filesz > im->size)
			im->size = ph[i].offset + ph[i].filesz;
	for (size_t i = EHDR_SIZE + (size_t)nph * PHDR_SIZE; i < im->size; i++)
		im->buf[i] = (uint8_t)(i * 7 + 1);
	uint8_t *e = im->buf;
	memcpy(e,
	       "\x7f"
	       "ELF",
	       4);
	e[E_CLASS] = 2;
	e[E_DATA] = 1;
	e[E_IDVERSION] = 1;
	put16(e + E_TYPE, 2);
	put16(e + E_MACHINE, 243);
	put32(e + E_VERSION, 1);
	put64(e + E_ENTRY, entry);
	put64(e + E_PHOFF, EHDR_SIZE);
	put16(e + 52, EHDR_SIZE);
	put16(e + E_PHENTSIZE, PHDR_SIZE);
	put16(e + E_PHNUM, (uint16_t)nph);
	for (int i = 0; i < nph; i++) {
		uint8_t *p = phdr(im, i);
		put32(p, ph[i].type);
		put32(p + 4, ph[i].flags);
		put64(p + 8, ph[i].offset);
		put64(p + 16, ph[i].vaddr);
		put64(p + 24, ph[i].vaddr);
		put64(p + 32, ph[i].filesz);
		put64(p + 40, ph[i].memsz);
		put64(p + 48, ph[i].align);
	}
}

#define TEXT_VA 0x10000UL
#define DATA_VA 0x12000UL
#define ENTRY   (TEXT_VA + 0x10)

/* Text, then data with a bss tail, plus the headers a real linker adds
 * and the loader must ignore. */
static const struct ph valid_ph[] = {
    {PT_PHDR, RO, EHDR_SIZE, TEXT_VA - 0x1000 + EHDR_SIZE, 5 * PHDR_SIZE, 5 * PHDR_SIZE, 8},
    {PT_LOAD, RX, 0x1000, TEXT_VA, 0x100, 0x100, 0x1000},
    {PT_LOAD, RW, 0x2000, DATA_VA, 0x80, 0x2000, 0x1000},
    {PT_GNU_STACK, RW, 0, 0, 0, 0, 16},
    {PT_RISCV_ATTRIBUTES, RO, 0x1100, 0, 0x20, 0, 1},
};
#define NVALID 5

static void build_valid(struct image *im)
{
	build(im, ENTRY, valid_ph, NVALID);
	cr_assert_eq(im->size, 0x2080, "the data segment ends the file");
}

/* A copy of len bytes of src ending exactly at an inaccessible page, so
 * a read past the end crashes the test (the start is at an odd address
 * for odd lengths: no field read may rely on alignment). */
struct guarded {
	uint8_t *map;
	size_t maplen;
	uint8_t *data;
};

static struct guarded guarded_copy(const uint8_t *src, size_t len)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	size_t body = (len + pg - 1) / pg * pg;
	struct guarded g = {.maplen = body + pg};
	g.map = mmap(NULL, g.maplen, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	cr_assert_neq(g.map, MAP_FAILED);
	cr_assert_eq(mprotect(g.map + body, pg, PROT_NONE), 0);
	memset(g.map, 0xA5, body);
	g.data = g.map + body - len;
	memcpy(g.data, src, len);
	return g;
}

/* elf_parse on two copies of exactly len bytes of src: one from malloc and
 * one against a guard page. Both must give the same answer. */
static int parse_range(const uint8_t *src, size_t len, uint64_t min_va, uint64_t max_va,
                       struct elf_image *img, const char **why)
{
	uint8_t *heap = malloc(len ? len : 1);
	cr_assert_not_null(heap);
	memcpy(heap, src, len);
	struct elf_image img1;
	const char *why1 = NULL;
	int r1 = elf_parse(heap, len, min_va, max_va, &img1, &why1);
	free(heap);

	struct guarded g = guarded_copy(src, len);
	*why = NULL;
	int r2 = elf_parse(g.data, len, min_va, max_va, img, why);
	munmap(g.map, g.maplen);
	cr_assert_eq(r1, r2);
	cr_assert_eq(why1, *why, "same reason for both copies");
	return r2;
}

static int parse(const struct image *im, struct elf_image *img, const char **why)
{
	return parse_range(im->buf, im->size, MIN_VA, MAX_VA, img, why);
}

/* Builds from ph and checks that the image is refused for reason. */
static void expect_refused(const struct image *im, const char *reason)
{
	struct elf_image img;
	const char *why;
	cr_assert_eq(parse(im, &img, &why), -ENOEXEC, "expected refusal: %s", reason);
	cr_assert_not_null(why);
	cr_assert_str_eq(why, reason);
}

static void expect_ph_refused(uint64_t entry, const struct ph *ph, int nph, const char *reason)
{
	static struct image im;
	build(&im, entry, ph, nph);
	expect_refused(&im, reason);
}

static uint8_t *load_fixture(size_t *len)
{
	FILE *f = fopen(FIXTURE, "rb");
	cr_assert_not_null(f, "cannot open %s (tests run from the repository root)", FIXTURE);
	cr_assert_eq(fseek(f, 0, SEEK_END), 0);
	long n = ftell(f);
	cr_assert_gt(n, EHDR_SIZE);
	rewind(f);
	uint8_t *buf = malloc((size_t)n);
	cr_assert_not_null(buf);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* ---- Accepted images --------------------------------------------------- */

Test(elf, accepts_valid_image_with_its_entry_and_load_segments)
{
	static struct image im;
	build_valid(&im);
	struct elf_image img;
	const char *why;
	cr_assert_eq(parse(&im, &img, &why), 0, "refused: %s", why ? why : "?");
	cr_assert_eq(img.entry, ENTRY);
	cr_assert_eq(img.nsegs, 2, "only PT_LOAD segments are listed");
	cr_assert_eq(img.seg[0].vaddr, TEXT_VA);
	cr_assert_eq(img.seg[0].memsz, 0x100);
	cr_assert_eq(img.seg[0].offset, 0x1000);
	cr_assert_eq(img.seg[0].filesz, 0x100);
	cr_assert_eq(img.seg[0].flags, RX);
	cr_assert_eq(img.seg[1].vaddr, DATA_VA);
	cr_assert_eq(img.seg[1].memsz, 0x2000);
	cr_assert_eq(img.seg[1].offset, 0x2000);
	cr_assert_eq(img.seg[1].filesz, 0x80);
	cr_assert_eq(img.seg[1].flags, RW);
}

Test(elf, accepts_real_riscv_executable_from_the_toolchain)
{
	size_t len;
	uint8_t *file = load_fixture(&len);
	struct elf_image img;
	const char *why;
	cr_assert_eq(parse_range(file, len, MIN_VA, MAX_VA, &img, &why), 0, "refused: %s",
	             why ? why : "?");
	cr_assert_eq(img.entry, 0x10000, "_start at -Ttext=0x10000");
	cr_assert_eq(img.nsegs, 1, "the RISCV_ATTRIBUTES header is ignored");
	cr_assert_eq(img.seg[0].vaddr, 0xf000, "headers and text share the first segment");
	cr_assert_eq(img.seg[0].offset, 0);
	cr_assert_eq(img.seg[0].filesz, 0x1002);
	cr_assert_eq(img.seg[0].memsz, 0x1002);
	cr_assert_eq(img.seg[0].flags, RX);
	free(file);
}

Test(elf, real_executable_is_refused_when_user_space_starts_above_it)
{
	size_t len;
	uint8_t *file = load_fixture(&len);
	struct elf_image img;
	const char *why;
	cr_assert_eq(parse_range(file, len, 0x10000, MAX_VA, &img, &why), -ENOEXEC);
	cr_assert_str_eq(why, "segment outside user space");
	free(file);
}

Test(elf, accepts_segments_touching_both_ends_of_user_space)
{
	struct ph ph[] = {
	    {PT_LOAD, RX, 0x1000, MIN_VA, 0x10, 0x1000, 0x1000},
	    {PT_LOAD, RW, 0x2000, MAX_VA - 0x3000, 0x10, 0x3000, 0x1000},
	};
	static struct image im;
	build(&im, MIN_VA, ph, 2);
	struct elf_image img;
	const char *why;
	cr_assert_eq(parse(&im, &img, &why), 0, "refused: %s", why ? why : "?");
	cr_assert_eq(img.nsegs, 2);
}

Test(elf, accepts_segments_on_adjacent_pages)
{
	struct ph ph[] = {
	    {PT_LOAD, RX, 0x1000, 0x10000, 0x1000, 0x1000, 0x1000},
	    {PT_LOAD, RO, 0x2000, 0x11000, 0x10, 0x10, 0x1000},
	    {PT_LOAD, RW, 0x2ff0, 0x12ff0, 0x10, 0x10, 0x1000},
	};
	static struct image im;
	build(&im, 0x10ffe, ph, 3);
	struct elf_image img;
	const char *why;
	cr_assert_eq(parse(&im, &img, &why), 0, "refused: %s", why ? why : "?");
	cr_assert_eq(img.nsegs, 3);
}

Test(elf, accepts_unaligned_offsets_when_p_align_is_below_a_page)
{
	struct ph ph[] = {{PT_LOAD, RX, 0x123, 0x10000, 0x20, 0x20, 4}};
	static struct image im;
	build(&im, 0x10000, ph, 1);
	struct elf_image img;
	const char *why;
	cr_assert_eq(parse(&im, &img, &why), 0, "refused: %s", why ? why : "?");
	cr_assert_eq(img.seg[0].offset, 0x123);
}

Test(elf, skips_load_segments_with_zero_memory_size)
{
	struct ph ph[] = {
	    {PT_LOAD, RWX, 0, KERNEL_VA, 0, 0, 0x1000},
	    {PT_LOAD, RX, 0x1000, TEXT_VA, 0x100, 0x100, 0x1000},
	    {PT_LOAD, RO, 0x1000, TEXT_VA, 0, 0, 0x1000},
	};
	static struct image im;
	build(&im, TEXT_VA, ph, 3);
	struct elf_image img;
	const char *why;
	cr_assert_eq(parse(&im, &img, &why), 0, "refused: %s", why ? why : "?");
	cr_assert_eq(img.nsegs, 1);
	cr_assert_eq(img.seg[0].vaddr, TEXT_VA);
}

Test(elf, ignores_note_tls_and_unknown_headers)
{
	struct ph ph[] = {
	    {PT_NOTE, RO, 0x1000, 0, 0x10, 0x10, 4},
	    {PT_TLS, RO, 0x1000, 0xdead0000, 0x10, 0x10, 8},
	    {0x6fffffffU, RWX, ~0UL, ~0UL, ~0UL, 1, 0x1000},
	    {PT_LOAD, RX, 0x1000, TEXT_VA, 0x100, 0x100, 0x1000},
	};
	static struct image im;
	build(&im, TEXT_VA, ph, 4);
	struct elf_image img;
	const char *why;
	cr_assert_eq(parse(&im, &img, &why), 0, "refused: %s", why ? why : "?");
	cr_assert_eq(img.nsegs, 1);
}

Test(elf, accepts_exactly_the_maximum_number_of_segments)
{
	struct ph ph[ELF_MAX_SEGS];
	for (int i = 0; i < ELF_MAX_SEGS; i++)
		ph[i] = (struct ph){PT_LOAD,
		                    RX,
		                    0x1000 + 0x1000 * (uint64_t)i,
		                    0x10000 + 0x1000 * (uint64_t)i,
		                    0x10,
		                    0x10,
		                    0x1000};
	static struct image im;
	build(&im, 0x10000, ph, ELF_MAX_SEGS);
	struct elf_image img;
	const char *why;
	cr_assert_eq(parse(&im, &img, &why), 0, "refused: %s", why ? why : "?");
	cr_assert_eq(img.nsegs, ELF_MAX_SEGS);
	cr_assert_eq(img.seg[ELF_MAX_SEGS - 1].vaddr, 0x17000);
}

Test(elf, reason_pointer_may_be_null)
{
	static struct image im;
	build_valid(&im);
	im.buf[0] = 0;
	struct elf_image img;
	cr_assert_eq(elf_parse(im.buf, im.size, MIN_VA, MAX_VA, &img, NULL), -ENOEXEC);
}

/* ---- The ELF header ------------------------------------------------------ */

Test(elf, refuses_file_shorter_than_the_elf_header)
{
	static struct image im;
	build_valid(&im);
	for (size_t len = 0; len < EHDR_SIZE; len++) {
		struct elf_image img;
		const char *why;
		cr_assert_eq(parse_range(im.buf, len, MIN_VA, MAX_VA, &img, &why), -ENOEXEC);
		cr_assert_str_eq(why, "truncated ELF header");
	}
}

Test(elf, refuses_bad_magic)
{
	static struct image im;
	for (int i = 0; i < 4; i++) {
		build_valid(&im);
		im.buf[i] ^= 0x20;
		expect_refused(&im, "bad magic");
	}
}

Test(elf, refuses_32_bit_files)
{
	static struct image im;
	build_valid(&im);
	im.buf[E_CLASS] = 1;
	expect_refused(&im, "not a 64-bit ELF file");
}

Test(elf, refuses_big_endian_files)
{
	static struct image im;
	build_valid(&im);
	im.buf[E_DATA] = 2;
	expect_refused(&im, "not little-endian");
}

Test(elf, refuses_unknown_elf_versions)
{
	static struct image im;
	build_valid(&im);
	im.buf[E_IDVERSION] = 2;
	expect_refused(&im, "unknown ELF version");
	build_valid(&im);
	put32(im.buf + E_VERSION, 0);
	expect_refused(&im, "unknown ELF version");
}

Test(elf, refuses_position_independent_and_relocatable_files)
{
	static struct image im;
	for (uint16_t type = 0; type < 5; type++) {
		if (type == 2)
			continue;
		build_valid(&im);
		put16(im.buf + E_TYPE, type);
		expect_refused(&im, "not a static executable");
	}
}

Test(elf, refuses_other_machines)
{
	static struct image im;
	build_valid(&im);
	put16(im.buf + E_MACHINE, 62); /* EM_X86_64 */
	expect_refused(&im, "not RISC-V");
	put16(im.buf + E_MACHINE, 243 + 256);
	expect_refused(&im, "not RISC-V");
}

Test(elf, refuses_unexpected_program_header_size)
{
	static struct image im;
	build_valid(&im);
	put16(im.buf + E_PHENTSIZE, 32); /* ELF32 program headers */
	expect_refused(&im, "bad program header size");
}

Test(elf, refuses_program_headers_past_the_end_of_the_file)
{
	static struct image im;
	build_valid(&im);
	put64(im.buf + E_PHOFF, im.size - PHDR_SIZE * NVALID + 1);
	expect_refused(&im, "truncated program header");
	put64(im.buf + E_PHOFF, im.size + 1);
	put16(im.buf + E_PHNUM, 0);
	expect_refused(&im, "truncated program header");
	build_valid(&im);
	put16(im.buf + E_PHNUM, 0xfffe);
	expect_refused(&im, "truncated program header");
}

Test(elf, refuses_program_header_offset_that_wraps_around)
{
	static struct image im;
	uint64_t offs[] = {~0UL, ~0UL - PHDR_SIZE + 1, ~0UL - 2 * PHDR_SIZE, 1UL << 63};
	for (size_t i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		build_valid(&im);
		put64(im.buf + E_PHOFF, offs[i]);
		expect_refused(&im, "truncated program header");
	}
}

Test(elf, refuses_extended_program_header_count)
{
	static struct image im;
	build_valid(&im);
	put16(im.buf + E_PHNUM, 0xffff); /* PN_XNUM: real count in section 0 */
	expect_refused(&im, "too many program headers");
}

Test(elf, refuses_file_without_program_headers)
{
	static struct image im;
	build(&im, ENTRY, NULL, 0);
	expect_refused(&im, "no loadable segment");
}

/* ---- Program headers ----------------------------------------------------- */

Test(elf, refuses_file_without_load_segment)
{
	struct ph ph[] = {
	    {PT_GNU_STACK, RW, 0, 0, 0, 0, 16},
	    {PT_LOAD, RX, 0x1000, TEXT_VA, 0, 0, 0x1000},
	};
	expect_ph_refused(TEXT_VA, ph, 2, "no loadable segment");
}

Test(elf, refuses_dynamic_executables)
{
	struct ph interp[] = {
	    {PT_INTERP, RO, 0x1000, TEXT_VA, 0x10, 0x10, 1},
	    {PT_LOAD, RX, 0x1000, TEXT_VA, 0x100, 0x100, 0x1000},
	};
	expect_ph_refused(TEXT_VA, interp, 2, "dynamic executables are not supported");
	struct ph dynamic[] = {
	    {PT_LOAD, RX, 0x1000, TEXT_VA, 0x100, 0x100, 0x1000},
	    {PT_DYNAMIC, RW, 0x1000, TEXT_VA, 0x10, 0x10, 8},
	};
	expect_ph_refused(TEXT_VA, dynamic, 2, "dynamic executables are not supported");
}

Test(elf, refuses_writable_executable_segment)
{
	struct ph ph[] = {{PT_LOAD, RWX, 0x1000, TEXT_VA, 0x100, 0x100, 0x1000}};
	expect_ph_refused(TEXT_VA, ph, 1, "segment is writable and executable");
	ph[0].flags = WX;
	expect_ph_refused(TEXT_VA, ph, 1, "segment is writable and executable");
}

Test(elf, refuses_file_size_larger_than_memory_size)
{
	struct ph ph[] = {{PT_LOAD, RX, 0x1000, TEXT_VA, 0x101, 0x100, 0x1000}};
	expect_ph_refused(TEXT_VA, ph, 1, "file size larger than memory size");
}

Test(elf, refuses_segment_data_past_end_of_file)
{
	static struct image im;
	build_valid(&im);
	put64(phdr(&im, 2) + 32, 0x81); /* data filesz: one byte past the end */
	expect_refused(&im, "segment data past end of file");
	build_valid(&im);
	put64(phdr(&im, 2) + 8, 0x3000); /* data offset: past the end */
	expect_refused(&im, "segment data past end of file");
}

Test(elf, refuses_segment_offset_that_wraps_around)
{
	struct ph ph[] = {{PT_LOAD, RX, ~0UL - 0xfff, TEXT_VA, 0x1001, 0x2000, 0x1000}};
	expect_ph_refused(TEXT_VA, ph, 1, "segment data past end of file");
	ph[0].offset = ~0UL;
	ph[0].align = 1;
	expect_ph_refused(TEXT_VA, ph, 1, "segment data past end of file");
}

Test(elf, refuses_segment_file_size_that_wraps_around)
{
	/* The offset is inside the file and offset + filesz wraps to 0x10. */
	uint64_t filesz = ~0UL - 0x40 + 0x11;
	struct ph ph[] = {{PT_LOAD, RX, 0x40, TEXT_VA, filesz, filesz, 1}};
	expect_ph_refused(TEXT_VA, ph, 1, "segment data past end of file");
}

Test(elf, refuses_segment_below_user_space)
{
	struct ph ph[] = {{PT_LOAD, RX, 0x0, 0x0, 0x100, 0x100, 0x1000}};
	expect_ph_refused(0x0, ph, 1, "segment outside user space");
	ph[0].vaddr = ph[0].offset = MIN_VA - 0x1000 + 0xfff;
	expect_ph_refused(ph[0].vaddr, ph, 1, "segment outside user space");
}

Test(elf, refuses_segment_ending_past_user_space)
{
	struct ph ph[] = {{PT_LOAD, RX, 0x1000, MAX_VA - 0x1000, 0x100, 0x1001, 0x1000}};
	expect_ph_refused(MAX_VA - 0x1000, ph, 1, "segment outside user space");
	ph[0].vaddr = MAX_VA;
	ph[0].memsz = 0x100;
	expect_ph_refused(MAX_VA, ph, 1, "segment outside user space");
}

Test(elf, refuses_segment_whose_end_wraps_around)
{
	struct ph ph[] = {{PT_LOAD, RX, 0x1000, TEXT_VA, 0x100, ~0UL - TEXT_VA + 2, 0x1000}};
	expect_ph_refused(TEXT_VA, ph, 1, "segment outside user space");
	ph[0].memsz = ~0UL;
	expect_ph_refused(TEXT_VA, ph, 1, "segment outside user space");
}

Test(elf, refuses_kernel_image_linked_in_the_upper_half)
{
	/* build/kernel.elf: RX text at 0xFFFFFFFF80200000, RW data above. */
	struct ph ph[] = {
	    {PT_LOAD, RX, 0x1000, KERNEL_VA, 0x8000, 0x8000, 0x1000},
	    {PT_LOAD, RW, 0x9000, KERNEL_VA + 0x9000, 0x100, 0x4000, 0x1000},
	};
	expect_ph_refused(KERNEL_VA, ph, 2, "segment outside user space");
}

Test(elf, accepts_the_kernel_image_layout_when_the_range_allows_it)
{
	/* The same layout is fine in a range that holds it: the refusal above
	 * is about where it is linked, nothing else. */
	struct ph ph[] = {
	    {PT_LOAD, RX, 0x1000, KERNEL_VA, 0x1000, 0x8000, 0x1000},
	    {PT_LOAD, RW, 0x2000, KERNEL_VA + 0x9000, 0x100, 0x4000, 0x1000},
	};
	static struct image im;
	build(&im, KERNEL_VA, ph, 2);
	struct elf_image img;
	const char *why;
	cr_assert_eq(parse_range(im.buf, im.size, KERNEL_VA, ~0UL, &img, &why), 0, "refused: %s",
	             why ? why : "?");
}

Test(elf, refuses_misaligned_segment)
{
	struct ph ph[] = {{PT_LOAD, RX, 0x1010, TEXT_VA, 0x100, 0x100, 0x1000}};
	expect_ph_refused(TEXT_VA, ph, 1, "misaligned segment");
	ph[0].align = 0x200000;
	expect_ph_refused(TEXT_VA, ph, 1, "misaligned segment");
}

Test(elf, refuses_segments_overlapping_in_memory)
{
	struct ph ph[] = {
	    {PT_LOAD, RX, 0x1000, TEXT_VA, 0x100, 0x100, 0x1000},
	    {PT_LOAD, RW, 0x1080, TEXT_VA + 0x80, 0x10, 0x10, 0x1000},
	};
	expect_ph_refused(TEXT_VA, ph, 2, "segments overlap");
}

Test(elf, refuses_segments_sharing_a_page)
{
	/* Disjoint bytes, but the page at 0x10000 would need two sets of
	 * permissions. */
	struct ph ph[] = {
	    {PT_LOAD, RW, 0x1800, TEXT_VA + 0x800, 0x10, 0x10, 0x1000},
	    {PT_LOAD, RX, 0x1000, TEXT_VA, 0x100, 0x100, 0x1000},
	};
	expect_ph_refused(TEXT_VA, ph, 2, "segments overlap");
	struct ph spill[] = {
	    {PT_LOAD, RX, 0x1000, TEXT_VA, 0x1001, 0x1001, 0x1000},
	    {PT_LOAD, RW, 0x2100, TEXT_VA + 0x1100, 0x10, 0x10, 0x1000},
	};
	expect_ph_refused(TEXT_VA, spill, 2, "segments overlap");
}

Test(elf, refuses_a_segment_inside_another)
{
	struct ph ph[] = {
	    {PT_LOAD, RW, 0x2000, 0x20000, 0x10, 0x10, 0x1000},
	    {PT_LOAD, RX, 0x1000, 0x10000, 0x100, 0x40000, 0x1000},
	};
	expect_ph_refused(0x10000, ph, 2, "segments overlap");
}

Test(elf, refuses_too_many_segments)
{
	struct ph ph[ELF_MAX_SEGS + 1];
	for (int i = 0; i < ELF_MAX_SEGS + 1; i++)
		ph[i] = (struct ph){PT_LOAD,
		                    RX,
		                    0x1000 + 0x1000 * (uint64_t)i,
		                    0x10000 + 0x1000 * (uint64_t)i,
		                    0x10,
		                    0x10,
		                    0x1000};
	expect_ph_refused(0x10000, ph, ELF_MAX_SEGS + 1, "too many segments");
}

Test(elf, refuses_entry_point_in_a_data_segment)
{
	static struct image im;
	build(&im, DATA_VA + 0x10, valid_ph, NVALID);
	expect_refused(&im, "entry point not in an executable segment");
}

Test(elf, refuses_entry_point_outside_every_segment)
{
	static struct image im;
	uint64_t entries[] = {0, TEXT_VA - 1, TEXT_VA + 0x100, DATA_VA + 0x2000, ~0UL};
	for (size_t i = 0; i < sizeof(entries) / sizeof(entries[0]); i++) {
		build(&im, entries[i], valid_ph, NVALID);
		expect_refused(&im, "entry point not in an executable segment");
	}
	build(&im, TEXT_VA + 0xff, valid_ph, NVALID);
	struct elf_image img;
	const char *why;
	cr_assert_eq(parse(&im, &img, &why), 0, "the last byte of text is a valid entry");
}

/* ---- Damaged files ------------------------------------------------------- */

Test(elf, every_truncation_of_a_built_image_is_refused)
{
	static struct image im;
	build_valid(&im);
	for (size_t len = 0; len < im.size; len++) {
		struct elf_image img;
		const char *why;
		cr_assert_eq(parse_range(im.buf, len, MIN_VA, MAX_VA, &img, &why), -ENOEXEC,
		             "length %zu accepted", len);
		cr_assert_not_null(why);
	}
}

Test(elf, every_truncation_of_the_real_executable_is_refused_or_complete)
{
	/* Past the end of its one segment the file holds only section data
	 * and headers, which a loader never needs. */
	size_t len;
	uint8_t *file = load_fixture(&len);
	for (size_t n = 0; n <= len; n++) {
		struct elf_image img;
		const char *why;
		int r = parse_range(file, n, MIN_VA, MAX_VA, &img, &why);
		if (n < 0x1002) {
			cr_assert_eq(r, -ENOEXEC, "length %zu accepted", n);
			cr_assert_str_eq(why, n < EHDR_SIZE ? "truncated ELF header"
			                      : n < EHDR_SIZE + 2 * PHDR_SIZE
			                          ? "truncated program header"
			                          : "segment data past end of file");
		} else {
			cr_assert_eq(r, 0, "length %zu refused: %s", n, why);
		}
	}
	free(file);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* What an accepted image must satisfy, however it was damaged. */
static void check_accepted(const struct elf_image *img, size_t size)
{
	bool entry_ok = false;
	cr_assert(img->nsegs >= 1 && img->nsegs <= ELF_MAX_SEGS);
	for (int i = 0; i < img->nsegs; i++) {
		const struct elf_seg *s = &img->seg[i];
		cr_assert(s->memsz > 0 && s->filesz <= s->memsz);
		cr_assert(s->offset <= size && s->filesz <= size - s->offset);
		cr_assert(s->vaddr >= MIN_VA && s->vaddr <= MAX_VA &&
		          s->memsz <= MAX_VA - s->vaddr);
		cr_assert_not((s->flags & ELF_PF_W) && (s->flags & ELF_PF_X));
		if ((s->flags & ELF_PF_X) && img->entry >= s->vaddr &&
		    img->entry - s->vaddr < s->memsz)
			entry_ok = true;
		for (int j = 0; j < i; j++) {
			const struct elf_seg *t = &img->seg[j];
			cr_assert(s->vaddr / 4096 > (t->vaddr + t->memsz - 1) / 4096 ||
			          t->vaddr / 4096 > (s->vaddr + s->memsz - 1) / 4096);
		}
	}
	cr_assert(entry_ok);
}

Test(elf, random_byte_flips_never_crash_and_leave_only_valid_images)
{
	static struct image valid, im;
	build_valid(&valid);
	size_t headers = EHDR_SIZE + NVALID * PHDR_SIZE;
	int accepted = 0;
	for (int iter = 0; iter < 4000; iter++) {
		im = valid;
		int flips = 1 + (int)(rng() % 4);
		for (int k = 0; k < flips; k++) {
			/* Mostly the headers: flipping segment data changes nothing. */
			size_t at = rng() % 8 ? rng() % headers : rng() % im.size;
			im.buf[at] ^= (uint8_t)(1u << (rng() % 8));
		}
		struct elf_image img;
		const char *why;
		int r = parse(&im, &img, &why);
		if (r == 0) {
			accepted++;
			check_accepted(&img, im.size);
		} else {
			cr_assert_eq(r, -ENOEXEC);
			cr_assert(why != NULL && why[0] != '\0');
		}
	}
	cr_assert_gt(accepted, 0, "some flips (padding, ignored fields) keep the image valid");
	cr_assert_lt(accepted, 4000);
}

Test(elf, random_program_headers_never_crash_and_leave_only_valid_images)
{
	/* Random values in every program-header field, in a file whose size
	 * is also random, to reach the checks past the first few. */
	static struct image im;
	for (int iter = 0; iter < 3000; iter++) {
		struct ph ph[4];
		int nph = 1 + (int)(rng() % 4);
		for (int i = 0; i < nph; i++) {
			uint64_t base = 0x10000 + (rng() % 8) * 0x1000;
			ph[i] = (struct ph){
			    .type = rng() % 4 ? PT_LOAD : (uint32_t)(rng() % 8),
			    .flags = (uint32_t)(rng() % 8),
			    .offset = rng() % 2 ? rng() % 0x3000 : rng(),
			    .vaddr = rng() % 4 ? base + rng() % 0x1000 : rng(),
			    .filesz = rng() % 0x1800,
			    .memsz = rng() % 4 ? rng() % 0x2000 : rng(),
			    .align = rng() % 2 ? 0x1000 : rng() % 16,
			};
		}
		build(&im, 0x10000 + rng() % 0x8000, ph, nph);
		im.size -= rng() % 2 ? 0 : rng() % (im.size - EHDR_SIZE);
		struct elf_image img;
		const char *why;
		int r = parse(&im, &img, &why);
		if (r == 0)
			check_accepted(&img, im.size);
		else
			cr_assert(r == -ENOEXEC && why != NULL && why[0] != '\0');
	}
}
