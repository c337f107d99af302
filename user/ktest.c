/* ktest: the kernel's in-guest test suite, run as the root task.
 * Each test prints "ktest: NAME ok" or "ktest: NAME FAILED: why"; the
 * last line is "ktest: N passed, N failed" and the machine powers off
 * with status 0 if all passed. "mica.test=NAME" runs one test.
 * Child tasks are this same program, spawned with a role in a0; they
 * report through their exit status and the kernel's fault messages. */
#include <stdio.h>
#include <string.h>

#include "mica/errno.h"
#include "mica/runtime.h"
#include "mica/syscall.h"

enum role {
	R_NONE,
	R_PONG,
	R_ECHO4K,
	R_DEFER,
	R_CLIENT,
	R_NULLDEREF,
	R_KERNDEREF,
	R_STORE_TEXT,
	R_ILLEGAL,
	R_MISALIGNED,
	R_EXEC_DATA,
	R_SIGNALER,
	R_SPINNER,
	R_NOHANDLE,
	R_EXIT7,
	R_HANDLE_USER,
	R_FOREVER,
	R_NOPRIV,
	R_FORKER,
	R_WINDOW
};

#define QUIT 0xDEAD
/* QEMU virt's 16550 UART (device tree: /soc/serial@10000000, irq 10). */
#define UART_PA  0x10000000ul
#define UART_IRQ 10
#define SEC      1000000L

static const void *self_elf;
static size_t self_size;
static long sup; /* supervisor endpoint: children's exit and fault messages */
static char fail[160];

#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			snprintf(fail, sizeof(fail), __VA_ARGS__);                                 \
			return -1;                                                                 \
		}                                                                                  \
	} while (0)

/* --- children ----------------------------------------------------------- */

static void role_pong(void)
{
	struct ipc_msg m;
	long r = mica_recv(0, TIMEOUT_NEVER, &m);
	while (r == 0 && TAG_LABEL(m.tag) != QUIT) {
		m.m[0] = m.m[0] + m.m[1] + 1;
		m.tag = 0;
		r = mica_reply_recv(0, m.token, &m);
	}
	m.tag = 0;
	mica_reply(m.token, &m);
	mica_exit(r);
}

static unsigned long fnv(const unsigned char *p, size_t n)
{
	unsigned long h = 1469598103934665603ul;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211ul;
	return h;
}

static void role_echo4k(void)
{
	unsigned char *buf = mica_ipcbuf();
	struct ipc_msg m;
	if (!buf || mica_recv(0, TIMEOUT_NEVER, &m))
		mica_exit(1);
	size_t len = TAG_LEN(m.tag);
	m.m[0] = fnv(buf, len);
	m.m[1] = len;
	for (size_t i = 0; i < len; i++)
		buf[i] = (unsigned char)(buf[i] + 1);
	m.tag = MAKE_TAG(0, len);
	mica_reply(m.token, &m);
	mica_exit(0);
}

/* Takes two calls, answers the second first, then the first. */
static void role_defer(void)
{
	struct ipc_msg a, b;
	if (mica_recv(0, TIMEOUT_NEVER, &a) || mica_recv(0, TIMEOUT_NEVER, &b))
		mica_exit(1);
	struct ipc_msg r = {.m = {b.m[0] * 10}};
	long e1 = mica_reply(b.token, &r);
	r.m[0] = a.m[0] * 10;
	long e2 = mica_reply(a.token, &r);
	long e3 = mica_reply(a.token, &r); /* a reply token works once */
	mica_exit(e1 == 0 && e2 == 0 && e3 == -ESRCH ? 0 : 2);
}

static void role_client(unsigned long id)
{
	struct ipc_msg m = {.m = {id}};
	long r = mica_call(0, &m);
	mica_exit(r ? r : (long)m.m[0]);
}

static void role_signaler(void)
{
	mica_sleep(20000);
	mica_signal(0, 0x5);
	mica_exit(0);
}

/* Compute-bound: never enters the kernel on its own. */
static void role_spinner(void)
{
	for (volatile unsigned long i = 0;; i++)
		;
}

static void role_nohandle(void)
{
	struct ipc_msg m = {0};
	long a = mica_call(0, &m), b = mica_call(63, &m), c = mica_call(64, &m);
	mica_exit(a == -EBADF && b == -EBADF && c == -EBADF ? 0 : 1);
}

/* Slot 0: an endpoint we serve; the message brings another to call. */
static void role_handle_user(void)
{
	struct ipc_msg m;
	if (mica_recv(0, TIMEOUT_NEVER, &m) || !(m.tag & TAG_HANDLE))
		mica_exit(1);
	long other = (long)TAG_SLOT(m.tag);
	struct ipc_msg r = {0};
	mica_reply(m.token, &r);
	struct ipc_msg q = {.m = {42}};
	long e = mica_call(other, &q);
	mica_exit(e == 0 && q.m[0] == 43 ? 0 : 3);
}

