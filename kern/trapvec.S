/* Trap entry and exit.
 *
 * sscratch is 0 while the hart runs in the kernel; while it runs user
 * code it holds &cur->tf, the trap frame inside the current thread.
 *
 * From U-mode the user registers are saved straight into that frame and
 * the hart's kernel stack starts afresh (no kernel state survives a trap
 * that blocks: a blocked thread is just its saved registers). System
 * calls jump through syscall_table with the user's a0..a6 still in place;
 * the result goes to the caller's a0. Everything else goes to user_trap.
 * user_return restores whichever thread is current by then.
 *
 * From S-mode (only the idle loop runs with interrupts on) a frame is
 * pushed on the current kernel stack and trap_handler is called. */
#include "trap.h"
#include "mica/abi.h"
#include "mica/errno.h"

#define SSTATUS_SPP (1 << 8)
#define ECALL_U     8

	.section .text
	.globl trap_entry
	.balign 4
trap_entry:
	csrrw	sp, sscratch, sp
	beqz	sp, from_kernel
	/* From U-mode: sp = &cur->tf, sscratch = user sp. */
	sd	x1, 1*8(sp)
	sd	x3, 3*8(sp)
	sd	x4, 4*8(sp)
	sd	x5, 5*8(sp)
	sd	x6, 6*8(sp)
	sd	x7, 7*8(sp)
	sd	x8, 8*8(sp)
	sd	x9, 9*8(sp)
	sd	x10, 10*8(sp)
	sd	x11, 11*8(sp)
	sd	x12, 12*8(sp)
	sd	x13, 13*8(sp)
	sd	x14, 14*8(sp)
	sd	x15, 15*8(sp)
	sd	x16, 16*8(sp)
	sd	x17, 17*8(sp)
	sd	x18, 18*8(sp)
	sd	x19, 19*8(sp)
	sd	x20, 20*8(sp)
	sd	x21, 21*8(sp)
	sd	x22, 22*8(sp)
	sd	x23, 23*8(sp)
	sd	x24, 24*8(sp)
	sd	x25, 25*8(sp)
	sd	x26, 26*8(sp)
	sd	x27, 27*8(sp)
	sd	x28, 28*8(sp)
	sd	x29, 29*8(sp)
	sd	x30, 30*8(sp)
	sd	x31, 31*8(sp)
	csrrw	t0, sscratch, zero
	sd	t0, 2*8(sp)
	csrr	t1, sepc
	sd	t1, TF_SEPC(sp)
	mv	s1, sp			/* s1: the trapping thread's frame */
	lla	sp, boot_stack_top	/* the hart's kernel stack, empty */
	li	s0, 0			/* backtraces stop at the trap */
	csrr	t2, scause
	li	t3, ECALL_U
	bne	t2, t3, not_syscall
	addi	t1, t1, 4		/* return past the ecall */
	sd	t1, TF_SEPC(s1)
	li	t3, SYS_COUNT
	bgeu	a7, t3, bad_syscall
	lla	t3, syscall_table
	slli	t4, a7, 3
	add	t3, t3, t4
	ld	t3, 0(t3)
	jalr	t3
	sd	a0, 10*8(s1)
	j	user_return
bad_syscall:
	li	a0, -ENOSYS
	sd	a0, 10*8(s1)
	j	user_return
not_syscall:
	mv	a0, s1
	mv	a1, t2
	call	user_trap

	.globl user_return
