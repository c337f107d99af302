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

Test(mmregion, object_offsets_follow_splits_and_only_continuations_merge)
{
	mr_init(&m, 0x100000, 0x200000);
	struct mm_range r = {
	    .lo = 0x110000, .hi = 0x120000, .off = 0x3000, .prot = 1, .kind = 3, .obj = 5};
	cr_assert_eq(mr_put(&m, &r), 0);
	cr_assert_eq(mr_clear(&m, 0x114000, 0x115000), 0, "munmap of one page in the middle");
	cr_assert_eq(m.n, 2);
	const struct mm_range *hi = mr_at(&m, 0x115000);
	cr_assert_eq(hi->off, 0x3000 + 0x5000, "the upper part starts further into the object");
	cr_assert_eq(mr_at(&m, 0x113fff)->off, 0x3000);
	cr_assert_null(mr_at(&m, 0x114800));
	/* putting the same page of the object back joins all three */
	struct mm_range mid = r;
	mid.lo = 0x114000, mid.hi = 0x115000, mid.off = 0x3000 + 0x4000;
	cr_assert_eq(mr_put(&m, &mid), 0);
	cr_assert_eq(m.n, 1, "the object's pages continue each other");
	/* another object's page does not merge */
	mid.obj = 6;
	cr_assert_eq(mr_put(&m, &mid), 0);
	cr_assert_eq(m.n, 3);
}

Test(mmregion, protect_splits_and_refuses_holes)
{
	mr_init(&m, 0x100000, 0x200000);
	struct mm_range r = {
	    .lo = 0x110000, .hi = 0x118000, .off = 0, .prot = 3, .kind = 1, .obj = 2};
	cr_assert_eq(mr_put(&m, &r), 0);
	cr_assert_eq(mr_protect(&m, 0x112000, 0x113000, 1), 0);
	cr_assert_eq(m.n, 3);
	cr_assert_eq(mr_at(&m, 0x112000)->prot, 1);
	cr_assert_eq(mr_at(&m, 0x112000)->off, 0x2000, "the piece keeps its place in the object");
	cr_assert_eq(mr_at(&m, 0x113000)->prot, 3);
	cr_assert_eq(mr_protect(&m, 0x117000, 0x119000, 1), -ENOMEM, "past the end: a hole");
	cr_assert_eq(mr_at(&m, 0x117000)->prot, 3, "nothing changed");
	cr_assert_eq(mr_protect(&m, 0x112000, 0x113000, 3), 0, "back");
	cr_assert_eq(m.n, 1, "and merged again");
}