/* Serves four calls with windows (see t_window) and answers each with a
 * bit set for every check that failed; exits with their OR. */
static unsigned long window_checks(const struct ipc_msg *m)
{
	static unsigned char mine[8192], got[16];
	unsigned long tok = m->token, len = TAG_WIN(m->tag), bad = 0;
	long r;
	for (int i = 0; i < 8192; i++)
		mine[i] = (unsigned char)(i * 3);
	/* a token names a thread (and its next call too): no such one */
	bad |= (unsigned long)(mica_window_copy(tok + (1ul << 40), 0, mine, 1, WIN_IN) != -ESRCH);
	switch (TAG_LABEL(m->tag)) {
	case 1: /* 64 KiB, writable, "window says hi" at 0 */
		bad |= (len != 65536) << 1;
		r = mica_window_copy(tok, 0, got, 15, WIN_IN);
		bad |= (r != 15 || memcmp(got, "window says hi", 15)) << 2;
		bad |= (mica_window_copy(tok, 100, mine, 8000, WIN_OUT) != 8000) << 3;
		bad |= (mica_window_copy(tok, len - 1, mine, 2, WIN_OUT) != -EFAULT) << 4;
		bad |= (mica_window_copy(tok, ~0ul, mine, 2, WIN_OUT) != -EFAULT) << 5;
		bad |= (mica_window_copy(tok, 0, mine, 1, 7) != -EINVAL) << 6;
		r = mica_window_copy(tok, 0, (void *)0xFFFFFFC080000000ul, 16, WIN_OUT);
		bad |= (r != -EFAULT) << 7;
		bad |= (mica_window_copy(tok, len, mine, 0, WIN_OUT) != 0) << 8;
		break;
	case 2: /* read-only: our text */
		bad |= (mica_window_copy(tok, 0, mine, 8, WIN_OUT) != -EPERM) << 1;
		bad |= (mica_window_copy(tok, 0, mine, 8, WIN_IN) != 8) << 2;
		break;
	case 3: /* writable, but unmapped, then the caller's read-only text */
	case 4:
		bad |= (mica_window_copy(tok, 0, mine, 8, WIN_OUT) != -EFAULT) << 1;
		break;
	case 5: /* none */
		bad |= (len != 0 || mica_window_copy(tok, 0, mine, 1, WIN_IN) != -EFAULT) << 1;
		break;
	}
	return bad;
}

static void role_window(void)
{
	struct ipc_msg m;
	unsigned long all = 0;
	for (int i = 0; i < 5; i++) {
		if (mica_recv(0, TIMEOUT_NEVER, &m))
			mica_exit(1000);
		struct ipc_msg r = {.m = {window_checks(&m)}};
		all |= r.m[0];
		mica_reply(m.token, &r);
	}
	mica_exit((long)all);
}

int main(void);
#define FORK 0xF0
static volatile unsigned long fork_mark = 5;

/* Asks the root (our "process manager") to fork us. The copy sees m0 0
 * and changes its own memory; the original must not see that. */
static void role_forker(void)
{
	struct ipc_msg m = {.tag = FORK};
	if (mica_call(0, &m))
		mica_exit(100);
	if (m.m[0] == 0) {
		fork_mark += 10;
		mica_exit((long)fork_mark);
	}
	mica_sleep(20000);
	mica_exit((long)(fork_mark + m.m[0]));
}

static volatile unsigned long not_code[4];

static void run_role(unsigned long arg)
{
	switch (arg & 0xFF) {
	case R_PONG:
		role_pong();
		break;
	case R_ECHO4K:
		role_echo4k();
		break;
	case R_DEFER:
		role_defer();
		break;
	case R_CLIENT:
		role_client(arg >> 8);
		break;
	case R_NULLDEREF:
		mica_exit((long)*(volatile unsigned long *)0);
	case R_KERNDEREF:
		mica_exit((long)*(volatile unsigned long *)0xFFFFFFC080000000ul);
	case R_STORE_TEXT:
		*(volatile unsigned *)(void *)main = 0;
		break;
	case R_ILLEGAL:
		__asm__ volatile(".word 0");
		break;
	case R_MISALIGNED: {
		unsigned long v;
		__asm__ volatile("lr.w %0, (%1)" : "=r"(v) : "r"((char *)not_code + 1));
		break;
	}
	case R_EXEC_DATA:
		((void (*)(void))not_code)();
		break;
	case R_SIGNALER:
		role_signaler();
		break;
	case R_SPINNER:
		role_spinner();
		break;
	case R_NOHANDLE:
		role_nohandle();
		break;
	case R_EXIT7:
		mica_exit(7);
	case R_HANDLE_USER:
		role_handle_user();
		break;
	case R_NOPRIV: {
		long n = mica_ntfn_create();
		long a = mica_mmio_map(HANDLE_SELF, 0x2100000000ul, UART_PA, 4096);
		long b = mica_irq_bind(UART_IRQ, n, 1);
		long c = mica_poweroff(0);
		mica_exit(a == -EPERM && b == -EPERM && c == -EPERM ? 0 : 1);
	}
	case R_FORKER:
		role_forker();
		break;
	case R_WINDOW:
		role_window();
		break;
	case R_FOREVER:
		for (;;)
			mica_sleep(SEC);
	}
	mica_exit(99);
}

