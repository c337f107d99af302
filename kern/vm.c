/* Sv39 page-table operations. Tables are single frames from the frame
 * allocator, reached through the direct map. These functions do not
 * lock: the owner of the root serialises changes to it. */
#include "vm.h"
#include "errno.h"
#include "frame.h"
#include "riscv.h"

bool vm_is_canonical(vaddr_t va)
{
	int64_t s = (int64_t)(va << 25) >> 25;
	return (uint64_t)s == va;
}

static pte_t *table_of(pte_t pte)
{
	return pa2va(PTE_PA(pte));
}

/* Every entry made valid goes through here: its table keeps the range. */
static void set_pte(pte_t *pte, pte_t val)
{
	*pte = val;
	uintptr_t a = (uintptr_t)pte;
	frame_table_note(va2pa((void *)(a & ~(uintptr_t)(PAGE_SIZE - 1))),
	                 (unsigned)((a & (PAGE_SIZE - 1)) / sizeof(pte_t)));
}

int vm_set_slot(pte_t *root, vaddr_t va, pte_t val)
{
	int err = 0;
	pte_t *pte = vm_slot(root, va, true, &err);
	if (pte)
		set_pte(pte, val);
	return pte ? 0 : err;
}

pte_t *vm_walk(pte_t *root, vaddr_t va, int *level)
{
	if (!vm_is_canonical(va))
		return NULL;
	pte_t *t = root;
	for (int lvl = 2;; lvl--) {
		pte_t *pte = &t[VPN(va, lvl)];
		if (!(*pte & PTE_V))
			return NULL;
		if (PTE_IS_LEAF(*pte) || lvl == 0) {
			if (level)
				*level = lvl;
			return PTE_IS_LEAF(*pte) ? pte : NULL;
		}
		t = table_of(*pte);
	}
}

/* The slot at target level for va, allocating tables on the way.
 * NULL with *err set if a larger leaf is in the way or memory ran out. */
static pte_t *slot_for(pte_t *root, vaddr_t va, int target, int *err)
{
	pte_t *t = root;
	for (int lvl = 2; lvl > target; lvl--) {
		pte_t *pte = &t[VPN(va, lvl)];
		if (*pte & PTE_V) {
			if (PTE_IS_LEAF(*pte)) {
				*err = -EEXIST;
				return NULL;
			}
		} else {
			paddr_t pa = frame_alloc();
			if (!pa) {
				*err = -ENOMEM;
				return NULL;
			}
			set_pte(pte, PA_TO_PTE(pa) | PTE_V);
		}
		t = table_of(*pte);
	}
	return &t[VPN(va, target)];
}

pte_t *vm_slot(pte_t *root, vaddr_t va, bool alloc, int *err)
{
	if (!vm_is_canonical(va))
		return NULL;
	if (alloc)
		return slot_for(root, va, 0, err);
	pte_t *t = root;
	for (int lvl = 2; lvl > 0; lvl--) {
		pte_t pte = t[VPN(va, lvl)];
		if (!(pte & PTE_V) || PTE_IS_LEAF(pte))
			return NULL;
		t = table_of(pte);
	}
	return &t[VPN(va, 0)];
}

static bool perm_ok(uint64_t perm)
{
	if (perm & ~(PTE_PERM_MASK | PTE_RSW))
		return false;
	if (!(perm & (PTE_R | PTE_X)))
		return false; /* neither readable nor executable: a non-leaf */
	if ((perm & PTE_W) && !(perm & PTE_R))
		return false; /* reserved encoding */
	return !((perm & PTE_W) && (perm & PTE_X));
}

static bool range_ok(vaddr_t va, uint64_t size)
{
	vaddr_t last = va + size - 1;
	if (size == 0 || last < va || !vm_is_canonical(va) || !vm_is_canonical(last))
		return false;
	/* Both ends must be in the same half. */
	return (va >> 63) == (last >> 63);
}

/* True if any page of [va, va+size) has a mapping. */
static bool any_mapped(pte_t *root, vaddr_t va, uint64_t size)
{
	for (uint64_t off = 0; off < size; off += PAGE_SIZE)
		if (vm_walk(root, va + off, NULL))
			return true;
	return false;
}

