/* System V message queues and semaphore sets: pm keeps them, with
 * shared memory's key scheme and permission check (ipcperm.c). An
 * object outlives its maker until IPC_RMID. A msgsnd, msgrcv or semop
 * that must wait is a deferred request, answered when another request
 * (or a process's death, for SEM_UNDO) lets it go on, with -EIDRM when
 * its object is removed; a waiter whose client has gone (killed, or its
 * wait ended by a signal handler: -EINTR in the lib) is dropped. */
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>

#include "ipcperm.h"
#include "mica/errno.h"
#include "mica/host.h"
#include "proc.h"
#include "sysvipc.h"

struct msq {
	bool used;
	struct ipc_perm_rec perm;
	int lspid, lrpid;
	uint64_t cbytes, qnum, qbytes, stime, rtime, ctime;
	struct qmsg *head;
};

struct semset {
	bool used;
	struct ipc_perm_rec perm;
	int nsems;
	uint16_t val[PM_SEMMSL];
	int pid[PM_SEMMSL]; /* the last to change each (GETPID) */
	uint64_t otime, ctime;
};

enum { W_SND = 1, W_RCV, W_SEM };

/* A deferred request, in arrival order (waits[0] first). */
struct waiter {
	int kind, obj, pid;
	srv_client c;
	long type;          /* W_RCV: msgtyp */
	int flg;            /* W_RCV: msgflg; W_SEM: SEM_UNDO anywhere */
	size_t len;         /* W_RCV: the buffer's bytes */
	struct qmsg *m;     /* W_SND: the message, copied in already */
	int nsops, blocked; /* W_SEM: ops[blocked] waits */
	struct pm_sembuf ops[PM_SEMOPM];
};

/* SEM_UNDO's adjustments of one process in one set. */
struct undo {
	int pid, set, seq; /* pid 0: free */
	int16_t adj[PM_SEMMSL];
};

#define NWAIT (2 * MAX_PROCS)
#define NUNDO (2 * MAX_PROCS)

static struct msq msqs[PM_MSGMNI + 1]; /* 0: none */
static struct semset sets[PM_SEMMNI + 1];
static struct waiter waits[NWAIT];
static int nwait;
static struct undo undos[NUNDO];

static int result(struct srv_rep *rep, long r)
{
	rep->result = r;
	return SRV_REPLY;
}

static struct proc *sender(const struct srv_req *req)
{
	struct proc *p = proc_sender(req);
	return p && p->state == P_ALIVE ? p : NULL;
}

static uint64_t now_s(void)
{
	return (uint64_t)(mica_clock(CLOCK_ID_REALTIME) / 1000000000);
}

/* --- the pure parts ------------------------------------------------------------- */

struct qmsg **msg_select(struct qmsg **head, long msgtyp, int msgflg)
{
	struct qmsg **best = NULL;
	for (struct qmsg **l = head; *l; l = &(*l)->next) {
		long t = (*l)->type;
		if (msgtyp == 0)
			return l;
		if (msgtyp > 0 && (msgflg & PM_MSG_EXCEPT ? t != msgtyp : t == msgtyp))
			return l;
		if (msgtyp < 0 && t <= -msgtyp && (!best || t < (*best)->type))
			best = l;
	}
	return best;
}

int sem_apply(uint16_t *val, int nsems, int16_t *adj, const struct pm_sembuf *ops, int nsops,
              int *blocked)
{
	int v[PM_SEMMSL], a[PM_SEMMSL];
	for (int i = 0; i < nsops; i++)
		if (ops[i].num >= nsems)
			return -EFBIG;
	for (int k = 0; k < nsems; k++)
		v[k] = val[k], a[k] = adj ? adj[k] : 0;
	for (int i = 0; i < nsops; i++) {
		const struct pm_sembuf *o = &ops[i];
		int n = v[o->num] + o->op;
		if ((o->op == 0 && v[o->num] != 0) || n < 0) {
			*blocked = i;
			return o->flg & IPC_NOWAIT ? -EAGAIN : 1;
		}
		if (n > PM_SEMVMX)
			return -ERANGE;
		v[o->num] = n;
		if (o->flg & PM_SEM_UNDO) {
			a[o->num] -= o->op;
			if (a[o->num] < -PM_SEMVMX - 1 || a[o->num] > PM_SEMVMX)
				return -ERANGE;
		}
	}
	/* may not fail after this point */
	for (int k = 0; k < nsems; k++) {
		val[k] = (uint16_t)v[k];
		if (adj)
			adj[k] = (int16_t)a[k];
	}
	return 0;
}