/* --- root helpers --------------------------------------------------------- */

static unsigned long next_badge = 100;

static long spawn(unsigned long arg, const long *grant, int ngrant, int prio, unsigned long *badge)
{
	const char *why;
	*badge = next_badge++;
	struct spawn_opts o = {.name = "child",
	                       .super_ep = sup,
	                       .badge = *badge,
	                       .prio = prio,
	                       .arg = arg,
	                       .grant = grant,
	                       .ngrant = ngrant};
	long t = mica_spawn(self_elf, self_size, &o, &why);
	if (t < 0)
		printf("ktest: spawn failed: %ld %s\n", t, why);
	return t;
}

/* Messages for other children that arrived while we waited for one. */
static struct ipc_msg early[8];
static int nearly;

/* Waits for the exit or fault message of the child with this badge. */
static long child_end(unsigned long badge, struct ipc_msg *m)
{
	for (int i = 0; i < nearly; i++) {
		if (early[i].badge == badge) {
			*m = early[i];
			early[i] = early[--nearly];
			return 0;
		}
	}
	for (;;) {
		long r = mica_recv(sup, 5 * SEC, m);
		if (r)
			return r;
		if (m->badge == badge)
			return 0;
		if (nearly < 8)
			early[nearly++] = *m;
	}
}

static long child_status(unsigned long badge)
{
	struct ipc_msg m;
	long r = child_end(badge, &m);
	if (r)
		return r;
	return TAG_LABEL(m.tag) == MSG_TASK_EXIT ? (long)m.m[0] : -1000 - (long)m.m[0];
}

/* --- tests ---------------------------------------------------------------- */

static int t_pingpong(void)
{
	long ep = mica_ep_create(), g[] = {ep};
	unsigned long badge, sum = 0, want = 0;
	struct kstat k0, k1;
	CHECK(ep >= 0 && spawn(R_PONG, g, 1, 0, &badge) >= 0, "setup");
	CHECK(mica_kstat(&k0) == 0, "kstat");
	for (unsigned long i = 0; i < 1000; i++) {
		struct ipc_msg m = {.tag = 1, .m = {i, i * i}};
		CHECK(mica_call(ep, &m) == 0, "call %lu failed", i);
		sum = sum * 31 + m.m[0];
		want = want * 31 + i + i * i + 1;
	}
	CHECK(mica_kstat(&k1) == 0, "kstat");
	printf("ktest: pingpong checksum %#lx (expected %#lx)\n", sum, want);
	CHECK(sum == want, "checksum mismatch");
	/* each round trip: 2 syscalls, 2 messages, 2 switches of thread and
	 * of address space; a little more for the timer's interrupts */
	printf("ktest: pingpong counters: %lu syscalls, %lu msgs, %lu switches, %lu satp\n",
	       k1.syscalls - k0.syscalls, k1.ipc_msgs - k0.ipc_msgs, k1.ctxsw - k0.ctxsw,
	       k1.satp - k0.satp);
	CHECK(k1.syscalls - k0.syscalls >= 2000 && k1.syscalls - k0.syscalls < 2100, "syscalls");
	CHECK(k1.ipc_msgs - k0.ipc_msgs >= 2000 && k1.ipc_msgs - k0.ipc_msgs < 2100, "messages");
	CHECK(k1.ctxsw - k0.ctxsw >= 2000 && k1.satp - k0.satp >= 2000, "switches");
	CHECK(k1.traps - k0.traps >= k1.syscalls - k0.syscalls, "traps");
	struct ipc_msg q = {.tag = QUIT};
	CHECK(mica_call(ep, &q) == 0, "quit call");
	CHECK(child_status(badge) == 0, "pong exit status");
	return mica_handle_close(ep) == 0 ? 0 : -1;
}

