/* The in-kernel transport (mono). A server linked into the kernel is a
 * task flagged TASK_KERNEL (its handles, its identity) plus the same
 * struct server its user-mode build runs; an endpoint it serves points
 * at it. A program's call to such an endpoint runs the handler right
 * here, on the caller's thread: no switch of thread or address space,
 * the payload read and the reply written in place in the caller's IPC
 * buffer. A handler that defers leaves the caller blocked in TS_REPLY
 * until srv_answer. A caller's window is copied to and from directly
 * (srv_copy_out/in), with the same checks SYS_WINDOW_COPY makes. The
 * kernel's own messages (a task's exit or fault)
 * wait on the endpoint and are handed over at kserve_flush, never in
 * the middle of another handler. */
#include "errno.h"
#include "ipc.h"
#include "kassert.h"
#include "kprintf.h"
#include "kstring.h"
#include "serve.h"

#define A(n)         (10 + (n))
#define MAX_KSERVERS 4

struct kserver {
	struct server *srv;
	struct task *task;
	struct endpoint *ep;
	struct ntfn *irq; /* bound notification: its bits come as a notify request */
	char buf[IPC_MAX] __attribute__((aligned(PAGE_SIZE))); /* host_buf */
};

static struct kserver kservers[MAX_KSERVERS];
static int nkservers, depth;
static struct kserver *serving;    /* whose handler runs for cur's own call (kserve_send) */
static struct thread *faulting;    /* the thread whose page fault a handler serves now */
static long fault_answer;          /* and the answer it gave at once */
static struct thread *answered;    /* the caller, if its handler answered it with srv_answer */
static const struct kwindow *kwin; /* the window of the innermost kserve_call, or NULL */
/* req.client of a kserve_call with a window: no thread's token (slot 0) */
#define KCALLER (1ul << 16)
static unsigned pending; /* kernel messages or interrupt bits for kserve_flush */
static uint8_t ktls[256] __attribute__((aligned(64))); /* picolibc's thread-locals */

/* Server code (picolibc) finds errno and friends through tp. */
static void tls_on(void)
{
	__asm__ volatile("mv tp, %0" ::"r"(ktls));
}

extern char _tdata_start[], _tdata_end[], _tbss_end[];

void kserve_tls_init(void)
{
	size_t size = (size_t)(_tbss_end - _tdata_start),
	       init = (size_t)(_tdata_end - _tdata_start);
	if (size > sizeof(ktls))
		panic("kserve_tls_init: %lu bytes of thread-locals", (unsigned long)size);
	memcpy(ktls, _tdata_start, init);
	memset(ktls + init, 0, sizeof(ktls) - init);
}

struct kserver *kserve_of_task(const struct task *t)
{
	for (int i = 0; i < nkservers; i++)
		if (kservers[i].task == t)
			return &kservers[i];
	return NULL;
}

static struct kserver *of_server(const struct server *s)
{
	for (int i = 0; i < nkservers; i++)
		if (kservers[i].srv == s)
			return &kservers[i];
	return NULL;
}

struct kserver *kserve_new(struct task *t)
{
	if (nkservers == MAX_KSERVERS)
		return NULL;
	struct kserver *ks = &kservers[nkservers++];
	ks->task = t;
	return ks;
}

int kserve_bind(struct kserver *ks, struct server *srv)
{
	int err;
	struct handle *h = handle_get(&ks->task->handles, srv->ep, H_ENDPOINT, RIGHT_RECV, &err);
	if (!h)
		return err;
	ks->srv = srv;
	ks->ep = h->obj;
	ks->ep->ks = ks;
	return 0;
}

void *kserve_buf(struct kserver *ks)
{
	return ks->buf;
}

/* Runs ks's handler for req with rep, as ks. Handles brought along and
 * not kept are closed. */
