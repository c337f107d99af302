/* The trap frame and the trap entry points. trapvec.S saves every
 * general register into a struct trapframe on the kernel stack; the
 * layout below is what that assembly assumes (checked at compile time). */
#ifndef MICA_TRAP_H
#define MICA_TRAP_H

#define TF_SEPC    (32 * 8)
#define TF_SSTATUS (33 * 8)
#define TF_SCAUSE  (34 * 8)
#define TF_STVAL   (35 * 8)
#define TF_SIZE    (36 * 8)
#define TH_WORK    TF_SIZE /* struct thread's work bits follow its frame (task.h) */

#ifndef __ASSEMBLER__
#include "types.h"

/* x[i] holds register xi (x[0] is unused; zero needs no saving). */
struct trapframe {
	uint64_t x[32];
	uint64_t sepc;
	uint64_t sstatus;
	uint64_t scause;
	uint64_t stval;
};

_Static_assert(sizeof(struct trapframe) == TF_SIZE, "trapframe layout");
_Static_assert(__builtin_offsetof(struct trapframe, sepc) == TF_SEPC, "trapframe sepc");
_Static_assert(__builtin_offsetof(struct trapframe, stval) == TF_STVAL, "trapframe stval");
_Static_assert(TF_SIZE % 16 == 0, "stack alignment");

/* Register names by number, as the psABI spells them. */
extern const char *const reg_names[32];

void trap_init(void);
void trap_handler(struct trapframe *tf);               /* from S-mode */
void user_trap(struct trapframe *tf, uint64_t scause); /* from U-mode */
const char *trap_cause_name(uint64_t scause);
void trap_dump(const struct trapframe *tf);
#endif

#endif