static int t_long_message(void)
{
	unsigned char *buf = mica_ipcbuf();
	long ep = mica_ep_create(), g[] = {ep};
	unsigned long badge;
	CHECK(buf && ep >= 0 && spawn(R_ECHO4K, g, 1, 0, &badge) >= 0, "setup");
	for (int i = 0; i < IPC_MAX; i++)
		buf[i] = (unsigned char)(i * 7 + 3);
	unsigned long h = fnv(buf, IPC_MAX);
	struct ipc_msg m = {.tag = MAKE_TAG(1, IPC_MAX)};
	CHECK(mica_call(ep, &m) == 0, "call");
	CHECK(m.m[1] == IPC_MAX && m.m[0] == h, "server saw %lu bytes hash %#lx, sent %#lx", m.m[1],
	      m.m[0], h);
	CHECK(TAG_LEN(m.tag) == IPC_MAX && !(m.tag & TAG_TRUNC), "reply tag %#lx", m.tag);
	for (int i = 0; i < IPC_MAX; i++)
		CHECK(buf[i] == (unsigned char)(i * 7 + 4), "reply byte %d is %u", i, buf[i]);
	CHECK(child_status(badge) == 0, "echo exit");
	struct ipc_msg big = {.tag = MAKE_TAG(1, IPC_MAX + 1)};
	CHECK(mica_call(ep, &big) == -EMSGSIZE, "oversized payload accepted");
	return mica_handle_close(ep);
}

static int t_deferred_reply(void)
{
	long ep = mica_ep_create(), g[] = {ep};
	unsigned long bs, b1, b2;
	CHECK(spawn(R_DEFER, g, 1, 0, &bs) >= 0, "setup");
	CHECK(spawn(R_CLIENT | (3 << 8), g, 1, 0, &b1) >= 0, "client 1");
	CHECK(spawn(R_CLIENT | (4 << 8), g, 1, 0, &b2) >= 0, "client 2");
	long s1 = child_status(b1), s2 = child_status(b2), ss = child_status(bs);
	CHECK(s1 == 30 && s2 == 40, "clients got %ld and %ld, want 30 and 40", s1, s2);
	CHECK(ss == 0, "server status %ld", ss);
	return mica_handle_close(ep);
}

static int t_notification(void)
{
	long n = mica_ntfn_create(), g[] = {n};
	unsigned long badge;
	CHECK(mica_wait(n, TIMEOUT_POLL) == -EAGAIN, "poll on empty notification");
	long t0 = mica_time();
	CHECK(mica_wait(n, 30000) == -ETIMEDOUT, "timeout");
	CHECK(mica_time() - t0 >= 20000, "timed out early");
	CHECK(spawn(R_SIGNALER, g, 1, 0, &badge) >= 0, "setup");
	t0 = mica_time();
	long bits = mica_wait(n, SEC);
	long dt = mica_time() - t0;
	CHECK(bits == 5, "wait returned %ld", bits);
	CHECK(dt >= 10000 && dt < 500000, "woke after %ld us", dt);
	CHECK(child_status(badge) == 0, "signaler exit");
	/* Bound to this thread, a signal ends a recv on an endpoint. */
	long ep = mica_ep_create();
	CHECK(mica_ntfn_bind(n) == 0, "bind");
	CHECK(mica_signal(n, 0x30) == 0, "signal");
	struct ipc_msg m;
	CHECK(mica_recv(ep, SEC, &m) == 0 && (m.tag & TAG_NOTIFY) && m.m[0] == 0x30,
	      "bound recv: tag %#lx bits %#lx", m.tag, m.m[0]);
	CHECK(mica_recv(ep, TIMEOUT_POLL, &m) == -EAGAIN, "recv poll");
	mica_handle_close(ep);
	return mica_handle_close(n);
}

/* A periodic timer on a notification: its bits come every period, and
 * stop when it is disarmed or the notification is closed. */
static int t_ntfn_timer(void)
{
	long n = mica_ntfn_create();
	CHECK(mica_ntfn_timer(n, 0, 20000) == -EINVAL, "no bits");
	CHECK(mica_ntfn_timer(n, 1, ~0ul) == -EINVAL, "a period past an hour");
	CHECK(mica_ntfn_timer(12345, 1, 20000) < 0, "not a handle");
	CHECK(mica_ntfn_timer(n, 0x6, 20000) == 0, "arm");
	long t0 = mica_time();
	for (int i = 0; i < 5; i++)
		CHECK(mica_wait(n, SEC) == 0x6, "tick %d", i);
	long dt = mica_time() - t0;
	CHECK(dt >= 80000 && dt < 400000, "5 periods of 20 ms took %ld us", dt);
	CHECK(mica_ntfn_timer(n, 0x6, 0) == 0, "disarm");
	mica_wait(n, TIMEOUT_POLL); /* one may have come in between */
	CHECK(mica_wait(n, 60000) == -ETIMEDOUT, "still signalled after disarm");
	CHECK(mica_ntfn_timer(n, 0x1, 10000) == 0, "arm again");
	return mica_handle_close(n); /* closing the last handle stops it */
}

