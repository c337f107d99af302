/* Pipe waiters: a FIFO list per direction. pipe_wake serves readers while
 * there are bytes (or end of file), then writers while there is room,
 * and goes round again while either made progress. */
#include <stdlib.h>
#include <string.h>

#include "mica/errno.h"
#include "pipe.h"

static struct {
	struct server *srv; /* whose clients wait */
	struct pipe *all;   /* live pipes */
} pipes;

void pipe_setup(struct server *s)
{
	pipes.srv = s;
}

/* Answers client c with result and, for a read, len bytes at srv_out;
 * a count for a window goes in m0. Negative if c is gone (nothing
 * delivered). */
static int answer(srv_client c, long result, size_t len, bool win)
{
	struct srv_rep rep = {.result = result, .len = len, .handle = -1};
	if (win && result >= 0)
		rep.result = 0, rep.m[0] = (unsigned long)result;
	return srv_answer(pipes.srv, c, &rep, srv_out(pipes.srv));
}

/* Copies up to n held bytes into c's window; they stay in the pipe.
 * How many, or -errno. */
static long to_window(const struct pipe *pp, srv_client c, size_t n)
{
	size_t done = 0, k;
	const uint8_t *seg;
	while (done < n && (k = pipebuf_rseg(&pp->buf, done, &seg))) {
		k = k < n - done ? k : n - done;
		int err = srv_copy_out(pipes.srv, c, done, seg, k);
		if (err)
			return err;
		done += k;
	}
	return (long)done;
}

/* Puts up to n bytes of c's window, from offset off, into the pipe.
 * How many, or -errno if none went in. */
static long from_window(struct pipe *pp, srv_client c, size_t off, size_t n)
{
	size_t done = 0, k;
	uint8_t *seg;
	while (done < n && (k = pipebuf_wseg(&pp->buf, &seg))) {
		k = k < n - done ? k : n - done;
		int err = srv_copy_in(pipes.srv, c, off + done, seg, k);
		if (err)
			return done ? (long)done : err;
		pipebuf_commit(&pp->buf, k);
		done += k;
	}
	return (long)done;
}

static void queue_push(struct pipe_queue *q, struct pipe_wait *w)
{
	w->next = NULL;
	if (q->tail)
		q->tail->next = w;
	else
		q->head = w;
	q->tail = w;
}

static struct pipe_wait *queue_pop(struct pipe_queue *q)
{
	struct pipe_wait *w = q->head;
	q->head = w->next;
	if (!q->head)
		q->tail = NULL;
	return w;
}

static void wait_free(struct pipe_wait *w)
{
	free(w->data);
	free(w);
}

/* Answers a read of up to n bytes that need not wait: the bytes leave
 * the pipe only if the reader got them. */
static void serve_read(struct pipe *pp, srv_client c, size_t n, bool win)
{
	long k = win ? to_window(pp, c, n)
	             : (long)pipebuf_peek(&pp->buf, srv_out(pipes.srv), n < IPC_MAX ? n : IPC_MAX);
	if (k != -ESRCH && answer(c, k, win || k < 0 ? 0 : (size_t)k, win) >= 0 && k > 0)
		pipebuf_skip(&pp->buf, (size_t)k);
}

static bool wake_readers(struct pipe *pp)
{
	bool moved = false;
	while (pp->readers.head && !pipebuf_read_blocks(&pp->buf)) {
		struct pipe_wait *w = queue_pop(&pp->readers);
		serve_read(pp, w->client, w->n, w->win);
		wait_free(w);
		moved = true;
	}
	return moved;
}

/* Puts in what fits of the first writer's data (a small write only
 * whole); true when it is all in, or when its window failed (*err). */
static bool fill_from(struct pipe *pp, struct pipe_wait *w, long *err)
{
	size_t left = w->n - w->done;
	if (w->n <= PIPEBUF_ATOMIC && pipebuf_space(&pp->buf) < left)
		return false;
	long k = w->win ? from_window(pp, w->client, w->done, left)
	                : (long)pipebuf_write(&pp->buf, w->data + w->done, left);
	if (k < 0)
		return *err = k, true;
	w->done += (size_t)k;
	return w->done == w->n;
}

static bool wake_writers(struct pipe *pp)
{
	bool moved = false;
	while (pp->writers.head) {
		struct pipe_wait *w = pp->writers.head;
		size_t before = w->done;
		long err = 0;
		if (pipebuf_write_epipe(&pp->buf)) {
			answer(w->client, w->done ? (long)w->done : -EPIPE, 0, w->win);
		} else if (fill_from(pp, w, &err)) { /* if it is gone: dropped */
			answer(w->client, err && !w->done ? err : (long)w->done, 0, w->win);
		} else {
			moved |= w->done != before;
			break;
		}
		wait_free(queue_pop(&pp->writers));
		moved = true;
	}
	return moved;
}

static void pipe_wake(struct pipe *pp)
{
	bool moved;
	do {
		moved = wake_readers(pp);
		moved |= wake_writers(pp);
	} while (moved && (pp->readers.head || pp->writers.head));
}

struct pipe *pipe_new(void)
{
	struct pipe *pp = calloc(1, sizeof(*pp));
	if (!pp)
		return NULL;
	pipebuf_init(&pp->buf);
	pp->next = pipes.all;
	if (pipes.all)
		pipes.all->prev = pp;
	pipes.all = pp;
	return pp;
}

