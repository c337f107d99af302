/* System calls other than IPC, and the dispatch table trapvec.S jumps
 * through with the user's a0..a6 still in registers. Each handler checks
 * every argument before it changes anything. */
#include "errno.h"
#include "dtb.h"
#include "frame.h"
#include "futex.h"
#include "ipc.h"
#include "kprintf.h"
#include "kstring.h"
#include "kstat.h"
#include "placement.h"
#include "serve.h"
#include "panic.h"
#include "plic.h"
#include "rtc.h"
#include "task.h"
#include "timer.h"
#include "trace.h"

typedef long (*syscall_fn)(long, long, long, long, long, long, long);

static long sys_null(void)
{
	return 0;
}

static long sys_debug_write(uint64_t buf, uint64_t len)
{
	char chunk[128];
	for (uint64_t done = 0; done < len;) {
		size_t n = MIN(sizeof(chunk), len - done);
		if (copy_from_user(self(), chunk, buf + done, n))
			return done ? (long)done : -EFAULT;
		console_write(chunk, n);
		done += n;
	}
	return (long)len;
}

static long sys_exit(long status)
{
	struct task *t = cur->task;
	uint64_t m[4] = {(uint64_t)status, t->index, 0, 0};
	if (!t->super_ep)
		kprintf("task %s[%u] exited with status %ld\n", t->name, t->index, status);
	task_destroy(t, MSG_TASK_EXIT, m);
	kserve_flush(); /* a supervisor in the kernel hears it now */
	sched_next();
	return 0;
}

static long sys_task_kill(long task, long status)
{
	int err;
	struct task *t = task_from_handle(task, RIGHT_TASK_CTL, &err);
	if (!t)
		return err;
	if (!acting && t == cur->task)
		return sys_exit(status); /* (a server in the kernel goes on: serve.c) */
	uint64_t m[4] = {(uint64_t)status, t->index, 0, 0};
	task_destroy(t, MSG_TASK_EXIT, m);
	if (!acting) {
		kserve_flush();
		sched_leave_if_dead(); /* t may have owned our task */
	}
	return 0;
}

static long sys_thread_exit(void)
{
	if (cur->task->nthreads <= 1)
		return sys_exit(0);
	thread_destroy(cur);
	sched_next();
	return 0;
}

static long sys_yield(void)
{
	sched_yield();
	return 0;
}

static long sys_sleep(long usec)
{
	if (usec <= 0)
		return 0;
	struct thread *me = cur;
	sched_timeout(me, (uint64_t)usec);
	sched_block(TS_SLEEP);
	return (long)me->tf.x[10];
}

static long sys_time(void)
{
	return (long)timer_uptime_us();
}

/* The newest len bytes of the kernel's log (dmesg), oldest first. */
static long sys_klog(uint64_t buf, uint64_t len)
{
	char chunk[256];
	if (!user_range_ok(buf, len))
		return -EFAULT;
	size_t back = MIN(len, console_log_read(NULL, 0, 0)), done = 0;
	while (done < back) {
		size_t n = console_log_read(chunk, MIN(sizeof(chunk), back - done), back - done);
		if (!n || copy_to_user(cur->task, buf + done, chunk, n))
			return n ? -EFAULT : (long)done;
		done += n;
	}
	return (long)done;
}

static long sys_clock(long id)
{
	if (id != CLOCK_ID_REALTIME && id != CLOCK_ID_MONOTONIC)
		return -EINVAL;
	uint64_t up = timer_uptime_ns();
	return (long)(id == CLOCK_ID_REALTIME ? rtc_boot_epoch_ns() + up : up);
}

static long sys_task_create(uint64_t uname, long super, uint64_t badge, uint64_t flags)
{
	char name[TASK_NAME] = {0};
	int err;
	if (flags & ~(uint64_t)(TASK_PRIV | TASK_FAULTS))
		return -EINVAL;
	if (flags && !(self()->flags & TASK_PRIV))
		return -EPERM;
	for (int i = 0; i < TASK_NAME - 1; i++) {
		if (copy_from_user(self(), &name[i], uname + (uint64_t)i, 1))
			return -EFAULT;
		if (!name[i])
			break;
	}
	/* The supervisor must be someone we can be: a handle that receives. */
	struct handle *sh = NULL;
	if (super >= 0 &&
	    !(sh = handle_get(&self()->handles, super, H_ENDPOINT, RIGHT_SEND | RIGHT_RECV, &err)))
		return err;
	if (handle_count(&self()->handles) >= HANDLE_MAX)
		return -EMFILE;
	struct task *t = task_alloc(name, (uint32_t)flags, self(), &err);
	if (!t)
		return err;
	if (sh) {
		t->super_ep = sh->obj;
		t->super_ep->refs++;
		t->super_badge = badge;
	}
	struct handle h = {.type = H_TASK, .rights = RIGHT_ALL, .gen = t->gen, .obj = t};
	return handle_alloc(&self()->handles, &h);
}

