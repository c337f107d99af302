/* POSIX threads' synchronization (docs/libc.md, "Threads"): mutexes,
 * condition variables, read-write locks, barriers and spin locks over
 * futex words (mica/lock.h), and picolibc's retargetable locks on them.
 * Nothing here makes a system call unless a lock is contended or a
 * waiter must be woken. Threads themselves are lib/pthread.c. */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/lock.h>
#include <time.h>

#include "mica/lock.h"
#include "mica/syscall.h"

#define K_ETIMEDOUT 110 /* the kernel's (Linux's) number */

/* --- time -------------------------------------------------------------------- */

/* Microseconds from now until abstime on the clock (at least 1, since 0
 * means "no timeout" to the kernel), 0 if it has passed, -1 if invalid. */
static long until(const struct timespec *abstime, int monotonic)
{
	struct timespec now;
	if (abstime->tv_nsec < 0 || abstime->tv_nsec >= 1000000000)
		return -1;
	clock_gettime(monotonic ? CLOCK_MONOTONIC : CLOCK_REALTIME, &now);
	if (abstime->tv_sec < now.tv_sec ||
	    (abstime->tv_sec == now.tv_sec && abstime->tv_nsec <= now.tv_nsec))
		return 0;
	long long us = ((long long)abstime->tv_sec - now.tv_sec) * 1000000 +
	               (abstime->tv_nsec - now.tv_nsec) / 1000;
	return us < 1 ? 1 : us > FUTEX_TIMEOUT_MAX ? FUTEX_TIMEOUT_MAX : (long)us;
}

/* --- mutexes ------------------------------------------------------------------ */

int pthread_mutexattr_init(pthread_mutexattr_t *attr)
{
	attr->type = PTHREAD_MUTEX_DEFAULT;
	return 0;
}

int pthread_mutexattr_destroy(pthread_mutexattr_t *attr)
{
	(void)attr;
	return 0;
}

int pthread_mutexattr_settype(pthread_mutexattr_t *attr, int type)
{
	if (type < PTHREAD_MUTEX_NORMAL || type > PTHREAD_MUTEX_ERRORCHECK)
		return EINVAL;
	attr->type = type;
	return 0;
}

int pthread_mutexattr_gettype(const pthread_mutexattr_t *attr, int *type)
{
	*type = attr->type;
	return 0;
}

int pthread_mutexattr_setpshared(pthread_mutexattr_t *attr, int pshared)
{
	(void)attr;
	return pshared == PTHREAD_PROCESS_PRIVATE  ? 0
	       : pshared == PTHREAD_PROCESS_SHARED ? ENOTSUP
	                                           : EINVAL;
}

int pthread_mutexattr_getpshared(const pthread_mutexattr_t *attr, int *pshared)
{
	(void)attr;
	*pshared = PTHREAD_PROCESS_PRIVATE;
	return 0;
}

int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *attr)
{
	*m = (pthread_mutex_t){.type = attr ? attr->type : PTHREAD_MUTEX_DEFAULT};
	return 0;
}

int pthread_mutex_destroy(pthread_mutex_t *m)
{
	return m->lock ? EBUSY : 0;
}

/* What locking m again means for its owner: 0 (recursive: once more),
 * EDEADLK, or -1 for "not the owner, go on". */
static int relock(pthread_mutex_t *m)
{
	if (m->type == PTHREAD_MUTEX_NORMAL || m->owner != pthread_self())
		return -1;
	if (m->type == PTHREAD_MUTEX_ERRORCHECK)
		return EDEADLK;
	if (m->count == ULONG_MAX)
		return EAGAIN;
	m->count++;
	return 0;
}

static int locked(pthread_mutex_t *m)
{
	m->owner = pthread_self();
	m->count = 1;
	return 0;
}

int pthread_mutex_lock(pthread_mutex_t *m)
{
	int r = relock(m);
	if (r >= 0)
		return r;
	mica_lock(&m->lock);
	return locked(m);
}

int pthread_mutex_trylock(pthread_mutex_t *m)
{
	int r = relock(m);
	if (r >= 0)
		return r == EDEADLK ? EBUSY : r;
	return mica_trylock(&m->lock) ? locked(m) : EBUSY;
}

int pthread_mutex_timedlock(pthread_mutex_t *m, const struct timespec *abstime)
{
	int r = relock(m);
	if (r >= 0)
		return r;
	if (mica_trylock(&m->lock))
		return locked(m);
	/* as mica_lock_contended, with a deadline: once we have waited, we
	 * take it marked 2, or the others waiting would not be woken */
	while (__atomic_exchange_n(&m->lock, 2, __ATOMIC_ACQUIRE) != 0) {
		long us = until(abstime, 0);
		if (us <= 0)
			return us ? EINVAL : ETIMEDOUT;
		mica_futex(&m->lock, FUTEX_WAIT, 2, us);
	}
	return locked(m);
}

