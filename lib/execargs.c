/* PM_EXEC's argument block (mica/execargs.h): packing on the client's
 * side, and the check pm makes of bytes it cannot trust. Sizes are added
 * up against the limit as they go, so nothing can overflow. */
#include <stdbool.h>
#include <string.h>

#include "mica/errno.h"
#include "mica/execargs.h"

#define HDR sizeof(struct execargs_hdr)

/* The block being packed: bytes go in only while they fit, the size
 * and the ARG_MAX charge are counted regardless (as snprintf does). */
struct packer {
	char *buf;
	size_t size, used, charge;
};

static void put_string(struct packer *k, const char *s, size_t len)
{
	if (len <= k->size && k->used <= k->size - len)
		memcpy(k->buf + k->used, s, len);
	k->used += len;
}

/* Packs v's strings; false once the charge passes ARG_MAX. */
static bool put_vector(struct packer *k, char *const v[], uint32_t *n)
{
	for (size_t i = 0; v && v[i]; i++) {
		size_t len = strlen(v[i]) + 1;
		if (len > ARG_MAX || len + EXECARGS_WORD > ARG_MAX - k->charge)
			return false;
		k->charge += len + EXECARGS_WORD;
		put_string(k, v[i], len);
		(*n)++;
	}
	return true;
}

long execargs_pack(void *buf, size_t bufsize, const char *path, char *const argv[],
                   char *const envp[])
{
	struct packer k = {buf, bufsize, HDR, 2 * EXECARGS_WORD};
	struct execargs_hdr h = {0, 0};
	size_t plen = strlen(path) + 1;
	if (plen > EXECARGS_PATH_MAX)
		return -ENAMETOOLONG;
	put_string(&k, path, plen);
	if (!put_vector(&k, argv, &h.argc) || !put_vector(&k, envp, &h.envc))
		return -E2BIG;
	if (HDR <= bufsize)
		memcpy(buf, &h, HDR);
	return (long)k.used;
}

long execargs_size(const char *path, char *const argv[], char *const envp[])
{
	return execargs_pack(NULL, 0, path, argv, envp);
}

/* Walks n strings from *p, which must stay below end (end[-1] is a NUL,
 * so no string runs past it); the bytes in *bytes. */
static int walk_strings(const char **p, const char *end, uint32_t n, size_t *bytes)
{
	const char *s = *p;
	for (uint32_t i = 0; i < n; i++) {
		if (s >= end)
			return -EINVAL;
		s += strlen(s) + 1;
	}
	*bytes = (size_t)(s - *p);
	*p = s;
	return 0;
}

int execargs_check(const void *block, size_t len, struct execargs *a)
{
	struct execargs_hdr h;
	const char *b = block, *end = b + len;
	size_t argbytes, envbytes;
	if (len > EXECARGS_BLOCK_MAX)
		return -E2BIG;
	if (len <= HDR)
		return -EINVAL;
	memcpy(&h, b, HDR);
	/* every string charges at least a NUL and a pointer */
	if ((uint64_t)h.argc + h.envc > (ARG_MAX - 2 * EXECARGS_WORD) / (EXECARGS_WORD + 1))
		return -E2BIG;
	if (end[-1] != '\0')
		return -EINVAL; /* the last string is not terminated */
	const char *path = b + HDR, *pend = path + strlen(path);
	if (pend == path)
		return -ENOENT;
	if ((size_t)(pend - path) >= EXECARGS_PATH_MAX)
		return -ENAMETOOLONG;
	const char *strs = pend + 1, *p = strs;
	int err = walk_strings(&p, end, h.argc, &argbytes);
	if (!err)
		err = walk_strings(&p, end, h.envc, &envbytes);
	if (err || p != end)
		return -EINVAL;
	uint64_t charge = argbytes + envbytes + EXECARGS_WORD * ((uint64_t)h.argc + h.envc + 2);
	if (charge > ARG_MAX)
		return -E2BIG;
	*a = (struct execargs){.path = path,
	                       .strs = strs,
	                       .argbytes = argbytes,
	                       .strbytes = argbytes + envbytes,
	                       .argc = h.argc,
	                       .envc = h.envc};
	return 0;
}
