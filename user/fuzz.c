/* fuzz: a system-call and IPC fuzzer that runs inside Mica. The parent
 * forks unprivileged children that make seeded random calls, kills the
 * ones that hang, checks between children that pm, fs and the console
 * still answer, and at the end that no task, thread or frame leaked.
 * Long because it is one program: generators, child, then supervisor. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mica/execargs.h"
#include "mica/posix.h"
#include "mica/proto/con.h"
#include "mica/proto/fs.h"
#include "mica/proto/pm.h"
#include "mica/runtime.h"
#include "mica/syscall.h"

/* 1: children may send pm anything, PM_KILL and PM_POWEROFF included
 * (pm refuses them to uid 65534), and name pm's endpoint as a supervisor
 * (the kernel refuses: no receive right). 0 would leave them out. */
#define FUZZ_PM_DANGEROUS 1
/* CON_READ waits for a typed line, so a child that sends it only ends at
 * the watchdog. 0 turns it into CON_SETMODE; dropping the requests of
 * killed readers is tested by "hostile dead-reader". */
#define FUZZ_CON_READ 0

/* Raw system calls answer with the kernel's (Linux's) numbers; picolibc's
 * <errno.h> says 116 for ETIMEDOUT. */
#define K_ETIMEDOUT 110

#define SCRATCH        "/tmp/fuzz"
#define PROGRESS_FD    31 /* the child's report pipe: never fuzzed */
#define PROGRESS_EVERY 32
#define RING           16
#define MAX_OWN        32
#define DEADLINE_US    1500000L  /* a child that needs longer is stuck */
#define CHECK_US       10000000L /* a health check slower than this hangs */
#define NOBODY         65534
#define FRAME_SLACK    512 /* pages servers may keep (heaps do not shrink) */
#define REC_MAGIC      0x7a7a0000u
#define REC_OPS        1
#define REC_ORACLE     2

/* --- the generator: xorshift64* seeded through splitmix64 -------------- */

static uint64_t rng;

static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static void rng_seed(uint64_t seed, uint64_t child)
{
	uint64_t s = seed ^ (child * 0xD1B54A32D192ED03ull);
	rng = splitmix64(&s) | 1;
}

static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545F4914F6CDD1Dull;
}

static uint64_t below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

static bool one_in(unsigned n)
{
	return below(n) == 0;
}

#define PICK(a) ((a)[below(sizeof(a) / sizeof((a)[0]))])

/* --- the child's state ----------------------------------------------------- */

enum kind { K_NONE, K_EP, K_NTFN, K_TASK, K_OTHER };

struct oprec {
	long nr, a[7], ret;
};

struct child {
	int index, pid;
	long op, nops;
	long own[MAX_OWN]; /* handle slots the child made or received */
	unsigned char kind[MAX_OWN];
	int nown;
	bool std_ok[3]; /* slots 0..2 still pm, console, fs */
	bool report_ok; /* the progress pipe still works */
	bool verbose;
	long helper_ep;        /* served by our echo thread: calls to it come back */
	unsigned long token;   /* the last call received on an endpoint of ours */
	unsigned long addr[6]; /* text, data, heap, stack, IPC buffer, mapped */
	struct oprec ring[RING];
};

static char scratch[8192] __attribute__((aligned(4096)));
static unsigned char thread_stack[4096] __attribute__((aligned(16)));
static unsigned char helper_stack[8192] __attribute__((aligned(16)));

static void say(const char *s)
{
	mica_debug_write(s, strlen(s));
}

/* One op as a line; with its result once it has returned. */
static void op_format(char *buf, size_t n, const struct child *c, long op, const struct oprec *r,
                      bool done)
{
	int k = snprintf(buf, n, "fuzz: c%d #%ld sys %ld (%#lx %#lx %#lx %#lx %#lx %#lx %#lx)",
	                 c->index, op, r->nr, r->a[0], r->a[1], r->a[2], r->a[3], r->a[4], r->a[5],
	                 r->a[6]);
	if (done)
		snprintf(buf + k, n - (size_t)k, " = %ld\n", r->ret);
	else
		snprintf(buf + k, n - (size_t)k, "\n");
}

static void ring_dump(const struct child *c)
{
	char line[200];
	long first = c->op >= RING ? c->op - RING + 1 : 0;
	for (long i = first; i <= c->op; i++) {
		op_format(line, sizeof(line), c, i, &c->ring[i % RING], true);
		say(line);
	}
}

/* --- interesting values ------------------------------------------------------ */

static unsigned long pick_addr(const struct child *c)
{
	static const unsigned long fixed[] = {0,
	                                      0x1000,
	                                      USER_MIN_VA,
	                                      USER_MIN_VA - 8,
	                                      USER_MAX_VA - 4096,
	                                      USER_MAX_VA,
	                                      USER_MAX_VA - 1,
	                                      0x4000000000ul - 4096,
	                                      0x4000000000ul - 8,
	                                      0x4000000000ul,
	                                      USER_IPCBUF_BASE,
	                                      USER_STACK_TOP - 8,
	                                      USER_STACK_TOP,
	                                      USER_INITRD_BASE,
	                                      0xffffffc080200000ul,
	                                      0xffffffff80200000ul,
	                                      0xffffffc000000000ul,
	                                      ~0ul,
	                                      1ul << 63,
	                                      1ul << 39};
	unsigned long a = one_in(3) ? PICK(fixed) : c->addr[below(6)];
	switch (below(4)) {
	case 0:
		return a + below(8192);
	case 1:
		return a & ~4095ul;
	case 2:
		return a + below(8);
	default:
		return a;
	}
}

static unsigned long pick_value(const struct child *c)
{
	static const long fixed[] = {0,
	                             1,
	                             2,
	                             3,
	                             -1,
	                             -2,
	                             4095,
	                             4096,
	                             4097,
	                             8192,
	                             65536,
	                             0x7fffffff,
	                             0x80000000,
	                             0xffffffff,
	                             1l << 32,
	                             IPC_MAX + 1,
	                             (long)(~0ul >> 1),
	                             (long)(1ul << 63)};
	switch (below(8)) {
	case 0:
		return (unsigned long)PICK(fixed);
	case 1:
		return below(16);
	case 2:
		return one_in(8) ? (unsigned long)HANDLE_SELF : below(71);
	case 3:
	case 4:
		return pick_addr(c);
	case 5:
		return 1ul << below(64);
	case 6:
		return (unsigned long)-(long)below(64);
	default:
		return rnd();
	}
}

static long pick_own(const struct child *c, enum kind k)
{
	int hits[MAX_OWN], n = 0;
	for (int i = 0; i < c->nown; i++)
		if (c->kind[i] == k || k == K_NONE)
			hits[n++] = i;
	if (!n || one_in(16))
		return one_in(2) ? (long)below(70) : HANDLE_SELF;
	return c->own[hits[below((uint64_t)n)]];
}

static long pick_task(const struct child *c)
{
	return one_in(5) ? HANDLE_SELF : pick_own(c, K_TASK);
}