user_return:
	ld	t0, cur			/* &cur->tf: tf is the first member */
	csrw	sscratch, t0
	ld	t1, TF_SEPC(t0)
	csrw	sepc, t1
	li	t1, SSTATUS_SPP		/* sret goes to U-mode, always */
	csrc	sstatus, t1
	ld	x1, 1*8(t0)
	ld	x2, 2*8(t0)
	ld	x3, 3*8(t0)
	ld	x4, 4*8(t0)
	ld	x6, 6*8(t0)
	ld	x7, 7*8(t0)
	ld	x8, 8*8(t0)
	ld	x9, 9*8(t0)
	ld	x10, 10*8(t0)
	ld	x11, 11*8(t0)
	ld	x12, 12*8(t0)
	ld	x13, 13*8(t0)
	ld	x14, 14*8(t0)
	ld	x15, 15*8(t0)
	ld	x16, 16*8(t0)
	ld	x17, 17*8(t0)
	ld	x18, 18*8(t0)
	ld	x19, 19*8(t0)
	ld	x20, 20*8(t0)
	ld	x21, 21*8(t0)
	ld	x22, 22*8(t0)
	ld	x23, 23*8(t0)
	ld	x24, 24*8(t0)
	ld	x25, 25*8(t0)
	ld	x26, 26*8(t0)
	ld	x27, 27*8(t0)
	ld	x28, 28*8(t0)
	ld	x29, 29*8(t0)
	ld	x30, 30*8(t0)
	ld	x31, 31*8(t0)
	ld	x5, 5*8(t0)
	sret

from_kernel:
	/* sp is 0 and sscratch holds the interrupted kernel sp. */
	csrrw	sp, sscratch, zero
	addi	sp, sp, -TF_SIZE
	sd	t0, 5*8(sp)
	addi	t0, sp, TF_SIZE
	sd	t0, 2*8(sp)
save_rest:
	sd	x1, 1*8(sp)
	sd	x3, 3*8(sp)
	sd	x4, 4*8(sp)
	sd	x6, 6*8(sp)
	sd	x7, 7*8(sp)
	sd	x8, 8*8(sp)
	sd	x9, 9*8(sp)
	sd	x10, 10*8(sp)
	sd	x11, 11*8(sp)
	sd	x12, 12*8(sp)
	sd	x13, 13*8(sp)
	sd	x14, 14*8(sp)
	sd	x15, 15*8(sp)
	sd	x16, 16*8(sp)
	sd	x17, 17*8(sp)
	sd	x18, 18*8(sp)
	sd	x19, 19*8(sp)
	sd	x20, 20*8(sp)
	sd	x21, 21*8(sp)
	sd	x22, 22*8(sp)
	sd	x23, 23*8(sp)
	sd	x24, 24*8(sp)
	sd	x25, 25*8(sp)
	sd	x26, 26*8(sp)
	sd	x27, 27*8(sp)
	sd	x28, 28*8(sp)
	sd	x29, 29*8(sp)
	sd	x30, 30*8(sp)
	sd	x31, 31*8(sp)
	csrr	t0, sepc
	sd	t0, TF_SEPC(sp)
	csrr	t0, sstatus
	sd	t0, TF_SSTATUS(sp)
	csrr	t0, scause
	sd	t0, TF_SCAUSE(sp)
	csrr	t0, stval
	sd	t0, TF_STVAL(sp)
	mv	a0, sp
	call	trap_handler

	/* Back to the interrupted kernel code (sscratch stays 0). */
	ld	t0, TF_SEPC(sp)
	csrw	sepc, t0
	ld	t0, TF_SSTATUS(sp)
	csrw	sstatus, t0
	ld	x1, 1*8(sp)
	ld	x3, 3*8(sp)
	ld	x4, 4*8(sp)
	ld	x5, 5*8(sp)
	ld	x6, 6*8(sp)
	ld	x7, 7*8(sp)
	ld	x8, 8*8(sp)
	ld	x9, 9*8(sp)
	ld	x10, 10*8(sp)
	ld	x11, 11*8(sp)
	ld	x12, 12*8(sp)
	ld	x13, 13*8(sp)
	ld	x14, 14*8(sp)
	ld	x15, 15*8(sp)
	ld	x16, 16*8(sp)
	ld	x17, 17*8(sp)
	ld	x18, 18*8(sp)
	ld	x19, 19*8(sp)
	ld	x20, 20*8(sp)
	ld	x21, 21*8(sp)
	ld	x22, 22*8(sp)
	ld	x23, 23*8(sp)
	ld	x24, 24*8(sp)
	ld	x25, 25*8(sp)
	ld	x26, 26*8(sp)
	ld	x27, 27*8(sp)
	ld	x28, 28*8(sp)
	ld	x29, 29*8(sp)
	ld	x30, 30*8(sp)
	ld	x31, 31*8(sp)
	ld	x2, 2*8(sp)
	sret
