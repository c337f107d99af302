/* sort's keys: parsing -k specifications and comparing two lines by the
 * keys and ordering options, as POSIX and GNU sort define them. */
#ifndef USER_LIB_SORTKEY_H
#define USER_LIB_SORTKEY_H

#include <stddef.h>

/* Ordering options, per key or global. */
#define SK_NUMERIC 0x01 /* -n */
#define SK_REVERSE 0x02 /* -r */
#define SK_FOLD    0x04 /* -f */
#define SK_BSTART  0x08 /* -b, at the key's start */
#define SK_BEND    0x10 /* -b, at the key's end */
#define SK_DICT    0x20 /* -d */
#define SK_GENERAL 0x40 /* -g */
#define SK_NOPRINT 0x80 /* -i */

struct sort_key {
	size_t sfield, schar; /* start: field (from 1), char in it (from 1) */
	size_t efield, echar; /* end: field (0: line end), char (0: field end) */
	unsigned flags;
	int has_flags; /* the key named options: the global ones do not apply */
};

struct sort_opts {
	const struct sort_key *keys;
	int nkeys;
	int tab;         /* the field separator, or -1: blank-to-nonblank */
	unsigned flags;  /* global ordering options */
	int last_resort; /* equal keys: compare whole lines bytewise (not -s, -u) */
};

/* Parses "F[.C][OPTS][,F[.C][OPTS]]"; 0, or -1 with a message in err. */
int sortkey_parse(const char *spec, struct sort_key *k, char *err, size_t errlen);

/* <0, 0, >0 as line a (la bytes, no newline) sorts before, with, after b. */
int sortkey_compare(const struct sort_opts *o, const char *a, size_t la, const char *b, size_t lb);

#endif
