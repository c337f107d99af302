/* The shape every Mica server has: a table of handlers around a
 * transport. A handler sees a request (its words, its payload and who
 * sent it), fills a reply and says whether it goes now; it never sees an
 * IPC buffer or a reply token. Two transports run the same handlers:
 * lib/server.c in a user-mode server (micro), kern/serve.c inside the
 * kernel on the caller's thread (mono). What else a server needs of the
 * system is in mica/host.h. */
#ifndef MICA_SERVER_H
#define MICA_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include "mica/abi.h"

/* What a handler returns. */
#define SRV_REPLY 0 /* send rep now */
#define SRV_DEFER 1 /* the handler kept req->client and answers later (srv_answer) */
#define SRV_NONE  2 /* no reply (a one-way send, a kernel message, a caller gone) */
/* OR'ed into the above: the handler keeps the handle that came with the
 * request. Otherwise the transport closes it, so a client cannot fill the
 * server's handle table by sending handles it was never asked for. */
#define SRV_KEEP_HANDLE 0x100

/* A client waiting for a deferred answer; 0 names nobody. */
typedef unsigned long srv_client;

struct srv_req {
	unsigned op; /* the label */
	unsigned long m[4];
	const void *data; /* the payload, len bytes; see srv_out */
	size_t len;
	unsigned long badge; /* who sent it, as the kernel says */
	long handle;         /* a handle that came with it (ours now), or -1 */
	bool call;           /* the sender waits for a reply */
	bool kernel;         /* the kernel sent it (MSG_TASK_EXIT/FAULT) */
	bool notify;         /* notification bits in m[0], no message */
	bool trunc;          /* the payload did not reach us whole */
	srv_client client;   /* with call: whom srv_answer answers later */
	size_t window;       /* with call: the bytes of the caller's window (0: none) */
};

struct srv_rep {
	long result; /* the reply label: >= 0, or -errno */
	unsigned long m[4];
	size_t len;  /* payload bytes written at srv_out() */
	long handle; /* a handle of ours to pass along, or -1 */
};

struct server;
typedef int (*srv_handler)(struct server *s, const struct srv_req *req, struct srv_rep *rep);

struct server {
	const char *name;
	long ep;                  /* the endpoint it serves (a handle) */
	const srv_handler *table; /* indexed by the request label */
	unsigned nops;
	srv_handler other; /* labels past the table, kernel messages, notifications */
	void *out;         /* set by the transport: where srv_out points */
};

/* Where a reply payload goes (IPC_MAX bytes). It may be the very buffer
 * req->data points into: take what you need from the request first. */
static inline void *srv_out(struct server *s)
{
	return s->out;
}

/* Answers a deferred client with rep and rep->len bytes of data. 0, or
 * -ESRCH if the client is gone (killed while waiting): nothing was
 * delivered, and whatever data was meant for it is still the server's. */
int srv_answer(struct server *s, srv_client c, const struct srv_rep *rep, const void *data);
/* Whether a deferred client still waits (a queue can drop the dead). */
bool srv_waiting(struct server *s, srv_client c);

/* A caller may lend the server a window of its memory for the call
 * (SYS_CALL's a6): srv_window(req) bytes, 0 if none. Until the client is
 * answered the server copies len bytes at offset off of it from src
 * (copy_out, if the client made it writable) or into dst (copy_in),
 * during the handler or later for a deferred client. 0, or -EFAULT
 * (outside the window, or memory the client cannot read or write),
 * -EPERM (copy_out to a read-only window), -ESRCH (the client no longer
 * waits). A failed copy may have copied part. */
static inline size_t srv_window(const struct srv_req *req)
{
	return req->window;
}
int srv_copy_out(struct server *s, srv_client c, size_t off, const void *src, size_t len);
int srv_copy_in(struct server *s, srv_client c, size_t off, void *dst, size_t len);

/* Serves s forever (micro); unknown labels get -ENOSYS. */
__attribute__((noreturn)) void server_run(struct server *s);

/* The dispatch both transports share: the handler for req, or -ENOSYS. */
int srv_dispatch(struct server *s, const struct srv_req *req, struct srv_rep *rep);

#endif
