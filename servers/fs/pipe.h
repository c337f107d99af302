/* Pipes in the fs server: the ring buffer (pipebuf.h) and the readers and
 * writers waiting on it as deferred replies, served in arrival order. The
 * queues are lists, as long as the number of blocked clients. A read
 * takes bytes out of the pipe only once its reply got through, so a
 * reader killed while it waited never swallows data meant for the next;
 * a writer whose reply fails is simply dropped. A request with a window
 * (srv_window) moves its bytes between the ring and the client's memory
 * directly, and its count travels in m0 of the answer. */
#ifndef FS_PIPE_H
#define FS_PIPE_H

#include <stdbool.h>
#include <stddef.h>

#include "mica/server.h"
#include "pipebuf.h"

struct pipe_wait {
	struct pipe_wait *next;
	srv_client client;
	int pid;     /* who waits: pipe_cancel drops it */
	size_t n;    /* read: bytes wanted; write: bytes in data */
	size_t done; /* write: bytes already in the pipe */
	bool win;    /* the bytes move through the client's window */
	char *data;  /* write without a window: a copy of all n bytes */
};

struct pipe_queue {
	struct pipe_wait *head, *tail;
};

struct pipe {
	struct pipebuf buf;
	struct pipe_queue readers, writers;
	struct pipe_queue openers; /* FIFO opens waiting for the other end: n the fd,
	                              done 1 for a reader */
	bool fifo;                 /* a named pipe: the node (mnt, ino) */
	int mnt;
	uint64_t ino;
	struct pipe *prev, *next; /* every live pipe, for pipe_cancel */
};

/* The server whose deferred clients the pipes answer (srv_answer; a
 * read's bytes are gathered at srv_out). Before any other call. */
void pipe_setup(struct server *s);

/* A pipe with one read end and one write end open; NULL without memory. */
struct pipe *pipe_new(void);

/* The named pipe of node (mnt, ino); with create, a new one with no
 * ends open if there is none. NULL if none, or no memory. */
struct pipe *pipe_fifo(int mnt, uint64_t ino, bool create);

/* A FIFO end opens: counted, and opens waiting for this kind of end are
 * answered with their descriptors. */
void pipe_open_end(struct pipe *pp, bool read_end);

/* An open of a FIFO end by pid (descriptor fd) waits for the other end:
 * 0, or -ENOMEM. */
int pipe_wait_open(struct pipe *pp, int pid, srv_client c, int fd, bool read_end);

/* What a request would meet now, for O_NONBLOCK and poll: a read has
 * nothing and would wait; the bytes a write could put in at once (0 if
 * it would wait). */
bool pipe_read_waits(const struct pipe *pp);
size_t pipe_write_room(const struct pipe *pp);

/* Closes one end; the last close of both frees the pipe (every waiter
 * has its answer by then: end of file or EPIPE). */
void pipe_close_end(struct pipe *pp, bool read_end);

/* A read of up to n bytes by pid (win: into its window, else at most
 * IPC_MAX as the answer's payload). True: answered already or queued
 * (the caller must not reply). False: reply *result now (0 for n == 0,
 * or -ENOMEM). */
bool pipe_read(struct pipe *pp, int pid, srv_client c, size_t n, bool win, long *result);

/* A write of n bytes by pid: buf[n], or with win the first n bytes of
 * its window. True: queued, answered when all of it is in (or with
 * EPIPE, or -EFAULT if the window fails before any byte went in). False:
 * reply *result now: n, a short count, -EPIPE, -EFAULT or -ENOMEM.
 * Writes up to PIPEBUF_ATOMIC bytes are not split. */
bool pipe_write(struct pipe *pp, int pid, srv_client c, const void *buf, size_t n, bool win,
                long *result);

/* Forgets every request pid has waiting, without replies (it is gone),
 * and lets the others go on. */
void pipe_cancel(int pid);

/* Live pipes, and requests waiting in all of them. */
size_t pipe_live(void);
size_t pipe_waiting(void);

#endif
