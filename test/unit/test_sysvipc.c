/* pm's System V IPC (servers/pm/sysvipc.c): which message msgrcv's type
 * selects, semop's all-or-nothing step with its SEM_UNDO bookkeeping,
 * and undoing a dead process's adjustments; then the get calls' key and
 * permission rules through the handlers, on a process table built here. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "../../servers/pm/proc.h"
#include "../../servers/pm/sysvipc.h"
#include "fake_sys.h"
#include "mica/errno.h"

#define IPC_CREAT_  01000
#define IPC_EXCL_   02000
#define IPC_NOWAIT_ 04000

static struct qmsg *mk(long type, struct qmsg *next)
{
	struct qmsg *m = calloc(1, sizeof(*m));
	m->type = type, m->next = next;
	return m;
}

/* types 3 1 2 5 2, in that order */
static struct qmsg *queue(void)
{
	return mk(3, mk(1, mk(2, mk(5, mk(2, NULL)))));
}

static long picked(struct qmsg **head, long typ, int flg)
{
	struct qmsg **l = msg_select(head, typ, flg);
	return l ? (*l)->type : -1;
}

Test(sysvipc, msgtyp_zero_takes_the_first)
{
	struct qmsg *q = queue();
	cr_assert_eq(picked(&q, 0, 0), 3);
}

Test(sysvipc, positive_msgtyp_takes_the_first_of_its_type)
{
	struct qmsg *q = queue();
	struct qmsg **l = msg_select(&q, 2, 0);
	cr_assert_eq(*l, q->next->next, "the first 2, not the second");
	cr_assert_eq(picked(&q, 4, 0), -1, "none of type 4");
}

Test(sysvipc, msg_except_takes_the_first_of_another_type)
{
	struct qmsg *q = queue();
	cr_assert_eq(picked(&q, 3, PM_MSG_EXCEPT), 1);
	cr_assert_eq(picked(&q, 1, PM_MSG_EXCEPT), 3);
}

Test(sysvipc, negative_msgtyp_takes_the_lowest_type_not_above_it)
{
	struct qmsg *q = queue();
	cr_assert_eq(picked(&q, -2, 0), 1);
	cr_assert_eq(picked(&q, -10, 0), 1);
	struct qmsg *r = mk(4, mk(2, mk(3, mk(2, NULL))));
	struct qmsg **l = msg_select(&r, -3, 0);
	cr_assert_eq(*l, r->next, "the first of the lowest");
	cr_assert_eq(picked(&r, -1, 0), -1);
}

Test(sysvipc, empty_queue_selects_nothing)
{
	struct qmsg *q = NULL;
	cr_assert_null(msg_select(&q, 0, 0));
}

Test(sysvipc, semop_applies_every_operation_or_none)
{
	uint16_t v[3] = {1, 0, 5};
	int16_t adj[3] = {0};
	struct pm_sembuf ops[2] = {{0, -1, 0}, {1, -1, 0}};
	int blocked = -1;
	cr_assert_eq(sem_apply(v, 3, adj, ops, 2, &blocked), 1, "the second must wait");
	cr_assert_eq(blocked, 1);
	cr_assert(v[0] == 1 && v[1] == 0, "nothing applied");
	ops[1].flg = IPC_NOWAIT_;
	cr_assert_eq(sem_apply(v, 3, adj, ops, 2, &blocked), -EAGAIN);
	v[1] = 2;
	cr_assert_eq(sem_apply(v, 3, adj, ops, 2, &blocked), 0);
	cr_assert(v[0] == 0 && v[1] == 1 && v[2] == 5);
}

Test(sysvipc, semop_waits_for_zero)
{
	uint16_t v[1] = {2};
	struct pm_sembuf z = {0, 0, 0};
	int blocked;
	cr_assert_eq(sem_apply(v, 1, NULL, &z, 1, &blocked), 1);
	v[0] = 0;
	cr_assert_eq(sem_apply(v, 1, NULL, &z, 1, &blocked), 0);
}

