/* trace's decoder for pm's requests (mica/proto/pm.h: processes,
 * memory, signals) and the console's (mica/proto/con.h). Long because
 * it is a decoder: a case of a few lines per request. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "mica/execargs.h"
#include "mica/proto/con.h"
#include "mica/proto/pm.h"
#include "tracedec.h"

/* "[{WIFEXITED(s) && WEXITSTATUS(s) == 0}]" */
static void wait_status(struct out *o, long st)
{
	int sig = (int)(st & 0x7F);
	if (st == W_CONTINUED)
		td_put(o, "[{WIFCONTINUED(s)}]");
	else if (sig == 0x7F && tf_signal_name((st >> 8) & 0xFF))
		td_put(o, "[{WIFSTOPPED(s) && WSTOPSIG(s) == %s}]",
		       tf_signal_name((st >> 8) & 0xFF));
	else if (!sig)
		td_put(o, "[{WIFEXITED(s) && WEXITSTATUS(s) == %ld}]", (st >> 8) & 0xFF);
	else if (tf_signal_name(sig))
		td_put(o, "[{WIFSIGNALED(s) && WTERMSIG(s) == %s%s}]", tf_signal_name(sig),
		       st & 0x80 ? " && WCOREDUMP(s)" : "");
	else
		td_put(o, "[%#lx]", st);
}

/* RLIMIT_* names by number, as strace prints them. */
static const char *const rlimits[] = {
    "RLIMIT_CPU",      "RLIMIT_FSIZE", "RLIMIT_DATA",   "RLIMIT_STACK",
    "RLIMIT_CORE",     "RLIMIT_RSS",   "RLIMIT_NPROC",  "RLIMIT_NOFILE",
    "RLIMIT_MEMLOCK",  "RLIMIT_AS",    "RLIMIT_LOCKS",  "RLIMIT_SIGPENDING",
    "RLIMIT_MSGQUEUE", "RLIMIT_NICE",  "RLIMIT_RTPRIO", "RLIMIT_RTTIME"};

static void rlim_value(struct out *o, unsigned long v)
{
	if (v == ~0ul)
		td_put(o, "RLIM64_INFINITY");
	else
		td_put(o, "%lu", v);
}

/* "getrlimit(RLIMIT_NOFILE, {rlim_cur=256, rlim_max=256}) = 0" */
static void rlimit_call(struct out *o, const struct tf_call *c, long r)
{
	bool set = M(c, 1) != 0;
	unsigned long res = M(c, 0), cur = set ? M(c, 2) : RM(c, 0), max = set ? M(c, 3) : RM(c, 1);
	td_start(o, set ? "setrlimit" : "getrlimit");
	td_sep(o);
	if (res < sizeof(rlimits) / sizeof(rlimits[0]))
		td_put(o, "%s", rlimits[res]);
	else
		td_put(o, "%#lx /* RLIMIT_??? */", res);
	if (set)
		td_sep(o);
	else
		td_xsep(o); /* asked: the limits come with the answer */
	if (set || r >= 0) {
		td_put(o, "{rlim_cur=");
		rlim_value(o, cur);
		td_put(o, ", rlim_max=");
		rlim_value(o, max);
		td_put(o, "}");
	} else {
		td_ptr(o, 0);
	}
	td_ret(o, r, false);
}

static void signal_arg(struct out *o, long sig)
{
	td_sep(o);
	if (tf_signal_name(sig))
		td_put(o, "%s", tf_signal_name(sig));
	else
		td_put(o, "%ld", sig);
}

static const struct flag wait_flags[] = {
    {PM_WNOHANG, "WNOHANG"}, {PM_WUNTRACED, "WUNTRACED"}, {PM_WCONTINUED, "WCONTINUED"}, {0, NULL}};

/* A signal set as strace shows one: [INT TERM], or ~[KILL STOP] for
 * all but those. */
