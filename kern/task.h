/* Tasks (an address space with a handle table) and threads (registers,
 * state, priority and counters, owned by one task). Objects come from
 * fixed pools; running out is an -EAGAIN for the caller, never a panic.
 * One hart runs the kernel at a time with interrupts off, so no locks. */
#ifndef MICA_TASK_H
#define MICA_TASK_H

#include "dzone.h"
#include "handle.h"
#include "riscv.h"
#include "runq.h"
#include "trap.h"
#include "vm.h"

/* A task flag next to TASK_PRIV (mica/abi.h), the kernel's own: a server
 * linked into the kernel, whose memory is kernel memory. */
#define TASK_KERNEL (1u << 8)

#define MAX_TASKS   128
#define MAX_THREADS 256
#define TASK_NAME   16

/* What an account is charged for (see task.c, "accounts"). */
enum resource {
	RES_TASKS = LIMIT_TASKS,
	RES_THREADS = LIMIT_THREADS,
	RES_EPS = LIMIT_EPS,
	RES_NTFNS = LIMIT_NTFNS,
	RES_FRAMES = LIMIT_FRAMES,
	RES_COUNT
};

/* A PTE software bit: the frame behind this user mapping belongs to the
 * task and is freed with it (MMIO and the initrd are not). */
#define PTE_OWNED (1UL << 8)
/* Asks task_map_anon for a demand-zero zone (dzone.h); never in a PTE. */
#define PTE_LAZY (1UL << 9)
/* In a PTE (the same bit): writable, but the frame may be shared with
 * other address spaces, so W is clear and the first write copies it. */
#define PTE_COW (1UL << 9)
/* The same bit without PTE_OWNED: shared memory (SYS_VM_SHARE). The
 * frame holds a reference for this mapping and stays one copy: writes
 * go to it, fork shares it as it is. */
#define PTE_SHARED         (1UL << 9)
#define PTE_IS_SHARED(pte) (((pte) & (PTE_OWNED | PTE_SHARED)) == PTE_SHARED)
/* task_fault_in: the fault is the pager's (a pager zone, or a page it
 * took away). */
#define FAULT_PAGER 1
/* A page the pager took away (SYS_VM_PAGE's evict) leaves a marker in
 * its slot: not valid, (its slot number + 1) << 10, and the R, W, X, U
 * and COW bits the page had, which a fill gives back. */
#define PTE_IS_MARK(pte) (!((pte)&PTE_V) && (pte) != 0)
#define MARK_SLOT(pte)   (((pte) >> 10) - 1)
#define MARK_BITS        (PTE_R | PTE_W | PTE_X | PTE_U | PTE_COW)

enum thread_state {
	TS_FREE,
	TS_READY,   /* on the run queue */
	TS_RUNNING, /* the current thread */
	TS_SEND,    /* on an endpoint's send queue (call or send) */
	TS_RECV,    /* on an endpoint's receive queue */
	TS_REPLY,   /* waiting for a server to reply */
	TS_NTFN,    /* in SYS_WAIT on a notification */
	TS_SLEEP,   /* in SYS_SLEEP */
	TS_CARRIER, /* a dead task's exit/fault message waiting for delivery */
	TS_PAGER,   /* faulted in a pager zone; waits for its pager's reply */
	TS_STOPPED, /* its task is stopped (SYS_TASK_STOP); back to user mode when continued */
	TS_FUTEX,   /* in SYS_FUTEX's wait (futex.c) */
};

/* struct thread's work bits: what the way back to user mode (and, for
 * WORK_TRACE, a system call's entry) must do first (upcall.c, trace.c). */
#define WORK_UPCALL 1u /* divert to upcall_pc, keeping the registers (SYS_THREAD_UPCALL) */
#define WORK_STOP   2u /* its task may be stopped: wait while it is */
#define WORK_TRACE  4u /* its task is traced: report each call (trace.c) */

struct endpoint;
struct ntfn;
struct task;

/* Who paid for a shared object (it may outlive the payer's account). */
struct payer {
	struct task *acct; /* NULL: nobody (a privileged account) */
	uint64_t gen;
};

/* A message held by a thread blocked in send (registers are not enough:
 * their layout differs between call and reply_recv). */
struct msg {
	uint64_t tag, m[4];
	uint64_t badge;
	bool is_call;
	bool kernel; /* from the kernel on the thread's behalf (a page fault) */
};

