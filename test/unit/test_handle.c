/* Per-task handle tables: slot allocation, checked lookup by type and
 * rights, removal. The objects are stand-ins (addresses of test ints);
 * the table never dereferences them. */
#include <criterion/criterion.h>
#include <string.h>

#include "handle.h"
#include "mica/errno.h"

static struct handle_table tab;
static int objs[HANDLE_MAX + 1];

static void tab_setup(void)
{
	memset(&tab, 0, sizeof(tab));
}

TestSuite(handle, .init = tab_setup);

static struct handle mk(int type, unsigned rights, int obj, uint64_t badge, uint16_t gen)
{
	struct handle h;
	memset(&h, 0, sizeof(h));
	h.type = (uint8_t)type;
	h.rights = (uint8_t)rights;
	h.gen = gen;
	h.obj = &objs[obj];
	h.badge = badge;
	return h;
}

static void assert_handle_eq(const struct handle *a, const struct handle *b)
{
	cr_assert_eq(a->type, b->type, "type %d, expected %d", a->type, b->type);
	cr_assert_eq(a->rights, b->rights, "rights %#x, expected %#x", a->rights, b->rights);
	cr_assert_eq(a->gen, b->gen, "gen %u, expected %u", a->gen, b->gen);
	cr_assert_eq(a->obj, b->obj);
	cr_assert_eq(a->badge, b->badge, "badge %#llx, expected %#llx",
	             (unsigned long long)a->badge, (unsigned long long)b->badge);
}

/* Looks up slot expecting failure with err; *err must be set. */
static void assert_get_fails(long slot, int type, unsigned need, int err)
{
	int e = 12345;
	cr_assert_null(handle_get(&tab, slot, type, need, &e), "slot %ld type %d need %#x", slot,
	               type, need);
	cr_assert_eq(e, err, "slot %ld type %d need %#x: err %d, expected %d", slot, type, need, e,
	             err);
}

static struct handle *get_ok(long slot, int type, unsigned need)
{
	int e = 12345;
	struct handle *h = handle_get(&tab, slot, type, need, &e);
	cr_assert_not_null(h, "slot %ld type %d need %#x: err %d", slot, type, need, e);
	cr_assert_eq(h, &tab.h[slot], "handle_get must return the slot itself");
	return h;
}

Test(handle, empty_table_counts_zero)
{
	cr_assert_eq(handle_count(&tab), 0);
}

Test(handle, alloc_fills_lowest_free_slot_and_returns_it)
{
	for (int i = 0; i < 5; i++) {
		struct handle h = mk(H_ENDPOINT, RIGHT_SEND, i, 100 + (uint64_t)i, 0);
		cr_assert_eq(handle_alloc(&tab, &h), i);
		assert_handle_eq(&tab.h[i], &h);
		cr_assert_eq(handle_count(&tab), i + 1);
	}
	/* Free 3 and 1: the next allocations take 1, then 3, then 5. */
	handle_take(&tab, 3);
	handle_take(&tab, 1);
	struct handle h = mk(H_NTFN, RIGHT_RECV, 7, 0, 0);
	cr_assert_eq(handle_alloc(&tab, &h), 1);
	cr_assert_eq(handle_alloc(&tab, &h), 3);
	cr_assert_eq(handle_alloc(&tab, &h), 5);
}

Test(handle, alloc_copies_the_handle)
{
	struct handle h = mk(H_TASK, RIGHT_ALL, 2, 0xfeed, 9);
	int s = handle_alloc(&tab, &h);
	cr_assert_eq(s, 0);
	h.badge = 1;
	h.type = H_NTFN;
	cr_assert_eq(tab.h[0].badge, 0xfeed, "the table holds a copy, not the caller's struct");
	cr_assert_eq(tab.h[0].type, H_TASK);
}