static int run(struct kserver *ks, struct srv_req *req, struct srv_rep *rep, void *out)
{
	struct task *was = acting;
	acting = ks->task;
	depth++;
	tls_on();
	ks->srv->out = out;
	kst.served++;
	int what = srv_dispatch(ks->srv, req, rep);
	if (req->handle >= 0 && !(what & SRV_KEEP_HANDLE))
		handle_release(handle_take(&ks->task->handles, req->handle));
	depth--;
	acting = was;
	return what & ~SRV_KEEP_HANDLE;
}

/* Field by field: this runs on every request, and a compound literal
 * would clear the whole struct first. */
static void req_from(struct srv_req *req, const struct msg *m, const void *data)
{
	req->op = TAG_LABEL(m->tag);
	for (int i = 0; i < 4; i++)
		req->m[i] = m->m[i];
	req->data = data;
	req->len = data ? TAG_LEN(m->tag) : 0;
	req->badge = m->badge;
	req->handle = -1;
	req->call = m->is_call;
	req->window = 0;
	req->kernel = req->notify = false;
	req->trunc = !data && TAG_LEN(m->tag);
	req->client = 0;
}

/* A handle in a request moves from the sender's table into the server's. */
static void take_handle(struct srv_req *req, uint64_t tag, struct task *from, struct task *to)
{
	if (!(tag & TAG_HANDLE))
		return;
	uint64_t t = ipc_move_handle(tag, from, to);
	if (t & TAG_HANDLE)
		req->handle = (long)TAG_SLOT(t);
}

/* The reply registers of a user thread: status 0, tag, m0..m3. */
static void reply_regs(struct thread *th, const struct srv_rep *rep, uint64_t tag)
{
	uint64_t *x = th->tf.x;
	x[A(0)] = 0;
	x[A(1)] = tag;
	for (int i = 0; i < 4; i++)
		x[A(2 + i)] = rep->m[i];
	kst.ipc_msgs++;
}

static uint64_t rep_tag(const struct srv_rep *rep, struct task *from, struct task *to)
{
	uint64_t tag = MAKE_TAG((unsigned long)rep->result & 0xFFFF, rep->len);
	if (rep->handle >= 0)
		tag = ipc_move_handle(TAG_WITH_HANDLE(tag, rep->handle), from, to);
	return tag;
}

/* cur (a user thread) calls or sends to an endpoint served in the kernel. */
long kserve_send(struct endpoint *ep, struct msg *msg)
{
	struct kserver *ks = ep->ks;
	struct thread *me = cur;
	struct srv_req req;
	struct srv_rep rep;
	void *buf = ipc_buf_ptr(me);
	if (TAG_LEN(msg->tag) && !buf)
		return -EFAULT;
	req_from(&req, msg, buf);
	take_handle(&req, msg->tag, me->task, ks->task);
	req.client = msg->is_call ? thread_token(me) : 0;
	req.window = msg->is_call ? WIN_LEN(me->win) : 0;
	answered = NULL;
	serving = ks;
	/* no buffer of its own: the handler writes into scratch, and the
	 * caller sees a truncated payload, as a user-mode server's would */
	int what = run(ks, &req, &rep, buf ? buf : ks->buf);
	serving = NULL;
	if (!buf)
		rep.len = 0;
	if (answered == me) { /* srv_answer reached it already */
		answered = NULL;
	} else if (me->state == TS_RUNNING && msg->is_call) {
		if (what == SRV_REPLY) {
			reply_regs(me, &rep, rep_tag(&rep, ks->task, me->task));
		} else if ((me->work & WORK_UPCALL) && me->intr_ok) {
			me->tf.x[A(0)] = (uint64_t)-EINTR; /* its handler sent it an upcall */
		} else { /* deferred (or left unanswered, as a user server may) */
			me->state = TS_REPLY;
			me->reply_from = ks->task;
		}
	}
	kserve_flush();
	if (me->state == TS_REPLY) {
		me->nvcsw++;
		sched_next();
	} else {
		sched_leave_if_dead();
	}
	return (long)me->tf.x[A(0)];
}

