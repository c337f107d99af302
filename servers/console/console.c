/* console: the terminal server's handlers. Drives the 16550 UART (its
 * registers mapped through host_mmio, its interrupt a notification),
 * runs the line discipline, and serves CON_* requests. A read with no
 * input ready, or a write into a full output ring, is a deferred answer
 * finished from the interrupt path. No transport here: see main.c for
 * the user-mode server, kern/serve.c for the kernel's.
 * Handles: slot 0 our endpoint (receive), slot 1 pm's (may be absent). */
#include <stdlib.h>
#include <string.h>

#include "ldisc.h"
#include "mica/errno.h"
#include "mica/proto/con.h"
#include "mica/proto/pm.h"
#include "mica/host.h"
#include "mica/server.h"
#include "console.h"

#define EP       0
#define PM       1
#define IRQ_BIT  1ul
#define OUT_RING 8192
#define MAX_WAIT 256 /* as many as the kernel has threads: each waits once */

/* 16550 registers and bits */
#define RBR      0
#define THR      0
#define IER      1
#define FCR      2
#define LSR      5
#define IER_RX   0x01
#define IER_TX   0x02
#define LSR_DR   0x01
#define LSR_THRE 0x20

struct waiter {
	srv_client client;
	size_t n;   /* read: max bytes; write: bytes in data */
	char *data; /* write: a copy of the bytes (malloc) */
	size_t done;
};

/* A FIFO of deferred clients. A client killed while waiting leaves a
 * stale token: it is dropped when reached, or when the queue fills. */
struct wqueue {
	struct waiter w[MAX_WAIT];
	int n;
};

static struct {
	volatile unsigned char *uart;
	long irq;
	struct ldisc ld;
	char ring[OUT_RING]; /* output waiting for the transmitter */
	size_t head, len;
	struct wqueue readers, writers;
	unsigned long fg;         /* foreground process group, 0: none */
	unsigned long rows, cols; /* the window size, as TIOCSWINSZ set it */
	struct server *srv;
	char in[IPC_MAX]; /* a line on its way to a deferred reader */
} con;

/* --- output ring and transmitter -------------------------------------- */

static size_t ring_put(const char *p, size_t n)
{
	size_t k = 0;
	while (k < n && con.len < OUT_RING) {
		con.ring[(con.head + con.len) % OUT_RING] = p[k++];
		con.len++;
	}
	return k;
}

/* Feeds the UART while it has room; asks for an interrupt if more waits. */
static void tx_kick(void)
{
	while (con.len && (con.uart[LSR] & LSR_THRE)) {
		con.uart[THR] = (unsigned char)con.ring[con.head];
		con.head = (con.head + 1) % OUT_RING;
		con.len--;
	}
	con.uart[IER] = IER_RX | (con.len ? IER_TX : 0);
}

/* Moves processed output of a writer into the ring; true when all done. */
static bool write_some(struct waiter *w)
{
	char out[2 * 64];
	while (w->done < w->n) {
		size_t used, chunk = w->n - w->done < 64 ? w->n - w->done : 64;
		size_t k = ldisc_output(w->data + w->done, chunk, out, sizeof(out), &used);
		if (OUT_RING - con.len < k)
			return false;
		ring_put(out, k);
		w->done += used;
	}
	return true;
}

/* --- deferred clients --------------------------------------------------- */

static void wq_drop_head(struct wqueue *q)
{
	free(q->w[0].data);
	memmove(&q->w[0], &q->w[1], sizeof(struct waiter) * (size_t)--q->n);
}

/* Room for one more, after dropping the clients that are gone. */
static bool wq_room(struct wqueue *q)
{
	int k = 0;
	if (q->n < MAX_WAIT)
		return true;
	for (int i = 0; i < q->n; i++) {
		if (srv_waiting(con.srv, q->w[i].client))
			q->w[k++] = q->w[i];
		else
			free(q->w[i].data);
	}
	q->n = k;
	return k < MAX_WAIT;
}

/* Input goes to the first reader still waiting: if the reply does not
 * reach it (killed meanwhile), the input stays for the next one. */
