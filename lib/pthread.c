/* POSIX threads on the kernel's threads (docs/libc.md, "Threads"). A
 * thread is a kernel thread of our own task (SYS_THREAD_CREATE on
 * HANDLE_SELF) with one heap block holding its stack, its TLS block (a
 * copy of picolibc's template) and its descriptor; an IPC buffer page of
 * its own; and a futex word, alive, that the thread clears as its last
 * store to memory, so a joiner may free the block. Locks are futex words
 * (mica/lock.h): no system call unless contended. Also picolibc's
 * retargetable locks, so its own state (atexit, environ) is safe. */
#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/lock.h>
#include <time.h>
#include <unistd.h>

#include "mica/lock.h"
#include "mica/runtime.h"
#include "mica/syscall.h"

#define K_EPERM     1 /* the kernel's (Linux's) numbers */
#define K_ETIMEDOUT 110
#define IPC_SLOTS   256 /* IPC buffer pages from USER_IPCBUF_BASE; 0 is the first thread's */
#define CANARY      0x6d69636173746b21ul /* the stack's lowest word */

struct pthread {
	void *tls;  /* first: __mica_thread_entry loads tp from here */
	int alive;  /* futex word: 1 until the thread's last store sets 0 */
	int detach; /* 0 joinable, 1 detached, 2 being joined */
	int lwp;    /* the kernel's thread number (gettid), 0 until known */
	int slot;   /* its IPC buffer page */
	void *mem;  /* the block: stack, TLS, this; NULL for the first thread */
	void *(*fn)(void *);
	void *arg, *ret;
	struct pthread *next; /* every thread, under list_lock */
	struct specific *key; /* [PTHREAD_KEYS_MAX], at its first setspecific */
};
struct specific {
	unsigned seq; /* the key's when set: a deleted key's values read NULL */
	void *val;
};

void __mica_thread_entry(struct pthread *t);
void _init_tls(void *tls); /* picolibc: copies the template into a block */
void __mica_thread_end(int *alive) __attribute__((noreturn));

/* Entered with a0 = the descriptor and the creator's tp: load our own
 * before any C code can touch a thread-local. */
__asm__(".section .text.__mica_thread_entry,\"ax\",@progbits\n"
        ".globl __mica_thread_entry\n"
        "__mica_thread_entry:\n"
        "	ld tp, 0(a0)\n"
        "	li fp, 0\n"
        "	li ra, 0\n"
        "	tail __mica_thread_main\n"
        /* alive = 0, wake its joiner, end the kernel thread: after the
         * store nothing touches memory (the block may be free already). */
        ".section .text.__mica_thread_end,\"ax\",@progbits\n"
        ".globl __mica_thread_end\n"
        "__mica_thread_end:\n"
        "	fence rw, w\n"
        "	sw zero, 0(a0)\n"
        "	li a1, 1\n" /* FUTEX_WAKE */
        "	li a2, 0x7fffffff\n"
        "	li a3, 0\n"
        "	li a7, 50\n" /* SYS_FUTEX */
        "	ecall\n"
        "	li a7, 3\n" /* SYS_THREAD_EXIT */
        "	ecall\n"
        "1:	j 1b\n");
_Static_assert(offsetof(struct pthread, tls) == 0, "the entry stub loads tp from offset 0");
_Static_assert(FUTEX_WAKE == 1 && SYS_FUTEX == 50 && SYS_THREAD_EXIT == 3, "the stubs' numbers");

extern char __tls_size[], __tls_align[];
static struct pthread first = {.tls = __tls_main, .alive = 1};
static struct pthread *all = &first;
static int list_lock, nlive = 1;
static uint64_t slot_used[IPC_SLOTS / 64] = {1}, slot_mapped[IPC_SLOTS / 64] = {1};
static __thread struct pthread *self_t;
static struct {
	unsigned seq; /* odd while the key exists */
	void (*dtor)(void *);
} keys[PTHREAD_KEYS_MAX];
static int keys_lock;
static struct atfork {
	void (*prepare)(void), (*parent)(void), (*child)(void);
} * atforks;
static int natfork;

static struct pthread *me(void)
{
	return self_t ? self_t : &first; /* the first thread never set it */
}

pthread_t pthread_self(void)
{
	return (pthread_t)me();
}

int pthread_equal(pthread_t a, pthread_t b)
{
	return a == b;
}

/* --- creating, ending, joining -------------------------------------------- */

static void slot_free(int s)
{
	slot_used[s / 64] &= ~(1ul << (s % 64));
}

/* A free IPC slot with its page mapped (kept for the next thread when
 * one ends); -1 if none. Under list_lock. */