static void sigset_arg(struct out *o, unsigned long set)
{
	if (__builtin_popcountl(set) > 32) {
		td_put(o, "~");
		set = ~set;
	}
	td_put(o, "[");
	for (int sig = 1, n = 0; sig <= 64; sig++)
		if (set & PM_SIGBIT(sig)) {
			const char *name = tf_signal_name(sig);
			if (name)
				td_put(o, "%s%s", n++ ? " " : "", name + 3);
			else
				td_put(o, "%s%d", n++ ? " " : "", sig);
		}
	td_put(o, "]");
}

/* The signal pm hands the runtime's upcall: strace's "--- SIGINT {...} ---". */
static void delivered(struct out *o, const struct tf_call *c, long sig)
{
	static const struct {
		long code;
		const char *name;
	} codes[] = {{PM_SI_USER, "SI_USER"},         {PM_SI_KERNEL, "SI_KERNEL"},
	             {PM_SI_TIMER, "SI_TIMER"},       {PM_CLD_EXITED, "CLD_EXITED"},
	             {PM_CLD_KILLED, "CLD_KILLED"},   {PM_CLD_DUMPED, "CLD_DUMPED"},
	             {PM_CLD_STOPPED, "CLD_STOPPED"}, {PM_CLD_CONTINUED, "CLD_CONTINUED"}};
	long code = (long)(int32_t)RM(c, 2);
	const char *cname = NULL;
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (codes[i].code == code && (sig == MSIG_CHLD) == (code > 0 && code < 0x80))
			cname = codes[i].name;
	o->t->name = "signal";
	o->t->split = 0;
	o->pos = 0;
	o->stop = false;
	td_put(o, "--- %s {si_signo=%s, si_code=", tf_signal_name(sig), tf_signal_name(sig));
	if (cname)
		td_put(o, "%s", cname);
	else
		td_put(o, "%ld", code);
	td_put(o, ", si_pid=%lu, si_uid=%lu", RM(c, 1) & 0xFFFFFFFF, RM(c, 1) >> 32);
	if (sig == MSIG_CHLD)
		td_put(o, ", si_status=%ld", (long)(int32_t)(RM(c, 2) >> 32));
	td_put(o, "} ---");
	o->split = true;
}

