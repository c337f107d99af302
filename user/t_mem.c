/* t_mem: in-guest checks of process memory: the 8 MiB stack that grows
 * on demand (and SIGSEGV past it), demand-zero heap pages, and the
 * allocator (many blocks, reuse, calloc, realloc, memalign, its cost).
 * Prints "t_mem: NAME ok" or "FAILED: why", then the totals. */
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mica/abi.h"
#include "mica/syscall.h"

#include "lib/check.h"

/* Runs fn in a child and returns its wait status (or -1). */
static int in_child(int (*fn)(void))
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		_exit(fn() ? 1 : 0);
	int st;
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return st;
}

/* --- the stack ------------------------------------------------------------ */

static volatile unsigned long sink;

/* Each level keeps 512 bytes live on the stack. */
static unsigned long recurse(int depth)
{
	volatile char frame[512];
	frame[0] = (char)depth;
	frame[511] = (char)(depth >> 8);
	if (depth == 0)
		return 1;
	unsigned long r = recurse(depth - 1) + (unsigned long)frame[0] + (unsigned long)frame[511];
	sink = r;
	return r;
}

static int deep(void)
{
	return recurse(14000) ? 0 : 1; /* about 7 MiB */
}

static int t_deep_recursion(void)
{
	int st = in_child(deep);
	CHECK(st == 0, "recursion 14000 deep (about 7 MiB of stack): status %#x", st);
	return 0;
}

static int big_local(void)
{
	volatile char a[1 << 20]; /* 1 MiB on the stack */
	for (size_t i = 0; i < sizeof(a); i += 4096)
		a[i] = (char)i;
	a[sizeof(a) - 1] = 1;
	return a[sizeof(a) - 1] == 1 && a[4096] == (char)4096 ? 0 : 1;
}

static int t_big_local_array(void)
{
	int st = in_child(big_local);
	CHECK(st == 0, "a 1 MiB local array: status %#x", st);
	return 0;
}

static int endless(void)
{
	return recurse(1 << 30) ? 0 : 1;
}

static int t_stack_limit_is_sigsegv(void)
{
	int st = in_child(endless);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV,
	      "endless recursion: want SIGSEGV past 8 MiB, got status %#x", st);
	return 0;
}

/* --- the heap -------------------------------------------------------------- */

/* Pages are given frames when touched: a large brk costs no memory until
 * it is used, and the pages read as zero. */
static int t_demand_zero_heap(void)
{
	struct kinfo k0, k1, k2;
	mica_kinfo(&k0);
	char *p = sbrk(32 << 20);
	CHECK(p != (void *)-1, "sbrk(32 MiB): %s", strerror(errno));
	mica_kinfo(&k1);
	long taken = (long)k0.frames_free - (long)k1.frames_free;
	CHECK(taken < 64, "sbrk(32 MiB) took %ld frames before any touch", taken);
	for (size_t i = 0; i < (32u << 20); i += 4096)
		CHECK(p[i] == 0, "byte %zu of new heap is %d", i, p[i]);
	for (size_t i = 0; i < (8u << 20); i += 4096)
		p[i] = 1;
	mica_kinfo(&k2);
	taken = (long)k1.frames_free - (long)k2.frames_free;
	CHECK(taken >= 2048 && taken < 8192 + 64, "touching 32 MiB took %ld frames", taken);
	CHECK(sbrk(-(32 << 20)) == p + (32 << 20), "sbrk back");
	return 0;
}

/* --- fork: copy-on-write --------------------------------------------------- */

static char cow_buf[1 << 20]; /* data: shared copy-on-write by fork */

static int pattern_ok(const char *p, size_t n, char want)
{
	for (size_t i = 0; i < n; i += 512)
		if (p[i] != want)
			return 0;
	return 1;
}

/* A child's writes are its own: neither the parent nor a grandchild sees
 * them, and the parent's later writes do not reach the child. Fork
 * shares the pages (kstat's cow_shared) and copies only those written. */
