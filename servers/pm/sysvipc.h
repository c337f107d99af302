/* System V message queues and semaphores (sysvipc.c): the handlers, the
 * exit hook, and the pure parts the host unit tests reach (which message
 * msgrcv takes; semop's all-or-nothing step and its undo bookkeeping). */
#ifndef PM_SYSVIPC_H
#define PM_SYSVIPC_H

#include <stddef.h>
#include <stdint.h>

#include "mica/proto/pm.h"
#include "mica/server.h"

struct proc;

/* Linux's flag and command values (as <sys/msg.h>, <sys/sem.h> say). */
#define PM_MSG_NOERROR 010000
#define PM_MSG_EXCEPT  020000
#define IPCC_MSG_STAT  11
#define IPCC_MSG_INFO  12
#define PM_SEM_UNDO    0x1000
#define IPCC_GETPID    11
#define IPCC_GETVAL    12
#define IPCC_GETALL    13
#define IPCC_GETNCNT   14
#define IPCC_GETZCNT   15
#define IPCC_SETVAL    16
#define IPCC_SETALL    17
#define IPCC_SEM_STAT  18
#define IPCC_SEM_INFO  19

/* A queued message (malloc'd with its text). */
struct qmsg {
	struct qmsg *next;
	long type;
	size_t len;
	char text[];
};

/* The link (in the list at *head) to the message msgrcv's msgtyp and
 * msgflg (MSG_EXCEPT) select, or NULL: 0 the first, > 0 the first of
 * that type (MSG_EXCEPT: of any other), < 0 the first of the lowest
 * type not above -msgtyp. */
struct qmsg **msg_select(struct qmsg **head, long msgtyp, int msgflg);

/* semop's step: applies all nsops ops to val[nsems] (and, with
 * SEM_UNDO, their opposites to adj[nsems]) or none. 0 done; 1 it would
 * wait (*blocked: the index of the op that waits); -EAGAIN that op has
 * IPC_NOWAIT; -EFBIG a number past nsems; -ERANGE a value or adjustment
 * past SEMVMX. */
int sem_apply(uint16_t *val, int nsems, int16_t *adj, const struct pm_sembuf *ops, int nsops,
              int *blocked);
/* A dead process's adjustments: each value moves by adj (kept within
 * 0..SEMVMX), and adj is cleared. */
void sem_undo(uint16_t *val, int nsems, int16_t *adj);

int ipc_do_msgget(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int ipc_do_msgsnd(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int ipc_do_msgrcv(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int ipc_do_msgctl(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int ipc_do_semget(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int ipc_do_semop(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int ipc_do_semctl(struct server *s, const struct srv_req *req, struct srv_rep *rep);
/* p is dying: its SEM_UNDO adjustments are undone, its waits dropped. */
void ipc_exit(struct proc *p);

#endif
