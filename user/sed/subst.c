/* sed's s command on one pattern space (see sed.h): the matching loop,
 * with POSIX's rule for empty matches, and the replacement's & and \N. */
#include <stdlib.h>
#include <string.h>

#include "sed.h"

struct buf {
	char *s;
	size_t n, cap;
	bool oom;
};

static void put(struct buf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t cap = (b->n + n + 1) * 2;
		char *t = realloc(b->s, cap);
		if (!t) {
			b->oom = true;
			return;
		}
		b->s = t, b->cap = cap;
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = 0;
}

static void expand(struct buf *b, const char *repl, const char *s, const regmatch_t *m)
{
	for (const char *r = repl; *r; r++) {
		if (*r == '&') {
			put(b, s + m[0].rm_so, (size_t)(m[0].rm_eo - m[0].rm_so));
		} else if (*r == '\\' && r[1] >= '1' && r[1] <= '9') {
			int g = *++r - '0';
			if (m[g].rm_so >= 0)
				put(b, s + m[g].rm_so, (size_t)(m[g].rm_eo - m[g].rm_so));
		} else if (*r == '\\' && r[1]) {
			r++;
			put(b, *r == 'n' ? "\n" : *r == 't' ? "\t" : r, 1);
		} else {
			put(b, r, 1);
		}
	}
}

int sed_subst(const regex_t *re, const char *repl, bool global, int nth, const char *s, char **out)
{
	struct buf b = {0};
	regmatch_t m[10];
	size_t pos = 0, len = strlen(s);
	long prev_end = -1; /* where the last non-empty match ended */
	int count = 0, done = 0;
	put(&b, "", 0);
	while (pos <= len && regexec(re, s + pos, 10, m, pos ? REG_NOTBOL : 0) == 0) {
		size_t so = pos + (size_t)m[0].rm_so, eo = pos + (size_t)m[0].rm_eo;
		if (so == eo && (long)so == prev_end) { /* empty, right after a match */
			if (so >= len)
				break;
			put(&b, s + pos, so - pos + 1);
			pos = so + 1;
			continue;
		}
		count++;
		put(&b, s + pos, so - pos);
		if (count >= nth) {
			for (int g = 0; g < 10; g++) /* offsets into s, for expand */
				if (m[g].rm_so >= 0)
					m[g].rm_so += (regoff_t)pos, m[g].rm_eo += (regoff_t)pos;
			expand(&b, repl, s, m);
			done = 1;
		} else {
			put(&b, s + so, eo - so);
		}
		prev_end = (long)eo;
		if (done && !global) {
			pos = eo;
			break;
		}
		if (so == eo) {
			if (so < len)
				put(&b, s + so, 1);
			pos = eo + 1;
		} else {
			pos = eo;
		}
	}
	if (pos < len)
		put(&b, s + pos, len - pos);
	if (b.oom || !done) {
		free(b.s);
		return b.oom ? -1 : 0;
	}
	*out = b.s;
	return 1;
}
