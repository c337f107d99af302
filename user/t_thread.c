/* t_thread: in-guest checks of POSIX threads and the kernel's futex:
 * mutexes (a racing counter, the three types, trylock and timedlock),
 * condition variables, read-write locks, once, keys with destructors,
 * TLS and errno per thread, join and detach, fork and exit from a
 * thread, pthread_exit from main, futex timeouts and errors, the thread
 * limit, /proc/self/task, and that an uncontended lock makes no system
 * call. Prints "t_thread: NAME ok" or "FAILED: why", then the totals.
 * "t_thread hold N SECS" instead runs N threads that sleep SECS seconds
 * (for ps -L and /proc/N/task), printing their LWP ids first. */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mica/syscall.h"

#include "lib/check.h"

/* Failures inside threads: the first one's reason is kept. */
static char twhy[256];
static int bad;
static pthread_mutex_t bad_lock = PTHREAD_MUTEX_INITIALIZER;
#define EXPECT(cond, ...)                                                                          \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			pthread_mutex_lock(&bad_lock);                                             \
			if (!bad++)                                                                \
				snprintf(twhy, sizeof(twhy), __VA_ARGS__);                         \
			pthread_mutex_unlock(&bad_lock);                                           \
		}                                                                                  \
	} while (0)

static long now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int wait_status(pid_t pid)
{
	int st;
	return pid > 0 && waitpid(pid, &st, 0) == pid ? st : -1;
}

/* Starts n threads of fn with arguments 0..n-1 and joins them. */
static int run_threads(int n, void *(*fn)(void *))
{
	pthread_t t[32];
	for (int i = 0; i < n; i++)
		if (pthread_create(&t[i], NULL, fn, (void *)(intptr_t)i))
			return -1;
	for (int i = 0; i < n; i++)
		if (pthread_join(t[i], NULL))
			return -1;
	return 0;
}

/* --- mutexes ----------------------------------------------------------------- */

#define ROUNDS 20000
static pthread_mutex_t count_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter, contended;

static void *count_up(void *arg)
{
	struct timespec far;
	clock_gettime(CLOCK_REALTIME, &far);
	far.tv_sec += 60;
	for (int i = 0; i < ROUNDS; i++) {
		if ((intptr_t)arg % 2) /* half of them wait with a deadline */
			pthread_mutex_timedlock(&count_lock, &far);
		else
			pthread_mutex_lock(&count_lock);
		long v = counter; /* a window: preempted here, the others must wait */
		for (volatile int k = 0; k < 20; k++)
			;
		if (i % 500 == 0)
			mica_yield(); /* as the timer would, at a worse moment */
		counter = v + 1;
		contended += count_lock.lock == 2; /* someone sleeps on the futex */
		pthread_mutex_unlock(&count_lock);
	}
	return NULL;
}

static int t_mutex_counter(void)
{
	long t0 = now_us();
	CHECK(run_threads(8, count_up) == 0, "create or join failed");
	t0 = now_us() - t0;
	CHECK(counter == 8L * ROUNDS, "the counter is %ld, not %ld", counter, 8L * ROUNDS);
	CHECK(contended > 0, "the threads never met at the lock (%ld us)", t0);
	return 0;
}

static pthread_mutex_t held;
static void *try_other(void *arg)
{
	int *r = arg;
	r[0] = pthread_mutex_trylock(&held);
	r[1] = pthread_mutex_unlock(&held);
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 30 * 1000000;
	if (ts.tv_nsec >= 1000000000)
		ts.tv_sec++, ts.tv_nsec -= 1000000000;
	long t0 = now_us();
	r[2] = pthread_mutex_timedlock(&held, &ts);
	r[3] = (int)((now_us() - t0) / 1000);
	return NULL;
}

