/* The Mica system-call ABI, shared by the kernel and user code.
 *
 * ecall with the number in a7 and arguments in a0..a6. The result comes
 * back in a0: a value >= 0, or a negative error code (lib/mica/errno.h).
 * IPC calls return more registers; see the message layout below and
 * docs/syscalls.md for every call. */
#ifndef MICA_ABI_H
#define MICA_ABI_H

/* System-call numbers. */
#define SYS_NULL          0  /* () -> 0: the cheapest trap, for measurements */
#define SYS_DEBUG_WRITE   1  /* (buf, len) -> len: kernel console, bring-up only */
#define SYS_EXIT          2  /* (status): ends the whole task */
#define SYS_THREAD_EXIT   3  /* (): ends this thread; the last one ends the task */
#define SYS_YIELD         4  /* () -> 0 */
#define SYS_SLEEP         5  /* (usec) -> 0 */
#define SYS_TIME          6  /* () -> microseconds since boot */
#define SYS_TASK_CREATE   7  /* (name, super_ep, badge, flags) -> task handle */
#define SYS_THREAD_CREATE 8  /* (task, pc, sp, arg, prio) -> thread handle */
#define SYS_VM_MAP        9  /* (task, va, len, perm) -> 0: zeroed anonymous memory */
#define SYS_VM_UNMAP      10 /* (task, va, len) -> 0 */
#define SYS_VM_WRITE      11 /* (task, dst_va, src, len) -> len: copy into task */
#define SYS_VM_READ       12 /* (task, src_va, dst, len) -> len: copy out of task */
#define SYS_HANDLE_GRANT  13 /* (task, handle, badge, rights) -> slot in task */
#define SYS_HANDLE_CLOSE  14 /* (handle) -> 0 */
#define SYS_EP_CREATE     15 /* () -> endpoint handle */
#define SYS_NTFN_CREATE   16 /* () -> notification handle */
#define SYS_CALL          17 /* (ep, tag, m0, m1, m2, m3) -> status; reply in a1..a5 */
#define SYS_SEND          18 /* (ep, tag, m0, m1, m2, m3) -> status; one way */
#define SYS_RECV          19 /* (ep, timeout_us) -> status; message in a1..a7 */
#define SYS_REPLY         20 /* (token, tag, m0, m1, m2, m3) -> status */
#define SYS_REPLY_RECV    21 /* (ep, token, tag, m0, m1, m2, m3) -> as SYS_RECV */
#define SYS_SIGNAL        22 /* (ntfn, bits) -> 0 */
#define SYS_WAIT          23 /* (ntfn, timeout_us) -> bits */
#define SYS_NTFN_BIND     24 /* (ntfn) -> 0: SYS_RECV also returns its signals */
#define SYS_IPC_BUFFER    25 /* (va) -> 0: this thread's long-message page */
#define SYS_IRQ_BIND      26 /* (irq, ntfn, bits) -> 0; privileged */
#define SYS_IRQ_ACK       27 /* (irq) -> 0 */
#define SYS_MMIO_MAP      28 /* (task, va, pa, len) -> 0; privileged */
#define SYS_THREAD_INFO   29 /* (task, index, struct thread_info *) -> 0 */
#define SYS_POWEROFF      30 /* (code); privileged */
#define SYS_KINFO         31 /* (struct kinfo *) -> 0 */
#define SYS_TASK_KILL     32 /* (task, status) -> 0: ends a task you hold */
#define SYS_VM_CLONE      33 /* (dst_task, src_task) -> pages: copy an address space */
#define SYS_THREAD_FORK   34 /* (dst_task, token, m0) -> tid: a caller's registers */
#define SYS_REPLY_ALIVE   35 /* (token) -> 0 if the caller still waits for our reply */
#define SYS_TASK_LIMIT    36 /* (task, LIMIT_*, value) -> 0: its account's limit; 0 is none */
#define SYS_KSTAT         37 /* (struct kstat *) -> 0: the kernel's event counters */
#define SYS_CLOCK         38 /* (CLOCK_ID_*) -> nanoseconds */
#define SYS_KLOG          39 /* (buf, len) -> n: the newest n <= len bytes of the kernel log */
#define SYS_TASK_PRIO     40 /* (task, prio, weight) -> 0: every thread of task runs at prio */
#define SYS_DMA_MAP       41 /* (task, va, len) -> pa: contiguous zeroed frames; privileged */
#define SYS_NTFN_TIMER    42 /* (ntfn, bits, period_us) -> 0: signal bits every period; 0 stops */
#define SYS_WINDOW_COPY   43 /* (token, off, va, len, dir) -> len: a waiting caller's window */
#define SYS_VM_SHARE                                                                               \
	44                /* (dst, dva, src, sva, len, prot) -> 0: src's frames at dva; privileged \
	                   */
