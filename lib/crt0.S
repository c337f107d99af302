/* User program entry. The kernel (or whoever built the task) starts the
 * first thread here with sp set and a0..a2 holding start-up words. */
	.section .text.start, "ax"
	.globl _start
_start:
	.option push
	.option norelax
	lla	gp, __global_pointer$
	.option pop
	li	fp, 0
	mv	a3, sp		/* argc/argv/envp live here for pm-started programs */
	call	__mica_start	/* a0..a2 pass through; does not return */
1:	j	1b