/* Largest leaf level usable at va/pa with `left` bytes to go. */
static int pick_level(vaddr_t va, paddr_t pa, uint64_t left, int max_level)
{
	for (int lvl = max_level; lvl > 0; lvl--)
		if (IS_ALIGNED(va | pa, LEVEL_SIZE(lvl)) && left >= LEVEL_SIZE(lvl))
			return lvl;
	return 0;
}

/* Frees a page-table subtree that maps nothing (tables only). */
static void free_empty_tables(pte_t *t, int lvl)
{
	for (int i = 0; lvl > 0 && i < PT_ENTRIES; i++)
		if (t[i] & PTE_V)
			free_empty_tables(table_of(t[i]), lvl - 1);
	frame_free(va2pa(t));
}

static int map_range(pte_t *root, vaddr_t va, paddr_t pa, uint64_t size, uint64_t perm,
                     int max_level)
{
	if (!IS_ALIGNED(va | pa | size, PAGE_SIZE) || !range_ok(va, size) || !perm_ok(perm))
		return -EINVAL;
	if (any_mapped(root, va, size))
		return -EEXIST;
	uint64_t off = 0;
	while (off < size) {
		int lvl = pick_level(va + off, pa + off, size - off, max_level);
		int err = 0;
		pte_t *pte = slot_for(root, va + off, lvl, &err);
		if (pte && lvl > 0 && (*pte & PTE_V) && !PTE_IS_LEAF(*pte)) {
			/* any_mapped found no leaf under this slot: the tables
			 * below it are empty leftovers of earlier unmaps. */
			free_empty_tables(table_of(*pte), lvl - 1);
			*pte = 0;
			sfence_vma_all(); /* no cached walk may use the freed table */
		}
		if (!pte || (*pte & PTE_V)) {
			if (off)
				vm_unmap(root, va, off);
			return pte ? -EEXIST : err;
		}
		set_pte(pte, PA_TO_PTE(pa + off) | perm | PTE_V | PTE_A | PTE_D);
		off += LEVEL_SIZE(lvl);
	}
	return 0;
}

int vm_map(pte_t *root, vaddr_t va, paddr_t pa, uint64_t size, uint64_t perm)
{
	return map_range(root, va, pa, size, perm, 0);
}

int vm_map_large(pte_t *root, vaddr_t va, paddr_t pa, uint64_t size, uint64_t perm)
{
	return map_range(root, va, pa, size, perm, 2);
}

int vm_unmap(pte_t *root, vaddr_t va, uint64_t size)
{
	if (!IS_ALIGNED(va | size, PAGE_SIZE) || !range_ok(va, size))
		return -EINVAL;
	/* Check everything first, so an error leaves the table untouched. */
	for (uint64_t off = 0; off < size;) {
		int lvl;
		if (!vm_walk(root, va + off, &lvl))
			return -ENOENT;
		if (!IS_ALIGNED(va + off, LEVEL_SIZE(lvl)) || size - off < LEVEL_SIZE(lvl))
			return -EINVAL; /* would split a large page */
		off += LEVEL_SIZE(lvl);
	}
	for (uint64_t off = 0; off < size;) {
		int lvl;
		pte_t *pte = vm_walk(root, va + off, &lvl);
		*pte = 0;
		sfence_vma_page(va + off);
		off += LEVEL_SIZE(lvl);
	}
	return 0;
}

int vm_translate(pte_t *root, vaddr_t va, paddr_t *pa, uint64_t *perm)
{
	int lvl;
	pte_t *pte = vm_walk(root, va, &lvl);
	if (!pte)
		return -EFAULT;
	if (pa)
		*pa = PTE_PA(*pte) + (va & (LEVEL_SIZE(lvl) - 1));
	if (perm)
		*perm = *pte & PTE_PERM_MASK;
	return 0;
}

void vm_share_kernel(pte_t *root, const pte_t *kroot)
{
	for (int i = KERNEL_HALF_FIRST; i < PT_ENTRIES; i++)
		root[i] = kroot[i];
}

static int count_wx(const pte_t *t, int lvl)
{
	int n = 0;
	for (int i = 0; i < PT_ENTRIES; i++) {
		pte_t pte = t[i];
		if (!(pte & PTE_V))
			continue;
		if (PTE_IS_LEAF(pte))
			n += (pte & PTE_W) && (pte & PTE_X);
		else if (lvl > 0)
			n += count_wx(table_of(pte), lvl - 1);
	}
	return n;
}

int vm_count_wx(const pte_t *root)
{
	return count_wx(root, 2);
}