#define SYS_VM_PROTECT 45 /* (task, va, len, prot) -> 0: new permissions; privileged */
#define SYS_VM_PAGE    46 /* (task, va, VMP_*, arg, buf) -> the pager's page tools; privileged */
/* Signals' mechanism (kern/upcall.c); see docs/syscalls.md. */
#define SYS_THREAD_UPCALL 47 /* (task, tid, pc) -> 0: divert a thread to pc; privileged */
#define SYS_UPCALL_FRAME  48 /* (UPCALL_GET/RESUME, frame) -> the held registers / resume */
#define SYS_TASK_STOP     49 /* (task, 1 stop / 0 continue) -> 0; privileged */
#define SYS_FUTEX         50 /* (uaddr, FUTEX_*, val, timeout_us): see below */
/* Tracing (kern/trace.c): */
#define SYS_TRACE      51 /* (task, TRACE_*, arg, badge) -> 1 traced, 0 not: its calls reported */
#define SYS_TRACE_READ 52 /* (token, src, dst, len) -> len: a thread stopped for our report */
/* SYS_POWEROFF's code for a reset (reboot) instead of a power-off */
#define POWER_REBOOT  0x10000
#define SYS_COUNT     53
#define UPCALL_GET    0 /* copy the registers the upcall took into frame (32 words) */
#define UPCALL_RESUME 1 /* run on with frame's registers: pc, then x1..x31 */
/* A call's tag on send: the caller may be interrupted while it waits
 * (SYS_THREAD_UPCALL ends the wait with -EINTR). Never delivered. */
#define TAG_INTR (1ul << 30)
#define DMA_MAX  (256 * 1024) /* bytes in one SYS_DMA_MAP */

/* SYS_CLOCK clocks. Without an RTC, realtime is the same as monotonic. */
#define CLOCK_ID_REALTIME  0 /* since the Unix epoch */
#define CLOCK_ID_MONOTONIC 1 /* since boot */

/* What an account may hold (SYS_TASK_LIMIT). A privileged task may set
 * any limit; others may only lower one. */
#define LIMIT_TASKS   0 /* tasks it creates */
#define LIMIT_THREADS 1
#define LIMIT_EPS     2
#define LIMIT_NTFNS   3
#define LIMIT_FRAMES  4 /* 4 KiB pages of memory; default 3/4 of RAM */

/* User address-space layout (Sv39 lower half, up to 0x4000000000). */
#define USER_MIN_VA      0x10000UL            /* nothing maps below */
#define USER_MAX_VA      0x0000003000000000UL /* programs load below */
#define USER_INITRD_BASE 0x0000003000000000UL /* boot archive, root task */
#define USER_IPCBUF_BASE 0x0000003F00000000UL /* one page per thread */
#define USER_STACK_TOP   0x0000003FFFFF0000UL
#define USER_STACK_SIZE  (8UL << 20) /* RLIMIT_STACK: demand-zero, a gap below */

/* Handles: small integers indexing the task's handle table. */
#define HANDLE_SELF (-1L) /* the calling task, where a task handle is asked */
#define HANDLE_MAX  64    /* slots per task */

/* Handle rights (SYS_HANDLE_GRANT may only remove rights). */
#define RIGHT_SEND  (1u << 0) /* endpoint: call/send; notification: signal */
#define RIGHT_RECV  (1u << 1) /* endpoint: recv; notification: wait/bind */
#define RIGHT_GRANT (1u << 2) /* may be granted onward */
#define RIGHT_ALL   (RIGHT_SEND | RIGHT_RECV | RIGHT_GRANT)
/* On a task handle: control (kill, map, write, threads, grant into it)
 * and inspect (read its memory and counters, clone from it). */
