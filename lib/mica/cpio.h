/* Reader for "new ASCII" cpio archives (cpio -H newc, magic 070701), the
 * initial RAM disk format. Pure and freestanding: entries point into the
 * archive, nothing is copied or allocated. */
#ifndef MICA_CPIO_H
#define MICA_CPIO_H

#include <stddef.h>
#include <stdint.h>

/* One archive entry; name and data point into the archive. */
struct cpio_file {
	const char *name; /* NUL-terminated, as stored (maybe with "./") */
	size_t namelen;   /* without the NUL */
	const void *data;
	size_t size;
	uint32_t mode; /* c_mode: file type and permission bits */
};

/* Reads the entry at *off (0 for the first) and advances *off past it and
 * its padding. Returns 1 with *f filled, 0 at the TRAILER!!! entry (*f
 * untouched), or -EINVAL if the entry is malformed: bad magic, a non-hex
 * digit, a name not NUL-terminated where c_namesize says (or with a NUL
 * before that), or a name or data past the end. Never reads outside
 * archive[0..size). */
int cpio_next(const void *archive, size_t size, size_t *off, struct cpio_file *f);

/* Finds path; a leading "/" or "./" on either the stored name or path is
 * ignored ("/bin/ktest" finds "bin/ktest" and "./bin/ktest"). Returns 0
 * with *f filled, -ENOENT, or -EINVAL if the archive is malformed before
 * the file is found. */
int cpio_find(const void *archive, size_t size, const char *path, struct cpio_file *f);

#endif
