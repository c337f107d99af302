/* The dispatch both transports share (lib/server.c in a user-mode
 * server, kern/serve.c in the kernel): a request goes to the handler its
 * label names, or to the server's catch-all, or gets -ENOSYS. */
#include "mica/errno.h"
#include "mica/server.h"

int srv_dispatch(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	rep->result = 0, rep->len = 0, rep->handle = -1; /* each field: no memset */
	rep->m[0] = rep->m[1] = rep->m[2] = rep->m[3] = 0;
	if (!req->notify && req->op < s->nops && s->table[req->op])
		return s->table[req->op](s, req, rep);
	if (s->other)
		return s->other(s, req, rep);
	rep->result = -ENOSYS;
	return req->call ? SRV_REPLY : SRV_NONE;
}