static int slot_take(void)
{
	for (int s = 1; s < IPC_SLOTS; s++) {
		uint64_t bit = 1ul << (s % 64);
		if (slot_used[s / 64] & bit)
			continue;
		if (!(slot_mapped[s / 64] & bit)) {
			long r =
			    mica_vm_map(HANDLE_SELF, USER_IPCBUF_BASE + (unsigned long)s * IPC_MAX,
			                IPC_MAX, PROT_READ_ | PROT_WRITE_);
			if (r < 0 && r != -17 /* EEXIST */)
				return -1;
			slot_mapped[s / 64] |= bit;
		}
		slot_used[s / 64] |= bit;
		return s;
	}
	return -1;
}

static void check_stack(const struct pthread *t)
{
	if (t->mem && *(const uint64_t *)t->mem != CANARY) {
		fprintf(stderr, "pthread: thread %d overflowed its stack\n", t->lwp);
		abort();
	}
}

/* Takes t off the list, frees its slot and block. Under list_lock. */
static void unlink_thread(struct pthread *t)
{
	for (struct pthread **p = &all; *p; p = &(*p)->next)
		if (*p == t) {
			*p = t->next;
			break;
		}
	check_stack(t);
	if (t->slot)
		slot_free(t->slot);
	free(t->key);
	free(t->mem);
}

/* Frees detached threads that have ended. */
static void reap(void)
{
	mica_lock(&list_lock);
	for (struct pthread *t = all, *n; t; t = n) {
		n = t->next;
		/* (lwp 0: pthread_create has not finished with it) */
		if (t->detach == 1 && t->lwp && !__atomic_load_n(&t->alive, __ATOMIC_ACQUIRE))
			unlink_thread(t);
	}
	mica_unlock(&list_lock);
}

static bool is_thread(struct pthread *t)
{
	mica_lock(&list_lock);
	struct pthread *u = all;
	while (u && u != t)
		u = u->next;
	mica_unlock(&list_lock);
	return u != NULL;
}

__attribute__((used, noreturn)) void __mica_thread_main(struct pthread *t)
{
	self_t = t;
	mica_ipcbuf_set((void *)(USER_IPCBUF_BASE + (unsigned long)t->slot * IPC_MAX));
	pthread_exit(t->fn(t->arg));
}

/* The block: [canary, stack ... | TLS block | descriptor], from the heap
 * (the kernel's limit of demand-zero zones leaves no room for one zone
 * and a guard hole per thread): an overflow is caught by the canary when
 * the thread is joined or reaped, not at once. */
static struct pthread *thread_alloc(size_t stack)
{
	size_t align = (size_t)__tls_align > 16 ? (size_t)__tls_align : 16;
	size_t tls = ((size_t)__tls_size + align - 1) & ~(align - 1);
	size_t desc = (sizeof(struct pthread) + align - 1) & ~(align - 1);
	stack = (stack + align - 1) & ~(align - 1); /* the TLS block above it is aligned */
	char *mem = memalign(align, stack + tls + desc);
	if (!mem)
		return NULL;
	struct pthread *t = (struct pthread *)(mem + stack + tls);
	memset(t, 0, sizeof(*t));
	t->mem = mem;
	t->tls = mem + stack;
	*(uint64_t *)mem = CANARY;
	_init_tls(t->tls);
	return t;
}

static int create_failed(struct pthread *t, int err)
{
	mica_lock(&list_lock);
	unlink_thread(t);
	nlive--;
	mica_unlock(&list_lock);
	return err;
}

int pthread_create(pthread_t *out, const pthread_attr_t *attr, void *(*fn)(void *), void *arg)
{
	size_t stack = attr && attr->stacksize ? attr->stacksize : PTHREAD_STACK_DEFAULT;
	struct pthread *self = me();
	struct thread_info ti;
	mica_threaded = 1; /* from now on the runtime's locks are taken */
	reap();
	/* at our priority (nice): a thread may not ask for more */
	bool info = mica_thread_info(HANDLE_SELF, 0, &ti) == 0;
	long prio = info ? (long)ti.prio : PRIO_DEFAULT;
	if (info && !self->lwp && nlive == 1)
		self->lwp = (int)(ti.tid & 0xFFFF); /* the only thread: the newest is us */
	struct pthread *t = thread_alloc(stack);
	if (!t)
		return EAGAIN;
	t->fn = fn, t->arg = arg, t->alive = 1;
	t->detach = attr && attr->detachstate == PTHREAD_CREATE_DETACHED;
	mica_lock(&list_lock);
	t->slot = slot_take();
	t->next = all, all = t;
	nlive++;
	mica_unlock(&list_lock);
	if (t->slot < 0) {
		t->slot = 0;
		return create_failed(t, EAGAIN);
	}
	long r = mica_thread_create(HANDLE_SELF, (void *)__mica_thread_entry, t->tls,
	                            (unsigned long)t, prio);
	if (r < 0)
		return create_failed(t, r == -K_EPERM ? EPERM : EAGAIN);
	__atomic_store_n(&t->lwp, (int)(r & 0xFFFF), __ATOMIC_RELEASE);
	*out = (pthread_t)t;
	return 0;
}

