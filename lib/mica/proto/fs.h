/* File-system server protocol (servers/fs). Processes reach fs through
 * handle slot 2, badged with their pid; pm uses the FS_PM_* operations.
 * Results are in the reply label (PROTO_RESULT: >= 0 or -errno); a read
 * or write on the console answers FS_REDIRECT, and the client repeats
 * the request at the console server. Paths travel as the payload. */
#ifndef MICA_PROTO_FS_H
#define MICA_PROTO_FS_H

#include <stdint.h>

#include "mica/proto/common.h"

#define SLOT_FS 2

enum fs_op {
	FS_OPEN = 1, /* payload path; m0 O_* flags, m1 mode -> fd */
	FS_CLOSE,    /* m0 fd */
	FS_READ,     /* m0 fd, m1 count -> n, payload the bytes */
	FS_WRITE,    /* m0 fd, payload the bytes -> n */
	FS_LSEEK,    /* m0 fd, m1 offset, m2 whence -> 0, m0 the new offset */
	FS_STAT,     /* payload path, m0 1: do not follow a final symlink -> payload fs_stat */
	FS_FSTAT,    /* m0 fd -> payload fs_stat */
	FS_MKDIR,    /* payload path, m0 mode */
	FS_RMDIR,    /* payload path */
	FS_UNLINK,   /* payload path */
	FS_LINK,     /* payload "old\0new\0" */
	FS_SYMLINK,  /* payload "target\0linkpath\0" */
	FS_RENAME,   /* payload "old\0new\0" */
	FS_READLINK, /* payload path -> n, payload the target (no NUL) */
	FS_GETDENTS, /* m0 fd -> n entries, payload fs_dirent[n] */
	FS_CHDIR,    /* payload path */
	FS_GETCWD,   /* -> n, payload the path with its NUL */
	FS_DUP,      /* m0 fd, m1 lowest new fd -> new fd */
	FS_DUP2,     /* m0 fd, m1 new fd -> new fd */
	FS_SETFD,    /* m0 fd, m1 FD_CLOEXEC or 0 -> 0 (m1 -1: query -> flags) */
	FS_PIPE,     /* -> 0, m0 read end, m1 write end */
	FS_PM_FORK,  /* pm: m0 parent pid, m1 child pid */
	FS_PM_EXIT,  /* pm: m0 pid */
	FS_PM_EXEC,  /* pm: m0 pid: close its close-on-exec descriptors */
	FS_PM_OPEN,  /* pm: m0 pid whose cwd resolves the path; payload path -> fd (pm's) */
	FS_PM_PROC,  /* pm: payload fs_proc; a task handle may travel with it */
	FS_PM_LOAD,  /* pm: payload "path\0data"; m0 mode, m1 offset, m2 1: directory */
	FS_NOPS
};

#define FS_REDIRECT 0x7000 /* label: ask the console server instead */
#define FS_MAX_FDS  32

struct fs_stat {
	uint64_t dev; /* the mount: slot + 1 */
	uint64_t ino, size, rdev, atime, mtime, ctime;
	uint32_t mode, nlink, uid, gid;
};

_Static_assert(sizeof(struct fs_stat) == 72, "fs_stat: the layout both sides read");

struct fs_dirent {
	uint64_t ino;
	uint8_t type;
	char name[63]; /* NUL-terminated; longer names are cut */
};

_Static_assert(sizeof(struct fs_dirent) == 72, "fs_dirent: IPC_MAX holds 56 of them");

/* A process as /proc shows it, pushed by pm on every change. */
struct fs_proc {
	int32_t pid, ppid, uid, gid;
	char state; /* 0: gone (remove the row), 'Z' zombie, else live */
	char name[16];
	char cmdline[128]; /* arguments separated by NULs */
	uint32_t cmdline_len;
};
_Static_assert(sizeof(struct fs_proc) == 168, "fs_proc: one FS_PM_PROC payload");

#endif
