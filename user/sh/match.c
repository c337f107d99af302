/* Pattern matching (XCU 2.13) for case, ${x%pat} and pathname expansion:
 * fnmatch() does the matching; this file trims and walks directories. */
#include <dirent.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "expand.h"

bool sh_match(const char *pat, const char *s)
{
	return fnmatch(pat, s, 0) == 0;
}

/* Does the prefix s[0..n) match? */
static bool prefix_matches(const char *pat, const char *s, size_t n)
{
	char *p = strndup(s, n);
	bool m = p && sh_match(pat, p);
	free(p);
	return m;
}

char *sh_trim(const char *v, const char *pat, char op)
{
	size_t n = strlen(v);
	if (op == '#' || op == 'H') {
		for (size_t i = 0; i <= n; i++) {
			size_t k = op == '#' ? i : n - i;
			if (prefix_matches(pat, v, k))
				return strdup(v + k);
		}
	} else {
		for (size_t i = 0; i <= n; i++) {
			size_t k = op == '%' ? n - i : i;
			if (sh_match(pat, v + k))
				return strndup(v, k);
		}
	}
	return strdup(v);
}

/* Does the [ at p start a bracket expression, closed by a ]? A lone [
 * is an ordinary character (XCU 2.13.1). */
static bool is_bracket(const char *p)
{
	p += 1 + (p[1] == '!' || p[1] == '^');
	if (*p == ']')
		p++;
	for (; *p && *p != '/'; p++)
		if (*p == ']')
			return true;
	return false;
}

bool sh_has_glob(const char *p)
{
	for (; *p; p++) {
		if (*p == '\\' && p[1])
			p++;
		else if (*p == '*' || *p == '?' || (*p == '[' && is_bracket(p)))
			return true;
	}
	return false;
}

char *sh_unescape(const char *p)
{
	char *s = malloc(strlen(p) + 1), *d = s;
	for (; s && *p; p++) {
		if (*p == '\\' && p[1])
			p++;
		*d++ = *p;
	}
	if (s)
		*d = '\0';
	return s;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Joins dir and name with a / unless dir is empty or ends in one. */
static char *join(const char *dir, const char *name, size_t nlen)
{
	size_t dl = strlen(dir);
	bool slash = dl && dir[dl - 1] != '/';
	char *s = malloc(dl + slash + nlen + 1);
	if (!s)
		return NULL;
	memcpy(s, dir, dl);
	if (slash)
		s[dl] = '/';
	memcpy(s + dl + slash, name, nlen);
	s[dl + slash + nlen] = '\0';
	return s;
}

static void expand_in(const char *dir, const char *rest, struct strv *out);

/* Names in dir matching the component comp, then the rest under each. */
static void match_dir(const char *dir, const char *comp, const char *rest, struct strv *out)
{
	DIR *d = opendir(*dir ? dir : ".");
	struct dirent *de;
	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' && comp[0] != '.')
			continue;
		if (fnmatch(comp, de->d_name, FNM_PERIOD))
			continue;
		char *path = join(dir, de->d_name, strlen(de->d_name));
		if (path && !rest)
			strv_push(out, path);
		else if (path)
			expand_in(path, rest, out), free(path);
	}
	closedir(d);
}

/* Expands the pattern components in p under dir, one at a time. */
static void expand_in(const char *dir, const char *p, struct strv *out)
{
	size_t n = strcspn(p, "/");
	const char *rest = p[n] ? p + n + 1 : NULL;
	char *comp = strndup(p, n);
	if (!comp)
		return;
	if (sh_has_glob(comp)) {
		match_dir(dir, comp, rest, out);
	} else {
		char *lit = sh_unescape(comp), *path = lit ? join(dir, lit, strlen(lit)) : NULL;
		if (path && !rest) {
			if (access(path, F_OK) == 0)
				strv_push(out, path), path = NULL;
		} else if (path) {
			expand_in(path, rest, out);
		}
		free(path);
		free(lit);
	}
	free(comp);
}

int sh_glob(const char *pattern, struct strv *out)
{
	int before = out->n;
	if (pattern[0] == '/')
		expand_in("/", pattern + 1, out);
	else
		expand_in("", pattern, out);
	if (out->n > before)
		qsort(out->v + before, (size_t)(out->n - before), sizeof(char *), cmp_str);
	return out->n - before;
}
