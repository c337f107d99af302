/* trace's decoder (tracefmt.h). A system call is either the kernel's own
 * (SYS_SLEEP is nanosleep), decoded here, or, for SYS_CALL, a request to
 * pm, the console or fs, which every process reaches through handle
 * slots 0, 1 and 2: the request's opcode names the POSIX call, its words
 * and payload are the arguments, the reply's label (or m0) the result
 * (tracefs.c, tracepm.c). Here too: the line being written, what is read
 * of the thread's memory, and what the tracer asks of a call. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "mica/execargs.h"
#include "mica/proto/con.h"
#include "mica/proto/fs.h"
#include "mica/proto/pm.h"
#include "tracedec.h"

/* --- tables -------------------------------------------------------------- */

static const struct {
	const char *name, *text;
} errnos[] = {
    [1] = {"EPERM", "Operation not permitted"},
    [2] = {"ENOENT", "No such file or directory"},
    [3] = {"ESRCH", "No such process"},
    [4] = {"EINTR", "Interrupted system call"},
    [5] = {"EIO", "Input/output error"},
    [6] = {"ENXIO", "No such device or address"},
    [7] = {"E2BIG", "Argument list too long"},
    [8] = {"ENOEXEC", "Exec format error"},
    [9] = {"EBADF", "Bad file descriptor"},
    [10] = {"ECHILD", "No child processes"},
    [11] = {"EAGAIN", "Resource temporarily unavailable"},
    [12] = {"ENOMEM", "Cannot allocate memory"},
    [13] = {"EACCES", "Permission denied"},
    [14] = {"EFAULT", "Bad address"},
    [15] = {"ENOTBLK", "Block device required"},
    [16] = {"EBUSY", "Device or resource busy"},
    [17] = {"EEXIST", "File exists"},
    [18] = {"EXDEV", "Invalid cross-device link"},
    [19] = {"ENODEV", "No such device"},
    [20] = {"ENOTDIR", "Not a directory"},
    [21] = {"EISDIR", "Is a directory"},
    [22] = {"EINVAL", "Invalid argument"},
    [23] = {"ENFILE", "Too many open files in system"},
    [24] = {"EMFILE", "Too many open files"},
    [25] = {"ENOTTY", "Inappropriate ioctl for device"},
    [26] = {"ETXTBSY", "Text file busy"},
    [27] = {"EFBIG", "File too large"},
    [28] = {"ENOSPC", "No space left on device"},
    [29] = {"ESPIPE", "Illegal seek"},
    [30] = {"EROFS", "Read-only file system"},
    [31] = {"EMLINK", "Too many links"},
    [32] = {"EPIPE", "Broken pipe"},
    [33] = {"EDOM", "Numerical argument out of domain"},
    [34] = {"ERANGE", "Numerical result out of range"},
    [35] = {"EDEADLK", "Resource deadlock avoided"},
    [36] = {"ENAMETOOLONG", "File name too long"},
    [37] = {"ENOLCK", "No locks available"},
    [38] = {"ENOSYS", "Function not implemented"},
    [39] = {"ENOTEMPTY", "Directory not empty"},
    [40] = {"ELOOP", "Too many levels of symbolic links"},
    [90] = {"EMSGSIZE", "Message too long"},
    [95] = {"EOPNOTSUPP", "Operation not supported"},
    [110] = {"ETIMEDOUT", "Connection timed out"},
    [134] = {"ENOTSUP", "Operation not supported"},
};

static const char *const signals[] = {
    [1] = "SIGHUP",     [2] = "SIGINT",   [3] = "SIGQUIT",   [4] = "SIGILL",   [5] = "SIGTRAP",
    [6] = "SIGABRT",    [7] = "SIGBUS",   [8] = "SIGFPE",    [9] = "SIGKILL",  [10] = "SIGUSR1",
    [11] = "SIGSEGV",   [12] = "SIGUSR2", [13] = "SIGPIPE",  [14] = "SIGALRM", [15] = "SIGTERM",
    [16] = "SIGSTKFLT", [17] = "SIGCHLD", [18] = "SIGCONT",  [19] = "SIGSTOP", [20] = "SIGTSTP",
    [21] = "SIGTTIN",   [22] = "SIGTTOU", [23] = "SIGURG",   [24] = "SIGXCPU", [25] = "SIGXFSZ",
    [26] = "SIGVTALRM", [27] = "SIGPROF", [28] = "SIGWINCH", [29] = "SIGIO",   [30] = "SIGPWR",
    [31] = "SIGSYS",
};