void sem_undo(uint16_t *val, int nsems, int16_t *adj)
{
	for (int k = 0; k < nsems; k++) {
		int n = val[k] + adj[k];
		val[k] = (uint16_t)(n < 0 ? 0 : n > PM_SEMVMX ? PM_SEMVMX : n);
		adj[k] = 0;
	}
}

/* --- waiters -------------------------------------------------------------------- */

static void wait_drop(int w)
{
	free(waits[w].m);
	memmove(&waits[w], &waits[w + 1], (size_t)(nwait - w - 1) * sizeof(waits[0]));
	nwait--;
}

static int wait_add(const struct srv_req *req, const struct proc *p, int kind, int obj)
{
	if (nwait == NWAIT)
		return -ENOSPC;
	struct waiter *w = &waits[nwait++];
	memset(w, 0, sizeof(*w));
	w->kind = kind, w->obj = obj, w->pid = p->pid, w->c = req->client;
	return 0;
}

/* Answers and drops every waiter on a queue (sem false) or a set with r. */
static void wait_fail_all(bool sem, int obj, long r)
{
	struct srv_rep rep = {.result = r, .handle = -1};
	for (int w = 0; w < nwait;)
		if ((waits[w].kind == W_SEM) == sem && waits[w].obj == obj) {
			srv_answer(&pm_server, waits[w].c, &rep, NULL);
			wait_drop(w);
		} else
			w++;
}

/* Drops the waiters whose clients no longer wait (killed, interrupted). */
static void wait_prune(void)
{
	for (int w = 0; w < nwait;)
		if (!srv_waiting(&pm_server, waits[w].c))
			wait_drop(w);
		else
			w++;
}

/* --- message queues ------------------------------------------------------------- */

static int msq_find(long id)
{
	int i = IPC_SLOT(id);
	if (id < 0 || i < 1 || i > PM_MSGMNI || !msqs[i].used || IPC_ID(msqs[i].perm.seq, i) != id)
		return -EINVAL;
	return i;
}

/* Gives m (taken from q) to a receiver: its bytes, or -errno and m stays. */
static long msq_deliver(struct server *s, srv_client c, const struct qmsg *m, size_t max, int flg)
{
	if (m->len > max && !(flg & PM_MSG_NOERROR))
		return -E2BIG;
	size_t n = m->len < max ? m->len : max;
	int e = n ? srv_copy_out(s, c, 0, m->text, n) : 0;
	return e ? e : (long)n;
}

static void msq_take(struct msq *q, struct qmsg **l, int pid)
{
	struct qmsg *m = *l;
	*l = m->next;
	q->cbytes -= m->len, q->qnum--;
	q->lrpid = pid, q->rtime = now_s();
	free(m);
}

static void msq_append(struct msq *q, struct qmsg *m, int pid)
{
	struct qmsg **l = &q->head;
	while (*l)
		l = &(*l)->next;
	m->next = NULL;
	*l = m;
	q->cbytes += m->len, q->qnum++;
	q->lspid = pid, q->stime = now_s();
}

