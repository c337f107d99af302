/* POSIX threads (lib/pthread.c): kernel threads of the process's own
 * task, futex-based locks, thread-specific keys and picolibc's TLS.
 * picolibc 1.8 declares none of this (only pthread_sigmask and
 * pthread_atfork, whose prototypes agree with these). No cancellation,
 * no process-shared objects, no scheduling attributes. */
#ifndef MICA_PTHREAD_H
#define MICA_PTHREAD_H

#include <sched.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

typedef unsigned long pthread_t;
typedef unsigned pthread_key_t;

typedef struct {
	size_t stacksize; /* 0: PTHREAD_STACK_DEFAULT */
	int detachstate;
} pthread_attr_t;

typedef struct {
	int lock;            /* futex word: 0 free, 1 held, 2 held with waiters */
	int type;            /* PTHREAD_MUTEX_* */
	pthread_t owner;     /* recursive and error-checking mutexes */
	unsigned long count; /* recursive: times locked */
} pthread_mutex_t;
typedef struct {
	int type;
} pthread_mutexattr_t;

typedef struct {
	unsigned seq;     /* futex word: bumped by every signal */
	unsigned waiters; /* threads in wait: signal makes no call when 0 */
	int monotonic;    /* timedwait's clock: 0 CLOCK_REALTIME, 1 CLOCK_MONOTONIC */
} pthread_cond_t;
typedef struct {
	int monotonic;
} pthread_condattr_t;

/* Writers go first: a reader waits while a writer does. */
typedef struct {
	pthread_mutex_t m;
	pthread_cond_t readers_ok, writer_ok;
	int active; /* > 0 readers hold it, -1 a writer does */
	unsigned writers_waiting;
	pthread_t writer;
} pthread_rwlock_t;
typedef struct {
	int unused;
} pthread_rwlockattr_t;

typedef struct {
	pthread_mutex_t m;
	pthread_cond_t c;
	unsigned count, waiting, phase;
} pthread_barrier_t;
typedef struct {
	int unused;
} pthread_barrierattr_t;

typedef int pthread_spinlock_t;

typedef struct {
	int state; /* 0 not run, 1 running, 2 running with waiters, 3 done */
} pthread_once_t;

#define PTHREAD_CREATE_JOINABLE 0
#define PTHREAD_CREATE_DETACHED 1

#define PTHREAD_MUTEX_NORMAL     0
#define PTHREAD_MUTEX_RECURSIVE  1
#define PTHREAD_MUTEX_ERRORCHECK 2
#define PTHREAD_MUTEX_DEFAULT    PTHREAD_MUTEX_NORMAL

#define PTHREAD_PROCESS_PRIVATE 0
#define PTHREAD_PROCESS_SHARED  1 /* refused: a futex is one task's */

#define PTHREAD_MUTEX_INITIALIZER                                                                  \
	{                                                                                          \
		0, PTHREAD_MUTEX_NORMAL, 0, 0                                                      \
	}
#define PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP                                                     \
	{                                                                                          \
		0, PTHREAD_MUTEX_RECURSIVE, 0, 0                                                   \
	}
#define PTHREAD_ERRORCHECK_MUTEX_INITIALIZER_NP                                                    \
	{                                                                                          \
		0, PTHREAD_MUTEX_ERRORCHECK, 0, 0                                                  \
	}
#define PTHREAD_COND_INITIALIZER                                                                   \
	{                                                                                          \
		0, 0, 0                                                                            \
	}
#define PTHREAD_RWLOCK_INITIALIZER                                                                 \
	{                                                                                          \
		PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER, 0,  \
		    0, 0                                                                           \
	}
#define PTHREAD_ONCE_INIT                                                                          \
	{                                                                                          \
		0                                                                                  \
	}
#define PTHREAD_BARRIER_SERIAL_THREAD (-1)

#define PTHREAD_KEYS_MAX              128
#define PTHREAD_DESTRUCTOR_ITERATIONS 4
#define PTHREAD_STACK_MIN             16384
#define PTHREAD_STACK_DEFAULT         (256 * 1024) /* from the heap, demand-zero */
#define PTHREAD_THREADS_MAX           32           /* the kernel's per-process limit */

int pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*start)(void *),
                   void *arg);