struct pipe *pipe_fifo(int mnt, uint64_t ino, bool create)
{
	for (struct pipe *pp = pipes.all; pp; pp = pp->next)
		if (pp->fifo && pp->mnt == mnt && pp->ino == ino)
			return pp;
	struct pipe *pp = create ? pipe_new() : NULL;
	if (pp) {
		pp->buf.readers = pp->buf.writers = 0;
		pp->fifo = true, pp->mnt = mnt, pp->ino = ino;
	}
	return pp;
}

void pipe_open_end(struct pipe *pp, bool read_end)
{
	struct pipe_queue keep = {0};
	if (read_end)
		pp->buf.readers++;
	else
		pp->buf.writers++;
	while (pp->openers.head) {
		struct pipe_wait *w = queue_pop(&pp->openers);
		if ((w->done != 0) == read_end) { /* waits for the other kind */
			queue_push(&keep, w);
			continue;
		}
		answer(w->client, (long)w->n, 0, false); /* if it is gone: its fd goes with it */
		wait_free(w);
	}
	pp->openers = keep;
}

int pipe_wait_open(struct pipe *pp, int pid, srv_client c, int fd, bool read_end)
{
	struct pipe_wait *w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	*w = (struct pipe_wait){.client = c, .pid = pid, .n = (size_t)fd, .done = read_end};
	queue_push(&pp->openers, w);
	return 0;
}

bool pipe_read_waits(const struct pipe *pp)
{
	return pp->readers.head || pipebuf_read_blocks(&pp->buf);
}

size_t pipe_write_room(const struct pipe *pp)
{
	return pp->writers.head || pipebuf_write_epipe(&pp->buf) ? 0 : pipebuf_space(&pp->buf);
}

void pipe_close_end(struct pipe *pp, bool read_end)
{
	if (read_end)
		pp->buf.readers--;
	else
		pp->buf.writers--;
	pipe_wake(pp);
	if (pp->buf.readers > 0 || pp->buf.writers > 0)
		return;
	while (pp->readers.head) /* none are left: woken with end of file */
		wait_free(queue_pop(&pp->readers));
	while (pp->writers.head)
		wait_free(queue_pop(&pp->writers));
	while (pp->openers.head)
		wait_free(queue_pop(&pp->openers));
	if (pp->prev)
		pp->prev->next = pp->next;
	else
		pipes.all = pp->next;
	if (pp->next)
		pp->next->prev = pp->prev;
	free(pp);
}

bool pipe_read(struct pipe *pp, int pid, srv_client c, size_t n, bool win, long *result)
{
	if (n == 0) {
		*result = 0;
		return false;
	}
	if (!pp->readers.head && !pipebuf_read_blocks(&pp->buf)) {
		serve_read(pp, c, n, win);
		pipe_wake(pp); /* room for waiting writers */
		return true;
	}
	struct pipe_wait *w = calloc(1, sizeof(*w));
	if (!w) {
		*result = -ENOMEM;
		return false;
	}
	*w = (struct pipe_wait){.client = c, .pid = pid, .n = n, .win = win};
	queue_push(&pp->readers, w);
	return true;
}

bool pipe_write(struct pipe *pp, int pid, srv_client c, const void *buf, size_t n, bool win,
                long *result)
{
	long k = 0;
	if (pipebuf_write_epipe(&pp->buf) || n == 0) {
		*result = n ? -EPIPE : 0;
		return false;
	}
	if (!pp->writers.head && !pipebuf_write_blocks(&pp->buf, n))
		k = win ? from_window(pp, c, 0, n) : (long)pipebuf_write(&pp->buf, buf, n);
	struct pipe_wait *w = k >= 0 && (size_t)k < n ? calloc(1, sizeof(*w)) : NULL;
	char *copy = w && !win ? malloc(n) : NULL;
	if (!w || (!win && !copy)) { /* all in, the window failed, or no memory */
		free(w);
		pipe_wake(pp);
		*result = k ? k : -ENOMEM;
		return false;
	}
	if (copy)
		memcpy(copy, buf, n);
	*w = (struct pipe_wait){
	    .client = c, .pid = pid, .n = n, .done = (size_t)k, .win = win, .data = copy};
	queue_push(&pp->writers, w);
	pipe_wake(pp);
	return true;
}

/* Drops pid's waiters from q. */
static void queue_cancel(struct pipe_queue *q, int pid)
{
	struct pipe_wait *keep = NULL, *last = NULL;
	while (q->head) {
		struct pipe_wait *w = queue_pop(q);
		if (w->pid == pid) {
			wait_free(w);
			continue;
		}
		w->next = NULL;
		if (last)
			last->next = w;
		else
			keep = w;
		last = w;
	}
	q->head = keep;
	q->tail = last;
}

void pipe_cancel(int pid)
{
	for (struct pipe *pp = pipes.all; pp; pp = pp->next) {
		queue_cancel(&pp->readers, pid);
		queue_cancel(&pp->writers, pid);
		queue_cancel(&pp->openers, pid);
		pipe_wake(pp);
	}
}

size_t pipe_live(void)
{
	size_t n = 0;
	for (struct pipe *pp = pipes.all; pp; pp = pp->next)
		n++;
	return n;
}

size_t pipe_waiting(void)
{
	size_t n = 0;
	for (struct pipe *pp = pipes.all; pp; pp = pp->next) {
		for (struct pipe_wait *w = pp->readers.head; w; w = w->next)
			n++;
		for (struct pipe_wait *w = pp->writers.head; w; w = w->next)
			n++;
		for (struct pipe_wait *w = pp->openers.head; w; w = w->next)
			n++;
	}
	return n;
}