static long sys_thread_create(long task, uint64_t pc, uint64_t sp, uint64_t arg, long prio)
{
	int err;
	struct task *t = task_from_handle(task, RIGHT_TASK_CTL, &err);
	if (!t)
		return err;
	if (pc >= USER_TOP || sp >= USER_TOP || prio < PRIO_MIN || prio > PRIO_MAX)
		return -EINVAL;
	if (!(self()->flags & TASK_PRIV) && prio > cur->link.prio)
		return -EPERM;
	struct thread *th = thread_alloc(t, pc, sp, (int)prio, &err);
	if (!th)
		return err;
	th->tf.x[10] = arg;
	if (!acting && t == cur->task) { /* same program: same global and thread pointers */
		th->tf.x[3] = cur->tf.x[3];
		th->tf.x[4] = cur->tf.x[4];
	}
	sched_ready(th);
	sched_preempt_check();
	return (long)thread_token(th);
}

static long sys_vm_clone(long dst, long src)
{
	int err;
	struct task *d = task_from_handle(dst, RIGHT_TASK_CTL, &err), *s;
	if (!d || !(s = task_from_handle(src, RIGHT_TASK_READ, &err)))
		return err;
	if (d == s)
		return -EINVAL;
	return task_clone_memory(d, s);
}

/* A new thread in task with the registers of the client that called us
 * and waits for our reply (the token proves it): fork's other half. It
 * resumes where the client does, seeing status 0, tag 0 and m0. */
static long sys_thread_fork(long task, uint64_t token, uint64_t m0)
{
	int err;
	struct task *t = task_from_handle(task, RIGHT_TASK_CTL, &err);
	if (!t)
		return err;
	struct thread *cl = thread_by_token(token);
	/* the client waits for our reply; or, for a server inside the kernel,
	 * is the very thread its handler runs on */
	bool waits = cl && cl->state == TS_REPLY && cl->reply_from == self();
	if (!waits && !(cl && acting && cl == cur))
		return -ESRCH;
	struct thread *th = thread_alloc(t, cl->tf.sepc, cl->tf.x[2], cl->link.prio, &err);
	if (!th)
		return err;
	sched_place(th, cl); /* the client's share and virtual runtime */
	th->tf = cl->tf;
	th->ipc_buf = cl->ipc_buf; /* same address in the copied space */
	th->ipc_kva = NULL;        /* but another page */
	th->tf.x[10] = 0;
	th->tf.x[11] = 0;
	th->tf.x[12] = m0;
	sched_ready(th);
	return (long)thread_token(th);
}

static long sys_reply_alive(uint64_t token)
{
	struct thread *cl = thread_by_token(token);
	return cl && (cl->state == TS_REPLY || cl->state == TS_PAGER) && cl->reply_from == self()
	           ? 0
	           : -ESRCH;
}

static bool is_priv(void);

/* Sets a limit of the account task t belongs to: privileged tasks any,
 * others only lower (0 means no limit, so it is never lower). */
static long sys_task_limit(long task, uint64_t res, uint64_t lim)
{
	int err;
	struct task *t = task_from_handle(task, RIGHT_TASK_CTL, &err);
	if (!t)
		return err;
	if (res >= RES_COUNT)
		return -EINVAL;
	struct task *a = t->acct;
	bool lowers = lim && (!a->lim[res] || lim <= a->lim[res]);
	if (!lowers && !is_priv())
		return -EPERM;
	a->lim[res] = lim;
	return 0;
}

/* Moves every thread of task to prio with weight (0: each keeps its
 * own), for nice through pm: privileged tasks to anything, others no
 * higher than the caller's own priority and weight. */
static long sys_task_prio(long task, long prio, long weight)
{
	int err;
	struct task *t = task_from_handle(task, RIGHT_TASK_CTL, &err);
	if (!t)
		return err;
	if (prio < PRIO_MIN || prio > PRIO_MAX || weight < 0 || weight > SCHED_WEIGHT_MAX)
		return -EINVAL;
	if (!is_priv() && (prio > cur->link.prio || weight > cur->weight))
		return -EPERM;
	for (struct thread *th = t->threads; th; th = th->sibling) {
		sched_set_prio(th, (int)prio);
		if (weight)
			sched_set_weight(th, (uint32_t)weight);
	}
	sched_preempt_check();
	return 0;
}