Test(sysvipc, semop_ops_see_the_earlier_ones)
{
	uint16_t v[1] = {0};
	struct pm_sembuf ops[2] = {{0, 2, 0}, {0, -2, 0}};
	int blocked;
	cr_assert_eq(sem_apply(v, 1, NULL, ops, 2, &blocked), 0);
	cr_assert_eq(v[0], 0);
}

Test(sysvipc, semop_refuses_past_semvmx_and_past_the_set)
{
	uint16_t v[2] = {PM_SEMVMX, 0};
	int16_t adj[2] = {0};
	struct pm_sembuf ops[2] = {{1, 1, PM_SEM_UNDO}, {0, 1, 0}};
	int blocked;
	cr_assert_eq(sem_apply(v, 2, adj, ops, 2, &blocked), -ERANGE);
	cr_assert(v[1] == 0 && adj[1] == 0, "the first op was not kept");
	struct pm_sembuf far = {2, 1, 0};
	cr_assert_eq(sem_apply(v, 2, adj, &far, 1, &blocked), -EFBIG);
}

Test(sysvipc, sem_undo_records_the_opposite_and_undo_gives_it_back)
{
	uint16_t v[2] = {3, 0};
	int16_t adj[2] = {0};
	struct pm_sembuf ops[2] = {{0, -2, PM_SEM_UNDO}, {1, 4, PM_SEM_UNDO}};
	int blocked;
	cr_assert_eq(sem_apply(v, 2, adj, ops, 2, &blocked), 0);
	cr_assert(adj[0] == 2 && adj[1] == -4, "adj %d %d", adj[0], adj[1]);
	struct pm_sembuf plain = {0, 1, 0};
	cr_assert_eq(sem_apply(v, 2, adj, &plain, 1, &blocked), 0);
	cr_assert_eq(adj[0], 2, "an op without SEM_UNDO is not recorded");
	sem_undo(v, 2, adj);
	cr_assert(v[0] == 4 && v[1] == 0, "undone: %u %u", v[0], v[1]);
	cr_assert(adj[0] == 0 && adj[1] == 0, "cleared");
}

Test(sysvipc, undo_keeps_values_within_range)
{
	uint16_t v[2] = {1, PM_SEMVMX};
	int16_t adj[2] = {-5, 7};
	sem_undo(v, 2, adj);
	cr_assert(v[0] == 0 && v[1] == PM_SEMVMX);
}

/* --- through the handlers -------------------------------------------------------- */

static char out[IPC_MAX];
static srv_client next_client;

static void setup(void)
{
	fake_reset();
	memset(&pm, 0, sizeof(pm));
	pm.ep = 0, pm.fs = 3;
	pm_server.out = out;
	next_client = 900;
}

static struct proc *mkproc(int uid)
{
	struct proc *p = proc_alloc(0);
	cr_assert_not_null(p);
	p->uid = uid, p->gid = uid;
	p->task = 100 + p->pid;
	return p;
}

static long call(const struct proc *p, unsigned op, unsigned long m0, unsigned long m1,
                 unsigned long m2, const void *data, size_t len)
{
	struct srv_rep rep = {0};
	struct srv_req req = {.op = op,
	                      .m = {m0, m1, m2},
	                      .data = data,
	                      .len = len,
	                      .badge = proc_badge(p),
	                      .handle = -1,
	                      .call = true,
	                      .client = ++next_client};
	int v = srv_dispatch(&pm_server, &req, &rep);
	return v == SRV_DEFER ? 1000000 : rep.result;
}

TestSuite(sysvipc_handlers, .init = setup);

Test(sysvipc_handlers, keys_find_their_set_and_modes_guard_it)
{
	struct proc *root = mkproc(0), *u = mkproc(1000);
	long s = call(root, PM_SEMGET, 0x77, 2, IPC_CREAT_ | 0600, NULL, 0);
	cr_assert_geq(s, 0);
	cr_assert_eq(call(root, PM_SEMGET, 0x77, 2, IPC_CREAT_ | IPC_EXCL_ | 0600, NULL, 0),
	             -EEXIST);
	cr_assert_eq(call(root, PM_SEMGET, 0x77, 3, 0, NULL, 0), -EINVAL, "more than it has");
	cr_assert_eq(call(root, PM_SEMGET, 0x78, 1, 0, NULL, 0), -ENOENT);
	cr_assert_eq(call(u, PM_SEMGET, 0x77, 0, 0400, NULL, 0), -EACCES);
	cr_assert_eq(call(u, PM_SEMCTL, (unsigned long)s, 0, 0 /* IPC_RMID */, NULL, 0), -EPERM);
	cr_assert_eq(call(root, PM_SEMGET, 0x77, 0, 0, NULL, 0), s, "the same id");
}

