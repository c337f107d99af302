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

/* Runtime routines that replace picolibc objects defining the same names
 * (its raise sits with signal, its strerror with _strerror_r): named
 * here, libmica.a's are linked before any picolibc object asks for them,
 * so picolibc's are never pulled in beside ours. */
	.section .rodata.mica_libc_anchor, "a"
	.balign 8
	.dword	raise, abort, signal, strsignal, psignal, sig2str
	.dword	strerror, strerror_r, __xpg_strerror_r, _strerror_r, perror
