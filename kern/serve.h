/* The in-kernel transport for servers linked into the kernel (mono);
 * see serve.c. In the user-mode placement (micro) no server registers
 * and every hook here is a loop over nothing. */
#ifndef MICA_SERVE_H
#define MICA_SERVE_H

#include "mica/server.h"
#include "task.h"

struct kserver;

/* A server in task t (TASK_KERNEL): made at boot, then bound to the
 * endpoint its srv->ep names in t's handle table. */
struct kserver *kserve_new(struct task *t);
int kserve_bind(struct kserver *ks, struct server *srv);
struct kserver *kserve_of_task(const struct task *t);
void *kserve_buf(struct kserver *ks); /* its host_buf */
void kserve_tls_init(void);           /* the C library's thread-locals, once */

/* A user thread's call or send to a served endpoint (from do_send). */
long kserve_send(struct endpoint *ep, struct msg *msg);
/* cur's page fault (ipc_fault_call) to a pager inside the kernel: 0. */
long kserve_fault(struct endpoint *ep, struct msg *msg);
/* One server in the kernel calling another (host_call), lending w (its
 * own memory; len 0: none) as the call's window. */
struct kwindow {
	void *at;
	size_t len;
	bool writable;
};
long kserve_call(struct kserver *from, struct endpoint *ep, struct msg *msg, struct srv_rep *rep,
                 const struct kwindow *w);
/* Delivers the kernel's messages waiting for served endpoints. Call it
 * where tasks may have died (exit, kill, faults), outside handlers. */
void kserve_flush(void);
void kserve_note_mail(void); /* a kernel message waits on a served endpoint */
/* A notification bound to a server in the kernel was signalled. */
bool kserve_notify(struct ntfn *n);
int kserve_bind_ntfn(struct ntfn *n); /* SYS_NTFN_BIND by the acting server */

#endif
