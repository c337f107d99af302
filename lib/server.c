/* The receive loop shared by all servers: receive, dispatch by label,
 * reply (answering and waiting again in one reply_recv) unless deferred. */
#include "mica/server.h"
#include "mica/errno.h"

static int dispatch(struct server *s, const struct ipc_msg *req, struct ipc_msg *rep)
{
	unsigned label = TAG_LABEL(req->tag);
	*rep = (struct ipc_msg){0};
	if (!(req->tag & TAG_NOTIFY) && label < s->nops && s->table[label])
		return s->table[label](s, req, rep);
	if (s->other)
		return s->other(s, req, rep);
	rep->tag = MAKE_TAG((unsigned)-ENOSYS & 0xFFFF, 0);
	return SRV_REPLY;
}

void server_run(struct server *s)
{
	struct ipc_msg req, rep;
	unsigned long token = 0;
	long r = mica_recv(s->ep, TIMEOUT_NEVER, &req);
	for (;;) {
		if (r) { /* a kernel-side error: wait afresh */
			token = 0;
			r = mica_recv(s->ep, TIMEOUT_NEVER, &req);
			continue;
		}
		int what = dispatch(s, &req, &rep);
		if ((req.tag & TAG_HANDLE) && !(what & SRV_KEEP_HANDLE))
			mica_handle_close((long)TAG_SLOT(req.tag));
		what &= ~SRV_KEEP_HANDLE;
		token = (what == SRV_REPLY && (req.tag & TAG_CALL)) ? req.token : 0;
		req = rep;
		r = mica_reply_recv(s->ep, token, &req);
	}
}
