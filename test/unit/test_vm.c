/* Sv39 page tables built on the host: page-table pages come from the frame
 * allocator running over a host buffer, and physical addresses are host
 * addresses (pa2va is the identity under HOST_TEST). The addresses being
 * mapped are only numbers written into PTEs, never dereferenced. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "errno.h"
#include "frame.h"
#include "vm.h"

#define RAM_SIZE (4UL << 20)
#define SZ_2M    (2UL << 20)
#define SZ_1G    (1UL << 30)

#define VA   0x10000000UL         /* a user address, 1 GiB region 0 */
#define PA   0x87654000UL         /* 4 KiB-aligned only */
#define PA2M 0x80400000UL         /* 2 MiB-aligned */
#define PA1G 0x80000000UL         /* 1 GiB-aligned */
#define KVA  0xFFFFFFC000000000UL /* DIRECT_MAP_BASE: upper half, 1 GiB-aligned */

static uint8_t *ram;
static pte_t *root;

static void vm_setup(void)
{
	ram = aligned_alloc(RAM_SIZE, RAM_SIZE);
	cr_assert_not_null(ram);
	memset(ram, 0, RAM_SIZE);
	cr_assert_eq(frame_init((paddr_t)(uintptr_t)ram, RAM_SIZE, NULL, 0), 0);
	root = pa2va(frame_alloc());
	cr_assert_not_null(root);
	for (int i = 0; i < PT_ENTRIES; i++)
		cr_assert_eq(root[i], 0, "the root from frame_alloc is zeroed");
}

static void vm_teardown(void)
{
	free(ram);
}

TestSuite(vm, .init = vm_setup, .fini = vm_teardown);

static uint64_t frames_used(void)
{
	struct frame_stats st;
	frame_get_stats(&st);
	return st.used;
}

/* Level of the leaf mapping va, or -1 if va is unmapped. */
static int leaf_level(vaddr_t va)
{
	int lvl = -7;
	pte_t *pte = vm_walk(root, va, &lvl);
	if (!pte)
		return -1;
	cr_assert(*pte & PTE_V);
	cr_assert(PTE_IS_LEAF(*pte));
	return lvl;
}

static void assert_maps(vaddr_t va, paddr_t want_pa, uint64_t want_perm)
{
	paddr_t pa = 0;
	uint64_t perm = 0;
	cr_assert_eq(vm_translate(root, va, &pa, &perm), 0, "%#lx unmapped", (unsigned long)va);
	cr_assert_eq(pa, want_pa, "%#lx -> %#lx, expected %#lx", (unsigned long)va,
	             (unsigned long)pa, (unsigned long)want_pa);
	cr_assert_eq(perm, want_perm, "%#lx perm %#lx, expected %#lx", (unsigned long)va,
	             (unsigned long)perm, (unsigned long)want_perm);
}

static void assert_unmapped(vaddr_t va)
{
	paddr_t pa = 0xdead;
	cr_assert_eq(vm_translate(root, va, &pa, NULL), -EFAULT, "%#lx is mapped to %#lx",
	             (unsigned long)va, (unsigned long)pa);
	cr_assert_null(vm_walk(root, va, NULL));
}

Test(vm, canonical_addresses_on_both_halves)
{
	cr_assert(vm_is_canonical(0));
	cr_assert(vm_is_canonical(VA));
	cr_assert(vm_is_canonical(0x0000003FFFFFFFFFUL), "top of the lower half");
	cr_assert_not(vm_is_canonical(0x0000004000000000UL), "USER_TOP: first hole address");
	cr_assert_not(vm_is_canonical(0x0000800000000000UL));
	cr_assert_not(vm_is_canonical(0x7FFFFFFFFFFFFFFFUL));
	cr_assert_not(vm_is_canonical(0x8000000000000000UL));
	cr_assert_not(vm_is_canonical(0xFFFFFFBFFFFFFFFFUL), "last hole address");
	cr_assert(vm_is_canonical(0xFFFFFFC000000000UL), "bottom of the upper half");
	cr_assert(vm_is_canonical(KERNEL_VBASE));
	cr_assert(vm_is_canonical(0xFFFFFFFFFFFFFFFFUL));
}

