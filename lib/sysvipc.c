/* System V message queues and semaphores: requests to pm, which keeps
 * them (servers/pm/sysvipc.c). A message's text travels in a window of
 * the caller's buffer; msgsnd, msgrcv and semop may wait in pm and are
 * interruptible (EINTR after a handler without SA_RESTART). */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/msg.h>
#include <sys/sem.h>

#include "mica/posix.h"
#include "mica/proto/pm.h"
#include "mica/runtime.h"
#include "mica/syscall.h"

_Static_assert(sizeof(struct sembuf) == sizeof(struct pm_sembuf), "struct sembuf's layout");

/* A request to pm with len payload bytes in the IPC buffer, lending win
 * (0: none); intr: one a signal may interrupt. The result, *out the reply. */
static long pm_ipc(unsigned op, const unsigned long m[4], size_t len, unsigned long win, bool intr,
                   struct ipc_msg *out)
{
	struct ipc_msg m2 = {.tag = MAKE_TAG(op, len), .m = {m[0], m[1], m[2], m[3]}};
	long r = intr ? mica_call_intr(SLOT_PM, &m2, win) : mica_call_window(SLOT_PM, &m2, win);
	if (out)
		*out = m2;
	return r < 0 ? r : PROTO_RESULT(m2.tag);
}

/* pm copies a message's text through the window while the caller waits:
 * pages of it the pager swapped out are brought back first. */
static void touch(const void *buf, size_t n)
{
	for (size_t off = 0; off < n; off += 4096)
		(void)*(volatile const char *)((const char *)buf + off);
	if (n)
		(void)*(volatile const char *)((const char *)buf + n - 1);
}

int msgget(key_t key, int msgflg)
{
	unsigned long m[4] = {(unsigned long)(long)key, (unsigned long)msgflg};
	return (int)mica_fail(pm_ipc(PM_MSGGET, m, 0, 0, false, NULL));
}

int msgsnd(int msqid, const void *msgp, size_t msgsz, int msgflg)
{
	const char *text = (const char *)msgp + sizeof(long);
	if (msgsz > WIN_MAX)
		return errno = EINVAL, -1;
	touch(text, msgsz);
	unsigned long m[4] = {(unsigned long)msqid, msgsz, (unsigned long)msgflg,
	                      (unsigned long)*(const long *)msgp};
	return (int)mica_fail(pm_ipc(PM_MSGSND, m, 0, MAKE_WIN(text, msgsz, 0), true, NULL));
}

ssize_t msgrcv(int msqid, void *msgp, size_t msgsz, long msgtyp, int msgflg)
{
	char *text = (char *)msgp + sizeof(long);
	struct ipc_msg rep;
	if (msgsz > WIN_MAX)
		msgsz = WIN_MAX; /* no message is longer than MSGMAX anyway */
	touch(text, msgsz);
	unsigned long m[4] = {(unsigned long)msqid, msgsz, (unsigned long)msgflg,
	                      (unsigned long)msgtyp};
	long r = pm_ipc(PM_MSGRCV, m, 0, MAKE_WIN(text, msgsz, 1), true, &rep);
	if (r >= 0)
		*(long *)msgp = (long)rep.m[0];
	return (ssize_t)mica_fail(r);
}

int msgctl(int msqid, int cmd, struct msqid_ds *buf)
{
	struct pm_msqid_ds *d = mica_ipcbuf();
	size_t len = 0;
	if (!d)
		return errno = ENOMEM, -1;
	if (cmd == IPC_SET) {
		if (!buf)
			return errno = EFAULT, -1;
		memset(d, 0, sizeof(*d));
		d->uid = (int32_t)buf->msg_perm.uid, d->gid = (int32_t)buf->msg_perm.gid;
		d->mode = (int32_t)buf->msg_perm.mode, d->qbytes = buf->msg_qbytes;
		len = sizeof(*d);
	}
	unsigned long m[4] = {(unsigned long)msqid, (unsigned long)cmd};
	long r = pm_ipc(PM_MSGCTL, m, len, 0, false, NULL);
	if (r >= 0 && (cmd == IPC_STAT || cmd == MSG_STAT)) {
		if (!buf)
			return errno = EFAULT, -1;
		memset(buf, 0, sizeof(*buf));
		buf->msg_perm.__key = d->key;
		buf->msg_perm.uid = (uid_t)d->uid, buf->msg_perm.gid = (gid_t)d->gid;
		buf->msg_perm.cuid = (uid_t)d->cuid, buf->msg_perm.cgid = (gid_t)d->cgid;
		buf->msg_perm.mode = (mode_t)d->mode;
		buf->msg_stime = (time_t)d->stime, buf->msg_rtime = (time_t)d->rtime;
		buf->msg_ctime = (time_t)d->ctime;
		buf->__msg_cbytes = d->cbytes, buf->msg_qnum = d->qnum, buf->msg_qbytes = d->qbytes;
		buf->msg_lspid = d->lspid, buf->msg_lrpid = d->lrpid;
	}
	return (int)mica_fail(r);
}

