/* ipcs [-m] [-q] [-s] [-a]: System V IPC objects as util-linux's ipcs
 * lists them. pm keeps shared memory segments (shmctl's SHM_INFO gives
 * the highest index in use, SHM_STAT each segment by index), message
 * queues (MSG_INFO, MSG_STAT) and semaphore arrays (SEM_INFO, SEM_STAT)
 * alike. The sections come in util-linux's order: queues,
 * shared memory, semaphores, each followed by a blank line. */
#include <pwd.h>
#include <stdio.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

#include "mica/utilopt.h"

#define SHM_DEST   01000 /* Linux's mode bits: removed but still attached */
#define SHM_LOCKED 02000 /* and locked in memory; pm sets neither */

static const struct util_prog prog = {
    .name = "ipcs",
    .help = "\nUsage:\n"
            " ipcs [resource-option...]\n"
            "\n"
            "Show information on IPC facilities.\n"
            "\n"
            "Options:\n"
            " -h, --help     display this help\n"
            "\n"
            "Resource options:\n"
            " -m, --shmems      shared memory segments\n"
            " -q, --queues      message queues\n"
            " -s, --semaphores  semaphores\n"
            " -a, --all         all (default)\n",
    .usage_status = 1,
};

static const struct util_long longs[] = {
    {"shmems", 0, 'm'}, {"queues", 0, 'q'}, {"semaphores", 0, 's'}, {"all", 0, 'a'}, {NULL, 0, 0},
};

/* "KEY ID OWNER": the owner's name (at most 10 characters) or number. */
static void key_id_owner(key_t key, int id, uid_t uid)
{
	struct passwd *pw = getpwuid(uid);
	printf("0x%08x ", (unsigned)key);
	if (pw)
		printf("%-10d %-10.10s", id, pw->pw_name);
	else
		printf("%-10d %-10u", id, (unsigned)uid);
}

static void do_msg(void)
{
	printf("------ Message Queues --------\n");
	printf("%-10s %-10s %-10s %-10s %-12s %-12s\n", "key", "msqid", "owner", "perms",
	       "used-bytes", "messages");
	int maxidx = msgctl(0, MSG_INFO, NULL);
	for (int i = 0; i <= maxidx; i++) {
		struct msqid_ds ds;
		int id = msgctl(i, MSG_STAT, &ds);
		if (id < 0)
			continue;
		key_id_owner(ds.msg_perm.__key, id, ds.msg_perm.uid);
		printf(" %-10o %-12lu %-12lu\n", (unsigned)(ds.msg_perm.mode & 0777),
		       (unsigned long)ds.__msg_cbytes, (unsigned long)ds.msg_qnum);
	}
}

static void do_shm(void)
{
	printf("------ Shared Memory Segments --------\n");
	printf("%-10s %-10s %-10s %-10s %-10s %-10s %-12s\n", "key", "shmid", "owner", "perms",
	       "bytes", "nattch", "status");
	int maxidx = shmctl(0, SHM_INFO, NULL);
	for (int i = 0; i <= maxidx; i++) {
		struct shmid_ds ds;
		int id = shmctl(i, SHM_STAT, &ds);
		if (id < 0)
			continue; /* no segment at i, or one we may not read */
		key_id_owner(ds.shm_perm.__key, id, ds.shm_perm.uid);
		printf(" %-10o %-10lu %-10lu %-6s %-6s\n", (unsigned)(ds.shm_perm.mode & 0777),
		       (unsigned long)ds.shm_segsz, (unsigned long)ds.shm_nattch,
		       ds.shm_perm.mode & SHM_DEST ? "dest" : " ",
		       ds.shm_perm.mode & SHM_LOCKED ? "locked" : " ");
	}
}

static void do_sem(void)
{
	printf("------ Semaphore Arrays --------\n");
	printf("%-10s %-10s %-10s %-10s %-10s\n", "key", "semid", "owner", "perms", "nsems");
	int maxidx = semctl(0, 0, SEM_INFO);
	for (int i = 0; i <= maxidx; i++) {
		struct semid_ds ds;
		int id = semctl(i, 0, SEM_STAT, &ds);
		if (id < 0)
			continue;
		key_id_owner(ds.sem_perm.__key, id, ds.sem_perm.uid);
		printf(" %-10o %-10lu\n", (unsigned)(ds.sem_perm.mode & 0777),
		       (unsigned long)ds.sem_nsems);
	}
}

int main(int argc, char **argv)
{
	int msg = 0, shm = 0, sem = 0, c;
	while ((c = util_getopt(&prog, argc, argv, "mqsah", longs)) != -1) {
		if (c == 'm')
			shm = 1;
		else if (c == 'q')
			msg = 1;
		else if (c == 's')
			sem = 1;
		else if (c == 'a')
			msg = shm = sem = 1;
		else if (c == 'h')
			util_help(&prog);
	}
	/* operands are ignored, as util-linux's ipcs ignores them */
	if (!msg && !shm && !sem)
		msg = shm = sem = 1;
	printf("\n");
	if (msg) {
		do_msg();
		printf("\n");
	}
	if (shm) {
		do_shm();
		printf("\n");
	}
	if (sem) {
		do_sem();
		printf("\n");
	}
	return 0;
}
