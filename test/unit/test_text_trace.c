/* trace's decoder (user/lib/tracefmt.c): the kernel's report of a call
 * (registers at entry and exit, bytes of the thread's memory) in, the
 * line strace would print out. Memory comes from a fake address space. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "../../user/lib/tracefmt.h"
#include "mica/execargs.h"
#include "mica/proto/con.h"
#include "mica/proto/fs.h"
#include "mica/proto/pm.h"

#define IPCBUF 0x3f00000000ul
#define BUF    0x20000ul

/* The traced thread's memory: its IPC buffer and one other buffer. */
static unsigned char ipcbuf[IPC_MAX], buf[8192];

static long fake_read(void *ctx, unsigned long addr, void *dst, size_t len)
{
	(void)ctx;
	if (addr >= IPCBUF && addr + len <= IPCBUF + sizeof(ipcbuf)) {
		memcpy(dst, ipcbuf + (addr - IPCBUF), len);
		return (long)len;
	}
	if (addr >= BUF && addr + len <= BUF + sizeof(buf)) {
		memcpy(dst, buf + (addr - BUF), len);
		return (long)len;
	}
	return -14;
}

static struct tf_call call;
static struct tf_text text;

/* A request to a server: slot, tag, m0..m3, window. */
static struct trace_regs req(unsigned long slot, unsigned long tag, unsigned long m0,
                             unsigned long m1, unsigned long m2, unsigned long m3,
                             unsigned long win)
{
	return (struct trace_regs){
	    .nr = SYS_CALL, .a = {slot, tag, m0, m1, m2, m3, win, SYS_CALL}, .ipc_buf = IPCBUF};
}

/* The reply: status, tag (result and payload length), m0, m1. */
static struct trace_regs rep(long status, unsigned long tag, unsigned long m0, unsigned long m1)
{
	return (struct trace_regs){
	    .nr = SYS_CALL, .a = {(unsigned long)status, tag, m0, m1}, .ipc_buf = IPCBUF};
}

static const char *line_of(struct trace_regs in, struct trace_regs out)
{
	tf_enter(&call, &in, fake_read, NULL);
	tf_leave(&call, &out, fake_read, NULL);
	tf_format(&call, &text);
	return text.s;
}

static void set_path(const char *p)
{
	memcpy(ipcbuf, p, strlen(p) + 1);
}

Test(tracefmt, open_shows_path_flags_and_fd)
{
	set_path("/etc/passwd");
	cr_assert_str_eq(line_of(req(SLOT_FS, MAKE_TAG(FS_OPEN, 12), FS_O_RDONLY, 0, 0, 0, 0),
	                         rep(0, PROTO_TAG(3, 0), 0, 0)),
	                 "open(\"/etc/passwd\", O_RDONLY) = 3");
	set_path("new");
	cr_assert_str_eq(line_of(req(SLOT_FS, MAKE_TAG(FS_OPEN, 4),
	                             FS_O_WRONLY | FS_O_CREAT | FS_O_TRUNC, 0644, 0, 0, 0),
	                         rep(0, PROTO_TAG(4, 0), 0, 0)),
	                 "open(\"new\", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 4");
	set_path("d");
	cr_assert_str_eq(
	    line_of(req(SLOT_FS, MAKE_TAG(FS_OPEN, 2), FS_O_RDONLY | FS_O_CLOEXEC, 0, 0, 3 + 1, 0),
	            rep(0, PROTO_TAG(5, 0), 0, 0)),
	    "openat(3, \"d\", O_RDONLY|O_CLOEXEC) = 5");
}

Test(tracefmt, errors_are_minus_one_with_name_and_text)
{
	set_path("/nonexistent");
	cr_assert_str_eq(
	    line_of(req(SLOT_FS, MAKE_TAG(FS_OPEN, 13), FS_O_RDONLY, 0, 0, 0, 0),
	            rep(0, PROTO_TAG(-2, 0), 0, 0)),
	    "open(\"/nonexistent\", O_RDONLY) = -1 ENOENT (No such file or directory)");
	/* the call itself failed: the server is gone */
	cr_assert_str_eq(
	    line_of(req(SLOT_FS, MAKE_TAG(FS_CLOSE, 0), 3, 0, 0, 0, 0), rep(-32, 0, 0, 0)),
	    "close(3) = -1 EPIPE (Broken pipe)");
	cr_assert_str_eq(tf_errno_name(36), "ENAMETOOLONG");
	cr_assert_null(tf_errno_name(0));
}