/* --- tracking what the child holds --------------------------------------- */

static int own_find(const struct child *c, long slot)
{
	for (int i = 0; i < c->nown; i++)
		if (c->own[i] == slot)
			return i;
	return -1;
}

static enum kind own_kind(const struct child *c, long slot)
{
	int i = own_find(c, slot);
	if (slot >= 0 && slot <= 2)
		return c->std_ok[slot] ? K_EP : K_OTHER;
	return i < 0 ? (slot >= 0 && slot < HANDLE_MAX ? K_OTHER : K_NONE) : c->kind[i];
}

static void own_set(struct child *c, long slot, enum kind k)
{
	int i = own_find(c, slot);
	if (slot == c->helper_ep)
		c->helper_ep = -1; /* the slot now holds something else */
	if (slot >= 0 && slot <= 2)
		c->std_ok[slot] = false;
	if (i < 0 && c->nown < MAX_OWN)
		i = c->nown++;
	if (i >= 0)
		c->own[i] = slot, c->kind[i] = (unsigned char)k;
}

static void own_drop(struct child *c, long slot)
{
	int i = own_find(c, slot);
	if (slot == c->helper_ep)
		c->helper_ep = -1;
	if (slot >= 0 && slot <= 2)
		c->std_ok[slot] = false;
	if (i >= 0) {
		c->own[i] = c->own[--c->nown];
		c->kind[i] = c->kind[c->nown];
	}
}

static bool overlaps(unsigned long va, unsigned long len, unsigned long page)
{
	return va < page + 4096 && page < va + len;
}

/* Keeps the child's view of its handle table and report pipe true. */
static void track(struct child *c, long nr, const long in[7], const long out[8])
{
	static const unsigned char made[SYS_COUNT] = {
	    [SYS_EP_CREATE] = K_EP, [SYS_NTFN_CREATE] = K_NTFN, [SYS_TASK_CREATE] = K_TASK};
	long r = out[0];
	if (r < 0)
		return;
	if (nr >= 0 && nr < SYS_COUNT && made[nr])
		own_set(c, r, made[nr]);
	if (nr == SYS_HANDLE_GRANT && in[0] == HANDLE_SELF)
		own_set(c, r, own_kind(c, in[1]));
	if (nr == SYS_HANDLE_CLOSE)
		own_drop(c, in[0]);
	if ((nr == SYS_RECV || nr == SYS_REPLY_RECV || nr == SYS_CALL) &&
	    ((unsigned long)out[1] & TAG_HANDLE))
		own_set(c, (long)TAG_SLOT(out[1]), K_OTHER);
	if ((nr == SYS_RECV || nr == SYS_REPLY_RECV) && ((unsigned long)out[1] & TAG_CALL))
		c->token = (unsigned long)out[7];
	if (nr == SYS_IPC_BUFFER ||
	    (nr == SYS_VM_UNMAP && in[0] == HANDLE_SELF &&
	     overlaps((unsigned long)in[1], (unsigned long)in[2], c->addr[4])))
		c->report_ok = false;
}

/* --- oracles: answers no unprivileged task may ever get ------------------- */

static bool is_kernel_ptr(long p)
{
	return (unsigned long)p >= 0x4000000000ul;
}

/* A window the kernel must refuse at the call (SYS_CALL's a6). */
static bool is_bad_window(unsigned long w)
{
	unsigned long len = WIN_LEN(w);
	return w && (!len || len > WIN_MAX || WIN_VA(w) + len > 0x4000000000ul);
}

static const char *oracle(long nr, const long a[7], long r)
{
	if (nr == SYS_CALL && is_bad_window((unsigned long)a[6]) && r != -22 && r != -14)
		return "a call with a bad window was not refused (EINVAL, EFAULT)";
	if (nr == SYS_POWEROFF && r != -1 /* -EPERM */)
		return "SYS_POWEROFF did not fail with EPERM";
	if ((nr == SYS_MMIO_MAP || nr == SYS_IRQ_BIND || nr == SYS_VM_SHARE ||
	     nr == SYS_VM_PROTECT || nr == SYS_VM_PAGE || nr == SYS_THREAD_UPCALL ||
	     nr == SYS_TASK_STOP) &&
	    r >= 0)
		return "privileged call succeeded unprivileged";
	if (nr == SYS_VM_MAP && ((unsigned long)a[3] & PROT_PAGER_) && r >= 0)
		return "an unprivileged task made a pager zone";
	if (nr == SYS_TASK_CREATE && ((unsigned long)a[3] & (TASK_PRIV | TASK_FAULTS)) && r >= 0)
		return "unprivileged task created a TASK_PRIV or TASK_FAULTS task";
	if (nr == SYS_DEBUG_WRITE && is_kernel_ptr(a[0]) && a[1] > 0 && r > 0)
		return "SYS_DEBUG_WRITE read a kernel address";
	if ((nr == SYS_VM_WRITE || nr == SYS_VM_READ) && is_kernel_ptr(a[2]) && a[3] > 0 && r > 0)
		return "SYS_VM_READ/WRITE used a kernel buffer";
	if (nr == SYS_TRACE && a[0] == HANDLE_SELF && r >= 0)
		return "a task traced itself";
	if (nr == SYS_TRACE && a[1] == TRACE_ATTACH && a[2] >= 0 && a[2] <= 2 && r >= 0)
		return "traced to a server's endpoint (no receive right)";
	if (nr == SYS_FUTEX && is_kernel_ptr(a[0]) && r >= 0)
		return "SYS_FUTEX took a kernel address";
	if ((nr == SYS_KINFO && is_kernel_ptr(a[0]) && r == 0) ||
	    (nr == SYS_THREAD_INFO && is_kernel_ptr(a[2]) && r == 0))
		return "kernel wrote through a kernel pointer";
	return NULL;
}

/* --- the child's reports: a pipe the parent reads after reaping it ------- */

static void report(struct child *c, uint32_t kind, uint64_t value)
{
	uint64_t rec[2] = {REC_MAGIC | kind, value};
	if (c->report_ok && c->std_ok[SLOT_FS] && write(PROGRESS_FD, rec, sizeof(rec)) < 0)
		c->report_ok = false;
}

/* --- one system call, logged ---------------------------------------------- */

static long ecall(long nr, long r[8])
{
	register long a0 __asm__("a0") = r[0];
	register long a1 __asm__("a1") = r[1];
	register long a2 __asm__("a2") = r[2];
	register long a3 __asm__("a3") = r[3];
	register long a4 __asm__("a4") = r[4];
	register long a5 __asm__("a5") = r[5];
	register long a6 __asm__("a6") = r[6];
	register long a7 __asm__("a7") = nr;
	__asm__ volatile("ecall"
	                 : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4), "+r"(a5), "+r"(a6),
	                   "+r"(a7)
	                 :
	                 : "memory");
	r[0] = a0, r[1] = a1, r[2] = a2, r[3] = a3, r[4] = a4, r[5] = a5, r[6] = a6, r[7] = a7;
	return a0;
}

