/* System V IPC's key scheme and permission check (ipcperm.h): one
 * policy for shared memory, message queues and semaphores. */
#include <sys/ipc.h>

#include "ipcperm.h"
#include "mica/errno.h"
#include "proc.h"

bool ipc_may(const struct proc *p, const struct ipc_perm_rec *o, int want)
{
	if (p->uid == 0)
		return true;
	int bits = p->uid == o->uid || p->uid == o->cuid ? o->mode >> 6
	           : p->gid == o->gid                    ? o->mode >> 3
	                                                 : o->mode;
	return (bits & want) == want;
}

bool ipc_owner(const struct proc *p, const struct ipc_perm_rec *o)
{
	return p->uid == 0 || p->uid == o->uid || p->uid == o->cuid;
}

int ipc_lookup(const struct proc *p, int key, int flg, const struct ipc_perm_rec *found)
{
	if (found && key != IPC_PRIVATE) {
		if ((flg & IPC_CREAT) && (flg & IPC_EXCL))
			return -EEXIST;
		if (!ipc_may(p, found, (flg & 0200 ? 2 : 0) | (flg & 0400 ? 4 : 0)))
			return -EACCES;
		return 0;
	}
	if (key != IPC_PRIVATE && !(flg & IPC_CREAT))
		return -ENOENT;
	return 1;
}

bool ipc_under_limit(const struct proc *p, int mine, int limit)
{
	return p->uid == 0 || mine < limit;
}