/* Runs the destructors of the keys this thread has a value for, until
 * none is left or PTHREAD_DESTRUCTOR_ITERATIONS rounds. */
static void run_destructors(struct pthread *t)
{
	for (int round = 0, more = t->key != NULL; more && round < PTHREAD_DESTRUCTOR_ITERATIONS;
	     round++) {
		more = 0;
		for (int k = 0; k < PTHREAD_KEYS_MAX; k++) {
			void (*dtor)(void *) = keys[k].dtor;
			void *v = t->key[k].val;
			if (!(keys[k].seq & 1) || t->key[k].seq != keys[k].seq || !v || !dtor)
				continue;
			t->key[k].val = NULL;
			dtor(v);
			more = 1;
		}
	}
}

void pthread_exit(void *value)
{
	struct pthread *t = me();
	t->ret = value;
	run_destructors(t);
	if (__atomic_sub_fetch(&nlive, 1, __ATOMIC_ACQ_REL) == 0)
		exit(0); /* the last thread: the process ends as if by exit(0) */
	__mica_thread_end(&t->alive);
}

int pthread_join(pthread_t thread, void **value)
{
	struct pthread *t = (struct pthread *)thread;
	int a, joinable = 0;
	if (t == me())
		return EDEADLK;
	if (!is_thread(t))
		return ESRCH;
	if (!__atomic_compare_exchange_n(&t->detach, &joinable, 2, false, __ATOMIC_ACQ_REL,
	                                 __ATOMIC_RELAXED))
		return EINVAL; /* detached, or someone joins it already */
	while ((a = __atomic_load_n(&t->alive, __ATOMIC_ACQUIRE)) != 0)
		mica_futex(&t->alive, FUTEX_WAIT, (unsigned)a, 0);
	if (value)
		*value = t->ret;
	mica_lock(&list_lock);
	unlink_thread(t);
	mica_unlock(&list_lock);
	return 0;
}

int pthread_detach(pthread_t thread)
{
	struct pthread *t = (struct pthread *)thread;
	int joinable = 0;
	if (!is_thread(t))
		return ESRCH;
	if (!__atomic_compare_exchange_n(&t->detach, &joinable, 1, false, __ATOMIC_ACQ_REL,
	                                 __ATOMIC_RELAXED))
		return EINVAL;
	reap(); /* it may have ended already */
	return 0;
}

pid_t pthread_gettid_np(pthread_t thread)
{
	struct pthread *t = (struct pthread *)thread;
	struct thread_info ti;
	int lwp;
	if (t == me() && !t->lwp && nlive == 1 && mica_thread_info(HANDLE_SELF, 0, &ti) == 0)
		t->lwp = (int)(ti.tid & 0xFFFF); /* the only thread: the newest is us */
	while (!(lwp = __atomic_load_n(&t->lwp, __ATOMIC_ACQUIRE)) && nlive > 1 && t->alive)
		mica_yield(); /* a new thread runs before its creator heard its number */
	return lwp;
}

pid_t gettid(void)
{
	return pthread_gettid_np(pthread_self());
}

/* --- fork ------------------------------------------------------------------ */

int pthread_atfork(void (*prepare)(void), void (*parent)(void), void (*child)(void))
{
	int r = ENOMEM;
	mica_lock(&list_lock);
	struct atfork *a = realloc(atforks, (size_t)(natfork + 1) * sizeof(*a));
	if (a) {
		atforks = a;
		atforks[natfork++] = (struct atfork){prepare, parent, child};
		r = 0;
	}
	mica_unlock(&list_lock);
	return r;
}

/* In the child: the caller is the only thread (pm copied only its
 * registers); the others' blocks go, their slots too. Its kernel
 * thread is a new one, whose number gettid asks for when needed. */
static void fork_child(void)
{
	struct pthread *self = me();
	for (struct pthread *t = all, *n; t; t = n) {
		n = t->next;
		if (t != self)
			unlink_thread(t);
	}
	all = self, self->next = NULL;
	nlive = 1;
	if (self->lwp)
		self->lwp = 0;
}

/* Without threads there is nobody to hold the runtime's locks, and
 * taking them would only cost the child and the parent a page copy. */