/* The handler runs on the faulting thread. Its answer, now or later
 * (srv_answer), resumes or kills it; the registers stay the thread's. */
long kserve_fault(struct endpoint *ep, struct msg *msg)
{
	struct kserver *ks = ep->ks;
	struct thread *me = cur;
	struct srv_req req;
	struct srv_rep rep;
	req_from(&req, msg, NULL);
	req.kernel = true;
	req.client = thread_token(me);
	answered = NULL;
	serving = ks;
	faulting = me;
	int what = run(ks, &req, &rep, ks->buf);
	serving = NULL;
	faulting = NULL;
	bool was_answered = answered == me;
	answered = NULL;
	if (me->state == TS_RUNNING) {
		if (was_answered)
			rep.result = fault_answer;
		if (was_answered || what == SRV_REPLY) {
			ipc_fault_resume(me, rep.result); /* kills the task if negative */
		} else {                                  /* deferred: srv_answer will resume it */
			me->state = TS_PAGER;
			me->reply_from = ks->task;
		}
	}
	kserve_flush();
	if (me->state == TS_PAGER) {
		me->nvcsw++;
		sched_next();
	} else {
		sched_leave_if_dead();
	}
	return 0;
}

/* A server in the kernel calls another (host_call): the payload is in
 * the caller's host_buf and the answer comes back there. It cannot wait,
 * so a handler that defers a kernel caller is a broken server. */
long kserve_call(struct kserver *from, struct endpoint *ep, struct msg *msg, struct srv_rep *rep,
                 const struct kwindow *w)
{
	struct kserver *ks = ep->ks;
	struct srv_req req;
	const struct kwindow *was = kwin;
	if (!ks)
		return -EDEADLK; /* a user-mode server: the kernel cannot wait for it */
	req_from(&req, msg, from->buf);
	take_handle(&req, msg->tag, from->task, ks->task);
	if (w->len) {
		req.client = KCALLER;
		req.window = w->len;
	}
	kwin = w;
	int what = run(ks, &req, rep, from->buf);
	kwin = was;
	if (what == SRV_DEFER) /* a server bug: it may not defer a kernel caller */
		return -EDEADLK;
	if (rep->handle >= 0) {
		uint64_t t = ipc_move_handle(TAG_WITH_HANDLE(0, rep->handle), ks->task, from->task);
		rep->handle = (t & TAG_HANDLE) ? (long)TAG_SLOT(t) : -1;
	}
	return what == SRV_REPLY ? 0 : -EPIPE;
}

/* Whether client cl waits for ks: blocked on it, or the caller whose
 * request ks's handler is running right now. */
static bool is_waiting(struct kserver *ks, struct thread *cl)
{
	if (!ks || !cl)
		return false;
	if (cl->state == TS_REPLY || cl->state == TS_PAGER)
		return cl->reply_from == ks->task;
	return cl == cur && cl->state == TS_RUNNING && serving == ks && answered != cl;
}

/* A copy through the window of the server in the kernel whose call is
 * being answered (kserve_call): its memory is ours. */
static int kwindow_copy(size_t off, const void *va, size_t len, uint64_t dir)
{
	if (!kwin || !kwin->len)
		return -ESRCH;
	if (off > kwin->len || len > kwin->len - off)
		return -EFAULT;
	if (dir == WIN_OUT && !kwin->writable)
		return -EPERM;
	char *at = (char *)kwin->at + off;
	if (dir == WIN_OUT)
		memmove(at, va, len);
	else
		memmove((void *)va, at, len);
	kst.copied += len;
	return 0;
}

/* srv_copy_out/in: the window of a client that waits for s. */
static int window_copy(struct server *s, srv_client c, size_t off, const void *va, size_t len,
                       uint64_t dir)
{
	struct kserver *ks = of_server(s);
	struct thread *cl = thread_by_token(c);
	if (c == KCALLER)
		return kwindow_copy(off, va, len, dir);
	if (!is_waiting(ks, cl))
		return -ESRCH;
	long r = ipc_window_copy(ks->task, cl, off, (uint64_t)va, len, dir);
	return r < 0 ? (int)r : 0;
}