/* A fork of ours through a raw PM_FORK resumes here with a0 = a1 = 0. */
static bool is_fork_child(long nr, const long in[7], const long out[8])
{
	return nr == SYS_CALL && in[0] == SLOT_PM && TAG_LABEL(in[1]) == PM_FORK && out[0] == 0 &&
	       out[1] == 0;
}

static long fz_sys(struct child *c, long nr, const long args[7])
{
	struct oprec *rec = &c->ring[c->op % RING];
	long r[8] = {0};
	char line[200];
	rec->nr = nr, rec->ret = 0;
	memcpy(rec->a, args, sizeof(rec->a));
	memcpy(r, args, sizeof(rec->a));
	if (c->verbose) { /* before the call: it is out even if the kernel dies */
		op_format(line, sizeof(line), c, c->op, rec, false);
		say(line);
	}
	rec->ret = ecall(nr, r);
	if (is_fork_child(nr, args, r))
		mica_exit(0);
	track(c, nr, args, r);
	const char *bad = oracle(nr, args, rec->ret);
	if (bad) { /* the call may have overwritten args itself: try them again */
		memcpy(r, args, sizeof(rec->a));
		bad = oracle(nr, args, ecall(nr, r));
	}
	if (bad) {
		snprintf(line, sizeof(line), "fuzz: child %d op %ld ORACLE: %s\n", c->index, c->op,
		         bad);
		say(line);
		ring_dump(c);
		report(c, REC_ORACLE, (uint64_t)c->op);
	}
	return rec->ret;
}

/* --- operation: a raw system call ---------------------------------------- */

/* System V IPC's calls that may wait for another process (msgsnd on a
 * full queue, msgrcv on an empty one, semop): kept rare, as sigsuspend;
 * most become the ctl call of their kind, which never waits. */
static bool is_sysv_wait(unsigned l)
{
	return l == PM_MSGSND || l == PM_MSGRCV || l == PM_SEMOP;
}

static unsigned sysv_tame(unsigned l)
{
	return l == PM_SEMOP ? PM_SEMCTL : PM_MSGCTL;
}

/* Keeps a random call from blocking forever, most of the time. */
static void tame(struct child *c, long nr, long a[7])
{
	if (nr == SYS_SLEEP && (a[0] < 0 || a[0] > 50000) && !one_in(50))
		a[0] = (long)below(20000);
	if ((nr == SYS_RECV || nr == SYS_WAIT) && (a[1] < 0 || a[1] > 50000) && !one_in(200))
		a[1] = (long)below(20000);
	if (nr == SYS_FUTEX && a[1] == FUTEX_WAIT && (a[3] <= 0 || a[3] > 50000) && !one_in(200))
		a[3] = (long)below(20000) + 1; /* 0 would wait for a wake nobody sends */
	bool own_ep = a[0] > 2 && a[0] != c->helper_ep && own_kind(c, a[0]) != K_NTFN &&
	              own_kind(c, a[0]) != K_TASK && own_kind(c, a[0]) != K_NONE;
	if ((nr == SYS_CALL || nr == SYS_SEND || nr == SYS_REPLY_RECV) && own_ep && !one_in(100))
		a[0] = (long)below(3);
	if (nr == SYS_CALL && a[0] == SLOT_CONSOLE && TAG_LABEL(a[1]) == CON_READ && !FUZZ_CON_READ)
		a[1] = (long)MAKE_TAG(CON_SETMODE, 0);
	if (nr == SYS_UPCALL_FRAME && a[0] == UPCALL_RESUME && !one_in(20))
		a[0] = UPCALL_GET; /* random registers: the child jumps anywhere */
	if (nr == SYS_CALL && a[0] == SLOT_PM && TAG_LABEL(a[1]) == PM_SIGSUSPEND && !one_in(20))
		a[1] = (long)MAKE_TAG(PM_SIGPENDING, 0);
	if (nr == SYS_CALL && a[0] == SLOT_PM && is_sysv_wait(TAG_LABEL(a[1])) && !one_in(20))
		a[1] = (long)(((unsigned long)a[1] & ~0xFFFFul) | sysv_tame(TAG_LABEL(a[1])));
	if (nr == SYS_DEBUG_WRITE && !is_kernel_ptr(a[0]) && (unsigned long)a[1] > 16)
		a[1] = (long)below(17); /* not megabytes of memory on the console */
	if (nr == SYS_TASK_CREATE && a[1] >= 0 && a[1] <= 2 && !FUZZ_PM_DANGEROUS)
		a[2] = (long)(((unsigned long)a[2] & ~0xFFFFFFFFul) | (unsigned)c->pid);
}

/* The servers' protocols checked against the switches above. */
static bool is_dangerous_ipc(const struct child *c, long ep, unsigned long tag, long m0)
{
	if (FUZZ_PM_DANGEROUS || ep != SLOT_PM || !c->std_ok[SLOT_PM])
		return false;
	if (TAG_LABEL(tag) == PM_POWEROFF)
		return true;
	return TAG_LABEL(tag) == PM_KILL && m0 != c->pid;
}

static void op_raw(struct child *c)
{
	long nr = (long)below(SYS_COUNT + 8), a[7];
	while ((nr == SYS_EXIT || nr == SYS_THREAD_EXIT) && !one_in(100))
		nr = (long)below(SYS_COUNT + 8);
	for (int i = 0; i < 7; i++)
		a[i] = (long)pick_value(c);
	tame(c, nr, a);
	if ((nr == SYS_CALL || nr == SYS_SEND) &&
	    is_dangerous_ipc(c, a[0], (unsigned long)a[1], a[2]))
		return;
	fz_sys(c, nr, a);
}

/* --- operation: a message to a server ------------------------------------- */

static const char *const dict[] = {"x",
                                   "y",
                                   "a/b",
                                   "dir",
                                   "dir/f",
                                   "/tmp/fuzz/x",
                                   "/tmp/fuzz/dir/../y",
                                   "//tmp///fuzz//z",
                                   "..",
                                   ".",
                                   "",
                                   "/",
                                   "/proc/self/status",
                                   "/proc/1/cmdline",
                                   "/dev/null",
                                   "/proc",
                                   "x/",
                                   "dir/../../fuzz/x",
                                   "lnk",
                                   "/tmp/fuzz/lnk"};