Test(tracefmt, read_through_a_window_shows_32_bytes_and_the_count)
{
	const char *data = "root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000::/home:/bin/sh\n";
	memcpy(buf, data, strlen(data));
	cr_assert_str_eq(
	    line_of(req(SLOT_FS, MAKE_TAG(FS_READ, 0), 3, 4096, 0, 0, MAKE_WIN(BUF, 4096, 1)),
	            rep(0, PROTO_TAG(0, 0), strlen(data), 0)),
	    "read(3, \"root:x:0:0:root:/root:/bin/sh\\nus\"..., 4096) = 62");
	cr_assert_str_eq(
	    line_of(req(SLOT_FS, MAKE_TAG(FS_READ, 0), 3, 4096, 0, 0, MAKE_WIN(BUF, 4096, 1)),
	            rep(0, PROTO_TAG(0, 0), 0, 0)),
	    "read(3, \"\", 4096) = 0");
}

Test(tracefmt, read_as_payload)
{
	memcpy(ipcbuf, "hello", 5);
	cr_assert_str_eq(line_of(req(SLOT_FS, MAKE_TAG(FS_READ, 0), 0, 100, 0, 0, 0),
	                         rep(0, PROTO_TAG(5, 5), 0, 0)),
	                 "read(0, \"hello\", 100) = 5");
	cr_assert_str_eq(line_of(req(SLOT_FS, MAKE_TAG(FS_READ, 0), 9, 100, 0, 0, 0),
	                         rep(0, PROTO_TAG(-9, 0), 0, 0)),
	                 "read(9, 0x3f00000000, 100) = -1 EBADF (Bad file descriptor)");
}

Test(tracefmt, a_write_fs_redirects_ends_at_the_console)
{
	memcpy(ipcbuf, "hello\n", 6);
	line_of(req(SLOT_FS, MAKE_TAG(FS_WRITE, 6), 1, 0, 0, 0, 0),
	        rep(0, PROTO_TAG(FS_REDIRECT, 0), 0, 0));
	cr_assert(tf_redirected(&call));
	struct trace_regs in = req(SLOT_CONSOLE, MAKE_TAG(CON_WRITE, 6), 0, 0, 0, 0, 0),
	                  out = rep(0, PROTO_TAG(6, 0), 0, 0);
	tf_enter(&call, &in, fake_read, NULL);
	call.con_fd = 1;
	cr_assert(tf_is_console_io(&call));
	tf_leave(&call, &out, fake_read, NULL);
	tf_format(&call, &text);
	cr_assert_str_eq(text.s, "write(1, \"hello\\n\", 6) = 6");
	cr_assert(!tf_redirected(&call));
}

Test(tracefmt, a_write_through_a_window_shows_its_data)
{
	memcpy(buf, "0123456789", 10);
	cr_assert_str_eq(
	    line_of(req(SLOT_FS, MAKE_TAG(FS_WRITE, 0), 4, 10, 0, 0, MAKE_WIN(BUF, 10, 0)),
	            rep(0, PROTO_TAG(0, 0), 10, 0)),
	    "write(4, \"0123456789\", 10) = 10");
}

Test(tracefmt, entry_part_ends_before_the_first_result_argument)
{
	struct trace_regs in = req(SLOT_FS, MAKE_TAG(FS_READ, 0), 0, 4096, 0, 0, 0);
	tf_enter(&call, &in, fake_read, NULL);
	tf_format(&call, &text);
	cr_assert_str_eq(text.s, "read(0, ");
	cr_assert_str_eq(text.name, "read");
	memcpy(ipcbuf, "ls\n", 3);
	struct trace_regs out = rep(0, PROTO_TAG(3, 3), 0, 0);
	tf_leave(&call, &out, fake_read, NULL);
	tf_format(&call, &text);
	cr_assert_str_eq(text.s + text.split, "\"ls\\n\", 4096) = 3");
	cr_assert_eq(text.split, strlen("read(0, "));
	/* all arguments known at entry: the split is before ")" */
	set_path("/tmp");
	line_of(req(SLOT_FS, MAKE_TAG(FS_CHDIR, 5), 0, 0, 0, 0, 0), rep(0, 0, 0, 0));
	cr_assert_str_eq(text.s, "chdir(\"/tmp\") = 0");
	cr_assert_str_eq(text.s + text.split, ") = 0");
}