static int t_mutex_types(void)
{
	pthread_mutexattr_t at;
	pthread_t t;
	int r[4];
	pthread_mutexattr_init(&at);
	CHECK(pthread_mutexattr_settype(&at, 7) == EINVAL, "type 7 accepted");
	pthread_mutexattr_settype(&at, PTHREAD_MUTEX_ERRORCHECK);
	pthread_mutex_init(&held, &at);
	CHECK(pthread_mutex_lock(&held) == 0, "errorcheck lock");
	CHECK(pthread_mutex_lock(&held) == EDEADLK, "errorcheck relock is not EDEADLK");
	CHECK(pthread_mutex_trylock(&held) == EBUSY, "errorcheck trylock is not EBUSY");
	pthread_create(&t, NULL, try_other, r);
	pthread_join(t, NULL);
	CHECK(r[0] == EBUSY, "trylock from another thread: %d", r[0]);
	CHECK(r[1] == EPERM, "unlock by another thread: %d", r[1]);
	CHECK(r[2] == ETIMEDOUT && r[3] >= 25, "timedlock: %d after %d ms", r[2], r[3]);
	CHECK(pthread_mutex_unlock(&held) == 0, "errorcheck unlock");
	CHECK(pthread_mutex_unlock(&held) == EPERM, "unlocking it twice");
	CHECK(pthread_mutex_destroy(&held) == 0, "destroy");

	pthread_mutexattr_settype(&at, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&held, &at);
	for (int i = 0; i < 3; i++)
		CHECK(pthread_mutex_lock(&held) == 0, "recursive lock %d", i);
	CHECK(pthread_mutex_trylock(&held) == 0, "recursive trylock by the owner");
	pthread_create(&t, NULL, try_other, r);
	pthread_join(t, NULL);
	CHECK(r[0] == EBUSY && r[1] == EPERM, "another thread got in: %d %d", r[0], r[1]);
	for (int i = 0; i < 4; i++)
		CHECK(pthread_mutex_unlock(&held) == 0, "recursive unlock %d", i);
	CHECK(pthread_mutex_unlock(&held) == EPERM, "one unlock too many");
	CHECK(pthread_mutex_trylock(&held) == 0, "free after four unlocks");
	pthread_mutex_unlock(&held);

	pthread_mutex_t n = PTHREAD_MUTEX_INITIALIZER;
	pthread_mutex_lock(&n);
	CHECK(pthread_mutex_trylock(&n) == EBUSY, "normal trylock of a held mutex");
	CHECK(pthread_mutex_destroy(&n) == EBUSY, "destroying a held mutex");
	pthread_mutex_unlock(&n);
	return 0;
}

/* --- condition variables --------------------------------------------------------- */

#define PINGS 2000
static pthread_mutex_t pp_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pp_cond = PTHREAD_COND_INITIALIZER;
static int turn, moves[2];

static void *ping_pong(void *arg)
{
	int me = (int)(intptr_t)arg;
	for (int i = 0; i < PINGS; i++) {
		pthread_mutex_lock(&pp_lock);
		while (turn != me)
			pthread_cond_wait(&pp_cond, &pp_lock);
		EXPECT(moves[me] == moves[!me] - (me ? 1 : 0), "out of turn: %d %d", moves[0],
		       moves[1]);
		moves[me]++;
		turn = !me;
		pthread_cond_signal(&pp_cond);
		pthread_mutex_unlock(&pp_lock);
	}
	return NULL;
}

static int t_condvar_ping_pong(void)
{
	bad = 0;
	CHECK(run_threads(2, ping_pong) == 0, "create or join failed");
	CHECK(!bad, "%s", twhy);
	CHECK(moves[0] == PINGS && moves[1] == PINGS, "moves %d %d", moves[0], moves[1]);
	return 0;
}

static pthread_cond_t bc = PTHREAD_COND_INITIALIZER;
static int go, arrived;
static void *wait_go(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&pp_lock);
	arrived++;
	while (!go)
		pthread_cond_wait(&bc, &pp_lock);
	arrived--;
	pthread_mutex_unlock(&pp_lock);
	return NULL;
}

static int t_condvar_broadcast_and_timeout(void)
{
	pthread_t t[5];
	for (int i = 0; i < 5; i++)
		pthread_create(&t[i], NULL, wait_go, NULL);
	for (int n = 0; n < 200 && arrived < 5; n++)
		usleep(2000);
	pthread_mutex_lock(&pp_lock);
	CHECK(arrived == 5, "only %d waiters arrived", arrived);
	go = 1;
	pthread_cond_broadcast(&bc);
	pthread_mutex_unlock(&pp_lock);
	for (int i = 0; i < 5; i++)
		pthread_join(t[i], NULL);
	CHECK(arrived == 0, "%d waiters never woke", arrived);

	pthread_condattr_t ca;
	pthread_cond_t c;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&c, &ca);
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_nsec += 50 * 1000000;
	if (ts.tv_nsec >= 1000000000)
		ts.tv_sec++, ts.tv_nsec -= 1000000000;
	long t0 = now_us();
	pthread_mutex_lock(&pp_lock);
	int r = pthread_cond_timedwait(&c, &pp_lock, &ts);
	long waited = now_us() - t0;
	CHECK(pthread_mutex_unlock(&pp_lock) == 0, "the mutex was not held again");
	CHECK(r == ETIMEDOUT, "timedwait returned %d", r);
	CHECK(waited >= 45000 && waited < 2000000, "timedwait waited %ld us", waited);
	ts.tv_nsec = 2000000000;
	pthread_mutex_lock(&pp_lock);
	CHECK(pthread_cond_timedwait(&c, &pp_lock, &ts) == EINVAL, "a bad timespec");
	pthread_mutex_unlock(&pp_lock);
	return 0;
}

/* --- read-write locks --------------------------------------------------------------- */

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static pthread_barrier_t start;
static int readers_in, most_readers, writers_in;