int pthread_join(pthread_t thread, void **value);
int pthread_detach(pthread_t thread);
void pthread_exit(void *value) __attribute__((noreturn));
pthread_t pthread_self(void);
int pthread_kill(pthread_t thread, int sig); /* <signal.h>'s, where pthread_t is known */
int pthread_equal(pthread_t a, pthread_t b);
int pthread_atfork(void (*prepare)(void), void (*parent)(void), void (*child)(void));

int pthread_attr_init(pthread_attr_t *attr);
int pthread_attr_destroy(pthread_attr_t *attr);
int pthread_attr_setdetachstate(pthread_attr_t *attr, int state);
int pthread_attr_getdetachstate(const pthread_attr_t *attr, int *state);
int pthread_attr_setstacksize(pthread_attr_t *attr, size_t size);
int pthread_attr_getstacksize(const pthread_attr_t *attr, size_t *size);

int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *attr);
int pthread_mutex_destroy(pthread_mutex_t *m);
int pthread_mutex_lock(pthread_mutex_t *m);
int pthread_mutex_trylock(pthread_mutex_t *m);
int pthread_mutex_timedlock(pthread_mutex_t *m, const struct timespec *abstime);
int pthread_mutex_unlock(pthread_mutex_t *m);
int pthread_mutexattr_init(pthread_mutexattr_t *attr);
int pthread_mutexattr_destroy(pthread_mutexattr_t *attr);
int pthread_mutexattr_settype(pthread_mutexattr_t *attr, int type);
int pthread_mutexattr_gettype(const pthread_mutexattr_t *attr, int *type);
int pthread_mutexattr_setpshared(pthread_mutexattr_t *attr, int pshared);
int pthread_mutexattr_getpshared(const pthread_mutexattr_t *attr, int *pshared);

int pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *attr);
int pthread_cond_destroy(pthread_cond_t *c);
int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m);
int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *abstime);
int pthread_cond_signal(pthread_cond_t *c);
int pthread_cond_broadcast(pthread_cond_t *c);
int pthread_condattr_init(pthread_condattr_t *attr);
int pthread_condattr_destroy(pthread_condattr_t *attr);
int pthread_condattr_setclock(pthread_condattr_t *attr, clockid_t clock);
int pthread_condattr_getclock(const pthread_condattr_t *attr, clockid_t *clock);

int pthread_rwlock_init(pthread_rwlock_t *rw, const pthread_rwlockattr_t *attr);
int pthread_rwlock_destroy(pthread_rwlock_t *rw);
int pthread_rwlock_rdlock(pthread_rwlock_t *rw);
int pthread_rwlock_tryrdlock(pthread_rwlock_t *rw);
int pthread_rwlock_timedrdlock(pthread_rwlock_t *rw, const struct timespec *abstime);
int pthread_rwlock_wrlock(pthread_rwlock_t *rw);
int pthread_rwlock_trywrlock(pthread_rwlock_t *rw);
int pthread_rwlock_timedwrlock(pthread_rwlock_t *rw, const struct timespec *abstime);
int pthread_rwlock_unlock(pthread_rwlock_t *rw);
int pthread_rwlockattr_init(pthread_rwlockattr_t *attr);
int pthread_rwlockattr_destroy(pthread_rwlockattr_t *attr);

int pthread_barrier_init(pthread_barrier_t *b, const pthread_barrierattr_t *attr, unsigned count);
int pthread_barrier_destroy(pthread_barrier_t *b);
int pthread_barrier_wait(pthread_barrier_t *b);

int pthread_spin_init(pthread_spinlock_t *s, int pshared);
int pthread_spin_destroy(pthread_spinlock_t *s);
int pthread_spin_lock(pthread_spinlock_t *s);
int pthread_spin_trylock(pthread_spinlock_t *s);
int pthread_spin_unlock(pthread_spinlock_t *s);

int pthread_once(pthread_once_t *once, void (*init)(void));

int pthread_key_create(pthread_key_t *key, void (*destructor)(void *));
int pthread_key_delete(pthread_key_t key);
void *pthread_getspecific(pthread_key_t key);
int pthread_setspecific(pthread_key_t key, const void *value);

/* The thread's LWP id, as /proc/N/task and ps -L name it (also gettid). */
pid_t pthread_gettid_np(pthread_t thread);

#endif