/* A sleep never ends early (time CSR), and ends within one tick of its
 * deadline (tick count: wall time also holds QEMU's own scheduling). */
static int t_sleep(void)
{
	struct kinfo k0, k1;
	CHECK(mica_kinfo(&k0) == 0, "kinfo");
	long tick = SEC / (long)k0.hz;
	static const long ds[] = {10000, 50000, 100000, 250000};
	for (unsigned i = 0; i < sizeof(ds) / sizeof(ds[0]); i++) {
		mica_kinfo(&k0);
		long t0 = mica_time();
		CHECK(mica_sleep(ds[i]) == 0, "sleep");
		long dt = mica_time() - t0;
		mica_kinfo(&k1);
		long ticks = (long)(k1.ticks - k0.ticks), want = (ds[i] + tick - 1) / tick;
		printf("ktest: sleep %ld us took %ld us, %ld ticks\n", ds[i], dt, ticks);
		CHECK(dt >= ds[i], "sleep %ld us ended early, after %ld us", ds[i], dt);
		CHECK(ticks >= want && ticks <= want + 1, "sleep of %ld ticks took %ld", want,
		      ticks);
	}
	return 0;
}

static int t_user_faults(void)
{
	static const struct {
		int role;
		unsigned long scause;
		const char *what;
	} f[] = {
	    {R_NULLDEREF, 13, "null load"},      {R_KERNDEREF, 13, "kernel load"},
	    {R_STORE_TEXT, 15, "store to text"}, {R_ILLEGAL, 2, "illegal instruction"},
	    {R_MISALIGNED, 4, "misaligned LR"},  {R_EXEC_DATA, 12, "execute data"},
	};
	for (unsigned i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		unsigned long badge;
		struct ipc_msg m;
		CHECK(spawn((unsigned long)f[i].role, NULL, 0, 0, &badge) >= 0, "spawn");
		CHECK(child_end(badge, &m) == 0, "%s: no message", f[i].what);
		CHECK(TAG_LABEL(m.tag) == MSG_TASK_FAULT && m.m[0] == f[i].scause,
		      "%s: label %#lx scause %lu", f[i].what, TAG_LABEL(m.tag), m.m[0]);
	}
	return 0;
}

static int t_bad_pointers(void)
{
	struct kinfo k;
	CHECK(mica_debug_write(NULL, 10) == -EFAULT, "debug_write(NULL)");
	CHECK(mica_debug_write((void *)0xFFFFFFFF80200000ul, 8) == -EFAULT, "kernel pointer");
	CHECK(mica_debug_write((void *)0x3FFFFFFFF0ul, 64) == -EFAULT, "past user space");
	CHECK(mica_kinfo((struct kinfo *)0x10) == -EFAULT, "kinfo to page 0");
	CHECK(mica_kinfo((struct kinfo *)(void *)t_bad_pointers) == -EFAULT, "kinfo into text");
	CHECK(mica_kinfo(&k) == 0, "kinfo to a good buffer");
	CHECK(mica_task_create((const char *)8, -1, 0, 0) == -EFAULT, "task_create name");
	CHECK(mica_vm_write(HANDLE_SELF, (unsigned long)&k, (void *)0x20, 8) == -EFAULT,
	      "vm_write source");
	CHECK(mica_ipc_buffer((void *)0x1000) == -EFAULT, "ipc buffer on unmapped page");
	CHECK(mica_vm_map(HANDLE_SELF, 0xFFFFFFC000000000ul, 4096, PROT_READ_) == -EINVAL,
	      "map in the kernel half");
	CHECK(mica_vm_map(HANDLE_SELF, 0x20000000, 4096, PROT_WRITE_ | PROT_EXEC_) == -EINVAL,
	      "W+X mapping");
	/* Huge requests fail fast rather than hold the kernel. */
	long t0 = mica_time();
	CHECK(mica_vm_map(HANDLE_SELF, 0x1000000000ul, 0x1000000000ul, PROT_READ_) == -ENOMEM,
	      "a 64 GiB mapping");
	CHECK(mica_vm_unmap(HANDLE_SELF, 0x1000000000ul, 0x1000000000ul) == 0, "huge unmap");
	CHECK(mica_time() - t0 < 100000, "huge map/unmap took %ld us", mica_time() - t0);
	CHECK(mica_syscall(999, 0, 0, 0, 0, 0, 0) == -ENOSYS, "unknown syscall");
	return 0;
}