int semget(key_t key, int nsems, int semflg)
{
	unsigned long m[4] = {(unsigned long)(long)key, (unsigned long)(long)nsems,
	                      (unsigned long)semflg};
	return (int)mica_fail(pm_ipc(PM_SEMGET, m, 0, 0, false, NULL));
}

int semop(int semid, struct sembuf *sops, size_t nsops)
{
	void *buf = mica_ipcbuf();
	if (!buf)
		return errno = ENOMEM, -1;
	if (nsops > PM_SEMOPM)
		return errno = E2BIG, -1;
	memcpy(buf, sops, nsops * sizeof(*sops));
	unsigned long m[4] = {(unsigned long)semid, nsops};
	return (int)mica_fail(pm_ipc(PM_SEMOP, m, nsops * sizeof(*sops), 0, true, NULL));
}

/* The caller's union semun, as Linux has it. */
union semun_ {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
};

int semctl(int semid, int semnum, int cmd, ...)
{
	union semun_ arg = {0};
	if (cmd == SETVAL || cmd == SETALL || cmd == GETALL || cmd == IPC_STAT || cmd == IPC_SET ||
	    cmd == SEM_STAT) {
		va_list ap;
		va_start(ap, cmd);
		arg = va_arg(ap, union semun_);
		va_end(ap);
	}
	void *b = mica_ipcbuf();
	struct pm_semid_ds *d = b;
	size_t len = 0;
	if (!b)
		return errno = ENOMEM, -1;
	if ((cmd == SETALL || cmd == GETALL || cmd == IPC_STAT || cmd == IPC_SET ||
	     cmd == SEM_STAT) &&
	    !arg.buf)
		return errno = EFAULT, -1;
	if (cmd == SETALL) { /* as many as the set has: IPC_STAT says */
		struct semid_ds ds;
		if (semctl(semid, 0, IPC_STAT, &ds) < 0)
			return -1;
		len = ds.sem_nsems * sizeof(uint16_t);
		memcpy(b, arg.array, len);
	} else if (cmd == IPC_SET) {
		memset(d, 0, sizeof(*d));
		d->uid = (int32_t)arg.buf->sem_perm.uid, d->gid = (int32_t)arg.buf->sem_perm.gid;
		d->mode = (int32_t)arg.buf->sem_perm.mode;
		len = sizeof(*d);
	}
	unsigned long m[4] = {(unsigned long)semid, (unsigned long)semnum, (unsigned long)cmd,
	                      (unsigned long)(long)arg.val};
	struct ipc_msg rep;
	long r = pm_ipc(PM_SEMCTL, m, len, 0, false, &rep);
	if (r >= 0 && cmd == GETALL)
		memcpy(arg.array, b, TAG_LEN(rep.tag));
	if (r >= 0 && (cmd == IPC_STAT || cmd == SEM_STAT)) {
		struct semid_ds *o = arg.buf;
		memset(o, 0, sizeof(*o));
		o->sem_perm.__key = d->key;
		o->sem_perm.uid = (uid_t)d->uid, o->sem_perm.gid = (gid_t)d->gid;
		o->sem_perm.cuid = (uid_t)d->cuid, o->sem_perm.cgid = (gid_t)d->cgid;
		o->sem_perm.mode = (mode_t)d->mode;
		o->sem_otime = (time_t)d->otime, o->sem_ctime = (time_t)d->ctime;
		o->sem_nsems = d->nsems;
	}
	return (int)mica_fail(r);
}
