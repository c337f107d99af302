/* trace's decoder: one system call, as the kernel's reports show it
 * (struct trace_regs at entry and at exit, and bytes of the thread's
 * memory), written as strace writes it: the POSIX call a user knows,
 * open("/etc/passwd", O_RDONLY) = 3, from the server request it made.
 * No system calls here: the memory comes through a callback, so the
 * unit tests feed it. */
#ifndef USER_LIB_TRACEFMT_H
#define USER_LIB_TRACEFMT_H

#include <stdbool.h>
#include <stddef.h>

#include "mica/abi.h"

#define TF_STRMAX 32   /* bytes of data shown, then "..." (strace -s 32) */
#define TF_CAP    1024 /* bytes of its memory kept per call (paths, exec's block) */
#define TF_LINE   8192 /* a line, at most */

/* Reads len bytes of the traced thread's memory at addr into buf: the
 * count read, or < 0. */
typedef long (*tf_read_fn)(void *ctx, unsigned long addr, void *buf, size_t len);

/* One call: what its entry showed, and its exit once known. */
struct tf_call {
	struct trace_regs in, out;
	bool done;                      /* out is known */
	int con_fd;                     /* a console request: the descriptor fs redirected, or -1 */
	size_t len, rlen;               /* bytes kept in data and rdata */
	unsigned char data[TF_CAP + 1]; /* at entry: its payload, exec's block, a write's data */
	unsigned char rdata[TF_CAP + 1]; /* at exit: the reply's payload, a read's data */
};

/* The call's line as strace writes it (without the newline): text[0,
 * split) is known at entry ("read(3, "), the rest at exit. */
struct tf_text {
	char s[TF_LINE];
	size_t split;
	const char *name; /* "read", for "<... read resumed>" */
};

/* At the entry report: keeps r and what the call's memory says. */
void tf_enter(struct tf_call *c, const struct trace_regs *r, tf_read_fn rd, void *ctx);
/* At the exit report. */
void tf_leave(struct tf_call *c, const struct trace_regs *r, tf_read_fn rd, void *ctx);
/* Writes the line; without the exit, the part known at entry. */
void tf_format(const struct tf_call *c, struct tf_text *t);

/* What the tracer must know of a call besides its line. */
bool tf_redirected(const struct tf_call *c);    /* fs said "the console": no line yet */
bool tf_is_console_io(const struct tf_call *c); /* CON_READ or CON_WRITE */
bool tf_no_return(const struct tf_call *c);     /* exit: its line ends "= ?" at entry */
bool tf_is_exec(const struct tf_call *c);       /* execve: a success never returns */
long tf_fork_child(const struct tf_call *c);    /* a fork's child pid, or 0 */
/* The status an exiting call gives (its line ends in "= ?"), or -1. */
long tf_exit_status(const struct tf_call *c);

/* The name of system call nr ("ipc_call", "nanosleep"), for a call whose
 * entry the tracer did not see. */
const char *tf_syscall_name(unsigned long nr);
/* "ENOENT", "No such file or directory" for a Linux errno; NULL if unknown. */
const char *tf_errno_name(long e);
const char *tf_errno_text(long e);
/* "SIGTERM" for a Linux signal number; NULL if unknown. */
const char *tf_signal_name(long sig);
/* s (n bytes) quoted and escaped as strace does, cut after max bytes
 * with "..." (more: there was more than n). The length written. */
size_t tf_quote(char *out, size_t cap, const void *s, size_t n, size_t max, bool more);
/* "HH:MM:SS" (usec < 0) or "HH:MM:SS.uuuuuu" of ns since the epoch, UTC. */
void tf_clock(char *out, size_t cap, unsigned long long ns, bool usec);

#endif