/* Lets q's waiting receivers and senders go on while they can. */
static void msq_pump(int i)
{
	struct msq *q = &msqs[i];
	bool moved = true;
	wait_prune();
	while (moved) {
		moved = false;
		for (int w = 0; w < nwait; w++) {
			struct waiter *x = &waits[w];
			if (x->obj != i || x->kind != W_RCV)
				continue;
			struct qmsg **l = msg_select(&q->head, x->type, x->flg);
			if (!l)
				continue;
			long r = msq_deliver(&pm_server, x->c, *l, x->len, x->flg);
			struct srv_rep rep = {
			    .result = r, .m = {(unsigned long)(*l)->type}, .handle = -1};
			if (r != -ESRCH && srv_answer(&pm_server, x->c, &rep, NULL) == 0 && r >= 0)
				msq_take(q, l, x->pid);
			wait_drop(w);
			moved = true;
			break;
		}
		for (int w = 0; !moved && w < nwait; w++) {
			struct waiter *x = &waits[w];
			if (x->obj != i || x->kind != W_SND)
				continue;
			if (q->cbytes + x->m->len > q->qbytes)
				break; /* first come, first served */
			struct srv_rep rep = {.result = 0, .handle = -1};
			if (srv_answer(&pm_server, x->c, &rep, NULL) == 0) {
				msq_append(q, x->m, x->pid);
				x->m = NULL;
			}
			wait_drop(w);
			moved = true;
		}
	}
}

static void msq_free(int i)
{
	struct msq *q = &msqs[i];
	wait_fail_all(false, i, -EIDRM);
	while (q->head) {
		struct qmsg *m = q->head;
		q->head = m->next;
		free(m);
	}
	int seq = q->perm.seq + 1;
	memset(q, 0, sizeof(*q));
	q->perm.seq = seq;
}

int ipc_do_msgget(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct proc *p = sender(req);
	int key = (int)req->m[0], flg = (int)req->m[1];
	if (!p)
		return result(rep, -ESRCH);
	int found = 0, mine = 0, slot = 0;
	for (int i = 1; i <= PM_MSGMNI; i++) {
		if (!msqs[i].used) {
			slot = slot ? slot : i;
			continue;
		}
		mine += msqs[i].perm.cuid == p->uid;
		if (key != IPC_PRIVATE && msqs[i].perm.key == key)
			found = i;
	}
	int e = ipc_lookup(p, key, flg, found ? &msqs[found].perm : NULL);
	if (e <= 0)
		return result(rep, e ? e : IPC_ID(msqs[found].perm.seq, found));
	if (!slot || !ipc_under_limit(p, mine, PM_IPC_PER_UID))
		return result(rep, -ENOSPC);
	struct msq *q = &msqs[slot];
	q->used = true;
	q->perm = (struct ipc_perm_rec){.key = key,
	                                .seq = q->perm.seq,
	                                .mode = flg & 0777,
	                                .uid = p->uid,
	                                .gid = p->gid,
	                                .cuid = p->uid,
	                                .cgid = p->gid};
	q->qbytes = PM_MSGMNB, q->ctime = now_s();
	return result(rep, IPC_ID(q->perm.seq, slot));
}

int ipc_do_msgsnd(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	struct proc *p = sender(req);
	int i = p ? msq_find((long)req->m[0]) : -ESRCH;
	size_t len = req->m[1];
	int flg = (int)req->m[2];
	long type = (long)req->m[3];
	if (i < 0)
		return result(rep, i);
	struct msq *q = &msqs[i];
	if (!ipc_may(p, &q->perm, 2))
		return result(rep, -EACCES);
	if (type < 1 || len > PM_MSGMAX)
		return result(rep, -EINVAL);
	if (len > srv_window(req))
		return result(rep, -EFAULT);
	bool fits = q->cbytes + len <= q->qbytes;
	if (!fits && (flg & IPC_NOWAIT))
		return result(rep, -EAGAIN);
	struct qmsg *m = malloc(sizeof(*m) + len);
	if (!m)
		return result(rep, -ENOMEM);
	int e = len ? srv_copy_in(s, req->client, 0, m->text, len) : 0;
	if (e) {
		free(m);
		return result(rep, e);
	}
	m->type = type, m->len = len;
	if (!fits) {
		if ((e = wait_add(req, p, W_SND, i))) {
			free(m);
			return result(rep, e);
		}
		waits[nwait - 1].m = m;
		return SRV_DEFER;
	}
	msq_append(q, m, p->pid);
	msq_pump(i);
	return result(rep, 0);
}

