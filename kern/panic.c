/* Kernel panic: report, backtrace, and power off with EXIT_PANIC. */
#include "panic.h"
#include "kprintf.h"
#include "ksyms.h"
#include "memlayout.h"
#include "riscv.h"
#include "trap.h"

extern char _text_start[], _text_end[];
extern char boot_stack[], boot_stack_top[];

static volatile int panicking; /* a second panic skips straight to poweroff */

const char *ksym_lookup(uint64_t pc, uint64_t *offset)
{
	uint32_t lo = 0, hi = ksyms_count;
	if (hi == 0 || pc < ksyms[0].addr || pc >= (uint64_t)_text_end)
		return NULL;
	while (hi - lo > 1) { /* last symbol at or below pc */
		uint32_t mid = (lo + hi) / 2;
		if (ksyms[mid].addr <= pc)
			lo = mid;
		else
			hi = mid;
	}
	*offset = pc - ksyms[lo].addr;
	return ksyms[lo].name;
}

/* A return address names the call before it: look it up at pc - 1
 * (after a call to a noreturn function, pc is already the next one). */
static void print_frame(int depth, uint64_t pc, bool is_ra)
{
	uint64_t off;
	const char *name = ksym_lookup(is_ra ? pc - 1 : pc, &off);
	if (name)
		kprintf("  #%d %p %s+%#lx\n", depth, (void *)pc, name,
		        (unsigned long)(off + (is_ra ? 1 : 0)));
	else
		kprintf("  #%d %p\n", depth, (void *)pc);
}

static bool is_text(uint64_t pc)
{
	return pc >= (uint64_t)_text_start && pc < (uint64_t)_text_end;
}

/* With -fno-omit-frame-pointer, GCC's RISC-V frames keep the return
 * address at fp-8 and the caller's fp at fp-16. The walk stays inside
 * the current kernel stack and stops at the first implausible link. */
void backtrace(uint64_t pc, uint64_t fp, bool pc_is_ra)
{
	uint64_t lo = ALIGN_DOWN(r_sp(), BOOT_STACK_SIZE), hi = lo + BOOT_STACK_SIZE;
	if (r_sp() >= (uint64_t)boot_stack && r_sp() < (uint64_t)boot_stack_top)
		lo = (uint64_t)boot_stack, hi = (uint64_t)boot_stack_top;
	kprintf("backtrace:\n");
	print_frame(0, pc, pc_is_ra);
	for (int depth = 1; depth < 32; depth++) {
		if (fp < lo + 16 || fp > hi || !IS_ALIGNED(fp, 8))
			break;
		uint64_t ra = ((uint64_t *)fp)[-1];
		uint64_t next = ((uint64_t *)fp)[-2];
		if (!is_text(ra))
			break;
		print_frame(depth, ra, true);
		if (next <= fp)
			break;
		fp = next;
	}
}

static void panic_begin(void)
{
	intr_off();
	if (__atomic_exchange_n(&panicking, 1, __ATOMIC_SEQ_CST))
		poweroff(EXIT_PANIC);
	console_break_lock();
}

void panic(const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	panic_begin();
	va_start(ap, fmt);
	kvsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	kprintf("KERNEL PANIC: %s\n", msg);
	/* Start at our caller: its return address, then its frame. */
	backtrace((uint64_t)__builtin_return_address(0), ((uint64_t *)r_fp())[-2], true);
	kprintf("system halted (exit status %d)\n", EXIT_PANIC);
	poweroff(EXIT_PANIC);
}

void panic_trap(const struct trapframe *tf)
{
	panic_begin();
	kprintf("KERNEL PANIC: %s in kernel mode\n", trap_cause_name(tf->scause));
	trap_dump(tf);
	backtrace(tf->sepc, tf->x[8], false);
	kprintf("system halted (exit status %d)\n", EXIT_PANIC);
	poweroff(EXIT_PANIC);
}