static void *reader_sleeps(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&start);
	pthread_rwlock_rdlock(&rw);
	int n = __atomic_add_fetch(&readers_in, 1, __ATOMIC_SEQ_CST);
	if (n > most_readers)
		most_readers = n;
	usleep(30000); /* the others come in meanwhile */
	__atomic_sub_fetch(&readers_in, 1, __ATOMIC_SEQ_CST);
	pthread_rwlock_unlock(&rw);
	return NULL;
}

static void *mixed(void *arg)
{
	bool writer = (intptr_t)arg < 2;
	for (int i = 0; i < 200; i++) {
		if (writer) {
			pthread_rwlock_wrlock(&rw);
			EXPECT(!readers_in && !writers_in, "a writer with %d readers, %d writers",
			       readers_in, writers_in);
			writers_in++;
			mica_yield();
			writers_in--;
		} else {
			pthread_rwlock_rdlock(&rw);
			EXPECT(!writers_in, "a reader beside a writer");
			__atomic_add_fetch(&readers_in, 1, __ATOMIC_SEQ_CST);
			mica_yield();
			__atomic_sub_fetch(&readers_in, 1, __ATOMIC_SEQ_CST);
		}
		pthread_rwlock_unlock(&rw);
	}
	return NULL;
}

static int t_rwlock(void)
{
	pthread_barrier_init(&start, NULL, 4);
	CHECK(run_threads(4, reader_sleeps) == 0, "create or join failed");
	CHECK(most_readers >= 3, "readers did not share the lock: at most %d", most_readers);
	bad = 0;
	CHECK(run_threads(6, mixed) == 0, "create or join failed");
	CHECK(!bad, "%s", twhy);
	CHECK(pthread_rwlock_rdlock(&rw) == 0, "rdlock");
	CHECK(pthread_rwlock_trywrlock(&rw) == EBUSY, "trywrlock beside a reader");
	CHECK(pthread_rwlock_tryrdlock(&rw) == 0, "a second reader");
	pthread_rwlock_unlock(&rw);
	pthread_rwlock_unlock(&rw);
	CHECK(pthread_rwlock_wrlock(&rw) == 0, "wrlock");
	CHECK(pthread_rwlock_tryrdlock(&rw) == EBUSY, "tryrdlock beside a writer");
	CHECK(pthread_rwlock_wrlock(&rw) == EDEADLK, "wrlock twice");
	CHECK(pthread_rwlock_unlock(&rw) == 0, "unlock");
	CHECK(pthread_rwlock_unlock(&rw) == EPERM, "unlocking a free rwlock");
	return 0;
}

/* --- once and keys -------------------------------------------------------------------- */

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int init_runs, init_done;

static void init_once(void)
{
	usleep(20000); /* the other threads arrive and must wait */
	init_runs++;
	init_done = 1;
}

static void *call_once(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&start);
	pthread_once(&once, init_once);
	EXPECT(init_done, "pthread_once returned before init ended");
	return NULL;
}

static int t_once(void)
{
	bad = 0;
	pthread_barrier_init(&start, NULL, 8);
	CHECK(run_threads(8, call_once) == 0, "create or join failed");
	CHECK(!bad, "%s", twhy);
	CHECK(init_runs == 1, "init ran %d times", init_runs);
	pthread_once(&once, init_once);
	CHECK(init_runs == 1, "init ran again");
	return 0;
}

static pthread_key_t key, key2;
static int dtor_calls, dtor_sum, dtor2_calls;

static void dtor(void *v)
{
	pthread_mutex_lock(&bad_lock);
	dtor_calls++;
	dtor_sum += *(int *)v;
	pthread_mutex_unlock(&bad_lock);
	free(v);
}

/* Sets its value again once: a second round must call it again. */
static void dtor2(void *v)
{
	__atomic_add_fetch(&dtor2_calls, 1, __ATOMIC_SEQ_CST);
	if (v == (void *)1)
		pthread_setspecific(key2, (void *)2);
}

static void *use_keys(void *arg)
{
	int id = (int)(intptr_t)arg;
	EXPECT(!pthread_getspecific(key), "a new thread's value is not NULL");
	int *v = malloc(sizeof(int));
	*v = id + 1;
	pthread_setspecific(key, v);
	pthread_setspecific(key2, (void *)1);
	usleep(5000);
	EXPECT(pthread_getspecific(key) == v, "thread %d sees another value", id);
	return NULL;
}

