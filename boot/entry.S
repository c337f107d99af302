/* First instructions. OpenSBI enters here in S-mode with the MMU off,
 * a0 = hart id, a1 = physical address of the device tree, on whichever
 * hart won its own boot lottery. We run at the physical load address
 * although the image is linked high, so until the jump below only
 * PC-relative addressing (lla) is used.
 *
 * 1. elect one boot hart; any other hart parks until SMP support
 * 2. clear BSS
 * 3. build an early page table of 1 GiB pages: identity for the image
 *    (to survive the satp write), the kernel window, and a direct map
 *    of the low 4 GiB; kvm_init replaces it with the real one
 * 4. jump to the linked (high) address, set the stack, call kmain */

#define KERNEL_OFFSET 0xFFFFFFFF00000000 /* KERNEL_VBASE - KERNEL_PBASE */
#define PTE_GIGA_RWX  0xCF               /* V R W X A D */
#define PTE_GIGA_RW   0xC7               /* V R W A D */
#define SATP_SV39     (8 << 60)

	.section .text.boot, "ax"
	.globl _start
_start:
	csrw	sie, zero
	lla	t0, boot_lottery
	li	t1, 1
	amoswap.w.aq t1, t1, (t0)
	bnez	t1, park
	mv	s2, a0			/* hart id */
	mv	s3, a1			/* device tree */

	lla	t0, __bss_start
	lla	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b

2:	lla	t0, early_pgtbl
	li	t1, (0x80000000 >> 12) << 10 | PTE_GIGA_RWX
	sd	t1, 2*8(t0)		/* VA 0x80000000: identity */
	li	t2, 510*8
	add	t2, t2, t0
	sd	t1, 0(t2)		/* VA 0xFFFFFFFF80000000: kernel window */
	li	t2, 256*8
	add	t2, t2, t0		/* VA 0xFFFFFFC000000000 + 0..4 GiB */
	li	t3, 0
	li	t4, 4
3:	slli	t5, t3, 28		/* (gigabyte << 30) >> 12 << 10 */
	ori	t5, t5, PTE_GIGA_RW
	sd	t5, 0(t2)
	addi	t2, t2, 8
	addi	t3, t3, 1
	blt	t3, t4, 3b

	srli	t1, t0, 12
	li	t2, SATP_SV39
	or	t1, t1, t2
	sfence.vma
	csrw	satp, t1
	sfence.vma

	li	t2, KERNEL_OFFSET
	lla	t0, boot_high
	add	t0, t0, t2
	jr	t0

boot_high:
	lla	sp, boot_stack_top	/* now PC is high, so lla is too */
	li	fp, 0			/* the frame-pointer chain ends here */
	mv	a0, s2
	mv	a1, s3
	call	kmain
	/* kmain does not return; fall into park if it ever does */
park:
	wfi
	j	park

	.section .data
	.balign 4
boot_lottery:
	.word	0			/* in .data: BSS clearing must not reset it */

	.section .bss.boot, "aw", @nobits
	.balign 4096
early_pgtbl:
	.space	4096
	.globl	boot_stack, boot_stack_top
	.balign 16
boot_stack:
	.space	65536
boot_stack_top:
