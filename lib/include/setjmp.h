/* picolibc's <setjmp.h> plus the POSIX forms it lacks: sigsetjmp and
 * siglongjmp (the signal mask saved on request, lib/setjmp.S and
 * lib/sigjmp.c) and _setjmp/_longjmp, which never touch the mask. */
#ifndef MICA_SETJMP_H
#define MICA_SETJMP_H

#include_next <setjmp.h>
#include <signal.h>

/* jb first: sigsetjmp hands the whole buffer to setjmp. */
typedef struct {
	jmp_buf __jb;
	long __saved;      /* nonzero: siglongjmp restores __mask */
	long __scratch[2]; /* sigsetjmp's own, while it asks for the mask */
	sigset_t __mask;
} sigjmp_buf[1];

int sigsetjmp(sigjmp_buf env, int savemask) __attribute__((returns_twice));
void siglongjmp(sigjmp_buf env, int val) __attribute__((noreturn));
int _setjmp(jmp_buf env) __attribute__((returns_twice));
void _longjmp(jmp_buf env, int val) __attribute__((noreturn));

#endif