Test(handle, alloc_returns_emfile_when_full)
{
	for (int i = 0; i < HANDLE_MAX; i++) {
		struct handle h = mk(H_ENDPOINT, RIGHT_SEND, i, (uint64_t)i, 0);
		cr_assert_eq(handle_alloc(&tab, &h), i);
	}
	cr_assert_eq(handle_count(&tab), HANDLE_MAX);
	struct handle extra = mk(H_NTFN, RIGHT_ALL, HANDLE_MAX, 0xdead, 1);
	cr_assert_eq(handle_alloc(&tab, &extra), -EMFILE);
	cr_assert_eq(handle_alloc(&tab, &extra), -EMFILE);
	cr_assert_eq(handle_count(&tab), HANDLE_MAX);
	/* Nothing was overwritten by the failed allocations. */
	for (int i = 0; i < HANDLE_MAX; i++) {
		struct handle want = mk(H_ENDPOINT, RIGHT_SEND, i, (uint64_t)i, 0);
		assert_handle_eq(&tab.h[i], &want);
	}
	/* One slot freed, in the middle: alloc finds exactly that one. */
	handle_take(&tab, HANDLE_MAX / 2);
	cr_assert_eq(handle_alloc(&tab, &extra), HANDLE_MAX / 2);
	cr_assert_eq(handle_alloc(&tab, &extra), -EMFILE);
	/* The last slot works too. */
	handle_take(&tab, HANDLE_MAX - 1);
	cr_assert_eq(handle_alloc(&tab, &extra), HANDLE_MAX - 1);
	assert_handle_eq(&tab.h[HANDLE_MAX - 1], &extra);
}

Test(handle, get_rejects_out_of_range_slots)
{
	struct handle h = mk(H_ENDPOINT, RIGHT_ALL, 0, 0, 0);
	for (int i = 0; i < HANDLE_MAX; i++)
		cr_assert_eq(handle_alloc(&tab, &h), i);
	const long bad[] = {-1,
	                    -2,
	                    -HANDLE_MAX,
	                    HANDLE_MAX,
	                    HANDLE_MAX + 1,
	                    1L << 40,
	                    -(1L << 40),
	                    (long)(~0UL >> 1),
	                    -(long)(~0UL >> 1) - 1};
	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		assert_get_fails(bad[k], H_NONE, 0, -EBADF);
		assert_get_fails(bad[k], H_ENDPOINT, RIGHT_SEND, -EBADF);
	}
}

Test(handle, get_rejects_empty_slots)
{
	assert_get_fails(0, H_NONE, 0, -EBADF);
	assert_get_fails(HANDLE_MAX - 1, H_NONE, 0, -EBADF);
	struct handle h = mk(H_ENDPOINT, RIGHT_ALL, 0, 0, 0);
	handle_alloc(&tab, &h);
	assert_get_fails(1, H_NONE, 0, -EBADF);
	assert_get_fails(1, H_ENDPOINT, 0, -EBADF);
	handle_take(&tab, 0);
	assert_get_fails(0, H_NONE, 0, -EBADF);
	assert_get_fails(0, H_ENDPOINT, RIGHT_SEND, -EBADF);
}

Test(handle, get_rejects_wrong_type_with_ebadf)
{
	struct handle ep = mk(H_ENDPOINT, RIGHT_ALL, 0, 0, 0);
	struct handle nt = mk(H_NTFN, RIGHT_ALL, 1, 0, 0);
	struct handle tk = mk(H_TASK, RIGHT_ALL, 2, 0, 0);
	cr_assert_eq(handle_alloc(&tab, &ep), 0);
	cr_assert_eq(handle_alloc(&tab, &nt), 1);
	cr_assert_eq(handle_alloc(&tab, &tk), 2);
	assert_get_fails(0, H_NTFN, 0, -EBADF);
	assert_get_fails(0, H_TASK, RIGHT_SEND, -EBADF);
	assert_get_fails(1, H_ENDPOINT, 0, -EBADF);
	assert_get_fails(1, H_TASK, 0, -EBADF);
	assert_get_fails(2, H_ENDPOINT, 0, -EBADF);
	assert_get_fails(2, H_NTFN, 0, -EBADF);
	/* Wrong type and missing rights together: the type is reported. */
	struct handle weak = mk(H_NTFN, 0, 3, 0, 0);
	cr_assert_eq(handle_alloc(&tab, &weak), 3);
	assert_get_fails(3, H_ENDPOINT, RIGHT_SEND, -EBADF);
	get_ok(0, H_ENDPOINT, 0);
	get_ok(1, H_NTFN, 0);
	get_ok(2, H_TASK, 0);
}

