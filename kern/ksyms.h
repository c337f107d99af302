/* The kernel's own function symbols, for readable backtraces. The table
 * is generated from the first link pass by tools/ksyms.sh and linked in
 * the second; it lives in rodata, so text addresses do not move. */
#ifndef MICA_KSYMS_H
#define MICA_KSYMS_H

#include "types.h"

struct ksym {
	uint64_t addr;
	const char *name;
};

extern const struct ksym ksyms[]; /* sorted by address */
extern const uint32_t ksyms_count;

/* Name of the function containing pc and the offset into it, or NULL. */
const char *ksym_lookup(uint64_t pc, uint64_t *offset);

#endif