int ipc_do_msgrcv(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	struct proc *p = sender(req);
	int i = p ? msq_find((long)req->m[0]) : -ESRCH;
	size_t max = req->m[1];
	int flg = (int)req->m[2];
	long type = (long)req->m[3];
	if (i < 0)
		return result(rep, i);
	struct msq *q = &msqs[i];
	if (!ipc_may(p, &q->perm, 4))
		return result(rep, -EACCES);
	if ((long)max < 0)
		return result(rep, -EINVAL);
	if (max > srv_window(req))
		return result(rep, -EFAULT);
	struct qmsg **l = msg_select(&q->head, type, flg);
	if (l) {
		long r = msq_deliver(s, req->client, *l, max, flg);
		if (r < 0)
			return result(rep, r);
		rep->m[0] = (unsigned long)(*l)->type;
		msq_take(q, l, p->pid);
		msq_pump(i);
		return result(rep, r);
	}
	if (flg & IPC_NOWAIT)
		return result(rep, -ENOMSG);
	int e = wait_add(req, p, W_RCV, i);
	if (e)
		return result(rep, e);
	struct waiter *w = &waits[nwait - 1];
	w->type = type, w->flg = flg, w->len = max;
	return SRV_DEFER;
}

static void msq_stat(const struct msq *q, struct pm_msqid_ds *d)
{
	*d = (struct pm_msqid_ds){.key = q->perm.key,
	                          .uid = q->perm.uid,
	                          .gid = q->perm.gid,
	                          .cuid = q->perm.cuid,
	                          .cgid = q->perm.cgid,
	                          .mode = q->perm.mode,
	                          .lspid = q->lspid,
	                          .lrpid = q->lrpid,
	                          .cbytes = q->cbytes,
	                          .qnum = q->qnum,
	                          .qbytes = q->qbytes,
	                          .stime = q->stime,
	                          .rtime = q->rtime,
	                          .ctime = q->ctime};
}

int ipc_do_msgctl(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	struct proc *p = sender(req);
	int cmd = (int)req->m[1];
	long id = (long)req->m[0];
	if (!p)
		return result(rep, -ESRCH);
	if (cmd == IPCC_MSG_INFO) { /* the highest index in use */
		int top = 0;
		for (int j = 1; j <= PM_MSGMNI; j++)
			top = msqs[j].used ? j - 1 : top;
		return result(rep, top);
	}
	int i = cmd != IPCC_MSG_STAT                             ? msq_find(id)
	        : id >= 0 && id < PM_MSGMNI && msqs[id + 1].used ? (int)id + 1
	                                                         : -EINVAL;
	if (i < 0)
		return result(rep, i);
	struct msq *q = &msqs[i];
	struct pm_msqid_ds d;
	switch (cmd) {
	case IPC_STAT:
	case IPCC_MSG_STAT:
		if (!ipc_may(p, &q->perm, 4))
			return result(rep, -EACCES);
		msq_stat(q, &d);
		memcpy(srv_out(s), &d, sizeof(d));
		rep->len = sizeof(d);
		return result(rep, cmd == IPCC_MSG_STAT ? IPC_ID(q->perm.seq, i) : 0);
	case IPC_SET:
		if (req->len < sizeof(d))
			return result(rep, -EINVAL);
		memcpy(&d, req->data, sizeof(d));
		if (!ipc_owner(p, &q->perm))
			return result(rep, -EPERM);
		if (d.qbytes > PM_MSGMNB && p->uid != 0)
			return result(rep, -EPERM);
		if (d.qbytes == 0 || d.qbytes > 16 * PM_MSGMNB)
			return result(rep, -EINVAL);
		q->perm.uid = d.uid, q->perm.gid = d.gid;
		q->perm.mode = (q->perm.mode & ~0777) | (d.mode & 0777);
		q->qbytes = d.qbytes, q->ctime = now_s();
		msq_pump(i);
		return result(rep, 0);
	case IPC_RMID:
		if (!ipc_owner(p, &q->perm))
			return result(rep, -EPERM);
		msq_free(i);
		return result(rep, 0);
	default:
		return result(rep, -EINVAL);
	}
}

