/* System-call stubs: one ecall each, arguments in a0..a6, number in a7.
 * IPC stubs move a struct ipc_msg in and out of registers. */
#ifndef MICA_SYSCALL_H
#define MICA_SYSCALL_H

#include "mica/abi.h"

struct ipc_msg {
	unsigned long tag;
	unsigned long m[4];
	unsigned long badge; /* set by the kernel on delivery */
	unsigned long token; /* reply token when TAG_CALL is set */
};

#if defined(HOST_TEST) || defined(MICA_MONO)
/* No trap: the host unit tests provide these (a fake kernel), and a server
 * linked into the kernel calls the kernel directly (kern/host_kern.c). */
long mica_syscall(long n, long x0, long x1, long x2, long x3, long x4, long x5);
long mica_call(long ep, struct ipc_msg *msg);
long mica_recv(long ep, long timeout_us, struct ipc_msg *msg);
long mica_reply_recv(long ep, unsigned long token, struct ipc_msg *msg);
#else
#define MICA_ECALL_REGS                                                                            \
	register long a0 __asm__("a0");                                                            \
	register long a1 __asm__("a1");                                                            \
	register long a2 __asm__("a2");                                                            \
	register long a3 __asm__("a3");                                                            \
	register long a4 __asm__("a4");                                                            \
	register long a5 __asm__("a5");                                                            \
	register long a6 __asm__("a6");                                                            \
	register long a7 __asm__("a7")

static inline long mica_syscall(long n, long x0, long x1, long x2, long x3, long x4, long x5)
{
	MICA_ECALL_REGS;
	a0 = x0, a1 = x1, a2 = x2, a3 = x3, a4 = x4, a5 = x5, a6 = 0, a7 = n;
	__asm__ volatile("ecall"
	                 : "+r"(a0)
	                 : "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a5), "r"(a6), "r"(a7)
	                 : "memory");
	return a0;
}

#endif

#define SYSCALL0(n)             mica_syscall((n), 0, 0, 0, 0, 0, 0)
#define SYSCALL1(n, a)          mica_syscall((n), (long)(a), 0, 0, 0, 0, 0)
#define SYSCALL2(n, a, b)       mica_syscall((n), (long)(a), (long)(b), 0, 0, 0, 0)
#define SYSCALL3(n, a, b, c)    mica_syscall((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define SYSCALL4(n, a, b, c, d) mica_syscall((n), (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define SYSCALL5(n, a, b, c, d, e)                                                                 \
	mica_syscall((n), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0)
