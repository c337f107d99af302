/* The boot archive and the boot arguments, as the root task (pm) finds
 * them in mica_start_arg: set by crt0 from the kernel's registers in
 * user mode, by the kernel itself when pm runs inside it (mono). */
#include <string.h>

#include "mica/cpio.h"
#include "mica/errno.h"
#include "mica/runtime.h"

unsigned long mica_start_arg[3];

int mica_archive_find(const char *path, const void **data, size_t *size)
{
	struct cpio_file f;
	if (!mica_start_arg[1])
		return -ENOENT;
	int err = cpio_find((const void *)mica_start_arg[0], mica_start_arg[1], path, &f);
	if (err)
		return err;
	*data = f.data;
	*size = f.size;
	return 0;
}

int mica_bootarg(const char *key, char *out, size_t outsz)
{
	const char *args = mica_start_arg[1] ? (const char *)mica_start_arg[2] : "";
	size_t klen = strlen(key);
	for (const char *p = args; *p;) {
		while (*p == ' ')
			p++;
		const char *w = p;
		while (*p && *p != ' ')
			p++;
		if ((size_t)(p - w) > klen && !strncmp(w, key, klen) && w[klen] == '=') {
			size_t n = (size_t)(p - w) - klen - 1;
			n = n < outsz - 1 ? n : outsz - 1;
			memcpy(out, w + klen + 1, n);
			out[n] = 0;
			return 0;
		}
	}
	return -ENOENT;
}
