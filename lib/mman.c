/* mmap for anonymous private memory: demand-zero zones (SYS_VM_MAP with
 * PROT_LAZY_) in a window below USER_MAX_VA handed out top down, their
 * places kept by lib/mmregion.c. File and shared mappings fail. */
#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>

#include "mica/abi.h"
#include "mica/mmregion.h"
#include "mica/syscall.h"

#define MMAP_BASE (USER_MAX_VA - (64UL << 30)) /* a 64 GiB window */
#define PAGE      4096UL

static struct mm_regions regions; /* copied by fork with the rest of memory */

static int fail(int e)
{
	errno = e;
	return -1;
}

static struct mm_regions *get_regions(void)
{
	if (!regions.top)
		mr_init(&regions, MMAP_BASE, USER_MAX_VA);
	return &regions;
}

/* The kernel's bits for prot; PROT_NONE maps nothing (the pages fault). */
static unsigned kernel_prot(int prot)
{
	return PROT_LAZY_ | PROT_READ_ | (prot & PROT_WRITE ? PROT_WRITE_ : 0);
}

/* Unmaps whatever lies in [lo, hi) of the window and forgets it. */
static int release(struct mm_regions *m, uint64_t lo, uint64_t hi)
{
	if (mr_clear(m, lo, hi) < 0) /* checked before anything is unmapped */
		return -ENOMEM;
	long r = mica_vm_unmap(HANDLE_SELF, lo, hi - lo);
	return r == -ENOMEM ? -ENOMEM : 0; /* a zone split found no slot */
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	(void)fd;
	uint64_t want = (uint64_t)(uintptr_t)addr, size = (len + PAGE - 1) & ~(PAGE - 1);
	if (!len || size < len || (off & (PAGE - 1)) ||
	    ((flags & MAP_FIXED) && (want & (PAGE - 1))))
		return fail(EINVAL), MAP_FAILED;
	if (!(flags & MAP_ANONYMOUS))
		return fail(ENODEV), MAP_FAILED; /* no file mappings yet */
	if ((flags & (MAP_SHARED | MAP_PRIVATE)) != MAP_PRIVATE)
		return fail(flags & MAP_SHARED ? ENOTSUP : EINVAL), MAP_FAILED;
	if (prot & PROT_EXEC)
		return fail(ENOTSUP), MAP_FAILED; /* W^X: no executable anonymous memory */
	struct mm_regions *m = get_regions();
	uint64_t va = want;
	if (flags & MAP_FIXED) {
		if (va < m->base || va + size > m->top || va + size < va)
			return fail(ENOMEM), MAP_FAILED; /* only inside mmap's window */
		if (release(m, va, va + size) < 0)
			return fail(ENOMEM), MAP_FAILED;
	} else if (!(va = mr_find_gap(m, size))) {
		return fail(ENOMEM), MAP_FAILED;
	}
	if (mr_set(m, va, va + size, prot) < 0)
		return fail(ENOMEM), MAP_FAILED;
	long r = prot == PROT_NONE ? 0 : mica_vm_map(HANDLE_SELF, va, size, kernel_prot(prot));
	if (r < 0) {
		mr_clear(m, va, va + size); /* undoing a whole new range cannot split */
		return fail(-r == EEXIST ? ENOMEM : (int)-r), MAP_FAILED;
	}
	return (void *)(uintptr_t)va;
}

int munmap(void *addr, size_t len)
{
	uint64_t lo = (uint64_t)(uintptr_t)addr, hi = lo + ((len + PAGE - 1) & ~(PAGE - 1));
	if ((lo & (PAGE - 1)) || !len || hi < lo)
		return fail(EINVAL);
	struct mm_regions *m = get_regions();
	if (hi <= m->base || lo >= m->top)
		return 0; /* nothing of mmap's there */
	lo = lo < m->base ? m->base : lo;
	hi = hi > m->top ? m->top : hi;
	int r = release(m, lo, hi);
	return r < 0 ? fail(-r) : 0;
}

/* What the kernel can do: leave a protection as it is, or give pages
 * reserved with PROT_NONE their first protection. Anything else would
 * need to change page-table bits in place: ENOSYS. */
int mprotect(void *addr, size_t len, int prot)
{
	uint64_t lo = (uint64_t)(uintptr_t)addr, hi = lo + ((len + PAGE - 1) & ~(PAGE - 1));
	int now = 0;
	if ((lo & (PAGE - 1)) || hi < lo)
		return fail(EINVAL);
	if (lo == hi)
		return 0;
	if (!mr_uniform(get_regions(), lo, hi, &now))
		return fail(ENOMEM); /* not all mapped, or mixed protections */
	if (now == prot)
		return 0;
	if (now != PROT_NONE || (prot & PROT_EXEC) || !(prot & PROT_READ))
		return fail(ENOSYS);
	if (mr_set(&regions, lo, hi, prot) < 0)
		return fail(ENOMEM);
	long r = mica_vm_map(HANDLE_SELF, lo, hi - lo, kernel_prot(prot));
	if (r < 0) {
		mr_set(&regions, lo, hi, PROT_NONE); /* back as it was: the same pieces */
		return fail((int)-r);
	}
	return 0;
}

int msync(void *addr, size_t len, int flags)
{
	int prot;
	uint64_t lo = (uint64_t)(uintptr_t)addr;
	if ((lo & (PAGE - 1)) || (flags & MS_SYNC && flags & MS_ASYNC))
		return fail(EINVAL);
	if (!mr_uniform(get_regions(), lo, lo + ((len + PAGE - 1) & ~(PAGE - 1)), &prot) && len)
		return fail(ENOMEM);
	return 0; /* anonymous memory has nothing to write back */
}

/* Hints are taken as given; MADV_DONTNEED gives the pages back, so they
 * read as zeros next time (Linux's meaning for private anonymous memory). */
int madvise(void *addr, size_t len, int advice)
{
	uint64_t lo = (uint64_t)(uintptr_t)addr, hi = lo + ((len + PAGE - 1) & ~(PAGE - 1));
	int prot;
	if ((lo & (PAGE - 1)) || advice < MADV_NORMAL || advice > MADV_DONTNEED)
		return fail(EINVAL);
	if (advice != MADV_DONTNEED || lo == hi)
		return 0;
	if (!mr_uniform(get_regions(), lo, hi, &prot))
		return fail(ENOMEM);
	if (prot == PROT_NONE)
		return 0;
	long r = mica_vm_unmap(HANDLE_SELF, lo, hi - lo);
	if (r == 0)
		r = mica_vm_map(HANDLE_SELF, lo, hi - lo, kernel_prot(prot));
	return r < 0 ? fail((int)-r) : 0;
}

int posix_madvise(void *addr, size_t len, int advice)
{
	return madvise(addr, len, advice) < 0 ? errno : 0;
}

/* Every page already mapped stays in memory: nothing swaps. */
int mlock(const void *addr, size_t len)
{
	(void)addr;
	(void)len;
	return 0;
}

int munlock(const void *addr, size_t len)
{
	(void)addr;
	(void)len;
	return 0;
}