Test(tracefmt, process_calls)
{
	cr_assert_str_eq(line_of(req(SLOT_PM, MAKE_TAG(PM_FORK, 0), 0, 0, 0, 0, 0),
	                         rep(0, PROTO_TAG(42, 0), 0, 0)),
	                 "fork() = 42");
	cr_assert_eq(tf_fork_child(&call), 42);
	cr_assert_str_eq(line_of(req(SLOT_PM, MAKE_TAG(PM_WAIT, 0), (unsigned long)-1, 0, 0, 0, 0),
	                         rep(0, PROTO_TAG(42, 0), W_EXITCODE(3), 0)),
	                 "wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = 42");
	cr_assert_str_eq(
	    line_of(req(SLOT_PM, MAKE_TAG(PM_WAIT, 0), 7, PM_WNOHANG, 0, 0, 0),
	            rep(0, PROTO_TAG(7, 0), W_SIGNALED(15), 0)),
	    "wait4(7, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGTERM}], WNOHANG, NULL) = 7");
	cr_assert_str_eq(line_of(req(SLOT_PM, MAKE_TAG(PM_KILL, 0), 7, 9, 0, 0, 0),
	                         rep(0, PROTO_TAG(-3, 0), 0, 0)),
	                 "kill(7, SIGKILL) = -1 ESRCH (No such process)");
	cr_assert_str_eq(line_of(req(SLOT_PM, MAKE_TAG(PM_BRK, 0), 0, 0, 0, 0, 0),
	                         rep(0, PROTO_TAG(0, 0), 0x58000, 0)),
	                 "brk(NULL) = 0x58000");
	cr_assert_str_eq(
	    line_of(req(SLOT_PM, MAKE_TAG(PM_MMAP, 0), 0, 8192, PM_MMAP_ARGS(3, 0x22, -1), 0, 0),
	            rep(0, PROTO_TAG(0, 0), 0x2000000000, 0)),
	    "mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = "
	    "0x2000000000");
}

Test(tracefmt, exit_never_returns)
{
	struct trace_regs in = req(SLOT_PM, MAKE_TAG(PM_EXIT, 0), 1, 0, 0, 0, 0);
	tf_enter(&call, &in, fake_read, NULL);
	tf_format(&call, &text);
	cr_assert_str_eq(text.s, "exit_group(1) = ?");
	cr_assert(tf_no_return(&call));
	cr_assert_eq(tf_exit_status(&call), 1);
	struct trace_regs k = {.nr = SYS_EXIT, .a = {0}};
	tf_enter(&call, &k, fake_read, NULL);
	tf_format(&call, &text);
	cr_assert_str_eq(text.s, "exit_group(0) = ?");
}

Test(tracefmt, execve_shows_path_argv_and_the_environment_count)
{
	static const char strs[] = "/bin/ls\0ls\0-l\0/\0PATH=/bin\0HOME=/";
	struct execargs_hdr h = {3, 2};
	memcpy(ipcbuf, &h, sizeof(h));
	memcpy(ipcbuf + sizeof(h), strs, sizeof(strs));
	cr_assert_str_eq(
	    line_of(req(SLOT_PM, MAKE_TAG(PM_EXEC, sizeof(h) + sizeof(strs)), 0, 0, 0, 0, 0),
	            rep(0, PROTO_TAG(-2, 0), 0, 0)),
	    "execve(\"/bin/ls\", [\"ls\", \"-l\", \"/\"], [/* 2 vars */]) = -1 ENOENT "
	    "(No such file or directory)");
	cr_assert(tf_is_exec(&call));
	/* a block too big for the payload: in the caller's memory */
	memcpy(buf, ipcbuf, sizeof(h) + sizeof(strs));
	cr_assert_str_eq(
	    line_of(req(SLOT_PM, MAKE_TAG(PM_EXEC, 0), BUF, sizeof(h) + sizeof(strs), 0, 0, 0),
	            rep(0, 0, 0, 0)),
	    "execve(\"/bin/ls\", [\"ls\", \"-l\", \"/\"], [/* 2 vars */]) = 0");
}