Test(vm, map_then_translate_round_trip)
{
	cr_assert_eq(vm_map(root, VA, PA, 3 * PAGE_SIZE, PTE_R | PTE_W), 0);
	const uint64_t offs[] = {0, 1, 0x123, 0xFFF, 0x1000, 0x1456, 0x2000, 0x2FFF};
	for (size_t k = 0; k < sizeof(offs) / sizeof(offs[0]); k++)
		assert_maps(VA + offs[k], PA + offs[k], PTE_R | PTE_W);
	assert_unmapped(VA - 1);
	assert_unmapped(VA + 3 * PAGE_SIZE);
	/* pa and perm are optional. */
	cr_assert_eq(vm_translate(root, VA + 5, NULL, NULL), 0);
}

Test(vm, walk_finds_4k_leaves_at_level_0)
{
	cr_assert_eq(vm_map(root, VA, PA, 2 * PAGE_SIZE, PTE_R), 0);
	int lvl = -1;
	pte_t *pte = vm_walk(root, VA + 0x10, &lvl);
	cr_assert_not_null(pte);
	cr_assert_eq(lvl, 0);
	cr_assert(*pte & PTE_V);
	cr_assert_eq(PTE_PA(*pte), PA);
	pte_t *next = vm_walk(root, VA + PAGE_SIZE, NULL);
	cr_assert_eq(next, pte + 1, "neighbouring pages share a level-0 table");
	cr_assert_eq(PTE_PA(*next), PA + PAGE_SIZE);
	cr_assert_null(vm_walk(root, VA + 2 * PAGE_SIZE, &lvl));
	cr_assert_null(vm_walk(root, VA + SZ_1G, &lvl), "another 1 GiB region");
	cr_assert_null(vm_walk(root, 0x0000004000000000UL, &lvl), "not canonical");
}

Test(vm, page_tables_come_from_the_frame_allocator)
{
	uint64_t used = frames_used();
	cr_assert_eq(vm_map(root, VA, PA, PAGE_SIZE, PTE_R), 0);
	cr_assert_eq(frames_used(), used + 2, "one level-1 and one level-0 table");
	cr_assert_eq(vm_map(root, VA + PAGE_SIZE, PA, PAGE_SIZE, PTE_R), 0);
	cr_assert_eq(frames_used(), used + 2, "same tables for the next page");
	cr_assert_eq(vm_map(root, VA + SZ_2M, PA, PAGE_SIZE, PTE_R), 0);
	cr_assert_eq(frames_used(), used + 3, "a new level-0 table for the next 2 MiB");
	/* The tables are reached from the root through the PTEs. */
	pte_t l2 = root[VPN(VA, 2)];
	cr_assert(l2 & PTE_V);
	cr_assert_not(PTE_IS_LEAF(l2));
	pte_t *l1 = pa2va(PTE_PA(l2));
	cr_assert(l1[VPN(VA, 1)] & PTE_V);
	cr_assert_not(PTE_IS_LEAF(l1[VPN(VA, 1)]));
	pte_t *l0 = pa2va(PTE_PA(l1[VPN(VA, 1)]));
	cr_assert_eq(&l0[VPN(VA, 0)], vm_walk(root, VA, NULL));
}

Test(vm, permissions_are_stored)
{
	const uint64_t perms[] = {
	    PTE_R,
	    PTE_R | PTE_W,
	    PTE_R | PTE_X,
	    PTE_X, /* execute-only is a valid leaf */
	    PTE_R | PTE_U,
	    PTE_R | PTE_W | PTE_U,
	    PTE_R | PTE_X | PTE_U,
	    PTE_R | PTE_W | PTE_G,
	};
	size_t n = sizeof(perms) / sizeof(perms[0]);
	for (size_t k = 0; k < n; k++)
		cr_assert_eq(
		    vm_map(root, VA + k * PAGE_SIZE, PA + k * PAGE_SIZE, PAGE_SIZE, perms[k]), 0,
		    "perm %#lx", (unsigned long)perms[k]);
	for (size_t k = 0; k < n; k++) {
		assert_maps(VA + k * PAGE_SIZE, PA + k * PAGE_SIZE, perms[k]);
		pte_t pte = *vm_walk(root, VA + k * PAGE_SIZE, NULL);
		cr_assert_eq(pte & (PTE_R | PTE_W | PTE_X | PTE_U | PTE_G), perms[k]);
		cr_assert(pte & PTE_V);
	}
}

