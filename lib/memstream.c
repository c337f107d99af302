/* open_memstream: a write stream into a buffer that grows as needed; at
 * each flush and at close *bufp and *sizep show the data so far, with a
 * NUL after it. A picolibc stream with put/flush/seek/close hooks. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One stream; xfile first, so the FILE * is the memstream. */
struct memstream {
	struct __file_ext xfile;
	char **bufp;
	size_t *sizep;
	char *buf;
	size_t cap; /* bytes allocated, always more than len */
	size_t len; /* bytes of data */
	size_t pos;
};

static struct memstream *ms_of(FILE *f)
{
	return (struct memstream *)f;
}

/* Room for at least want bytes and a NUL, zero-filled past the data. */
static int ms_reserve(struct memstream *m, size_t want)
{
	if (want < m->cap)
		return 0;
	size_t cap = m->cap * 2 > want + 1 ? m->cap * 2 : want + 1;
	char *b = realloc(m->buf, cap);
	if (!b)
		return -1;
	memset(b + m->cap, 0, cap - m->cap);
	m->buf = b;
	m->cap = cap;
	return 0;
}

static int ms_flush(FILE *f)
{
	struct memstream *m = ms_of(f);
	*m->bufp = m->buf;
	*m->sizep = m->pos < m->len ? m->pos : m->len;
	return 0;
}

static int ms_put(char c, FILE *f)
{
	struct memstream *m = ms_of(f);
	if (ms_reserve(m, m->pos + 1) < 0)
		return _FDEV_ERR;
	m->buf[m->pos++] = c;
	if (m->pos > m->len)
		m->len = m->pos;
	m->buf[m->len] = '\0';
	ms_flush(f);
	return (unsigned char)c;
}

static __off_t ms_seek(FILE *f, __off_t off, int whence)
{
	struct memstream *m = ms_of(f);
	__off_t base = whence == SEEK_SET   ? 0
	               : whence == SEEK_CUR ? (__off_t)m->pos
	                                    : (__off_t)m->len;
	if ((whence != SEEK_SET && whence != SEEK_CUR && whence != SEEK_END) || base + off < 0) {
		errno = EINVAL;
		return -1;
	}
	if (ms_reserve(m, (size_t)(base + off)) < 0)
		return -1;
	m->pos = (size_t)(base + off);
	return (__off_t)m->pos;
}

/* The buffer stays: it is the caller's to free. */
static int ms_close(FILE *f)
{
	ms_flush(f);
	free(ms_of(f));
	return 0;
}

FILE *open_memstream(char **bufp, size_t *sizep)
{
	if (!bufp || !sizep) {
		errno = EINVAL;
		return NULL;
	}
	struct memstream *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	*m = (struct memstream){
	    .xfile = FDEV_SETUP_EXT(ms_put, NULL, ms_flush, ms_close, ms_seek, NULL, __SWR),
	    .bufp = bufp,
	    .sizep = sizep,
	};
	if (ms_reserve(m, 0) < 0) {
		free(m);
		return NULL;
	}
	ms_flush(&m->xfile.cfile.file);
	return &m->xfile.cfile.file;
}