static bool page_range_ok(uint64_t va, uint64_t len)
{
	return len && IS_ALIGNED(va | len, PAGE_SIZE) && va >= PAGE_SIZE && user_range_ok(va, len);
}

static long sys_vm_map(long task, uint64_t va, uint64_t len, uint64_t prot)
{
	int err;
	struct task *t = task_from_handle(task, RIGHT_TASK_CTL, &err);
	if (!t)
		return err;
	uint64_t rwx = prot & ~(uint64_t)(PROT_LAZY_ | PROT_PAGER_);
	bool pager = prot & PROT_PAGER_;
	if (!page_range_ok(va, len) || (rwx & ~7ul) || (!rwx && !pager) ||
	    ((rwx & PROT_WRITE_) && (rwx & PROT_EXEC_)))
		return -EINVAL;
	if (pager && !(self()->flags & TASK_PRIV))
		return -EPERM; /* a pager zone's faults go to its supervisor */
	struct frame_stats st;
	frame_get_stats(&st);
	if (!(prot & PROT_LAZY_) && (len >> PAGE_SHIFT) > st.free) /* cannot succeed */
		return -ENOMEM;
	if (task_range_used(t, va, len))
		return -EEXIST;
	uint64_t perm = PTE_R | ((prot & PROT_WRITE_) ? PTE_W : 0) |
	                ((prot & PROT_EXEC_) ? PTE_X : 0) | ((prot & PROT_LAZY_) ? PTE_LAZY : 0);
	if (pager)
		return dz_add(&t->dz, va, va + len, (rwx ? perm | PTE_U | PTE_V : 0) | DZ_PAGER);
	return task_map_anon(t, va, len, perm);
}

static uint64_t prot_pte(uint64_t prot)
{
	return (prot & (PROT_READ_ | PROT_WRITE_ | PROT_EXEC_) ? PTE_R : 0) |
	       ((prot & PROT_WRITE_) ? PTE_W : 0) | ((prot & PROT_EXEC_) ? PTE_X : 0);
}

/* A pager's tool: src's frames in [sva, sva+len) mapped into dst at dva,
 * one copy for both or (PROT_COW_) dst's own from its first write.
 * Stops at the first page that fails; the pages before it stay mapped. */
static long sys_vm_share(long dst, uint64_t dva, long src, uint64_t sva, uint64_t len,
                         uint64_t prot)
{
	int err;
	struct task *d = task_from_handle(dst, RIGHT_TASK_CTL, &err), *s;
	if (!d || !(s = task_from_handle(src, RIGHT_TASK_CTL, &err)))
		return err;
	if (!(self()->flags & TASK_PRIV))
		return -EPERM;
	if (!page_range_ok(dva, len) || !page_range_ok(sva, len) || (prot & ~0x27ul) ||
	    !(prot & 7) || ((prot & PROT_WRITE_) && (prot & PROT_EXEC_)) ||
	    (d->flags & TASK_KERNEL) || (s->flags & TASK_KERNEL))
		return -EINVAL;
	for (uint64_t off = 0; off < len; off += PAGE_SIZE)
		if ((err = task_share_page(d, dva + off, s, sva + off, prot_pte(prot),
		                           prot & PROT_COW_)))
			return err;
	return 0;
}

/* Swapping's mechanism (VMP_* in mica/abi.h): the pager ages pages by
 * their accessed bits, takes a page away (its bytes into buf, a marker
 * with its swap slot in the page table) and gives it back. */
