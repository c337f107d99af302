/* cmpbench: the micro/mono comparison of make compare (tools/compare.py),
 * run as pid 1 (boot argument init=/bin/cmpbench). Each operation, after
 * lmbench, is measured in instructions (instret) and wall time (the time
 * CSR) with the kernel's event counters around it, and printed as
 * "CMP <op> <iters> <insns> <ns> <syscalls> <ipc_msgs> <ctxsw> <satp>
 * <copied> <served> <traps> <interrupts> <tlb_flush> <ipc_bytes>", every
 * figure per op (medians over samples). The
 * host trusts instructions from an -icount run and time from the others.
 * Then it powers off. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mica/posix.h"
#include "mica/syscall.h"

#define TIMEBASE_HZ 10000000UL /* QEMU virt's time CSR */
#define MAX_SAMPLES 7
#define NKSTAT      (sizeof(struct kstat) / sizeof(unsigned long))
#define NV          (2 + NKSTAT) /* instructions, ticks, then struct kstat */
#define CHUNK       4096
#define MIB         (1L << 20)
#define TREE        "/tmp/w"
#define SCRIPT      "/tmp/work.sh"
#define WORK_OUT    "/tmp/work.out"
#define NPIPELINES  200

/* One timed window: v[0] instructions, v[1] time ticks, v[2..] the kstat
 * counters; begin() stores the start, end() turns it into the delta. */
struct sample {
	unsigned long v[NV];
};

struct op {
	const char *name;
	void (*run)(struct sample *s, long iters);
	long iters;
	int samples;
	long unit; /* per op reported per iters * unit (bytes, switches) */
};

static char buf[CHUNK];

static inline unsigned long rdtime(void)
{
	unsigned long v;
	__asm__ volatile("rdtime %0" : "=r"(v));
	return v;
}

static void read_kstat(unsigned long *out)
{
	struct kstat k;
	mica_kstat(&k);
	memcpy(out, &k, sizeof(k));
}

static void begin(struct sample *s)
{
	read_kstat(s->v + 2);
	s->v[1] = rdtime();
	s->v[0] = mica_rdinstret();
}

static void end(struct sample *s)
{
	unsigned long insns = mica_rdinstret(), ticks = rdtime(), k[NKSTAT];
	read_kstat(k);
	s->v[0] = insns - s->v[0];
	s->v[1] = ticks - s->v[1];
	for (size_t i = 0; i < NKSTAT; i++)
		s->v[2 + i] = k[i] - s->v[2 + i];
}

/* --- the operations ---------------------------------------------------------- */

static void op_null(struct sample *s, long iters)
{
	begin(s);
	for (long i = 0; i < iters; i++)
		mica_null();
	end(s);
}

static void op_getpid(struct sample *s, long iters)
{
	begin(s);
	for (long i = 0; i < iters; i++)
		getpid();
	end(s);
}

static void fork_wait(int exec)
{
	pid_t pid = fork();
	if (pid == 0) {
		if (exec) {
			char *argv[] = {"true", NULL}, *envp[] = {NULL};
			execve("/bin/true", argv, envp);
		}
		_exit(0);
	}
	waitpid(pid, NULL, 0);
}

static void op_fork_exit(struct sample *s, long iters)
{
	begin(s);
	for (long i = 0; i < iters; i++)
		fork_wait(0);
	end(s);
}

static void op_fork_exec(struct sample *s, long iters)
{
	begin(s);
	for (long i = 0; i < iters; i++)
		fork_wait(1);
	end(s);
}

/* The child echoes each byte from in back on out until in closes. */
static void echo_child(int in, int out)
{
	char c;
	while (read(in, &c, 1) == 1)
		write(out, &c, 1);
	_exit(0);
}

/* One round trip: a byte to the child over one pipe and back over another. */
static void op_pipe_lat(struct sample *s, long iters)
{
	int to[2], from[2];
	char c = 'x';
	if (pipe(to) < 0 || pipe(from) < 0)
		return;
	pid_t pid = fork();
	if (pid == 0) {
		close(to[1]), close(from[0]);
		echo_child(to[0], from[1]);
	}
	close(to[0]), close(from[1]);
	begin(s);
	for (long i = 0; i < iters; i++) {
		write(to[1], &c, 1);
		read(from[0], &c, 1);
	}
	end(s);
	close(to[1]), close(from[0]);
	waitpid(pid, NULL, 0);
}

/* The child reads total bytes, then answers one byte on ack. */
static void sink_child(int in, int ack, long total)
{
	long got = 0, n;
	while (got < total && (n = read(in, buf, sizeof(buf))) > 0)
		got += n;
	write(ack, "k", 1);
	_exit(0);
}