Test(handle, get_rejects_missing_rights_with_eperm)
{
	struct handle h = mk(H_ENDPOINT, RIGHT_SEND, 0, 0, 0);
	cr_assert_eq(handle_alloc(&tab, &h), 0);
	get_ok(0, H_ENDPOINT, 0);
	get_ok(0, H_ENDPOINT, RIGHT_SEND);
	assert_get_fails(0, H_ENDPOINT, RIGHT_RECV, -EPERM);
	assert_get_fails(0, H_ENDPOINT, RIGHT_GRANT, -EPERM);
	/* All the needed rights, not just one of them. */
	assert_get_fails(0, H_ENDPOINT, RIGHT_SEND | RIGHT_RECV, -EPERM);
	assert_get_fails(0, H_ENDPOINT, RIGHT_ALL, -EPERM);
	assert_get_fails(0, H_NONE, RIGHT_RECV, -EPERM);

	struct handle r = mk(H_NTFN, RIGHT_RECV | RIGHT_GRANT, 1, 0, 0);
	cr_assert_eq(handle_alloc(&tab, &r), 1);
	get_ok(1, H_NTFN, RIGHT_RECV | RIGHT_GRANT);
	assert_get_fails(1, H_NTFN, RIGHT_SEND | RIGHT_RECV, -EPERM);

	struct handle none = mk(H_TASK, 0, 2, 0, 0);
	cr_assert_eq(handle_alloc(&tab, &none), 2);
	get_ok(2, H_TASK, 0);
	assert_get_fails(2, H_TASK, RIGHT_SEND, -EPERM);
}

Test(handle, get_with_type_none_accepts_any_type)
{
	const int types[] = {H_ENDPOINT, H_NTFN, H_TASK};
	for (int i = 0; i < 3; i++) {
		struct handle h = mk(types[i], RIGHT_ALL, i, 0, 0);
		cr_assert_eq(handle_alloc(&tab, &h), i);
	}
	for (int i = 0; i < 3; i++) {
		struct handle *h = get_ok(i, H_NONE, 0);
		cr_assert_eq(h->type, types[i]);
		get_ok(i, H_NONE, RIGHT_ALL);
	}
}

Test(handle, get_leaves_the_table_unchanged)
{
	struct handle h = mk(H_ENDPOINT, RIGHT_SEND, 0, 42, 3);
	cr_assert_eq(handle_alloc(&tab, &h), 0);
	get_ok(0, H_ENDPOINT, RIGHT_SEND);
	assert_get_fails(0, H_ENDPOINT, RIGHT_RECV, -EPERM);
	assert_get_fails(0, H_NTFN, 0, -EBADF);
	cr_assert_eq(handle_count(&tab), 1);
	assert_handle_eq(&tab.h[0], &h);
}

Test(handle, take_empties_the_slot_and_returns_its_contents)
{
	struct handle a = mk(H_ENDPOINT, RIGHT_SEND | RIGHT_GRANT, 0, 0x1234, 0);
	struct handle b = mk(H_TASK, RIGHT_ALL, 1, 0, 77);
	cr_assert_eq(handle_alloc(&tab, &a), 0);
	cr_assert_eq(handle_alloc(&tab, &b), 1);
	struct handle got = handle_take(&tab, 0);
	assert_handle_eq(&got, &a);
	cr_assert_eq(tab.h[0].type, H_NONE);
	cr_assert_eq(handle_count(&tab), 1);
	assert_get_fails(0, H_NONE, 0, -EBADF);
	/* The other slot is untouched. */
	assert_handle_eq(get_ok(1, H_TASK, RIGHT_ALL), &b);
	got = handle_take(&tab, 1);
	assert_handle_eq(&got, &b);
	cr_assert_eq(handle_count(&tab), 0);
}

Test(handle, take_of_empty_or_out_of_range_slot_returns_none)
{
	struct handle got = handle_take(&tab, 0);
	cr_assert_eq(got.type, H_NONE);
	struct handle h = mk(H_ENDPOINT, RIGHT_ALL, 0, 5, 0);
	cr_assert_eq(handle_alloc(&tab, &h), 0);
	const long bad[] = {-1, HANDLE_MAX, HANDLE_MAX + 1, -(1L << 40), 1L << 40};
	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		got = handle_take(&tab, bad[k]);
		cr_assert_eq(got.type, H_NONE, "slot %ld", bad[k]);
	}
	got = handle_take(&tab, 1);
	cr_assert_eq(got.type, H_NONE);
	/* None of that disturbed the occupied slot. */
	cr_assert_eq(handle_count(&tab), 1);
	assert_handle_eq(&tab.h[0], &h);
	/* Taking twice: the second take finds the slot empty. */
	got = handle_take(&tab, 0);
	assert_handle_eq(&got, &h);
	got = handle_take(&tab, 0);
	cr_assert_eq(got.type, H_NONE);
	cr_assert_eq(handle_count(&tab), 0);
}

