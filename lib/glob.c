/* glob and globfree (POSIX pathname expansion): the pattern is walked one
 * component at a time; a component with wildcards is matched by fnmatch
 * against each name of its directory, one without is taken as written. */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <glob.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* One call's state: the paths found so far (appended to pglob at the end). */
struct walk {
	int flags;
	int (*errfunc)(const char *, int);
	char **paths;
	size_t n, cap;
};

/* Does s (up to len bytes) hold a wildcard that is not escaped? */
static bool has_magic(const char *s, size_t len, int flags)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\\' && !(flags & GLOB_NOESCAPE) && i + 1 < len)
			i++;
		else if (s[i] == '*' || s[i] == '?' || s[i] == '[')
			return true;
	}
	return false;
}

static int add_path(struct walk *w, const char *path, size_t len)
{
	if (w->n == w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 16;
		char **p = realloc(w->paths, cap * sizeof(*p));
		if (!p)
			return GLOB_NOSPACE;
		w->paths = p;
		w->cap = cap;
	}
	char *s = malloc(len + 1);
	if (!s)
		return GLOB_NOSPACE;
	memcpy(s, path, len);
	s[len] = 0;
	w->paths[w->n++] = s;
	return 0;
}

/* buf[0..len) is a path that exists: record it, with a / for GLOB_MARK
 * on a directory (or a directory the pattern's trailing / asked for). */
static int found(struct walk *w, char *buf, size_t len, bool want_dir)
{
	struct stat st;
	bool is_dir =
	    (w->flags & GLOB_MARK) || want_dir ? stat(buf, &st) == 0 && S_ISDIR(st.st_mode) : false;
	if (want_dir && !is_dir)
		return 0;
	if ((w->flags & GLOB_MARK) && is_dir && (len == 0 || buf[len - 1] != '/'))
		buf[len++] = '/';
	return add_path(w, buf, len);
}

static int walk(struct walk *w, char *buf, size_t len, const char *pat);

/* A component with wildcards: every name in the directory buf[0..len)
 * that fnmatch accepts, then the rest of the pattern under it. */
static int walk_dir(struct walk *w, char *buf, size_t len, const char *comp, size_t clen,
                    const char *rest)
{
	char cpat[NAME_MAX + 1];
	if (clen > NAME_MAX)
		return 0;
	memcpy(cpat, comp, clen);
	cpat[clen] = 0;
	buf[len] = 0;
	DIR *d = opendir(len ? buf : ".");
	if (!d) {
		int e = errno;
		if ((w->errfunc && w->errfunc(len ? buf : ".", e)) || (w->flags & GLOB_ERR))
			return GLOB_ABORTED;
		return 0;
	}
	int fl = (w->flags & GLOB_NOESCAPE ? FNM_NOESCAPE : 0) |
	         (w->flags & GLOB_PERIOD ? 0 : FNM_PERIOD);
	int r = 0;
	struct dirent *e;
	while (r == 0 && (e = readdir(d))) {
		size_t nlen = strlen(e->d_name);
		if (len + nlen + 2 > PATH_MAX || fnmatch(cpat, e->d_name, fl) != 0)
			continue;
		memcpy(buf + len, e->d_name, nlen + 1);
		r = *rest ? walk(w, buf, len + nlen, rest) : found(w, buf, len + nlen, false);
	}
	closedir(d);
	return r;
}

/* buf[0..len) is matched so far (room for PATH_MAX + 1); pat the rest,
 * starting at the slashes that separate it from buf. */
static int walk(struct walk *w, char *buf, size_t len, const char *pat)
{
	while (*pat == '/') {
		if (len + 2 > PATH_MAX)
			return 0;
		buf[len++] = *pat++;
	}
	buf[len] = 0;
	if (!*pat) {
		struct stat st;
		bool want_dir = len > 0 && buf[len - 1] == '/';
		return lstat(buf, &st) == 0 || stat(buf, &st) == 0 ? found(w, buf, len, want_dir)
		                                                   : 0;
	}
	const char *end = strchr(pat, '/');
	size_t clen = end ? (size_t)(end - pat) : strlen(pat);
	if (has_magic(pat, clen, w->flags))
		return walk_dir(w, buf, len, pat, clen, pat + clen);
	for (size_t i = 0; i < clen; i++) { /* taken as written, escapes removed */
		if (pat[i] == '\\' && !(w->flags & GLOB_NOESCAPE) && i + 1 < clen)
			i++;
		if (len + 2 > PATH_MAX)
			return 0;
		buf[len++] = pat[i];
	}
	return walk(w, buf, len, pat + clen);
}

static int cmp_paths(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Appends w's paths to g (after gl_offs NULLs the first time). */
static int commit(glob_t *g, struct walk *w, int flags)
{
	size_t offs = flags & GLOB_DOOFFS ? g->gl_offs : 0;
	size_t old = flags & GLOB_APPEND ? g->gl_pathc : 0;
	char **v =
	    realloc(flags & GLOB_APPEND ? g->gl_pathv : NULL, (offs + old + w->n + 1) * sizeof(*v));
	if (!v)
		return GLOB_NOSPACE;
	for (size_t i = 0; !(flags & GLOB_APPEND) && i < offs; i++)
		v[i] = NULL;
	memcpy(v + offs + old, w->paths, w->n * sizeof(*v));
	v[offs + old + w->n] = NULL;
	g->gl_pathv = v;
	g->gl_pathc = old + w->n;
	w->n = 0;
	return 0;
}

int glob(const char *restrict pattern, int flags, int (*errfunc)(const char *, int),
         glob_t *restrict g)
{
	struct walk w = {.flags = flags, .errfunc = errfunc};
	char *buf = malloc(PATH_MAX + 1);
	if (!buf)
		return GLOB_NOSPACE;
	if (!(flags & GLOB_DOOFFS))
		g->gl_offs = 0;
	if (!(flags & GLOB_APPEND)) {
		g->gl_pathc = 0;
		g->gl_pathv = NULL;
	}
	g->gl_flags = flags;
	int r = walk(&w, buf, 0, pattern);
	free(buf);
	bool magic = has_magic(pattern, strlen(pattern), flags);
	if (r == 0 && w.n == 0 && ((flags & GLOB_NOCHECK) || ((flags & GLOB_NOMAGIC) && !magic)))
		r = add_path(&w, pattern, strlen(pattern));
	else if (r == 0 && w.n == 0)
		r = GLOB_NOMATCH;
	if (r == 0 && !(flags & GLOB_NOSORT))
		qsort(w.paths, w.n, sizeof(*w.paths), cmp_paths);
	if (r == 0)
		r = commit(g, &w, flags);
	for (size_t i = 0; i < w.n; i++)
		free(w.paths[i]);
	free(w.paths);
	return r;
}

void globfree(glob_t *g)
{
	if (!g->gl_pathv)
		return;
	for (size_t i = 0; i < g->gl_pathc; i++)
		free(g->gl_pathv[g->gl_offs + i]);
	free(g->gl_pathv);
	g->gl_pathv = NULL;
	g->gl_pathc = 0;
}
