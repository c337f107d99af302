/* Trap dispatch: interrupts go to their handlers; an exception taken in
 * the kernel is a kernel bug and panics with a decoded report. User
 * exceptions and syscalls arrive with the core issue's threads. */
#include "trap.h"
#include "kprintf.h"
#include "panic.h"
#include "riscv.h"
#include "timer.h"

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

void trap_handler(struct trapframe *tf)
{
	uint64_t cause = tf->scause;
	if (cause & SCAUSE_INTR) {
		switch (cause & ~SCAUSE_INTR) {
		case IRQ_S_TIMER:
			timer_interrupt();
			return;
		default:
			break;
		}
	}
	panic_trap(tf);
}
