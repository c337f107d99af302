/* System-call tracing (trace.c): the mechanism behind strace-like
 * tools. Who may trace whom is pm's policy; the kernel knows only that
 * a task's system calls are reported to an endpoint. */
#ifndef MICA_TRACE_H
#define MICA_TRACE_H

#include "task.h"

long sys_trace(long task, uint64_t op, long arg, uint64_t badge);
long sys_trace_read(uint64_t token, uint64_t src, uint64_t dst, uint64_t len);
/* th, traced, makes a system call: true if it runs now; false if th
 * waits for its tracer (and then makes it again: cur has changed). */
bool trace_syscall_entry(struct thread *th);
/* th, traced, is about to run user code: true if it may; false if it
 * waits for its tracer (cur has changed). */
bool trace_user_return(struct thread *th);
/* Whether th waits for its tracer (ps shows 't', Linux's tracing stop). */
bool trace_is_stopped(const struct thread *th);
/* t dies: its tracer's endpoint is let go. */
void trace_release(struct task *t);

#endif