/* Fills the IPC buffer with a payload; returns its length. */
static size_t fill_payload(struct child *c, unsigned label, long ep)
{
	char *b = (char *)c->addr[4];
	size_t len = 0;
	if (ep == SLOT_CONSOLE && label == CON_WRITE) { /* printable: it reaches the terminal */
		len = (size_t)below(64);
		for (size_t i = 0; i < len; i++)
			b[i] = one_in(16) ? "\n\t\r\b"[below(4)] : (char)(' ' + below(95));
		return len;
	}
	if (one_in(4)) { /* random bytes, sometimes past IPC_MAX */
		len = one_in(8) ? IPC_MAX + below(17) : below(IPC_MAX + 1);
		for (size_t i = 0; i < len && i < IPC_MAX; i++)
			b[i] = (char)rnd();
		return len;
	}
	for (int k = 1 + (int)below(2); k > 0; k--) { /* one or two names, NUL-separated */
		const char *s = PICK(dict);
		char longname[300];
		if (one_in(16)) {
			memset(longname, 'n', sizeof(longname) - 1);
			longname[below(sizeof(longname))] = 0;
			s = longname;
		}
		size_t n = strlen(s) + 1;
		memcpy(b + len, s, n);
		len += n;
	}
	return one_in(8) && len ? len - 1 : len; /* sometimes without the final NUL */
}

static unsigned pick_label(long ep)
{
	static const unsigned odd[] = {0, 0xFFF0, 0xFFF1, FS_REDIRECT, 0xFFFF, 99};
	unsigned nops = ep == SLOT_PM ? PM_NOPS : ep == SLOT_CONSOLE ? CON_NOPS : FS_NOPS;
	if (one_in(10)) {
		unsigned l = one_in(2) ? PICK(odd) : (unsigned)below(0x10000);
		/* to pm, the kernel's exit and fault labels end the child: rarely */
		return ep == SLOT_PM && (l & 0xFFFE) == 0xFFF0 && !one_in(10) ? PM_GETPID : l;
	}
	unsigned l = 1 + (unsigned)below(nops - 1);
	if (ep == SLOT_CONSOLE && l == CON_READ && !FUZZ_CON_READ)
		l = CON_WRITE;
	if (ep == SLOT_PM && l == PM_EXIT && !one_in(10))
		l = PM_GETPID; /* ends the child: keep it rare */
	if (ep == SLOT_PM && l == PM_SIGSUSPEND && !one_in(20))
		l = PM_SIGPENDING; /* waits for a signal nobody may send: keep it rare */
	if (ep == SLOT_PM && is_sysv_wait(l) && !one_in(20))
		l = sysv_tame(l); /* may wait for a process that never comes */
	return l;
}

/* A window to lend with a call: mostly within our scratch (what a
 * server writes there hurts nobody), else read-only over anything, over
 * nothing mapped, the kernel, across the top of user space, or any bits. */
static unsigned long pick_window(const struct child *c)
{
	static const unsigned long lens[] = {0,     1,       4095,        4096,
	                                     65536, WIN_MAX, WIN_MAX + 1, 1ul << 23};
	unsigned long at = below(sizeof(scratch)), len = 1 + below(sizeof(scratch) - at);
	switch (below(8)) {
	case 0:
		return rnd();
	case 1:
		return MAKE_WIN(pick_addr(c) & (WIN_WRITABLE - 1), PICK(lens), 0);
	case 2:
		return MAKE_WIN(pick_addr(c) & (WIN_WRITABLE - 1), 1 + below(8192), one_in(20));
	case 3:
		return MAKE_WIN(0x2400000000ul + below(8192), 1 + below(65536), 1); /* unmapped */
	default:
		return MAKE_WIN((unsigned long)scratch + at, len, !one_in(4));
	}
}

/* Message words that make sense for servers: fds, pids, flags, sizes. */
static unsigned long pick_word(const struct child *c, long ep)
{
	switch (below(5)) {
	case 0:
		return below(FS_MAX_FDS + 2);
	case 1:
		return one_in(2) ? (unsigned long)c->pid : (unsigned long)-1l;
	case 2:
		return below(4097);
	case 3:
		return ep == SLOT_FS ? (unsigned long)(O_CREAT | O_RDWR | (one_in(2) ? O_TRUNC : 0))
		                     : below(8);
	default:
		return pick_value(c);
	}
}

/* Never touches the report pipe's descriptor. */
static bool hits_report_fd(long ep, unsigned label, const long a[7])
{
	if (ep != SLOT_FS || (label >= FS_PM_FORK && label <= FS_PM_LOAD))
		return false;
	return (int)a[2] == PROGRESS_FD || (label == FS_DUP2 && (int)a[3] == PROGRESS_FD);
}

/* PM_EXEC's pointer form: a block in our scratch memory (mica/execargs.h)
 * naming no program (a missing file, a directory, /dev/null), often
 * damaged, at a good or bad address with a length near the limits. */
static void exec_block(struct child *c, long a[7])
{
	static const char *const paths[] = {
	    "/tmp/fuzz/nothere", "/dev/null", "/proc/self/status", "/tmp", "", "x"};
	char *argv[] = {"fz", "", "arg", NULL}, *envp[] = {"A=1", NULL};
	long n =
	    execargs_pack(scratch, sizeof(scratch), PICK(paths), argv, one_in(2) ? envp : NULL);
	struct execargs_hdr h = {(uint32_t)pick_value(c), (uint32_t)below(5)};
	if (n < 0)
		n = 0;
	if (one_in(4) && n >= (long)sizeof(h))
		memcpy(scratch, &h, sizeof(h));          /* counts that lie */
	for (int k = (int)below(3); k > 0 && n > 0; k--) /* damage */
		scratch[below((uint64_t)n)] = one_in(2) ? 0 : (char)rnd();
	static const unsigned long lens[] = {
	    0,    1,        8, 9, ARG_MAX, ARG_MAX + 1, EXECARGS_BLOCK_MAX, EXECARGS_BLOCK_MAX + 1,
	    ~0ul, 1ul << 32};
	unsigned long len = (unsigned long)n;
	switch (below(4)) {
	case 0:
		len = PICK(lens);
		break;
	case 1:
		len = (unsigned long)n + below(3) - 1;
		break;
	case 2:
		len = below(2 * sizeof(scratch));
		break;
	}
	a[1] = (long)MAKE_TAG(PM_EXEC, 0);
	a[2] = (long)(one_in(4) ? pick_addr(c) : (unsigned long)scratch);
	a[3] = (long)len;
}

static void op_ipc(struct child *c)
{
	long ep = one_in(12) ? pick_own(c, K_EP) : (long)below(3), a[7] = {0};
	if (one_in(8) && c->helper_ep > 2)
		ep = c->helper_ep;
	if (ep != c->helper_ep && (ep < 0 || ep > 2 || !c->std_ok[ep])) {
		op_raw(c);
		return;
	}
	unsigned label = pick_label(ep);
	size_t len = one_in(3) ? fill_payload(c, label, ep) : 0;
	unsigned long tag = MAKE_TAG(label, len);
	if (one_in(10))
		tag = TAG_WITH_HANDLE(tag,
		                      one_in(4) ? below(70) : (unsigned long)pick_own(c, K_NONE));
	a[0] = ep, a[1] = (long)tag;
	for (int i = 2; i < 6; i++)
		a[i] = (long)pick_word(c, ep);
	if (ep == SLOT_PM && label == PM_EXEC && !one_in(4))
		exec_block(c, a);
	if (one_in(4)) { /* a window: reads and writes above all */
		a[6] = (long)pick_window(c);
		if (ep == SLOT_FS && one_in(2)) {
			a[1] = (long)MAKE_TAG(one_in(2) ? FS_READ : FS_WRITE, 0);
			a[3] = (long)(one_in(4) ? pick_value(c) : WIN_LEN(a[6]));
		}
	}
	if (is_dangerous_ipc(c, ep, tag, a[2]) || hits_report_fd(ep, label, a))
		return;
	fz_sys(c, one_in(10) ? SYS_SEND : SYS_CALL, a);
}

