/* <sys/ipc.h> for Mica (picolibc has none): System V IPC's common
 * parts, with Linux's values. pm keeps the objects (servers/pm/vm.c). */
#ifndef MICA_SYS_IPC_H
#define MICA_SYS_IPC_H

#include <sys/types.h>

struct ipc_perm {
	key_t __key;
	uid_t uid, cuid;
	gid_t gid, cgid;
	mode_t mode;
};

#define IPC_PRIVATE ((key_t)0)
#define IPC_CREAT   01000
#define IPC_EXCL    02000
#define IPC_NOWAIT  04000
#define IPC_RMID    0
#define IPC_SET     1
#define IPC_STAT    2

key_t ftok(const char *path, int id);

#endif
