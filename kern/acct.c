/* Accounts and ownership: what each task may create and who pays for it
 * (see struct task), and the order in which a dying task's descendants
 * go. Pure bookkeeping over the task table, so the host tests run it. */
#include "errno.h"
#include "frame.h"
#include "kassert.h"
#include "task.h"

/* --- accounts --------------------------------------------------------- */

/* Limits of a new unprivileged account, and the part of each kernel pool
 * kept for privileged tasks (pm, the drivers) so that no process can take
 * the last slots the system needs to recover. */
static const uint64_t default_limit[RES_COUNT] = {
    [RES_TASKS] = 16, [RES_THREADS] = 32, [RES_EPS] = 32, [RES_NTFNS] = 32};
static uint64_t reserve(enum resource res)
{
	static const uint64_t keep[RES_COUNT] = {
	    [RES_TASKS] = 16, [RES_THREADS] = 32, [RES_EPS] = 16, [RES_NTFNS] = 16};
	if (res != RES_FRAMES)
		return keep[res];
	struct frame_stats st;
	frame_get_stats(&st);
	return MAX(256, st.total / 32);
}

void acct_open(struct task *t)
{
	struct frame_stats st;
	frame_get_stats(&st);
	for (int r = 0; r < RES_COUNT; r++)
		t->lim[r] = default_limit[r];
	t->lim[RES_FRAMES] = st.total / 4 * 3; /* no process takes all memory */
}

bool acct_is_limited(const struct task *a)
{
	return a && !(a->flags & TASK_PRIV);
}

int acct_charge(struct task *a, enum resource res, uint64_t n)
{
	int err = res == RES_FRAMES ? -ENOMEM : -EAGAIN;
	if (!acct_is_limited(a))
		return 0;
	if (a->lim[res] && a->use[res] + n > a->lim[res])
		return err;
	if (pool_free(res) < n + reserve(res))
		return err;
	a->use[res] += n;
	return 0;
}

void acct_uncharge(struct task *a, enum resource res, uint64_t n)
{
	if (!acct_is_limited(a))
		return;
	KASSERT(a->used && a->use[res] >= n); /* Invariant: accounts outlive members */
	a->use[res] -= n;
}

void payer_set(struct payer *p, struct task *a)
{
	p->acct = acct_is_limited(a) ? a : NULL;
	p->gen = a ? a->gen : 0;
}

void payer_refund(struct payer *p, enum resource res)
{
	if (p->acct && p->acct->used && p->acct->gen == p->gen)
		acct_uncharge(p->acct, res, 1);
	p->acct = NULL;
}

/* A task t owns (directly or not) that owns nothing itself, or NULL. */
struct task *task_owned_leaf(struct task *t)
{
	struct task *u = t;
	for (bool deeper = true; deeper;) {
		deeper = false;
		for (int i = 0; i < MAX_TASKS && !deeper; i++) {
			if (tasks[i].used && tasks[i].owner == u) {
				u = &tasks[i];
				deeper = true;
			}
		}
	}
	return u == t ? NULL : u;
}