static void signal_calls(struct out *o, const struct tf_call *c, long r)
{
	static const char *const hows[] = {"SIG_BLOCK", "SIG_UNBLOCK", "SIG_SETMASK"};
	switch (td_op(c)) {
	case PM_SIGACTION: {
		static const struct flag sa[] = {{PM_SA_NODEFER, "SA_NODEFER"},
		                                 {PM_SA_RESETHAND, "SA_RESETHAND"},
		                                 {PM_SA_NOCLDSTOP, "SA_NOCLDSTOP"},
		                                 {0, NULL}};
		static const char *const disp[] = {"SIG_DFL", "SIG_IGN", "handler"};
		td_start(o, "rt_sigaction");
		signal_arg(o, (long)M(c, 0));
		td_sep(o);
		if (!M(c, 0)) { /* a question: the sets come back */
			td_put(o, "NULL, NULL");
			return td_ret(o, r, false);
		}
		td_put(o, "{sa_handler=%s, sa_mask=",
		       (M(c, 1) & 0xFF) < 3 ? disp[M(c, 1) & 0xFF] : "?");
		sigset_arg(o, M(c, 2));
		td_put(o, ", sa_flags=");
		td_flags(o, M(c, 1) >> 8, sa, "0");
		td_put(o, "}, NULL");
		return td_ret(o, r, false);
	}
	case PM_SIGMASK:
		td_start(o, "rt_sigprocmask");
		td_sep(o);
		if (M(c, 0) < 3) {
			td_put(o, "%s, ", hows[M(c, 0)]);
			sigset_arg(o, M(c, 1));
		} else {
			td_put(o, "SIG_BLOCK, NULL");
		}
		td_xsep(o);
		if (r >= 0)
			sigset_arg(o, RM(c, 0));
		else
			td_put(o, "NULL");
		return td_ret(o, r, false);
	case PM_SIGPENDING:
		td_start(o, "rt_sigpending");
		td_xsep(o);
		if (r >= 0)
			sigset_arg(o, RM(c, 0));
		else
			td_put(o, "NULL");
		return td_ret(o, r, false);
	case PM_SIGSUSPEND:
		if (M(c, 1)) {
			td_start(o, "pause");
		} else {
			td_start(o, "rt_sigsuspend");
			td_sep(o);
			sigset_arg(o, M(c, 0));
		}
		return td_ret(o, r, false);
	case PM_ALARM:
		if (M(c, 0) % 1000000 == 0 && !M(c, 1)) {
			td_start(o, "alarm");
			td_sep(o);
			td_put(o, "%lu", M(c, 0) / 1000000);
			return td_ret(o, r < 0 ? r : (long)(RM(c, 0) + 999999) / 1000000, false);
		}
		td_start(o, "setitimer");
		td_sep(o);
		td_put(o,
		       "ITIMER_REAL, {it_interval={tv_sec=%lu, tv_usec=%lu}, it_value={tv_sec=%lu, "
		       "tv_usec=%lu}}",
		       M(c, 1) / 1000000, M(c, 1) % 1000000, M(c, 0) / 1000000, M(c, 0) % 1000000);
		td_xsep(o);
		if (r >= 0)
			td_put(o,
			       "{it_interval={tv_sec=%lu, tv_usec=%lu}, it_value={tv_sec=%lu, "
			       "tv_usec=%lu}}",
			       RM(c, 1) / 1000000, RM(c, 1) % 1000000, RM(c, 0) / 1000000,
			       RM(c, 0) % 1000000);
		else
			td_put(o, "NULL");
		return td_ret(o, r, false);
	case PM_SIGTAKE:
		if (c->done && r > 0 && tf_signal_name(r))
			return delivered(o, c, r);
		td_start(o, "rt_sigtake");
		return td_ret(o, r, false);
	}
	td_generic(o, c, "pm");
}

/* execve("/bin/ls", ["ls", "/"], [N vars]) from the block (strace comments the count). */
static void exec_args(struct out *o, const struct tf_call *c)
{
	struct execargs_hdr h;
	td_sep(o);
	if (c->len < sizeof(h)) {
		td_put(o, "%#lx", c->in.ipc_buf);
		return;
	}
	memcpy(&h, c->data, sizeof(h));
	size_t at = td_path(o, c->data, c->len, sizeof(h));
	td_sep(o);
	td_put(o, "[");
	for (uint32_t i = 0; i < h.argc; i++) {
		if (at >= c->len) {
			td_put(o, "%s...", i ? ", " : "");
			break;
		}
		size_t n = strnlen((const char *)c->data + at, c->len - at);
		td_put(o, "%s", i ? ", " : "");
		td_quote(o, c->data + at, n, TF_STRMAX, at + n >= c->len);
		at += n + 1;
	}
	td_put(o, "]");
	td_sep(o);
	td_put(o, "[/* %u vars */]", (unsigned)h.envc);
}

static const struct flag prot_flags[] = {
    {1, "PROT_READ"}, {2, "PROT_WRITE"}, {4, "PROT_EXEC"}, {0, NULL}};

static const struct flag map_flags[] = {{0x01, "MAP_SHARED"},
                                        {0x02, "MAP_PRIVATE"},
                                        {0x10, "MAP_FIXED"},
                                        {0x20, "MAP_ANONYMOUS"},
                                        {0x4000, "MAP_NORESERVE"},
                                        {0x8000, "MAP_POPULATE"},
                                        {0, NULL}};

