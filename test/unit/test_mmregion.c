/* lib/mmregion.c: mmap's ranges placed top down, merged with equal
 * neighbours, split by partial unmaps, and left as they were on failure. */
#include <criterion/criterion.h>
#include <errno.h>

#include "mica/mmregion.h"

#define P 4096u

static struct mm_regions m;

Test(mmregion, gaps_are_taken_from_the_top_down)
{
	mr_init(&m, 0x100000, 0x200000);
	uint64_t a = mr_find_gap(&m, 2 * P);
	cr_assert_eq(a, 0x200000 - 2 * P);
	cr_assert_eq(mr_set(&m, a, a + 2 * P, 3), 0);
	uint64_t b = mr_find_gap(&m, P);
	cr_assert_eq(b, a - P);
	cr_assert_eq(mr_set(&m, b, b + P, 3), 0);
	cr_assert_eq(m.n, 1, "equal neighbours merge");
	cr_assert_eq(mr_find_gap(&m, 0x200000), 0, "too big for the window");
}

Test(mmregion, partial_clear_splits_and_gap_is_reused)
{
	mr_init(&m, 0x100000, 0x200000);
	cr_assert_eq(mr_set(&m, 0x1f0000, 0x200000, 3), 0);
	cr_assert_eq(mr_clear(&m, 0x1f4000, 0x1f8000), 0);
	cr_assert_eq(m.n, 2);
	cr_assert_eq(mr_find_gap(&m, 4 * P), 0x1f4000, "the hole fits exactly");
	int prot;
	cr_assert(!mr_uniform(&m, 0x1f0000, 0x200000, &prot), "a hole is not uniform");
	cr_assert(mr_uniform(&m, 0x1f8000, 0x200000, &prot));
	cr_assert_eq(prot, 3);
}

Test(mmregion, differing_protections_stay_apart)
{
	mr_init(&m, 0x100000, 0x200000);
	cr_assert_eq(mr_set(&m, 0x1f0000, 0x200000, 0), 0);
	cr_assert_eq(mr_set(&m, 0x1f4000, 0x1f8000, 3), 0);
	cr_assert_eq(m.n, 3);
	int prot = -1;
	cr_assert(!mr_uniform(&m, 0x1f0000, 0x1f8000, &prot));
	cr_assert_eq(mr_set(&m, 0x1f4000, 0x1f8000, 0), 0);
	cr_assert_eq(m.n, 1, "set back, the pieces merge again");
}

Test(mmregion, outside_the_window_is_refused)
{
	mr_init(&m, 0x100000, 0x200000);
	cr_assert_eq(mr_set(&m, 0x0ff000, 0x101000, 3), -EINVAL);
	cr_assert_eq(mr_set(&m, 0x1ff000, 0x201000, 3), -EINVAL);
	cr_assert_eq(m.n, 0);
}

Test(mmregion, a_full_table_refuses_and_changes_nothing)
{
	mr_init(&m, 0x100000, 0x100000 + 4 * P * MR_MAX);
	for (int i = 0; i < MR_MAX; i++)
		cr_assert_eq(mr_set(&m, 0x100000 + 4 * P * i, 0x100000 + 4 * P * i + P, 3), 0);
	cr_assert_eq(m.n, MR_MAX);
	cr_assert_eq(mr_set(&m, 0x100000 + 2 * P, 0x100000 + 3 * P, 3), -ENOMEM);
	cr_assert_eq(mr_clear(&m, 0x100000 + 4 * P, 0x100000 + 5 * P), 0,
	             "removing a whole range needs no room");
	cr_assert_eq(m.n, MR_MAX - 1);
}