static int t_fork_copy_on_write(void)
{
	struct kstat k0, k1;
	memset(cow_buf, 'p', sizeof(cow_buf));
	mica_kstat(&k0);
	int fds[2];
	CHECK(pipe(fds) == 0, "pipe");
	pid_t pid = fork();
	if (pid == 0) {
		char go;
		int ok = pattern_ok(cow_buf, sizeof(cow_buf), 'p');
		memset(cow_buf, 'c', sizeof(cow_buf) / 2); /* the first half */
		pid_t g = fork();
		if (g == 0) /* the grandchild: the child's view at its fork */
			_exit(pattern_ok(cow_buf, sizeof(cow_buf) / 2, 'c') &&
			              pattern_ok(cow_buf + sizeof(cow_buf) / 2, sizeof(cow_buf) / 2,
			                         'p')
			          ? 0
			          : 3);
		int gs;
		waitpid(g, &gs, 0);
		memset(cow_buf, 'd', sizeof(cow_buf)); /* after the grandchild is gone */
		read(fds[0], &go, 1);                  /* the parent has written by now */
		ok = ok && WIFEXITED(gs) && WEXITSTATUS(gs) == 0 &&
		     pattern_ok(cow_buf, sizeof(cow_buf), 'd');
		_exit(ok ? 0 : 4);
	}
	CHECK(pid > 0, "fork");
	memset(cow_buf + sizeof(cow_buf) / 2, 'q', sizeof(cow_buf) / 2);
	write(fds[1], "g", 1);
	int st;
	CHECK(waitpid(pid, &st, 0) == pid, "wait");
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the child saw another's writes: status %#x",
	      st);
	CHECK(pattern_ok(cow_buf, sizeof(cow_buf) / 2, 'p') &&
	          pattern_ok(cow_buf + sizeof(cow_buf) / 2, sizeof(cow_buf) / 2, 'q'),
	      "the parent saw its child's writes");
	mica_kstat(&k1);
	CHECK(k1.cow_shared - k0.cow_shared >= 256, "fork shared %lu pages",
	      k1.cow_shared - k0.cow_shared);
	CHECK(k1.cow_copied - k0.cow_copied >= 128, "copied %lu", k1.cow_copied - k0.cow_copied);
	close(fds[0]);
	close(fds[1]);
	return 0;
}

/* A heap larger than memory is refused at once: malloc says NULL
 * (ENOMEM) and the program goes on. */
static int t_malloc_too_much_is_null(void)
{
	struct kinfo k;
	mica_kinfo(&k);
	size_t ram = k.frames_total * 4096;
	errno = 0;
	void *p = malloc(ram + (64u << 20));
	CHECK(p == NULL && errno == ENOMEM, "malloc(RAM + 64 MiB) = %p, errno %d", p, errno);
	CHECK((p = malloc(1 << 20)) != NULL, "a small malloc after it");
	free(p);
	return 0;
}

static int t_many_blocks(void)
{
	enum { N = 20000 };
	static char *p[N];
	unsigned long t0 = mica_rdinstret();
	for (int i = 0; i < N; i++) {
		p[i] = malloc(16 + (size_t)(i % 100));
		CHECK(p[i], "malloc %d", i);
		memset(p[i], i & 0xff, 16);
	}
	unsigned long t1 = mica_rdinstret();
	for (int i = 0; i < N; i++)
		CHECK((unsigned char)p[i][15] == (i & 0xff), "block %d overwritten", i);
	for (int i = 0; i < N; i += 2)
		free(p[i]);
	for (int i = 1; i < N; i += 2)
		free(p[i]);
	unsigned long t2 = mica_rdinstret();
	printf("t_mem: 20000 mallocs %lu instructions each, frees %lu each\n", (t1 - t0) / N,
	       (t2 - t1) / N);
	CHECK((t1 - t0) / N < 10000 && (t2 - t1) / N < 10000, /* picolibc: ~50,000 per free */
	      "malloc %lu, free %lu instructions per call", (t1 - t0) / N, (t2 - t1) / N);
	return 0;
}