/* 1 MiB per iteration through a pipe in 4 KiB writes, to another process. */
static void op_pipe_bw(struct sample *s, long iters)
{
	int data[2], ack[2];
	char c;
	if (pipe(data) < 0 || pipe(ack) < 0)
		return;
	pid_t pid = fork();
	if (pid == 0) {
		close(data[1]), close(ack[0]);
		sink_child(data[0], ack[1], iters * MIB);
	}
	close(data[0]), close(ack[1]);
	begin(s);
	for (long sent = 0; sent < iters * MIB; sent += CHUNK)
		write(data[1], buf, CHUNK);
	read(ack[0], &c, 1);
	end(s);
	close(data[1]), close(ack[0]);
	waitpid(pid, NULL, 0);
}

/* mica_yield between two runnable processes: each of our yields runs the
 * child, whose yield runs us again (two switches). */
static void op_ctxsw(struct sample *s, long iters)
{
	int go[2];
	char c;
	if (pipe(go) < 0)
		return;
	pid_t pid = fork();
	if (pid == 0) {
		write(go[1], "g", 1);
		for (;;)
			mica_yield();
	}
	read(go[0], &c, 1);
	begin(s);
	for (long i = 0; i < iters; i++)
		mica_yield();
	end(s);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	close(go[0]), close(go[1]);
}

static void op_open_close(struct sample *s, long iters)
{
	begin(s);
	for (long i = 0; i < iters; i++)
		close(open(TREE "/d0/f0", O_RDONLY));
	end(s);
}

static void op_stat(struct sample *s, long iters)
{
	struct stat st;
	begin(s);
	for (long i = 0; i < iters; i++)
		stat(TREE "/d0/f0", &st);
	end(s);
}

static void op_create_unlink(struct sample *s, long iters)
{
	begin(s);
	for (long i = 0; i < iters; i++) {
		close(open("/tmp/new", O_WRONLY | O_CREAT | O_TRUNC, 0644));
		unlink("/tmp/new");
	}
	end(s);
}

/* Writes 1 MiB to a new file in 4 KiB writes, then reads it back. */
static void op_file_rw(struct sample *s, long iters)
{
	begin(s);
	for (long i = 0; i < iters; i++) {
		int fd = open("/tmp/big", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		for (long done = 0; done < MIB; done += CHUNK)
			write(fd, buf, CHUNK);
		close(fd);
		fd = open("/tmp/big", O_RDONLY);
		while (read(fd, buf, CHUNK) > 0)
			;
		close(fd);
	}
	end(s);
	unlink("/tmp/big");
}

/* sh /tmp/work.sh, its output into /tmp/work.out. */
static void op_workload(struct sample *s, long iters)
{
	begin(s);
	for (long i = 0; i < iters; i++) {
		pid_t pid = fork();
		if (pid == 0) {
			int fd = open(WORK_OUT, O_WRONLY | O_CREAT | O_TRUNC, 0644);
			dup2(fd, 1), dup2(fd, 2), close(fd);
			char *argv[] = {"sh", SCRIPT, NULL}, *envp[] = {"PATH=/bin", NULL};
			execve("/bin/sh", argv, envp);
			_exit(127);
		}
		waitpid(pid, NULL, 0);
	}
	end(s);
}

static const struct op ops[] = {
    {"null", op_null, 1000, 5, 1},         {"getpid", op_getpid, 1000, 5, 1},
    {"fork_exit", op_fork_exit, 20, 5, 1}, {"fork_exec", op_fork_exec, 5, 5, 1},
    {"pipe_lat", op_pipe_lat, 300, 5, 1},  {"pipe_bw", op_pipe_bw, 1, 5, MIB},
    {"ctxsw_yield", op_ctxsw, 500, 5, 2},  {"open_close", op_open_close, 300, 5, 1},
    {"stat", op_stat, 300, 5, 1},          {"create_unlink", op_create_unlink, 200, 5, 1},
    {"file_rw_1m", op_file_rw, 1, 5, 1},
};

/* --- the application workload's files -------------------------------------- */

static void write_file(const char *path, const char *text, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	write(fd, text, len);
	close(fd);
}

/* TREE/d0..d3, each with f0..f7 of 40 short lines. */
static void make_tree(void)
{
	static const char *words[] = {"alpha", "beta x", "gamma", "delta xx", "epsilon"};
	char path[64];
	mkdir(TREE, 0755);
	for (int d = 0; d < 4; d++) {
		snprintf(path, sizeof(path), TREE "/d%d", d);
		mkdir(path, 0755);
		for (int f = 0; f < 8; f++) {
			size_t len = 0;
			for (int l = 0; l < 40; l++)
				len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%d %s %d\n",
				                        l, words[(l + d + f) % 5], d * 8 + f);
			snprintf(path, sizeof(path), TREE "/d%d/f%d", d, f);
			write_file(path, buf, len);
		}
	}
}