Test(tracefmt, stat_shows_mode_and_size)
{
	struct fs_stat st = {.mode = 0100644, .size = 1234, .nlink = 1};
	set_path("/etc/passwd");
	struct trace_regs in = req(SLOT_FS, MAKE_TAG(FS_STAT, 12), 0, 0, 0, 0, 0);
	tf_enter(&call, &in, fake_read, NULL);
	memcpy(ipcbuf, &st, sizeof(st));
	struct trace_regs out = rep(0, PROTO_TAG(0, sizeof(st)), 0, 0);
	tf_leave(&call, &out, fake_read, NULL);
	tf_format(&call, &text);
	cr_assert_str_eq(text.s,
	                 "stat(\"/etc/passwd\", {st_mode=S_IFREG|0644, st_size=1234, ...}) = 0");
	st.mode = 041777;
	memcpy(ipcbuf, &st, sizeof(st));
	line_of(req(SLOT_FS, MAKE_TAG(FS_FSTAT, 0), 3, 0, 0, 0, 0),
	        rep(0, PROTO_TAG(0, sizeof(st)), 0, 0));
	cr_assert_str_eq(text.s, "fstat(3, {st_mode=S_IFDIR|S_ISVTX|0777, st_size=1234, ...}) = 0");
}

Test(tracefmt, kernel_calls_and_unknown_requests)
{
	struct trace_regs sl = {.nr = SYS_SLEEP, .a = {1500000}}, ok = {.nr = SYS_SLEEP};
	cr_assert_str_eq(line_of(sl, ok), "nanosleep({tv_sec=1, tv_nsec=500000000}, NULL) = 0");
	struct trace_regs cl = {.nr = SYS_CLOCK, .a = {CLOCK_ID_REALTIME}},
	                  now = {.nr = SYS_CLOCK, .a = {1700000000123456789ul}};
	cr_assert_str_eq(
	    line_of(cl, now),
	    "clock_gettime(CLOCK_REALTIME, {tv_sec=1700000000, tv_nsec=123456789}) = 0");
	struct trace_regs ib = {.nr = SYS_IPC_BUFFER, .a = {IPCBUF}}, zero = {0};
	cr_assert_str_eq(line_of(ib, zero), "ipc_buffer(0x3f00000000) = 0");
	struct trace_regs odd = {.nr = 200, .a = {1, 2, 3, 4, 5, 6}}, nosys = {.a = {-38ul}};
	cr_assert_str_eq(line_of(odd, nosys),
	                 "syscall_200(1, 2, 3, 4, 5, 6) = -1 ENOSYS (Function not implemented)");
	cr_assert_str_eq(line_of(req(SLOT_FS, MAKE_TAG(0x60, 0), 1, 2, 0, 0, 0), rep(0, 0, 0, 0)),
	                 "fs_request_0x60(1, 2, 0, 0) = 0");
	cr_assert_str_eq(line_of(req(SLOT_CONSOLE, MAKE_TAG(CON_SETATTR, 0),
	                             CON_F_CANON | CON_F_ECHO, 0, 0, 0, 0),
	                         rep(0, 0, 0, 0)),
	                 "tcsetattr({c_lflag=ICANON|ECHO}) = 0");
}