Test(vm, write_plus_execute_is_rejected)
{
	uint64_t used = frames_used();
	cr_assert_eq(vm_map(root, VA, PA, PAGE_SIZE, PTE_R | PTE_W | PTE_X), -EINVAL);
	cr_assert_eq(vm_map(root, VA, PA, PAGE_SIZE, PTE_R | PTE_W | PTE_X | PTE_U), -EINVAL);
	cr_assert_eq(vm_map(root, VA, PA, PAGE_SIZE, PTE_W | PTE_X), -EINVAL);
	cr_assert_eq(vm_map_large(root, 0, PA1G, SZ_1G, PTE_R | PTE_W | PTE_X), -EINVAL);
	assert_unmapped(VA);
	assert_unmapped(0);
	cr_assert_eq(frames_used(), used, "no table allocated for a rejected request");
}

Test(vm, write_without_read_is_rejected)
{
	cr_assert_eq(vm_map(root, VA, PA, PAGE_SIZE, PTE_W), -EINVAL);
	cr_assert_eq(vm_map(root, VA, PA, PAGE_SIZE, PTE_W | PTE_U), -EINVAL);
	assert_unmapped(VA);
}

Test(vm, empty_or_foreign_permissions_are_rejected)
{
	cr_assert_eq(vm_map(root, VA, PA, PAGE_SIZE, 0), -EINVAL);
	cr_assert_eq(vm_map(root, VA, PA, PAGE_SIZE, PTE_U), -EINVAL, "U alone is no access");
	cr_assert_eq(vm_map(root, VA, PA, PAGE_SIZE, PTE_G), -EINVAL);
	cr_assert_eq(vm_map(root, VA, PA, PAGE_SIZE, PTE_R | PTE_V), -EINVAL);
	cr_assert_eq(vm_map(root, VA, PA, PAGE_SIZE, PTE_R | PTE_A | PTE_D), -EINVAL);
	cr_assert_eq(vm_map(root, VA, PA, PAGE_SIZE, PTE_R | (1UL << 10)), -EINVAL);
	assert_unmapped(VA);
}

Test(vm, unaligned_arguments_are_rejected)
{
	cr_assert_eq(vm_map(root, VA + 8, PA, PAGE_SIZE, PTE_R), -EINVAL);
	cr_assert_eq(vm_map(root, VA, PA + 8, PAGE_SIZE, PTE_R), -EINVAL);
	cr_assert_eq(vm_map(root, VA, PA, 100, PTE_R), -EINVAL);
	cr_assert_eq(vm_map(root, VA, PA, PAGE_SIZE + 1, PTE_R), -EINVAL);
	cr_assert_eq(vm_map(root, VA, PA, 0, PTE_R), -EINVAL);
	cr_assert_eq(vm_map_large(root, SZ_2M + 8, PA2M, SZ_2M, PTE_R), -EINVAL);
	assert_unmapped(VA);
	assert_unmapped(SZ_2M);
}

Test(vm, non_canonical_addresses_are_rejected)
{
	cr_assert_eq(vm_map(root, 0x0000004000000000UL, PA, PAGE_SIZE, PTE_R), -EINVAL);
	cr_assert_eq(vm_map(root, 0xFFFFFFBFFFFFF000UL, PA, PAGE_SIZE, PTE_R), -EINVAL);
	/* Starts canonical but runs into the hole. */
	cr_assert_eq(vm_map(root, 0x0000003FFFFFF000UL, PA, 2 * PAGE_SIZE, PTE_R), -EINVAL);
	assert_unmapped(0x0000003FFFFFF000UL);
	/* Wraps around the top of the address space. */
	cr_assert_eq(vm_map(root, 0xFFFFFFFFFFFFF000UL, PA, 2 * PAGE_SIZE, PTE_R), -EINVAL);
	assert_unmapped(0xFFFFFFFFFFFFF000UL);
	/* The last page of each half is fine. */
	cr_assert_eq(vm_map(root, 0x0000003FFFFFF000UL, PA, PAGE_SIZE, PTE_R), 0);
	cr_assert_eq(vm_map(root, 0xFFFFFFFFFFFFF000UL, PA, PAGE_SIZE, PTE_R), 0);
	assert_maps(0xFFFFFFFFFFFFFFFFUL, PA + 0xFFF, PTE_R);
	assert_maps(0x0000003FFFFFFFFFUL, PA + 0xFFF, PTE_R);
}