/* --- operation: kernel objects -------------------------------------------- */

static void obj_task(struct child *c)
{
	long a[7] = {(long)(one_in(4) ? pick_addr(c) : (unsigned long)"fz"), -1,
	             (long)pick_value(c), one_in(20) ? TASK_PRIV : 0};
	if (one_in(2))
		a[1] = one_in(3) ? (long)below(3) : pick_own(c, K_EP);
	tame(c, SYS_TASK_CREATE, a);
	fz_sys(c, SYS_TASK_CREATE, a);
}

static void obj_thread(struct child *c)
{
	long task = one_in(10) ? HANDLE_SELF : pick_task(c);
	long a[7] = {task, (long)pick_addr(c), (long)pick_addr(c), (long)pick_value(c),
	             (long)below(PRIO_DEFAULT + 2)};
	if (task == HANDLE_SELF && one_in(2)) { /* a harmless thread of our own */
		a[1] = (long)(unsigned long)mica_thread_exit;
		a[2] = (long)(unsigned long)(thread_stack + sizeof(thread_stack));
	}
	fz_sys(c, SYS_THREAD_CREATE, a);
}

static void obj_vm(struct child *c)
{
	long task = one_in(8) ? HANDLE_SELF : pick_task(c);
	unsigned long va = one_in(2) ? USER_MIN_VA + (below(64) << 12) : pick_addr(c);
	long len = one_in(4) ? (long)pick_value(c) : (long)((1 + below(8)) << 12);
	long a[7] = {task, (long)va, len, (long)below(16)}; /* PROT_LAZY_ too */
	switch (below(4)) {
	case 0:
		fz_sys(c, SYS_VM_MAP, a);
		break;
	case 1:
		if (task != HANDLE_SELF || one_in(20))
			fz_sys(c, SYS_VM_UNMAP, a);
		break;
	case 2: /* copy in: our scratch, or anything */
		a[2] = (long)(one_in(4) ? pick_addr(c) : (unsigned long)scratch);
		a[3] = one_in(4) ? (long)pick_value(c) : (long)below(sizeof(scratch));
		if (task != HANDLE_SELF || one_in(20))
			fz_sys(c, SYS_VM_WRITE, a);
		break;
	default:
		a[2] = (long)(one_in(4) ? pick_addr(c) : (unsigned long)scratch);
		a[3] = (long)below(sizeof(scratch) + 1);
		fz_sys(c, SYS_VM_READ, a);
	}
}

static void obj_ntfn(struct child *c)
{
	long n = pick_own(c, K_NTFN);
	long a[7] = {n, (long)pick_value(c)};
	switch (below(4)) {
	case 0:
		fz_sys(c, SYS_NTFN_CREATE, a);
		break;
	case 1:
		fz_sys(c, SYS_SIGNAL, a);
		break;
	case 2:
		a[1] = one_in(2) ? TIMEOUT_POLL : (long)below(5000);
		fz_sys(c, SYS_WAIT, a);
		break;
	default:
		fz_sys(c, SYS_NTFN_BIND, a);
	}
}

/* Receiving on our own endpoints: short timeouts, stale or random tokens,
 * and reply_recv woken by a notification we signal ourselves. */
static void obj_ep(struct child *c)
{
	long ep = pick_own(c, K_EP), a[7] = {ep};
	switch (below(4)) {
	case 0:
		fz_sys(c, SYS_EP_CREATE, a);
		break;
	case 1:
		a[1] = one_in(3) ? TIMEOUT_POLL : (long)below(3000);
		fz_sys(c, SYS_RECV, a);
		break;
	case 2:
		for (int i = 0; i < 6; i++)
			a[i] = (long)pick_value(c);
		a[0] = (long)below(64);
		if (one_in(2)) { /* a window of a caller that is, or was, ours */
			a[0] = (long)(one_in(2) ? c->token : c->token + below(3));
			a[2] = (long)(one_in(2) ? (unsigned long)scratch : pick_addr(c));
			a[3] = (long)below(sizeof(scratch) + 1), a[4] = (long)below(3);
			fz_sys(c, SYS_WINDOW_COPY, a);
			break;
		}
		fz_sys(c, SYS_REPLY, a);
		break;
	default:
		a[0] = pick_own(c, K_NTFN), a[1] = 1;
		if (fz_sys(c, SYS_NTFN_BIND, a) == 0 && fz_sys(c, SYS_SIGNAL, a) == 0) {
			long b[7] = {ep, (long)below(64), (long)pick_value(c), (long)pick_value(c)};
			fz_sys(c, SYS_REPLY_RECV, b);
		}
	}
}

static void obj_handles(struct child *c)
{
	long a[7] = {pick_task(c), pick_own(c, K_NONE), (long)pick_value(c), (long)below(8)};
	switch (below(5)) {
	case 0:
		fz_sys(c, SYS_HANDLE_GRANT, a);
		break;
	case 1:
		a[0] = one_in(20) ? (long)below(3) : pick_own(c, K_NONE);
		if (a[0] > 2 || one_in(4))
			fz_sys(c, SYS_HANDLE_CLOSE, a);
		break;
	case 2:
		a[0] = pick_own(c, K_TASK);
		fz_sys(c, SYS_TASK_KILL, a);
		break;
	case 3:
		a[0] = pick_own(c, K_TASK), a[1] = one_in(4) ? pick_task(c) : HANDLE_SELF;
		fz_sys(c, SYS_VM_CLONE, a);
		break;
	default:
		a[0] = pick_task(c), a[1] = (long)below(4), a[2] = (long)(unsigned long)scratch;
		fz_sys(c, SYS_THREAD_INFO, a);
	}
}

/* What a traced clone of ours runs: system calls that need no global
 * (it has no gp or tp) and no handle (its table is empty), and now and
 * then its end. */
static __attribute__((noinline, noreturn)) void tracee_loop(unsigned long n)
{
	static const long calls[] = {SYS_NULL, SYS_YIELD, SYS_TIME, SYS_SLEEP, SYS_CALL, SYS_EXIT};
	for (;; n = n * 6364136223846793005ul + 1442695040888963407ul) {
		register long a0 __asm__("a0") = (long)(n >> 50);
		register long a1 __asm__("a1") = (long)n;
		register long a7 __asm__("a7") = calls[(n >> 33) % (n & 0x3F ? 5 : 6)];
		__asm__ volatile("ecall" : "+r"(a0), "+r"(a1) : "r"(a7) : "memory");
	}
}

