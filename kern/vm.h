/* Sv39 page tables: map, unmap, walk and translate on any root. The
 * kernel half (root entries 256..511) is built once by kvm_init and then
 * shared by reference with every address space created later. */
#ifndef MICA_VM_H
#define MICA_VM_H

#include "memlayout.h"

#define PTE_V         (1UL << 0)
#define PTE_R         (1UL << 1)
#define PTE_W         (1UL << 2)
#define PTE_X         (1UL << 3)
#define PTE_U         (1UL << 4)
#define PTE_G         (1UL << 5)
#define PTE_A         (1UL << 6)
#define PTE_D         (1UL << 7)
#define PTE_RSW       (3UL << 8) /* two bits for software; the kernel's own use */
#define PTE_PERM_MASK (PTE_R | PTE_W | PTE_X | PTE_U | PTE_G)

#define PTE_PA(pte)       (((pte) >> 10) << 12)
#define PA_TO_PTE(pa)     (((pa) >> 12) << 10)
#define PTE_IS_LEAF(pte)  (((pte) & (PTE_R | PTE_W | PTE_X)) != 0)
#define VPN(va, level)    (((va) >> (PAGE_SHIFT + 9 * (level))) & 0x1FF)
#define LEVEL_SIZE(lvl)   (1UL << (PAGE_SHIFT + 9 * (lvl))) /* 4K, 2M, 1G */
#define PT_ENTRIES        512
#define KERNEL_HALF_FIRST 256 /* first root index of the shared kernel half */

/* True for an address Sv39 can translate (bits 63..39 copy bit 38). */
bool vm_is_canonical(vaddr_t va);

/* The leaf PTE mapping va, or NULL. If level is not NULL it receives the
 * leaf's level (0: 4 KiB, 1: 2 MiB, 2: 1 GiB). */
pte_t *vm_walk(pte_t *root, vaddr_t va, int *level);

/* The 4 KiB slot for va, valid or not; with alloc, the tables on the way
 * are made (NULL and *err: -EEXIST under a large leaf, -ENOMEM). Without
 * alloc, NULL where no table reaches. */
pte_t *vm_slot(pte_t *root, vaddr_t va, bool alloc, int *err);

/* Stores val in va's 4 KiB slot (tables made as needed, the slot noted
 * for walks even if val is not valid): 0, -EEXIST, -ENOMEM. */
int vm_set_slot(pte_t *root, vaddr_t va, pte_t val);

/* Maps [va, va+size) to [pa, pa+size) with 4 KiB pages and the given
 * PTE_R/W/X/U/G bits (and PTE_RSW, kept as given). 0, -EINVAL (unaligned, non-canonical, W+X or W
 * without R), -EEXIST (something already mapped there; nothing changed)
 * or -ENOMEM (nothing left mapped). */
int vm_map(pte_t *root, vaddr_t va, paddr_t pa, uint64_t size, uint64_t perm);

/* The same, using 1 GiB and 2 MiB leaves wherever alignment allows. */
int vm_map_large(pte_t *root, vaddr_t va, paddr_t pa, uint64_t size, uint64_t perm);

/* Removes the mappings of [va, va+size). Every page must be mapped and a
 * large leaf must be covered whole, else -EINVAL/-ENOENT and nothing
 * changes. Frames behind the mappings are not freed: they are the
 * caller's. */
int vm_unmap(pte_t *root, vaddr_t va, uint64_t size);

/* Physical address and PTE_* permission bits behind va, or -EFAULT. */
int vm_translate(pte_t *root, vaddr_t va, paddr_t *pa, uint64_t *perm);

/* Copies the kernel half of kroot into a fresh root. */
void vm_share_kernel(pte_t *root, const pte_t *kroot);

/* Counts leaves that are both writable and executable (must be 0). */
int vm_count_wx(const pte_t *root);

/* The kernel's own root; set by kvm_init. */
extern pte_t *kernel_root;

struct bootinfo;
/* Builds the kernel page table from the linker symbols and the device
 * tree, and switches to it. Panics on failure: nothing can run without it. */
void kvm_init(const struct bootinfo *bi);

#endif