void mica_fork_phase(int phase)
{
	if (phase == 0) {
		for (int i = natfork; i-- > 0;)
			if (atforks[i].prepare)
				atforks[i].prepare();
		if (mica_threaded) {
			mica_lock(&list_lock);
			mica_stdio_fork(1);
			mica_lock(&mica_heap_lock);
		}
		return;
	}
	if (mica_threaded) {
		mica_unlock(&mica_heap_lock);
		mica_stdio_fork(0);
		if (phase == 2)
			fork_child();
		mica_unlock(&list_lock);
	}
	for (int i = 0; i < natfork; i++) {
		void (*fn)(void) = phase == 2 ? atforks[i].child : atforks[i].parent;
		if (fn)
			fn();
	}
}

/* --- attributes -------------------------------------------------------------- */

int pthread_attr_init(pthread_attr_t *attr)
{
	*attr = (pthread_attr_t){.stacksize = PTHREAD_STACK_DEFAULT};
	return 0;
}

int pthread_attr_destroy(pthread_attr_t *attr)
{
	(void)attr;
	return 0;
}

int pthread_attr_setdetachstate(pthread_attr_t *attr, int state)
{
	if (state != PTHREAD_CREATE_JOINABLE && state != PTHREAD_CREATE_DETACHED)
		return EINVAL;
	attr->detachstate = state;
	return 0;
}

int pthread_attr_getdetachstate(const pthread_attr_t *attr, int *state)
{
	*state = attr->detachstate;
	return 0;
}

int pthread_attr_setstacksize(pthread_attr_t *attr, size_t size)
{
	if (size < PTHREAD_STACK_MIN || size > (64ul << 20))
		return EINVAL;
	attr->stacksize = size;
	return 0;
}

int pthread_attr_getstacksize(const pthread_attr_t *attr, size_t *size)
{
	*size = attr->stacksize ? attr->stacksize : PTHREAD_STACK_DEFAULT;
	return 0;
}

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

/* --- once ---------------------------------------------------------------------------- */

int pthread_once(pthread_once_t *once, void (*init)(void))
{
	int s = 0;
	if (__atomic_load_n(&once->state, __ATOMIC_ACQUIRE) == 3)
		return 0;
	if (__atomic_compare_exchange_n(&once->state, &s, 1, false, __ATOMIC_ACQUIRE,
	                                __ATOMIC_ACQUIRE)) {
		init();
		if (__atomic_exchange_n(&once->state, 3, __ATOMIC_RELEASE) == 2)
			mica_futex(&once->state, FUTEX_WAKE, INT_MAX, 0);
		return 0;
	}
	while (s != 3) { /* another thread runs init: wait for it, marked 2 */
		if (s == 2 || __atomic_compare_exchange_n(&once->state, &s, 2, false,
		                                          __ATOMIC_ACQUIRE, __ATOMIC_ACQUIRE))
			mica_futex(&once->state, FUTEX_WAIT, 2, 0);
		s = __atomic_load_n(&once->state, __ATOMIC_ACQUIRE);
	}
	return 0;
}

/* --- thread-specific keys --------------------------------------------------------------- */

int pthread_key_create(pthread_key_t *key, void (*destructor)(void *))
{
	int r = EAGAIN;
	mica_lock(&keys_lock);
	for (unsigned k = 0; k < PTHREAD_KEYS_MAX && r; k++) {
		if (keys[k].seq & 1)
			continue;
		keys[k].dtor = destructor;
		__atomic_add_fetch(&keys[k].seq, 1, __ATOMIC_RELEASE); /* every value reads NULL */
		*key = k;
		r = 0;
	}
	mica_unlock(&keys_lock);
	return r;
}

int pthread_key_delete(pthread_key_t key)
{
	int r = EINVAL;
	mica_lock(&keys_lock);
	if (key < PTHREAD_KEYS_MAX && (keys[key].seq & 1)) {
		__atomic_add_fetch(&keys[key].seq, 1, __ATOMIC_RELEASE);
		keys[key].dtor = NULL;
		r = 0;
	}
	mica_unlock(&keys_lock);
	return r;
}

void *pthread_getspecific(pthread_key_t key)
{
	struct pthread *t = me();
	if (key >= PTHREAD_KEYS_MAX || !t->key || t->key[key].seq != keys[key].seq ||
	    !(keys[key].seq & 1))
		return NULL;
	return t->key[key].val;
}

int pthread_setspecific(pthread_key_t key, const void *value)
{
	struct pthread *t = me();
	if (key >= PTHREAD_KEYS_MAX || !(keys[key].seq & 1))
		return EINVAL;
	if (!t->key && !(t->key = calloc(PTHREAD_KEYS_MAX, sizeof(*t->key))))
		return ENOMEM;
	t->key[key].seq = keys[key].seq;
	t->key[key].val = (void *)value;
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