/* The kernel's calls a program makes itself, by their names in the ABI
 * (those with a POSIX meaning are decoded in kernel_call). */
static const char *const ksys[SYS_COUNT] = {
    [SYS_NULL] = "null",
    [SYS_TIME] = "uptime_us",
    [SYS_TASK_CREATE] = "task_create",
    [SYS_THREAD_CREATE] = "thread_create",
    [SYS_VM_MAP] = "vm_map",
    [SYS_VM_UNMAP] = "vm_unmap",
    [SYS_VM_WRITE] = "vm_write",
    [SYS_VM_READ] = "vm_read",
    [SYS_HANDLE_GRANT] = "handle_grant",
    [SYS_HANDLE_CLOSE] = "handle_close",
    [SYS_EP_CREATE] = "ep_create",
    [SYS_NTFN_CREATE] = "ntfn_create",
    [SYS_SEND] = "ipc_send",
    [SYS_RECV] = "ipc_recv",
    [SYS_REPLY] = "ipc_reply",
    [SYS_REPLY_RECV] = "ipc_reply_recv",
    [SYS_SIGNAL] = "ntfn_signal",
    [SYS_WAIT] = "ntfn_wait",
    [SYS_NTFN_BIND] = "ntfn_bind",
    [SYS_IPC_BUFFER] = "ipc_buffer",
    [SYS_IRQ_BIND] = "irq_bind",
    [SYS_IRQ_ACK] = "irq_ack",
    [SYS_MMIO_MAP] = "mmio_map",
    [SYS_THREAD_INFO] = "thread_info",
    [SYS_POWEROFF] = "poweroff",
    [SYS_KINFO] = "kinfo",
    [SYS_TASK_KILL] = "task_kill",
    [SYS_VM_CLONE] = "vm_clone",
    [SYS_THREAD_FORK] = "thread_fork",
    [SYS_REPLY_ALIVE] = "reply_alive",
    [SYS_TASK_LIMIT] = "task_limit",
    [SYS_KSTAT] = "kstat",
    [SYS_KLOG] = "klog",
    [SYS_TASK_PRIO] = "task_prio",
    [SYS_DMA_MAP] = "dma_map",
    [SYS_NTFN_TIMER] = "ntfn_timer",
    [SYS_WINDOW_COPY] = "window_copy",
    [SYS_VM_SHARE] = "vm_share",
    [SYS_VM_PROTECT] = "vm_protect",
    [SYS_VM_PAGE] = "vm_page",
    [SYS_THREAD_UPCALL] = "thread_upcall",
    [SYS_UPCALL_FRAME] = "upcall_frame",
    [SYS_TASK_STOP] = "task_stop",
    [SYS_TRACE] = "trace",
    [SYS_TRACE_READ] = "trace_read",
};
/* How many argument registers each takes (the rest: none, or decoded). */
static const unsigned char knargs[SYS_COUNT] = {
    [SYS_TASK_CREATE] = 4, [SYS_THREAD_CREATE] = 5, [SYS_VM_MAP] = 4,        [SYS_VM_UNMAP] = 3,
    [SYS_VM_WRITE] = 4,    [SYS_VM_READ] = 4,       [SYS_HANDLE_GRANT] = 4,  [SYS_HANDLE_CLOSE] = 1,
    [SYS_SEND] = 6,        [SYS_RECV] = 2,          [SYS_REPLY] = 6,         [SYS_REPLY_RECV] = 7,
    [SYS_SIGNAL] = 2,      [SYS_WAIT] = 2,          [SYS_NTFN_BIND] = 1,     [SYS_IPC_BUFFER] = 1,
    [SYS_IRQ_BIND] = 3,    [SYS_IRQ_ACK] = 1,       [SYS_MMIO_MAP] = 4,      [SYS_THREAD_INFO] = 3,
    [SYS_POWEROFF] = 1,    [SYS_KINFO] = 1,         [SYS_TASK_KILL] = 2,     [SYS_VM_CLONE] = 2,
    [SYS_THREAD_FORK] = 3, [SYS_REPLY_ALIVE] = 1,   [SYS_TASK_LIMIT] = 3,    [SYS_KSTAT] = 1,
    [SYS_KLOG] = 2,        [SYS_TASK_PRIO] = 2,     [SYS_DMA_MAP] = 3,       [SYS_NTFN_TIMER] = 3,
    [SYS_WINDOW_COPY] = 5, [SYS_VM_SHARE] = 6,      [SYS_VM_PROTECT] = 4,    [SYS_VM_PAGE] = 5,
    [SYS_TRACE] = 4,       [SYS_TRACE_READ] = 4,    [SYS_THREAD_UPCALL] = 3, [SYS_UPCALL_FRAME] = 2,
    [SYS_TASK_STOP] = 2,
};

