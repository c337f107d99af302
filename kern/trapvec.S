/* Trap entry and exit. sscratch is 0 while the hart runs in the kernel;
 * when it runs user code, sscratch holds the top of the current thread's
 * kernel stack. Either way a full struct trapframe is pushed onto the
 * kernel stack and trap_handler(frame) is called. */
#include "trap.h"

	.section .text
	.globl trap_entry
	.balign 4
trap_entry:
	csrrw	sp, sscratch, sp
	bnez	sp, from_user
	/* From S-mode: sp is 0 and sscratch holds the interrupted sp. */
	csrrw	sp, sscratch, zero
	addi	sp, sp, -TF_SIZE
	sd	t0, 5*8(sp)
	addi	t0, sp, TF_SIZE
	sd	t0, 2*8(sp)
	j	save_rest
from_user:
	/* sp is this thread's kernel stack top; sscratch the user sp. */
	addi	sp, sp, -TF_SIZE
	sd	t0, 5*8(sp)
	csrrw	t0, sscratch, zero
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
	/* A frame-pointer chain that ends here: backtraces stop cleanly. */
	mv	a0, sp
	call	trap_handler

	.globl trap_return
trap_return:
	/* sp points at the frame to restore. */
	ld	t0, TF_SEPC(sp)
	csrw	sepc, t0
	ld	t0, TF_SSTATUS(sp)
	csrw	sstatus, t0
	andi	t0, t0, 1 << 8		/* SPP: returning to S-mode? */
	bnez	t0, 1f
	addi	t0, sp, TF_SIZE		/* to U-mode: next trap lands here */
	csrw	sscratch, t0
1:	ld	x1, 1*8(sp)
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
