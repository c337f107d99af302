/* Process-manager protocol (servers/pm), shared with lib/'s POSIX layer.
 * Every process reaches pm through handle slot 0, badged with its pid.
 * Results are in the reply label (PROTO_RESULT: >= 0 or -errno). */
#ifndef MICA_PROTO_PM_H
#define MICA_PROTO_PM_H

#include <stdint.h>

#include "mica/proto/common.h"

enum pm_op {
	PM_GETPID = 1, /* -> pid; m0 ppid, m1 pgid, m2 uid, m3 gid */
	PM_EXIT,       /* m0 status; no reply */
	PM_FORK,       /* -> child pid (in the child: 0) */
	PM_EXEC,       /* payload: an argument block (mica/execargs.h), or none and the
	                * block at address m0, m1 bytes, in the caller -> only errors return */
	PM_WAIT,       /* m0 pid (-1 any), m1 options -> pid; m0 status */
	PM_KILL,       /* m0 pid (< 0: process group), m1 signal -> 0 */
	PM_SETPGID,    /* m0 pid (0: self), m1 pgid (0: = pid) -> 0 */
	PM_PS,         /* -> count; payload struct pm_procinfo[count] */
	PM_POWEROFF,   /* m0 exit code; uid 0 only */
	PM_BRK,        /* m0 new break (0: ask) -> 0; m0 the break now */
	PM_SETSID,     /* -> the new session id (= pid) */
	PM_SETID,      /* m0 PM_ID_*, m1 the id (PM_ID_RE*: m1 real, m2 effective, -1 keeps;
	                * PM_ID_GROUPS: m1 how many, payload int32 gids) -> 0 */
	PM_SRVKILL,    /* m0 PM_SRV_*: kill a server (uid 0, boot argument pm.testhooks=1) */
	PM_SIGACTION,  /* m0 signal (0: ask), m1 PM_SA_DISP(disp, flags), m2 sa_mask, m3 the
	                * runtime's upcall entry -> 0; m0 the ignored set, m1 the caught set */
	PM_NICE,       /* m0 who (0: self), m1 1 set / 0 ask, m2 nice, m3 PRIO_PROCESS/PGRP/USER
	                * -> 0; m0 the nice value (asked: the least of them) */
	PM_TIMES,      /* -> 0; m0 CPU microseconds of the waited-for children (tms_cutime) */
	/* Memory (servers/pm/vm.c, the pager). Addresses and lengths as POSIX's. */
	PM_MMAP,   /* m0 addr, m1 len, m2 PM_MMAP_ARGS(prot, flags, fd), m3 offset -> 0; m0 addr */
	PM_MUNMAP, /* m0 addr, m1 len -> 0 */
	PM_MPROTECT, /* m0 addr, m1 len, m2 prot -> 0 */
	PM_MSYNC,    /* m0 addr, m1 len, m2 MS_* flags -> 0 once shared file pages are written */
	PM_MADVISE,  /* m0 addr, m1 len, m2 advice -> 0 (MADV_DONTNEED: private pages read 0 again)
	              */
	PM_SHMGET,   /* m0 key, m1 size, m2 shmflg -> shmid */
	PM_SHMAT,    /* m0 shmid, m1 addr, m2 shmflg -> 0; m0 the address */
	PM_SHMDT,    /* m0 addr -> 0 */
	PM_SHMCTL,   /* m0 shmid (SHM_STAT: an index), m1 cmd; IPC_SET payload / IPC_STAT and
	              * SHM_STAT reply: struct pm_shmid_ds */
	PM_VMCTL,    /* m0 PM_VM_DROP_CACHES (uid 0): frees programs nothing runs -> pages freed */
	PM_SWAPON,   /* payload a device made by mkswap (uid 0) -> 0; m0 1, no payload: swapoff */
	/* Signals (servers/pm/signal.c). A thread is the caller itself. */
	PM_SIGMASK,    /* m0 PM_SIG_* how, m1 set -> 0; m0 the old mask of the calling thread */
	PM_SIGTAKE,    /* (in the upcall) -> the signal to handle (0: none); m0 the mask to give
	                * back after it, m1 si_pid | si_uid << 32, m2 si_code | si_status << 32,
	                * m3 si_addr */
	PM_SIGSUSPEND, /* m0 the mask to wait with, m1 1: keep ours (pause) -> -EINTR once a
	                * handler ran; send with TAG_INTR */
	PM_SIGPENDING, /* -> 0; m0 pending signals the calling thread blocks */
	PM_ALARM,      /* m0 microseconds (0: cancel), m1 interval -> 0; m0, m1 the old ones */
	PM_TTYCHK,     /* console only: m0 pid, m1 the foreground group, m2 SIGTTIN/SIGTTOU, m3 a
	                * new foreground group (tcsetpgrp) or 0 -> 0 go on, -EIO refuse, -EINTR its
	                * group was sent the signal, -EPERM no such group in its session */
	PM_TRACE,      /* m0 pid, m1 PM_TRACE_*; an endpoint handle (send, receive, grant rights)
	                * travels: pid's system calls are reported there (SYS_TRACE) -> 0 */

