/* osbench: operating-system benchmarks, run as pid 1 (boot argument
 * init=/bin/osbench) under -icount shift=0,sleep=off, where instret
 * counts instructions exactly. Prints "BENCH <name> <value> <unit>"
 * (medians), then powers off. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mica/posix.h"
#include "mica/syscall.h"

#define N 101

static unsigned long samples[N];

static int cmp(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;
	return x < y ? -1 : x > y;
}

static unsigned long median(int n)
{
	qsort(samples, (size_t)n, sizeof(samples[0]), cmp);
	return samples[n / 2];
}

static void bench_getpid(void)
{
	for (int i = 0; i < N; i++) {
		unsigned long t0 = mica_rdinstret();
		getpid();
		samples[i] = mica_rdinstret() - t0;
	}
	printf("BENCH getpid %lu insns\n", median(N));
}

/* Bytes per 1000 instructions: a child writes 1 MiB into a pipe in 4 KiB
 * writes, we read it all. Counted from before the fork to the last read. */
static void bench_pipe(void)
{
	static char buf[4096];
	const long total = 1 << 20;
	int fds[2];
	if (pipe(fds) < 0)
		return;
	unsigned long t0 = mica_rdinstret();
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		for (long sent = 0; sent < total; sent += (long)sizeof(buf))
			write(fds[1], buf, sizeof(buf));
		_exit(0);
	}
	close(fds[1]);
	long got = 0, n;
	while ((n = read(fds[0], buf, sizeof(buf))) > 0)
		got += n;
	unsigned long insns = mica_rdinstret() - t0;
	close(fds[0]);
	waitpid(pid, NULL, 0);
	if (got == total) {
		printf("BENCH pipe_throughput %lu bytes/1000insns\n",
		       (unsigned long)got * 1000 / insns);
		printf("BENCH pipe_cost %lu insns/KiB\n", insns / ((unsigned long)got >> 10));
	}
}

/* Instructions per KiB moving a 1 MiB ramfs file in 64 KiB writes,
 * then reading it back in 64 KiB reads (median of 5 passes each). */
static void bench_file(void)
{
	enum { CHUNK = 64 << 10, TOTAL = 1 << 20, PASSES = 5 };
	char *buf = malloc(CHUNK);
	unsigned long w[PASSES], r[PASSES];
	if (!buf)
		return;
	memset(buf, 'x', CHUNK);
	for (int i = 0; i < PASSES; i++) {
		int fd = open("/tmp/osbench.dat", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		unsigned long t0 = mica_rdinstret();
		for (long done = 0; fd >= 0 && done < TOTAL; done += CHUNK)
			if (write(fd, buf, CHUNK) != CHUNK)
				return;
		w[i] = mica_rdinstret() - t0;
		close(fd);
		fd = open("/tmp/osbench.dat", O_RDONLY);
		long got = 0, n;
		t0 = mica_rdinstret();
		while (fd >= 0 && (n = read(fd, buf, CHUNK)) > 0)
			got += n;
		r[i] = mica_rdinstret() - t0;
		close(fd);
		if (got != TOTAL)
			return;
	}
	unlink("/tmp/osbench.dat");
	free(buf);
	memcpy(samples, w, sizeof(w));
	printf("BENCH file_write_cost %lu insns/KiB\n", median(PASSES) / (TOTAL >> 10));
	memcpy(samples, r, sizeof(r));
	printf("BENCH file_read_cost %lu insns/KiB\n", median(PASSES) / (TOTAL >> 10));
}

/* The allocator: 20,000 blocks of 16-115 bytes, then freed in two
 * interleaved passes (the pattern that made picolibc's free walk its
 * list); instructions per malloc and per free, growth included. */
static void bench_malloc(void)
{
	enum { NB = 20000 };
	char **blk = malloc(NB * sizeof(*blk)); /* not in bss: fork would copy it */
	if (!blk)
		return;
	unsigned long t0 = mica_rdinstret();
	for (int i = 0; i < NB; i++)
		if (!(blk[i] = malloc(16 + (size_t)(i % 100))))
			return;
	unsigned long t1 = mica_rdinstret();
	for (int i = 0; i < NB; i += 2)
		free(blk[i]);
	for (int i = 1; i < NB; i += 2)
		free(blk[i]);
	unsigned long t2 = mica_rdinstret();
	free(blk);
	printf("BENCH malloc %lu insns\n", (t1 - t0) / NB);
	printf("BENCH free %lu insns\n", (t2 - t1) / NB);
}

static volatile int caught;
static void on_usr1(int sig)
{
	caught += sig;
}

/* A signal to ourselves with a handler: kill, the upcall, taking it from
 * pm, the handler, giving the mask back, resuming. */
static void bench_signal(void)
{
	struct sigaction sa = {.sa_handler = on_usr1};
	sigaction(SIGUSR1, &sa, NULL);
	for (int i = 0; i < N; i++) {
		unsigned long t0 = mica_rdinstret();
		int r = raise(SIGUSR1);
		samples[i] = mica_rdinstret() - t0;
		if (r)
			printf("osbench: raise: %d\n", r);
	}
	if (caught != N * SIGUSR1)
		printf("osbench: %d of %d signals handled\n", caught / SIGUSR1, N);
	printf("BENCH signal_handler_roundtrip %lu insns\n", median(N));
	signal(SIGUSR1, SIG_DFL);
}

static void bench_fork(int exec)
{
	for (int i = 0; i < N / 4; i++) {
		unsigned long t0 = mica_rdinstret();
		pid_t pid = fork();
		if (pid == 0) {
			if (exec) {
				char *argv[] = {"true", NULL}, *envp[] = {NULL};
				execve("/bin/true", argv, envp);
			}
			_exit(0);
		}
		waitpid(pid, NULL, 0);
		samples[i] = mica_rdinstret() - t0;
	}
	printf("BENCH %s %lu insns\n", exec ? "fork_exec_wait" : "fork_exit_wait", median(N / 4));
}

int main(void)
{
	for (int fd = 0; fd < 3; fd++) /* pid 1 starts with no descriptors */
		if (fcntl(fd, F_GETFD) < 0)
			open("/dev/console", O_RDWR);
	bench_getpid();
	bench_pipe();
	bench_fork(0);
	bench_fork(1);
	bench_signal();
	bench_file();   /* after fork: its buffer grows the heap */
	bench_malloc(); /* last: a grown heap would make fork copy more */
	fflush(stdout);
	mica_reboot_poweroff(0);
	return 0;
}