/* Pipeline i of the script: the kind of thing a user's script runs. */
static int pipeline(char *out, size_t n, int i)
{
	int d = i % 4, f = (i / 4) % 8, g = (f + 3) % 8;
	switch (i % 8) {
	case 0:
		return snprintf(out, n, "cat d%d/f%d | grep x | wc -l\n", d, f);
	case 1:
		return snprintf(out, n, "ls d%d | wc\n", d);
	case 2:
		return snprintf(out, n, "head -n 3 d%d/f%d | cat > g\n", d, f);
	case 3:
		return snprintf(out, n, "grep -c alpha d%d/f%d\n", d, f);
	case 4:
		return snprintf(out, n, "cat d%d/f%d d%d/f%d | wc -w\n", d, f, d, g);
	case 5:
		return snprintf(out, n, "cp d%d/f%d c && wc -c c && rm c\n", d, f);
	case 6:
		return snprintf(out, n, "grep -v x d%d/f%d | head -n 5 | wc -c\n", d, f);
	default:
		return snprintf(out, n, "echo %d > e; cat e g >> log\n", i);
	}
}

static void make_script(void)
{
	char line[96];
	int fd = open(SCRIPT, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	write(fd, "cd " TREE "\n", strlen("cd " TREE "\n"));
	for (int i = 0; i < NPIPELINES; i++)
		write(fd, line, (size_t)pipeline(line, sizeof(line), i));
	close(fd);
}

/* --- reporting ---------------------------------------------------------------- */

static int cmp_ul(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;
	return x < y ? -1 : x > y;
}

/* Each figure's median over the samples, on its own. */
static void median(const struct sample *s, int n, struct sample *out)
{
	unsigned long col[MAX_SAMPLES];
	for (size_t k = 0; k < NV; k++) {
		for (int i = 0; i < n; i++)
			col[i] = s[i].v[k];
		qsort(col, (size_t)n, sizeof(col[0]), cmp_ul);
		out->v[k] = col[n / 2];
	}
}

/* total / div with six decimals (counters per byte are small). */
static void put_ratio(unsigned long total, unsigned long div)
{
	unsigned long micro = total * 1000000 / div;
	printf(" %lu.%06lu", micro / 1000000, micro % 1000000);
}

static void report(const char *name, const struct sample *m, unsigned long div)
{
	/* v[] of the line: insns, ticks, syscalls, ipc_msgs, ctxsw, satp,
	 * copied, served; then traps, interrupts, tlb_flush, ipc_bytes */
	static const int fields[] = {0, 1, 2, 5, 7, 8, 10, 11, 3, 4, 9, 6};
	printf("CMP %s %lu", name, div);
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		put_ratio(fields[i] == 1 ? m->v[1] * (1000000000UL / TIMEBASE_HZ) : m->v[fields[i]],
		          div);
	printf("\n");
	fflush(stdout);
}

static void run_op(const struct op *op)
{
	struct sample s[MAX_SAMPLES], m;
	for (int i = 0; i < op->samples; i++)
		op->run(&s[i], op->iters);
	median(s, op->samples, &m);
	report(op->name, &m, (unsigned long)(op->iters * op->unit));
}

/* One run of the script, reported whole and per pipeline; and the size
 * of its output, which must be the same in every placement. */
static void run_workload(void)
{
	struct sample s;
	struct stat st;
	make_script();
	op_workload(&s, 1);
	report("workload", &s, 1);
	report("workload_pipeline", &s, NPIPELINES);
	printf("CMP_INFO workload_out_bytes %ld\n",
	       stat(WORK_OUT, &st) == 0 ? (long)st.st_size : -1L);
}

int main(void)
{
	struct sample boot = {{mica_rdinstret(), rdtime()}};
	read_kstat(boot.v + 2);
	for (int fd = 0; fd < 3; fd++) /* pid 1 starts with no descriptors */
		if (fcntl(fd, F_GETFD) < 0)
			open("/dev/console", O_RDWR);
	report("boot", &boot, 1);
	make_tree();
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		run_op(&ops[i]);
	run_workload();
	printf("CMP_DONE\n");
	fflush(stdout);
	mica_reboot_poweroff(0);
	return 0;
}