#define RIGHT_TASK_CTL  RIGHT_SEND
#define RIGHT_TASK_READ RIGHT_RECV

/* SYS_TASK_CREATE flags. */
#define TASK_PRIV (1u << 0) /* may map MMIO, bind IRQs, power off */
/* (privileged creators) a fault the kernel would end the task for goes to
 * its supervisor first, as a page fault with PF_FATAL: pm's processes,
 * whose handlers for SIGSEGV and kin may run */
#define TASK_FAULTS (1u << 1)

/* SYS_VM_MAP permissions. */
#define PROT_READ_  (1u << 0)
#define PROT_WRITE_ (1u << 1)
#define PROT_EXEC_  (1u << 2)
#define PROT_LAZY_  (1u << 3) /* reserve: each page gets its zeroed frame when first touched */
#define PROT_PAGER_ (1u << 4) /* reserve: faults go to the supervisor (privileged callers) */
/* SYS_VM_SHARE: the pages stay one copy in both (shared memory), or
 * with PROT_COW_ dst's become its own at the first write (private). */
#define PROT_COW_ (1u << 5)
/* SYS_VM_PAGE operations (swapping). */
#define VMP_AGE                                                                                    \
	0 /* arg pages from va (<= 4096): buf gets 2 bits each, bit 0 "in memory                   \
	   * and the task's own", bit 1 "accessed since the last look"; the                        \
	   * accessed bits are cleared -> pages in memory */
#define VMP_EVICT                                                                                  \
	1          /* the task's own page at va: its 4 KiB into buf, then freed; the slot          \
	            * keeps swap slot arg, and the next touch faults to the pager -> 0 */
#define VMP_FILL 2 /* an evicted page comes back with buf's 4 KiB, clean (D clear) -> 0 */
#define VMP_DIRTY                                                                                  \
	3 /* the page at va: 1 if written since it was filled or last asked                        \
	   * (its dirty bit, which this clears), 0 if clean */
#define VMP_AGE_MAX 4096
/* MSG_TASK_PAGEFAULT's m1 flag: the kernel found no free frame for a
 * demand-zero page (the pager may make room and answer 0). */
#define PF_NOMEM (1ul << 16)
/* Its flag for a fault the kernel would end the task for (no page or
 * zone there, an illegal instruction, a misaligned access): the
 * supervisor may answer 0 once it arranged a signal handler for the
 * thread (it resumes diverted to it), or a negative label to end it. */
#define PF_FATAL (1ul << 17)
/* SYS_VM_PROTECT: PROT_NONE_ keeps the pages but lets no access through. */
#define PROT_NONE_ 0u

/* SYS_FUTEX operations on a 32-bit aligned word of the caller's memory;
 * waiters and wakers must be threads of one task. */
#define FUTEX_WAIT        0 /* sleep if the word is val -> 0 woken, -EAGAIN not val, -ETIMEDOUT */
#define FUTEX_WAKE        1 /* wake up to val waiters, oldest first -> how many */
#define FUTEX_TIMEOUT_MAX (1L << 50) /* microseconds (35 years); 0 waits without one */

/* Timeouts in microseconds. */
#define TIMEOUT_NEVER (-1L)
#define TIMEOUT_POLL  0L

/* Thread priorities: higher runs first. Within one, threads share the
 * CPU in proportion to their weights (SYS_TASK_PRIO; docs/sched.md). */
#define PRIO_MIN     0
#define PRIO_MAX     31
#define PRIO_DEFAULT 8

#define SCHED_WEIGHT_DEFAULT 1024
#define SCHED_WEIGHT_MAX     (1 << 20)
#define SCHED_SLICE_TICKS    5 /* the time slice, in timer ticks (kinfo's hz) */

