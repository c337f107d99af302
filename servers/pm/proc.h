/* pm's process table and the handlers' shared state. */
#ifndef PM_PROC_H
#define PM_PROC_H

#include <stdbool.h>

#include "mica/syscall.h"

#define MAX_PROCS        64
#define PROC_RESERVE     4            /* slots only session leaders may fork into */
#define PROC_MAX_PER_UID 32           /* RLIMIT_NPROC for users other than root */

enum proc_state { P_FREE, P_ALIVE, P_ZOMBIE };

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
	unsigned long wait_token; /* a deferred PM_WAIT, 0 if none */
	long wait_pid;
	int wait_opts;
};

struct pm {
	long ep, con_ep, con_task;
	long fs_ep;             /* fs's endpoint, to grant to processes */
	long fs;                /* our own handle to fs, badged FS_BADGE_PM */
	bool fs_dead, con_dead; /* the server died: say so once, degrade */
	bool testhooks;         /* boot argument pm.testhooks=1: PM_SRVKILL */
	long fs_task;           /* server task handles */
	struct proc procs[MAX_PROCS];
	int next_pid;
};

extern struct pm pm;

struct proc *proc_alloc(int ppid);
void proc_free(struct proc *p);
struct proc *proc_find(int pid);
/* A handle of ours with fewer rights, the original closed; -1 on error. */
long handle_narrow(long h, unsigned rights);
unsigned long proc_badge(const struct proc *p);
long grant_std(long task, unsigned long badge);
long image_create(struct proc *p, const char *path, char *const argv[], char *const envp[],
                  unsigned flags);
__attribute__((noreturn)) void pm_serve(void);

/* fs.c: pm as a client of the file-system server */
long fs_call(unsigned op, unsigned long m0, unsigned long m1, unsigned long m2, size_t len,
             long handle);
int fs_start(void);
long fs_read_file(int pid, const char *path, void **data, size_t *size);
void fs_proc_update(struct proc *p, bool with_task);

#endif
