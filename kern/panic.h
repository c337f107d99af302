/* A broken kernel invariant ends the machine: panic prints what broke and
 * a backtrace, then exits QEMU with EXIT_PANIC through the test device. */
#ifndef MICA_PANIC_H
#define MICA_PANIC_H

#include "types.h"

#define EXIT_PANIC 3 /* QEMU's exit status after a kernel panic */

struct trapframe;

NORETURN void panic(const char *fmt, ...) PRINTF_LIKE(1, 2);
/* Panic on a trap the kernel took itself: decoded report from the frame. */
NORETURN void panic_trap(const struct trapframe *tf);
/* Prints pc, then the return addresses found by following saved frame
 * pointers from fp. pc_is_ra: pc is itself a return address. */
void backtrace(uint64_t pc, uint64_t fp, bool pc_is_ra);

/* Powers the machine off; code 0 is a clean shutdown. */
NORETURN void poweroff(int code);
struct bootinfo;
void power_init(const struct bootinfo *bi);

#endif