static int t_keys(void)
{
	bad = 0;
	static int mine = 100;
	CHECK(pthread_key_create(&key, dtor) == 0 && pthread_key_create(&key2, dtor2) == 0,
	      "key_create");
	CHECK(pthread_setspecific(key, &mine) == 0, "setspecific");
	CHECK(run_threads(4, use_keys) == 0, "create or join failed");
	CHECK(!bad, "%s", twhy);
	CHECK(dtor_calls == 4 && dtor_sum == 1 + 2 + 3 + 4, "destructors: %d calls, sum %d",
	      dtor_calls, dtor_sum);
	CHECK(dtor2_calls == 8, "a value set by a destructor: %d calls, not 8", dtor2_calls);
	CHECK(pthread_getspecific(key) == &mine, "main's value changed");
	CHECK(pthread_key_delete(key) == 0, "key_delete");
	CHECK(pthread_key_delete(key) == EINVAL, "deleting twice");
	CHECK(pthread_setspecific(key, &mine) == EINVAL, "setspecific on a deleted key");
	pthread_key_t k3;
	CHECK(pthread_key_create(&k3, NULL) == 0, "key_create again");
	CHECK(pthread_getspecific(k3) == NULL, "a new key starts NULL (slot %u)", k3);
	pthread_key_delete(k3);
	pthread_key_delete(key2);
	return 0;
}

/* --- TLS ------------------------------------------------------------------------------- */

static __thread int tv = 5;
static __thread char tbuf[64];
static int *tv_addr[4];

static void *use_tls(void *arg)
{
	int id = (int)(intptr_t)arg;
	EXPECT(tv == 5, "thread %d starts with tv %d, not the initial 5", id, tv);
	for (size_t i = 0; i < sizeof(tbuf); i++)
		EXPECT(!tbuf[i], "tbuf is not zero");
	tv_addr[id] = &tv;
	tv = 1000 + id;
	errno = id % 2 ? EINVAL : ENOENT;
	for (int i = 0; i < 20; i++) {
		usleep(1000);
		EXPECT(tv == 1000 + id, "thread %d: tv became %d", id, tv);
	}
	EXPECT(errno == (id % 2 ? EINVAL : ENOENT), "thread %d: errno became %d", id, errno);
	return NULL;
}

static int t_tls(void)
{
	bad = 0;
	tv = 7; /* must not leak into new threads */
	memset(tbuf, 'x', sizeof(tbuf));
	errno = 0;
	CHECK(run_threads(4, use_tls) == 0, "create or join failed");
	CHECK(!bad, "%s", twhy);
	CHECK(tv == 7 && tbuf[0] == 'x', "main's tv is %d", tv);
	for (int i = 0; i < 4; i++)
		for (int j = 0; j < i; j++)
			CHECK(tv_addr[i] != tv_addr[j], "threads %d and %d share tv", i, j);
	CHECK(errno == 0, "main's errno is %d", errno);
	return 0;
}

/* --- join, detach, limits ------------------------------------------------------------------ */

static void *give(void *arg)
{
	usleep(1000 * (unsigned)(intptr_t)arg);
	return (void *)((intptr_t)arg * 3 + 1);
}

static int finished;
static void *count_done(void *arg)
{
	(void)arg;
	__atomic_add_fetch(&finished, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static int t_join_and_detach(void)
{
	pthread_t t[6];
	void *v;
	for (int i = 0; i < 6; i++)
		CHECK(pthread_create(&t[i], NULL, give, (void *)(intptr_t)(5 - i)) == 0, "create");
	for (int i = 0; i < 6; i++) {
		CHECK(pthread_join(t[i], &v) == 0, "join %d", i);
		CHECK((intptr_t)v == (5 - i) * 3 + 1, "thread %d returned %ld", i,
		      (long)(intptr_t)v);
	}
	CHECK(pthread_join(pthread_self(), NULL) == EDEADLK, "joining oneself");
	CHECK(pthread_join(t[0], NULL) == ESRCH, "joining a joined thread");
	CHECK(pthread_equal(pthread_self(), pthread_self()) && !pthread_equal(t[0], t[1]),
	      "pthread_equal");

	pthread_attr_t at;
	pthread_attr_init(&at);
	CHECK(pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED) == 0, "setdetachstate");
	int st;
	pthread_attr_getdetachstate(&at, &st);
	CHECK(st == PTHREAD_CREATE_DETACHED, "getdetachstate");
	finished = 0;
	/* more than a process may hold at once: ended ones must be reaped */
	for (int i = 0; i < 100; i++) {
		pthread_t d;
		int r, tries = 0;
		while ((r = pthread_create(&d, &at, count_done, NULL)) == EAGAIN && tries++ < 100)
			usleep(1000);
		CHECK(r == 0, "detached thread %d: %s", i, strerror(r));
		if (i == 0)
			CHECK(pthread_join(d, NULL) == EINVAL || pthread_join(d, NULL) == ESRCH,
			      "joining a detached thread");
	}
	for (int n = 0; n < 500 && finished < 100; n++)
		usleep(2000);
	CHECK(finished == 100, "%d of 100 detached threads ran", finished);
	pthread_t j;
	pthread_create(&j, NULL, give, (void *)20);
	CHECK(pthread_detach(j) == 0, "detach a running thread");
	CHECK(pthread_detach(j) == EINVAL, "detach twice");
	CHECK(pthread_join(j, NULL) == EINVAL, "join a detached thread");
	return 0;
}

static pthread_mutex_t gate = PTHREAD_MUTEX_INITIALIZER;
static void *wait_gate(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&gate);
	pthread_mutex_unlock(&gate);
	return NULL;
}