static volatile size_t huge = SIZE_MAX - 64; /* hidden from the compiler's checks */

static int t_calloc_realloc_memalign(void)
{
	char *a = malloc(5000);
	CHECK(a, "malloc");
	memset(a, 0x5a, 5000);
	free(a);
	unsigned char *z = calloc(50, 100);
	CHECK(z, "calloc");
	for (int i = 0; i < 5000; i++)
		CHECK(z[i] == 0, "calloc byte %d is %d", i, z[i]);
	unsigned char *r = realloc(z, 100000);
	CHECK(r, "realloc");
	for (int i = 0; i < 5000; i++)
		CHECK(r[i] == 0, "realloc lost byte %d", i);
	free(r);
	errno = 0;
	CHECK(!calloc(huge / 8, 16) && errno == ENOMEM, "calloc overflow");
	void *m;
	CHECK(posix_memalign(&m, 4096, 100) == 0 && ((uintptr_t)m & 4095) == 0, "posix_memalign");
	free(m);
	m = aligned_alloc(256, 1000);
	CHECK(m && ((uintptr_t)m & 255) == 0 && malloc_usable_size(m) >= 1000, "aligned_alloc");
	free(m);
	CHECK(!malloc(huge) && errno == ENOMEM, "malloc(huge) must fail with ENOMEM");
	return 0;
}

/* A block freed is memory reused: a loop of malloc/free does not grow
 * the heap. */
static int t_reuse(void)
{
	void *p = malloc(100000);
	free(p);
	char *brk0 = sbrk(0);
	for (int i = 0; i < 1000; i++) {
		void *q = malloc(100000 + (size_t)i);
		CHECK(q, "malloc");
		free(q);
	}
	CHECK(sbrk(0) == brk0, "the break moved by %ld bytes", (long)((char *)sbrk(0) - brk0));
	return 0;
}

static void run(const char *name, int (*fn)(void))
{
	check_run("t_mem", name, fn);
}

/* t_mem hog MIB: takes MIB MiB, a MiB every 40 ms, touching every page
 * (the memory-pressure scenario: the caches must give memory back). */
static int hog(long mib)
{
	for (long i = 0; i < mib; i++) {
		char *p = malloc(1 << 20);
		if (!p) {
			printf("t_mem: hog: out of memory after %ld MiB\n", i);
			return 1;
		}
		memset(p, (int)i + 1, 1 << 20);
		usleep(40000);
	}
	printf("t_mem: hog %ld MiB ok\n", mib);
	return 0;
}

/* t_mem check MIB: takes MIB MiB (more than memory, with swap), writes
 * every 8-byte word with a value of its own, then reads every one back:
 * the swapping scenario. */
static int check(long mib)
{
	size_t words = (size_t)mib << 17;
	uint64_t *p = malloc(words * sizeof(*p));
	if (!p) {
		printf("t_mem: check: malloc of %ld MiB failed\n", mib);
		return 1;
	}
	for (size_t i = 0; i < words; i++)
		p[i] = i * 0x9E3779B97F4A7C15ull ^ 0x5eed;
	size_t bad = 0;
	for (size_t i = 0; i < words; i++)
		bad += p[i] != (i * 0x9E3779B97F4A7C15ull ^ 0x5eed);
	printf("t_mem: check %ld MiB: %zu bad words\n", mib, bad);
	free(p);
	return bad != 0;
}

/* t_mem hold MIB SECS: takes MIB MiB, touches it, and keeps it SECS
 * seconds (what swapping takes from, and VmSwap shows). */
