/* POSIX threads on the kernel's threads (docs/libc.md, "Threads"). A
 * thread is a kernel thread of our own task (SYS_THREAD_CREATE on
 * HANDLE_SELF) with one heap block holding its stack, its TLS block (a
 * copy of picolibc's template) and its descriptor; an IPC buffer page of
 * its own; and a futex word, alive, that the thread clears as its last
 * store to memory, so a joiner may free the block. Also once and keys;
 * the locks are lib/pthread_sync.c. */
#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mica/lock.h"
#include "mica/posix.h"
#include "mica/proto/pm.h"
#include "mica/runtime.h"
#include "mica/syscall.h"

#define K_EPERM   1   /* the kernel's (Linux's) number */
#define IPC_SLOTS 256 /* IPC buffer pages from USER_IPCBUF_BASE; 0 is the first thread's */
#define CANARY    0x6d69636173746b21ul /* the stack's lowest word */

struct pthread {
	void *tls;  /* first: __mica_thread_entry loads tp from here */
	int alive;  /* futex word: 1 until the thread's last store sets 0 */
	int detach; /* 0 joinable, 1 detached, 2 being joined */
	int lwp;    /* the kernel's thread number (gettid), 0 until known */
	int slot;   /* its IPC buffer page */
	void *mem;  /* the block: stack, TLS, this; NULL for the first thread */
	void *(*fn)(void *);
	void *arg, *ret;
	sigset_t sigmask;     /* its creator's, which it starts with (POSIX) */
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
	pthread_sigmask(SIG_SETMASK, &t->sigmask, NULL);
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
	pthread_sigmask(SIG_SETMASK, NULL, &t->sigmask);
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
	sigset_t all;
	t->ret = value;
	run_destructors(t);
	sigfillset(&all); /* no handler may run on a stack about to be freed */
	pthread_sigmask(SIG_BLOCK, &all, NULL);
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

/* A signal for one thread of ours (pm's PM_KILL with its number). */
int pthread_kill(pthread_t thread, int sig)
{
	struct pthread *t = (struct pthread *)thread;
	if (sig < 0 || sig >= NSIG)
		return EINVAL;
	if (!is_thread(t) || !t->alive)
		return ESRCH;
	pid_t lwp = pthread_gettid_np(thread);
	struct ipc_msg m = {.tag = MAKE_TAG(PM_KILL, 0),
	                    .m = {(unsigned long)getpid(), (unsigned long)sig, (unsigned long)lwp}};
	long r = mica_call(SLOT_PM, &m);
	r = r < 0 ? r : PROTO_RESULT(m.tag);
	return r < 0 ? (mica_fail(r), errno) : 0;
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
