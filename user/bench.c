/* bench: kernel micro-benchmarks, run as the root task under QEMU's
 * -icount shift=0,sleep=off, where instret counts instructions exactly.
 * Prints "BENCH <name> <value> <unit>": the median of many iterations,
 * less the cost of reading instret itself. */
#include <stdio.h>
#include <stdlib.h>

#include "mica/errno.h"
#include "mica/runtime.h"
#include "mica/syscall.h"

#define N       1001
#define R_PONG  1
#define R_YIELD 2

static unsigned long samples[N];
static unsigned long overhead;

static int cmp(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;
	return x < y ? -1 : x > y;
}

static unsigned long median(void)
{
	qsort(samples, N, sizeof(samples[0]), cmp);
	return samples[N / 2];
}

static void report(const char *name, unsigned long value, const char *unit)
{
	printf("BENCH %s %lu %s\n", name, value, unit);
}

/* --- children: this program again, with a role in a0 ------------------- */

static void pong(void)
{
	struct ipc_msg m;
	mica_ipcbuf();
	long r = mica_recv(0, TIMEOUT_NEVER, &m);
	while (r == 0) {
		m.tag = 0;
		r = mica_reply_recv(0, m.token, &m);
	}
	mica_exit(r);
}

static void yielder(void)
{
	for (;;)
		mica_yield();
}

/* --- measurements ------------------------------------------------------ */

static void measure_overhead(void)
{
	for (int i = 0; i < N; i++) {
		unsigned long t0 = mica_rdinstret();
		samples[i] = mica_rdinstret() - t0;
	}
	overhead = median();
}

static void bench_null(void)
{
	for (int i = 0; i < N; i++) {
		unsigned long t0 = mica_rdinstret();
		mica_null();
		samples[i] = mica_rdinstret() - t0 - overhead;
	}
	report("null_syscall", median(), "insns");
}

static long spawn(const void *elf, size_t size, unsigned long role, int prio, const long *g, int ng)
{
	const char *why;
	struct spawn_opts o = {.name = "benchchild",
	                       .super_ep = -1,
	                       .prio = prio,
	                       .arg = role,
	                       .grant = g,
	                       .ngrant = ng};
	long t = mica_spawn(elf, size, &o, &why);
	if (t < 0)
		printf("bench: spawn failed: %ld %s\n", t, why);
	return t;
}

static void bench_ipc(const void *elf, size_t size)
{
	long ep = mica_ep_create(), g[] = {ep};
	long t = spawn(elf, size, R_PONG, PRIO_DEFAULT, g, 1);
	struct ipc_msg m = {.tag = 1};
	mica_call(ep, &m); /* warm up: the server is now waiting */
	for (int i = 0; i < N; i++) {
		m.tag = 1;
		unsigned long t0 = mica_rdinstret();
		mica_call(ep, &m);
		samples[i] = mica_rdinstret() - t0 - overhead;
	}
	report("ipc_call_reply", median(), "insns");
	if (!mica_ipcbuf())
		return;
	for (int i = 0; i < N; i++) {
		m.tag = MAKE_TAG(1, IPC_MAX);
		unsigned long t0 = mica_rdinstret();
		mica_call(ep, &m);
		samples[i] = mica_rdinstret() - t0 - overhead;
	}
	report("ipc_call_reply_4k", median(), "insns");
	mica_task_kill(t, 0);
	mica_handle_close(t);
	mica_handle_close(ep);
}

/* Two threads in different address spaces yielding to each other: one
 * round trip is two switches. */
static void bench_yield(const void *elf, size_t size)
{
	long t = spawn(elf, size, R_YIELD, PRIO_DEFAULT, NULL, 0);
	mica_yield();
	for (int i = 0; i < N; i++) {
		unsigned long t0 = mica_rdinstret();
		mica_yield();
		samples[i] = (mica_rdinstret() - t0 - overhead) / 2;
	}
	report("yield_switch", median(), "insns");
	mica_task_kill(t, 0);
	mica_handle_close(t);
}

static void quick_exit_thread(void)
{
	mica_thread_exit();
}

/* A higher-priority thread runs at once, exits, and we resume. */
static void bench_thread(void)
{
	unsigned long stack = 0x2000000000ul;
	mica_vm_map(HANDLE_SELF, stack, 8192, PROT_READ_ | PROT_WRITE_);
	for (int i = 0; i < N; i++) {
		unsigned long t0 = mica_rdinstret();
		long tid = mica_thread_create(HANDLE_SELF, (void *)quick_exit_thread,
		                              (void *)(stack + 8192), 0, PRIO_DEFAULT + 1);
		samples[i] = mica_rdinstret() - t0 - overhead;
		if (tid < 0) {
			printf("bench: thread_create: %ld\n", tid);
			return;
		}
	}
	report("thread_spawn_exit", median(), "insns");
}

int main(void)
{
	if (!mica_start_arg[1]) {
		if (mica_start_arg[0] == R_PONG)
			pong();
		yielder();
	}
	const void *elf;
	size_t size;
	if (mica_archive_find("bin/bench", &elf, &size)) {
		printf("bench: bin/bench not in the boot archive\n");
		return 1;
	}
	measure_overhead();
	printf("bench: instret read costs %lu insns (subtracted)\n", overhead);
	bench_null();
	bench_ipc(elf, size);
	bench_yield(elf, size);
	bench_thread();
	fflush(stdout);
	mica_poweroff(0);
	return 0;
}