static long sys_vm_page(long task, uint64_t va, uint64_t op, uint64_t arg, uint64_t ubuf)
{
	static uint8_t kbuf[PAGE_SIZE];
	int err;
	struct task *t = task_from_handle(task, RIGHT_TASK_CTL, &err);
	if (!t)
		return err;
	if (!(self()->flags & TASK_PRIV))
		return -EPERM;
	if ((t->flags & TASK_KERNEL) || !page_range_ok(va, PAGE_SIZE))
		return -EINVAL;
	switch (op) {
	case VMP_AGE: {
		if (!arg || arg > VMP_AGE_MAX || !page_range_ok(va, arg * PAGE_SIZE))
			return -EINVAL;
		memset(kbuf, 0, (arg + 3) / 4);
		long n = task_page_age(t, va, arg, kbuf);
		return copy_to_user(self(), ubuf, kbuf, (arg + 3) / 4) ?: n;
	}
	case VMP_EVICT:
		if ((err = task_page_evict(t, va, arg, kbuf)))
			return err;
		if (copy_to_user(self(), ubuf, kbuf, PAGE_SIZE)) { /* put it back */
			task_page_fill(t, va, kbuf);
			return -EFAULT;
		}
		return 0;
	case VMP_FILL:
		if (copy_from_user(self(), kbuf, ubuf, PAGE_SIZE))
			return -EFAULT;
		return task_page_fill(t, va, kbuf);
	case VMP_DIRTY:
		return task_page_dirty(t, va);
	default:
		return -EINVAL;
	}
}

/* mprotect's mechanism: new permissions for the pages mapped in the
 * range and the zones there. PROT_NONE_ keeps the frames, unreachable. */
static long sys_vm_protect(long task, uint64_t va, uint64_t len, uint64_t prot)
{
	int err;
	struct task *t = task_from_handle(task, RIGHT_TASK_CTL, &err);
	if (!t)
		return err;
	if (!(self()->flags & TASK_PRIV))
		return -EPERM; /* W on shared memory is the pager's to give */
	if (!page_range_ok(va, len) || (prot & ~7ul) ||
	    ((prot & PROT_WRITE_) && (prot & PROT_EXEC_)) || (t->flags & TASK_KERNEL))
		return -EINVAL;
	return task_protect(t, va, len, prot_pte(prot));
}

static long sys_vm_unmap(long task, uint64_t va, uint64_t len)
{
	int err;
	struct task *t = task_from_handle(task, RIGHT_TASK_CTL, &err);
	if (!t)
		return err;
	if (!page_range_ok(va, len))
		return -EINVAL;
	err = dz_remove(&t->dz, va, va + len);
	if (!err)
		task_unmap(t, va, len);
	return err;
}

/* Writing past page protections is how a loader fills a new task's
 * text: allowed only before the task has a thread, never into itself,
 * so W^X holds for every task that runs. */
static long sys_vm_write(long task, uint64_t dst, uint64_t src, uint64_t len)
{
	int err;
	struct task *t = task_from_handle(task, RIGHT_TASK_CTL, &err);
	if (!t)
		return err;
	bool loading = t != self() && t->nthreads == 0;
	err = copy_user_to_user(t, dst, self(), src, len, loading);
	return err ? err : (long)len;
}

static long sys_vm_read(long task, uint64_t src, uint64_t dst, uint64_t len)
{
	int err;
	struct task *t = task_from_handle(task, RIGHT_TASK_READ, &err);
	if (!t)
		return err;
	err = copy_user_to_user(self(), dst, t, src, len, false);
	return err ? err : (long)len;
}

static long sys_handle_grant(long task, long slot, uint64_t badge, uint64_t rights)
{
	int err;
	struct task *t = task_from_handle(task, RIGHT_TASK_CTL, &err);
	if (!t)
		return err;
	struct handle *src = handle_get(&self()->handles, slot, H_NONE, RIGHT_GRANT, &err);
	if (!src)
		return err;
	if (badge && src->badge)
		return -EPERM; /* a badge is set once */
	struct handle h = *src;
	h.rights &= (uint8_t)rights;
	if (badge)
		h.badge = badge;
	int n = handle_alloc(&t->handles, &h);
	if (n >= 0)
		handle_ref(&h);
	return n;
}

static long sys_handle_close(long slot)
{
	int err;
	if (!handle_get(&self()->handles, slot, H_NONE, 0, &err))
		return err;
	handle_release(handle_take(&self()->handles, slot));
	return 0;
}

static bool is_priv(void)
{
	return self()->flags & TASK_PRIV;
}

static long sys_mmio_map(long task, uint64_t va, uint64_t pa, uint64_t len)
{
	int err;
	struct task *t = task_from_handle(task, RIGHT_TASK_CTL, &err);
	if (!t)
		return err;
	if (!is_priv())
		return -EPERM;
	if (!page_range_ok(va, len) || !IS_ALIGNED(pa, PAGE_SIZE) || frame_range_is_ram(pa, len))
		return -EINVAL;
	return vm_map(t->root, va, pa, len, PTE_R | PTE_W | PTE_U);
}