/* --- semaphores ----------------------------------------------------------------- */

static int set_find(long id)
{
	int i = IPC_SLOT(id);
	if (id < 0 || i < 1 || i > PM_SEMMNI || !sets[i].used || IPC_ID(sets[i].perm.seq, i) != id)
		return -EINVAL;
	return i;
}

/* p's adjustments in set i: made if make (NULL: none, or no room). */
static struct undo *undo_of(int pid, int i, bool make)
{
	struct undo *free_one = NULL;
	for (int u = 0; u < NUNDO; u++) {
		if (undos[u].pid == pid && undos[u].set == i && undos[u].seq == sets[i].perm.seq)
			return &undos[u];
		if (!undos[u].pid && !free_one)
			free_one = &undos[u];
	}
	if (!make || !free_one)
		return NULL;
	*free_one = (struct undo){.pid = pid, .set = i, .seq = sets[i].perm.seq};
	return free_one;
}

static bool ops_undo(const struct pm_sembuf *ops, int nsops)
{
	for (int k = 0; k < nsops; k++)
		if (ops[k].flg & PM_SEM_UNDO)
			return true;
	return false;
}

/* One semop by pid on set i: as sem_apply, and -ENOSPC with no room for
 * its adjustments. */
static int set_try(int i, int pid, const struct pm_sembuf *ops, int nsops, int *blocked)
{
	struct semset *t = &sets[i];
	struct undo *u = ops_undo(ops, nsops) ? undo_of(pid, i, true) : NULL;
	if (ops_undo(ops, nsops) && !u)
		return -ENOSPC;
	int r = sem_apply(t->val, t->nsems, u ? u->adj : NULL, ops, nsops, blocked);
	if (r == 0) {
		for (int k = 0; k < nsops; k++)
			t->pid[ops[k].num] = pid;
		t->otime = now_s();
	}
	return r;
}

/* Lets set i's waiters go on while they can, the first in line first. */
static void set_pump(int i)
{
	bool moved = true;
	wait_prune();
	while (moved) {
		moved = false;
		for (int w = 0; w < nwait && !moved; w++) {
			struct waiter *x = &waits[w];
			if (x->obj != i || x->kind != W_SEM)
				continue;
			int r = set_try(i, x->pid, x->ops, x->nsops, &x->blocked);
			if (r == 1)
				continue;
			struct srv_rep rep = {.result = r, .handle = -1};
			srv_answer(&pm_server, x->c, &rep, NULL);
			wait_drop(w);
			moved = true; /* from the first again: the list moved */
		}
	}
}

static void set_free(int i)
{
	wait_fail_all(true, i, -EIDRM);
	for (int u = 0; u < NUNDO; u++)
		if (undos[u].pid && undos[u].set == i)
			undos[u].pid = 0;
	int seq = sets[i].perm.seq + 1;
	memset(&sets[i], 0, sizeof(sets[i]));
	sets[i].perm.seq = seq;
}

int ipc_do_semget(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct proc *p = sender(req);
	int key = (int)req->m[0], nsems = (int)req->m[1], flg = (int)req->m[2];
	if (!p)
		return result(rep, -ESRCH);
	if ((long)req->m[1] < 0 || req->m[1] > PM_SEMMSL)
		return result(rep, -EINVAL);
	int found = 0, mine = 0, slot = 0;
	for (int i = 1; i <= PM_SEMMNI; i++) {
		if (!sets[i].used) {
			slot = slot ? slot : i;
			continue;
		}
		mine += sets[i].perm.cuid == p->uid;
		if (key != IPC_PRIVATE && sets[i].perm.key == key)
			found = i;
	}
	int e = ipc_lookup(p, key, flg, found ? &sets[found].perm : NULL);
	if (e == 0 && nsems > sets[found].nsems)
		return result(rep, -EINVAL);
	if (e <= 0)
		return result(rep, e ? e : IPC_ID(sets[found].perm.seq, found));
	if (nsems < 1)
		return result(rep, -EINVAL);
	if (!slot || !ipc_under_limit(p, mine, PM_IPC_PER_UID))
		return result(rep, -ENOSPC);
	struct semset *t = &sets[slot];
	t->used = true, t->nsems = nsems;
	t->perm = (struct ipc_perm_rec){.key = key,
	                                .seq = t->perm.seq,
	                                .mode = flg & 0777,
	                                .uid = p->uid,
	                                .gid = p->gid,
	                                .cuid = p->uid,
	                                .cgid = p->gid};
	t->ctime = now_s();
	return result(rep, IPC_ID(t->perm.seq, slot));
}

