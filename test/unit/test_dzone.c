/* kern/dzone.c: demand-zero zones added, merged, found, clipped, split. */
#include <criterion/criterion.h>

#include "dzone.h"
#include "errno.h"

#define K 4096ul

static int count(const struct dzone_set *s)
{
	int n = 0;
	for (int i = 0; i < DZ_MAX; i++)
		n += s->z[i].hi != 0;
	return n;
}

Test(dzone, add_find_and_overlap)
{
	struct dzone_set s = {0};
	cr_assert_eq(dz_add(&s, 10 * K, 20 * K, 7), 0);
	cr_assert_not_null(dz_find(&s, 10 * K));
	cr_assert_not_null(dz_find(&s, 20 * K - 1));
	cr_assert_null(dz_find(&s, 20 * K));
	cr_assert_null(dz_find(&s, 10 * K - 1));
	cr_assert_eq(dz_find(&s, 15 * K)->pte, 7);
	cr_assert_eq(dz_add(&s, 19 * K, 30 * K, 7), -EEXIST);
	cr_assert_eq(dz_add(&s, 5 * K, 11 * K, 7), -EEXIST);
	cr_assert(dz_overlaps(&s, 0, 11 * K));
	cr_assert(!dz_overlaps(&s, 0, 10 * K));
}

Test(dzone, adjacent_zones_with_equal_bits_merge)
{
	struct dzone_set s = {0};
	for (unsigned long i = 0; i < 100; i++) /* a heap growing page by page */
		cr_assert_eq(dz_add(&s, (100 + i) * K, (101 + i) * K, 3), 0);
	cr_assert_eq(count(&s), 1);
	cr_assert_eq(dz_add(&s, 99 * K, 100 * K, 3), 0, "growing down");
	cr_assert_eq(count(&s), 1);
	cr_assert_eq(dz_add(&s, 200 * K, 201 * K, 5), 0, "other bits: another zone");
	cr_assert_eq(count(&s), 2);
}

Test(dzone, remove_clips_and_splits)
{
	struct dzone_set s = {0};
	dz_add(&s, 0x10000, 0x20000, 3);
	cr_assert_eq(dz_remove(&s, 0x18000, 0x20000), 0, "the top (brk shrinking)");
	cr_assert_null(dz_find(&s, 0x18000));
	cr_assert_not_null(dz_find(&s, 0x17000));
	cr_assert_eq(dz_remove(&s, 0x12000, 0x13000), 0, "the middle");
	cr_assert_eq(count(&s), 2);
	cr_assert_null(dz_find(&s, 0x12000));
	cr_assert_not_null(dz_find(&s, 0x11000));
	cr_assert_not_null(dz_find(&s, 0x13000));
	cr_assert_eq(dz_remove(&s, 0, 0x100000), 0, "everything");
	cr_assert_eq(count(&s), 0);
}

Test(dzone, full_set_refuses_without_changing)
{
	struct dzone_set s = {0};
	for (unsigned long i = 0; i < DZ_MAX; i++)
		cr_assert_eq(dz_add(&s, i * 16 * K, (i * 16 + 8) * K, 3), 0);
	cr_assert_eq(dz_add(&s, 1000 * K, 1001 * K, 3), -ENOMEM);
	struct dzone_set before = s;
	cr_assert_eq(dz_remove(&s, 2 * K, 3 * K), -ENOMEM, "a split needs a slot");
	cr_assert_eq(memcmp(&s, &before, sizeof(s)), 0, "nothing changed");
	cr_assert_eq(dz_remove(&s, 0, 8 * K), 0, "a whole zone goes");
	cr_assert_eq(dz_remove(&s, 18 * K, 19 * K), 0, "now the split fits");
}

Test(dzone, set_bits_splits_at_both_ends_and_keeps_the_pager_bit)
{
	struct dzone_set s = {0};
	cr_assert_eq(dz_add(&s, 0x10000, 0x20000, 0x7 | DZ_PAGER), 0);
	cr_assert_eq(dz_set_bits(&s, 0x14000, 0x16000, 0x7, 0x3), 0, "mprotect of the middle");
	cr_assert_eq(count(&s), 3);
	cr_assert_eq(dz_find(&s, 0x13000)->pte, 0x7 | DZ_PAGER, "below: as it was");
	cr_assert_eq(dz_find(&s, 0x14000)->pte, 0x3 | DZ_PAGER,
	             "inside: new bits, still the pager's");
	cr_assert_eq(dz_find(&s, 0x16000)->pte, 0x7 | DZ_PAGER, "above: as it was");
	cr_assert_eq(dz_find(&s, 0x15fff)->hi, 0x16000);
	cr_assert_eq(dz_set_bits(&s, 0, 0x100000, 0x7, 0), 0, "everything: no access");
	cr_assert_eq(count(&s), 3, "no split needed");
	cr_assert_eq(dz_find(&s, 0x1f000)->pte, DZ_PAGER);
}

Test(dzone, set_bits_refuses_without_room_and_changes_nothing)
{
	struct dzone_set s = {0};
	for (unsigned long i = 0; i < DZ_MAX; i++)
		cr_assert_eq(dz_add(&s, i * 16 * K, (i * 16 + 8) * K, 3), 0);
	struct dzone_set before = s;
	cr_assert_eq(dz_set_bits(&s, 2 * K, 3 * K, 0x7, 1), -ENOMEM);
	cr_assert_eq(memcmp(&s, &before, sizeof(s)), 0, "nothing changed");
	cr_assert_eq(dz_set_bits(&s, 0, 8 * K, 0x7, 1), 0, "a whole zone needs no slot");
	cr_assert_eq(dz_find(&s, 0)->pte, 1);
}
