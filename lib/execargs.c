/* PM_EXEC's argument block (mica/execargs.h): packing on the client's
 * side, and the check pm makes of bytes it cannot trust. Sizes are added
 * up against the limit as they go, so nothing can overflow. */
#include <string.h>

#include "mica/errno.h"
#include "mica/execargs.h"

#define HDR sizeof(struct execargs_hdr)

/* Adds v's strings to *bytes and *charge; false once the charge passes ARG_MAX. */
static int count_vector(char *const v[], size_t *bytes, size_t *charge, uint32_t *n)
{
	for (size_t i = 0; v && v[i]; i++) {
		size_t len = strlen(v[i]) + 1;
		if (len > ARG_MAX || len + EXECARGS_WORD > ARG_MAX - *charge)
			return 0;
		*charge += len + EXECARGS_WORD;
		*bytes += len;
		(*n)++;
	}
	return 1;
}

/* The block's size, with the counts in *h. */
static long block_size(const char *path, char *const argv[], char *const envp[],
                       struct execargs_hdr *h)
{
	size_t plen = strlen(path) + 1, bytes = 0, charge = 2 * EXECARGS_WORD;
	*h = (struct execargs_hdr){0};
	if (plen > EXECARGS_PATH_MAX)
		return -ENAMETOOLONG;
	if (!count_vector(argv, &bytes, &charge, &h->argc) ||
	    !count_vector(envp, &bytes, &charge, &h->envc))
		return -E2BIG;
	return (long)(HDR + plen + bytes);
}

long execargs_size(const char *path, char *const argv[], char *const envp[])
{
	struct execargs_hdr h;
	return block_size(path, argv, envp, &h);
}

static char *put_vector(char *p, char *const v[], uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		size_t len = strlen(v[i]) + 1;
		memcpy(p, v[i], len);
		p += len;
	}
	return p;
}

long execargs_pack(void *buf, size_t bufsize, const char *path, char *const argv[],
                   char *const envp[])
{
	struct execargs_hdr h;
	long n = block_size(path, argv, envp, &h);
	if (n < 0)
		return n;
	if ((size_t)n > bufsize)
		return -E2BIG;
	char *p = buf;
	memcpy(p, &h, HDR);
	p += HDR;
	memcpy(p, path, strlen(path) + 1);
	p += strlen(path) + 1;
	p = put_vector(p, argv, h.argc);
	put_vector(p, envp, h.envc);
	return n;
}

/* Walks n strings from *p, which must stay below end; the bytes in *bytes. */
static int walk_strings(const char **p, const char *end, uint32_t n, size_t *bytes)
{
	const char *s = *p;
	for (uint32_t i = 0; i < n; i++) {
		if (s >= end)
			return -EINVAL;
		const char *nul = memchr(s, '\0', (size_t)(end - s));
		if (!nul)
			return -EINVAL;
		s = nul + 1;
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
	const char *path = b + HDR, *pend = memchr(path, '\0', (size_t)(end - path));
	if (!pend)
		return -EINVAL;
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
