/* File-system server protocol (servers/fs). Processes reach fs through
 * handle slot 2, badged with their pid; pm uses the FS_PM_* operations.
 * Results are in the reply label (PROTO_RESULT: >= 0 or -errno); a read
 * or write on the console answers FS_REDIRECT, and the client repeats
 * the request at the console server. Paths travel as the payload.
 * A path resolves from a base directory in m3 (m2 for the first of two
 * paths, as in FS_LINK and FS_RENAME): 0 the caller's cwd, fd + 1 the
 * directory open on fd (the *at calls). An empty path with an fd base
 * names the file on that fd itself (fchmod, fchdir, ...: Linux's
 * AT_EMPTY_PATH) where the operation says so. */
#ifndef MICA_PROTO_FS_H
#define MICA_PROTO_FS_H

#include <stdint.h>

#include "mica/proto/common.h"

#define SLOT_FS 2

enum fs_op {
	FS_OPEN = 1, /* payload path; m0 FS_O_* flags, m1 mode -> fd */
	FS_CLOSE,    /* m0 fd */
	FS_READ,     /* m0 fd, m1 count -> n, payload the bytes (see FS_RW_MAX for windows) */
	FS_WRITE,    /* m0 fd, payload the bytes -> n; with a window: m1 count */
	FS_LSEEK,    /* m0 fd, m1 offset, m2 whence -> 0, m0 the new offset */
	FS_STAT,     /* payload path, m0 1: do not follow a final symlink -> payload fs_stat */
	FS_FSTAT,    /* m0 fd -> payload fs_stat */
	FS_MKDIR,    /* payload path, m0 mode */
	FS_RMDIR,    /* payload path */
	FS_UNLINK,   /* payload path */
	FS_LINK,     /* payload "old\0new\0"; m0 1: follow a symlink old */
	FS_SYMLINK,  /* payload "target\0linkpath\0" */
	FS_RENAME,   /* payload "old\0new\0" */
	FS_READLINK, /* payload path -> n, payload the target (no NUL) */
	FS_GETDENTS, /* m0 fd -> n entries, payload fs_dirent[n] */
	FS_CHDIR,    /* payload path (empty: the directory on the base fd) */
	FS_GETCWD,   /* -> n, payload the path with its NUL */
	FS_DUP,      /* m0 fd, m1 lowest new fd, m2 1: close-on-exec -> new fd */
	FS_DUP2,     /* m0 fd, m1 new fd -> new fd */
	FS_SETFD,    /* m0 fd, m1 FD_CLOEXEC or 0 -> 0 (m1 -1: query -> flags) */
	FS_PIPE,     /* -> 0, m0 read end, m1 write end */
	FS_PM_FORK,  /* pm: m0 parent pid, m1 child pid */
	FS_PM_EXIT,  /* pm: m0 pid */
	FS_PM_EXEC,  /* pm: m0 pid: close its close-on-exec descriptors */
	FS_PM_OPEN,  /* pm: m0 pid whose cwd resolves the path; payload path -> fd (pm's) */
	FS_PM_PROC,  /* pm: payload fs_proc; a task handle may travel with it */
	FS_PM_LOAD,  /* pm: payload "path\0data" (or "path\0", the data in a window);
	              * m0 mode, m1 offset, m2 1: directory */
	/* Metadata: payload path (empty: the file on the base fd); m2 bit 0
	 * (FS_AT_NOFOLLOW): do not follow a final symlink. */
	FS_CHMOD,      /* m0 permission bits: owner or root, else EPERM */
	FS_CHOWN,      /* m0 uid, m1 gid ((uint32_t)-1: unchanged): root, or the owner's gid */
	FS_UTIMENS,    /* m0 atime, m1 mtime: seconds, FS_UTIME_NOW or FS_UTIME_OMIT */
	FS_TRUNCATE,   /* m0 size: grows with zeros or shrinks; empty path: fd open for writing */
	FS_ACCESS,     /* m0 R_OK 4 | W_OK 2 | X_OK 1 (0: exists) as the caller */
	FS_MKNOD,      /* m0 mode: FS_S_IFIFO or FS_S_IFREG | bits -> 0 */
	FS_SETFL,      /* m0 fd, m1 FS_O_APPEND | FS_O_NONBLOCK -> 0 (m1 -1: query -> flags) */
	FS_POLL,       /* payload fs_pollfd[n] -> ready count, payload with revents */
	FS_STATFS,     /* payload path (empty: the file on the base fd) -> payload fs_statfs */
	FS_MOUNT,      /* payload "source\0target\0type\0", m0 FS_MNT_* -> 0 (root only) */
	FS_UMOUNT,     /* payload the mount point -> 0 once its blocks are written (root only) */
	FS_SYNC,       /* -> 0 once every dirty block is on its disk */
	FS_PM_WAKE,    /* pm: a notification travels with it: signalled (bit 1) when blocks
	                * arrive after fs answered pm FS_EWAIT -> 0 */
	FS_SHUTDOWN,   /* pm at power-off: every disk file system marked clean and its blocks
	                * written -> 0, or -FS_EWAIT until they are */
	FS_PM_DUPFD,   /* pm: m0 pid, m1 its fd on a regular file -> pm's own fd on the same
	                * file, opened afresh with the same access; m0 FS_O_ACCMODE bits */
	FS_PM_SWAPON,  /* pm: payload a disk's path (made by mkswap) -> 0; m0 its slots (pages);
	                * m0 1 and no payload: swapoff; m0 2: m1 slots in use, m2 pages
	                * pm sent out again clean without a write (for /proc) */
	FS_PM_SWAPOUT, /* pm: m0 slot, m1 slots in use, the page in a 4 KiB window -> 0 once
	                * blk has it */
	FS_PM_SWAPIN,  /* pm: m0 slot, m1 slots in use -> 0, the page in pm's writable window */

