/* What a server may ask of the system, whichever placement it runs in.
 * A server makes the system calls of mica/syscall.h (tasks, memory,
 * handles, MMIO, IRQs): in a user-mode server they trap; linked into the
 * kernel (mono) they are direct calls, and the pointers it passes are
 * its own (kernel) memory. It does not receive, reply or use an IPC
 * buffer itself: that is the transport's (mica/server.h). To call
 * another server it uses host_call. */
#ifndef MICA_HOST_H
#define MICA_HOST_H

#include <stdbool.h>
#include <stddef.h>

#include "mica/syscall.h"

/* A buffer of IPC_MAX bytes to build a request payload in, and where the
 * reply payload lands. It may be the memory srv_out() and req->data use:
 * finish with the request before calling out. */
void *host_buf(void);

struct host_call {
	unsigned op; /* the label */
	unsigned long m[4];
	size_t len;  /* request payload: len bytes at host_buf() */
	long handle; /* one of our handles to pass along, or -1 */
	/* A window of our memory the server may copy to and from while it
	 * answers (srv_copy_out/in): win_len bytes at win, written only if
	 * win_out; win NULL: none. */
	void *win;
	size_t win_len;
	bool win_out;
	/* the answer */
	long result; /* the reply label: >= 0, or -errno */
	unsigned long rm[4];
	size_t rlen; /* reply payload: rlen bytes at host_buf() */
};

/* The device registers at physical address pa (page aligned), mapped for
 * this server; NULL if it may not (privileged servers only). */
volatile void *host_mmio(unsigned long pa, size_t len);

/* A page of memory for the server's own data (file contents), zeroed;
 * NULL when memory is short. Freed pages go back to the system. */
void *host_page_alloc(void);
void host_page_free(void *page);

/* len bytes (at most DMA_MAX) of physically contiguous zeroed memory a
 * device may read and write; *pa gets its physical address. NULL when
 * memory is short or the server is not privileged. Never freed. */
void *host_dma_alloc(size_t len, unsigned long *pa);

/* Starts another server (pm starts the console and fs): in user mode the
 * program sbin/NAME from the boot archive, in the kernel the handlers
 * linked in. It gets our handles grant[0..ngrant) as its slots 0, 1, ...
 * Returns a task handle, or -errno. */
struct host_server {
	const char *name;
	long super_ep;       /* where its exit or fault is reported, or -1 */
	unsigned long badge; /* on those reports */
	unsigned flags;      /* TASK_PRIV */
	int prio;
	const long *grant;
	int ngrant;
};
long host_spawn_server(const struct host_server *o);

/* Calls the server behind endpoint handle ep and waits for its answer.
 * 0, or a transport error (-EPIPE: that server is gone). */
long host_call(long ep, struct host_call *c);

#endif
