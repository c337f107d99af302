/* t_ipc: in-guest checks of System V message queues and semaphores
 * between processes: type selection, IPC_NOWAIT, MSG_NOERROR and E2BIG,
 * a full queue blocking its sender, EIDRM and EINTR for a blocked
 * reader; semaphores as a mutex, atomic multi-op semop, GETNCNT and
 * GETZCNT, SEM_UNDO after SIGKILL, IPC_STAT/IPC_SET, EACCES for another
 * user, ERANGE past SEMVMX. Prints "t_ipc: NAME ok" or "FAILED: why",
 * then the totals.
 * "t_ipc mkmsg KEY" and "t_ipc mksem KEY NSEMS" instead make a queue or a
 * set (mode 600) and print its id, for ipcs and ipcrm to find. */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/check.h"

struct msg {
	long type;
	char text[8192];
};

static int wait_status(pid_t pid)
{
	int st;
	return pid > 0 && waitpid(pid, &st, 0) == pid ? st : -1;
}

static void nap(int ms)
{
	usleep((useconds_t)ms * 1000);
}

static int send_text(int q, long type, const char *s, int flg)
{
	struct msg m = {.type = type};
	strcpy(m.text, s);
	return msgsnd(q, &m, strlen(s) + 1, flg);
}

/* A child sends three typed messages; the parent picks them by type. */
static int t_types(void)
{
	int q = msgget(IPC_PRIVATE, 0600);
	CHECK(q >= 0, "msgget: %s", strerror(errno));
	pid_t pid = fork();
	if (pid == 0) {
		int e = send_text(q, 3, "three", 0) | send_text(q, 1, "one", 0) |
		        send_text(q, 2, "two", 0) | send_text(q, 5, "five", 0);
		_exit(e ? 1 : 0);
	}
	CHECK(wait_status(pid) == 0, "the sender failed");
	struct msg m;
	CHECK(msgrcv(q, &m, sizeof(m.text), 2, 0) == 4 && m.type == 2 && !strcmp(m.text, "two"),
	      "type 2: %ld %.20s", m.type, m.text);
	CHECK(msgrcv(q, &m, sizeof(m.text), -4, 0) == 4 && m.type == 1, "type -4 takes 1: %ld",
	      m.type);
	CHECK(msgrcv(q, &m, sizeof(m.text), 3, MSG_EXCEPT) == 5 && m.type == 5, "MSG_EXCEPT: %ld",
	      m.type);
	CHECK(msgrcv(q, &m, sizeof(m.text), 0, 0) == 6 && m.type == 3, "type 0: %ld", m.type);
	CHECK(msgrcv(q, &m, sizeof(m.text), 0, IPC_NOWAIT) < 0 && errno == ENOMSG,
	      "empty with IPC_NOWAIT: %s", strerror(errno));
	struct msqid_ds ds;
	CHECK(msgctl(q, IPC_STAT, &ds) == 0 && ds.msg_qnum == 0 && ds.msg_lspid == pid &&
	          ds.msg_lrpid == getpid() && ds.msg_qbytes == MSGMNB,
	      "IPC_STAT: qnum %lu lspid %d qbytes %lu", ds.msg_qnum, ds.msg_lspid, ds.msg_qbytes);
	CHECK(msgctl(q, IPC_RMID, NULL) == 0, "IPC_RMID");
	CHECK(msgsnd(q, &m, 1, 0) < 0 && errno == EINVAL, "a removed queue: %s", strerror(errno));
	return 0;
}

/* MSG_NOERROR truncates; without it E2BIG leaves the message queued. A
 * message of MSGMAX bytes travels whole; one byte more is EINVAL. */
static int t_sizes(void)
{
	static struct msg m, r;
	int q = msgget(IPC_PRIVATE, 0600);
	CHECK(q >= 0, "msgget");
	CHECK(send_text(q, 1, "abcdefgh", 0) == 0, "msgsnd");
	CHECK(msgrcv(q, &r, 4, 0, 0) < 0 && errno == E2BIG, "E2BIG: %s", strerror(errno));
	CHECK(msgrcv(q, &r, 4, 0, MSG_NOERROR) == 4 && !memcmp(r.text, "abcd", 4), "MSG_NOERROR");
	m.type = 7;
	for (int i = 0; i < MSGMAX; i++)
		m.text[i] = (char)(i * 13);
	CHECK(msgsnd(q, &m, MSGMAX, 0) == 0, "MSGMAX bytes: %s", strerror(errno));
	CHECK(msgsnd(q, &m, MSGMAX + 1, 0) < 0 && errno == EINVAL, "MSGMAX + 1");
	CHECK(msgrcv(q, &r, sizeof(r.text), 7, 0) == MSGMAX && !memcmp(r.text, m.text, MSGMAX),
	      "MSGMAX bytes back");
	CHECK(msgsnd(q, &m, 1, 0) == 0 && m.type == 7, "msgsnd");
	m.type = 0;
	CHECK(msgsnd(q, &m, 1, 0) < 0 && errno == EINVAL, "mtype 0");
	msgctl(q, IPC_RMID, NULL);
	return 0;
}

