/* The kernel's view of memory: where the image is linked, where the
 * direct map of physical memory lives, and how to move between them.
 *
 * Sv39 upper half (shared by every address space):
 *   0xFFFFFFC000000000  direct map: VA = PA + DIRECT_MAP_BASE (256 GiB)
 *   0xFFFFFFFF80000000  kernel image, linked at KERNEL_VBASE + 0x200000
 * The lower half (below 0x0000004000000000) belongs to user space. */
#ifndef MICA_MEMLAYOUT_H
#define MICA_MEMLAYOUT_H

#include "types.h"

#define PAGE_SHIFT 12
#define PAGE_SIZE  (1UL << PAGE_SHIFT)

#define DIRECT_MAP_BASE 0xFFFFFFC000000000UL
#define DIRECT_MAP_SIZE 0x0000003F80000000UL /* up to the kernel image window */
#define KERNEL_VBASE    0xFFFFFFFF80000000UL /* maps KERNEL_PBASE */
#define KERNEL_PBASE    0x80000000UL
#define USER_TOP        0x0000004000000000UL /* first non-user address */

#define BOOT_STACK_SIZE (64 * 1024) /* boot/entry.S: mono nests handlers on it */

#ifdef HOST_TEST
/* Host unit tests run on ordinary memory: physical == virtual. */
static inline void *pa2va(paddr_t pa)
{
	return (void *)(uintptr_t)pa;
}
static inline paddr_t va2pa(const void *va)
{
	return (paddr_t)(uintptr_t)va;
}
#else
static inline void *pa2va(paddr_t pa)
{
	return (void *)(pa + DIRECT_MAP_BASE);
}
/* Accepts both direct-map and kernel-image addresses. */
static inline paddr_t va2pa(const void *va)
{
	uint64_t v = (uint64_t)va;
	if (v >= KERNEL_VBASE)
		return v - KERNEL_VBASE + KERNEL_PBASE;
	return v - DIRECT_MAP_BASE;
}
#endif

#endif
