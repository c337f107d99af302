/* siglongjmp: the signal mask sigsetjmp saved (if it saved one), then
 * longjmp. The asserts hold lib/setjmp.S's offsets to sigjmp_buf. */
#include <setjmp.h>
#include <signal.h>
#include <stddef.h>

_Static_assert(sizeof(jmp_buf) == 208, "setjmp.S: JB_SIZE");
_Static_assert(offsetof(__typeof__(*(sigjmp_buf){0}), __saved) == 208, "setjmp.S: SAVED");
_Static_assert(offsetof(__typeof__(*(sigjmp_buf){0}), __scratch) == 216, "setjmp.S: SCRATCH");
_Static_assert(offsetof(__typeof__(*(sigjmp_buf){0}), __mask) == 232, "setjmp.S: MASK");

void siglongjmp(sigjmp_buf env, int val)
{
	if (env->__saved)
		sigprocmask(SIG_SETMASK, &env->__mask, NULL);
	longjmp(env->__jb, val);
}