static void finish_readers(void)
{
	static struct ldisc before;
	while (con.readers.n && ldisc_readable(&con.ld)) {
		struct waiter *w = &con.readers.w[0];
		before = con.ld;
		long n = ldisc_read(&con.ld, con.in, w->n);
		struct srv_rep rep = {.result = n, .len = n > 0 ? (size_t)n : 0, .handle = -1};
		if (srv_answer(con.srv, w->client, &rep, con.in) < 0)
			con.ld = before;
		wq_drop_head(&con.readers);
	}
}

static void finish_writers(void)
{
	while (con.writers.n && write_some(&con.writers.w[0])) {
		struct waiter *w = &con.writers.w[0];
		struct srv_rep rep = {.result = (long)w->n, .handle = -1};
		srv_answer(con.srv, w->client, &rep, NULL); /* a writer gone: nothing lost */
		wq_drop_head(&con.writers);
	}
	tx_kick();
}

/* ^C, ^\, ^Z, a new window size: the foreground group gets the signal
 * through pm. */
static void signal_fg(int sig)
{
	struct host_call c = {
	    .op = PM_KILL, .m = {-(long)con.fg, (unsigned long)sig}, .handle = -1};
	if (con.fg)
		host_call(PM, &c);
}

/* Job control: a process outside the foreground group that reads (sig
 * SIGTTIN) or changes the terminal (SIGTTOU). pm decides: 0 go on, or
 * the error to answer (-EINTR: its group was stopped; -EIO). */
static long job_check(const struct srv_req *req, int sig, unsigned long new_fg)
{
	struct host_call c = {.op = PM_TTYCHK,
	                      .m = {req->badge & 0xFFFFFFFFul, con.fg, (unsigned long)sig, new_fg},
	                      .handle = -1};
	if ((!con.fg && !new_fg) || host_call(PM, &c) < 0)
		return 0;
	return c.result < 0 ? c.result : 0;
}

/* One typed byte through the line discipline; the signal it makes, or 0. */
static int take_input(char c)
{
	char echo[LDISC_ECHO_MAX];
	size_t n = 0;
	int sig = ldisc_input(&con.ld, c, echo, sizeof(echo), &n);
	ring_put(echo, n);
	return sig;
}

static void uart_interrupt(void)
{
	int sigs[4], n = 0;
	while (con.uart[LSR] & LSR_DR) {
		int sig = take_input((char)con.uart[RBR]);
		if (sig && n < 4)
			sigs[n++] = sig;
	}
	finish_writers();
	finish_readers();
	mica_irq_ack(con.irq);
	for (int i = 0; i < n; i++)
		signal_fg(sigs[i]);
}

/* --- requests ----------------------------------------------------------- */

static int do_write(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct waiter w = {.client = req->client, .n = req->len, .data = (char *)req->data};
	if (!con.writers.n && write_some(&w)) {
		tx_kick();
		rep->result = (long)w.n;
		return SRV_REPLY;
	}
	if (!req->call || !wq_room(&con.writers) || !(w.data = malloc(w.n ? w.n : 1))) {
		rep->result = -EAGAIN;
		return req->call ? SRV_REPLY : SRV_NONE;
	}
	memcpy(w.data, req->data, w.n);
	con.writers.w[con.writers.n++] = w;
	tx_kick();
	return SRV_DEFER;
}

static int do_read(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	size_t max = req->m[0] < IPC_MAX ? req->m[0] : IPC_MAX;
	long err = job_check(req, MSIG_TTIN, 0);
	if (err) {
		rep->result = err;
		return req->call ? SRV_REPLY : SRV_NONE;
	}
	if (!con.readers.n && ldisc_readable(&con.ld)) {
		long n = ldisc_read(&con.ld, srv_out(s), max);
		rep->result = n;
		rep->len = n > 0 ? (size_t)n : 0;
		return SRV_REPLY;
	}
	if (!req->call || !wq_room(&con.readers)) {
		rep->result = -EAGAIN;
		return req->call ? SRV_REPLY : SRV_NONE;
	}
	con.readers.w[con.readers.n++] = (struct waiter){.client = req->client, .n = max};
	return SRV_DEFER;
}

/* Whether a read would be answered now (input or end of file waits and
 * no other reader is ahead): poll on the console. */
static int do_poll(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s, (void)req;
	rep->result = !con.readers.n && ldisc_readable(&con.ld);
	return SRV_REPLY;
}

