/* <sys/msg.h> for Mica (picolibc has none), with Linux's values:
 * System V message queues kept by pm (servers/pm/sysvipc.c). */
#ifndef MICA_SYS_MSG_H
#define MICA_SYS_MSG_H

#include <sys/ipc.h>
#include <sys/types.h>
#include <time.h>

#define MSG_NOERROR 010000
#define MSG_EXCEPT  020000
/* msgctl's Linux commands: MSG_STAT takes an index (0..) and returns the
 * queue's id; MSG_INFO returns the highest index in use. */
#define MSG_STAT 11
#define MSG_INFO 12
#define MSGMAX   8192
#define MSGMNB   16384

typedef unsigned long msgqnum_t;
typedef unsigned long msglen_t;

struct msqid_ds {
	struct ipc_perm msg_perm;
	time_t msg_stime, msg_rtime, msg_ctime;
	unsigned long __msg_cbytes;
	msgqnum_t msg_qnum;
	msglen_t msg_qbytes;
	pid_t msg_lspid, msg_lrpid;
};

int msgget(key_t key, int msgflg);
int msgsnd(int msqid, const void *msgp, size_t msgsz, int msgflg);
ssize_t msgrcv(int msqid, void *msgp, size_t msgsz, long msgtyp, int msgflg);
int msgctl(int msqid, int cmd, struct msqid_ds *buf);

#endif