/* Message tag (a1 on send and on delivery):
 *   bits  0..15  label: an opcode on requests, a result on replies
 *   bits 16..28  payload length in bytes (0..IPC_MAX), in the IPC buffer
 *   bit  29      TAG_TRUNC: the receiver's buffer could not take the payload
 *   bit  30      TAG_NOTIFY: recv returned notification bits in m0, no message
 *   bit  31      TAG_HANDLE: a handle travels with the message
 *   bits 32..39  handle: the sender's slot on send, the receiver's on delivery
 *   bit  40      TAG_CALL: the sender waits for a reply (the token is valid)
 *   bit  41      TAG_KERNEL: the kernel sent it (MSG_TASK_*); nobody can forge it
 *   bits 42..63  on delivery of a call: the length of the caller's window (0: none)
 * Delivery registers: a0 status, a1 tag, a2..a5 m0..m3, a6 badge, a7 token. */
#define IPC_MAX      4096
#define TAG_LABEL(t) ((t)&0xFFFFu)
#define TAG_LEN(t)   (((t) >> 16) & 0x1FFFu)
#define TAG_TRUNC    (1ul << 29)
#define TAG_NOTIFY   (1ul << 30)
#define TAG_HANDLE   (1ul << 31)
#define TAG_SLOT(t)  (((t) >> 32) & 0xFFu)
#define TAG_CALL     (1ul << 40)
#define TAG_KERNEL   (1ul << 41)
#define MAKE_TAG(label, len)                                                                       \
	(((unsigned long)(label)&0xFFFFu) | (((unsigned long)(len)&0x1FFFu) << 16))
#define TAG_WITH_HANDLE(t, slot) ((t) | TAG_HANDLE | (((unsigned long)(slot)&0xFFu) << 32))
#define TAG_WIN_SHIFT            42
#define TAG_WIN(t)               ((unsigned long)(t) >> TAG_WIN_SHIFT)

/* A call's memory window (SYS_CALL's a6; 0: none): len bytes of the
 * caller's memory at va that the server answering the call may copy to
 * (if writable) and from with SYS_WINDOW_COPY until it replies. The
 * server learns len from the tag (TAG_WIN), so len <= WIN_MAX; va must
 * be below WIN_WRITABLE (user addresses are). */
#define WIN_MAX      ((1ul << 22) - 1)
#define WIN_WRITABLE (1ul << 39)
#define WIN_VA(w)    ((unsigned long)(w) & (WIN_WRITABLE - 1))
#define WIN_LEN(w)   ((unsigned long)(w) >> 40)
#define MAKE_WIN(va, len, writable)                                                                \
	((unsigned long)(va) | ((unsigned long)(len) << 40) | ((writable) ? WIN_WRITABLE : 0))
#define WIN_OUT 0 /* SYS_WINDOW_COPY dir: our memory into the window */
#define WIN_IN  1 /* from the window into our memory */

/* Messages the kernel sends to a task's supervisor endpoint, with the
 * badge given at SYS_TASK_CREATE and TAG_KERNEL set. Naming a supervisor
 * takes a handle that may receive on it. A task dies with its creator. */
#define MSG_TASK_EXIT  0xFFF0 /* m0 = exit status, m1 = task id */
#define MSG_TASK_FAULT 0xFFF1 /* m0 = scause, m1 = stval, m2 = sepc, m3 = task id */
/* A call (a reply token in a7) from a thread that faulted in a pager
 * zone (PROT_PAGER_), on a page the pager evicted, or where no frame was
 * left: m0 = the address, m1 = scause (12 fetch, 13 load, 15 store) |
 * PF_NOMEM, m2 = the evicted page's swap slot + 1 (0: none), m3 = task
 * id. The thread waits; the reply's label 0 runs the access again, a
 * negative one kills the task (its supervisor then gets MSG_TASK_FAULT;
 * -ENOMEM says out of memory). */
#define MSG_TASK_PAGEFAULT 0xFFF2
/* A call (a reply token in a7) from a traced thread (SYS_TRACE) to its
 * tracer, with the badge given to SYS_TRACE: m0 = TRACE_ENTRY (the call
 * has not run yet), TRACE_EXIT (it returns now) or TRACE_RESUMED (it
 * returns now, and began before the trace did), m1 = the system call's
 * number, m2 = at entry the wall-clock time (ns since the epoch), at exit
 * the time the call took (ns), m3 = the thread's id. The thread waits;
 * while it does SYS_TRACE_READ reads its registers and memory. Any
 * reply lets it go on. */