/* A full queue: IPC_NOWAIT says EAGAIN; a blocked sender goes on once a
 * reader drains it. */
static int t_full(void)
{
	static struct msg m;
	int q = msgget(IPC_PRIVATE, 0600);
	CHECK(q >= 0, "msgget");
	m.type = 1;
	CHECK(msgsnd(q, &m, MSGMAX, 0) == 0 && msgsnd(q, &m, MSGMAX, 0) == 0, "fill");
	CHECK(msgsnd(q, &m, 1, IPC_NOWAIT) < 0 && errno == EAGAIN, "full: %s", strerror(errno));
	pid_t pid = fork();
	if (pid == 0)
		_exit(send_text(q, 2, "late", 0) ? 1 : 0);
	nap(200);
	struct msqid_ds ds;
	CHECK(msgctl(q, IPC_STAT, &ds) == 0 && ds.msg_qnum == 2, "the sender waits: %lu",
	      ds.msg_qnum);
	CHECK(msgrcv(q, &m, sizeof(m.text), 1, 0) == MSGMAX, "drain");
	CHECK(wait_status(pid) == 0, "the sender went on");
	CHECK(msgrcv(q, &m, sizeof(m.text), 2, IPC_NOWAIT) == 5 && !strcmp(m.text, "late"),
	      "its message");
	msgctl(q, IPC_RMID, NULL);
	return 0;
}

static void on_usr1(int sig)
{
	(void)sig;
}

/* A blocked reader: EIDRM when its queue goes; EINTR when a handler
 * (without SA_RESTART) runs. */
static int t_block(void)
{
	int q = msgget(IPC_PRIVATE, 0600);
	CHECK(q >= 0, "msgget");
	pid_t pid = fork();
	if (pid == 0) {
		struct msg m;
		_exit(msgrcv(q, &m, sizeof(m.text), 0, 0) < 0 && errno == EIDRM ? 0 : 1);
	}
	nap(200);
	CHECK(msgctl(q, IPC_RMID, NULL) == 0, "IPC_RMID");
	CHECK(wait_status(pid) == 0, "the reader did not see EIDRM");
	q = msgget(IPC_PRIVATE, 0600);
	pid = fork();
	if (pid == 0) {
		struct sigaction sa = {.sa_handler = on_usr1};
		sigaction(SIGUSR1, &sa, NULL);
		struct msg m;
		int r = (int)msgrcv(q, &m, sizeof(m.text), 0, 0);
		if (r >= 0 || errno != EINTR)
			_exit(1);
		/* and the queue has no ghost reader: a message sent now stays */
		_exit(msgrcv(q, &m, sizeof(m.text), 0, 0) == 3 ? 0 : 2);
	}
	nap(200);
	kill(pid, SIGUSR1);
	nap(200);
	CHECK(send_text(q, 1, "hi", 0) == 0, "msgsnd");
	CHECK(wait_status(pid) == 0, "EINTR, then the next message");
	msgctl(q, IPC_RMID, NULL);
	return 0;
}

static int sem_set(int s, int num, int op, int flg)
{
	struct sembuf b = {(unsigned short)num, (short)op, (short)flg};
	return semop(s, &b, 1);
}

/* A mutex: four children each add 1 to a shared counter in a queue-free
 * file 50 times under the semaphore; no update is lost. */
static int t_mutex(void)
{
	int s = semget(IPC_PRIVATE, 1, 0600);
	CHECK(s >= 0, "semget: %s", strerror(errno));
	CHECK(semctl(s, 0, SETVAL, 1) == 0 && semctl(s, 0, GETVAL) == 1, "SETVAL");
	int q = msgget(IPC_PRIVATE, 0600); /* the counter: one message */
	struct msg m = {.type = 1};
	int zero = 0;
	memcpy(m.text, &zero, sizeof(zero));
	CHECK(msgsnd(q, &m, sizeof(int), 0) == 0, "counter");
	pid_t kids[4];
	for (int k = 0; k < 4; k++)
		if ((kids[k] = fork()) == 0) {
			for (int i = 0; i < 50; i++) {
				if (sem_set(s, 0, -1, SEM_UNDO))
					_exit(1);
				if (semctl(s, 0, GETVAL) != 0)
					_exit(2); /* two inside */
				struct msg c;
				int v;
				if (msgrcv(q, &c, sizeof(int), 1, IPC_NOWAIT) != sizeof(int))
					_exit(3);
				memcpy(&v, c.text, sizeof(v));
				v++;
				if (i % 7 == 0)
					sched_yield();
				memcpy(c.text, &v, sizeof(v));
				if (msgsnd(q, &c, sizeof(int), 0) || sem_set(s, 0, 1, SEM_UNDO))
					_exit(4);
			}
			_exit(0);
		}
	for (int k = 0; k < 4; k++)
		CHECK(wait_status(kids[k]) == 0, "child %d failed", k);
	int v;
	CHECK(msgrcv(q, &m, sizeof(int), 1, 0) == sizeof(int), "counter back");
	memcpy(&v, m.text, sizeof(v));
	CHECK(v == 200, "counter %d, not 200", v);
	CHECK(semctl(s, 0, GETVAL) == 1, "the mutex is free again");
	semctl(s, 0, IPC_RMID);
	msgctl(q, IPC_RMID, NULL);
	return 0;
}