int pthread_mutex_unlock(pthread_mutex_t *m)
{
	if (m->type != PTHREAD_MUTEX_NORMAL) {
		if (m->owner != pthread_self() || !m->lock)
			return EPERM;
		if (--m->count)
			return 0;
	}
	m->owner = 0;
	mica_unlock(&m->lock);
	return 0;
}

/* --- condition variables -------------------------------------------------------- */

int pthread_condattr_init(pthread_condattr_t *attr)
{
	attr->monotonic = 0;
	return 0;
}

int pthread_condattr_destroy(pthread_condattr_t *attr)
{
	(void)attr;
	return 0;
}

int pthread_condattr_setclock(pthread_condattr_t *attr, clockid_t clock)
{
	if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC)
		return EINVAL;
	attr->monotonic = clock == CLOCK_MONOTONIC;
	return 0;
}

int pthread_condattr_getclock(const pthread_condattr_t *attr, clockid_t *clock)
{
	*clock = attr->monotonic ? CLOCK_MONOTONIC : CLOCK_REALTIME;
	return 0;
}

int pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *attr)
{
	*c = (pthread_cond_t){.monotonic = attr && attr->monotonic};
	return 0;
}

int pthread_cond_destroy(pthread_cond_t *c)
{
	return c->waiters ? EBUSY : 0;
}

/* Waits for a signal after seq moves on. The mutex is given up for the
 * wait and taken again (a recursive one at its depth) before returning. */
int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *abstime)
{
	long us = abstime ? until(abstime, c->monotonic) : 0;
	if (us < 0)
		return EINVAL;
	if (abstime && us == 0)
		return ETIMEDOUT;
	if (m->type != PTHREAD_MUTEX_NORMAL && m->owner != pthread_self())
		return EPERM;
	unsigned long depth = m->count;
	__atomic_add_fetch(&c->waiters, 1, __ATOMIC_SEQ_CST);
	unsigned seq = __atomic_load_n(&c->seq, __ATOMIC_SEQ_CST);
	m->owner = 0;
	mica_unlock(&m->lock);
	long r = mica_futex(&c->seq, FUTEX_WAIT, seq, us);
	__atomic_sub_fetch(&c->waiters, 1, __ATOMIC_SEQ_CST);
	mica_lock_contended(&m->lock); /* others woken with us may wait for it */
	locked(m);
	m->count = depth;
	return r == -K_ETIMEDOUT ? ETIMEDOUT : 0;
}

int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
	return pthread_cond_timedwait(c, m, NULL);
}

static int cond_wake(pthread_cond_t *c, unsigned n)
{
	__atomic_add_fetch(&c->seq, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&c->waiters, __ATOMIC_SEQ_CST))
		mica_futex(&c->seq, FUTEX_WAKE, n, 0);
	return 0;
}

int pthread_cond_signal(pthread_cond_t *c)
{
	return cond_wake(c, 1);
}

int pthread_cond_broadcast(pthread_cond_t *c)
{
	return cond_wake(c, INT_MAX);
}

/* --- read-write locks ---------------------------------------------------------- */

int pthread_rwlockattr_init(pthread_rwlockattr_t *attr)
{
	attr->unused = 0;
	return 0;
}

int pthread_rwlockattr_destroy(pthread_rwlockattr_t *attr)
{
	(void)attr;
	return 0;
}

int pthread_rwlock_init(pthread_rwlock_t *rw, const pthread_rwlockattr_t *attr)
{
	(void)attr;
	*rw = (pthread_rwlock_t)PTHREAD_RWLOCK_INITIALIZER;
	return 0;
}

int pthread_rwlock_destroy(pthread_rwlock_t *rw)
{
	return rw->active || rw->writers_waiting ? EBUSY : 0;
}

/* Takes rw for reading (write false) or writing: try only (abstime
 * NULL, try), until abstime, or for as long as it takes. */
static int rw_take(pthread_rwlock_t *rw, bool write, bool try, const struct timespec *abstime)
{
	int r = 0;
	pthread_mutex_lock(&rw->m);
	if (rw->active < 0 && rw->writer == pthread_self())
		r = try ? EBUSY : EDEADLK;
	else if (write) {
		rw->writers_waiting++;
		while (rw->active && !r)
			r = try ? EBUSY : pthread_cond_timedwait(&rw->writer_ok, &rw->m, abstime);
		rw->writers_waiting--;
		if (!r)
			rw->active = -1, rw->writer = pthread_self();
		else if (!rw->active) /* pass on a wake-up we may have taken */
			rw->writers_waiting ? pthread_cond_signal(&rw->writer_ok)
			                    : pthread_cond_broadcast(&rw->readers_ok);
	} else {
		while ((rw->active < 0 || rw->writers_waiting) && !r)
			r = try ? EBUSY : pthread_cond_timedwait(&rw->readers_ok, &rw->m, abstime);
		if (!r)
			rw->active++;
	}
	pthread_mutex_unlock(&rw->m);
	return r;
}

int pthread_rwlock_rdlock(pthread_rwlock_t *rw)
{
	return rw_take(rw, false, false, NULL);
}