static int t_thread_limit(void)
{
	pthread_t t[64];
	int n = 0, r = 0;
	pthread_mutex_lock(&gate);
	while (n < 64 && (r = pthread_create(&t[n], NULL, wait_gate, NULL)) == 0)
		n++;
	pthread_mutex_unlock(&gate);
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	CHECK(r == EAGAIN, "the limit gave %d (%s) after %d threads", r, strerror(r), n);
	CHECK(n >= 16 && n < PTHREAD_THREADS_MAX, "%d threads before EAGAIN", n);
	CHECK(run_threads(2, count_done) == 0, "no thread after the limit was reached");
	return 0;
}

static void *big_stack(void *arg)
{
	(void)arg;
	char buf[700 * 1024];
	memset(buf, 0x5a, sizeof(buf));
	EXPECT(buf[12345] == 0x5a, "the stack");
	return (void *)(intptr_t)buf[sizeof(buf) - 1];
}

static int t_stack_size(void)
{
	pthread_attr_t at;
	pthread_t t;
	void *v;
	size_t sz;
	bad = 0;
	pthread_attr_init(&at);
	CHECK(pthread_attr_setstacksize(&at, 100) == EINVAL, "a stack of 100 bytes");
	CHECK(pthread_attr_setstacksize(&at, 1 << 20) == 0, "setstacksize");
	pthread_attr_getstacksize(&at, &sz);
	CHECK(sz == 1 << 20, "getstacksize %zu", sz);
	CHECK(pthread_create(&t, &at, big_stack, NULL) == 0, "create");
	CHECK(pthread_join(t, &v) == 0 && (intptr_t)v == 0x5a, "join");
	CHECK(!bad, "%s", twhy);
	return 0;
}

/* --- processes ------------------------------------------------------------------------------ */

static volatile int churning;
static void *churn(void *arg)
{
	(void)arg;
	while (churning) { /* the heap's lock is often held when fork comes */
		void *p = malloc(100 + (size_t)(rand() % 2000));
		mica_yield();
		free(p);
	}
	return NULL;
}

static void *forker(void *arg)
{
	pthread_t me = pthread_self();
	(void)arg;
	pid_t pid = fork();
	if (pid == 0) {
		pthread_t t;
		void *v;
		int ok = pthread_self() == me;
		for (int i = 0; i < 50; i++)
			free(malloc(3000)); /* the heap's lock came free */
		ok = ok && pthread_create(&t, NULL, give, (void *)2) == 0 &&
		     pthread_join(t, &v) == 0 && (intptr_t)v == 7;
		exit(ok ? 42 : 1);
	}
	return (void *)(intptr_t)wait_status(pid);
}

static int t_fork_from_thread(void)
{
	pthread_t c, f;
	void *st;
	churning = 1;
	pthread_create(&c, NULL, churn, NULL);
	usleep(2000);
	CHECK(pthread_create(&f, NULL, forker, NULL) == 0, "create");
	pthread_join(f, &st);
	churning = 0;
	pthread_join(c, NULL);
	int s = (int)(intptr_t)st;
	CHECK(WIFEXITED(s) && WEXITSTATUS(s) == 42, "the child's status is %#x", s);
	return 0;
}

static void *fork_and_wait(void *arg)
{
	int code = (int)(intptr_t)arg;
	pid_t pid = fork();
	if (pid == 0) {
		usleep(30000 * (unsigned)(5 - code)); /* 3 ends last */
		_exit(code);
	}
	return (void *)(intptr_t)wait_status(pid);
}

/* Two threads wait for their own children at once. */
static int t_wait_from_two_threads(void)
{
	pthread_t t[2];
	void *st[2];
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, fork_and_wait, (void *)(intptr_t)(3 + i));
	for (int i = 0; i < 2; i++) {
		pthread_join(t[i], &st[i]);
		int s = (int)(intptr_t)st[i];
		CHECK(WIFEXITED(s) && WEXITSTATUS(s) == 3 + i, "thread %d: status %#x", i, s);
	}
	return 0;
}

static void *exit7(void *arg)
{
	(void)arg;
	usleep(10000);
	exit(7);
}

static void *wait_forever(void *arg)
{
	pthread_mutex_lock(&gate); /* held by main: a futex wait with no timeout */
	return arg;
}

static void *wait_long(void *arg)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 30; /* a futex wait with a timeout */
	pthread_mutex_lock(&pp_lock);
	pthread_cond_timedwait(&bc, &pp_lock, &ts);
	return arg;
}