Test(sysvipc_handlers, a_user_may_keep_only_so_many_queues)
{
	struct proc *u = mkproc(1000);
	for (int i = 0; i < PM_IPC_PER_UID; i++)
		cr_assert_geq(call(u, PM_MSGGET, 0, IPC_CREAT_ | 0600, 0, NULL, 0), 0, "queue %d",
		              i);
	cr_assert_eq(call(u, PM_MSGGET, 0, IPC_CREAT_ | 0600, 0, NULL, 0), -ENOSPC);
}

Test(sysvipc_handlers, semop_checks_its_operations_before_anything)
{
	struct proc *root = mkproc(0);
	long s = call(root, PM_SEMGET, 0, 1, 0600, NULL, 0);
	struct pm_sembuf ops[2] = {{0, 1, 0}, {5, 1, 0}};
	cr_assert_eq(call(root, PM_SEMOP, (unsigned long)s, 2, 0, ops, sizeof(ops)), -EFBIG);
	cr_assert_eq(call(root, PM_SEMOP, (unsigned long)s, 2, 0, ops, 6), -EINVAL,
	             "short payload");
	cr_assert_eq(call(root, PM_SEMOP, (unsigned long)s, 33, 0, ops, sizeof(ops)), -E2BIG);
	cr_assert_eq(call(root, PM_SEMCTL, (unsigned long)s, 0, IPCC_GETVAL, NULL, 0), 0);
	cr_assert_eq(call(root, PM_SEMOP, (unsigned long)s + 128, 1, 0, ops, 6), -EINVAL,
	             "stale id");
	struct pm_sembuf dn = {0, -1, 0};
	cr_assert_eq(call(root, PM_SEMOP, (unsigned long)s, 1, 0, &dn, 6), 1000000, "it waits");
	cr_assert_eq(call(root, PM_SEMCTL, (unsigned long)s, 0, IPCC_GETNCNT, NULL, 0), 1);
}

Test(sysvipc_handlers, a_waiter_whose_client_is_gone_is_dropped)
{
	struct proc *root = mkproc(0);
	long s = call(root, PM_SEMGET, 0, 1, 0600, NULL, 0);
	struct pm_sembuf dn = {0, -1, 0};
	cr_assert_eq(call(root, PM_SEMOP, (unsigned long)s, 1, 0, &dn, 6), 1000000);
	fake.gone = next_client; /* killed, or its wait ended by a handler */
	cr_assert_eq(call(root, PM_SEMCTL, (unsigned long)s, 0, IPCC_GETNCNT, NULL, 0), 0);
	struct pm_sembuf up = {0, 1, 0};
	cr_assert_eq(call(root, PM_SEMOP, (unsigned long)s, 1, 0, &up, 6), 0);
	cr_assert_eq(call(root, PM_SEMCTL, (unsigned long)s, 0, IPCC_GETVAL, NULL, 0), 1,
	             "nobody took it");
}

Test(sysvipc_handlers, removing_a_set_answers_its_waiters_eidrm)
{
	struct proc *root = mkproc(0);
	long s = call(root, PM_SEMGET, 0, 1, 0600, NULL, 0);
	struct pm_sembuf dn = {0, -1, 0};
	cr_assert_eq(call(root, PM_SEMOP, (unsigned long)s, 1, 0, &dn, 6), 1000000);
	srv_client waiter = next_client;
	cr_assert_eq(call(root, PM_SEMCTL, (unsigned long)s, 0, 0 /* IPC_RMID */, NULL, 0), 0);
	cr_assert_eq(fake.answered_to, waiter);
	cr_assert_eq(fake.answer.result, -EIDRM);
}