Test(vm, range_spanning_both_halves_is_rejected)
{
	/* Both ends canonical, but the range covers the whole hole. With the
	 * first page mapped, a missed check would answer -EEXIST/-ENOENT. */
	uint64_t size = 0xFFFFFFC000001000UL; /* [0, 0xFFFFFFC000000FFF] */
	cr_assert(vm_is_canonical(size - 1));
	cr_assert_eq(vm_map(root, 0, PA, PAGE_SIZE, PTE_R), 0);
	cr_assert_eq(vm_map(root, 0, PA, size, PTE_R), -EINVAL);
	cr_assert_eq(vm_map_large(root, 0, PA, size, PTE_R), -EINVAL);
	cr_assert_eq(vm_unmap(root, 0, size), -EINVAL);
	cr_assert_eq(vm_unmap(root, PAGE_SIZE, size - PAGE_SIZE), -EINVAL);
	assert_maps(0, PA, PTE_R);
}

Test(vm, upper_half_maps_into_root_entries_256_and_up)
{
	cr_assert_eq(vm_map(root, KVA, PA, PAGE_SIZE, PTE_R | PTE_W | PTE_G), 0);
	assert_maps(KVA + 0x42, PA + 0x42, PTE_R | PTE_W | PTE_G);
	cr_assert(root[256] & PTE_V, "0xFFFFFFC000000000 is root entry 256");
	for (int i = 0; i < 256; i++)
		cr_assert_eq(root[i], 0);
}

Test(vm, remap_returns_eexist_and_leaves_the_mapping)
{
	cr_assert_eq(vm_map(root, VA, PA, PAGE_SIZE, PTE_R), 0);
	pte_t old = *vm_walk(root, VA, NULL);
	uint64_t used = frames_used();

	cr_assert_eq(vm_map(root, VA, PA2M, PAGE_SIZE, PTE_R | PTE_W), -EEXIST);
	/* Overlapping only at the end: the free first page is not mapped either. */
	cr_assert_eq(vm_map(root, VA - PAGE_SIZE, PA2M, 2 * PAGE_SIZE, PTE_R | PTE_W), -EEXIST);
	/* Overlapping only at the start. */
	cr_assert_eq(vm_map(root, VA, PA2M, 3 * PAGE_SIZE, PTE_R | PTE_W), -EEXIST);
	/* A large mapping over it. */
	cr_assert_eq(vm_map_large(root, VA, PA2M, SZ_2M, PTE_R), -EEXIST);

	cr_assert_eq(*vm_walk(root, VA, NULL), old);
	assert_maps(VA, PA, PTE_R);
	assert_unmapped(VA - PAGE_SIZE);
	assert_unmapped(VA + PAGE_SIZE);
	assert_unmapped(VA + 2 * PAGE_SIZE);
	cr_assert_eq(frames_used(), used);
}

Test(vm, small_page_inside_a_large_leaf_is_eexist)
{
	cr_assert_eq(vm_map_large(root, VA, PA2M, SZ_2M, PTE_R), 0);
	cr_assert_eq(leaf_level(VA), 1);
	cr_assert_eq(vm_map(root, VA + 5 * PAGE_SIZE, PA, PAGE_SIZE, PTE_R | PTE_W), -EEXIST);
	assert_maps(VA + 5 * PAGE_SIZE, PA2M + 5 * PAGE_SIZE, PTE_R);
	cr_assert_eq(leaf_level(VA + 5 * PAGE_SIZE), 1);
}

Test(vm, unmap_removes_exactly_the_range)
{
	cr_assert_eq(vm_map(root, VA, PA, 4 * PAGE_SIZE, PTE_R), 0);
	cr_assert_eq(vm_unmap(root, VA + PAGE_SIZE, 2 * PAGE_SIZE), 0);
	assert_maps(VA, PA, PTE_R);
	assert_unmapped(VA + PAGE_SIZE);
	assert_unmapped(VA + 2 * PAGE_SIZE);
	assert_maps(VA + 3 * PAGE_SIZE, PA + 3 * PAGE_SIZE, PTE_R);
	/* Unmapped pages can be mapped again. */
	cr_assert_eq(vm_map(root, VA + PAGE_SIZE, PA2M, PAGE_SIZE, PTE_R | PTE_X), 0);
	assert_maps(VA + PAGE_SIZE, PA2M, PTE_R | PTE_X);
}