Test(handle, slot_is_reused_after_take)
{
	struct handle a = mk(H_ENDPOINT, RIGHT_SEND, 0, 1, 0);
	struct handle b = mk(H_NTFN, RIGHT_RECV, 1, 2, 0);
	struct handle c = mk(H_TASK, RIGHT_GRANT, 2, 0, 5);
	cr_assert_eq(handle_alloc(&tab, &a), 0);
	cr_assert_eq(handle_alloc(&tab, &b), 1);
	handle_take(&tab, 0);
	cr_assert_eq(handle_alloc(&tab, &c), 0);
	/* The reused slot holds the new handle, none of the old one. */
	assert_handle_eq(get_ok(0, H_TASK, RIGHT_GRANT), &c);
	assert_get_fails(0, H_ENDPOINT, 0, -EBADF);
	cr_assert_eq(handle_count(&tab), 2);
}

Test(handle, count_follows_alloc_and_take)
{
	struct handle h = mk(H_ENDPOINT, RIGHT_ALL, 0, 0, 0);
	for (int i = 0; i < HANDLE_MAX; i++) {
		cr_assert_eq(handle_count(&tab), i);
		handle_alloc(&tab, &h);
	}
	cr_assert_eq(handle_count(&tab), HANDLE_MAX);
	handle_alloc(&tab, &h); /* fails: count unchanged */
	cr_assert_eq(handle_count(&tab), HANDLE_MAX);
	for (int i = 0; i < HANDLE_MAX; i += 2)
		handle_take(&tab, i);
	cr_assert_eq(handle_count(&tab), HANDLE_MAX / 2);
	handle_take(&tab, 0); /* already empty */
	handle_take(&tab, -1);
	handle_take(&tab, HANDLE_MAX);
	cr_assert_eq(handle_count(&tab), HANDLE_MAX / 2);
	for (int i = 1; i < HANDLE_MAX; i += 2)
		handle_take(&tab, i);
	cr_assert_eq(handle_count(&tab), 0);
}

Test(handle, badge_and_gen_survive_alloc_get_take)
{
	const uint64_t badges[] = {0, 1, 0xffffffffffffffffULL, 0x8000000000000000ULL,
	                           0x0123456789abcdefULL};
	const uint16_t gens[] = {0, 1, 0xffff, 0x8000, 0x1234};
	for (int i = 0; i < 5; i++) {
		struct handle h = mk(i % 2 ? H_TASK : H_ENDPOINT, RIGHT_ALL, i, badges[i], gens[i]);
		cr_assert_eq(handle_alloc(&tab, &h), i);
	}
	for (int i = 0; i < 5; i++) {
		struct handle *g = get_ok(i, H_NONE, RIGHT_SEND);
		cr_assert_eq(g->badge, badges[i], "slot %d badge", i);
		cr_assert_eq(g->gen, gens[i], "slot %d gen", i);
		cr_assert_eq(g->obj, &objs[i]);
		cr_assert_eq(g->rights, RIGHT_ALL);
	}
	for (int i = 4; i >= 0; i--) {
		struct handle t = handle_take(&tab, i);
		cr_assert_eq(t.badge, badges[i], "slot %d badge", i);
		cr_assert_eq(t.gen, gens[i], "slot %d gen", i);
		cr_assert_eq(t.obj, &objs[i]);
		cr_assert_eq(t.type, i % 2 ? H_TASK : H_ENDPOINT);
	}
	cr_assert_eq(handle_count(&tab), 0);
}

/* Issue 7, row 4: a 16-bit generation wrapped after 65,536 tasks and a
 * stale handle matched the slot's new task. The handle now carries the
 * task's whole 64-bit generation. */
Test(handle, task_generations_do_not_wrap_at_16_or_32_bits)
{
	struct handle h = {.type = H_TASK, .rights = RIGHT_ALL, .obj = (void *)0x1, .gen = 0};
	uint64_t later[] = {1ul << 16, 1ul << 32, (1ul << 32) + 1};
	for (int i = 0; i < 3; i++)
		cr_assert_neq(h.gen, later[i]);
	h.gen = 1ul << 40;
	int slot = handle_alloc(&tab, &h), err;
	cr_assert_eq(handle_get(&tab, slot, H_TASK, 0, &err)->gen, 1ul << 40);
	cr_assert_eq(sizeof(struct handle), 32u, "slot to offset is one shift");
}
