/* Initial user stack building and checking. The size is worked out first,
 * so a buffer that is too small is never touched; words are written
 * little-endian byte by byte, so buf needs no alignment on any host. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mica/errno.h"
#include "mica/execargs.h"
#include "mica/execstack.h"

#define WORD      8
#define STACK_ALN 16
#define RANDOM_SZ 16
#define LONG_LIM  ((uint64_t)(~0UL >> 1)) /* LONG_MAX without <limits.h> */
#define INT_LIM   ((uint64_t)(~0U >> 1))  /* INT_MAX */

/* Where everything goes, as target virtual addresses. */
struct layout {
	uint64_t argc, envc;
	uint64_t strbytes; /* all strings with their NULs */
	uint64_t used;     /* strbytes plus one word per pointer: a lower bound */
	uint64_t str_va, rand_va, sp;
};

/* The stack image being read: the bytes of [lo, hi). */
struct image {
	const uint8_t *b;
	uint64_t lo, hi;
};

static uint64_t align_down(uint64_t v)
{
	return v & ~(uint64_t)(STACK_ALN - 1);
}

static uint64_t min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < WORD; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 0; i < WORD; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* Counts v's strings into *count and l's totals; false as soon as the
 * running total passes limit (so nothing can overflow). */
static bool count_strings(char *const v[], uint64_t limit, struct layout *l, uint64_t *count)
{
	for (size_t i = 0; v && v[i]; i++) {
		uint64_t n = (uint64_t)strlen(v[i]) + 1;
		if (n > limit || n + WORD > limit - l->used)
			return false;
		l->used += n + WORD;
		l->strbytes += n;
		(*count)++;
	}
	return true;
}

/* Places l's counted strings and pointers below stack_top; false if
 * they need more than limit bytes (limit <= stack_top and <= LONG_MAX). */
static bool layout_place(struct layout *l, uint64_t stack_top, uint64_t limit)
{
	uint64_t words = 3 + l->argc + l->envc + 2 * EXECSTACK_AUXC; /* argc and two NULLs */
	l->str_va = stack_top - l->strbytes;
	if (l->str_va < RANDOM_SZ)
		return false;
	l->rand_va = align_down(l->str_va - RANDOM_SZ);
	if (l->rand_va < WORD * words)
		return false;
	l->sp = align_down(l->rand_va - WORD * words);
	return stack_top - l->sp <= limit;
}

/* Fills l for argv/envp below stack_top; false if it needs more than
 * limit bytes (limit <= stack_top and <= LONG_MAX). */
static bool layout_compute(struct layout *l, uint64_t stack_top, char *const argv[],
                           char *const envp[], uint64_t limit)
{
	*l = (struct layout){0};
	if (!count_strings(argv, limit, l, &l->argc) || !count_strings(envp, limit, l, &l->envc))
		return false;
	return layout_place(l, stack_top, limit);
}

long execstack_size(uint64_t stack_top, char *const argv[], char *const envp[])
{
	struct layout l;
	if (!layout_compute(&l, stack_top, argv, envp, min64(stack_top, LONG_LIM)))
		return -E2BIG;
	return (long)(stack_top - l.sp);
}

/* Writes n pointers to v's strings at *ptr and the strings at *str,
 * advancing both. */
static void write_vector(uint8_t *b, const struct layout *l, char *const v[], uint64_t n,
                         uint64_t *ptr, uint64_t *str)
{
	for (uint64_t i = 0; i < n; i++) {
		size_t len = strlen(v[i]);
		memcpy(b + (*str - l->sp), v[i], len);
		put64(b + (*ptr - l->sp), *str);
		*str += len + 1;
		*ptr += WORD;
	}
	*ptr += WORD; /* the terminating NULL, already zero */
}

/* The auxiliary vector at ptr and AT_RANDOM's bytes; the rest is zero already. */
static void write_auxv(uint8_t *b, const struct layout *l, uint64_t ptr, const uint8_t random16[16])
{
	put64(b + (ptr - l->sp), AT_PAGESZ);
	put64(b + (ptr + WORD - l->sp), EXECSTACK_PAGESZ);
	put64(b + (ptr + 2 * WORD - l->sp), AT_RANDOM);
	put64(b + (ptr + 3 * WORD - l->sp), l->rand_va);
	/* AT_NULL and its value are the zeros already there. */
	if (random16)
		memcpy(b + (l->rand_va - l->sp), random16, RANDOM_SZ);
}

long execstack_build(void *buf, size_t bufsize, uint64_t stack_top, char *const argv[],
                     char *const envp[], const uint8_t random16[16], uint64_t *sp_out)
{
	struct layout l;
	if (!sp_out)
		return -EINVAL;
	uint64_t limit = min64(min64((uint64_t)bufsize, stack_top), LONG_LIM);
	if (!layout_compute(&l, stack_top, argv, envp, limit))
		return -E2BIG;
	uint8_t *b = buf;
	uint64_t size = stack_top - l.sp, ptr = l.sp + WORD, str = l.str_va;
	memset(b, 0, (size_t)size);
	put64(b, l.argc);
	write_vector(b, &l, argv, l.argc, &ptr, &str);
	write_vector(b, &l, envp, l.envc, &ptr, &str);
	write_auxv(b, &l, ptr, random16);
	*sp_out = l.sp;
	return (long)size;
}