static int t_no_handle(void)
{
	struct ipc_msg m = {0};
	unsigned long badge;
	CHECK(mica_call(40, &m) == -EBADF, "call on an empty slot");
	CHECK(mica_call(-7, &m) == -EBADF, "call on a negative slot");
	CHECK(spawn(R_NOHANDLE, NULL, 0, 0, &badge) >= 0, "spawn");
	CHECK(child_status(badge) == 0, "child could call without a handle");
	long ep = mica_ep_create();
	long t = spawn(R_FOREVER, NULL, 0, 0, &badge);
	long slot = mica_handle_grant(t, ep, 0, RIGHT_SEND);
	CHECK(slot >= 0, "grant");
	/* A send-only copy given back to ourselves cannot receive. */
	long mine = mica_handle_grant(HANDLE_SELF, ep, 0, RIGHT_SEND);
	CHECK(mica_recv(mine, TIMEOUT_POLL, &m) == -EPERM, "recv without the right");
	CHECK(mica_task_kill(t, 9) == 0, "kill");
	CHECK(child_status(badge) == 9, "killed child status");
	mica_handle_close(mine);
	return mica_handle_close(ep);
}

static int t_preemption(void)
{
	unsigned long badge;
	long t = spawn(R_SPINNER, NULL, 0, PRIO_DEFAULT, &badge);
	CHECK(t >= 0, "spawn");
	for (int i = 0; i < 4; i++) {
		struct kinfo k0, k1;
		mica_kinfo(&k0);
		long t0 = mica_time();
		mica_sleep(10000);
		long dt = mica_time() - t0;
		mica_kinfo(&k1);
		unsigned long ticks = k1.ticks - k0.ticks;
		printf("ktest: sleep beside spinner: %ld us, %lu ticks\n", dt, ticks);
		/* Back within one time slice (5 ticks) of waking: counted in
		 * ticks, as wall time depends on how QEMU is scheduled. */
		CHECK(ticks <= 2 + 5, "a 10 ms sleep took %lu ticks beside a spinner", ticks);
	}
	struct thread_info ti;
	CHECK(mica_thread_info(t, 0, &ti) == 0, "thread_info");
	printf("ktest: spinner cpu %lu us, %lu involuntary switches\n", ti.cpu_us, ti.nivcsw);
	CHECK(ti.nivcsw > 0 && ti.state == 'R', "spinner never preempted");
	CHECK(mica_task_kill(t, 0) == 0 && child_status(badge) == 0, "spinner kill");
	return mica_handle_close(t);
}

static int t_priority(void)
{
	unsigned long badge;
	struct ipc_msg m;
	CHECK(spawn(R_EXIT7, NULL, 0, PRIO_DEFAULT + 1, &badge) >= 0, "spawn");
	/* The child outranks us: it ran and exited before spawn returned. */
	CHECK(mica_recv(sup, TIMEOUT_POLL, &m) == 0, "higher priority child did not run first");
	CHECK(m.badge == badge && TAG_LABEL(m.tag) == MSG_TASK_EXIT && m.m[0] == 7,
	      "exit message: badge %lu label %#lx status %lu", m.badge, TAG_LABEL(m.tag), m.m[0]);
	return 0;
}

static volatile unsigned long shared_counter;
static long thread_ntfn;

static void worker(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		shared_counter++;
	mica_signal(thread_ntfn, 1);
	mica_thread_exit();
}

static int t_threads(void)
{
	thread_ntfn = mica_ntfn_create();
	unsigned long stack = 0x2000000000ul;
	CHECK(mica_vm_map(HANDLE_SELF, stack, 16384, PROT_READ_ | PROT_WRITE_) == 0, "stack");
	shared_counter = 0;
	long tid = mica_thread_create(HANDLE_SELF, (void *)worker, (void *)(stack + 16384), 1000,
	                              PRIO_DEFAULT);
	CHECK(tid >= 0, "thread_create: %ld", tid);
	CHECK(mica_wait(thread_ntfn, SEC) == 1, "worker did not signal");
	CHECK(shared_counter == 1000, "counter %lu", shared_counter);
	mica_sleep(10000); /* let it finish exiting */
	struct thread_info ti;
	CHECK(mica_thread_info(HANDLE_SELF, 1, &ti) == -ENOENT, "worker still listed");
	mica_vm_unmap(HANDLE_SELF, stack, 16384);
	return mica_handle_close(thread_ntfn);
}

static int t_handle_passing(void)
{
	long a = mica_ep_create(), b = mica_ep_create(), g[] = {a};
	unsigned long badge;
	CHECK(spawn(R_HANDLE_USER, g, 1, 0, &badge) >= 0, "spawn");
	struct ipc_msg m = {.tag = TAG_WITH_HANDLE(0, b)};
	CHECK(mica_call(a, &m) == 0, "call with handle");
	CHECK(mica_recv(b, SEC, &m) == 0 && m.m[0] == 42, "no call on the passed endpoint");
	m.m[0] = 43;
	CHECK(mica_reply(m.token, &m) == 0, "reply");
	CHECK(child_status(badge) == 0, "child status");
	mica_handle_close(a);
	return mica_handle_close(b);
}

