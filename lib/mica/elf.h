/* ELF64 executable checking for program loading: elf_parse validates a
 * static RISC-V executable held in memory and lists its loadable segments.
 * Pure and freestanding; shared by the kernel, user programs and tests. */
#ifndef MICA_ELF_H
#define MICA_ELF_H

#include <stddef.h>
#include <stdint.h>

#define ELF_MAX_SEGS 8
#define ELF_PF_X     1
#define ELF_PF_W     2
#define ELF_PF_R     4

/* One PT_LOAD segment: memsz bytes at vaddr, the first filesz of them
 * copied from the file at offset, the rest zero. flags: ELF_PF_*. */
struct elf_seg {
	uint64_t vaddr, memsz, offset, filesz;
	uint32_t flags;
};

struct elf_image {
	uint64_t entry;
	int nsegs;
	struct elf_seg seg[ELF_MAX_SEGS]; /* in program-header order */
};

/* Checks that buf[0..size) is an ELF64 little-endian RISC-V static
 * executable (ET_EXEC) that can be loaded in [min_va, max_va), and fills
 * img with its PT_LOAD segments (those with a memory size of 0 are left
 * out). Returns 0, or -ENOEXEC with *why (if why is not NULL) set to a
 * short static English reason (img is then only partly filled). Never
 * reads outside buf[0..size); buf needs no particular alignment. */
int elf_parse(const void *buf, size_t size, uint64_t min_va, uint64_t max_va, struct elf_image *img,
              const char **why);

#endif