Test(vm, unmap_of_an_unmapped_page_is_enoent_and_changes_nothing)
{
	cr_assert_eq(vm_unmap(root, VA, PAGE_SIZE), -ENOENT, "empty table");
	cr_assert_eq(vm_map(root, VA, PA, 2 * PAGE_SIZE, PTE_R | PTE_W), 0);
	pte_t p0 = *vm_walk(root, VA, NULL), p1 = *vm_walk(root, VA + PAGE_SIZE, NULL);

	cr_assert_eq(vm_unmap(root, VA, 3 * PAGE_SIZE), -ENOENT, "third page unmapped");
	cr_assert_eq(vm_unmap(root, VA - PAGE_SIZE, 2 * PAGE_SIZE), -ENOENT, "first page unmapped");
	cr_assert_eq(vm_unmap(root, VA + 2 * PAGE_SIZE, PAGE_SIZE), -ENOENT);

	cr_assert_eq(*vm_walk(root, VA, NULL), p0);
	cr_assert_eq(*vm_walk(root, VA + PAGE_SIZE, NULL), p1);
	assert_maps(VA, PA, PTE_R | PTE_W);
	assert_maps(VA + PAGE_SIZE, PA + PAGE_SIZE, PTE_R | PTE_W);
	cr_assert_eq(vm_unmap(root, VA, 2 * PAGE_SIZE), 0);
	assert_unmapped(VA);
	assert_unmapped(VA + PAGE_SIZE);
}

Test(vm, unmap_rejects_unaligned_and_non_canonical_ranges)
{
	cr_assert_eq(vm_map(root, VA, PA, PAGE_SIZE, PTE_R), 0);
	cr_assert_eq(vm_unmap(root, VA + 8, PAGE_SIZE), -EINVAL);
	cr_assert_eq(vm_unmap(root, VA, 100), -EINVAL);
	cr_assert_eq(vm_unmap(root, VA, 0), -EINVAL);
	cr_assert_eq(vm_unmap(root, 0x0000004000000000UL, PAGE_SIZE), -EINVAL);
	assert_maps(VA, PA, PTE_R);
}

Test(vm, map_large_uses_2mib_leaves_when_aligned)
{
	vaddr_t va = 0x40200000UL; /* 2 MiB-aligned, not 1 GiB-aligned */
	uint64_t size = 2 * SZ_2M + 2 * PAGE_SIZE;
	cr_assert_eq(vm_map_large(root, va, PA2M, size, PTE_R | PTE_W), 0);
	cr_assert_eq(leaf_level(va), 1);
	cr_assert_eq(leaf_level(va + SZ_2M - 1), 1);
	cr_assert_eq(leaf_level(va + SZ_2M), 1);
	cr_assert_eq(leaf_level(va + 2 * SZ_2M), 0, "the 8 KiB tail is 4 KiB pages");
	cr_assert_eq(leaf_level(va + 2 * SZ_2M + PAGE_SIZE), 0);
	cr_assert_eq(leaf_level(va + size), -1);
	cr_assert_eq(leaf_level(va - PAGE_SIZE), -1);
	assert_maps(va + 0x123456, PA2M + 0x123456, PTE_R | PTE_W);
	assert_maps(va + SZ_2M + 0x1FFFFF, PA2M + SZ_2M + 0x1FFFFF, PTE_R | PTE_W);
	assert_maps(va + 2 * SZ_2M + PAGE_SIZE + 7, PA2M + 2 * SZ_2M + PAGE_SIZE + 7,
	            PTE_R | PTE_W);
}

Test(vm, map_large_uses_1gib_leaves_when_aligned)
{
	cr_assert_eq(vm_map_large(root, SZ_1G, PA1G, SZ_1G, PTE_R | PTE_X), 0);
	cr_assert_eq(leaf_level(SZ_1G), 2);
	cr_assert_eq(leaf_level(2 * SZ_1G - 1), 2);
	cr_assert_eq(leaf_level(2 * SZ_1G), -1);
	assert_maps(SZ_1G + 0x3FFFFFFF, PA1G + 0x3FFFFFFF, PTE_R | PTE_X);
	cr_assert(PTE_IS_LEAF(root[1]), "a 1 GiB leaf sits in the root itself");

	/* Upper half: 1 GiB then a 2 MiB tail. */
	cr_assert_eq(vm_map_large(root, KVA, 0, SZ_1G + SZ_2M, PTE_R | PTE_W | PTE_G), 0);
	cr_assert_eq(leaf_level(KVA), 2);
	cr_assert_eq(leaf_level(KVA + SZ_1G), 1);
	assert_maps(KVA + SZ_1G + 0x1234, SZ_1G + 0x1234, PTE_R | PTE_W | PTE_G);
}

