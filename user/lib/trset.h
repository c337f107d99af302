/* tr's SET operands: escapes, ranges, [:class:], [=c=] and [c*n] expanded
 * into the list of bytes they stand for, in order. */
#ifndef USER_LIB_TRSET_H
#define USER_LIB_TRSET_H

#include <stddef.h>

#define TRSET_MAX 4096

struct trset {
	unsigned char c[TRSET_MAX];
	size_t n;
	long fill; /* index of a [c*] (repeat to SET1's length) in c, or -1 */
};

/* Expands s into set; 0, or -1 with a message (tr's wording) in err. */
int trset_parse(const char *s, struct trset *set, char *err, size_t errlen);

/* Replaces set by the bytes 0..255 that are not in it, ascending. */
void trset_complement(struct trset *set);

/* Stretches SET2 to n bytes: a [c*] fills the gap, or else its last byte
 * repeats; longer sets stay as they are. */
void trset_extend(struct trset *set, size_t n);

#endif
