/* System V IPC's one key scheme and permission check, shared by shared
 * memory (vm.c), message queues and semaphores (sysvipc.c): ids, the
 * get calls' key decision, and the mode bits against a caller. */
#ifndef PM_IPCPERM_H
#define PM_IPCPERM_H

#include <stdbool.h>

struct proc;

/* An object's owner and mode, as struct ipc_perm has them. */
struct ipc_perm_rec {
	int key, seq, mode, uid, gid, cuid, cgid;
};

/* An object's id: slot i (1..127) and the slot's reuse count, so a
 * removed object's id does not name its successor; fits a reply label. */
#define IPC_ID(seq, i) ((((seq)&0xFF) << 7) | (i))
#define IPC_SLOT(id)   ((int)((id)&127))

/* May p use o for want (4 read, 2 write)? Root may do anything. */
bool ipc_may(const struct proc *p, const struct ipc_perm_rec *o, int want);
/* May p change or remove o (its owner, its creator, root)? */
bool ipc_owner(const struct proc *p, const struct ipc_perm_rec *o);
/* shmget/msgget/semget's decision for key and flg, found being the live
 * object with that key (NULL: none, or IPC_PRIVATE): 0 use it, 1 make
 * one, or -EEXIST, -EACCES, -ENOENT. */
int ipc_lookup(const struct proc *p, int key, int flg, const struct ipc_perm_rec *found);
/* Counts toward a per-user limit: whether p may make one more when it
 * has mine already (root has no limit). */
bool ipc_under_limit(const struct proc *p, int mine, int limit);

#endif
