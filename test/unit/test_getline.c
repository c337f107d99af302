/* lib/getline.c against the host's getdelim: many inputs (random bytes
 * and delimiters, empty records, no final delimiter, records longer than
 * the buffer), each read through fmemopen by both, record by record. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mica/getline.h"

#define MAXLEN 5000

static char input[MAXLEN];

/* A pseudo-random input of len bytes over an alphabet of k letters plus
 * the delimiter. */
static void make_input(size_t len, unsigned seed, int delim, unsigned k)
{
	unsigned x = seed * 2654435761u + 1;
	for (size_t i = 0; i < len; i++) {
		x = x * 1103515245u + 12345u;
		unsigned r = (x >> 16) % (k + 1);
		input[i] = r == k ? (char)delim : (char)('a' + r);
	}
}

/* Reads input[0, len) record by record with both, starting from the given
 * buffer size (0: none), and requires the same records and end. */
static void compare(size_t len, int delim, size_t start)
{
	FILE *h = fmemopen(input, len, "r"), *m = fmemopen(input, len, "r");
	cr_assert(h && m);
	char *hl = NULL, *ml = NULL;
	size_t hn = 0, mn = start;
	if (start)
		ml = malloc(start);
	for (int rec = 0;; rec++) {
		errno = 0;
		ssize_t hr = getdelim(&hl, &hn, delim, h);
		ssize_t mr = mica_getdelim(&ml, &mn, delim, m);
		cr_assert_eq(mr, hr, "len %zu delim %d record %d: %zd, want %zd", len, delim, rec,
		             mr, hr);
		if (hr < 0)
			break;
		cr_assert(mn > (size_t)mr && ml[mr] == '\0', "record %d not terminated", rec);
		cr_assert(!memcmp(ml, hl, (size_t)hr), "len %zu record %d differs", len, rec);
	}
	cr_assert(feof(m) && !ferror(m));
	free(hl), free(ml);
	fclose(h), fclose(m);
}

Test(getline, getdelim_matches_libc_on_many_inputs)
{
	static const size_t lens[] = {1, 2, 3, 10, 127, 128, 129, 255, 256, 1000, MAXLEN};
	static const int delims[] = {'\n', ':', '\0', 0xff};
	static const unsigned alphabets[] = {1, 3, 26, 200};
	for (size_t li = 0; li < sizeof(lens) / sizeof(lens[0]); li++)
		for (size_t di = 0; di < sizeof(delims) / sizeof(delims[0]); di++)
			for (size_t ai = 0; ai < sizeof(alphabets) / sizeof(alphabets[0]); ai++)
				for (unsigned seed = 0; seed < 4; seed++) {
					make_input(lens[li], seed, delims[di], alphabets[ai]);
					compare(lens[li], delims[di], seed == 3 ? 1 : 0);
				}
}

Test(getline, no_delimiter_at_all_is_one_record)
{
	memset(input, 'x', 3000);
	compare(3000, '\n', 0);
	compare(3000, '\n', 16);
}

Test(getline, empty_stream_returns_minus_one)
{
	FILE *f = fmemopen(input, 0, "r");
	char *line = NULL;
	size_t n = 0;
	if (!f) /* glibc before 2.22 refuses an empty buffer */
		f = fopen("/dev/null", "r");
	cr_assert(f);
	cr_assert_eq(mica_getdelim(&line, &n, '\n', f), -1);
	cr_assert(feof(f));
	free(line);
	fclose(f);
}

Test(getline, null_arguments_are_einval)
{
	size_t n = 0;
	char *line = NULL;
	errno = 0;
	cr_assert_eq(mica_getdelim(NULL, &n, '\n', stdin), -1);
	cr_assert_eq(errno, EINVAL);
	errno = 0;
	cr_assert_eq(mica_getdelim(&line, NULL, '\n', stdin), -1);
	cr_assert_eq(errno, EINVAL);
}

Test(getline, an_existing_buffer_grows_by_realloc_and_keeps_its_size_otherwise)
{
	memcpy(input, "short\nthis one is longer than sixteen bytes\n", 44);
	FILE *f = fmemopen(input, 44, "r");
	size_t n = 16;
	char *line = malloc(n);
	cr_assert_eq(mica_getdelim(&line, &n, '\n', f), 6);
	cr_assert_eq(n, 16);
	cr_assert_eq(mica_getdelim(&line, &n, '\n', f), 38);
	cr_assert(n >= 39);
	cr_assert_str_eq(line, "this one is longer than sixteen bytes\n");
	free(line);
	fclose(f);
}