/* Writes n pointers to the packed strings at *s (already copied to *str),
 * advancing all three. */
static void packed_vector(uint8_t *b, const struct layout *l, uint64_t n, const char **s,
                          uint64_t *ptr, uint64_t *str)
{
	for (uint64_t i = 0; i < n; i++) {
		size_t len = strlen(*s) + 1;
		put64(b + (*ptr - l->sp), *str);
		*ptr += WORD, *str += len, *s += len;
	}
	*ptr += WORD; /* the terminating NULL, already zero */
}

long execstack_build_packed(void *buf, size_t bufsize, uint64_t stack_top, const struct execargs *a,
                            const uint8_t random16[16], uint64_t *sp_out)
{
	if (!sp_out || !a)
		return -EINVAL;
	uint64_t limit = min64(min64((uint64_t)bufsize, stack_top), LONG_LIM);
	struct layout l = {.argc = a->argc, .envc = a->envc, .strbytes = a->strbytes};
	if (l.strbytes > limit || !layout_place(&l, stack_top, limit))
		return -E2BIG;
	uint8_t *b = buf;
	uint64_t size = stack_top - l.sp, ptr = l.sp + WORD, str = l.str_va;
	memset(b, 0, (size_t)(l.str_va - l.sp));
	memcpy(b + (l.str_va - l.sp), a->strs, (size_t)l.strbytes);
	put64(b, l.argc);
	const char *s = a->strs;
	packed_vector(b, &l, l.argc, &s, &ptr, &str);
	packed_vector(b, &l, l.envc, &s, &ptr, &str);
	write_auxv(b, &l, ptr, random16);
	*sp_out = l.sp;
	return (long)size;
}

/* Reads the word at va; false unless all 8 bytes are inside the image. */
static bool load(const struct image *m, uint64_t va, uint64_t *v)
{
	if (va < m->lo || va > m->hi || m->hi - va < WORD)
		return false;
	*v = get64(m->b + (va - m->lo));
	return true;
}

static bool string_ok(const struct image *m, uint64_t va)
{
	return va >= m->lo && va < m->hi && memchr(m->b + (va - m->lo), '\0', m->hi - va);
}

/* Walks the NULL-terminated pointer vector at *va, checking each string;
 * leaves *va just past the NULL and the number of pointers in *count. */
static bool walk_vector(const struct image *m, uint64_t *va, uint64_t *count)
{
	*count = 0;
	for (;;) {
		uint64_t p;
		if (!load(m, *va, &p))
			return false;
		*va += WORD;
		if (!p)
			return true;
		if (!string_ok(m, p))
			return false;
		(*count)++;
	}
}

/* The value of type in the auxiliary vector at va: 0, -ENOENT once
 * AT_NULL is reached first, -EINVAL if the vector runs off the image. */
static int auxv_find(const struct image *m, uint64_t va, uint64_t type, uint64_t *value)
{
	for (;; va += 2 * WORD) {
		uint64_t t, v;
		if (!load(m, va, &t) || !load(m, va + WORD, &v))
			return -EINVAL;
		if (t == type) {
			*value = v;
			return 0;
		}
		if (t == AT_NULL)
			return -ENOENT;
	}
}

/* Checks the words at sp up to the auxiliary vector; sets *argc, the
 * argv and envp addresses and where the auxiliary vector starts. */
static bool read_frame(const struct image *m, uint64_t sp, uint64_t *argc, uint64_t *envp_va,
                       uint64_t *auxv_va)
{
	uint64_t n, va = sp + WORD, envc;
	if (sp % STACK_ALN || !load(m, sp, &n) || n > INT_LIM)
		return false;
	if (!walk_vector(m, &va, argc) || *argc != n)
		return false;
	*envp_va = va;
	if (!walk_vector(m, &va, &envc))
		return false;
	*auxv_va = va;
	return true;
}

static bool image_init(struct image *m, const void *buf, size_t len, uint64_t stack_top)
{
	if (!buf || (uint64_t)len > stack_top)
		return false;
	*m = (struct image){buf, stack_top - (uint64_t)len, stack_top};
	return true;
}

int execstack_parse(const void *buf, size_t len, uint64_t sp, uint64_t stack_top, int *argc,
                    uint64_t *argv_va, uint64_t *envp_va)
{
	struct image m;
	uint64_t n, envp, auxv, end;
	if (!image_init(&m, buf, len, stack_top) || !read_frame(&m, sp, &n, &envp, &auxv) ||
	    auxv_find(&m, auxv, AT_NULL, &end) != 0)
		return -EINVAL;
	*argc = (int)n;
	*argv_va = sp + WORD;
	*envp_va = envp;
	return 0;
}

int execstack_auxv(const void *buf, size_t len, uint64_t sp, uint64_t stack_top, uint64_t type,
                   uint64_t *value)
{
	struct image m;
	uint64_t n, envp, auxv, end;
	if (!image_init(&m, buf, len, stack_top) || !read_frame(&m, sp, &n, &envp, &auxv) ||
	    auxv_find(&m, auxv, AT_NULL, &end) != 0)
		return -EINVAL;
	return auxv_find(&m, auxv, type, value);
}