Test(tracefmt, strings_are_escaped_and_cut_as_strace_does)
{
	char out[128];
	tf_quote(out, sizeof(out), "a\"b\\c\n\t", 7, 32, false);
	cr_assert_str_eq(out, "\"a\\\"b\\\\c\\n\\t\"");
	tf_quote(out, sizeof(out),
	         "\x01"
	         "1\x01"
	         "a\x7f",
	         5, 32, false);
	cr_assert_str_eq(out, "\"\\0011\\1a\\177\"");
	tf_quote(out, sizeof(out), "abcdef", 6, 3, false);
	cr_assert_str_eq(out, "\"abc\"...");
	tf_quote(out, sizeof(out), "ab", 2, 32, true);
	cr_assert_str_eq(out, "\"ab\"...");
}

Test(tracefmt, times_and_names)
{
	char out[32];
	tf_clock(out, sizeof(out), 3661500000000ull, true);
	cr_assert_str_eq(out, "01:01:01.500000");
	tf_clock(out, sizeof(out), 86399000000000ull, false);
	cr_assert_str_eq(out, "23:59:59");
	cr_assert_str_eq(tf_signal_name(15), "SIGTERM");
	cr_assert_null(tf_signal_name(0));
	cr_assert_str_eq(tf_syscall_name(SYS_CALL), "ipc_call");
	cr_assert_str_eq(tf_syscall_name(SYS_SLEEP), "nanosleep");
}

Test(tracefmt, signals_as_strace_shows_them)
{
	cr_assert_str_eq(line_of(req(SLOT_PM, MAKE_TAG(PM_SIGMASK, 0), PM_SIG_BLOCK,
	                             PM_SIGBIT(2) | PM_SIGBIT(15), 0, 0, 0),
	                         rep(0, 0, 0, 0)),
	                 "rt_sigprocmask(SIG_BLOCK, [INT TERM], []) = 0");
	cr_assert_str_eq(line_of(req(SLOT_PM, MAKE_TAG(PM_SIGMASK, 0), PM_SIG_SETMASK,
	                             ~(PM_SIGBIT(9) | PM_SIGBIT(19)), 0, 0, 0),
	                         rep(0, 0, PM_SIGBIT(10), 0)),
	                 "rt_sigprocmask(SIG_SETMASK, ~[KILL STOP], [USR1]) = 0");
	cr_assert_str_eq(line_of(req(SLOT_PM, MAKE_TAG(PM_SIGACTION, 0), 2,
	                             PM_SA_DISP(2, PM_SA_NODEFER), PM_SIGBIT(15), 0x10000, 0),
	                         rep(0, 0, 0, 0)),
	                 "rt_sigaction(SIGINT, {sa_handler=handler, sa_mask=[TERM], "
	                 "sa_flags=SA_NODEFER}, NULL) = 0");
	cr_assert_str_eq(
	    line_of(req(SLOT_PM, MAKE_TAG(PM_ALARM, 0), 5000000, 0, 0, 0, 0), rep(0, 0, 0, 0)),
	    "alarm(5) = 0");
	/* the upcall takes its signal: strace's delivery line, no call */
	cr_assert_str_eq(line_of(req(SLOT_PM, MAKE_TAG(PM_SIGTAKE, 0), 0, 0, 0, 0, 0),
	                         (struct trace_regs){.nr = SYS_CALL,
	                                             .a = {0, PROTO_TAG(2, 0), 0, 5, PM_SI_USER}}),
	                 "--- SIGINT {si_signo=SIGINT, si_code=SI_USER, si_pid=5, si_uid=0} ---");
	cr_assert_str_eq(
	    line_of(req(SLOT_PM, MAKE_TAG(PM_SIGTAKE, 0), 0, 0, 0, 0, 0),
	            (struct trace_regs){.nr = SYS_CALL,
	                                .a = {0, PROTO_TAG(17, 0), 0, 7 | (1000ul << 32),
	                                      PM_CLD_EXITED | (3ul << 32)}}),
	    "--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=7, si_uid=1000, "
	    "si_status=3} "
	    "---");
	struct trace_regs sr = {.nr = SYS_UPCALL_FRAME, .a = {UPCALL_RESUME, 0x3ffffefc80}},
	                  intr = {.nr = SYS_UPCALL_FRAME, .a = {-4ul}};
	cr_assert_str_eq(line_of(sr, intr),
	                 "rt_sigreturn(0x3ffffefc80) = -1 EINTR (Interrupted system call)");
}
