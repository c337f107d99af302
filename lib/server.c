/* The user-mode transport (micro): receive a message, turn it into a
 * srv_req, dispatch, and answer (reply and wait again in one
 * reply_recv) unless the handler deferred. The IPC buffer is the
 * request payload, srv_out() and host_buf() all at once. */
#include <stdlib.h>
#include <string.h>

#include "mica/errno.h"
#include "mica/host.h"
#include "mica/proto/con.h"
#include "mica/runtime.h"
#include "mica/server.h"

static void to_req(const struct ipc_msg *m, void *buf, struct srv_req *req)
{
	*req = (struct srv_req){.op = TAG_LABEL(m->tag),
	                        .m = {m->m[0], m->m[1], m->m[2], m->m[3]},
	                        .data = buf,
	                        .len = TAG_LEN(m->tag),
	                        .badge = m->badge,
	                        .handle = (m->tag & TAG_HANDLE) ? (long)TAG_SLOT(m->tag) : -1,
	                        .call = (m->tag & TAG_CALL) != 0,
	                        .kernel = (m->tag & TAG_KERNEL) != 0,
	                        .notify = (m->tag & TAG_NOTIFY) != 0,
	                        .trunc = (m->tag & TAG_TRUNC) != 0,
	                        .client = (m->tag & TAG_CALL) ? m->token : 0,
	                        .window = (m->tag & TAG_CALL) ? TAG_WIN(m->tag) : 0};
}

/* The reply registers for rep (its payload is already in the buffer). */
static struct ipc_msg to_msg(const struct srv_rep *rep)
{
	struct ipc_msg m = {.tag = PROTO_TAG(rep->result, rep->len),
	                    .m = {rep->m[0], rep->m[1], rep->m[2], rep->m[3]}};
	if (rep->handle >= 0)
		m.tag = TAG_WITH_HANDLE(m.tag, rep->handle);
	return m;
}

void server_run(struct server *s)
{
	struct ipc_msg m;
	struct srv_req req;
	struct srv_rep rep;
	s->out = mica_ipcbuf();
	long r = mica_recv(s->ep, TIMEOUT_NEVER, &m);
	for (;;) {
		if (r) { /* a kernel-side error: wait afresh */
			r = mica_recv(s->ep, TIMEOUT_NEVER, &m);
			continue;
		}
		to_req(&m, s->out, &req);
		int what = srv_dispatch(s, &req, &rep);
		if (req.handle >= 0 && !(what & SRV_KEEP_HANDLE))
			mica_handle_close(req.handle);
		what &= ~SRV_KEEP_HANDLE;
		unsigned long token = what == SRV_REPLY && req.call ? req.client : 0;
		m = to_msg(&rep);
		r = mica_reply_recv(s->ep, token, &m);
	}
}

int srv_answer(struct server *s, srv_client c, const struct srv_rep *rep, const void *data)
{
	if (rep->len && data != s->out)
		memcpy(s->out, data, rep->len);
	struct ipc_msg m = to_msg(rep);
	return mica_reply(c, &m) < 0 ? -ESRCH : 0;
}

bool srv_waiting(struct server *s, srv_client c)
{
	(void)s;
	return mica_reply_alive(c) == 0;
}

int srv_copy_out(struct server *s, srv_client c, size_t off, const void *src, size_t len)
{
	(void)s;
	long r = mica_window_copy(c, off, src, len, WIN_OUT);
	return r < 0 ? (int)r : 0;
}

int srv_copy_in(struct server *s, srv_client c, size_t off, void *dst, size_t len)
{
	(void)s;
	long r = mica_window_copy(c, off, dst, len, WIN_IN);
	return r < 0 ? (int)r : 0;
}

/* Device registers go at 0x2100000000 and up, a page apart. */
volatile void *host_mmio(unsigned long pa, size_t len)
{
	static unsigned long next = 0x2100000000ul;
	unsigned long va = next;
	len = (len + 4095) & ~4095ul;
	if (mica_mmio_map(HANDLE_SELF, va, pa, len) < 0)
		return NULL;
	next += len + 4096;
	return (volatile void *)va;
}

/* DMA buffers at 0x2200000000 and up. */
void *host_dma_alloc(size_t len, unsigned long *pa)
{
	static unsigned long next = 0x2200000000ul;
	len = (len + 4095) & ~4095ul;
	long r = mica_dma_map(HANDLE_SELF, next, len);
	if (r < 0)
		return NULL;
	*pa = (unsigned long)r;
	void *va = (void *)next;
	next += len + 4096;
	return va;
}

/* File data pages live at 0x2000000000 and up; freed addresses are
 * reused first, so the region stays dense. */
#define PAGES_BASE 0x2000000000ul
static unsigned long pages_next = PAGES_BASE, *pages_spare;
static size_t pages_nspare, pages_cap;

void *host_page_alloc(void)
{
	unsigned long va = pages_nspare ? pages_spare[--pages_nspare] : pages_next;
	if (mica_vm_map(HANDLE_SELF, va, 4096, PROT_READ_ | PROT_WRITE_) < 0) {
		if (va != pages_next)
			pages_nspare++;
		return NULL;
	}
	if (va == pages_next)
		pages_next += 4096;
	return (void *)va;
}

void host_page_free(void *page)
{
	mica_vm_unmap(HANDLE_SELF, (unsigned long)page, 4096);
	if (pages_nspare == pages_cap) {
		size_t cap = pages_cap ? pages_cap * 2 : 512;
		unsigned long *n = realloc(pages_spare, cap * sizeof(*n));
		if (!n)
			return; /* the address is not reused; the memory went back */
		pages_spare = n, pages_cap = cap;
	}
	pages_spare[pages_nspare++] = (unsigned long)page;
}

long host_spawn_server(const struct host_server *o)
{
	char path[32] = "sbin/";
	const void *elf;
	size_t size;
	const char *why;
	strncat(path, o->name, sizeof(path) - 6);
	if (mica_archive_find(path, &elf, &size))
		return -ENOENT;
	struct spawn_opts so = {.name = o->name,
	                        .super_ep = o->super_ep,
	                        .badge = o->badge,
	                        .flags = o->flags,
	                        .prio = o->prio,
	                        .grant = o->grant,
	                        .ngrant = o->ngrant};
	return mica_spawn(elf, size, &so, &why);
}

void *host_buf(void)
{
	return mica_ipcbuf();
}

long host_call(long ep, struct host_call *c)
{
	struct ipc_msg m = {.tag = MAKE_TAG(c->op, c->len),
	                    .m = {c->m[0], c->m[1], c->m[2], c->m[3]}};
	if (c->handle >= 0)
		m.tag = TAG_WITH_HANDLE(m.tag, c->handle);
	long r = mica_call_window(ep, &m, c->win ? MAKE_WIN(c->win, c->win_len, c->win_out) : 0);
	if (r < 0)
		return r;
	c->result = PROTO_RESULT(m.tag);
	memcpy(c->rm, m.m, sizeof(c->rm));
	c->rlen = TAG_LEN(m.tag);
	return 0;
}