static int t_bad_elf(void)
{
	static const char junk[] = "\177ELF but not really an executable";
	const char *why;
	struct spawn_opts o = {.name = "junk", .super_ep = -1};
	CHECK(mica_spawn(junk, sizeof(junk), &o, &why) == -ENOEXEC, "junk accepted");
	printf("ktest: junk ELF refused: %s\n", why);
	return 0;
}

static int t_exhaustion(void)
{
	long h[HANDLE_MAX];
	int n = 0;
	long r;
	while ((r = mica_ep_create()) >= 0 && n < HANDLE_MAX)
		h[n++] = r;
	CHECK(r == -EMFILE || r == -EAGAIN, "endpoint creation ended with %ld", r);
	for (int i = 0; i < n; i++)
		CHECK(mica_handle_close(h[i]) == 0, "close");
	CHECK(mica_handle_close(h[0]) == -EBADF, "double close");
	return 0;
}

/* fork from outside: copy the address space, clone the caller's thread. */
static int t_fork(void)
{
	long ep = mica_ep_create(), g[] = {ep};
	unsigned long badge, cbadge = next_badge++;
	long t = spawn(R_FORKER, g, 1, 0, &badge);
	struct ipc_msg m;
	CHECK(t >= 0 && mica_recv(ep, SEC, &m) == 0 && TAG_LABEL(m.tag) == FORK, "no request");
	long c = mica_task_create("forked", sup, cbadge, 0);
	long pages = mica_vm_clone(c, t);
	CHECK(pages > 0, "vm_clone: %ld", pages);
	CHECK(mica_vm_clone(c, t) == -EEXIST, "clone into a non-empty address space");
	CHECK(mica_thread_fork(c, 0x12345, 0) == -ESRCH, "thread_fork with a bogus token");
	CHECK(mica_thread_fork(c, m.token, 0) >= 0, "thread_fork");
	struct ipc_msg r = {.m = {77}};
	CHECK(mica_reply(m.token, &r) == 0, "reply");
	long sc = child_status(cbadge), sp = child_status(badge);
	printf("ktest: fork copied %ld pages; copy exited %ld, original %ld\n", pages, sc, sp);
	CHECK(sc == 15 && sp == 82, "copy %ld (want 15), original %ld (want 82)", sc, sp);
	mica_handle_close(c);
	mica_handle_close(t);
	return mica_handle_close(ep);
}

/* Only privileged tasks touch devices. */
static int t_privilege(void)
{
	unsigned long badge;
	CHECK(spawn(R_NOPRIV, NULL, 0, 0, &badge) >= 0, "spawn");
	CHECK(child_status(badge) == 0,
	      "an unprivileged task mapped MMIO, bound an IRQ or powered off");
	CHECK(mica_mmio_map(HANDLE_SELF, 0x2100000000ul, 0x80000000ul, 4096) == -EINVAL,
	      "RAM mapped as MMIO");
	return 0;
}

/* Interactive (run only when named): the UART's receive interrupt,
 * forwarded by the kernel as notification bits, read through MMIO. */
static int t_irq(void)
{
	volatile unsigned char *uart = (volatile unsigned char *)0x2100000000ul;
	long n = mica_ntfn_create();
	CHECK(mica_mmio_map(HANDLE_SELF, (unsigned long)uart, UART_PA, 4096) == 0, "mmio_map");
	CHECK(mica_irq_bind(UART_IRQ, n, 0x4) == 0, "irq_bind");
	CHECK(mica_irq_bind(UART_IRQ, n, 0x4) == -EBUSY, "second bind accepted");
	uart[1] = 0x01; /* IER: interrupt when a byte arrives */
	printf("ktest: irq: waiting for a key\n");
	fflush(stdout);
	long bits = mica_wait(n, 10 * SEC);
	CHECK(bits == 0x4, "wait returned %ld", bits);
	CHECK(uart[5] & 1, "interrupt without data (LSR %#x)", uart[5]);
	char c = (char)uart[0];
	CHECK(mica_irq_ack(UART_IRQ) == 0, "ack");
	uart[1] = 0;
	printf("ktest: irq got '%c'\n", c);
	return mica_handle_close(n);
}

/* Windows: the kernel refuses bad ones at the call; the server copies
 * within the window only, while the call waits, and never through
 * memory the caller could not write itself. */