int pthread_rwlock_tryrdlock(pthread_rwlock_t *rw)
{
	return rw_take(rw, false, true, NULL);
}

int pthread_rwlock_timedrdlock(pthread_rwlock_t *rw, const struct timespec *abstime)
{
	return rw_take(rw, false, false, abstime);
}

int pthread_rwlock_wrlock(pthread_rwlock_t *rw)
{
	return rw_take(rw, true, false, NULL);
}

int pthread_rwlock_trywrlock(pthread_rwlock_t *rw)
{
	return rw_take(rw, true, true, NULL);
}

int pthread_rwlock_timedwrlock(pthread_rwlock_t *rw, const struct timespec *abstime)
{
	return rw_take(rw, true, false, abstime);
}

int pthread_rwlock_unlock(pthread_rwlock_t *rw)
{
	int r = 0;
	pthread_mutex_lock(&rw->m);
	if (rw->active > 0)
		rw->active--;
	else if (rw->active < 0 && rw->writer == pthread_self())
		rw->active = 0, rw->writer = 0;
	else
		r = EPERM;
	if (!r && !rw->active) {
		if (rw->writers_waiting)
			pthread_cond_signal(&rw->writer_ok);
		else
			pthread_cond_broadcast(&rw->readers_ok);
	}
	pthread_mutex_unlock(&rw->m);
	return r;
}

/* --- barriers and spin locks ------------------------------------------------------ */

int pthread_barrier_init(pthread_barrier_t *b, const pthread_barrierattr_t *attr, unsigned count)
{
	(void)attr;
	if (!count)
		return EINVAL;
	*b = (pthread_barrier_t){
	    .m = PTHREAD_MUTEX_INITIALIZER, .c = PTHREAD_COND_INITIALIZER, .count = count};
	return 0;
}

int pthread_barrier_destroy(pthread_barrier_t *b)
{
	return b->waiting ? EBUSY : 0;
}

int pthread_barrier_wait(pthread_barrier_t *b)
{
	pthread_mutex_lock(&b->m);
	unsigned phase = b->phase;
	int r = 0;
	if (++b->waiting == b->count) {
		b->waiting = 0;
		b->phase++;
		pthread_cond_broadcast(&b->c);
		r = PTHREAD_BARRIER_SERIAL_THREAD;
	} else {
		while (phase == b->phase)
			pthread_cond_wait(&b->c, &b->m);
	}
	pthread_mutex_unlock(&b->m);
	return r;
}

/* One hart: spinning only delays the holder, so a busy lock yields. */
int pthread_spin_init(pthread_spinlock_t *s, int pshared)
{
	(void)pshared;
	*s = 0;
	return 0;
}

int pthread_spin_destroy(pthread_spinlock_t *s)
{
	return *s ? EBUSY : 0;
}

int pthread_spin_trylock(pthread_spinlock_t *s)
{
	return __atomic_exchange_n(s, 1, __ATOMIC_ACQUIRE) ? EBUSY : 0;
}

int pthread_spin_lock(pthread_spinlock_t *s)
{
	while (pthread_spin_trylock(s))
		mica_yield();
	return 0;
}

int pthread_spin_unlock(pthread_spinlock_t *s)
{
	__atomic_store_n(s, 0, __ATOMIC_RELEASE);
	return 0;
}

/* --- picolibc's locks (sys/lock.h): atexit, environ, time zones --------------------------- */

struct __lock {
	pthread_mutex_t m;
};
struct __lock __lock___libc_recursive_mutex = {PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP};

void __retarget_lock_init(_LOCK_T *lock)
{
	*lock = calloc(1, sizeof(**lock));
}

void __retarget_lock_init_recursive(_LOCK_T *lock)
{
	if ((*lock = calloc(1, sizeof(**lock))))
		(*lock)->m.type = PTHREAD_MUTEX_RECURSIVE;
}

void __retarget_lock_close(_LOCK_T lock)
{
	free(lock);
}

void __retarget_lock_close_recursive(_LOCK_T lock)
{
	free(lock);
}

/* Skipped until there are threads, as the runtime's own (mica/lock.h). */
void __retarget_lock_acquire(_LOCK_T lock)
{
	if (lock && mica_threaded)
		pthread_mutex_lock(&lock->m);
}

void __retarget_lock_acquire_recursive(_LOCK_T lock)
{
	if (lock && mica_threaded)
		pthread_mutex_lock(&lock->m);
}

int __retarget_lock_try_acquire(_LOCK_T lock)
{
	return !lock || !mica_threaded || pthread_mutex_trylock(&lock->m) == 0;
}

int __retarget_lock_try_acquire_recursive(_LOCK_T lock)
{
	return __retarget_lock_try_acquire(lock);
}

void __retarget_lock_release(_LOCK_T lock)
{
	if (lock && mica_threaded)
		pthread_mutex_unlock(&lock->m);
}

void __retarget_lock_release_recursive(_LOCK_T lock)
{
	if (lock && mica_threaded)
		pthread_mutex_unlock(&lock->m);
}
