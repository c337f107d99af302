/* The runtime's locks (the heap, stdout, the thread list) and the core
 * of pthread's mutexes: a 32-bit futex word, 0 free, 1 held, 2 held and
 * maybe waited for. Taking a free lock and giving back one nobody waits
 * for are one atomic instruction each, no system call. A server linked
 * into the kernel (mono) runs a whole request with nothing else running
 * and may not sleep on a futex: there they are nothing.
 *
 * The runtime's own locks (mica_rt_lock) are taken only once the process
 * has had a second thread (mica_threaded, set by the first pthread_create
 * and never cleared): a program without threads pays a load and a branch
 * and writes no lock word, so fork copies no page for one. The flag
 * changes only in the process's one thread, outside every such lock. */
#ifndef MICA_LOCK_H
#define MICA_LOCK_H

#include <stdbool.h>

#include "mica/syscall.h"

/* A lock its holder may take again (stdio, for flockfile): the owner is
 * the thread pointer, which is each thread's own TLS block. */
struct mica_rlock {
	int word;
	unsigned depth;
	void *owner;
};

#if defined(MICA_MONO) || defined(HOST_TEST)
static inline void mica_lock(int *w)
{
	(void)w;
}
static inline void mica_unlock(int *w)
{
	(void)w;
}
static inline void mica_rlock_take(struct mica_rlock *l)
{
	(void)l;
}
static inline void mica_rlock_give(struct mica_rlock *l)
{
	(void)l;
}
static inline bool mica_rt_lock(int *w)
{
	(void)w;
	return false;
}
#else
extern int mica_threaded;
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
static inline bool mica_rlock_try(struct mica_rlock *l)
{
	void *me = __builtin_thread_pointer();
	if (l->owner != me) {
		if (!mica_trylock(&l->word))
			return false;
		l->owner = me;
	}
	l->depth++;
	return true;
}
static inline void mica_rlock_take(struct mica_rlock *l)
{
	if (!mica_rlock_try(l)) {
		mica_lock_contended(&l->word);
		l->owner = __builtin_thread_pointer();
		l->depth = 1;
	}
}
static inline void mica_rlock_give(struct mica_rlock *l)
{
	if (--l->depth == 0) {
		l->owner = NULL;
		mica_unlock(&l->word);
	}
}
/* Takes w if the process has threads; true if it did (unlock only then). */
static inline bool mica_rt_lock(int *w)
{
	if (!mica_threaded)
		return false;
	mica_lock(w);
	return true;
}
#endif

#endif