static unsigned char tracee_stack[4096] __attribute__((aligned(16)));

/* Tracing: a clone of ours running tracee_loop, traced to one of our
 * endpoints (or anything), whose reports the other ops receive (obj_ep),
 * read and answer, or not, in any order; and pm's policy with any pid. */
static void obj_trace(struct child *c)
{
	long a[7] = {pick_task(c), (long)below(3), pick_own(c, one_in(4) ? K_NONE : K_EP),
	             (long)pick_value(c)};
	switch (below(5)) {
	case 0: {
		long t[7] = {(long)(unsigned long)"fzt", -1, 0, 0};
		if (fz_sys(c, SYS_TASK_CREATE, t) < 0)
			break;
		long task = c->ring[c->op % RING].ret, v[7] = {task, HANDLE_SELF};
		long th[7] = {task, (long)(unsigned long)tracee_loop,
		              (long)(unsigned long)(tracee_stack + sizeof(tracee_stack)),
		              (long)rnd(), (long)below(PRIO_DEFAULT + 1)};
		a[0] = task, a[1] = TRACE_ATTACH, a[2] = pick_own(c, K_EP);
		if (one_in(2))
			fz_sys(c, SYS_TRACE, a); /* before it runs, or after */
		if (fz_sys(c, SYS_VM_CLONE, v) >= 0)
			fz_sys(c, SYS_THREAD_CREATE, th);
		fz_sys(c, SYS_TRACE, a);
		break;
	}
	case 1:
	case 2:
		fz_sys(c, SYS_TRACE, a);
		break;
	case 3:
		a[0] = (long)(one_in(4) ? pick_value(c) : c->token);
		a[1] = (long)(one_in(3) ? 0 : pick_addr(c));
		a[2] = (long)(one_in(2) ? (unsigned long)scratch : pick_addr(c));
		a[3] = (long)(one_in(4) ? pick_value(c) : below(sizeof(scratch) + 1));
		fz_sys(c, SYS_TRACE_READ, a);
		break;
	default: /* pm's policy: ourselves, init, a server, anyone */
		a[0] = SLOT_PM;
		a[1] = (long)TAG_WITH_HANDLE(MAKE_TAG(PM_TRACE, 0), pick_own(c, K_EP));
		a[2] = (long)(one_in(2) ? (unsigned long)c->pid : below(40));
		a[3] = (long)below(3);
		fz_sys(c, SYS_CALL, a);
	}
}

/* Futexes: waits on our scratch words (the right value or not, short
 * timeouts), wakes, and odd addresses, operations and timeouts. */
static void obj_futex(struct child *c)
{
	unsigned *w = (unsigned *)(void *)scratch + below(64);
	long a[7] = {(long)(unsigned long)w, (long)below(3),
	             one_in(2) ? (long)*w : (long)pick_value(c), (long)below(5000) + 1};
	if (one_in(4))
		a[0] = (long)pick_addr(c);
	if (one_in(10))
		a[3] = (long)pick_value(c);
	tame(c, SYS_FUTEX, a);
	fz_sys(c, SYS_FUTEX, a);
}

static void op_object(struct child *c)
{
	static void (*const ops[])(struct child *) = {
	    obj_task, obj_task, obj_thread,  obj_vm,      obj_vm,    obj_ntfn,
	    obj_ep,   obj_ep,   obj_handles, obj_handles, obj_trace, obj_futex};
	PICK(ops)(c);
}

/* --- the child -------------------------------------------------------------- */

/* Answers calls on the child's endpoint with the caller's own words; m1
 * bit 0 asks for the handle in slot m2 to come back with the reply. A
 * caller's window is copied to and from first (m1 bit 1: into it), at
 * offset m2 and length m3, from our own stack or anywhere (m1 bit 2). */
static void helper(unsigned long ep)
{
	struct ipc_msg m;
	unsigned char local[512];
	for (;;) {
		long r = mica_recv((long)ep, 500000, &m);
		if (r < 0 && r != -K_ETIMEDOUT)
			mica_sleep(10000);
		if (r < 0 || !(m.tag & TAG_CALL))
			continue;
		if (TAG_WIN(m.tag)) {
			void *at = (m.m[1] & 4) ? (void *)m.m[3] : local;
			unsigned long len = (m.m[1] & 4) ? m.m[3] & 0xFFFF : m.m[3] % sizeof(local);
			mica_window_copy(m.token, m.m[2] % (2 * TAG_WIN(m.tag) + 1), at, len,
			                 (m.m[1] & 2) ? WIN_OUT : WIN_IN);
			mica_window_copy(m.token + (m.m[2] & 1), 0, local, 1,
			                 WIN_IN); /* stale, maybe */
		}
		struct ipc_msg rep = {.tag = MAKE_TAG(m.m[0], 0),
		                      .m = {m.m[0], m.m[1], m.m[2], m.m[3]}};
		if (m.m[1] & 1)
			rep.tag = TAG_WITH_HANDLE(rep.tag, m.m[2] & 0x3F);
		if (mica_reply(m.token, &rep) < 0) { /* no such handle: answer without */
			rep.tag = MAKE_TAG(m.m[0], 0);
			mica_reply(m.token, &rep);
		}
	}
}

static void helper_start(struct child *c)
{
	long ep = mica_ep_create();
	if (ep < 0)
		return;
	own_set(c, ep, K_EP);
	if (mica_thread_create(HANDLE_SELF, (void *)helper, helper_stack + sizeof(helper_stack),
	                       (unsigned long)ep, PRIO_DEFAULT) >= 0)
		c->helper_ep = ep;
}

static void child_init(struct child *c, int index, uint64_t seed, long nops, bool verbose)
{
	static int data_word;
	int here;
	*c = (struct child){.index = index, .nops = nops, .verbose = verbose, .report_ok = true};
	c->std_ok[0] = c->std_ok[1] = c->std_ok[2] = true;
	c->pid = getpid();
	c->addr[0] = (unsigned long)child_init;
	c->addr[1] = (unsigned long)&data_word;
	c->addr[2] = (unsigned long)malloc(4096);
	c->addr[3] = (unsigned long)&here;
	c->addr[4] = (unsigned long)mica_ipcbuf();
	c->addr[5] = (unsigned long)scratch;
	c->helper_ep = -1;
	rng_seed(seed, (uint64_t)index);
	if (one_in(2))
		helper_start(c);
}

static __attribute__((noreturn)) void child_run(int index, uint64_t seed, long nops, bool verbose)
{
	struct child c;
	if (setgid(NOBODY) < 0 || setuid(NOBODY) < 0 || chdir(SCRATCH) < 0)
		mica_exit(70);
	child_init(&c, index, seed, nops, verbose);
	for (c.op = 0; c.op < c.nops; c.op++) {
		if (c.op % PROGRESS_EVERY == 0)
			report(&c, REC_OPS, (uint64_t)c.op);
		unsigned w = (unsigned)below(100);
		if (w < 35)
			op_raw(&c);
		else if (w < 70)
			op_ipc(&c);
		else
			op_object(&c);
	}
	report(&c, REC_OPS, (uint64_t)c.op);
	mica_exit(0); /* the kernel tells pm: no need for slot 0 to be pm still */
}

