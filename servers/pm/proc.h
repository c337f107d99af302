/* pm's process table and the handlers' shared state, and pm as its
 * transports see it (pm_server, pm_start). */
#ifndef PM_PROC_H
#define PM_PROC_H

#include <stdbool.h>

#include "mica/server.h"
#include "mica/syscall.h"

#define MAX_PROCS        64
#define PROC_RESERVE     4  /* slots only session leaders may fork into */
#define PROC_MAX_PER_UID 32 /* RLIMIT_NPROC for users other than root */

/* P_SERVER: pm, the console, fs and blk listed as processes; never signalled,
 * never waited for. */
enum proc_state { P_FREE, P_ALIVE, P_ZOMBIE, P_SERVER };

/* Sessions and jobs: a job is the group its session leader's shell made;
 * a group made by any other process stays part of the job it came from,
 * so ^C or kill of a job reaches whatever moved out of it (as a terminal
 * hangup would), while the leader's own jobs stay apart. */
struct proc {
	int pid, ppid, pgid, uid, gid;
	int sid, job;
	enum proc_state state;
	unsigned gen; /* bumped by exec: old tasks' messages are stale */
	long task;    /* task handle */
	int status;   /* wait status once a zombie */
	char name[16];
	unsigned long brk_start, brk; /* the heap: [brk_start, brk), mapped by page */
	char cmdline[128];            /* for /proc/<pid>/cmdline: arguments and their NULs */
	unsigned cmdline_len;
	srv_client wait_client; /* a deferred PM_WAIT, 0 if none */
	long wait_pid;
	int wait_opts;
	unsigned long sigign; /* signals set to SIG_IGN (PM_SIGBIT); kept by fork and exec */
	unsigned long cpu_us; /* at death: the task's CPU time, while it could be read */
	unsigned long cutime; /* PM_TIMES: CPU time of reaped children and theirs */
	int nice;             /* PM_NICE: kept by fork and exec; its threads run at PM_NICE_PRIO */
};

struct pm {
	long ep, con_ep, con_task;
	long fs_ep;             /* fs's endpoint, to grant to processes */
	long fs;                /* our own handle to fs, badged FS_BADGE_PM */
	bool fs_dead, con_dead; /* the server died: say so once, degrade */
	bool testhooks;         /* boot argument pm.testhooks=1: PM_SRVKILL */
	long fs_task;           /* server task handles */
	long blk_ep, blk_task;  /* the block-device server: fs's disks */
	bool blk_dead;
	struct proc procs[MAX_PROCS];
	int next_pid;
};

extern struct pm pm;
extern struct server pm_server;

/* pm.c: the root task's start: endpoints, the console, fs (filled from
 * the boot archive) and init; 0 or -errno. Then the transport serves
 * pm_server. */
int pm_start(void);

/* The notification pm binds: fs's wake-up (bit 1) and the OOM killer's
 * tick (bit 2, every PM_OOM_TICK_US: the kernel's SYS_NTFN_TIMER). */
#define PM_NTFN_FS     1ul
#define PM_NTFN_OOM    2ul
#define PM_OOM_TICK_US 100000ul
void pm_oom_check(void);

/* diskwait.c: execs that wait for a disk read */
void pm_diskwait_start(void);
/* Saves a request (an exec, a power-off) that waits for a disk, to run
 * again through run; payload: a copy of its request payload (the
 * request's own may be overwritten). */
int pm_later(srv_handler run, const struct srv_req *req, struct srv_rep *rep, const void *payload);
/* With root=DEV: mounts DEV at "/" in place of the RAM root; 1 while fs
 * reads its blocks (call again when woken), else 0 (mounted, or not: the
 * RAM root from the boot archive stays). */
int pm_mount_root(void);
/* The boot's last steps, each of which may wait for a disk: the root,
 * init, the servers' rows. Called at start and whenever fs wakes pm. */
void pm_boot_continue(void);
void pm_diskwait_notify(struct server *s);
int pm_do_exec(struct server *s, const struct srv_req *req, struct srv_rep *rep);

struct proc *proc_alloc(int ppid);
void proc_free(struct proc *p);
struct proc *proc_find(int pid);
/* A handle of ours with fewer rights, the original closed; -1 on error. */
long handle_narrow(long h, unsigned rights);
unsigned long proc_badge(const struct proc *p);
long grant_std(long task, unsigned long badge);
struct execargs;
long image_create(struct proc *p, const struct execargs *a, unsigned flags);

/* fs.c: pm as a client of the file-system server (through host_call) */
/* Calls fs with op, m0..m2 and len bytes at host_buf(); the result, or
 * -EIO once fs is dead. */
long fsc_call(unsigned op, unsigned long m0, unsigned long m1, unsigned long m2, size_t len,
              long handle);
/* Starts sbin/fs and fills its root from the boot archive. */
int fsc_start(void);
/* Reads the program at path (as pid sees it) into *data (malloc). */
long fsc_read_file(int pid, const char *path, void **data, size_t *size);
/* Tells fs p's /proc row (with a read-only task handle if with_task). */
void fsc_proc_update(struct proc *p, bool with_task);

#endif
