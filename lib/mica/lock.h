/* The runtime's locks (the heap, stdout, the thread list) and the core
 * of pthread's mutexes: a 32-bit futex word, 0 free, 1 held, 2 held and
 * maybe waited for. Taking a free lock and giving back one nobody waits
 * for are one atomic instruction each, no system call. A server linked
 * into the kernel (mono) runs a whole request with nothing else running
 * and may not sleep on a futex: there they are nothing. */
#ifndef MICA_LOCK_H
#define MICA_LOCK_H

#include <stdbool.h>

#include "mica/syscall.h"

#if defined(MICA_MONO) || defined(HOST_TEST)
static inline void mica_lock(int *w)
{
	(void)w;
}
static inline void mica_unlock(int *w)
{
	(void)w;
}
#else
/* Marks the word contended and sleeps until it is free: the lock is
 * then ours (held with 2, so our unlock wakes the next waiter). */
static inline void mica_lock_contended(int *w)
{
	while (__atomic_exchange_n(w, 2, __ATOMIC_ACQUIRE) != 0)
		mica_futex(w, FUTEX_WAIT, 2, 0);
}
static inline bool mica_trylock(int *w)
{
	int free = 0;
	return __atomic_compare_exchange_n(w, &free, 1, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}
static inline void mica_lock(int *w)
{
	if (!mica_trylock(w))
		mica_lock_contended(w);
}
static inline void mica_unlock(int *w)
{
	if (__atomic_exchange_n(w, 0, __ATOMIC_RELEASE) == 2)
		mica_futex(w, FUTEX_WAKE, 1, 0);
}
#endif

#endif
