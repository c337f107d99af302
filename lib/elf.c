/* ELF64 executable checking per the System V gABI (ELF header, program
 * headers) and the RISC-V psABI (EM_RISCV). Every field is read with
 * byte loads and every offset is checked against the file before use. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mica/elf.h"
#include "mica/errno.h"

#define EHDR_SIZE   64
#define PHDR_SIZE   56
#define ELFCLASS64  2
#define ELFDATA2LSB 1
#define EV_CURRENT  1
#define ET_EXEC     2
#define EM_RISCV    243
#define PT_LOAD     1
#define PT_DYNAMIC  2
#define PT_INTERP   3
#define PN_XNUM     0xffff
#define PAGE_SIZE   4096

/* Byte offsets of the fields we read, in the ELF header and in one
 * program header. */
enum {
	EI_CLASS = 4,
	EI_DATA = 5,
	EI_VERSION = 6,
	E_TYPE = 16,
	E_MACHINE = 18,
	E_VERSION = 20,
	E_ENTRY = 24,
	E_PHOFF = 32,
	E_PHENTSIZE = 54,
	E_PHNUM = 56,
};

enum {
	P_TYPE = 0,
	P_FLAGS = 4,
	P_OFFSET = 8,
	P_VADDR = 16,
	P_FILESZ = 32,
	P_MEMSZ = 40,
	P_ALIGN = 48,
};

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* Checks the ELF header; on success gives where the program headers are.
 * Returns NULL or the reason for refusing the file. */
static const char *check_ehdr(const uint8_t *b, size_t size, uint64_t *phoff, uint32_t *phnum)
{
	if (size < EHDR_SIZE)
		return "truncated ELF header";
	if (b[0] != 0x7f || b[1] != 'E' || b[2] != 'L' || b[3] != 'F')
		return "bad magic";
	if (b[EI_CLASS] != ELFCLASS64)
		return "not a 64-bit ELF file";
	if (b[EI_DATA] != ELFDATA2LSB)
		return "not little-endian";
	if (b[EI_VERSION] != EV_CURRENT || le32(b + E_VERSION) != EV_CURRENT)
		return "unknown ELF version";
	if (le16(b + E_TYPE) != ET_EXEC)
		return "not a static executable";
	if (le16(b + E_MACHINE) != EM_RISCV)
		return "not RISC-V";
	if (le16(b + E_PHENTSIZE) != PHDR_SIZE)
		return "bad program header size";
	*phoff = le64(b + E_PHOFF);
	*phnum = le16(b + E_PHNUM);
	if (*phnum == PN_XNUM)
		return "too many program headers";
	if (*phoff > size || (uint64_t)*phnum * PHDR_SIZE > size - *phoff)
		return "truncated program header";
	return NULL;
}

/* Reads and checks one PT_LOAD program header with a non-zero memory
 * size. Returns NULL or the reason for refusing the file. */
static const char *check_load(const uint8_t *ph, size_t size, uint64_t min_va, uint64_t max_va,
                              struct elf_seg *s)
{
	uint64_t align = le64(ph + P_ALIGN);

	s->vaddr = le64(ph + P_VADDR);
	s->memsz = le64(ph + P_MEMSZ);
	s->offset = le64(ph + P_OFFSET);
	s->filesz = le64(ph + P_FILESZ);
	s->flags = le32(ph + P_FLAGS) & (ELF_PF_R | ELF_PF_W | ELF_PF_X);
	if (s->filesz > s->memsz)
		return "file size larger than memory size";
	if (s->offset > size || s->filesz > size - s->offset)
		return "segment data past end of file";
	if (s->vaddr < min_va || s->vaddr > max_va || s->memsz > max_va - s->vaddr)
		return "segment outside user space";
	if (align >= PAGE_SIZE && s->vaddr % PAGE_SIZE != s->offset % PAGE_SIZE)
		return "misaligned segment";
	if ((s->flags & ELF_PF_W) && (s->flags & ELF_PF_X))
		return "segment is writable and executable";
	return NULL;
}

/* Whether the pages that a and b touch intersect. Both have memsz > 0 and
 * end without overflow, so the last byte's page is exact. */
static bool pages_overlap(const struct elf_seg *a, const struct elf_seg *b)
{
	uint64_t a_first = a->vaddr / PAGE_SIZE, a_last = (a->vaddr + a->memsz - 1) / PAGE_SIZE;
	uint64_t b_first = b->vaddr / PAGE_SIZE, b_last = (b->vaddr + b->memsz - 1) / PAGE_SIZE;

	return a_first <= b_last && b_first <= a_last;
}

/* Appends the checked segment s to img. Returns NULL or a reason. */
static const char *add_seg(struct elf_image *img, const struct elf_seg *s)
{
	if (img->nsegs == ELF_MAX_SEGS)
		return "too many segments";
	for (int i = 0; i < img->nsegs; i++)
		if (pages_overlap(&img->seg[i], s))
			return "segments overlap";
	img->seg[img->nsegs++] = *s;
	return NULL;
}

/* Walks the program headers, collecting PT_LOAD segments into img.
 * Returns NULL or the reason for refusing the file. */
static const char *read_phdrs(const uint8_t *b, size_t size, uint64_t phoff, uint32_t phnum,
                              uint64_t min_va, uint64_t max_va, struct elf_image *img)
{
	for (uint32_t i = 0; i < phnum; i++) {
		const uint8_t *ph = b + phoff + (uint64_t)i * PHDR_SIZE;
		uint32_t type = le32(ph + P_TYPE);
		struct elf_seg s;
		const char *r;

		if (type == PT_INTERP || type == PT_DYNAMIC)
			return "dynamic executables are not supported";
		if (type != PT_LOAD || le64(ph + P_MEMSZ) == 0)
			continue;
		if ((r = check_load(ph, size, min_va, max_va, &s)) || (r = add_seg(img, &s)))
			return r;
	}
	return NULL;
}

static bool entry_is_executable(const struct elf_image *img)
{
	for (int i = 0; i < img->nsegs; i++) {
		const struct elf_seg *s = &img->seg[i];
		if ((s->flags & ELF_PF_X) && img->entry >= s->vaddr &&
		    img->entry - s->vaddr < s->memsz)
			return true;
	}
	return false;
}

static int refuse(const char **why, const char *reason)
{
	if (why)
		*why = reason;
	return -ENOEXEC;
}

int elf_parse(const void *buf, size_t size, uint64_t min_va, uint64_t max_va, struct elf_image *img,
              const char **why)
{
	const uint8_t *b = buf;
	uint64_t phoff;
	uint32_t phnum;
	const char *r;

	img->entry = 0;
	img->nsegs = 0;
	if ((r = check_ehdr(b, size, &phoff, &phnum)))
		return refuse(why, r);
	img->entry = le64(b + E_ENTRY);
	if ((r = read_phdrs(b, size, phoff, phnum, min_va, max_va, img)))
		return refuse(why, r);
	if (img->nsegs == 0)
		return refuse(why, "no loadable segment");
	if (!entry_is_executable(img))
		return refuse(why, "entry point not in an executable segment");
	return 0;
}
