/* Myers' greedy shortest-edit-script search (see lcs.h), after trimming
 * the common prefix and suffix; each round's furthest-reaching diagonals
 * are kept to walk the path back. Deletions come before insertions. */
#include <stdlib.h>
#include <string.h>

#include "lcs.h"

/* Marks the lines outside the longest common subsequence of a and b:
 * dels[i] for a[i], ins[j] for b[j]; 0, or -1 if memory ran out. */
static int myers(const long *a, long n, const long *b, long m, char *dels, char *ins)
{
	long max = n + m, *v = malloc(sizeof(long) * (size_t)(2 * max + 3));
	long *trace = NULL, tlen = 0, tcap = 0, d, x = 0, y = 0;
	if (!v)
		return -1;
	long off = max + 1;
	v[off + 1] = 0;
	for (d = 0; d <= max; d++) {
		if (tlen + 2 * d + 1 > tcap) { /* keep rounds 0..d-1 to walk back */
			tcap = (tlen + 2 * d + 1) * 2;
			long *t = realloc(trace, sizeof(long) * (size_t)tcap);
			if (!t) {
				free(v), free(trace);
				return -1;
			}
			trace = t;
		}
		int done = 0;
		for (long k = -d; k <= d && !done; k += 2) {
			x = k == -d || (k != d && v[off + k - 1] < v[off + k + 1])
			        ? v[off + k + 1]
			        : v[off + k - 1] + 1;
			y = x - k;
			while (x < n && y < m && a[x] == b[y])
				x++, y++;
			v[off + k] = x;
			done = x >= n && y >= m;
		}
		memcpy(trace + tlen, v + off - d, sizeof(long) * (size_t)(2 * d + 1));
		tlen += 2 * d + 1;
		if (done)
			break;
	}
	/* Walk back from (n, m): round d's start is at tlen - (2d+1). */
	x = n, y = m;
	for (; d > 0; d--) {
		tlen -= 2 * d + 1;
		const long *prev =
		    trace + tlen - (2 * d - 1) + (d - 1); /* prev[k], k in [-(d-1), d-1] */
		long k = x - y, pk;
		pk = k == -d || (k != d && prev[k - 1] < prev[k + 1]) ? k + 1 : k - 1;
		long px = prev[pk], py = px - pk;
		if (pk == k + 1)
			ins[py] = 1; /* down: b[py] inserted */
		else
			dels[px] = 1; /* right: a[px] deleted */
		x = px, y = py;
	}
	free(v), free(trace);
	return 0;
}

long lcs_diff(const long *a, size_t na, const long *b, size_t nb, struct lcs_hunk **out)
{
	size_t pre = 0, suf = 0;
	while (pre < na && pre < nb && a[pre] == b[pre])
		pre++;
	while (suf < na - pre && suf < nb - pre && a[na - 1 - suf] == b[nb - 1 - suf])
		suf++;
	size_t n = na - pre - suf, m = nb - pre - suf;
	char *dels = calloc(na + 1, 1), *ins = calloc(nb + 1, 1);
	*out = NULL;
	if (!dels || !ins || myers(a + pre, (long)n, b + pre, (long)m, dels + pre, ins + pre) < 0) {
		free(dels), free(ins);
		return -1;
	}
	long nh = 0, cap = 0;
	for (size_t i = 0, j = 0; i < na || j < nb;) {
		if (i < na && j < nb && !dels[i] && !ins[j]) {
			i++, j++;
			continue;
		}
		struct lcs_hunk h = {i, i, j, j};
		while ((i < na && dels[i]) || (j < nb && ins[j])) {
			while (i < na && dels[i])
				i++;
			while (j < nb && ins[j])
				j++;
		}
		h.a1 = i, h.b1 = j;
		if (nh == cap) {
			cap = cap ? cap * 2 : 16;
			struct lcs_hunk *t = realloc(*out, sizeof(**out) * (size_t)cap);
			if (!t) {
				free(*out), free(dels), free(ins);
				return -1;
			}
			*out = t;
		}
		(*out)[nh++] = h;
	}
	free(dels), free(ins);
	return nh;
}