Test(vm, map_large_falls_back_to_4k_when_misaligned)
{
	/* va 2 MiB-aligned, pa only 4 KiB-aligned: no large leaf possible. */
	vaddr_t va = 0x40200000UL;
	cr_assert_eq(vm_map_large(root, va, PA2M + PAGE_SIZE, SZ_2M, PTE_R), 0);
	for (uint64_t off = 0; off < SZ_2M; off += 64 * PAGE_SIZE)
		cr_assert_eq(leaf_level(va + off), 0);
	assert_maps(va + SZ_2M - 1, PA2M + SZ_2M + PAGE_SIZE - 1, PTE_R);

	/* pa 2 MiB-aligned, va not. */
	vaddr_t va2 = 0x40801000UL;
	cr_assert_eq(vm_map_large(root, va2, PA2M, SZ_2M, PTE_R), 0);
	cr_assert_eq(leaf_level(va2), 0);
	cr_assert_eq(leaf_level(va2 + SZ_2M - PAGE_SIZE), 0);

	/* Aligned but smaller than 2 MiB. */
	vaddr_t va3 = 0x40C00000UL;
	cr_assert_eq(vm_map_large(root, va3, PA2M, SZ_2M - PAGE_SIZE, PTE_R), 0);
	cr_assert_eq(leaf_level(va3), 0);
	cr_assert_eq(leaf_level(va3 + SZ_2M - PAGE_SIZE), -1);
}

Test(vm, unmap_of_half_a_2mib_leaf_is_rejected)
{
	cr_assert_eq(vm_map_large(root, VA, PA2M, SZ_2M, PTE_R | PTE_W), 0);
	cr_assert_eq(leaf_level(VA), 1);
	pte_t old = *vm_walk(root, VA, NULL);

	cr_assert_eq(vm_unmap(root, VA, SZ_2M / 2), -EINVAL);
	cr_assert_eq(vm_unmap(root, VA + SZ_2M / 2, SZ_2M / 2), -EINVAL);
	cr_assert_eq(vm_unmap(root, VA, PAGE_SIZE), -EINVAL);
	cr_assert_eq(vm_unmap(root, VA + SZ_2M - PAGE_SIZE, PAGE_SIZE), -EINVAL);

	cr_assert_eq(*vm_walk(root, VA, NULL), old);
	assert_maps(VA + SZ_2M - 1, PA2M + SZ_2M - 1, PTE_R | PTE_W);
	cr_assert_eq(vm_unmap(root, VA, SZ_2M), 0);
	assert_unmapped(VA);
	assert_unmapped(VA + SZ_2M - 1);
}

Test(vm, unmap_of_a_range_ending_inside_a_large_leaf_changes_nothing)
{
	/* 4 KiB pages, then a 2 MiB leaf: the range covers the pages and only
	 * part of the leaf, so the whole call must fail before unmapping the
	 * pages. */
	cr_assert_eq(vm_map(root, VA - 2 * PAGE_SIZE, PA, 2 * PAGE_SIZE, PTE_R), 0);
	cr_assert_eq(vm_map_large(root, VA, PA2M, SZ_2M, PTE_R), 0);
	cr_assert_eq(leaf_level(VA), 1);
	cr_assert_eq(vm_unmap(root, VA - 2 * PAGE_SIZE, 2 * PAGE_SIZE + SZ_2M / 2), -EINVAL);
	assert_maps(VA - 2 * PAGE_SIZE, PA, PTE_R);
	assert_maps(VA - PAGE_SIZE, PA + PAGE_SIZE, PTE_R);
	assert_maps(VA, PA2M, PTE_R);
}

/* Leaves exactly `left` frames free in the allocator. */
static void exhaust_frames_but(int left)
{
	static paddr_t pas[RAM_SIZE / PAGE_SIZE];
	size_t n = 0;
	paddr_t pa;
	while ((pa = frame_alloc()) != 0)
		pas[n++] = pa;
	cr_assert_geq(n, (size_t)left);
	for (int k = 0; k < left; k++)
		cr_assert_eq(frame_free(pas[--n]), 0);
	struct frame_stats st;
	frame_get_stats(&st);
	cr_assert_eq(st.free, (uint64_t)left);
}