/* Physically contiguous memory for a driver's DMA, mapped at va in task
 * and owned by it; the physical address is the answer. */
static long sys_dma_map(long task, uint64_t va, uint64_t len)
{
	int err;
	struct task *t = task_from_handle(task, RIGHT_TASK_CTL, &err);
	if (!t)
		return err;
	if (!is_priv())
		return -EPERM;
	if (!page_range_ok(va, len) || len > DMA_MAX)
		return -EINVAL;
	if (task_range_used(t, va, len))
		return -EEXIST;
	return task_map_dma(t, va, len);
}

static long sys_irq_bind(long irq, long ntfn, uint64_t bits)
{
	int err;
	struct handle *h = handle_get(&self()->handles, ntfn, H_NTFN, RIGHT_SEND, &err);
	if (!h)
		return err;
	if (!is_priv())
		return -EPERM;
	return plic_bind((uint32_t)irq, h->obj, bits, self());
}

static long sys_irq_ack(long irq)
{
	return plic_ack((uint32_t)irq, self());
}

static long sys_thread_info(long task, long index, uint64_t uinfo)
{
	int err;
	struct task *t = task_from_handle(task, RIGHT_TASK_READ, &err);
	if (!t)
		return err;
	struct thread *th = t->threads;
	for (long i = 0; th && i < index; i++)
		th = th->sibling;
	if (!th || index < 0)
		return -ENOENT;
	static const char letters[] = {
	    [TS_READY] = 'R', [TS_RUNNING] = 'R', [TS_SEND] = 'S',  [TS_RECV] = 'S',
	    [TS_REPLY] = 'S', [TS_NTFN] = 'S',    [TS_SLEEP] = 'S', [TS_CARRIER] = 'Z',
	    [TS_PAGER] = 'D', [TS_STOPPED] = 'T', [TS_FUTEX] = 'S'};
	int64_t vr = sched_vruntime(th), tb = (int64_t)timer_timebase(); /* split: no overflow */
	struct thread_info info = {
	    .tid = thread_token(th),
	    .state = (unsigned long)(trace_is_stopped(th) ? 't' : letters[th->state]),
	    .prio = th->link.prio,
	    .cpu_us = sched_cpu_time(th) * 1000000 / timer_timebase(),
	    .nvcsw = th->nvcsw,
	    .nivcsw = th->nivcsw,
	    .task_pages = t->owned_pages,
	    .peak_pages = t->peak_pages,
	    .shared_pages = t->shared_pages,
	    .weight = th->weight,
	    .vruntime_us = vr / tb * 1000000 + vr % tb * 1000000 / tb,
	};
	return copy_to_user(self(), uinfo, &info, sizeof(info));
}

static long sys_kinfo(uint64_t uinfo)
{
	struct frame_stats st;
	frame_get_stats(&st);
	const struct bootinfo *bi = kmain_bootinfo();
	struct kinfo k = {.uart_pa = bi->uart.base,
	                  .uart_size = bi->uart.size,
	                  .uart_irq = bi->uart.irq,
	                  .frames_total = st.total,
	                  .frames_free = st.free,
	                  .ticks = timer_ticks(),
	                  .hz = timer_hz(),
	                  .uptime_us = timer_uptime_us(),
	                  .slice_ticks = SCHED_SLICE_TICKS};
	k.idle_us = idle_time * 1000000 / timer_timebase();
	k.mono = (unsigned long)placement_mono;
	for (int i = 0; i < bi->nvirtio && i < 8; i++, k.nvirtio++) {
		k.virtio[i].pa = bi->virtio[i].base;
		k.virtio[i].size = bi->virtio[i].size;
		k.virtio[i].irq = bi->virtio[i].irq;
	}
	for (int i = 0; i < MAX_TASKS; i++)
		k.ntasks += tasks[i].used;
	for (int i = 0; i < MAX_THREADS; i++)
		k.nthreads += threads[i].state != TS_FREE && threads[i].state != TS_CARRIER;
	return copy_to_user(self(), uinfo, &k, sizeof(k));
}

struct kstat kst;
_Static_assert(__builtin_offsetof(struct kstat, syscalls) == 0, "trapvec.S counts at offset 0");

/* Some counters are kept where they cost nothing on the fast paths and
 * summed here: every syscall is a trap, every satp write a TLB flush,
 * and context switches are the threads' own counts (dead ones in kst). */
