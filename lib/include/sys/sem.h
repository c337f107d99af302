/* <sys/sem.h> for Mica (picolibc has none), with Linux's values:
 * System V semaphores kept by pm (servers/pm/sysvipc.c). */
#ifndef MICA_SYS_SEM_H
#define MICA_SYS_SEM_H

#include <sys/ipc.h>
#include <sys/types.h>
#include <time.h>

#define SEM_UNDO 0x1000
#define GETPID   11
#define GETVAL   12
#define GETALL   13
#define GETNCNT  14
#define GETZCNT  15
#define SETVAL   16
#define SETALL   17
/* semctl's Linux commands: SEM_STAT takes an index (0..) and returns the
 * set's id; SEM_INFO returns the highest index in use. */
#define SEM_STAT 18
#define SEM_INFO 19
#define SEMMSL   32
#define SEMOPM   32
#define SEMVMX   32767

struct semid_ds {
	struct ipc_perm sem_perm;
	time_t sem_otime, sem_ctime;
	unsigned long sem_nsems;
};

struct sembuf {
	unsigned short sem_num;
	short sem_op, sem_flg;
};

/* semctl's fourth argument: the caller defines it, as POSIX says. */
int semget(key_t key, int nsems, int semflg);
int semop(int semid, struct sembuf *sops, size_t nsops);
int semctl(int semid, int semnum, int cmd, ...);

#endif
