/* fmemopen for user programs, replacing picolibc 1.8's, which reports
 * the end of the buffer as a read error (ferror set, feof not). A
 * picolibc stream with put/get/seek/close hooks over a caller's buffer,
 * or one of its own when buf is NULL. Linked before libc.a. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One open memory stream; xfile first, so the FILE * is the memfile. */
struct memfile {
	struct __file_ext xfile;
	char *buf;
	size_t size; /* bytes in buf */
	size_t len;  /* bytes of data: the end for reads and SEEK_END */
	size_t pos;
	bool owned;  /* buf is ours to free */
	bool append; /* writes go at the end */
};

static struct memfile *mf_of(FILE *f)
{
	return (struct memfile *)f;
}

static int mf_get(FILE *f)
{
	struct memfile *m = mf_of(f);
	if (m->pos >= m->len)
		return _FDEV_EOF;
	return (unsigned char)m->buf[m->pos++];
}

/* Writes one byte, keeping a NUL after the data while there is room. */
static int mf_put(char c, FILE *f)
{
	struct memfile *m = mf_of(f);
	if (m->append)
		m->pos = m->len;
	if (m->pos >= m->size)
		return _FDEV_ERR;
	m->buf[m->pos++] = c;
	if (m->pos > m->len)
		m->len = m->pos;
	if (m->len < m->size)
		m->buf[m->len] = '\0';
	return (unsigned char)c;
}

static int mf_flush(FILE *f)
{
	(void)f;
	return 0;
}

static __off_t mf_seek(FILE *f, __off_t off, int whence)
{
	struct memfile *m = mf_of(f);
	__off_t base = whence == SEEK_SET   ? 0
	               : whence == SEEK_CUR ? (__off_t)m->pos
	                                    : (__off_t)m->len;
	if ((whence != SEEK_SET && whence != SEEK_CUR && whence != SEEK_END) || base + off < 0 ||
	    base + off > (__off_t)m->size) {
		errno = EINVAL;
		return -1;
	}
	m->pos = (size_t)(base + off);
	return (__off_t)m->pos;
}

static int mf_close(FILE *f)
{
	struct memfile *m = mf_of(f);
	if (m->owned)
		free(m->buf);
	free(m);
	return 0;
}

/* The stream flags for mode, or 0 if mode is not one fmemopen takes. */
static int mode_flags(const char *mode)
{
	int rw = strchr(mode, '+') ? __SRD | __SWR : 0;
	switch (mode[0]) {
	case 'r':
		return rw | __SRD;
	case 'w':
	case 'a':
		return rw | __SWR;
	default:
		return 0;
	}
}

FILE *fmemopen(void *buf, size_t size, const char *mode)
{
	int flags = mode_flags(mode);
	if (!flags || size == 0) {
		errno = EINVAL;
		return NULL;
	}
	struct memfile *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	*m = (struct memfile){
	    .xfile = FDEV_SETUP_EXT(mf_put, mf_get, mf_flush, mf_close, mf_seek, NULL, flags),
	    .buf = buf ? buf : calloc(1, size),
	    .size = size,
	    .owned = !buf,
	    .append = mode[0] == 'a',
	};
	if (!m->buf) {
		free(m);
		return NULL;
	}
	if (mode[0] == 'r')
		m->len = size;
	else if (mode[0] == 'w')
		m->buf[0] = '\0';
	else
		m->len = m->pos = strnlen(m->buf, size);
	return &m->xfile.cfile.file;
}