/* 512-byte aligned: a pool index becomes an address with one shift. */
struct __attribute__((aligned(512))) thread {
	struct trapframe tf; /* first: the trap path saves user state here */
	uint8_t work;        /* WORK_*: checked on the way back to user mode */
	bool intr_ok;        /* its call or wait may end with -EINTR (TAG_INTR) */
	uint64_t upcall_pc;  /* WORK_UPCALL: where the thread goes */
	struct qlink link;   /* run queue or endpoint queue */
	uint16_t index;      /* slot in the thread pool */
	uint8_t state;       /* enum thread_state */
	uint64_t gen;        /* bumped when the slot is reused; 48 bits reach tokens */
	struct task *task;
	struct thread *sibling; /* next thread of the same task */
	struct payer paid;      /* the account charged for this slot (a carrier's too) */

	/* IPC */
	struct endpoint *ep;     /* TS_SEND / TS_RECV: the endpoint */
	struct msg msg;          /* TS_SEND / TS_CARRIER: what we send */
	struct task *reply_from; /* TS_REPLY: the task that owes the reply */
	uint64_t win;            /* TS_REPLY: the call's window (SYS_CALL a6, checked), or 0 */
	uint64_t ipc_buf;        /* user VA of this thread's IPC buffer, or 0 */
	void *ipc_kva;           /* its kernel address once known (serve.c); cleared by task_unmap
	                          * and by anything else that changes the page's mapping */
	struct ntfn *bound;      /* notification delivered through SYS_RECV */
	struct ntfn *waiting;    /* TS_NTFN */
	uint64_t futex;          /* TS_FUTEX: the user address of the word waited on */

	/* time */
	uint64_t wake_tick; /* when a sleep or timeout ends; 0: none */
	struct thread *timer_next;
	int slice; /* ticks left in this time slice */
	/* its share within its priority (sched.c): it has run for a virtual
	 * time of vbase + cpu_time * SCHED_WEIGHT_DEFAULT / weight */
	uint32_t weight;
	int64_t vbase;

	/* counters (shown by /proc later) */
	uint64_t cpu_time; /* time-CSR ticks spent running */
	uint64_t nvcsw;    /* gave up the CPU: blocked or yielded */
	uint64_t nivcsw;   /* preempted */

	/* tracing (trace.c), with WORK_TRACE set */
	uint8_t trace;     /* TR_*: where its traced system call is */
	uint64_t trace_nr; /* that call's number */
	uint64_t trace_pc; /* and its ecall's address */
	uint64_t trace_a0; /* a0 while it waits for the tracer (a wake may overwrite it) */
	uint64_t trace_t0; /* time CSR when the call began to run */
};

_Static_assert(__builtin_offsetof(struct thread, work) == TH_WORK, "trapvec.S finds work");

/* A task is owned by the task that created it and dies with it. Its
 * account is the task that pays for what it creates: itself when a
 * privileged task made it (pm making a process), else its creator's
 * account, so a process and every task it makes share one set of limits.
 * Invariant: an account outlives its members (they are its descendants
 * in ownership, and task_destroy ends descendants first). */
struct task {
	bool used;
	uint16_t index;
	uint32_t flags; /* TASK_PRIV */
	uint64_t gen;   /* bumped when the slot is freed; never wraps */
	char name[TASK_NAME];
	pte_t *root;
	uint64_t satp;
	struct handle_table handles;
	struct thread *threads; /* live threads, linked by sibling */
	int nthreads;
	struct endpoint *super_ep; /* supervisor: exit and fault messages */
	uint64_t super_badge;
	uint64_t owned_pages;                    /* frames mapped with PTE_OWNED */
	uint64_t peak_pages;                     /* the most owned_pages has been */
	uint64_t shared_pages;                   /* PTE_SHARED mappings */
	struct dzone_set dz;                     /* demand-zero zones (stacks, heap) */
	bool stopped;                            /* SYS_TASK_STOP: no thread returns to user mode */
	struct task *owner;                      /* creator; NULL for the root task */
	struct task *acct;                       /* who pays (itself or its creator's account) */
	uint64_t use[RES_COUNT], lim[RES_COUNT]; /* as an account; lim 0: none */
	struct endpoint *tracer;                 /* SYS_TRACE: its calls are reported there */
	uint64_t trace_badge;
};

struct kserver;
struct endpoint {
	struct kserver *ks; /* served by a handler inside the kernel (mono), or NULL */
	int refs;           /* handles naming it, plus carriers queued on it; 0: free */
	int recv_refs;      /* of those, handles that may receive; 0: dead */
	struct tqueue senders, receivers;
	struct payer paid;
};

struct ntfn {
	bool kbound; /* bound to a server inside the kernel (mono) */
	int refs;
	uint64_t bits;
	struct thread *waiter; /* in SYS_WAIT, or in SYS_RECV if bound */
	struct payer paid;
	uint64_t tbits, tperiod, tdue; /* SYS_NTFN_TIMER: bits every tperiod ticks (0: none) */
};