/* exit(7) in one thread ends the process with the others asleep in the
 * kernel: in SYS_SLEEP and in futex waits with and without a timeout.
 * Their kernel threads go with it. */
static int t_exit_from_thread(void)
{
	struct kinfo k0, k1;
	mica_kinfo(&k0);
	long t0 = now_us();
	pid_t pid = fork();
	if (pid == 0) {
		pthread_t t;
		pthread_mutex_lock(&gate);
		pthread_create(&t, NULL, wait_forever, NULL);
		pthread_create(&t, NULL, wait_long, NULL);
		pthread_create(&t, NULL, give, (void *)5000); /* still sleeping at exit */
		pthread_create(&t, NULL, exit7, NULL);
		sleep(10);
		_exit(1);
	}
	int s = wait_status(pid);
	mica_kinfo(&k1);
	CHECK(WIFEXITED(s) && WEXITSTATUS(s) == 7, "status %#x", s);
	CHECK(now_us() - t0 < 5000000, "the process outlived exit(7) by %ld us", now_us() - t0);
	CHECK(k1.nthreads <= k0.nthreads, "kernel threads: %lu before, %lu after", k0.nthreads,
	      k1.nthreads);
	return 0;
}

static int report_fd;
static void *write_t(void *arg)
{
	usleep(20000 * (unsigned)((intptr_t)arg + 1));
	write(report_fd, "T", 1);
	return NULL;
}

static void at_exit_write(void)
{
	write(report_fd, "A", 1);
}

static int t_pthread_exit_from_main(void)
{
	int p[2];
	CHECK(pipe(p) == 0, "pipe");
	pid_t pid = fork();
	if (pid == 0) {
		pthread_t t;
		close(p[0]);
		report_fd = p[1];
		atexit(at_exit_write);
		pthread_create(&t, NULL, write_t, (void *)0);
		pthread_create(&t, NULL, write_t, (void *)1);
		pthread_exit(NULL); /* the others go on; the last one's end is exit(0) */
	}
	close(p[1]);
	char buf[8] = {0};
	size_t n = 0;
	ssize_t r;
	while (n < sizeof(buf) - 1 && (r = read(p[0], buf + n, sizeof(buf) - 1 - n)) > 0)
		n += (size_t)r;
	close(p[0]);
	int s = wait_status(pid);
	CHECK(WIFEXITED(s) && WEXITSTATUS(s) == 0, "status %#x", s);
	CHECK(!strcmp(buf, "TTA"), "the pipe said \"%s\", not TTA", buf);
	return 0;
}

static void *print_lines(void *arg)
{
	int id = (int)(intptr_t)arg;
	for (int i = 0; i < 200; i++) {
		if (i % 50 == 0) { /* a line in pieces, held together by flockfile */
			flockfile(stdout);
			printf("thread %d line %d", id, i);
			mica_yield();
			printf(" whole\n");
			funlockfile(stdout);
		} else {
			printf("thread %d line %d\n", id, i);
		}
		if (i % 7 == 0)
			mica_yield();
	}
	return NULL;
}

/* Four threads print into one pipe: every line arrives whole, each
 * thread's in order. */
static int t_stdio_from_threads(void)
{
	int p[2], next[4] = {0}, lines = 0;
	CHECK(pipe(p) == 0, "pipe");
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		dup2(p[1], 1);
		close(p[1]);
		_exit(run_threads(4, print_lines) == 0 && fflush(stdout) == 0 ? 0 : 1);
	}
	close(p[1]);
	FILE *f = fdopen(p[0], "r");
	char line[128];
	while (f && fgets(line, sizeof(line), f)) {
		int id, n, len = 0;
		char tail[16] = "";
		CHECK(sscanf(line, "thread %d line %d%n", &id, &n, &len) == 2 && id >= 0 && id < 4,
		      "a broken line: \"%s\"", line);
		sscanf(line + len, "%15s", tail);
		CHECK(n == next[id]++, "thread %d: line %d after %d", id, n, next[id] - 1);
		CHECK(n % 50 ? line[len] == '\n' : !strcmp(tail, "whole"), "line: \"%s\"", line);
		lines++;
	}
	if (f)
		fclose(f);
	int st = wait_status(pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the child's status %#x", st);
	CHECK(lines == 800, "%d lines, not 800", lines);
	return 0;
}

static void *read_char(void *arg)
{
	(void)arg;
	return (void *)(intptr_t)getchar();
}

