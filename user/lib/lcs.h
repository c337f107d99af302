/* The differences between two sequences of line numbers (equal numbers:
 * equal lines) as a shortest edit script, by Myers' O(ND) algorithm. */
#ifndef USER_LIB_LCS_H
#define USER_LIB_LCS_H

#include <stddef.h>

/* Lines [a0, a1) of the first sequence are replaced by [b0, b1) of the
 * second; either may be empty (an insertion or a deletion). */
struct lcs_hunk {
	size_t a0, a1, b0, b1;
};

/* The hunks, in order, in a malloc'd array *out; returns their number,
 * or -1 if memory ran out. Memory grows with the square of the number of
 * differing lines, not with the files' lengths. */
long lcs_diff(const long *a, size_t na, const long *b, size_t nb, struct lcs_hunk **out);

#endif