extern struct thread *cur; /* the running thread */
/* While a server's handler runs inside the kernel (mono), the task whose
 * handles and memory its system calls use; NULL otherwise. */
extern struct task *acting;
/* The task a system call acts for: the caller, or the server acting. */
static inline struct task *self(void)
{
	return acting ? acting : cur->task;
}
extern struct thread threads[MAX_THREADS];
extern struct task tasks[MAX_TASKS];

static inline struct thread *link_thread(struct qlink *l)
{
	return l ? (struct thread *)((char *)l - __builtin_offsetof(struct thread, link)) : NULL;
}

/* task.c */
/* A task made by creator (NULL: the kernel), charged to its account;
 * NULL and *err (-EAGAIN) when a pool or a limit says no. */
struct task *task_alloc(const char *name, uint32_t flags, struct task *creator, int *err);
/* A thread of t, charged to t's account; NULL and *err if refused. */
struct thread *thread_alloc(struct task *t, uint64_t pc, uint64_t sp, int prio, int *err);
/* Returns a thread that waits on nothing to the pool (see sched_cancel). */
void thread_free(struct thread *th);
/* Ends one thread wherever it is: cancels its wait, drops its bound
 * notification, frees the slot. The one path every teardown takes. */
void thread_destroy(struct thread *th);
/* Ends task t and, first, every task it owns: threads, handles, memory.
 * The supervisor gets MSG_TASK_EXIT or MSG_TASK_FAULT (label) with the
 * given words. If the hart runs on t's page tables it moves to the
 * kernel's first. Afterwards cur may be dead: see sched_leave_if_dead. */
void task_destroy(struct task *t, uint64_t label, const uint64_t m[4]);
/* Accounts: charge n of res to a (-EAGAIN, or -ENOMEM for frames, if a
 * limit or the pool's reserve refuses); uncharge gives it back. */
int acct_charge(struct task *a, enum resource res, uint64_t n);
void acct_uncharge(struct task *a, enum resource res, uint64_t n);
bool acct_is_limited(const struct task *a); /* unprivileged: limits apply */
void acct_open(struct task *t);             /* t pays for itself: default limits */
void payer_set(struct payer *p, struct task *a);
/* A task t owns, directly or not, that owns nothing itself; NULL if t
 * owns nothing. task_destroy ends these first, so accounts outlive
 * their members. */
struct task *task_owned_leaf(struct task *t);
void payer_refund(struct payer *p, enum resource res);
/* Slot + 1 in the low bits, so no token is 0 ("no reply owed"). */
static inline uint64_t thread_token(const struct thread *th)
{
	return ((th->gen & 0xFFFFFFFFFFFFul) << 16) | (th->index + 1u);
}
struct thread *thread_by_token(uint64_t token);
/* The task a handle names, with the rights in need (RIGHT_TASK_*). */
struct task *task_from_handle(long h, unsigned need, int *err);
/* Maps len bytes of zeroed, task-owned memory at va. */
int task_map_anon(struct task *t, uint64_t va, uint64_t len, uint64_t pte_perm);
void task_unmap(struct task *t, uint64_t va, uint64_t len);
/* Maps len bytes of physically contiguous zeroed frames at va, owned by
 * t: the physical address, or -ENOMEM. */
long task_map_dma(struct task *t, uint64_t va, uint64_t len);
/* True if any page of [va, va+len) is mapped or reserved. */
bool task_range_used(struct task *t, uint64_t va, uint64_t len);
/* Gives the page at va in a demand-zero zone its zeroed frame, charged to
 * t's account, if the zone allows the access needs (PTE_R, PTE_W, PTE_X
 * or 0): 0, -EFAULT (no zone, or mapped already), -ENOMEM. */
/* Gives va (mapped at *pte, an owned frame) a frame of its own before a
 * write: see task.c. 0 or -ENOMEM. */
int task_unshare(struct task *t, uint64_t va, pte_t *pte);
int task_fault_in(struct task *t, uint64_t va, uint64_t need);
/* Maps src's page at sva into dst at dva (an empty slot) with PTE
 * permissions perm: shared (PTE_SHARED), or with cow dst's own page at
 * its first write. 0, -EFAULT (nothing at sva), -EEXIST, -ENOMEM, -EBUSY. */
int task_share_page(struct task *dst, uint64_t dva, struct task *src, uint64_t sva, uint64_t perm,
                    bool cow);
/* The pager's page operations (SYS_VM_PAGE): see syscall.c. kbuf is a
 * page of the caller's, already checked. */