int ipc_do_semop(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct proc *p = sender(req);
	int i = p ? set_find((long)req->m[0]) : -ESRCH;
	size_t nsops = req->m[1];
	if (i < 0)
		return result(rep, i);
	if (nsops < 1 || nsops > PM_SEMOPM || req->len < nsops * sizeof(struct pm_sembuf))
		return result(rep, nsops > PM_SEMOPM ? -E2BIG : -EINVAL);
	struct pm_sembuf ops[PM_SEMOPM];
	memcpy(ops, req->data, nsops * sizeof(ops[0]));
	bool alter = false;
	for (size_t k = 0; k < nsops; k++)
		alter |= ops[k].op != 0;
	if (!ipc_may(p, &sets[i].perm, alter ? 2 : 4))
		return result(rep, -EACCES);
	int blocked = 0;
	int r = set_try(i, p->pid, ops, (int)nsops, &blocked);
	if (r == 0)
		set_pump(i);
	if (r != 1)
		return result(rep, r);
	if ((r = wait_add(req, p, W_SEM, i)))
		return result(rep, r);
	struct waiter *w = &waits[nwait - 1];
	w->nsops = (int)nsops, w->blocked = blocked;
	memcpy(w->ops, ops, nsops * sizeof(ops[0]));
	return SRV_DEFER;
}

/* GETNCNT (zero false) or GETZCNT: how many wait on semaphore num. */
static int set_count(int i, int num, bool zero)
{
	int n = 0;
	wait_prune();
	for (int w = 0; w < nwait; w++) {
		const struct waiter *x = &waits[w];
		const struct pm_sembuf *o = &x->ops[x->blocked];
		n += x->kind == W_SEM && x->obj == i && o->num == num && (o->op == 0) == zero;
	}
	return n;
}

/* SETVAL, SETALL: adjustments of the semaphores set are forgotten. */
static void set_values(int i, int num, int n, const uint16_t *v, int pid)
{
	struct semset *t = &sets[i];
	for (int k = num; k < num + n; k++) {
		t->val[k] = v[k - num], t->pid[k] = pid;
		for (int u = 0; u < NUNDO; u++)
			if (undos[u].pid && undos[u].set == i)
				undos[u].adj[k] = 0;
	}
	t->ctime = now_s();
	set_pump(i);
}

static int set_stat(struct server *s, int i, struct srv_rep *rep)
{
	const struct semset *t = &sets[i];
	struct pm_semid_ds d = {.key = t->perm.key,
	                        .uid = t->perm.uid,
	                        .gid = t->perm.gid,
	                        .cuid = t->perm.cuid,
	                        .cgid = t->perm.cgid,
	                        .mode = t->perm.mode,
	                        .nsems = (uint64_t)t->nsems,
	                        .otime = t->otime,
	                        .ctime = t->ctime};
	memcpy(srv_out(s), &d, sizeof(d));
	rep->len = sizeof(d);
	return 0;
}