#define MSG_TASK_TRACE 0xFFF3
#define TRACE_ENTRY    0
#define TRACE_EXIT     1
#define TRACE_RESUMED  2
/* SYS_TRACE operations. */
#define TRACE_ATTACH   0       /* arg: an endpoint handle with send and receive rights */
#define TRACE_INHERIT  1       /* arg: a task handle: traced as that task is (exec, fork) */
#define TRACE_READ_MAX IPC_MAX /* bytes of memory in one SYS_TRACE_READ */

#ifndef __ASSEMBLER__
/* SYS_THREAD_INFO result: the counters /proc shows. */
struct thread_info {
	unsigned long tid;
	unsigned long state; /* 'R' running/ready, 'S' blocked, 'Z' exited */
	unsigned long prio;
	unsigned long cpu_us;
	unsigned long nvcsw;        /* voluntary context switches */
	unsigned long nivcsw;       /* involuntary context switches */
	unsigned long task_pages;   /* pages the task owns (VmRSS) */
	unsigned long peak_pages;   /* the most it owned at once (VmHWM) */
	unsigned long shared_pages; /* shared-memory pages it maps (RssShmem) */
	unsigned long weight;       /* its share within its priority (SYS_TASK_PRIO) */
	long vruntime_us;           /* the scheduler's virtual runtime (docs/sched.md) */
};

/* SYS_TRACE_READ with src 0: the stopped thread's registers. */
struct trace_regs {
	unsigned long nr;      /* the system call */
	unsigned long a[8];    /* a0..a7: the arguments at entry, the results at exit */
	unsigned long pc;      /* of its ecall */
	unsigned long ipc_buf; /* its IPC buffer (where payloads travel), 0: none */
};

/* SYS_KSTAT result: what the kernel did since boot, on the one hart that
 * runs it (SMP is boot-hart only). The counters that explain why one
 * placement costs what it does (make compare). */
struct kstat {
	unsigned long syscalls;     /* ecalls from user mode */
	unsigned long traps;        /* every trap: syscalls, faults, interrupts */
	unsigned long interrupts;   /* timer and device */
	unsigned long ipc_msgs;     /* messages delivered (calls, replies, sends, kernel's) */
	unsigned long ipc_bytes;    /* their payload bytes */
	unsigned long ctxsw;        /* thread switches */
	unsigned long satp;         /* address-space switches (satp writes) */
	unsigned long tlb_flush;    /* sfence.vma: whole (every satp write too) or one page */
	unsigned long copied;       /* bytes copied between address spaces or with the kernel */
	unsigned long served;       /* requests served by handlers inside the kernel (mono) */
	unsigned long demand_zero;  /* first touches of demand-zero pages (PROT_LAZY_) */
	unsigned long cow_shared;   /* pages shared copy-on-write by SYS_VM_CLONE */
	unsigned long cow_copied;   /* of those, copied at a first write */
	unsigned long cow_reused;   /* made writable in place: the last sharer wrote */
	unsigned long pager_faults; /* faults handed to a pager (MSG_TASK_PAGEFAULT) */
	unsigned long
	    fork_shared; /* shared-memory and program-text pages a fork mapped as they are */
};

/* SYS_KINFO result. */
struct kinfo {
	unsigned long frames_total, frames_free;
	unsigned long ticks, hz;
	unsigned long uptime_us;
	unsigned long ntasks, nthreads;
	unsigned long uart_pa, uart_size, uart_irq; /* from the device tree */
	unsigned long idle_us;                      /* time the hart spent with nothing to run */
	unsigned long mono;                         /* 1: the servers run inside the kernel */
	unsigned long nvirtio;                      /* virtio-mmio slots, in device-tree order */
	struct {
		unsigned long pa, size, irq;
	} virtio[8];
	unsigned long slice_ticks; /* the scheduler's time slice (SCHED_SLICE_TICKS) */
};
#endif

#endif