/* Several operations at once, all or none; GETNCNT, GETZCNT, GETALL,
 * SETALL, GETPID, ERANGE. */
static int t_atomic(void)
{
	int s = semget(0x5e11, 3, IPC_CREAT | IPC_EXCL | 0600);
	CHECK(s >= 0, "semget: %s", strerror(errno));
	CHECK(semget(0x5e11, 3, IPC_CREAT | IPC_EXCL | 0600) < 0 && errno == EEXIST, "EEXIST");
	CHECK(semget(0x5e11, 2, 0) == s, "the key finds it");
	CHECK(semget(0x5e11, 4, 0) < 0 && errno == EINVAL, "more semaphores than it has");
	unsigned short v[3] = {1, 0, 5};
	CHECK(semctl(s, 0, SETALL, v) == 0, "SETALL: %s", strerror(errno));
	struct sembuf two[2] = {{0, -1, IPC_NOWAIT}, {1, -1, IPC_NOWAIT}};
	CHECK(semop(s, two, 2) < 0 && errno == EAGAIN, "the second waits: %s", strerror(errno));
	CHECK(semctl(s, 0, GETVAL) == 1, "the first was not applied alone");
	pid_t pid = fork();
	if (pid == 0) {
		struct sembuf w[2] = {{0, -1, 0}, {1, -1, 0}};
		_exit(semop(s, w, 2) ? 1 : 0);
	}
	pid_t zpid = fork();
	if (zpid == 0) {
		struct sembuf z = {2, 0, 0};
		_exit(semop(s, &z, 1) ? 1 : 0);
	}
	nap(300);
	CHECK(semctl(s, 1, GETNCNT) == 1, "GETNCNT %d", semctl(s, 1, GETNCNT));
	CHECK(semctl(s, 2, GETZCNT) == 1, "GETZCNT %d", semctl(s, 2, GETZCNT));
	CHECK(semctl(s, 0, GETVAL) == 1, "the waiter took nothing yet");
	CHECK(sem_set(s, 1, 1, 0) == 0, "post");
	CHECK(wait_status(pid) == 0, "the two-op waiter went on");
	CHECK(semctl(s, 0, GETPID) == pid, "GETPID %d", semctl(s, 0, GETPID));
	CHECK(sem_set(s, 2, -5, 0) == 0, "to zero");
	CHECK(wait_status(zpid) == 0, "the zero waiter went on");
	unsigned short got[3];
	CHECK(semctl(s, 0, GETALL, got) == 0 && got[0] == 0 && got[1] == 0 && got[2] == 0,
	      "GETALL %u %u %u", got[0], got[1], got[2]);
	CHECK(semctl(s, 0, SETVAL, SEMVMX) == 0, "SETVAL SEMVMX");
	CHECK(sem_set(s, 0, 1, 0) < 0 && errno == ERANGE, "past SEMVMX: %s", strerror(errno));
	CHECK(semctl(s, 0, SETVAL, SEMVMX + 1) < 0 && errno == ERANGE, "SETVAL past SEMVMX");
	CHECK(sem_set(s, 3, 1, 0) < 0 && errno == EFBIG, "a number past the set");
	CHECK(semctl(s, 0, IPC_RMID) == 0, "IPC_RMID");
	return 0;
}