static int t_window(void)
{
	static unsigned char buf[65536];
	long ep = mica_ep_create(), g[] = {ep};
	unsigned long badge, top = 0x4000000000ul;
	struct ipc_msg m = {.tag = 1};
	CHECK(ep >= 0 && spawn(R_WINDOW, g, 1, 0, &badge) >= 0, "setup");
	CHECK(mica_call_window(ep, &m, MAKE_WIN(top, 16, 1)) == -EFAULT, "above user space");
	CHECK(mica_call_window(ep, &m, MAKE_WIN(top - 8, 16, 1)) == -EFAULT, "across the top");
	CHECK(mica_call_window(ep, &m, MAKE_WIN(buf, 0, 1)) == -EINVAL, "no length");
	CHECK(mica_call_window(ep, &m, MAKE_WIN(buf, WIN_MAX + 1, 1)) == -EINVAL, "too long");
	memcpy(buf, "window says hi", 15);
	CHECK(mica_call_window(ep, &m, MAKE_WIN(buf, sizeof(buf), 1)) == 0, "call 1");
	CHECK(m.m[0] == 0, "server's checks on call 1: %#lx", m.m[0]);
	for (int i = 0; i < 8000; i++)
		CHECK(buf[100 + i] == (unsigned char)(i * 3), "byte %d of the window", 100 + i);
	CHECK(!memcmp(buf, "window says hi", 15) && buf[99] == 0 && buf[8100] == 0, "around");
	const unsigned long text = (unsigned long)main & ~4095ul;
	m = (struct ipc_msg){.tag = 2};
	CHECK(mica_call_window(ep, &m, MAKE_WIN(text, 64, 0)) == 0 && m.m[0] == 0,
	      "read-only: %#lx", m.m[0]);
	m = (struct ipc_msg){.tag = 3};
	CHECK(mica_call_window(ep, &m, MAKE_WIN(0x2500000000ul, 8192, 1)) == 0 && m.m[0] == 0,
	      "unmapped: %#lx", m.m[0]);
	m = (struct ipc_msg){.tag = 4};
	CHECK(mica_call_window(ep, &m, MAKE_WIN(text, 64, 1)) == 0 && m.m[0] == 0,
	      "text as writable: %#lx", m.m[0]);
	m = (struct ipc_msg){.tag = 5};
	CHECK(mica_call(ep, &m) == 0 && m.m[0] == 0, "no window: %#lx", m.m[0]);
	CHECK(child_status(badge) == 0, "server status");
	return mica_handle_close(ep);
}

static const struct {
	const char *name;
	int (*fn)(void);
	int manual; /* runs only when named in mica.test */
} tests[] = {
    {"pingpong", t_pingpong, 0},
    {"long_message", t_long_message, 0},
    {"deferred_reply", t_deferred_reply, 0},
    {"notification", t_notification, 0},
    {"ntfn_timer", t_ntfn_timer, 0},
    {"sleep", t_sleep, 0},
    {"user_faults", t_user_faults, 0},
    {"bad_pointers", t_bad_pointers, 0},
    {"no_handle", t_no_handle, 0},
    {"preemption", t_preemption, 0},
    {"priority", t_priority, 0},
    {"threads", t_threads, 0},
    {"handle_passing", t_handle_passing, 0},
    {"bad_elf", t_bad_elf, 0},
    {"exhaustion", t_exhaustion, 0},
    {"privilege", t_privilege, 0},
    {"fork", t_fork, 0},
    {"window", t_window, 0},
    {"irq", t_irq, 1},
};

/* True if name is one of the comma-separated words in list. */
static int listed(const char *list, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = list; p; p = strchr(p, ',')) {
		p += *p == ',';
		if (!strncmp(p, name, n) && (p[n] == ',' || p[n] == '\0'))
			return 1;
	}
	return 0;
}

int main(void)
{
	if (!mica_start_arg[1]) { /* a child */
		run_role(mica_start_arg[0]);
		return 99;
	}
	char only[256] = "";
	mica_bootarg("mica.test", only, sizeof(only));
	if (mica_archive_find("bin/ktest", &self_elf, &self_size)) {
		printf("ktest: bin/ktest not in the boot archive\n");
		return 1;
	}
	sup = mica_ep_create();
	int passed = 0, failed = 0;
	for (unsigned i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		if (only[0] ? !listed(only, tests[i].name) : tests[i].manual)
			continue;
		fail[0] = 0;
		if (tests[i].fn() == 0) {
			passed++;
			printf("ktest: %s ok\n", tests[i].name);
		} else {
			failed++;
			printf("ktest: %s FAILED: %s\n", tests[i].name, fail);
		}
	}
	struct kinfo k;
	mica_kinfo(&k);
	printf("ktest: %d tasks, %d threads, %lu free frames at the end\n", (int)k.ntasks,
	       (int)k.nthreads, k.frames_free);
	printf("ktest: %d passed, %d failed\n", passed, failed);
	fflush(stdout);
	mica_poweroff(failed ? 1 : 0);
	return 0;
}
