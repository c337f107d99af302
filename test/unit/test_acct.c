/* Accounts and ownership (kern/acct.c) on a task table of the test's own:
 * limits and pool reserves refuse what they should, refunds after an
 * account is gone are skipped, and a dying task's descendants are found
 * deepest first, so an account outlives every member. */
#include <criterion/criterion.h>
#include <signal.h>
#include <string.h>

#include "errno.h"
#include "task.h"

struct task tasks[MAX_TASKS];
static uint64_t free_slots[RES_COUNT];

uint64_t pool_free(enum resource res)
{
	return free_slots[res];
}

static struct task *mk(int i, struct task *owner, uint32_t flags)
{
	struct task *t = &tasks[i];
	memset(t, 0, sizeof(*t));
	t->used = true;
	t->index = (uint16_t)i;
	t->flags = flags;
	t->owner = owner;
	t->acct = owner && acct_is_limited(owner->acct) ? owner->acct : t;
	if (t->acct == t)
		acct_open(t);
	return t;
}

static void setup(void)
{
	memset(tasks, 0, sizeof(tasks));
	for (int r = 0; r < RES_COUNT; r++)
		free_slots[r] = 100000;
}

TestSuite(acct, .init = setup);

Test(acct, a_process_account_stops_at_its_task_limit)
{
	struct task *pm = mk(0, NULL, TASK_PRIV), *p = mk(1, pm, 0);
	cr_assert_eq(p->acct, p, "a privileged creator opens a new account");
	int made = 0;
	while (acct_charge(p, RES_TASKS, 1) == 0)
		made++;
	cr_assert_eq(made, 16);
	cr_assert_eq(acct_charge(p, RES_TASKS, 1), -EAGAIN);
	acct_uncharge(p, RES_TASKS, 1);
	cr_assert_eq(acct_charge(p, RES_TASKS, 1), 0, "a refund makes room again");
}

Test(acct, privileged_accounts_have_no_limit_and_no_reserve)
{
	struct task *pm = mk(0, NULL, TASK_PRIV);
	free_slots[RES_THREADS] = 1;
	for (int i = 0; i < 1000; i++)
		cr_assert_eq(acct_charge(pm, RES_THREADS, 1), 0);
	cr_assert_eq(pm->use[RES_THREADS], 0, "nothing is counted for pm");
}

Test(acct, the_pool_reserve_refuses_unprivileged_accounts_only)
{
	struct task *pm = mk(0, NULL, TASK_PRIV), *p = mk(1, pm, 0);
	free_slots[RES_EPS] = 16; /* exactly the reserve */
	cr_assert_eq(acct_charge(p, RES_EPS, 1), -EAGAIN);
	cr_assert_eq(acct_charge(pm, RES_EPS, 1), 0);
	free_slots[RES_FRAMES] = 300; /* reserve is at least 256 frames */
	cr_assert_eq(acct_charge(p, RES_FRAMES, 100), -ENOMEM);
	cr_assert_eq(acct_charge(p, RES_FRAMES, 10), 0);
}

Test(acct, tasks_made_by_a_process_share_its_account)
{
	struct task *pm = mk(0, NULL, TASK_PRIV), *p = mk(1, pm, 0), *c = mk(2, p, 0),
	            *g = mk(3, c, 0);
	cr_assert_eq(c->acct, p);
	cr_assert_eq(g->acct, p, "a grandchild pays to the same account");
}

Test(acct, a_refund_after_the_account_died_is_skipped)
{
	struct task *pm = mk(0, NULL, TASK_PRIV), *p = mk(1, pm, 0);
	struct payer paid;
	cr_assert_eq(acct_charge(p, RES_EPS, 1), 0);
	payer_set(&paid, p);
	p->gen++; /* p died and the slot was reused */
	payer_refund(&paid, RES_EPS);
	cr_assert_eq(p->use[RES_EPS], 1, "refunded to a stranger");
	cr_assert_null(paid.acct);
}

Test(acct, a_privileged_payer_is_nobody)
{
	struct task *pm = mk(0, NULL, TASK_PRIV);
	struct payer paid;
	payer_set(&paid, pm);
	cr_assert_null(paid.acct);
	payer_refund(&paid, RES_EPS); /* nothing to do, nothing to break */
}

Test(acct, owned_leaf_is_found_deepest_first)
{
	struct task *root = mk(0, NULL, TASK_PRIV), *a = mk(1, root, 0), *b = mk(2, a, 0),
	            *c = mk(3, b, 0), *other = mk(4, NULL, 0);
	(void)other;
	cr_assert_eq(task_owned_leaf(a), c);
	c->used = false;
	cr_assert_eq(task_owned_leaf(a), b);
	b->used = false;
	cr_assert_null(task_owned_leaf(a), "a owns nothing any more");
	cr_assert_eq(task_owned_leaf(root), a);
}

Test(acct, teardown_order_ends_every_member_before_the_account)
{
	struct task *pm = mk(0, NULL, TASK_PRIV), *p = mk(1, pm, 0);
	int order[8], n = 0;
	mk(2, p, 0), mk(3, p, 0), mk(4, &tasks[2], 0), mk(5, &tasks[4], 0);
	struct task *u;
	while ((u = task_owned_leaf(p))) {
		cr_assert_eq(task_owned_leaf(u), NULL, "a leaf owns nothing");
		cr_assert(u->acct == p && p->used, "the account outlives its member");
		order[n++] = u->index;
		u->used = false;
	}
	cr_assert_eq(n, 4);
	int want[] = {5, 4, 2, 3}; /* each owner after what it owns */
	for (int i = 0; i < n; i++)
		cr_assert_eq(order[i], want[i], "step %d ended task %d", i, order[i]);
}

Test(acct, uncharging_more_than_was_charged_is_a_broken_invariant, .signal = SIGABRT)
{
	struct task *pm = mk(0, NULL, TASK_PRIV), *p = mk(1, pm, 0);
	acct_uncharge(p, RES_TASKS, 1);
}