int srv_copy_out(struct server *s, srv_client c, size_t off, const void *src, size_t len)
{
	return window_copy(s, c, off, src, len, WIN_OUT);
}

int srv_copy_in(struct server *s, srv_client c, size_t off, void *dst, size_t len)
{
	return window_copy(s, c, off, dst, len, WIN_IN);
}

int srv_answer(struct server *s, srv_client c, const struct srv_rep *rep, const void *data)
{
	struct kserver *ks = of_server(s);
	struct thread *cl = thread_by_token(c);
	if (!is_waiting(ks, cl))
		return -ESRCH;
	if (cl == faulting) { /* its own fault's handler: kserve_fault resumes it */
		fault_answer = rep->result;
		answered = cl;
		return 0;
	}
	if (cl->state == TS_PAGER) {
		if (ipc_fault_resume(cl, rep->result))
			sched_ready(cl);
		return 0;
	}
	if (rep->len) {
		void *buf = ipc_buf_ptr(cl);
		if (!buf)
			return -ESRCH; /* it unmapped its buffer: as good as gone */
		memcpy(buf, data, MIN(rep->len, (size_t)IPC_MAX));
		kst.copied += rep->len;
	}
	reply_regs(cl, rep, rep_tag(rep, ks->task, cl->task));
	if (cl == cur && cl->state == TS_RUNNING) {
		answered = cl; /* its own request: kserve_send returns this */
		return 0;
	}
	if (cl == cur) { /* deferred, then answered on its own thread (a flush
		          * after its call): it runs on, it is not made ready */
		cl->state = TS_RUNNING;
		cl->reply_from = NULL;
		return 0;
	}
	cl->reply_from = NULL;
	sched_ready(cl);
	return 0;
}

bool srv_waiting(struct server *s, srv_client c)
{
	return is_waiting(of_server(s), thread_by_token(c));
}

/* Hands the kernel's messages (exits, faults) waiting on served
 * endpoints to their handlers; not while another handler runs. */
void kserve_note_mail(void)
{
	pending++;
}

void kserve_flush(void)
{
	if (depth || !pending)
		return;
	pending = 0;
	for (int i = 0; i < nkservers; i++) {
		struct kserver *ks = &kservers[i];
		struct qlink *l;
		while (ks->ep && (l = tq_pop(&ks->ep->senders))) {
			struct thread *carrier = link_thread(l);
			struct srv_req req;
			struct srv_rep rep;
			KASSERT(carrier->state == TS_CARRIER);
			carrier->ep = NULL;
			req_from(&req, &carrier->msg, NULL);
			req.kernel = true;
			thread_free(carrier);
			obj_put_endpoint(ks->ep);
			run(ks, &req, &rep, ks->buf);
		}
		if (ks->irq && ks->irq->bits)
			kserve_notify(ks->irq);
	}
}

/* A notification bound to a server in the kernel: its bits arrive as a
 * notify request, from the trap path of the interrupt that set them. */
bool kserve_notify(struct ntfn *n)
{
	if (depth) {
		pending++;
		return false; /* kserve_flush takes the bits later */
	}
	for (int i = 0; i < nkservers; i++) {
		struct kserver *ks = &kservers[i];
		if (ks->irq != n || !n->bits)
			continue;
		struct srv_req req = {.notify = true, .m = {n->bits}, .handle = -1};
		struct srv_rep rep;
		n->bits = 0;
		run(ks, &req, &rep, ks->buf);
		kserve_flush();
		return true;
	}
	return false;
}

int kserve_bind_ntfn(struct ntfn *n)
{
	struct kserver *ks = kserve_of_task(acting);
	if (!ks)
		return -EINVAL;
	ks->irq = n;
	n->refs++;
	n->kbound = true;
	return 0;
}
