/* sigsetjmp, _setjmp and _longjmp over picolibc's setjmp and longjmp.
 * Each ends in a tail jump with sp and ra as the caller left them, so
 * setjmp records the caller's frame. The offsets follow sigjmp_buf in
 * lib/include/setjmp.h (lib/sigjmp.c checks them at compile time). */
#define JB_SIZE   208	/* sizeof(jmp_buf): 14 longs and 12 doubles */
#define SAVED     JB_SIZE
#define SCRATCH   (JB_SIZE + 8)
#define MASK      (JB_SIZE + 24)

	.text
	.globl sigsetjmp
	.type sigsetjmp, @function
/* int sigsetjmp(sigjmp_buf env, int savemask) */
sigsetjmp:
	sd	a1, SAVED(a0)
	beqz	a1, 1f
	sd	s0, SCRATCH(a0)		/* s0 and ra kept in env over the call */
	sd	ra, SCRATCH+8(a0)
	mv	s0, a0
	li	a0, 0			/* sigprocmask(SIG_BLOCK, NULL, &env->mask) */
	li	a1, 0
	addi	a2, s0, MASK
	call	sigprocmask
	mv	a0, s0
	ld	ra, SCRATCH+8(a0)
	ld	s0, SCRATCH(a0)
1:	tail	setjmp
	.size sigsetjmp, . - sigsetjmp

	.globl _setjmp
	.type _setjmp, @function
_setjmp:
	tail	setjmp
	.size _setjmp, . - _setjmp

	.globl _longjmp
	.type _longjmp, @function
_longjmp:
	tail	longjmp
	.size _longjmp, . - _longjmp