const char *tf_errno_name(long e)
{
	return e > 0 && e < (long)(sizeof(errnos) / sizeof(errnos[0])) ? errnos[e].name : NULL;
}

const char *tf_errno_text(long e)
{
	return e > 0 && e < (long)(sizeof(errnos) / sizeof(errnos[0])) ? errnos[e].text : NULL;
}

const char *tf_signal_name(long sig)
{
	return sig > 0 && sig < (long)(sizeof(signals) / sizeof(signals[0])) ? signals[sig] : NULL;
}

/* --- the line being written ------------------------------------------------- */

void td_put(struct out *o, const char *fmt, ...)
{
	if (o->stop || o->pos >= sizeof(o->t->s) - 1)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(o->t->s + o->pos, sizeof(o->t->s) - o->pos, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->pos +=
		    (size_t)n < sizeof(o->t->s) - o->pos ? (size_t)n : sizeof(o->t->s) - 1 - o->pos;
}

static void at_split(struct out *o)
{
	if (!o->split) {
		o->split = true;
		o->t->split = o->pos;
		o->stop = !o->done;
	}
}

void td_sep(struct out *o)
{
	if (o->nargs++)
		td_put(o, ", ");
}

/* From here on the arguments are written at exit. */
void td_xsep(struct out *o)
{
	td_sep(o);
	at_split(o);
}

void td_start(struct out *o, const char *name)
{
	o->t->name = name;
	td_put(o, "%s(", name);
}

void td_quote(struct out *o, const void *s, size_t n, size_t max, bool more)
{
	char buf[TF_CAP * 4 + 16];
	tf_quote(buf, sizeof(buf), s, n, max, more);
	td_put(o, "%s", buf);
}

/* A NUL-terminated string at off in a buffer of len bytes, shown whole
 * (paths are not cut, as strace does not cut them); the offset after it. */
size_t td_path(struct out *o, const unsigned char *d, size_t len, size_t off)
{
	size_t n = 0;
	while (off + n < len && d[off + n])
		n++;
	td_quote(o, d + off, n, n, off + n >= len);
	return off + n + 1;
}

void td_num(struct out *o, long v)
{
	if (v > -65536 && v < 65536)
		td_put(o, "%ld", v);
	else
		td_put(o, "%#lx", (unsigned long)v);
}

void td_ptr(struct out *o, unsigned long v)
{
	if (v)
		td_put(o, "%#lx", v);
	else
		td_put(o, "NULL");
}

void td_flags(struct out *o, unsigned long v, const struct flag *f, const char *zero)
{
	bool any = false;
	for (; f->name; f++) {
		if (f->bit && (v & f->bit) == f->bit) {
			td_put(o, "%s%s", any ? "|" : "", f->name);
			v &= ~f->bit;
			any = true;
		}
	}
	if (v)
		td_put(o, any ? "|%#lx" : "%#lx", v);
	else if (!any)
		td_put(o, "%s", zero);
}

/* The end of the arguments and the result: "= 3", "= -1 ENOENT (...)". */
void td_ret(struct out *o, long r, bool hex)
{
	at_split(o);
	td_put(o, ") = ");
	if (r < 0 && r > -4096) {
		const char *n = tf_errno_name(-r), *t = tf_errno_text(-r);
		if (n)
			td_put(o, "-1 %s (%s)", n, t);
		else
			td_put(o, "-1 E%ld (Unknown error %ld)", -r, -r);
	} else if (hex) {
		td_put(o, "%#lx", (unsigned long)r);
	} else {
		td_put(o, "%ld", r);
	}
}

void td_no_return(struct out *o)
{
	at_split(o);
	o->stop = false; /* the whole line is known at entry */
	td_put(o, ") = ?");
}

/* --- requests ---------------------------------------------------------------- */

int td_server(const struct tf_call *c)
{
	if (c->in.nr != SYS_CALL || c->in.a[0] > SLOT_FS)
		return SRV_NONE;
	return (int)c->in.a[0];
}

unsigned td_op(const struct tf_call *c)
{
	return TAG_LABEL(TAG(c));
}

/* A request's result: the reply's label, or the call's own error. */
long td_result(const struct tf_call *c)
{
	if ((long)c->out.a[0] < 0)
		return (long)c->out.a[0];
	return PROTO_RESULT(c->out.a[1]);
}

/* A result that a label 0 leaves in m0 (windows, lseek, brk, mmap...). */
long td_result_m0(const struct tf_call *c)
{
	long r = td_result(c);
	return r == 0 && (long)c->out.a[0] == 0 ? (long)RM(c, 0) : r;
}

void td_fd(struct out *o, long fd)
{
	td_sep(o);
	td_put(o, "%ld", fd);
}

/* The first path of a path request, with its base (m[base]): "path" or
 * a directory descriptor first (the *at calls). */
void td_path_arg(struct out *o, const struct tf_call *c, int base)
{
	if (M(c, base)) {
		td_fd(o, (long)M(c, base) - 1);
	}
	td_sep(o);
	td_path(o, c->data, c->len, 0);
}

void td_generic(struct out *o, const struct tf_call *c, const char *server)
{
	static char name[32];
	snprintf(name, sizeof(name), "%s_request_%#x", server, td_op(c));
	td_start(o, name);
	for (int i = 0; i < 4; i++) {
		td_sep(o);
		td_num(o, (long)M(c, i));
	}
	td_ret(o, td_result(c), false);
}

/* The kernel's calls a program makes itself. */
static void kernel_call(struct out *o, const struct tf_call *c)
{
	unsigned long nr = c->in.nr;
	long r = (long)c->out.a[0];
	const unsigned long *a = c->in.a;
	switch (nr) {
	case SYS_CALL: {
		td_start(o, "ipc_call");
		td_sep(o);
		td_put(o, "%ld, ", (long)a[0]);
		td_put(o, "%#lx, %#lx, %#lx, %#lx, %#lx", a[1], a[2], a[3], a[4], a[5]);
		return td_ret(o, r, false);
	}
	case SYS_EXIT:
	case SYS_THREAD_EXIT:
		td_start(o, nr == SYS_EXIT ? "exit_group" : "exit");
		td_sep(o);
		td_put(o, "%ld", nr == SYS_EXIT ? (long)(int)a[0] : 0l);
		return td_no_return(o);
	case SYS_UPCALL_FRAME: /* a signal handler's end, or its start fetching the registers */
		td_start(o, a[0] == UPCALL_RESUME ? "rt_sigreturn" : "upcall_frame");
		td_sep(o);
		if (a[0] == UPCALL_GET)
			td_put(o, "UPCALL_GET, ");
		td_put(o, "%#lx", a[1]);
		return td_ret(o, r, false);
	case SYS_DEBUG_WRITE:
		td_start(o, "debug_write");
		td_sep(o);
		td_data(o, c->data, c->len, (long)a[1]);
		td_sep(o);
		td_put(o, "%lu", a[1]);
		return td_ret(o, r, false);
	case SYS_YIELD:
		td_start(o, "sched_yield");
		return td_ret(o, r, false);
	case SYS_SLEEP:
		td_start(o, "nanosleep");
		td_sep(o);
		td_put(o, "{tv_sec=%ld, tv_nsec=%ld}, NULL", (long)a[0] / 1000000,
		       (long)a[0] % 1000000 * 1000);
		return td_ret(o, r, false);
	case SYS_CLOCK:
		td_start(o, "clock_gettime");
		td_sep(o);
		if (a[0] == CLOCK_ID_REALTIME || a[0] == CLOCK_ID_MONOTONIC)
			td_put(o, "%s",
			       a[0] == CLOCK_ID_REALTIME ? "CLOCK_REALTIME" : "CLOCK_MONOTONIC");
		else
			td_put(o, "%lu", a[0]);
		td_xsep(o);
		if (r >= 0)
			td_put(o, "{tv_sec=%ld, tv_nsec=%ld}", r / 1000000000, r % 1000000000);
		else
			td_put(o, "NULL");
		return td_ret(o, r < 0 ? r : 0, false);
	default:
		break;
	}
	static char name[24];
	const char *n = nr < SYS_COUNT ? ksys[nr] : NULL;
	if (!n) {
		snprintf(name, sizeof(name), "syscall_%lu", nr);
		n = name;
	}
	td_start(o, n);
	for (int i = 0; i < (nr < SYS_COUNT ? knargs[nr] : 6); i++) {
		td_sep(o);
		td_num(o, (long)a[i]);
	}
	td_ret(o, r, false);
}

void tf_format(const struct tf_call *c, struct tf_text *t)
{
	struct out o = {.t = t, .done = c->done};
	t->s[0] = 0;
	t->split = 0;
	switch (td_server(c)) {
	case SRV_PM:
		td_pm(&o, c);
		break;
	case SRV_FS:
		td_fs(&o, c);
		break;
	case SRV_CON:
		td_con(&o, c);
		break;
	default:
		kernel_call(&o, c);
	}
	t->s[o.pos] = 0;
	if (!o.split)
		t->split = o.pos;
}

/* --- memory -------------------------------------------------------------- */

static size_t fetch(tf_read_fn rd, void *ctx, unsigned long addr, unsigned char *buf, size_t n)
{
	if (!addr || !n)
		return 0;
	n = n < TF_CAP ? n : TF_CAP;
	long got = rd(ctx, addr, buf, n);
	return got > 0 ? (size_t)got : 0;
}

void tf_enter(struct tf_call *c, const struct trace_regs *r, tf_read_fn rd, void *ctx)
{
	c->in = *r;
	c->done = false;
	c->con_fd = -1;
	c->len = c->rlen = 0;
	int srv = td_server(c);
	size_t n = TAG_LEN(TAG(c));
	if (r->nr == SYS_DEBUG_WRITE)
		c->len = fetch(rd, ctx, r->a[0], c->data,
		               r->a[1] < TF_STRMAX + 1 ? r->a[1] : TF_STRMAX + 1);
	else if (srv == SRV_NONE)
		return;
	else if (n)
		c->len = fetch(rd, ctx, r->ipc_buf, c->data, n);
	else if (srv == SRV_PM && td_op(c) == PM_EXEC)
		c->len = fetch(rd, ctx, M(c, 0), c->data, M(c, 1));
	else if (srv == SRV_FS && td_op(c) == FS_WRITE && WIN(c))
		c->len = fetch(rd, ctx, WIN_VA(WIN(c)), c->data,
		               M(c, 1) < TF_STRMAX + 1 ? M(c, 1) : TF_STRMAX + 1);
	c->data[c->len] = 0;
}

void tf_leave(struct tf_call *c, const struct trace_regs *r, tf_read_fn rd, void *ctx)
{
	c->out = *r;
	c->done = true;
	c->rlen = 0;
	size_t n = TAG_LEN(r->a[1]);
	long res = td_result(c);
	if (td_server(c) == SRV_NONE) {
		c->rdata[0] = 0;
		return;
	}
	if (n && (long)r->a[0] == 0)
		c->rlen = fetch(rd, ctx, r->ipc_buf, c->rdata, n);
	else if (td_op(c) == FS_READ && td_server(c) == SRV_FS && WIN(c) && res == 0 && RM(c, 0))
		c->rlen = fetch(rd, ctx, WIN_VA(WIN(c)), c->rdata,
		                RM(c, 0) < TF_STRMAX + 1 ? RM(c, 0) : TF_STRMAX + 1);
	c->rdata[c->rlen] = 0;
}

/* --- what the tracer asks ---------------------------------------------------- */

bool tf_redirected(const struct tf_call *c)
{
	return c->done && td_server(c) == SRV_FS && (td_op(c) == FS_READ || td_op(c) == FS_WRITE) &&
	       td_result(c) == FS_REDIRECT;
}

bool tf_is_console_io(const struct tf_call *c)
{
	return td_server(c) == SRV_CON && (td_op(c) == CON_READ || td_op(c) == CON_WRITE);
}

bool tf_no_return(const struct tf_call *c)
{
	return tf_exit_status(c) >= 0;
}

long tf_exit_status(const struct tf_call *c)
{
	if (td_server(c) == SRV_PM && td_op(c) == PM_EXIT)
		return (long)(M(c, 0) & 0xFF);
	if (c->in.nr == SYS_EXIT)
		return (long)(c->in.a[0] & 0xFF);
	return -1;
}

bool tf_is_exec(const struct tf_call *c)
{
	return td_server(c) == SRV_PM && td_op(c) == PM_EXEC;
}

long tf_fork_child(const struct tf_call *c)
{
	return c->done && td_server(c) == SRV_PM && td_op(c) == PM_FORK && td_result(c) > 0
	           ? td_result(c)
	           : 0;
}

const char *tf_syscall_name(unsigned long nr)
{
	switch (nr) {
	case SYS_CALL:
		return "ipc_call";
	case SYS_SLEEP:
		return "nanosleep";
	case SYS_CLOCK:
		return "clock_gettime";
	case SYS_YIELD:
		return "sched_yield";
	default:
		return nr < SYS_COUNT && ksys[nr] ? ksys[nr] : "syscall";
	}
}

/* --- strings and times ---------------------------------------------------------- */

size_t tf_quote(char *out, size_t cap, const void *s, size_t n, size_t max, bool more)
{
	const unsigned char *p = s;
	size_t o = 0, shown = n < max ? n : max;
	if (cap < 8)
		return 0;
	out[o++] = '"';
	for (size_t i = 0; i < shown && o + 6 < cap; i++) {
		unsigned char ch = p[i];
		const char *esc = ch == '\n'   ? "\\n"
		                  : ch == '\t' ? "\\t"
		                  : ch == '\r' ? "\\r"
		                  : ch == '\v' ? "\\v"
		                  : ch == '\f' ? "\\f"
		                  : ch == '"'  ? "\\\""
		                  : ch == '\\' ? "\\\\"
		                               : NULL;
		if (esc) {
			o += (size_t)snprintf(out + o, cap - o, "%s", esc);
		} else if (ch >= 0x20 && ch < 0x7F) {
			out[o++] = (char)ch;
		} else { /* octal, as short as the next character allows */
			bool digit = i + 1 < shown && p[i + 1] >= '0' && p[i + 1] <= '7';
			o += (size_t)snprintf(out + o, cap - o, digit ? "\\%03o" : "\\%o", ch);
		}
	}
	out[o++] = '"';
	if ((n > max || more) && o + 3 < cap) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = 0;
	return o;
}

void tf_clock(char *out, size_t cap, unsigned long long ns, bool usec)
{
	time_t s = (time_t)(ns / 1000000000ull);
	struct tm tm;
	gmtime_r(&s, &tm);
	if (usec)
		snprintf(out, cap, "%02d:%02d:%02d.%06llu", tm.tm_hour, tm.tm_min, tm.tm_sec,
		         ns % 1000000000ull / 1000);
	else
		snprintf(out, cap, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
}