static int do_setmode(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	if (req->m[0] > CON_MODE_RAW) {
		rep->result = -EINVAL;
		return SRV_REPLY;
	}
	if ((rep->result = job_check(req, MSIG_TTOU, 0)))
		return SRV_REPLY;
	ldisc_set_raw(&con.ld, req->m[0] == CON_MODE_RAW);
	return SRV_REPLY;
}

static int do_getattr(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s, (void)req;
	rep->m[0] = (con.ld.canon ? CON_F_CANON : 0) | (con.ld.echo ? CON_F_ECHO : 0) |
	            (con.ld.isig ? CON_F_ISIG : 0);
	rep->m[1] = con.rows << 16 | con.cols;
	rep->m[2] = con.ld.count;
	rep->m[3] = con.fg;
	return SRV_REPLY;
}

/* Canonical mode on or off as CON_SETMODE does it, then echo and isig. */
static int do_setattr(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	if (req->m[0] & ~(unsigned long)CON_F_ALL) {
		rep->result = -EINVAL;
		return SRV_REPLY;
	}
	if ((rep->result = job_check(req, MSIG_TTOU, 0)))
		return SRV_REPLY;
	ldisc_set_raw(&con.ld, !(req->m[0] & CON_F_CANON));
	con.ld.echo = req->m[0] & CON_F_ECHO;
	con.ld.isig = req->m[0] & CON_F_ISIG;
	return SRV_REPLY;
}

static int do_setwinsz(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	unsigned long rows = req->m[0], cols = req->m[1];
	if (!rows || !cols || rows > CON_WINSZMAX || cols > CON_WINSZMAX) {
		rep->result = -EINVAL;
		return SRV_REPLY;
	}
	bool changed = con.rows != rows || con.cols != cols;
	con.rows = rows, con.cols = cols;
	if (changed)
		signal_fg(MSIG_WINCH);
	return SRV_REPLY;
}

static int do_setfg(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	if ((rep->result = job_check(req, MSIG_TTOU, req->m[0])))
		return SRV_REPLY;
	con.fg = req->m[0];
	return SRV_REPLY;
}

/* Notifications (the UART) and anything unknown. */
static int do_other(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	if (req->notify) {
		uart_interrupt();
		return SRV_NONE;
	}
	rep->result = -ENOSYS;
	return req->call ? SRV_REPLY : SRV_NONE;
}

static const srv_handler handlers[CON_NOPS] = {
    [CON_WRITE] = do_write,     [CON_READ] = do_read,         [CON_SETMODE] = do_setmode,
    [CON_SETFG] = do_setfg,     [CON_POLL] = do_poll,         [CON_GETATTR] = do_getattr,
    [CON_SETATTR] = do_setattr, [CON_SETWINSZ] = do_setwinsz,
};

static int uart_init(void)
{
	struct kinfo k;
	long n = mica_ntfn_create();
	if (mica_kinfo(&k) || !k.uart_size || n < 0)
		return -ENODEV;
	volatile unsigned char *regs =
	    (volatile unsigned char *)host_mmio(k.uart_pa & ~4095ul, 4096);
	if (!regs || mica_irq_bind((long)k.uart_irq, n, IRQ_BIT) || mica_ntfn_bind(n))
		return -EIO;
	con.uart = regs + (k.uart_pa & 4095);
	con.irq = (long)k.uart_irq;
	/* Turning the FIFOs on empties them: first take what was typed (or
	 * piped in) before we started, so the shell gets it all. */
	char early[16];
	size_t got = 0;
	while ((con.uart[LSR] & LSR_DR) && got < sizeof(early))
		early[got++] = (char)con.uart[RBR];
	con.uart[FCR] = 0x01;
	for (size_t i = 0; i < got; i++)
		take_input(early[i]);
	con.uart[IER] = IER_RX;
	return 0;
}

struct server console_server = {
    .name = "console", .ep = EP, .table = handlers, .nops = CON_NOPS, .other = do_other};

int console_start(void)
{
	ldisc_init(&con.ld);
	con.rows = CON_ROWS, con.cols = CON_COLS;
	con.srv = &console_server;
	int err = uart_init();
	static const char hello[] = "console: 16550 UART driven by the console server\n";
	static const char fail[] = "console: cannot drive the UART\n";
	if (err)
		mica_debug_write(fail, sizeof(fail) - 1);
	else
		mica_debug_write(hello, sizeof(hello) - 1);
	return err;
}