Test(vm, enomem_leaves_no_partial_mapping)
{
	/* An existing mapping that must survive. */
	cr_assert_eq(vm_map(root, 0x40000000UL, PA, PAGE_SIZE, PTE_R), 0);
	exhaust_frames_but(2);
	/* The first page takes both frames (level-1 and level-0 tables); the
	 * second page is in the next 2 MiB and needs a third. */
	vaddr_t va = VA + SZ_2M - PAGE_SIZE;
	cr_assert_eq(vm_map(root, va, PA, 2 * PAGE_SIZE, PTE_R | PTE_W), -ENOMEM);
	assert_unmapped(va);
	assert_unmapped(va + PAGE_SIZE);
	assert_maps(0x40000000UL, PA, PTE_R);

	/* Nothing free at all: fails at the first page. */
	exhaust_frames_but(0);
	cr_assert_eq(vm_map(root, 5 * SZ_1G, PA, PAGE_SIZE, PTE_R), -ENOMEM);
	assert_unmapped(5 * SZ_1G);
	cr_assert_eq(root[5], 0, "no dangling table pointer after a failure at the root");
}

Test(vm, enomem_in_a_large_map_leaves_no_partial_mapping)
{
	/* 2 MiB leaf + a 4 KiB tail in the next 2 MiB, which needs a level-0
	 * table, and only the level-1 table can be had. */
	exhaust_frames_but(1);
	cr_assert_eq(vm_map_large(root, VA, PA2M, SZ_2M + PAGE_SIZE, PTE_R), -ENOMEM);
	assert_unmapped(VA);
	assert_unmapped(VA + SZ_2M);
}

Test(vm, share_kernel_copies_the_upper_half_only)
{
	pte_t *kroot = pa2va(frame_alloc());
	cr_assert_not_null(kroot);
	for (int i = 0; i < PT_ENTRIES; i++)
		kroot[i] = ((pte_t)(i + 1) << 10) | PTE_V;
	for (int i = 0; i < PT_ENTRIES; i++)
		root[i] = 0x5A5A5A5A00ULL; /* not valid: marks untouched entries */

	vm_share_kernel(root, kroot);
	for (int i = 0; i < KERNEL_HALF_FIRST; i++)
		cr_assert_eq(root[i], 0x5A5A5A5A00ULL, "user entry %d overwritten", i);
	for (int i = KERNEL_HALF_FIRST; i < PT_ENTRIES; i++)
		cr_assert_eq(root[i], kroot[i], "kernel entry %d not copied", i);
	for (int i = 0; i < PT_ENTRIES; i++)
		cr_assert_eq(kroot[i], ((pte_t)(i + 1) << 10) | PTE_V, "kroot changed");
}

Test(vm, shared_kernel_mappings_are_visible_and_user_ones_are_not)
{
	pte_t *kroot = root;
	cr_assert_eq(vm_map(kroot, KVA, PA, PAGE_SIZE, PTE_R | PTE_W | PTE_G), 0);
	cr_assert_eq(vm_map(kroot, VA, PA, PAGE_SIZE, PTE_R | PTE_U), 0);
	pte_t *uroot = pa2va(frame_alloc());
	vm_share_kernel(uroot, kroot);

	paddr_t pa;
	uint64_t perm;
	cr_assert_eq(vm_translate(uroot, KVA + 8, &pa, &perm), 0);
	cr_assert_eq(pa, PA + 8);
	cr_assert_eq(perm, PTE_R | PTE_W | PTE_G);
	cr_assert_eq(vm_translate(uroot, VA, &pa, &perm), -EFAULT);
	/* Shared by reference: a later kernel mapping in an existing table
	 * shows up in both. */
	cr_assert_eq(vm_map(kroot, KVA + PAGE_SIZE, PA2M, PAGE_SIZE, PTE_R | PTE_G), 0);
	cr_assert_eq(vm_translate(uroot, KVA + PAGE_SIZE, &pa, NULL), 0);
	cr_assert_eq(pa, PA2M);
}

Test(vm, count_wx_counts_hand_made_leaves)
{
	cr_assert_eq(vm_map(root, VA, PA, PAGE_SIZE, PTE_R | PTE_W), 0);
	cr_assert_eq(vm_map(root, VA + PAGE_SIZE, PA, PAGE_SIZE, PTE_R | PTE_X), 0);
	cr_assert_eq(vm_map_large(root, 0x40200000UL, PA2M, SZ_2M, PTE_R | PTE_W), 0);
	cr_assert_eq(vm_map_large(root, KVA, 0, SZ_1G, PTE_R | PTE_W | PTE_G), 0);
	cr_assert_eq(vm_count_wx(root), 0);

	pte_t *pte = vm_walk(root, VA, NULL); /* a 4 KiB leaf, level 0 */
	*pte |= PTE_X;
	cr_assert_eq(vm_count_wx(root), 1);

	int lvl;
	pte = vm_walk(root, 0x40200000UL, &lvl); /* a 2 MiB leaf, level 1 */
	cr_assert_eq(lvl, 1);
	*pte |= PTE_X;
	cr_assert_eq(vm_count_wx(root), 2);

	pte = vm_walk(root, KVA, &lvl); /* a 1 GiB leaf in the root */
	cr_assert_eq(lvl, 2);
	*pte |= PTE_X;
	cr_assert_eq(vm_count_wx(root), 3);

	/* An invalid entry with W and X does not count. */
	pte = vm_walk(root, VA, NULL);
	*pte &= ~PTE_V;
	cr_assert_eq(vm_count_wx(root), 2);
}