static int hold(long mib, long secs)
{
	volatile char *p = malloc((size_t)mib << 20);
	if (!p)
		return 1;
	for (size_t i = 0; i < (size_t)mib << 20; i += 4096)
		p[i] = 0x77; /* each page: the compiler may not skip these */
	printf("t_mem: holding %ld MiB\n", mib);
	fflush(stdout);
	sleep((unsigned)secs);
	return 0;
}

/* t_mem bomb SECS: a fork bomb that also eats memory: every process
 * takes 2 MiB and forks as long as it can, until SECS have passed;
 * then all of them exit. The system must stay usable throughout. */
static int bomb(long secs)
{
	long end = (long)time(NULL) + secs, forks = 0, failed = 0;
	pid_t top = getpid();
	for (;;) {
		char *p = malloc(2 << 20);
		if (p)
			memset(p, 1, 2 << 20);
		while ((long)time(NULL) < end) {
			pid_t c = fork();
			if (c == 0)
				break; /* the child: takes its memory, forks on */
			if (c < 0)
				failed++, usleep(20000);
			else
				forks++;
		}
		if ((long)time(NULL) >= end)
			break;
	}
	while (wait(NULL) > 0)
		;
	if (getpid() == top)
		printf("t_mem: bomb over: %ld forks here, %ld refused\n", forks, failed);
	return 0;
}

/* t_mem swapio MIB: fills MIB MiB (more than memory) so its first
 * pages go to the swap area, then write()s them to a file and read()s
 * them back into the same (by then swapped) pages: system calls on
 * swapped-out buffers work. */
static int swapio(long mib)
{
	size_t n = (size_t)mib << 20;
	unsigned char *p = malloc(n);
	if (!p)
		return 1;
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(i * 7 + i / 4096);
	sleep(1); /* pm makes room for files again */
	int fd = open("/tmp/t_mem.io", O_RDWR | O_CREAT | O_TRUNC, 0600);
	size_t chunk = 64 << 10;
	long w = fd < 0 ? -1 : (long)write(fd, p, chunk); /* the oldest pages: swapped out */
	for (size_t i = 0; i < chunk; i += 4096)
		p[n - chunk + i] = p[i]; /* the newest pages, as a copy, and the oldest out again */
	memset(p + n / 2, 0, chunk);
	long back = fd < 0 ? -1 : (long)pread(fd, p, chunk, 0);
	size_t bad = 0;
	for (size_t i = 0; i < chunk; i++)
		bad += p[i] != (unsigned char)(i * 7 + i / 4096);
	close(fd);
	unlink("/tmp/t_mem.io");
	printf("t_mem: swapio %ld MiB: wrote %ld, read %ld, %zu bad bytes%s%s\n", mib, w, back, bad,
	       w < 0 || back < 0 ? ": " : "", w < 0 || back < 0 ? strerror(errno) : "");
	return bad || w != (long)chunk || back != (long)chunk;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "swapio"))
		return swapio(atol(argv[2]));
	if (argc == 4 && !strcmp(argv[1], "hold"))
		return hold(atol(argv[2]), atol(argv[3]));
	if (argc == 3 && !strcmp(argv[1], "bomb"))
		return bomb(atol(argv[2]));
	if (argc == 3 && !strcmp(argv[1], "hog"))
		return hog(atol(argv[2]));
	if (argc == 3 && !strcmp(argv[1], "check"))
		return check(atol(argv[2]));
	run("deep_recursion", t_deep_recursion);
	run("big_local_array", t_big_local_array);
	run("stack_limit_is_sigsegv", t_stack_limit_is_sigsegv);
	run("demand_zero_heap", t_demand_zero_heap);
	run("fork_copy_on_write", t_fork_copy_on_write);
	run("malloc_too_much_is_null", t_malloc_too_much_is_null);
	run("many_blocks", t_many_blocks);
	run("calloc_realloc_memalign", t_calloc_realloc_memalign);
	run("reuse", t_reuse);
	printf("t_mem: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