/* --- the parent: a watchdog thread for children and health checks -------- */

struct stats {
	uint64_t seed;
	long calls, children, faulted, stuck, early, deaths, hangs, leaks, oracles;
	char why[96];
};

/* The watchdog times whatever the main thread armed: seq is odd while
 * armed, and each change of it is signalled. */
static struct {
	long ntfn;
	volatile unsigned long seq, fired; /* fired: the seq it fired on */
	volatile int pid;                  /* the child to kill, or 0: a health check */
	volatile long timeout;             /* microseconds */
	const char *volatile what;
	struct stats *st;
} wd;

static unsigned char wd_stack[16384] __attribute__((aligned(16)));

static void final_line(const struct stats *s, char *buf, size_t n)
{
	snprintf(buf, n,
	         "fuzz: seed %llu calls %ld children %ld faulted %ld stuck %ld server_deaths %ld "
	         "hangs %ld leaks %ld\n",
	         (unsigned long long)s->seed, s->calls, s->children, s->faulted, s->stuck,
	         s->deaths, s->hangs, s->leaks);
}

/* A health check that does not come back: say so on the kernel console
 * (the console server may be the one hung) and end the whole task. */
static void wd_hang(void)
{
	char line[256];
	wd.st->hangs++;
	final_line(wd.st, line, sizeof(line));
	say(line);
	snprintf(line, sizeof(line), "fuzz: FAIL (%s did not answer)\n", wd.what);
	say(line);
	mica_exit(1);
}

static void watchdog(unsigned long arg)
{
	(void)arg;
	for (;;) {
		unsigned long seq = wd.seq;
		long r = mica_wait(wd.ntfn, (seq & 1) ? wd.timeout : TIMEOUT_NEVER);
		if (r != -K_ETIMEDOUT || wd.seq != seq)
			continue;
		wd.fired = seq;
		if (!wd.pid)
			wd_hang();
		kill(wd.pid, SIGKILL);
		while (wd.seq == seq)
			mica_wait(wd.ntfn, TIMEOUT_NEVER);
	}
}

static void wd_arm(int pid, long timeout, const char *what)
{
	wd.pid = pid, wd.timeout = timeout, wd.what = what;
	wd.seq++;
	mica_signal(wd.ntfn, 1);
}

/* True if the watchdog fired while armed. */
static bool wd_disarm(void)
{
	bool fired = wd.fired == wd.seq;
	wd.seq++;
	mica_signal(wd.ntfn, 1);
	return fired;
}

/* --- the parent: health checks and counts --------------------------------- */

static int my_pid, my_pgrp;

static void death(struct stats *s, const char *what, int err)
{
	s->deaths++;
	snprintf(s->why, sizeof(s->why), "%s stopped answering (%s)", what, strerror(err));
	printf("fuzz: %s\n", s->why);
}

/* pm, fs and the console still answer, each under the watchdog. */
static void health(struct stats *s, bool talk)
{
	struct stat st;
	wd_arm(0, CHECK_US, "pm");
	pid_t pid = getpid();
	wd_disarm();
	if (pid != my_pid)
		death(s, "pm", pid < 0 ? errno : ESRCH);
	wd_arm(0, CHECK_US, "fs");
	int r = stat("/", &st);
	wd_disarm();
	if (r < 0)
		death(s, "fs", errno);
	wd_arm(0, CHECK_US, "console");
	mica_console_mode(0); /* a child may have left it raw */
	tcsetpgrp(0, my_pgrp);
	if (talk) {
		char line[128];
		int n = snprintf(line, sizeof(line),
		                 "fuzz: %ld calls, %ld children (%ld faulted, %ld stuck)\n",
		                 s->calls, s->children, s->faulted, s->stuck);
		if (write(1, line, (size_t)n) != n)
			death(s, "console", errno);
	}
	wd_disarm();
}

/* Reads the child's reports without blocking: a fork of it may still
 * hold the pipe open. Returns the calls it made. */
/* A child fuzzes its own memory too, so what it reports is checked: an
 * op count past what it was given is a corrupted counter, not calls. */
static long read_reports(int fd, struct stats *s, int index, long nops)
{
	uint64_t rec[2];
	long ops = 0;
	struct stat st;
	while (fstat(fd, &st) == 0 && st.st_size >= (off_t)sizeof(rec) &&
	       read(fd, rec, sizeof(rec)) == sizeof(rec)) {
		if ((rec[0] & 0xFFFF0000u) != REC_MAGIC)
			break;
		if ((rec[0] & 0xFFFF) == REC_OPS && (long)rec[1] > ops && (long)rec[1] <= nops)
			ops = (long)rec[1];
		if ((rec[0] & 0xFFFF) == REC_ORACLE) {
			s->oracles++;
			snprintf(s->why, sizeof(s->why), "oracle in child %d op %ld", index,
			         (long)rec[1]);
		}
	}
	return ops;
}

static void count_status(struct stats *s, int status, bool killed)
{
	if (killed)
		s->stuck++;
	else if (WIFSIGNALED(status))
		s->faulted++;
	else if (WEXITSTATUS(status) != 0)
		s->early++;
}

/* One child, start to reaping; returns false if pm refused the fork. */
static bool run_child(struct stats *s, int index, long nops, bool verbose)
{
	int fds[2], status = 0;
	/* fs does not yet check write permission on the parent directory,
	 * so an earlier child (uid 65534) may have removed or renamed the
	 * scratch directory: give every child one to work in. */
	mkdir(SCRATCH, 0777);
	if (pipe(fds) < 0)
		return false;
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		if (dup2(fds[1], PROGRESS_FD) < 0)
			mica_exit(71);
		close(fds[1]);
		child_run(index, s->seed, nops, verbose);
	}
	close(fds[1]);
	if (pid < 0) {
		close(fds[0]);
		return false;
	}
	wd_arm(pid, DEADLINE_US, "child");
	pid_t r = waitpid(pid, &status, 0);
	bool killed = wd_disarm();
	if (r != pid)
		death(s, "pm (waitpid)", errno);
	count_status(s, status, killed);
	s->calls += read_reports(fds[0], s, index, nops);
	close(fds[0]);
	return true;
}

/* --- the parent: scratch directory and leaks ------------------------------ */

static void remove_tree(const char *path, int depth)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return;
	if (S_ISDIR(st.st_mode) && depth < 16) {
		DIR *d = opendir(path);
		struct dirent *e;
		char sub[512];
		while (d && (e = readdir(d))) {
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
				snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
				remove_tree(sub, depth + 1);
			}
		}
		if (d)
			closedir(d);
		rmdir(path);
	} else {
		unlink(path);
	}
}

