/* The data half of a pipe: a fixed ring buffer with counts of open read
 * and write ends. It never blocks; it tells the fs server when a read or
 * write has to wait, sees end of file, or gets EPIPE. */
#ifndef MICA_FS_PIPEBUF_H
#define MICA_FS_PIPEBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mica/errno.h"

#define PIPE_BUF_SIZE 4096
/* Writes up to this many bytes are all-or-nothing: picolibc's PIPE_BUF
 * (<limits.h>), the guarantee programs built for Mica can count on. */
#define PIPEBUF_ATOMIC 512

struct pipebuf {
	uint8_t data[PIPE_BUF_SIZE];
	size_t head;  /* index of the oldest byte */
	size_t count; /* bytes held */
	int readers;  /* open read ends */
	int writers;  /* open write ends */
};

/* Empty, with one reader and one writer (the two ends pipe() returns). */
void pipebuf_init(struct pipebuf *p);

/* Bytes held, and room left. */
size_t pipebuf_count(const struct pipebuf *p);
size_t pipebuf_space(const struct pipebuf *p);

/* Copies in as much of buf as fits; returns the bytes taken (0 when
 * full). Ignores the reader count and atomicity: see pipebuf_try_write. */
size_t pipebuf_write(struct pipebuf *p, const void *buf, size_t len);

/* Copies out up to len bytes, oldest first; returns how many. */
size_t pipebuf_read(struct pipebuf *p, void *buf, size_t len);

/* pipebuf_read in two steps: peek copies out up to len bytes and leaves
 * them in; skip then drops the first n (at most the count). The server
 * takes bytes out only once the reader has them. */
size_t pipebuf_peek(const struct pipebuf *p, void *buf, size_t len);
void pipebuf_skip(struct pipebuf *p, size_t n);

/* The ring in place, for copies that are not memcpy (a client's window):
 * rseg gives the run of held bytes that starts at offset at (0: the
 * oldest), wseg the run of free space where the next byte goes; each
 * returns its length (0: none). commit then counts n bytes written at
 * the free run as held. */
size_t pipebuf_rseg(const struct pipebuf *p, size_t at, const uint8_t **seg);
size_t pipebuf_wseg(struct pipebuf *p, uint8_t **seg);
void pipebuf_commit(struct pipebuf *p, size_t n);

/* A read finds nothing and must wait for a writer (empty, writers > 0). */
bool pipebuf_read_blocks(const struct pipebuf *p);
/* A read returns 0, end of file (empty, no writers left). */
bool pipebuf_read_eof(const struct pipebuf *p);
/* A write fails with EPIPE (and SIGPIPE): no reader left. */
bool pipebuf_write_epipe(const struct pipebuf *p);
/* A write of len bytes must wait: a reader exists and either len is at
 * most PIPEBUF_ATOMIC and does not fit whole, or the buffer is full. */
bool pipebuf_write_blocks(const struct pipebuf *p, size_t len);

/* The server's one-call versions. try_read: bytes read (> 0), 0 at end
 * of file, -EAGAIN if it must wait. try_write: bytes taken (> 0; a large
 * write may be partial and the rest sent later), 0 for len 0, -EPIPE, or
 * -EAGAIN if it must wait (nothing was taken). */
long pipebuf_try_read(struct pipebuf *p, void *buf, size_t len);
long pipebuf_try_write(struct pipebuf *p, const void *buf, size_t len);

#endif