long task_page_age(struct task *t, uint64_t va, uint64_t n, uint8_t *bits);
int task_page_evict(struct task *t, uint64_t va, uint64_t slot, void *kbuf);
int task_page_fill(struct task *t, uint64_t va, const void *kbuf);
long task_page_dirty(struct task *t, uint64_t va);
/* The marker in va's slot, or 0. */
pte_t task_marker(struct task *t, uint64_t va);
/* New R/W/X/U bits for the pages mapped in [va, va+len) and the zones there. */
int task_protect(struct task *t, uint64_t va, uint64_t len, uint64_t perm);
/* Copies src's user mappings into dst, whose user half must be empty.
 * Returns the number of pages, or an error with dst left empty. */
long task_clone_memory(struct task *dst, struct task *src);
void obj_put_endpoint(struct endpoint *ep);
void obj_put_ntfn(struct ntfn *n);
/* A new handle h names its object: take the references it stands for. */
void handle_ref(const struct handle *h);
/* Drops the references a handle taken out of a table stood for. */
void handle_release(struct handle h);

/* sched.c */
void sched_ready(struct thread *th); /* make runnable (queue tail) */
/* cur stops running in the given state; returns once something else
 * runs. The caller returns cur's old a0 so the trap exit's store of the
 * result is a no-op: the waker writes the real result. */
void sched_block(uint8_t state);
void sched_switch(struct thread *next); /* cur (already parked) -> next */
void sched_next(void);                  /* cur is gone (dead): pick next */
/* Takes th off whatever queue, timer or wait it is in; it stays in its
 * state until the caller sets another. The only place that knows them. */
void sched_cancel(struct thread *th);
/* After something that may have killed cur: if it did, run another. */
void sched_leave_if_dead(void);
uint64_t pool_free(enum resource res); /* free slots in a kernel pool */
void sched_yield(void);
void sched_preempt_check(void);                            /* a higher priority became ready */
void sched_set_prio(struct thread *th, int prio);          /* on the run queue too */
void sched_set_weight(struct thread *th, uint32_t weight); /* its share within its priority */
int64_t sched_vruntime(const struct thread *th);           /* in time-CSR ticks */
uint64_t sched_cpu_time(const struct thread *th); /* cpu_time, and the current stint if running */
/* A new thread's weight and virtual runtime: from's (a sibling, fork's
 * client), or the default at where its priority's clock stands. */
void sched_place(struct thread *th, const struct thread *from);
void sched_kernel_satp(void);                         /* leave a dying address space */
void sched_tick(void);                                /* from the timer interrupt */
void sched_timeout(struct thread *th, uint64_t usec); /* arm; 0: none */
void sched_untimeout(struct thread *th);
NORETURN void sched_start(void);
NORETURN void user_return(void);             /* trapvec.S: restore cur and sret */
void sched_wake(struct thread *th, long a0); /* blocked -> ready with a0 */

/* The switch itself, inline for the IPC fast path: charge the CPU time,
 * change address space if needed, make next current. */
extern uint64_t hart_satp, last_switch;
extern uint64_t idle_time; /* time-CSR ticks the hart spent idle */
static inline void switch_from_idle(struct thread *next)
{
	last_switch = r_time();
	if (next->task->satp != hart_satp) {
		hart_satp = next->task->satp;
		w_satp(hart_satp);
	}
	cur = next;
	next->state = TS_RUNNING;
}
static inline void switch_to(struct thread *next)
{
	uint64_t now = r_time();
	cur->cpu_time += now - last_switch;
	switch_from_idle(next);
	last_switch = now;
}

/* upcall.c: diverting and stopping threads (the mechanism under signals) */
void user_return_work(void); /* trapvec.S: cur has work bits */
void upcall_reset(struct thread *th);
long sys_thread_upcall(long task, uint64_t tid, uint64_t pc);
long sys_upcall_frame(long op, uint64_t va);
long sys_task_stop(long task, long stop);

/* uaccess.c: user memory, always through the page tables */
int copy_from_user(struct task *t, void *dst, uint64_t uva, size_t len);
int copy_to_user(struct task *t, uint64_t uva, const void *src, size_t len);
/* force: write even where the destination is not writable (loading). */
int copy_user_to_user(struct task *dst, uint64_t dva, struct task *src, uint64_t sva, size_t len,
                      bool force);
int copy_to_user_force(struct task *t, uint64_t uva, const void *src, size_t len);
bool user_range_ok(uint64_t uva, size_t len);
void *user_page_ptr(struct task *t, uint64_t va, uint64_t need);
/* th's IPC buffer through the direct map (readable and writable), or NULL. */
void *ipc_buf_ptr(struct thread *th);

#endif