/* Children may have reached /tmp through "..": the names they could use. */
static void clean_scratch(void)
{
	char p[64];
	remove_tree(SCRATCH, 0);
	for (size_t i = 0; i < sizeof(dict) / sizeof(dict[0]); i++) {
		if (!strchr(dict[i], '/') && strcmp(dict[i], "..") && strcmp(dict[i], ".") &&
		    dict[i][0]) {
			snprintf(p, sizeof(p), "/tmp/%s", dict[i]);
			remove_tree(p, 0);
		}
	}
}

/* What the children left that outlives a process by design: System V
 * segments, message queues and semaphore sets (removed, as ipcrm -a
 * would) and programs in pm's page cache
 * (dropped, as echo 3 > /proc/sys/vm/drop_caches would on Linux). */
static void clean_ipc_and_caches(void)
{
	struct shmid_ds ds;
	for (int i = 0; i < 128; i++) {
		int id = shmctl(i, SHM_STAT, &ds);
		if (id >= 0)
			shmctl(id, IPC_RMID, NULL);
		struct msqid_ds mq;
		if ((id = msgctl(i, MSG_STAT, &mq)) >= 0)
			msgctl(id, IPC_RMID, NULL);
		struct semid_ds se;
		if ((id = semctl(i, 0, SEM_STAT, &se)) >= 0)
			semctl(id, 0, IPC_RMID);
	}
	struct ipc_msg m = {.tag = MAKE_TAG(PM_VMCTL, 0), .m = {PM_VM_DROP_CACHES}};
	mica_call(SLOT_PM, &m);
}

/* Tasks, threads and free frames back where they started; orphans of
 * the children are reaped by init, so give them a moment. */
static void check_leaks(struct stats *s, const struct kinfo *k0)
{
	struct kinfo k;
	for (int i = 0; i < 20; i++) {
		if (mica_kinfo(&k))
			return;
		if (k.ntasks <= k0->ntasks && k.nthreads <= k0->nthreads &&
		    k.frames_free + FRAME_SLACK >= k0->frames_free)
			break;
		usleep(50000);
	}
	long tasks = (long)k.ntasks - (long)k0->ntasks,
	     threads = (long)k.nthreads - (long)k0->nthreads;
	long frames = (long)k0->frames_free - (long)k.frames_free;
	printf("fuzz: kernel: tasks %lu -> %lu, threads %lu -> %lu, free frames %lu -> %lu\n",
	       k0->ntasks, k.ntasks, k0->nthreads, k.nthreads, k0->frames_free, k.frames_free);
	s->leaks = (tasks > 0 ? tasks : 0) + (threads > 0 ? threads : 0) +
	           (frames > FRAME_SLACK ? frames - FRAME_SLACK : 0);
	if (s->leaks)
		snprintf(s->why, sizeof(s->why), "leaked %ld tasks, %ld threads, %ld frames", tasks,
		         threads, frames);
}

/* --- the parent: main ------------------------------------------------------ */

struct opts {
	uint64_t seed;
	long calls, per_child, seconds, verbose_from, first;
};

static int parse(int argc, char **argv, struct opts *o)
{
	*o = (struct opts){.seed = 1, .calls = 100000, .per_child = 500, .verbose_from = -1};
	int ch;
	while ((ch = getopt(argc, argv, "s:n:c:t:vV:f:")) != -1) {
		switch (ch) {
		case 's':
			o->seed = strtoull(optarg, NULL, 0);
			break;
		case 'n':
			o->calls = strtol(optarg, NULL, 0);
			break;
		case 'c':
			o->per_child = strtol(optarg, NULL, 0);
			break;
		case 't':
			o->seconds = strtol(optarg, NULL, 0);
			break;
		case 'v':
			o->verbose_from = 0;
			break;
		case 'V':
			o->verbose_from = strtol(optarg, NULL, 0);
			break;
		case 'f':
			o->first = strtol(optarg, NULL, 0);
			break;
		default:
			return -1;
		}
	}
	return o->calls > 0 && o->per_child > 0 ? 0 : -1;
}

static int setup(struct stats *s, struct kinfo *k0)
{
	my_pid = getpid();
	my_pgrp = getpgrp();
	wd.st = s;
	wd.ntfn = mica_ntfn_create();
	if (wd.ntfn < 0 || mica_thread_create(HANDLE_SELF, (void *)watchdog,
	                                      wd_stack + sizeof(wd_stack), 0, PRIO_DEFAULT) < 0)
		return -1;
	if (mkdir(SCRATCH, 0777) < 0 && errno != EEXIST)
		return -1;
	return mica_kinfo(k0) ? -1 : 0;
}

static void campaign(struct stats *s, const struct opts *o)
{
	long t0 = mica_time(), refused = 0;
	for (int i = (int)o->first; s->calls < o->calls && s->children < o->calls; i++) {
		if (o->seconds && mica_time() - t0 > o->seconds * 1000000L)
			break;
		long left = o->calls - s->calls;
		bool verbose = o->verbose_from >= 0 && i >= o->verbose_from;
		if (!run_child(s, i, left < o->per_child ? left : o->per_child, verbose)) {
			if (++refused > 100) {
				death(s, "pm (fork)", errno);
				break;
			}
			usleep(100000);
			continue;
		}
		s->children++;
		health(s, s->children % 10 == 0);
		if (s->deaths)
			break;
	}
	long us = mica_time() - t0;
	printf("fuzz: %ld calls in %ld.%03ld s (%ld calls/s), %ld exited early\n", s->calls,
	       us / 1000000, us / 1000 % 1000, us ? s->calls * 1000000 / us : 0, s->early);
}

int main(int argc, char **argv)
{
	struct opts o;
	struct stats s = {0};
	struct kinfo k0;
	char line[256];
	if (parse(argc, argv, &o) < 0) {
		fprintf(stderr,
		        "usage: fuzz [-s SEED] [-n CALLS] [-c CALLS_PER_CHILD] [-t SECONDS] "
		        "[-v] [-V FROM_CHILD] [-f FIRST_CHILD]\n");
		return 2;
	}
	s.seed = o.seed;
	/* a child may take the terminal (its own group, tcsetpgrp), as any
	 * Unix process may: the campaign goes on in the background */
	signal(SIGTTOU, SIG_IGN);
	signal(SIGTTIN, SIG_IGN);
	signal(SIGTSTP, SIG_IGN);
	if (setup(&s, &k0) < 0) {
		fprintf(stderr, "fuzz: cannot set up: %s\n", strerror(errno));
		return 1;
	}
	printf("fuzz: seed %llu, %ld calls, %ld per child\n", (unsigned long long)o.seed, o.calls,
	       o.per_child);
	campaign(&s, &o);
	clean_scratch();
	clean_ipc_and_caches();
	check_leaks(&s, &k0);
	final_line(&s, line, sizeof(line));
	fputs(line, stdout);
	bool fail = s.deaths || s.hangs || s.leaks || s.oracles;
	if (fail)
		printf("fuzz: FAIL (%s)\n", s.why);
	else
		printf("fuzz: PASS\n");
	return fail;
}