/* A thread waiting in getchar does not hold up another's printf. */
static int t_stdin_wait_leaves_stdout_free(void)
{
	int in[2], out[2];
	char buf[8] = {0};
	CHECK(pipe(in) == 0 && pipe(out) == 0, "pipe");
	pid_t pid = fork();
	if (pid == 0) {
		pthread_t t;
		void *c;
		dup2(in[0], 0), dup2(out[1], 1);
		close(in[0]), close(in[1]), close(out[0]), close(out[1]);
		pthread_create(&t, NULL, read_char, NULL);
		usleep(20000); /* it waits for input now */
		printf("x\n");
		fflush(stdout);
		pthread_join(t, &c);
		_exit((intptr_t)c == 'y' ? 0 : 1);
	}
	close(in[0]), close(out[1]);
	ssize_t n = read(out[0], buf, sizeof(buf) - 1);
	CHECK(write(in[1], "y\n", 2) == 2, "write");
	close(in[1]), close(out[0]);
	int st = wait_status(pid);
	CHECK(n == 2 && !strcmp(buf, "x\n"), "the child printed \"%s\"", buf);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the child's status %#x", st);
	return 0;
}

/* --- the kernel's futex --------------------------------------------------------------------- */

static unsigned fword;
static void *futex_waiter(void *arg)
{
	(void)arg;
	long r = mica_futex(&fword, FUTEX_WAIT, 1, 0);
	EXPECT(r == 0, "a woken waiter got %ld", r);
	return NULL;
}

static int t_futex(void)
{
	unsigned w = 5;
	long t0 = now_us();
	long r = mica_futex(&w, FUTEX_WAIT, 5, 30000);
	long waited = now_us() - t0;
	CHECK(r == -110, "a wait that times out returned %ld", r);
	CHECK(waited >= 30000 && waited < 2000000, "it waited %ld us", waited);
	CHECK(mica_futex(&w, FUTEX_WAIT, 6, 0) == -11, "another value is not EAGAIN");
	CHECK(mica_futex((void *)8, FUTEX_WAIT, 0, 0) == -14, "address 8 is not EFAULT");
	CHECK(mica_futex((void *)0xFFFFFFC000000000ul, FUTEX_WAKE, 1, 0) == -14,
	      "a kernel address is not EFAULT");
	CHECK(mica_futex((char *)&w + 1, FUTEX_WAIT, 5, 0) == -22, "unaligned is not EINVAL");
	CHECK(mica_futex(&w, 9, 5, 0) == -22, "operation 9 is not EINVAL");
	CHECK(mica_futex(&w, FUTEX_WAIT, 5, -5) == -22, "a negative timeout is not EINVAL");
	CHECK(mica_futex(&w, FUTEX_WAKE, 10, 0) == 0, "woke someone from nowhere");

	bad = 0;
	fword = 1;
	pthread_t t[3];
	for (int i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, futex_waiter, NULL);
	usleep(20000); /* all three wait now */
	CHECK(mica_futex(&fword, FUTEX_WAKE, 1, 0) == 1, "waking one");
	CHECK(mica_futex(&fword, FUTEX_WAKE, 10, 0) == 2, "waking the rest");
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	CHECK(!bad, "%s", twhy);
	return 0;
}

static void nothing(void)
{
}

/* 1000 rounds of every lock, nobody else wanting them: no system call. */
static int t_uncontended_no_syscall(void)
{
	pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
	pthread_mutex_t rm = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
	pthread_rwlock_t l = PTHREAD_RWLOCK_INITIALIZER;
	pthread_cond_t c = PTHREAD_COND_INITIALIZER;
	pthread_once_t o = PTHREAD_ONCE_INIT;
	pthread_spinlock_t s;
	pthread_spin_init(&s, 0);
	struct kstat a, b;
	free(malloc(64)); /* the heap has its first pages */
	mica_kstat(&a);
	for (int i = 0; i < 1000; i++) {
		pthread_mutex_lock(&m);
		pthread_mutex_unlock(&m);
		pthread_mutex_lock(&rm);
		pthread_mutex_lock(&rm);
		pthread_mutex_unlock(&rm);
		pthread_mutex_unlock(&rm);
		pthread_rwlock_rdlock(&l);
		pthread_rwlock_unlock(&l);
		pthread_rwlock_wrlock(&l);
		pthread_rwlock_unlock(&l);
		pthread_cond_signal(&c); /* nobody waits */
		pthread_once(&o, nothing);
		pthread_spin_lock(&s);
		pthread_spin_unlock(&s);
		free(malloc(64)); /* the heap's lock */
	}
	mica_kstat(&b);
	CHECK(b.syscalls - a.syscalls <= 10, "%lu system calls in 1000 rounds",
	      b.syscalls - a.syscalls);
	return 0;
}

/* --- /proc -------------------------------------------------------------------------------------
 */

static pthread_mutex_t hold_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t hold_cond = PTHREAD_COND_INITIALIZER;
static int holding, released;
static long hold_secs;
static pid_t lwps[32];

static void *hold(void *arg)
{
	lwps[(intptr_t)arg] = gettid();
	pthread_mutex_lock(&hold_lock);
	holding++;
	pthread_cond_broadcast(&hold_cond);
	while (!released)
		pthread_cond_wait(&hold_cond, &hold_lock);
	pthread_mutex_unlock(&hold_lock);
	return NULL;
}

