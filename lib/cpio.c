/* cpio "newc" archive reading: a 110-byte header of ASCII hex fields, the
 * NUL-terminated name padded so header and name fill a multiple of 4
 * bytes, then the data padded to a multiple of 4; "TRAILER!!!" ends it. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mica/cpio.h"
#include "mica/errno.h"

#define HDR_SIZE  110
#define MAGIC_LEN 6
#define FIELD_LEN 8
#define TRAILER   "TRAILER!!!"

/* Index of each 8-digit field after the magic. */
enum {
	F_INO,
	F_MODE,
	F_UID,
	F_GID,
	F_NLINK,
	F_MTIME,
	F_FILESIZE,
	F_DEVMAJOR,
	F_DEVMINOR,
	F_RDEVMAJOR,
	F_RDEVMINOR,
	F_NAMESIZE,
	F_CHECK,
	NFIELDS,
};

static bool bytes_equal(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

static size_t str_len(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

/* Parses 8 hex digits at p into *v; false if any is not a hex digit. */
static bool parse_hex(const char *p, uint32_t *v)
{
	uint32_t x = 0;
	for (int i = 0; i < FIELD_LEN; i++) {
		char c = p[i];
		uint32_t d;
		if (c >= '0' && c <= '9')
			d = (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (uint32_t)(c - 'A' + 10);
		else
			return false;
		x = x << 4 | d;
	}
	*v = x;
	return true;
}

/* Rounds pos up to a multiple of 4 into *out, if that is within size. */
static bool pad4(size_t pos, size_t size, size_t *out)
{
	size_t pad = (4 - pos % 4) % 4;
	if (pos > size || pad > size - pos)
		return false;
	*out = pos + pad;
	return true;
}

/* Checks the header at hdr (HDR_SIZE bytes, in bounds) and decodes its
 * fields. */
static bool parse_header(const char *hdr, uint32_t field[NFIELDS])
{
	if (!bytes_equal(hdr, "070701", MAGIC_LEN))
		return false;
	for (int i = 0; i < NFIELDS; i++)
		if (!parse_hex(hdr + MAGIC_LEN + i * FIELD_LEN, &field[i]))
			return false;
	return true;
}

/* Whether name[0..len) holds no NUL (name[len] is the terminator). */
static bool name_is_clean(const char *name, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (name[i] == '\0')
			return false;
	return true;
}

int cpio_next(const void *archive, size_t size, size_t *off, struct cpio_file *f)
{
	const char *a = archive;
	uint32_t field[NFIELDS];
	size_t pos = *off, name_end, data_off, next;

	if (pos > size || size - pos < HDR_SIZE || !parse_header(a + pos, field))
		return -EINVAL;
	uint32_t namesize = field[F_NAMESIZE], filesize = field[F_FILESIZE];
	if (namesize == 0 || namesize > size - pos - HDR_SIZE)
		return -EINVAL;
	const char *name = a + pos + HDR_SIZE;
	name_end = pos + HDR_SIZE + namesize;
	if (name[namesize - 1] != '\0' || !name_is_clean(name, namesize - 1))
		return -EINVAL;
	if (namesize == sizeof(TRAILER) && bytes_equal(name, TRAILER, sizeof(TRAILER))) {
		*off = pad4(name_end, size, &next) ? next : size;
		return 0;
	}
	if (!pad4(name_end, size, &data_off) || filesize > size - data_off)
		return -EINVAL;
	*off = pad4(data_off + filesize, size, &next) ? next : size;
	f->name = name;
	f->namelen = namesize - 1;
	f->data = a + data_off;
	f->size = filesize;
	f->mode = field[F_MODE];
	return 1;
}

/* path without any leading "/" and "./" components. */
static const char *strip_prefix(const char *path)
{
	for (;;) {
		if (path[0] == '/')
			path++;
		else if (path[0] == '.' && path[1] == '/')
			path += 2;
		else
			return path;
	}
}

int cpio_find(const void *archive, size_t size, const char *path, struct cpio_file *f)
{
	const char *want = strip_prefix(path);
	size_t want_len = str_len(want), off = 0;
	struct cpio_file e;
	int r;

	while ((r = cpio_next(archive, size, &off, &e)) == 1) {
		const char *name = strip_prefix(e.name);
		size_t len = e.namelen - (size_t)(name - e.name);
		if (len == want_len && bytes_equal(name, want, len)) {
			*f = e;
			return 0;
		}
	}
	return r == 0 ? -ENOENT : r;
}