#define SYSCALL6(n, a, b, c, d, e, f)                                                              \
	mica_syscall((n), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

static inline long mica_null(void)
{
	return SYSCALL0(SYS_NULL);
}
static inline long mica_debug_write(const void *buf, unsigned long len)
{
	return SYSCALL2(SYS_DEBUG_WRITE, buf, len);
}
static inline __attribute__((noreturn)) void mica_exit(long status)
{
	SYSCALL1(SYS_EXIT, status);
	__builtin_unreachable();
}
static inline long mica_thread_exit(void)
{
	return SYSCALL0(SYS_THREAD_EXIT);
}
static inline long mica_yield(void)
{
	return SYSCALL0(SYS_YIELD);
}
static inline long mica_sleep(long usec)
{
	return SYSCALL1(SYS_SLEEP, usec);
}
static inline long mica_time(void)
{
	return SYSCALL0(SYS_TIME);
}
/* The newest bytes (at most len) of the kernel's log: dmesg. */
static inline long mica_klog(char *buf, unsigned long len)
{
	return SYSCALL2(SYS_KLOG, buf, len);
}
static inline long mica_clock(long id)
{
	return SYSCALL1(SYS_CLOCK, id);
}
static inline long mica_task_create(const char *name, long super_ep, unsigned long badge,
                                    unsigned flags)
{
	return SYSCALL4(SYS_TASK_CREATE, name, super_ep, badge, flags);
}
static inline long mica_thread_create(long task, void *pc, void *sp, unsigned long arg, long prio)
{
	return SYSCALL5(SYS_THREAD_CREATE, task, pc, sp, arg, prio);
}
static inline long mica_vm_map(long task, unsigned long va, unsigned long len, unsigned prot)
{
	return SYSCALL4(SYS_VM_MAP, task, va, len, prot);
}
static inline long mica_vm_share(long dst, unsigned long dva, long src, unsigned long sva,
                                 unsigned long len, unsigned prot)
{
	return SYSCALL6(SYS_VM_SHARE, dst, dva, src, sva, len, prot);
}
static inline long mica_vm_protect(long task, unsigned long va, unsigned long len, unsigned prot)
{
	return SYSCALL4(SYS_VM_PROTECT, task, va, len, prot);
}
static inline long mica_vm_page(long task, unsigned long va, unsigned op, unsigned long arg,
                                void *buf)
{
	return SYSCALL5(SYS_VM_PAGE, task, va, op, arg, buf);
}
static inline long mica_vm_unmap(long task, unsigned long va, unsigned long len)
{
	return SYSCALL3(SYS_VM_UNMAP, task, va, len);
}
static inline long mica_vm_write(long task, unsigned long dst, const void *src, unsigned long len)
{
	return SYSCALL4(SYS_VM_WRITE, task, dst, src, len);
}
static inline long mica_vm_read(long task, unsigned long src, void *dst, unsigned long len)
{
	return SYSCALL4(SYS_VM_READ, task, src, dst, len);
}
static inline long mica_handle_grant(long task, long h, unsigned long badge, unsigned rights)
{
	return SYSCALL4(SYS_HANDLE_GRANT, task, h, badge, rights);
}
static inline long mica_handle_close(long h)
{
	return SYSCALL1(SYS_HANDLE_CLOSE, h);
}
static inline long mica_ep_create(void)
{
	return SYSCALL0(SYS_EP_CREATE);
}
static inline long mica_ntfn_create(void)
{
	return SYSCALL0(SYS_NTFN_CREATE);
}
static inline long mica_signal(long ntfn, unsigned long bits)
{
	return SYSCALL2(SYS_SIGNAL, ntfn, bits);
}
static inline long mica_wait(long ntfn, long timeout_us)
{
	return SYSCALL2(SYS_WAIT, ntfn, timeout_us);
}
static inline long mica_ntfn_bind(long ntfn)
{
	return SYSCALL1(SYS_NTFN_BIND, ntfn);
}
static inline long mica_ipc_buffer(void *va)
{
	return SYSCALL1(SYS_IPC_BUFFER, va);
}
static inline long mica_irq_bind(long irq, long ntfn, unsigned long bits)
{
	return SYSCALL3(SYS_IRQ_BIND, irq, ntfn, bits);
}
static inline long mica_irq_ack(long irq)
{
	return SYSCALL1(SYS_IRQ_ACK, irq);
}
/* Physically contiguous zeroed memory at va in task: the physical
 * address, or -errno (privileged tasks only). */
static inline long mica_dma_map(long task, unsigned long va, unsigned long len)
{
	return SYSCALL3(SYS_DMA_MAP, task, va, len);
}
/* Signals bits on ntfn (held with RIGHT_RECV) every period_us, rounded up
 * to timer ticks; period 0 stops it. */
static inline long mica_ntfn_timer(long ntfn, unsigned long bits, unsigned long period_us)
{
	return SYSCALL3(SYS_NTFN_TIMER, ntfn, bits, period_us);
}
static inline long mica_mmio_map(long task, unsigned long va, unsigned long pa, unsigned long len)
{
	return SYSCALL4(SYS_MMIO_MAP, task, va, pa, len);
}
static inline long mica_thread_info(long task, long index, struct thread_info *ti)
{
	return SYSCALL3(SYS_THREAD_INFO, task, index, ti);
}
static inline long mica_poweroff(long code)
{
	return SYSCALL1(SYS_POWEROFF, code);
}
static inline long mica_kinfo(struct kinfo *k)
{
	return SYSCALL1(SYS_KINFO, k);
}
static inline long mica_vm_clone(long dst, long src)
{
	return SYSCALL2(SYS_VM_CLONE, dst, src);
}
static inline long mica_thread_fork(long task, unsigned long token, unsigned long m0)
{
	return SYSCALL3(SYS_THREAD_FORK, task, token, m0);
}
/* 0 while the client behind a deferred reply token still waits; -ESRCH
 * once it is gone (killed): its request can be dropped. */
static inline long mica_reply_alive(unsigned long token)
{
	return SYSCALL1(SYS_REPLY_ALIVE, token);
}
static inline long mica_task_limit(long task, unsigned what, unsigned long value)
{
	return SYSCALL3(SYS_TASK_LIMIT, task, what, value);
}
/* weight 0: the threads keep theirs */
static inline long mica_task_prio(long task, long prio, long weight)
{
	return SYSCALL3(SYS_TASK_PRIO, task, prio, weight);
}
static inline long mica_kstat(struct kstat *out)
{
	return SYSCALL1(SYS_KSTAT, out);
}
static inline long mica_thread_upcall(long task, unsigned long tid, unsigned long pc)
{
	return SYSCALL3(SYS_THREAD_UPCALL, task, tid, pc);
}
static inline long mica_upcall_frame(long op, void *frame)
{
	return SYSCALL2(SYS_UPCALL_FRAME, op, frame);
}
static inline long mica_task_stop(long task, long stop)
{
	return SYSCALL2(SYS_TASK_STOP, task, stop);
}
/* FUTEX_WAIT or FUTEX_WAKE on the 32-bit word at uaddr (abi.h). */
static inline long mica_futex(const volatile void *uaddr, long op, unsigned long val,
                              long timeout_us)
{
	return SYSCALL4(SYS_FUTEX, uaddr, op, val, timeout_us);
}
static inline long mica_task_kill(long task, long status)
{
	return SYSCALL2(SYS_TASK_KILL, task, status);
}
/* task's system calls reported to the endpoint ep (TRACE_ATTACH), or as
 * another task's are (TRACE_INHERIT, arg a task handle); badge marks
 * the reports. */
static inline long mica_trace(long task, unsigned op, long arg, unsigned long badge)
{
	return SYSCALL4(SYS_TRACE, task, op, arg, badge);
}
/* The registers (src 0: struct trace_regs) or len bytes of memory at src
 * of the thread whose report (token) we have not answered yet. */
static inline long mica_trace_read(unsigned long token, unsigned long src, void *dst,
                                   unsigned long len)
{
	return SYSCALL4(SYS_TRACE_READ, token, src, dst, len);
}
/* Copies len bytes between our memory at va and offset off of the window
 * of the caller that token names (it waits for our reply): dir WIN_OUT
 * into the window, WIN_IN out of it. len, or -errno. */
static inline long mica_window_copy(unsigned long token, unsigned long off, const void *va,
                                    unsigned long len, unsigned dir)
{
	return SYSCALL5(SYS_WINDOW_COPY, token, off, va, len, dir);
}

static inline long mica_send(long ep, const struct ipc_msg *msg)
{
	return mica_syscall(SYS_SEND, ep, (long)msg->tag, (long)msg->m[0], (long)msg->m[1],
	                    (long)msg->m[2], (long)msg->m[3]);
}

static inline long mica_reply(unsigned long token, const struct ipc_msg *msg)
{
	return mica_syscall(SYS_REPLY, (long)token, (long)msg->tag, (long)msg->m[0],
	                    (long)msg->m[1], (long)msg->m[2], (long)msg->m[3]);
}

#if !defined(HOST_TEST) && !defined(MICA_MONO)
/* Sends msg and waits for the reply, which replaces msg (tag, m[]); the
 * server may use the window win (MAKE_WIN; 0: none) until it replies. */
static inline long mica_call_window(long ep, struct ipc_msg *msg, unsigned long win)
{
	MICA_ECALL_REGS;
	a0 = ep, a1 = (long)msg->tag, a2 = (long)msg->m[0], a3 = (long)msg->m[1];
	a4 = (long)msg->m[2], a5 = (long)msg->m[3], a6 = (long)win, a7 = SYS_CALL;
	__asm__ volatile("ecall"
	                 : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4), "+r"(a5), "+r"(a6),
	                   "+r"(a7)
	                 :
	                 : "memory");
	msg->tag = (unsigned long)a1, msg->m[0] = (unsigned long)a2, msg->m[1] = (unsigned long)a3;
	msg->m[2] = (unsigned long)a4, msg->m[3] = (unsigned long)a5;
	return a0;
}