int ipc_do_semctl(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	struct proc *p = sender(req);
	long id = (long)req->m[0];
	int num = (int)req->m[1], cmd = (int)req->m[2];
	if (!p)
		return result(rep, -ESRCH);
	if (cmd == IPCC_SEM_INFO) {
		int top = 0;
		for (int j = 1; j <= PM_SEMMNI; j++)
			top = sets[j].used ? j - 1 : top;
		return result(rep, top);
	}
	int i = cmd != IPCC_SEM_STAT                             ? set_find(id)
	        : id >= 0 && id < PM_SEMMNI && sets[id + 1].used ? (int)id + 1
	                                                         : -EINVAL;
	if (i < 0)
		return result(rep, i);
	struct semset *t = &sets[i];
	bool one = cmd == IPCC_GETVAL || cmd == IPCC_GETPID || cmd == IPCC_GETNCNT ||
	           cmd == IPCC_GETZCNT || cmd == IPCC_SETVAL;
	if (one && (num < 0 || num >= t->nsems))
		return result(rep, -EINVAL);
	bool reads = one ? cmd != IPCC_SETVAL
	                 : cmd == IPC_STAT || cmd == IPCC_SEM_STAT || cmd == IPCC_GETALL;
	bool writes = cmd == IPCC_SETVAL || cmd == IPCC_SETALL;
	if ((reads || writes) && !ipc_may(p, &t->perm, writes ? 2 : 4))
		return result(rep, -EACCES);
	switch (cmd) {
	case IPCC_GETVAL:
		return result(rep, t->val[num]);
	case IPCC_GETPID:
		return result(rep, t->pid[num]);
	case IPCC_GETNCNT:
	case IPCC_GETZCNT:
		return result(rep, set_count(i, num, cmd == IPCC_GETZCNT));
	case IPCC_GETALL:
		memcpy(srv_out(s), t->val, (size_t)t->nsems * sizeof(t->val[0]));
		rep->len = (size_t)t->nsems * sizeof(t->val[0]);
		return result(rep, 0);
	case IPCC_SETVAL: {
		long v = (long)req->m[3];
		if (v < 0 || v > PM_SEMVMX)
			return result(rep, -ERANGE);
		uint16_t u16 = (uint16_t)v;
		set_values(i, num, 1, &u16, p->pid);
		return result(rep, 0);
	}
	case IPCC_SETALL: {
		uint16_t v[PM_SEMMSL];
		if (req->len < (size_t)t->nsems * sizeof(v[0]))
			return result(rep, -EINVAL);
		memcpy(v, req->data, (size_t)t->nsems * sizeof(v[0]));
		for (int k = 0; k < t->nsems; k++)
			if (v[k] > PM_SEMVMX)
				return result(rep, -ERANGE);
		set_values(i, 0, t->nsems, v, p->pid);
		return result(rep, 0);
	}
	case IPC_STAT:
	case IPCC_SEM_STAT:
		set_stat(s, i, rep);
		return result(rep, cmd == IPCC_SEM_STAT ? IPC_ID(t->perm.seq, i) : 0);
	case IPC_SET: {
		struct pm_semid_ds d;
		if (req->len < sizeof(d))
			return result(rep, -EINVAL);
		memcpy(&d, req->data, sizeof(d));
		if (!ipc_owner(p, &t->perm))
			return result(rep, -EPERM);
		t->perm.uid = d.uid, t->perm.gid = d.gid;
		t->perm.mode = (t->perm.mode & ~0777) | (d.mode & 0777);
		t->ctime = now_s();
		return result(rep, 0);
	}
	case IPC_RMID:
		if (!ipc_owner(p, &t->perm))
			return result(rep, -EPERM);
		set_free(i);
		return result(rep, 0);
	default:
		return result(rep, -EINVAL);
	}
}

void ipc_exit(struct proc *p)
{
	for (int w = 0; w < nwait;)
		if (waits[w].pid == p->pid)
			wait_drop(w);
		else
			w++;
	for (int u = 0; u < NUNDO; u++) {
		struct undo *x = &undos[u];
		if (x->pid != p->pid)
			continue;
		x->pid = 0;
		if (!sets[x->set].used || sets[x->set].perm.seq != x->seq)
			continue;
		sem_undo(sets[x->set].val, sets[x->set].nsems, x->adj);
		sets[x->set].otime = now_s();
		set_pump(x->set);
	}
}