Test(vm, map_large_after_small_pages_were_unmapped)
{
	/* Nothing is mapped in [VA, VA + 2 MiB) after the unmap, so a large
	 * mapping there must succeed (vm.h: -EEXIST only when something is
	 * mapped). The unmap leaves an empty level-0 table behind. */
	cr_assert_eq(vm_map(root, VA, PA, PAGE_SIZE, PTE_R), 0);
	cr_assert_eq(vm_unmap(root, VA, PAGE_SIZE), 0);
	assert_unmapped(VA);
	cr_assert_eq(vm_map_large(root, VA, PA2M, SZ_2M, PTE_R), 0);
	assert_maps(VA, PA2M, PTE_R);
	assert_maps(VA + SZ_2M - 1, PA2M + SZ_2M - 1, PTE_R);
}

Test(vm, map_large_reclaims_empty_tables_left_by_unmap)
{
	uint64_t used = frames_used();
	/* 2 MiB: the level-0 table left empty by the unmap is given back. */
	cr_assert_eq(vm_map(root, VA, PA, PAGE_SIZE, PTE_R), 0);
	cr_assert_eq(frames_used(), used + 2);
	cr_assert_eq(vm_unmap(root, VA, PAGE_SIZE), 0);
	cr_assert_eq(vm_map_large(root, VA, PA2M, SZ_2M, PTE_R), 0);
	cr_assert_eq(leaf_level(VA), 1);
	cr_assert_eq(frames_used(), used + 1, "only the level-1 table is still needed");

	/* 1 GiB: both tables below root entry 1 are given back. */
	used = frames_used();
	cr_assert_eq(vm_map(root, SZ_1G + SZ_2M, PA, 2 * PAGE_SIZE, PTE_R), 0);
	cr_assert_eq(frames_used(), used + 2);
	cr_assert_eq(vm_unmap(root, SZ_1G + SZ_2M, 2 * PAGE_SIZE), 0);
	cr_assert_eq(vm_map_large(root, SZ_1G, PA1G, SZ_1G, PTE_R | PTE_X), 0);
	cr_assert_eq(leaf_level(SZ_1G), 2);
	cr_assert_eq(frames_used(), used);
	assert_maps(SZ_1G + SZ_2M, PA1G + SZ_2M, PTE_R | PTE_X);
	/* The first 2 MiB leaf is untouched by all this. */
	assert_maps(VA + 0x1234, PA2M + 0x1234, PTE_R);
}

/* vm_slot: the 4 KiB slot whether or not it is valid (demand-zero pages
 * live in invalid slots); tables only on request, none under a large leaf. */
Test(vm, slot_reaches_invalid_entries_and_makes_tables_on_request)
{
	int err = 0;
	vaddr_t va = 0x40000000ul + 5 * PAGE_SIZE;
	cr_assert_null(vm_slot(root, va, false, &err), "no tables yet");
	uint64_t before = frames_used();
	pte_t *s = vm_slot(root, va, true, &err);
	cr_assert_not_null(s);
	cr_assert_eq(*s, 0);
	cr_assert_eq(frames_used() - before, 2, "two tables made");
	cr_assert_eq(vm_slot(root, va, false, &err), s);
	cr_assert_eq(vm_slot(root, va + PAGE_SIZE, false, &err), s + 1);
	*s = (1ul << 9) | PTE_R | PTE_W; /* reserved, not valid */
	cr_assert_null(vm_walk(root, va, NULL), "an invalid slot is no mapping");
	cr_assert_null(vm_slot(root, 0x0000800000000000ul, true, &err), "non-canonical");
	cr_assert_eq(vm_map_large(root, 0x80000000ul, 0x80000000ul, 1ul << 30, PTE_R), 0);
	err = 0;
	cr_assert_null(vm_slot(root, 0x80000000ul + PAGE_SIZE, true, &err));
	cr_assert_eq(err, -EEXIST, "under a 1 GiB leaf");
}
