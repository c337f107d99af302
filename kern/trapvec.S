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
 * user_return restores whichever thread is current by then. A thread
 * with work bits (struct thread's work) calls C first before it returns
 * to user mode (user_return_work), and a traced one at its system call's
 * entry too (syscall_entry_work); for the others each is a load and a
 * branch.
 *
 * From S-mode (only the idle loop runs with interrupts on) a frame is
 * pushed on the current kernel stack and trap_handler is called. */
#include "trap.h"
#include "mica/abi.h"
#include "mica/errno.h"

#define SSTATUS_SPP (1 << 8)
#define ECALL_U     8

/* Every general register but zero, sp (x2) and t0 (x5), which each path
 * handles itself because it needs them to find the frame. */
.macro save_gprs base
	.irp n, 1,3,4,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	sd	x\n, \n*8(\base)
	.endr
.endm

.macro load_gprs base
	.irp n, 1,3,4,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	ld	x\n, \n*8(\base)
	.endr
.endm

	.section .text
	.globl trap_entry
	.balign 4
trap_entry:
	csrrw	sp, sscratch, sp
	beqz	sp, from_kernel
	/* From U-mode: sp = &cur->tf, sscratch = user sp. */
	sd	x5, 5*8(sp)
	save_gprs sp
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
	lla	t3, kst			/* kst.syscalls++ (the first counter) */
	ld	t4, 0(t3)
	addi	t4, t4, 1
	sd	t4, 0(t3)
	lbu	t3, TH_WORK(s1)		/* work bits (a traced thread): C first */
	bnez	t3, syscall_work
dispatch:
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
syscall_work:
	call	syscall_entry_work	/* 0: the call does not run now */
	beqz	a0, user_return
	.irp n, 10,11,12,13,14,15,16,17	/* the arguments again */
	ld	x\n, \n*8(s1)
	.endr
	j	dispatch
not_syscall:
	mv	a0, s1
	mv	a1, t2
	call	user_trap

	.globl user_return
user_return:
	ld	t0, cur			/* &cur->tf: tf is the first member */
	lbu	t1, TH_WORK(t0)
	bnez	t1, return_work
restore:
	csrw	sscratch, t0
	ld	t1, TF_SEPC(t0)
	csrw	sepc, t1
	li	t1, SSTATUS_SPP		/* sret goes to U-mode, always */
	csrc	sstatus, t1
	ld	x2, 2*8(t0)
	load_gprs t0
	ld	x5, 5*8(t0)
	sret

	/* Something to do first (a trace report, an upcall, a stop): cur may change. */
return_work:
	call	user_return_work
	ld	t0, cur
	j	restore

from_kernel:
	/* sp is 0 and sscratch holds the interrupted kernel sp. */
	csrrw	sp, sscratch, zero
	addi	sp, sp, -TF_SIZE
	sd	t0, 5*8(sp)
	addi	t0, sp, TF_SIZE
	sd	t0, 2*8(sp)
	save_gprs sp
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
	load_gprs sp
	ld	x5, 5*8(sp)
	ld	x2, 2*8(sp)
	sret
