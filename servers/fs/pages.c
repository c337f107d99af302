/* The fs server's data pages: frames mapped one at a time into a region of
 * its address space nothing else uses (the heap grows from the bottom and
 * stays far below), and unmapped when freed. Unmapped addresses wait on a
 * stack and are reused first, so the region stays dense. Files stop
 * PAGES_ROOM frames above the reserve the kernel keeps for privileged
 * tasks (1/32 of RAM, at least 256 frames; see docs/security.md): a full
 * /tmp must leave room to fork the rm that empties it. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "mica/syscall.h"
#include "pages.h"

#define PAGES_BASE 0x2000000000ul /* 64 GiB of addresses below USER_MAX_VA */
#define PAGES_END  USER_MAX_VA

#define PAGES_ROOM 1024 /* frames (4 MiB) file data leaves to processes */

_Static_assert(PAGES_BASE < PAGES_END, "pages: region below USER_MAX_VA");

static unsigned long next_va = PAGES_BASE; /* lowest address never handed out */
static unsigned long *spare;               /* unmapped addresses to reuse */
static size_t nspare, spare_cap;

static unsigned long va_take(void)
{
	if (nspare)
		return spare[--nspare];
	if (next_va >= PAGES_END)
		return 0;
	next_va += FS_PAGE_SIZE;
	return next_va - FS_PAGE_SIZE;
}

/* Keeps va for reuse; if the stack cannot grow the address is lost (its
 * frame is not: that went back with the unmap). */
static void va_give(unsigned long va)
{
	if (va + FS_PAGE_SIZE == next_va) {
		next_va = va;
		return;
	}
	if (nspare == spare_cap) {
		size_t ncap = spare_cap ? spare_cap * 2 : 64;
		unsigned long *s = realloc(spare, ncap * sizeof(*s));
		if (!s)
			return;
		spare = s;
		spare_cap = ncap;
	}
	spare[nspare++] = va;
}

static bool memory_low(void)
{
	struct kinfo k;
	if (mica_kinfo(&k))
		return false;
	unsigned long kernel_reserve = k.frames_total / 32 > 256 ? k.frames_total / 32 : 256;
	return k.frames_free < kernel_reserve + PAGES_ROOM;
}

void *page_alloc(void)
{
	unsigned long va = memory_low() ? 0 : va_take();
	if (!va)
		return NULL;
	if (mica_vm_map(HANDLE_SELF, va, FS_PAGE_SIZE, PROT_READ_ | PROT_WRITE_) < 0) {
		va_give(va);
		return NULL;
	}
	return (void *)va;
}

void page_free(void *pg)
{
	unsigned long va = (unsigned long)pg;
	mica_vm_unmap(HANDLE_SELF, va, FS_PAGE_SIZE);
	va_give(va);
}