	/* Resource limits (servers/pm/rlimit.c, mica/proto/limits.h): the caller's own. */
	PM_RLIMIT, /* m0 RLIMIT_*, m1 1 set / 0 ask, m2 soft, m3 hard -> 0; m0, m1 as they were */

	/* System V message queues and semaphores (servers/pm/sysvipc.c); ids
	 * and keys as shared memory's. Blocking ones are sent with TAG_INTR. */
	PM_MSGGET, /* m0 key, m1 msgflg -> msqid */
	PM_MSGSND, /* m0 msqid, m1 msgsz, m2 msgflg, m3 mtype; a read-only window of msgsz bytes
	            * (mtext) -> 0 */
	PM_MSGRCV, /* m0 msqid, m1 msgsz, m2 msgflg, m3 msgtyp; a writable window of msgsz bytes
	            * -> bytes received; m0 its mtype */
	PM_MSGCTL, /* m0 msqid (MSG_STAT: an index), m1 cmd; IPC_SET payload / IPC_STAT and
	            * MSG_STAT reply: struct pm_msqid_ds; MSG_INFO -> the highest index in use */
	PM_SEMGET, /* m0 key, m1 nsems, m2 semflg -> semid */
	PM_SEMOP,  /* m0 semid, m1 nsops; payload struct pm_sembuf[nsops] -> 0 */
	PM_SEMCTL, /* m0 semid (SEM_STAT: an index), m1 semnum, m2 cmd, m3 SETVAL's value;
	            * SETALL/IPC_SET payload, GETALL (uint16_t[nsems]) / IPC_STAT reply */
	/* end of System V IPC */

	PM_NOPS
};

/* exec's limit on argv and envp: every string with its NUL, plus one
 * pointer for each and the two terminating NULL pointers. picolibc's
 * <limits.h> says 4096; this is the system's. */
#define PM_ARG_MAX 131072
#undef ARG_MAX
#define ARG_MAX PM_ARG_MAX

#define PM_WNOHANG    1
#define PM_WUNTRACED  2
#define PM_WCONTINUED 8
/* PM_SIGACTION: disposition 0 default, 1 ignore, 2 catch, and flags. */
#define PM_SA_DISP(disp, flags) ((unsigned long)(disp) | ((unsigned long)(flags) << 8))
#define PM_SA_NODEFER           1u
#define PM_SA_RESETHAND         2u
#define PM_SA_NOCLDSTOP         4u
#define PM_SIG_BLOCK            0
#define PM_SIG_UNBLOCK          1
#define PM_SIG_SETMASK          2
#define PM_SIG_ASK              3
#define PM_SIG_ENDSUSPEND       4 /* after sigsuspend: its saved mask back, if no handler gave it */
/* si_code values (Linux's) */
#define PM_SI_USER       0
#define PM_SI_KERNEL     0x80
#define PM_SI_TIMER      (-2)
#define PM_CLD_EXITED    1
#define PM_CLD_KILLED    2
#define PM_CLD_DUMPED    3
#define PM_CLD_STOPPED   5
#define PM_CLD_CONTINUED 6
#define PM_ID_UID        0 /* setuid */
#define PM_ID_GID        1 /* setgid */
#define PM_ID_EUID       2 /* seteuid */
#define PM_ID_EGID       3 /* setegid */
#define PM_ID_REUID      4 /* setreuid */
#define PM_ID_REGID      5 /* setregid */
#define PM_ID_GROUPS     6 /* setgroups (root) */
#define PM_ID_ASK                                                                                  \
	7                 /* -> 0; m0 ruid | euid << 32, m1 rgid | egid << 32, m2 suid | sgid      \
	                   * << 32, m3 how many groups; payload int32 gids */