/* Starts n - 1 threads that wait in hold() until released. */
static int hold_start(pthread_t *t, int n)
{
	holding = released = 0;
	lwps[0] = gettid();
	for (int i = 1; i < n; i++)
		if (pthread_create(&t[i], NULL, hold, (void *)(intptr_t)i))
			return -1;
	pthread_mutex_lock(&hold_lock);
	while (holding < n - 1)
		pthread_cond_wait(&hold_cond, &hold_lock);
	pthread_mutex_unlock(&hold_lock);
	return 0;
}

static void hold_end(pthread_t *t, int n)
{
	pthread_mutex_lock(&hold_lock);
	released = 1;
	pthread_cond_broadcast(&hold_cond);
	pthread_mutex_unlock(&hold_lock);
	for (int i = 1; i < n; i++)
		pthread_join(t[i], NULL);
}

static int proc_threads(int *listed, pid_t *ids)
{
	char line[128];
	int threads = -1;
	FILE *f = fopen("/proc/self/status", "r");
	while (f && fgets(line, sizeof(line), f))
		sscanf(line, "Threads: %d", &threads);
	if (f)
		fclose(f);
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	*listed = 0;
	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.' && *listed < 32)
			ids[(*listed)++] = atoi(e->d_name);
	if (d)
		closedir(d);
	return threads;
}

static int t_proc_self_task(void)
{
	pthread_t t[4];
	pid_t ids[32];
	int listed;
	CHECK(hold_start(t, 4) == 0, "create");
	int threads = proc_threads(&listed, ids);
	hold_end(t, 4);
	CHECK(threads == 4, "/proc/self/status says Threads: %d", threads);
	CHECK(listed == 4, "/proc/self/task lists %d threads", listed);
	for (int i = 0; i < 4; i++) {
		bool found = false;
		for (int j = 0; j < listed; j++)
			found |= ids[j] == lwps[i];
		CHECK(lwps[i] > 0 && found, "thread %d's LWP %d is not in /proc/self/task", i,
		      lwps[i]);
	}
	char path[64], line[128];
	snprintf(path, sizeof(path), "/proc/self/task/%d/status", lwps[0]);
	FILE *f = fopen(path, "r");
	int pid = -1, tgid = -1;
	while (f && fgets(line, sizeof(line), f)) {
		sscanf(line, "Pid: %d", &pid);
		sscanf(line, "Tgid: %d", &tgid);
	}
	if (f)
		fclose(f);
	CHECK(pid == lwps[0] && tgid == getpid(), "%s: Pid %d, Tgid %d", path, pid, tgid);
	threads = proc_threads(&listed, ids);
	CHECK(threads == 1 && listed == 1, "after the joins: Threads %d, %d listed", threads,
	      listed);
	return 0;
}

static int hold_main(int argc, char **argv)
{
	int n = argc > 2 ? atoi(argv[2]) : 4;
	hold_secs = argc > 3 ? atol(argv[3]) : 30;
	pthread_t t[32];
	if (n < 1 || n > 32 || hold_start(t, n)) {
		fprintf(stderr, "t_thread: cannot hold %d threads\n", n);
		return 1;
	}
	printf("t_thread: pid %d holds %d threads:", getpid(), n);
	for (int i = 0; i < n; i++)
		printf(" %d", lwps[i]);
	printf("\n");
	fflush(stdout);
	sleep((unsigned)hold_secs);
	hold_end(t, n);
	return 0;
}

static void run(const char *name, int (*fn)(void))
{
	check_run("t_thread", name, fn);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "hold"))
		return hold_main(argc, argv);
	run("mutex_counter", t_mutex_counter);
	run("uncontended_no_syscall", t_uncontended_no_syscall); /* the heap's lock is real now */
	run("mutex_types", t_mutex_types);
	run("condvar_ping_pong", t_condvar_ping_pong);
	run("condvar_broadcast_and_timeout", t_condvar_broadcast_and_timeout);
	run("rwlock", t_rwlock);
	run("once", t_once);
	run("keys", t_keys);
	run("tls", t_tls);
	run("join_and_detach", t_join_and_detach);
	run("thread_limit", t_thread_limit);
	run("stack_size", t_stack_size);
	run("futex", t_futex);
	run("stdio_from_threads", t_stdio_from_threads);
	run("stdin_wait_leaves_stdout_free", t_stdin_wait_leaves_stdout_free);
	run("fork_from_thread", t_fork_from_thread);
	run("wait_from_two_threads", t_wait_from_two_threads);
	run("exit_from_thread", t_exit_from_thread);
	run("pthread_exit_from_main", t_pthread_exit_from_main);
	run("proc_self_task", t_proc_self_task);
	printf("t_thread: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