static void mmap_call(struct out *o, const struct tf_call *c)
{
	unsigned long a = M(c, 2);
	td_start(o, "mmap");
	td_sep(o);
	td_ptr(o, M(c, 0));
	td_sep(o);
	td_put(o, "%lu", M(c, 1));
	td_sep(o);
	td_flags(o, a & 0xFF, prot_flags, "PROT_NONE");
	td_sep(o);
	td_flags(o, (a >> 8) & 0xFFFFFF, map_flags, "0");
	td_fd(o, (long)(a >> 32) - 1);
	td_sep(o);
	td_put(o, "%#lx", M(c, 3));
	td_ret(o, td_result_m0(c), td_result_m0(c) >= 0);
}

static void range_call(struct out *o, const struct tf_call *c, const char *name)
{
	td_start(o, name);
	td_sep(o);
	td_ptr(o, M(c, 0));
	td_sep(o);
	td_put(o, "%lu", M(c, 1));
}

void td_pm(struct out *o, const struct tf_call *c)
{
	long r = td_result(c);
	switch (td_op(c)) {
	case PM_GETPID:
		td_start(o, "getpid");
		return td_ret(o, r, false);
	case PM_EXIT:
		td_start(o, "exit_group");
		td_sep(o);
		td_put(o, "%ld", (long)(int)M(c, 0));
		return td_no_return(o);
	case PM_FORK:
		td_start(o, "fork");
		return td_ret(o, r, false);
	case PM_EXEC:
		td_start(o, "execve");
		exec_args(o, c);
		return td_ret(o, r, false);
	case PM_WAIT:
		td_start(o, "wait4");
		td_sep(o);
		td_put(o, "%ld", (long)(int)M(c, 0));
		td_xsep(o);
		if (r > 0)
			wait_status(o, (long)RM(c, 0));
		else
			td_put(o, "NULL");
		td_put(o, ", ");
		td_flags(o, M(c, 1), wait_flags, "0");
		td_put(o, ", NULL");
		return td_ret(o, r, false);
	case PM_KILL:
		td_start(o, "kill");
		td_sep(o);
		td_put(o, "%ld", (long)(int)M(c, 0));
		signal_arg(o, (long)M(c, 1));
		return td_ret(o, r, false);
	case PM_SETPGID:
		td_start(o, "setpgid");
		td_sep(o);
		td_put(o, "%ld, %ld", (long)M(c, 0), (long)M(c, 1));
		return td_ret(o, r, false);
	case PM_BRK:
		td_start(o, "brk");
		td_sep(o);
		td_ptr(o, M(c, 0));
		return td_ret(o, (long)c->out.a[0] < 0 ? (long)c->out.a[0] : (long)RM(c, 0), true);
	case PM_SETSID:
		td_start(o, "setsid");
		return td_ret(o, r, false);
	case PM_SETID:
		td_start(o, M(c, 0) == PM_ID_GID ? "setgid" : "setuid");
		td_sep(o);
		td_put(o, "%ld", (long)M(c, 1));
		return td_ret(o, r, false);
	case PM_SIGACTION:
	case PM_SIGMASK:
	case PM_SIGPENDING:
	case PM_SIGSUSPEND:
	case PM_ALARM:
	case PM_SIGTAKE:
		return signal_calls(o, c, r);
	case PM_NICE:
		td_start(o, M(c, 1) ? "setpriority" : "getpriority");
		td_sep(o);
		td_put(o, "%s, %ld",
		       M(c, 3) == PM_PRIO_PGRP   ? "PRIO_PGRP"
		       : M(c, 3) == PM_PRIO_USER ? "PRIO_USER"
		                                 : "PRIO_PROCESS",
		       (long)M(c, 0));
		if (M(c, 1)) {
			td_sep(o);
			td_put(o, "%ld", (long)M(c, 2));
		}
		return td_ret(o, M(c, 1) || r < 0 ? r : 20 - (long)RM(c, 0), false);
	case PM_TIMES:
		td_start(o, "times");
		td_xsep(o);
		td_put(o, r < 0 ? "%#lx" : "{tms_cutime=%lu}",
		       r < 0 ? 0ul : (unsigned long)RM(c, 0) / 10000);
		return td_ret(o, r, false);
	case PM_MMAP:
		return mmap_call(o, c);
	case PM_MUNMAP:
		range_call(o, c, "munmap");
		return td_ret(o, r, false);
	case PM_MPROTECT:
		range_call(o, c, "mprotect");
		td_sep(o);
		td_flags(o, M(c, 2), prot_flags, "PROT_NONE");
		return td_ret(o, r, false);
	case PM_MSYNC:
	case PM_MADVISE:
		range_call(o, c, td_op(c) == PM_MSYNC ? "msync" : "madvise");
		td_sep(o);
		td_put(o, "%lu", M(c, 2));
		return td_ret(o, r, false);
	case PM_SHMGET:
		td_start(o, "shmget");
		td_sep(o);
		td_put(o, "%ld, %lu, %#lo", (long)M(c, 0), M(c, 1), M(c, 2));
		return td_ret(o, r, false);
	case PM_SHMAT:
		td_start(o, "shmat");
		td_sep(o);
		td_put(o, "%ld", (long)M(c, 0));
		td_sep(o);
		td_ptr(o, M(c, 1));
		td_sep(o);
		td_put(o, "%#lo", M(c, 2));
		return td_ret(o, td_result_m0(c), td_result_m0(c) >= 0);
	case PM_SHMDT:
		td_start(o, "shmdt");
		td_sep(o);
		td_ptr(o, M(c, 0));
		return td_ret(o, r, false);
	case PM_SHMCTL:
		td_start(o, "shmctl");
		td_sep(o);
		td_put(o, "%ld, %ld", (long)M(c, 0), (long)M(c, 1));
		return td_ret(o, r, false);
	case PM_POWEROFF:
		td_start(o, "reboot");
		td_sep(o);
		td_put(o, "LINUX_REBOOT_CMD_POWER_OFF");
		return td_ret(o, r, false);
	case PM_RLIMIT:
		return rlimit_call(o, c, r);
	case PM_TRACE:
		td_start(o, "ptrace");
		td_sep(o);
		td_put(o, "PTRACE_SEIZE, %ld", (long)M(c, 0));
		return td_ret(o, r, false);
	default:
		break;
	}
	td_generic(o, c, "pm");
}

