/* Pipe ring buffer: head is the oldest byte, the free run starts at
 * (head + count) mod size. Each copy is at most two memcpy calls, one up
 * to the end of the array and one from its start. */
#include <string.h>

#include "pipebuf.h"

void pipebuf_init(struct pipebuf *p)
{
	p->head = 0;
	p->count = 0;
	p->readers = 1;
	p->writers = 1;
}

size_t pipebuf_count(const struct pipebuf *p)
{
	return p->count;
}

size_t pipebuf_space(const struct pipebuf *p)
{
	return PIPE_BUF_SIZE - p->count;
}

size_t pipebuf_write(struct pipebuf *p, const void *buf, size_t len)
{
	const uint8_t *src = buf;
	size_t n = len < pipebuf_space(p) ? len : pipebuf_space(p);
	size_t tail = (p->head + p->count) % PIPE_BUF_SIZE;
	size_t first = n < PIPE_BUF_SIZE - tail ? n : PIPE_BUF_SIZE - tail;
	memcpy(p->data + tail, src, first);
	memcpy(p->data, src + first, n - first);
	p->count += n;
	return n;
}

size_t pipebuf_peek(const struct pipebuf *p, void *buf, size_t len)
{
	uint8_t *dst = buf;
	size_t n = len < p->count ? len : p->count;
	size_t first = n < PIPE_BUF_SIZE - p->head ? n : PIPE_BUF_SIZE - p->head;
	memcpy(dst, p->data + p->head, first);
	memcpy(dst + first, p->data, n - first);
	return n;
}

void pipebuf_skip(struct pipebuf *p, size_t n)
{
	n = n < p->count ? n : p->count;
	p->head = (p->head + n) % PIPE_BUF_SIZE;
	p->count -= n;
	if (p->count == 0)
		p->head = 0;
}

size_t pipebuf_read(struct pipebuf *p, void *buf, size_t len)
{
	size_t n = pipebuf_peek(p, buf, len);
	pipebuf_skip(p, n);
	return n;
}

size_t pipebuf_rseg(const struct pipebuf *p, size_t at, const uint8_t **seg)
{
	if (at >= p->count)
		return 0;
	size_t start = (p->head + at) % PIPE_BUF_SIZE, left = p->count - at;
	*seg = p->data + start;
	return left < PIPE_BUF_SIZE - start ? left : PIPE_BUF_SIZE - start;
}

size_t pipebuf_wseg(struct pipebuf *p, uint8_t **seg)
{
	size_t tail = (p->head + p->count) % PIPE_BUF_SIZE, space = pipebuf_space(p);
	*seg = p->data + tail;
	return space < PIPE_BUF_SIZE - tail ? space : PIPE_BUF_SIZE - tail;
}

void pipebuf_commit(struct pipebuf *p, size_t n)
{
	p->count += n < pipebuf_space(p) ? n : pipebuf_space(p);
}

bool pipebuf_read_blocks(const struct pipebuf *p)
{
	return p->count == 0 && p->writers > 0;
}

bool pipebuf_read_eof(const struct pipebuf *p)
{
	return p->count == 0 && p->writers == 0;
}

bool pipebuf_write_epipe(const struct pipebuf *p)
{
	return p->readers == 0;
}

bool pipebuf_write_blocks(const struct pipebuf *p, size_t len)
{
	if (p->readers == 0 || len == 0)
		return false;
	if (len <= PIPEBUF_ATOMIC)
		return pipebuf_space(p) < len;
	return pipebuf_space(p) == 0;
}

long pipebuf_try_read(struct pipebuf *p, void *buf, size_t len)
{
	if (len == 0)
		return 0;
	if (pipebuf_read_blocks(p))
		return -EAGAIN;
	return (long)pipebuf_read(p, buf, len);
}

long pipebuf_try_write(struct pipebuf *p, const void *buf, size_t len)
{
	if (len == 0)
		return 0;
	if (pipebuf_write_epipe(p))
		return -EPIPE;
	if (pipebuf_write_blocks(p, len))
		return -EAGAIN;
	return (long)pipebuf_write(p, buf, len);
}