	/* Resource limits (mica/proto/limits.h) */
	FS_PM_LIMITS, /* pm: payload pm_limits: a process's limits and nice value -> 0 */
	FS_UMASK,     /* m0 the new mask, or FS_UMASK_ASK -> the old one (kept by fork and exec) */

	FS_NOPS
};

#define FS_MNT_RDONLY 0x1
#define FS_MNT_ROOT   0x2 /* pm at boot (root=): the new root, in place of the RAM one */
/* pm only: a block is being read from a disk; ask again once fs signals
 * the FS_PM_WAKE notification (pm, like fs, never waits for a disk). */
#define FS_EWAIT 4096

/* FS_READ and FS_WRITE with a window (SYS_CALL's a6): up to this many
 * bytes move between the file and the window, and a count travels in m0
 * with the label 0. Only a read may also be answered as without one (a
 * label n > 0 and n bytes of payload: a raw disk does). */
#define FS_RW_MAX (1u << 20)

#define FS_REDIRECT 0x7000 /* label: ask the console server instead */
#define FS_MAX_FDS  256    /* descriptors per process (RLIMIT_NOFILE) */

/* Open flags and file types on the wire: Linux's values. The library
 * translates picolibc's O_* into these. */
#define FS_O_ACCMODE   03
#define FS_O_RDONLY    00
#define FS_O_WRONLY    01
#define FS_O_RDWR      02
#define FS_O_CREAT     0100
#define FS_O_EXCL      0200
#define FS_O_TRUNC     01000
#define FS_O_APPEND    02000
#define FS_O_NONBLOCK  04000
#define FS_O_DIRECTORY 0200000
#define FS_O_NOFOLLOW  0400000
#define FS_O_CLOEXEC   02000000
#define FS_S_IFIFO     0010000
#define FS_S_IFREG     0100000

#define FS_AT_NOFOLLOW 1          /* m2 of the metadata operations */
#define FS_UTIME_NOW   (~0ul)     /* FS_UTIMENS: the current time */
#define FS_UTIME_OMIT  (~0ul - 1) /* FS_UTIMENS: leave it as it is */

/* FS_POLL: one descriptor; events and revents are Linux's POLL* bits. A
 * console descriptor answers FS_POLLCONSOLE in revents: the library
 * asks the console server whether input is waiting (CON_POLL). */
struct fs_pollfd {
	int32_t fd;
	int16_t events, revents;
};
_Static_assert(sizeof(struct fs_pollfd) == 8, "fs_pollfd: IPC_MAX holds 512");

#define FS_POLLIN      0x001
#define FS_POLLOUT     0x004
#define FS_POLLERR     0x008
#define FS_POLLHUP     0x010
#define FS_POLLNVAL    0x020
#define FS_POLLCONSOLE 0x4000

struct fs_stat {
	uint64_t dev; /* the mount: slot + 1 */
	uint64_t ino, size, rdev, atime, mtime, ctime;
	uint32_t mode, nlink, uid, gid;
};

_Static_assert(sizeof(struct fs_stat) == 72, "fs_stat: the layout both sides read");

/* FS_STATFS: the file system a file is on, in blocks of bsize bytes
 * (statvfs); a file system with no storage (devfs, procfs) says 0. */
struct fs_statfs {
	uint64_t bsize, blocks, bfree, bavail, files, ffree;
	uint64_t fsid;            /* the mount: slot + 1, as fs_stat's dev */
	uint32_t namemax, rdonly; /* rdonly 1: mounted read-only */
};

_Static_assert(sizeof(struct fs_statfs) == 64, "fs_statfs: the layout both sides read");

struct fs_dirent {
	uint64_t ino;
	uint8_t type;
	char name[256]; /* NUL-terminated: up to NAME_MAX (255) bytes */
	uint8_t pad[7];
};

_Static_assert(sizeof(struct fs_dirent) == 272, "fs_dirent: IPC_MAX holds 15 of them");

/* A process as /proc shows it, pushed by pm on every change; its
 * /proc/N/maps text (Linux's layout) may follow it in the payload. */
struct fs_proc {
	int32_t pid, ppid, uid, gid;
	char state; /* 0: gone (remove the row), 'Z' zombie, else live */
	char name[16];
	char cmdline[128]; /* arguments separated by NULs */
	char maps;         /* FS_MAPS_*: what becomes of /proc/N/maps */
	uint32_t cmdline_len;
	/* its address space in kB, as /proc/N/status names them */
	uint64_t vm_size, vm_peak, vm_data, vm_stk, vm_exe, vm_swap;
	uint64_t sigign; /* signals set to SIG_IGN: bit sig - 1, as Linux's SigIgn */
	uint64_t sigcgt, shdpnd, sigpnd, sigblk; /* caught; pending (process, thread); blocked */
	/* uid and gid above are the effective ids, which files are checked
	 * against; the real and saved ones, and the supplementary groups */
	int32_t ruid, rgid, suid, sgid, ngroups;
	int32_t groups[16];
	int32_t pad;
};
_Static_assert(sizeof(struct fs_proc) == 344, "fs_proc: one FS_PM_PROC payload");
#define FS_MAPS_KEEP   0 /* as it was */
#define FS_MAPS_TEXT   1 /* the text after the row replaces it */
#define FS_MAPS_PARENT 2 /* a copy of the parent's (ppid's): fork */

#define FS_UMASK_ASK 0x10000ul

#endif
