/* <sys/shm.h> for Mica (picolibc has none), with Linux's values:
 * System V shared memory kept by pm (servers/pm/vm.c). */
#ifndef MICA_SYS_SHM_H
#define MICA_SYS_SHM_H

#include <sys/ipc.h>
#include <sys/types.h>
#include <time.h>

#define SHM_RDONLY 010000
#define SHM_RND    020000
#define SHMLBA     4096
/* shmctl's Linux commands: SHM_STAT takes an index (0..) and returns
 * the segment's id; SHM_INFO returns the highest index in use. */
#define SHM_STAT 13
#define SHM_INFO 14

typedef unsigned long shmatt_t;

struct shmid_ds {
	struct ipc_perm shm_perm;
	size_t shm_segsz;
	time_t shm_atime, shm_dtime, shm_ctime;
	pid_t shm_cpid, shm_lpid;
	shmatt_t shm_nattch;
};

int shmget(key_t key, size_t size, int shmflg);
void *shmat(int shmid, const void *addr, int shmflg);
int shmdt(const void *addr);
int shmctl(int shmid, int cmd, struct shmid_ds *buf);

#endif
