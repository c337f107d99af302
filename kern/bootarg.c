/* Command-line lookup. The line is never modified. */
#include "bootarg.h"
#include "kstring.h"

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* The value of the last occurrence of key, with its length in *len;
 * NULL if key is absent. A bare key has an empty value. */
static const char *find_value(const char *args, const char *key, size_t *len)
{
	size_t klen = strlen(key);
	const char *found = NULL;
	for (const char *p = args; *p;) {
		while (is_space(*p))
			p++;
		const char *w = p;
		while (*p && !is_space(*p))
			p++;
		if ((size_t)(p - w) < klen || strncmp(w, key, klen) != 0)
			continue;
		const char *v = w + klen;
		if (v != p && *v != '=')
			continue; /* "mica.hzx" is not "mica.hz" */
		found = v == p ? v : v + 1;
		*len = (size_t)(p - found);
	}
	return found;
}

bool bootarg_get(const char *args, const char *key, char *out, size_t outsz)
{
	size_t len;
	const char *v = find_value(args, key, &len);
	if (!v)
		return false;
	if (outsz) {
		size_t n = MIN(len, outsz - 1);
		memcpy(out, v, n);
		out[n] = '\0';
	}
	return true;
}

long bootarg_long(const char *args, const char *key, long def)
{
	size_t len;
	const char *v = find_value(args, key, &len);
	if (!v || len == 0)
		return def;
	bool neg = v[0] == '-';
	if (len == (size_t)neg)
		return def; /* a lone "-" */
	uint64_t mag = 0, limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (size_t i = neg; i < len; i++) {
		unsigned d = (unsigned)(v[i] - '0');
		if (d > 9 || mag > (limit - d) / 10)
			return def; /* not a number, or out of range */
		mag = mag * 10 + d;
	}
	return neg ? (long)(0 - mag) : (long)mag;
}