void td_con(struct out *o, const struct tf_call *c)
{
	long r = td_result(c);
	switch (td_op(c)) {
	case CON_WRITE:
	case CON_READ:
		return td_rw(o, c, td_op(c) == CON_READ,
		             c->con_fd >= 0         ? c->con_fd
		             : td_op(c) == CON_READ ? 0
		                                    : 1);
	case CON_SETFG:
		td_start(o, "tcsetpgrp");
		td_sep(o);
		td_put(o, "%ld", (long)M(c, 0));
		return td_ret(o, r, false);
	case CON_GETATTR:
	case CON_SETATTR:
	case CON_SETMODE: {
		static const struct flag lflags[] = {
		    {CON_F_CANON, "ICANON"}, {CON_F_ECHO, "ECHO"}, {CON_F_ISIG, "ISIG"}, {0, NULL}};
		bool get = td_op(c) == CON_GETATTR;
		unsigned long f = td_op(c) == CON_SETMODE
		                      ? (M(c, 0) == CON_MODE_RAW ? 0 : CON_F_ALL)
		                  : get ? RM(c, 0)
		                        : M(c, 0);
		td_start(o, get ? "tcgetattr" : "tcsetattr");
		get ? td_xsep(o) : td_sep(o);
		if (get && r < 0) {
			td_put(o, "%#lx", c->in.ipc_buf);
		} else {
			td_put(o, "{c_lflag=");
			td_flags(o, f, lflags, "0");
			td_put(o, "}");
		}
		return td_ret(o, r, false);
	}
	case CON_SETWINSZ:
		td_start(o, "ioctl");
		td_sep(o);
		td_put(o, "TIOCSWINSZ, {ws_row=%lu, ws_col=%lu}", M(c, 0), M(c, 1));
		return td_ret(o, r, false);
	default:
		td_generic(o, c, "console");
	}
}
