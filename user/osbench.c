/* osbench: operating-system benchmarks, run as pid 1 (boot argument
 * init=/bin/osbench) under -icount shift=0,sleep=off, where instret
 * counts instructions exactly. Prints "BENCH <name> <value> <unit>"
 * (medians), then powers off. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
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
	if (got == total)
		printf("BENCH pipe_throughput %lu bytes/1000insns\n",
		       (unsigned long)got * 1000 / insns);
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
	fflush(stdout);
	mica_reboot_poweroff(0);
	return 0;
}