static long sys_kstat(uint64_t uout)
{
	struct kstat k = kst;
	k.traps += k.syscalls;
	k.tlb_flush += k.satp;
	for (int i = 0; i < MAX_THREADS; i++)
		if (threads[i].state != TS_FREE)
			k.ctxsw += threads[i].nvcsw + threads[i].nivcsw;
	return copy_to_user(self(), uout, &k, sizeof(k));
}

static long sys_poweroff(long code)
{
	if (!is_priv())
		return -EPERM;
	kprintf("poweroff: requested by %s (status %ld)\n", self()->name, code);
	poweroff((int)code);
}

#define SYSCALL(n, fn) [n] = (syscall_fn)(void (*)(void))(fn)

const syscall_fn syscall_table[SYS_COUNT] = {
    SYSCALL(SYS_NULL, sys_null),
    SYSCALL(SYS_DEBUG_WRITE, sys_debug_write),
    SYSCALL(SYS_EXIT, sys_exit),
    SYSCALL(SYS_THREAD_EXIT, sys_thread_exit),
    SYSCALL(SYS_YIELD, sys_yield),
    SYSCALL(SYS_SLEEP, sys_sleep),
    SYSCALL(SYS_TIME, sys_time),
    SYSCALL(SYS_CLOCK, sys_clock),
    SYSCALL(SYS_KLOG, sys_klog),
    SYSCALL(SYS_DMA_MAP, sys_dma_map),
    SYSCALL(SYS_NTFN_TIMER, sys_ntfn_timer),
    SYSCALL(SYS_WINDOW_COPY, sys_window_copy),
    SYSCALL(SYS_TASK_CREATE, sys_task_create),
    SYSCALL(SYS_THREAD_CREATE, sys_thread_create),
    SYSCALL(SYS_VM_MAP, sys_vm_map),
    SYSCALL(SYS_VM_UNMAP, sys_vm_unmap),
    SYSCALL(SYS_VM_WRITE, sys_vm_write),
    SYSCALL(SYS_VM_READ, sys_vm_read),
    SYSCALL(SYS_HANDLE_GRANT, sys_handle_grant),
    SYSCALL(SYS_HANDLE_CLOSE, sys_handle_close),
    SYSCALL(SYS_EP_CREATE, sys_ep_create),
    SYSCALL(SYS_NTFN_CREATE, sys_ntfn_create),
    SYSCALL(SYS_CALL, sys_call),
    SYSCALL(SYS_SEND, sys_send),
    SYSCALL(SYS_RECV, sys_recv),
    SYSCALL(SYS_REPLY, sys_reply),
    SYSCALL(SYS_REPLY_RECV, sys_reply_recv),
    SYSCALL(SYS_SIGNAL, sys_signal),
    SYSCALL(SYS_WAIT, sys_wait),
    SYSCALL(SYS_NTFN_BIND, sys_ntfn_bind),
    SYSCALL(SYS_IPC_BUFFER, sys_ipc_buffer),
    SYSCALL(SYS_IRQ_BIND, sys_irq_bind),
    SYSCALL(SYS_IRQ_ACK, sys_irq_ack),
    SYSCALL(SYS_MMIO_MAP, sys_mmio_map),
    SYSCALL(SYS_THREAD_INFO, sys_thread_info),
    SYSCALL(SYS_POWEROFF, sys_poweroff),
    SYSCALL(SYS_KINFO, sys_kinfo),
    SYSCALL(SYS_TASK_KILL, sys_task_kill),
    SYSCALL(SYS_VM_CLONE, sys_vm_clone),
    SYSCALL(SYS_VM_SHARE, sys_vm_share),
    SYSCALL(SYS_VM_PROTECT, sys_vm_protect),
    SYSCALL(SYS_VM_PAGE, sys_vm_page),
    SYSCALL(SYS_THREAD_FORK, sys_thread_fork),
    SYSCALL(SYS_REPLY_ALIVE, sys_reply_alive),
    SYSCALL(SYS_TASK_LIMIT, sys_task_limit),
    SYSCALL(SYS_KSTAT, sys_kstat),
    SYSCALL(SYS_TASK_PRIO, sys_task_prio),
    SYSCALL(SYS_THREAD_UPCALL, sys_thread_upcall),
    SYSCALL(SYS_UPCALL_FRAME, sys_upcall_frame),
    SYSCALL(SYS_TASK_STOP, sys_task_stop),
    SYSCALL(SYS_FUTEX, sys_futex),
    SYSCALL(SYS_TRACE, sys_trace),
    SYSCALL(SYS_TRACE_READ, sys_trace_read),
};