/* Sends msg and waits for the reply, which replaces msg (tag, m[]). */
static inline long mica_call(long ep, struct ipc_msg *msg)
{
	return mica_call_window(ep, msg, 0);
}

/* Shared by recv and reply_recv: the delivered message lands in msg. */
#define MICA_TAKE_MSG(msg)                                                                         \
	do {                                                                                       \
		(msg)->tag = (unsigned long)a1, (msg)->m[0] = (unsigned long)a2;                   \
		(msg)->m[1] = (unsigned long)a3, (msg)->m[2] = (unsigned long)a4;                  \
		(msg)->m[3] = (unsigned long)a5, (msg)->badge = (unsigned long)a6;                 \
		(msg)->token = (unsigned long)a7;                                                  \
	} while (0)

static inline long mica_recv(long ep, long timeout_us, struct ipc_msg *msg)
{
	MICA_ECALL_REGS;
	a0 = ep, a1 = timeout_us, a7 = SYS_RECV;
	__asm__ volatile("ecall"
	                 : "+r"(a0), "+r"(a1), "=r"(a2), "=r"(a3), "=r"(a4), "=r"(a5), "=r"(a6),
	                   "+r"(a7)
	                 :
	                 : "memory");
	MICA_TAKE_MSG(msg);
	return a0;
}

/* Replies to token with msg, then waits on ep; the next message replaces msg. */
static inline long mica_reply_recv(long ep, unsigned long token, struct ipc_msg *msg)
{
	MICA_ECALL_REGS;
	a0 = ep, a1 = (long)token, a2 = (long)msg->tag, a3 = (long)msg->m[0];
	a4 = (long)msg->m[1], a5 = (long)msg->m[2], a6 = (long)msg->m[3], a7 = SYS_REPLY_RECV;
	__asm__ volatile("ecall"
	                 : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4), "+r"(a5), "+r"(a6),
	                   "+r"(a7)
	                 :
	                 : "memory");
	MICA_TAKE_MSG(msg);
	return a0;
}

#endif

/* Instruction and time counters (user-readable: the kernel sets scounteren). */
static inline unsigned long mica_rdinstret(void)
{
	unsigned long v;
	__asm__ volatile("rdinstret %0" : "=r"(v));
	return v;
}

#endif