/* SEM_UNDO: a process killed holding the semaphore gives it back. */
static int t_undo(void)
{
	int s = semget(IPC_PRIVATE, 1, 0600);
	CHECK(s >= 0, "semget");
	CHECK(semctl(s, 0, SETVAL, 2) == 0, "SETVAL");
	int p[2];
	CHECK(pipe(p) == 0, "pipe");
	pid_t pid = fork();
	if (pid == 0) {
		if (sem_set(s, 0, -2, SEM_UNDO) == 0)
			write(p[1], "x", 1);
		for (;;)
			pause();
	}
	char c;
	CHECK(read(p[0], &c, 1) == 1, "the child took it");
	CHECK(semctl(s, 0, GETVAL) == 0, "taken: %d", semctl(s, 0, GETVAL));
	pid_t waiter = fork();
	if (waiter == 0)
		_exit(sem_set(s, 0, -1, 0) ? 1 : 0);
	nap(100);
	kill(pid, SIGKILL);
	CHECK(wait_status(pid) == SIGKILL, "killed");
	CHECK(wait_status(waiter) == 0, "the waiter got it after the undo");
	CHECK(semctl(s, 0, GETVAL) == 1, "undone: %d", semctl(s, 0, GETVAL));
	close(p[0]), close(p[1]);
	semctl(s, 0, IPC_RMID);
	return 0;
}

/* IPC_STAT and IPC_SET; another user (setuid 1000) is refused. */
static int t_perms(void)
{
	int s = semget(0x5e12, 2, IPC_CREAT | 0640);
	int q = msgget(0x3e12, IPC_CREAT | 0600);
	CHECK(s >= 0 && q >= 0, "get");
	struct semid_ds sd;
	CHECK(semctl(s, 0, IPC_STAT, &sd) == 0 && sd.sem_nsems == 2 &&
	          (sd.sem_perm.mode & 0777) == 0640 && sd.sem_perm.__key == 0x5e12 &&
	          sd.sem_perm.uid == getuid(),
	      "IPC_STAT: nsems %lu mode %o", sd.sem_nsems, (unsigned)sd.sem_perm.mode);
	sd.sem_perm.mode = 0644; /* the child keeps gid 0 */
	CHECK(semctl(s, 0, IPC_SET, &sd) == 0, "IPC_SET");
	CHECK(semctl(s, 0, IPC_STAT, &sd) == 0 && (sd.sem_perm.mode & 0777) == 0644, "mode now %o",
	      (unsigned)sd.sem_perm.mode);
	struct msqid_ds md;
	CHECK(msgctl(q, IPC_STAT, &md) == 0, "msg IPC_STAT");
	md.msg_qbytes = 100;
	CHECK(msgctl(q, IPC_SET, &md) == 0, "msg IPC_SET");
	CHECK(msgctl(q, IPC_STAT, &md) == 0 && md.msg_qbytes == 100, "qbytes %lu", md.msg_qbytes);
	static struct msg m = {.type = 1};
	CHECK(msgsnd(q, &m, 101, IPC_NOWAIT) < 0 && errno == EAGAIN, "past qbytes");
	pid_t pid = fork();
	if (pid == 0) {
		if (setuid(1000))
			_exit(9);
		if (msgget(0x3e12, 0200) >= 0 || errno != EACCES)
			_exit(1);
		if (msgsnd(q, &m, 1, 0) == 0 || errno != EACCES)
			_exit(2);
		if (semctl(s, 0, GETVAL) != 0) /* group and other may read */
			_exit(3);
		if (sem_set(s, 0, 1, 0) == 0 || errno != EACCES)
			_exit(4);
		if (semctl(s, 0, IPC_RMID) == 0 || errno != EPERM)
			_exit(5);
		_exit(0);
	}
	int st = wait_status(pid);
	CHECK(st == 0, "as uid 1000: exit %d", st >> 8);
	semctl(s, 0, IPC_RMID);
	msgctl(q, IPC_RMID, NULL);
	CHECK(semget(0x5e12, 1, 0) < 0 && errno == ENOENT, "removed: ENOENT");
	return 0;
}

static void run(const char *name, int (*fn)(void))
{
	why[0] = '\0';
	if (fn() == 0) {
		printf("t_ipc: %s ok\n", name);
		passed++;
	} else {
		printf("t_ipc: %s FAILED: %s (errno %s)\n", name, why, strerror(errno));
		failed++;
	}
	fflush(stdout);
}

int main(int argc, char **argv)
{
	if (argc > 2 && !strcmp(argv[1], "mkmsg")) {
		int q = msgget((key_t)strtol(argv[2], NULL, 0), IPC_CREAT | 0600);
		return q < 0 ? (perror("msgget"), 1) : (printf("%d\n", q), 0);
	}
	if (argc > 3 && !strcmp(argv[1], "mksem")) {
		int s = semget((key_t)strtol(argv[2], NULL, 0), atoi(argv[3]), IPC_CREAT | 0600);
		return s < 0 ? (perror("semget"), 1) : (printf("%d\n", s), 0);
	}
	run("types", t_types);
	run("sizes", t_sizes);
	run("full", t_full);
	run("block", t_block);
	run("mutex", t_mutex);
	run("atomic", t_atomic);
	run("undo", t_undo);
	run("perms", t_perms);
	printf("t_ipc: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