#define PM_NGROUPS     16 /* supplementary groups per process (NGROUPS_MAX here) */
#define PM_SRV_CONSOLE 1
#define PM_SRV_FS      2
/* Signal sets: bit sig - 1 for each signal, as /proc/N/status shows them. */
#define PM_SIGBIT(sig) (1ul << ((sig)-1))
/* PM_NICE's range, as POSIX's NZERO 20 gives it. Every process runs at
 * PRIO_DEFAULT; its nice value sets its threads' weight within it
 * (servers/pm/nice.c, docs/sched.md). */
#define PM_NICE_MIN (-20)
#define PM_NICE_MAX 19
/* PM_NICE's m3: whom who names (POSIX's PRIO_*) */
#define PM_PRIO_PROCESS 0
#define PM_PRIO_PGRP    1
#define PM_PRIO_USER    2

/* PM_MMAP's m2: protection, flags and the descriptor (+1; 0: none). */
#define PM_MMAP_ARGS(prot, flags, fd)                                                              \
	(((unsigned long)(prot)&0xFF) | (((unsigned long)(flags)&0xFFFFFF) << 8) |                 \
	 ((unsigned long)((fd) + 1) << 32))

#define PM_VM_DROP_CACHES 1
/* PM_TRACE's m1: the children it forks from now on are traced too. */
#define PM_TRACE_FOLLOW 1

/* PM_SHMCTL's IPC_STAT/IPC_SET record (what <sys/shm.h> shows). */
struct pm_shmid_ds {
	int32_t key, uid, gid, cuid, cgid, mode, cpid, lpid;
	uint64_t segsz, nattch, atime, dtime, ctime;
};

/* PM_MSGCTL's and PM_SEMCTL's records (what <sys/msg.h>, <sys/sem.h> show). */
struct pm_msqid_ds {
	int32_t key, uid, gid, cuid, cgid, mode, lspid, lrpid;
	uint64_t cbytes, qnum, qbytes, stime, rtime, ctime;
};
struct pm_semid_ds {
	int32_t key, uid, gid, cuid, cgid, mode;
	uint64_t nsems, otime, ctime;
};
/* PM_SEMOP's operations: struct sembuf's layout. */
struct pm_sembuf {
	uint16_t num;
	int16_t op, flg;
};
_Static_assert(sizeof(struct pm_sembuf) == 6, "struct sembuf's layout");
/* System V IPC's limits (Linux's names) */
#define PM_MSGMAX      8192  /* bytes in one message */
#define PM_MSGMNB      16384 /* bytes a queue holds, by default */
#define PM_MSGMNI      32    /* queues */
#define PM_SEMMNI      32    /* semaphore sets */
#define PM_SEMMSL      32    /* semaphores in a set */
#define PM_SEMOPM      32    /* operations in one semop */
#define PM_SEMVMX      32767 /* a semaphore's greatest value */
#define PM_IPC_PER_UID 16    /* queues, and sets, one user other than root may have */

/* Handle slots every process starts with. */
#define SLOT_PM      0
#define SLOT_CONSOLE 1

/* Start marker in a0 for programs started by pm: argc/argv/envp/auxv
 * are on the stack at sp, Linux/RISC-V style. */
#define MICA_START_POSIX 0x5053584Dul

/* Wait status, as Linux encodes it. */
#define W_EXITCODE(code) (((code)&0xff) << 8)
#define W_SIGNALED(sig)  ((sig)&0x7f)
#define W_COREFLAG       0x80
#define W_STOPCODE(sig)  (((sig) << 8) | 0x7f)
#define W_CONTINUED      0xffff

struct pm_procinfo {
	int pid, ppid, pgid, uid, gid, sid;
	char state; /* R running/ready, S sleeping, Z zombie */
	char name[16];
	signed char nice; /* PM_NICE_MIN..PM_NICE_MAX */
	int nthreads;
	unsigned long cpu_us, nvcsw, nivcsw;
	unsigned long rss_kb, vsz_kb; /* resident (its own pages and shared ones), mapped */
};
_Static_assert(sizeof(struct pm_procinfo) == 88, "pm_procinfo: IPC_MAX holds 46 rows");

#endif
