/* The shape every Mica server has: a receive loop around a table of
 * handlers. Only server_run knows the transport; a handler sees the
 * request, fills the reply and says whether to send it now. */
#ifndef MICA_SERVER_H
#define MICA_SERVER_H

#include "mica/syscall.h"

/* What a handler returns. */
#define SRV_REPLY 0 /* send rep now */
#define SRV_DEFER 1 /* the handler kept req->token and answers later */
#define SRV_NONE  2 /* no reply (a one-way send or a kernel message) */
/* OR'ed into the above: the handler keeps the handle that came with the
 * request. Otherwise server_run closes it, so a client cannot fill the
 * server's handle table by sending handles it was never asked for. */
#define SRV_KEEP_HANDLE 0x100

struct server;
typedef int (*srv_handler)(struct server *s, const struct ipc_msg *req, struct ipc_msg *rep);

struct server {
	const char *name;
	long ep;                  /* endpoint we receive on */
	const srv_handler *table; /* indexed by the request label */
	unsigned nops;
	srv_handler other; /* labels past the table, notifications */
	void *state;       /* the server's own data */
};

/* Receives forever; unknown labels get -ENOSYS. Does not return. */
__attribute__((noreturn)) void server_run(struct server *s);

#endif
