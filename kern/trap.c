/* Trap dispatch. Interrupts go to the timer or the PLIC; an exception in
 * the kernel is a kernel bug and panics with a decoded report; an
 * exception in user mode kills the task (one log line, and a fault
 * message to its supervisor). System calls never get here: trapvec.S
 * sends them straight to syscall_table. */
#include "trap.h"
#include "ipc.h"
#include "errno.h"
#include "serve.h"
#include "kprintf.h"
#include "panic.h"
#include "riscv.h"
#include "plic.h"
#include "task.h"
#include "timer.h"
#include "trace.h"

extern char trap_entry[];

const char *const reg_names[32] = {
    "zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "s0", "s1", "a0",
    "a1",   "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5",
    "s6",   "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

static const char *const exc_names[16] = {
    [EXC_INST_MISALIGNED] = "instruction address misaligned",
    [EXC_INST_FAULT] = "instruction access fault",
    [EXC_ILLEGAL] = "illegal instruction",
    [EXC_BREAKPOINT] = "breakpoint",
    [EXC_LOAD_MISALIGNED] = "load address misaligned",
    [EXC_LOAD_FAULT] = "load access fault",
    [EXC_STORE_MISALIGNED] = "store/AMO address misaligned",
    [EXC_STORE_FAULT] = "store/AMO access fault",
    [EXC_ECALL_U] = "environment call from U-mode",
    [EXC_ECALL_S] = "environment call from S-mode",
    [EXC_INST_PAGE_FAULT] = "instruction page fault",
    [EXC_LOAD_PAGE_FAULT] = "load page fault",
    [EXC_STORE_PAGE_FAULT] = "store/AMO page fault",
};

static const char *const irq_names[16] = {
    [IRQ_S_SOFT] = "supervisor software interrupt",
    [IRQ_S_TIMER] = "supervisor timer interrupt",
    [IRQ_S_EXT] = "supervisor external interrupt",
};

void trap_init(void)
{
	w_sscratch(0);
	w_stvec((uint64_t)trap_entry); /* direct mode: the low bits are 0 */
}

const char *trap_cause_name(uint64_t scause)
{
	uint64_t code = scause & ~SCAUSE_INTR;
	const char *const *names = (scause & SCAUSE_INTR) ? irq_names : exc_names;
	if (code < 16 && names[code])
		return names[code];
	return (scause & SCAUSE_INTR) ? "unknown interrupt" : "unknown exception";
}

void trap_dump(const struct trapframe *tf)
{
	kprintf("%s (scause %#lx)\n", trap_cause_name(tf->scause), (unsigned long)tf->scause);
	kprintf("sepc %p stval %p sstatus %p\n", (void *)tf->sepc, (void *)tf->stval,
	        (void *)tf->sstatus);
	for (int i = 1; i < 32; i += 3) {
		char line[120];
		int n = 0;
		for (int j = i; j < i + 3 && j < 32; j++)
			n += ksnprintf(line + n, sizeof(line) - (size_t)n, "%4s %p  ", reg_names[j],
			               (void *)tf->x[j]);
		kprintf("%s\n", line);
	}
}

/* An interrupt, from either mode. */
static bool interrupt(uint64_t cause)
{
	kst.interrupts++;
	switch (cause & ~SCAUSE_INTR) {
	case IRQ_S_TIMER:
		timer_interrupt();
		sched_tick();
		/* a server in the kernel woken by a timer (pm's OOM killer) may
		 * have ended the interrupted thread */
		sched_leave_if_dead();
		return true;
	case IRQ_S_EXT:
		plic_interrupt();
		/* a driver in the kernel may have ended the interrupted thread (^C) */
		if (cur && cur->state != TS_RUNNING)
			sched_leave_if_dead();
		else if (cur)
			sched_preempt_check();
		return true;
	default:
		return false;
	}
}

/* From S-mode: only the idle loop runs with interrupts enabled. */
void trap_handler(struct trapframe *tf)
{
	kst.traps++;
	if ((tf->scause & SCAUSE_INTR) && interrupt(tf->scause))
		return;
	panic_trap(tf);
}

/* A page fault on demand-zero memory: 0 once the page has its frame. */
static int fault_in(struct task *t, uint64_t scause, uint64_t va)
{
	switch (scause) {
	case EXC_INST_PAGE_FAULT:
		return task_fault_in(t, va & ~(PAGE_SIZE - 1), PTE_X);
	case EXC_LOAD_PAGE_FAULT:
		return task_fault_in(t, va & ~(PAGE_SIZE - 1), PTE_R);
	case EXC_STORE_PAGE_FAULT:
		return task_fault_in(t, va & ~(PAGE_SIZE - 1), PTE_W);
	default:
		return -EFAULT;
	}
}

/* From U-mode, anything but a system call. */
void user_trap(struct trapframe *tf, uint64_t scause)
{
	kst.traps++;
	if ((scause & SCAUSE_INTR) && interrupt(scause))
		return;
	struct task *t = cur->task;
	uint64_t stval = r_stval();
	int err = fault_in(t, scause, stval);
	if (err == FAULT_PAGER) /* 0: the pager has it */
		err = (int)ipc_fault_call(cur, scause, stval);
	else if (err == -ENOMEM && ipc_fault_call(cur, scause | PF_NOMEM, stval) == 0)
		return; /* the pager makes room, or says out of memory */
	if (!err)
		return;
	/* pm's processes (TASK_FAULTS) ask their supervisor first: it may
	 * have a handler for the signal run instead; others' supervisors just
	 * hear of the end */
	if (err != -ENOMEM && (t->flags & TASK_FAULTS) &&
	    ipc_fault_call(cur, scause | PF_FATAL, stval) == 0)
		return;
	if (err == -ENOMEM)
		kprintf("%s[%u]: out of memory for a demand-zero page\n", t->name, t->index);
	kprintf("%s[%u]: %s at pc %p, address %p: task killed\n", t->name, t->index,
	        trap_cause_name(scause), (void *)tf->sepc, (void *)stval);
	uint64_t m[4] = {scause, stval, tf->sepc, t->index};
	task_destroy(t, MSG_TASK_FAULT, m);
	kserve_flush();
	sched_next();
}

/* trapvec.S: cur makes a system call with work bits set. Whether the
 * call runs now (else cur waits and the trap exit runs another). The
 * way back to user mode is user_return_work's (upcall.c). */
bool syscall_entry_work(void)
{
	struct thread *th = cur;
	return !(th->work & WORK_TRACE) || trace_syscall_entry(th);
}
