/* pm's process table and the handlers' shared state, and pm as its
 * transports see it (pm_server, pm_start). */
#ifndef PM_PROC_H
#define PM_PROC_H

#include <stdbool.h>
#include <stdint.h>

#include "mica/proto/limits.h"
#include "mica/server.h"
#include "mica/syscall.h"
#include "sigstate.h"

#define MAX_PROCS    64
#define PROC_RESERVE 4 /* slots only session leaders may fork into */

/* P_SERVER: pm, the console, fs and blk listed as processes; never signalled,
 * never waited for. */
struct mm_regions;
struct swapmap;

enum proc_state { P_FREE, P_ALIVE, P_ZOMBIE, P_SERVER };

/* What a handler with SA_SIGINFO learns of a signal (siginfo_t's). */
struct sig_info {
	int pid, uid, code, status;
	unsigned long addr; /* a fault's */
};

/* Sessions and jobs: a job is the group its session leader's shell made;
 * a group made by any other process stays part of the job it came from,
 * so ^C or kill of a job reaches whatever moved out of it (as a terminal
 * hangup would), while the leader's own jobs stay apart. */
struct proc {
	int pid, ppid, pgid;
	int uid, gid;                    /* effective: every permission check's */
	int ruid, rgid, suid, sgid;      /* real and saved */
	int ngroups, groups[PM_NGROUPS]; /* supplementary */
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
	/* signals (signal.c) */
	struct sigacts sa;     /* dispositions: kept by fork; exec keeps only SIG_IGN */
	unsigned long sigpend; /* pending for the process (ShdPnd) */
	unsigned long mask0;   /* the mask of threads pm has no record of */
	unsigned long upcall;  /* the runtime's entry for handlers, 0: none */
	struct sig_info info[MSIG_MAX + 1]; /* of each pending signal */
	bool stopped;                       /* by a stop signal, until SIGCONT */
	int stopsig;
	char wreport;                     /* for wait: 'T' stopped, 'C' continued, 0 told */
	unsigned long alarm_at, alarm_iv; /* alarm/setitimer: due (us since boot), interval */
	unsigned long sig_shown, sig_often, sig_blk, sig_pnd; /* what /proc last heard */
	bool sig_stale;        /* masks or pending changed since: told at pm's next tick */
	int nthr, thr_hint;    /* its records in signal.c's thread table; the last used + 1 */
	unsigned long tpend;   /* at least every signal pending for one of its threads */
	unsigned long cpu_us;  /* at death: the task's CPU time, while it could be read */
	unsigned long cutime;  /* PM_TIMES: CPU time of reaped children and theirs */
	int nice;              /* PM_NICE: kept by fork and exec; its threads' weight (nice.c) */
	struct mm_regions *mm; /* its mappings (vm.c); NULL until its first */
	struct {
		unsigned long lo, hi, off;
		int prot; /* PROT_* */
	} seg[4];         /* the program's segments, page-rounded (/proc/N/maps) */
	int nseg;
	char exe[64];          /* the program's path as exec got it */
	int exe_obj;           /* the pager's object of its program (vm.c), 0 if none */
	int exe_next;          /* image_create's: the object of the program it loaded */
	char maps_state;       /* FS_MAPS_*: what fs's /proc/N/maps needs at the next update */
	unsigned long vm_peak; /* kB: the most its mappings have covered (VmPeak) */
	struct swapmap *swap;  /* its pages in the swap area (swap.c), or NULL */
	unsigned long nswap, nswap_shown; /* how many; and as /proc last heard */
	bool traced;                      /* PM_TRACE (its tracer may have died since) */
	bool trace_follow;                /* PM_TRACE_FOLLOW: its children are traced too */
	/* resource limits (rlimit.c): kept by fork and exec */
	struct mrlimit rlim[MRLIM_N];
	unsigned long xcpu_at;    /* CPU seconds at which SIGXCPU is next due (0: at the limit) */
	unsigned long stack_size; /* bytes: the stack zone of its program (RLIMIT_STACK at exec) */
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
	unsigned exec_mode;     /* the program file vm_program last opened: mode (0: none) */
	int exec_uid, exec_gid; /* and owner, for set-user-ID and set-group-ID */
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
/* Kills the process holding the most memory (never init or a server),
 * as Linux's OOM killer says it; false if there is none. */
bool pm_oom_kill(void);

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

/* swap.c: swapping */
bool swap_on(void);
unsigned long swap_evicted(void); /* pages sent out since boot */
void swap_tell_fs(void);          /* /proc's SwapFree, when slots came free */
uint64_t swap_free_pages(void);
/* Pages out least recently used private pages until want_free frames
 * are free (or it cannot): how many went. */
unsigned long swap_reclaim(unsigned long want_free);
/* A fault on a page in the swap area (m2 its slot + 1): brings it back;
 * again runs the fault once more when fs has read it. */
int swap_fault(struct server *s, const struct srv_req *req, struct srv_rep *rep, struct proc *p,
               srv_handler again);
/* A fault with no frame left (PF_NOMEM): makes room, or -ENOMEM. */
int swap_nomem(struct server *s, const struct srv_req *req, struct srv_rep *rep, srv_handler again);
void swap_fork(struct proc *child, const struct proc *parent);
void swap_release(struct proc *p);
/* The kernel dropped [lo, hi) of p: its swapped pages there are free. */
void swap_forget(struct proc *p, uint64_t lo, uint64_t hi);
int swap_do_swapon(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int swap_boot(void); /* swap=DEV at boot: 1 while it waits for fs */
/* Free frames below which pm pages out (and, with no swap, kills). */
unsigned long pm_low_water(void);
/* With swap on, pages out until free memory is back above the line fs
 * needs for files (every tick, and whenever fs's writes drain). */
void swap_refill(void);

/* vm.c: the pager */
void vm_start(void); /* the task that holds the objects' pages */
int vm_do_vmctl(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int vm_fault(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int vm_do_mmap(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int vm_do_munmap(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int vm_do_mprotect(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int vm_do_msync(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int vm_do_madvise(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int vm_do_shmget(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int vm_do_shmat(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int vm_do_shmdt(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int vm_do_shmctl(struct server *s, const struct srv_req *req, struct srv_rep *rep);
/* fork copies the mappings (the kernel shares the pages); exit and exec
 * write back shared file pages and let go of the objects. */
void vm_fork(struct proc *child, const struct proc *parent);
void vm_release(struct proc *p);
/* Makes obj (0: none) the object of p's program, counting its users. */
void vm_exe_set(struct proc *p, int obj);
struct elf_image;
/* exec's program in the page cache (read from fs on a miss): *obj and
 * its checked image, or -errno (-FS_EWAIT: a disk is being read). */
long vm_program(int pid, const char *path, int *obj, struct elf_image *img);
/* Maps obj's program into a new task: text shared, data copy-on-write,
 * bss and the stack demand-zero. */
long vm_load(long task, int obj, const struct elf_image *img);
/* Frees unused cached programs, the least recently run first, until
 * pages pages are free again (0: all of them): how many it freed. */
unsigned long vm_reclaim(unsigned long pages);
struct fs_proc;
/* The VmSize/VmPeak/VmData/VmStk/VmExe figures of a live process. */
void vm_stats(struct proc *p, struct fs_proc *row);
/* Its /proc/N/maps text (at most cap bytes, whole lines): the length. */
size_t vm_maps(const struct proc *p, char *buf, size_t cap);

/* signal.c. tid: a thread (its reply token), 0: the process. */
void sig_send(struct proc *p, int sig, unsigned long tid, const struct sig_info *info);
void sig_dispatch(struct proc *p);
unsigned long sig_thread(const struct proc *p, unsigned long lwp); /* its tid, or 0 */
void sig_fork(struct proc *c, const struct proc *parent, unsigned long tid);
void sig_exec(struct proc *p, unsigned long tid);
void sig_exit(struct proc *p);            /* p is dying */
void sig_child_died(struct proc *zombie); /* SIGCHLD to its parent */
void sig_tick(unsigned long now_us);      /* alarms */
/* A fault that would end p (MSG_TASK_PAGEFAULT, from vm_fault): its
 * signal to the faulting thread's handler (answer 0), or -EFAULT. code:
 * si_code, 1 SEGV_MAPERR (nothing there), 2 SEGV_ACCERR (not allowed). */
int sig_fault(struct proc *p, const struct srv_req *req, struct srv_rep *rep, int code);
int sig_do_action(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int sig_do_mask(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int sig_do_take(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int sig_do_suspend(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int sig_do_pending(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int sig_do_alarm(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int sig_do_ttychk(struct server *s, const struct srv_req *req, struct srv_rep *rep);
/* proc.c: ends p with a wait status; a waiting parent hears of a stop or continue */
void proc_die(struct proc *p, int status);
void proc_wait_notify(struct proc *child);
/* exec's set-user-ID and set-group-ID (the program file's mode and owner) */
void proc_exec_ids(struct proc *p, unsigned mode, int uid, int gid);

/* The live process a request came from (its badge), or NULL. */
struct proc *proc_sender(const struct srv_req *req);
struct proc *proc_alloc(int ppid);
void proc_free(struct proc *p);
struct proc *proc_find(int pid);
/* A handle of ours with fewer rights, the original closed; -1 on error. */
long handle_narrow(long h, unsigned rights);
unsigned long proc_badge(const struct proc *p);
long grant_std(long task, unsigned long badge);
struct execargs;
long image_create(struct proc *p, const struct execargs *a, unsigned flags);
/* Lets p's new program run (image_create leaves it waiting at the
 * lowest priority until its /proc row is right). */
void image_run(struct proc *p);

/* trace.c: PM_TRACE's policy; a trace kept over fork (if followed) and
 * exec, for task, the new task of child or p */
int do_trace(struct server *s, const struct srv_req *req, struct srv_rep *rep);
void trace_fork(struct proc *child, const struct proc *parent, long task);
void trace_exec(struct proc *p, long task);

/* nice.c: scheduling shares */
/* Runs task's threads with nice's share: 0 or -errno. */
long nice_apply(long task, int nice);
int pm_do_nice(struct server *s, const struct srv_req *req, struct srv_rep *rep);

/* rlimit.c: resource limits */
void rlimit_init(struct proc *p); /* the defaults (a process not made by fork) */
void rlimit_fork(struct proc *child, const struct proc *parent);
void rlimit_tell_fs(const struct proc *p); /* its limits and nice, for fs to enforce and show */
/* The stack an exec for p makes: its soft RLIMIT_STACK, within bounds. */
unsigned long rlimit_stack(const struct proc *p);
/* Whether p may grow by size bytes of address space, data of them
 * private and writable (RLIMIT_AS, RLIMIT_DATA): 0 or -ENOMEM. */
long rlimit_vm_check(struct proc *p, unsigned long size, unsigned long data);
void rlimit_tick(void); /* every PM_OOM_TICK_US: CPU time limits */
int pm_do_rlimit(struct server *s, const struct srv_req *req, struct srv_rep *rep);
/* CPU time of every thread of task in microseconds, 0 if it is gone. */
unsigned long task_cpu_us(long task);

/* fs.c: pm as a client of the file-system server (through host_call) */
/* Calls fs with op, m0..m2 and len bytes at host_buf(); the result, or
 * -EIO once fs is dead. */
long fsc_call(unsigned op, unsigned long m0, unsigned long m1, unsigned long m2, size_t len,
              long handle);
/* Starts sbin/fs and fills its root from the boot archive. */
int fsc_start(void);
/* Opens the program at path (as pid sees it) in pm's table: the fd. */
long fsc_open_program(int pid, const char *path);
/* Reads all of fd (from where it is) into *data (malloc). */
long fsc_read_fd(long fd, void **data, size_t *size);
/* Reads the program at path (as pid sees it) into *data (malloc). */
long fsc_read_file(int pid, const char *path, void **data, size_t *size);
/* Tells fs p's /proc row (with a read-only task handle if with_task). */
void fsc_proc_update(struct proc *p, bool with_task);

#endif
