/* Synchronous IPC through endpoints, and notifications. See
 * docs/syscalls.md for the contract; lib/mica/abi.h for the layout. */
#ifndef MICA_IPC_H
#define MICA_IPC_H

#include "task.h"

#define MAX_ENDPOINTS     128
#define MAX_NTFNS         128
#define NTFN_TIMER_MAX_US (3600ull * 1000000) /* an hour */

long sys_call(long ep, uint64_t tag, uint64_t m0, uint64_t m1, uint64_t m2, uint64_t m3,
              uint64_t win);
long sys_send(long ep, uint64_t tag, uint64_t m0, uint64_t m1, uint64_t m2, uint64_t m3);
long sys_recv(long ep, long timeout_us);
long sys_reply(uint64_t token, uint64_t tag, uint64_t m0, uint64_t m1, uint64_t m2, uint64_t m3);
long sys_reply_recv(long ep, uint64_t token, uint64_t tag, uint64_t m0, uint64_t m1, uint64_t m2,
                    uint64_t m3);
long sys_signal(long ntfn, uint64_t bits);
long sys_wait(long ntfn, long timeout_us);
long sys_ntfn_bind(long ntfn);
long sys_ntfn_timer(long ntfn, uint64_t bits, uint64_t period_us);
/* The timer tick: signals the notifications whose period has come. */
void ntfn_tick(uint64_t now);
long sys_ep_create(void);
long sys_ntfn_create(void);
long sys_ipc_buffer(uint64_t va);
long sys_window_copy(uint64_t token, uint64_t off, uint64_t va, uint64_t len, uint64_t dir);

/* Copies len bytes between srv's memory at va and offset off of the
 * window of cl, a caller waiting for srv (the caller checks that): len,
 * or -EFAULT (outside the window, or memory that refuses), -EPERM
 * (writing a read-only window), -EINVAL (dir). */
long ipc_window_copy(struct task *srv, struct thread *cl, uint64_t off, uint64_t va, uint64_t len,
                     uint64_t dir);

uint64_t ipc_pool_free(bool eps); /* free endpoints (true) or notifications */
/* Copies the handle a tag names from src's table into dst's; the tag as
 * the receiver sees it (TAG_HANDLE cleared if that failed). */
uint64_t ipc_move_handle(uint64_t tag, struct task *src, struct task *dst);
/* Removes a thread from the endpoint queue it waits on. */
void ipc_unqueue(struct thread *th);
/* A thread waiting in SYS_WAIT gives up (timeout or death). */
void ntfn_cancel_wait(struct thread *th);
/* ORs bits into n and wakes its waiter (used by IRQ forwarding too). */
void ntfn_signal(struct ntfn *n, uint64_t bits);
/* Queues a kernel message (exit/fault) carried by a dead thread; the
 * carrier holds the task's reference on ep until delivery. */
/* me faulted in a pager zone: the fault goes to its task's supervisor as
 * a call (MSG_TASK_PAGEFAULT) and me waits in TS_PAGER. 0, or -EFAULT
 * when there is no pager (the caller kills the task). */
long ipc_fault_call(struct thread *me, uint64_t scause, uint64_t va);
/* me (cur) calls ep on the kernel's behalf with me->msg (a page fault,
 * a trace report) and waits in TS_PAGER: the reply leaves its registers
 * alone. cur has changed on return. */
void ipc_kernel_call(struct thread *me, struct endpoint *ep);
/* The pager answered cl's fault: true if cl runs again (the caller makes
 * it ready), false if the answer was fatal and its task is gone. */
bool ipc_fault_resume(struct thread *cl, long result);
void ipc_send_carrier(struct thread *carrier, struct endpoint *ep, uint64_t badge, uint64_t label,
                      const uint64_t m[4]);

#endif
