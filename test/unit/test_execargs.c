/* PM_EXEC's argument block (lib/execargs.c): what the runtime packs, pm
 * reads back exactly; whatever else arrives (short, unterminated, counts
 * that lie, trailing bytes, past ARG_MAX, random damage) is refused with
 * an error and never read out of bounds. And the stack built from a
 * block is byte for byte the one built from the vectors. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "mica/errno.h"
#include "mica/execargs.h"
#include "mica/execstack.h"

#define HDR sizeof(struct execargs_hdr)

static char *argv3[] = {"prog", "", "two words", NULL};
static char *envp2[] = {"HOME=/", "PATH=/bin", NULL};
static char block[EXECARGS_BLOCK_MAX + 64];

/* A block with these counts and len bytes of strings after the header
 * (a copy on the heap of exactly len bytes, so overreads show in ASan). */
static char *raw(uint32_t argc, uint32_t envc, const char *strs, size_t slen)
{
	struct execargs_hdr h = {argc, envc};
	char *b = malloc(HDR + slen);
	memcpy(b, &h, HDR);
	memcpy(b + HDR, strs, slen);
	return b;
}

static int check_raw(uint32_t argc, uint32_t envc, const char *strs, size_t slen)
{
	struct execargs a;
	char *b = raw(argc, envc, strs, slen);
	int r = execargs_check(b, HDR + slen, &a);
	free(b);
	return r;
}

Test(execargs, pack_then_check_gives_back_every_string)
{
	long n = execargs_pack(block, sizeof(block), "/bin/prog", argv3, envp2);
	cr_assert_eq(n, execargs_size("/bin/prog", argv3, envp2));
	struct execargs a;
	cr_assert_eq(execargs_check(block, (size_t)n, &a), 0);
	cr_assert_str_eq(a.path, "/bin/prog");
	cr_assert_eq(a.argc, 3);
	cr_assert_eq(a.envc, 2);
	const char want[] = "prog\0\0two words\0HOME=/\0PATH=/bin";
	cr_assert_eq(a.strbytes, sizeof(want));
	cr_assert_eq(a.argbytes, 16, "prog, the empty one, two words");
	cr_assert_arr_eq(a.strs, want, sizeof(want));
}

Test(execargs, empty_vectors_are_allowed)
{
	long n = execargs_pack(block, sizeof(block), "/x", NULL, NULL);
	struct execargs a;
	cr_assert_eq(n, HDR + 3);
	cr_assert_eq(execargs_check(block, (size_t)n, &a), 0);
	cr_assert_eq(a.argc + a.envc + a.strbytes, 0);
}

Test(execargs, short_blocks_are_einval)
{
	struct execargs a;
	memset(block, 0, 16);
	for (size_t len = 0; len <= HDR; len++)
		cr_assert_eq(execargs_check(block, len, &a), -EINVAL, "len %zu", len);
}

Test(execargs, malformed_packing_is_refused)
{
	cr_assert_eq(check_raw(0, 0, "/bin/x", 6), -EINVAL, "path not terminated");
	cr_assert_eq(check_raw(2, 0, "/bin/x\0a", 9), -EINVAL, "argc past the strings");
	cr_assert_eq(check_raw(1, 1, "/bin/x\0a", 9), -EINVAL, "envc past the strings");
	cr_assert_eq(check_raw(1, 0, "/bin/x\0a\0b", 11), -EINVAL, "a string left over");
	cr_assert_eq(check_raw(1, 0, "/bin/x\0a\0\0", 11), -EINVAL, "a NUL left over");
	cr_assert_eq(check_raw(1, 0, "/bin/x\0abc", 10), -EINVAL, "last string unterminated");
	cr_assert_eq(check_raw(0, 0, "\0", 1), -ENOENT, "empty path");
	cr_assert_eq(check_raw(1, 0, "/bin/x\0\0", 8), 0, "one empty argument");
}

Test(execargs, huge_counts_are_e2big_before_any_walk)
{
	cr_assert_eq(check_raw(0xFFFFFFFF, 0, "/bin/x\0", 7), -E2BIG);
	cr_assert_eq(check_raw(0, 0xFFFFFFFF, "/bin/x\0", 7), -E2BIG);
	cr_assert_eq(check_raw(0x80000000, 0x80000000, "/bin/x\0", 7), -E2BIG, "sum wraps 32 bits");
}

Test(execargs, lengths_past_the_block_limit_are_e2big)
{
	struct execargs a;
	cr_assert_eq(execargs_check(block, EXECARGS_BLOCK_MAX + 1, &a), -E2BIG);
	cr_assert_eq(execargs_check(block, (size_t)-1, &a), -E2BIG);
}

Test(execargs, long_path_is_enametoolong)
{
	char *path = malloc(EXECARGS_PATH_MAX + 1);
	memset(path, 'p', EXECARGS_PATH_MAX);
	path[EXECARGS_PATH_MAX] = 0;
	cr_assert_eq(execargs_size(path, NULL, NULL), -ENAMETOOLONG);
	cr_assert_eq(check_raw(0, 0, path, EXECARGS_PATH_MAX + 1), -ENAMETOOLONG);
	path[EXECARGS_PATH_MAX - 1] = 0;
	cr_assert_gt(execargs_size(path, NULL, NULL), 0, "4095 bytes and a NUL fit");
	free(path);
}

/* One argument of len bytes: it charges len + 1 + 8 plus 16 for the NULLs. */
static char *arg_of(size_t len)
{
	char *s = malloc(len + 1);
	memset(s, 'a', len);
	s[len] = 0;
	return s;
}

Test(execargs, arg_max_exactly_passes_one_more_byte_is_e2big)
{
	size_t fit = ARG_MAX - 16 - 8 - 1;
	char *s = arg_of(fit), *v[] = {s, NULL};
	long n = execargs_pack(block, sizeof(block), "/x", v, NULL);
	struct execargs a;
	cr_assert_gt(n, 0);
	cr_assert_eq(execargs_check(block, (size_t)n, &a), 0);
	free(s);
	s = arg_of(fit + 1);
	v[0] = s;
	cr_assert_eq(execargs_pack(block, sizeof(block), "/x", v, NULL), -E2BIG);
	/* the same bytes forged by hand: pm's check says the same */
	char *b = raw(1, 0, "/x", 3);
	size_t len = HDR + 3 + fit + 2;
	b = realloc(b, len);
	memset(b + HDR + 3, 'a', fit + 1);
	b[len - 1] = 0;
	cr_assert_eq(execargs_check(b, len, &a), -E2BIG);
	free(b);
	free(s);
}

Test(execargs, many_short_arguments_count_their_pointers)
{
	/* 2 bytes and a pointer each: (ARG_MAX - 16) / 10 of them fit */
	int fit = (ARG_MAX - 16) / 10;
	char **v = calloc((size_t)fit + 2, sizeof(char *));
	for (int i = 0; i <= fit; i++)
		v[i] = "x";
	v[fit + 1] = NULL;
	cr_assert_eq(execargs_size("/x", v, NULL), -E2BIG, "%d arguments", fit + 1);
	v[fit] = NULL;
	long n = execargs_pack(block, sizeof(block), "/x", v, NULL);
	struct execargs a;
	cr_assert_gt(n, 0);
	cr_assert_eq(execargs_check(block, (size_t)n, &a), 0);
	cr_assert_eq(a.argc, (uint32_t)fit);
	free(v);
}

Test(execargs, pack_into_a_short_buffer_says_the_size_and_stays_inside)
{
	char small[32];
	long want = execargs_size("/bin/prog", argv3, envp2);
	for (size_t size = 0; size < sizeof(small); size++) {
		memset(small, 0x33, sizeof(small));
		cr_assert_eq(execargs_pack(small, size, "/bin/prog", argv3, envp2), want);
		for (size_t i = size; i < sizeof(small); i++)
			cr_assert_eq(small[i], 0x33, "size %zu: byte %zu written", size, i);
	}
}

Test(execargs, random_damage_is_refused_or_stays_inside)
{
	long n = execargs_pack(block, sizeof(block), "/bin/prog", argv3, envp2);
	srand(7);
	for (int round = 0; round < 20000; round++) {
		size_t len = (size_t)(rand() % (n + 4));
		char *b = malloc(len ? len : 1);
		memcpy(b, block, len < (size_t)n ? len : (size_t)n);
		for (size_t i = (size_t)n; i < len; i++)
			b[i] = (char)rand();
		for (int k = rand() % 4; k > 0 && len; k--)
			b[rand() % len] = (char)(rand() % 3 == 0 ? 0 : rand());
		struct execargs a;
		int r = execargs_check(b, len, &a);
		cr_assert(r == 0 || r == -EINVAL || r == -E2BIG || r == -ENOENT, "r %d", r);
		if (r == 0) {
			cr_assert(a.strs >= b && a.strs + a.strbytes == b + len, "strings outside");
			cr_assert_leq(a.argbytes, a.strbytes);
		}
		free(b);
	}
}

/* --- the stack from a block ------------------------------------------------ */

static void same_stack(char *const argv[], char *const envp[])
{
	static uint8_t want[8192], got[8192];
	static const uint8_t rnd[16] = "0123456789abcdef";
	uint64_t sp1 = 0, sp2 = 0, top = USER_STACK_TOP;
	long n1 = execstack_build(want, sizeof(want), top, argv, envp, rnd, &sp1);
	long len = execargs_pack(block, sizeof(block), "/p", argv, envp);
	struct execargs a;
	cr_assert_eq(execargs_check(block, (size_t)len, &a), 0);
	memset(got, 0xEE, sizeof(got));
	long n2 = execstack_build_packed(got, sizeof(got), top, &a, rnd, &sp2);
	cr_assert_eq(n1, n2);
	cr_assert_eq(sp1, sp2);
	cr_assert_arr_eq(want, got, (size_t)n1);
}

Test(execstack_packed, equals_the_vector_build)
{
	char *one[] = {"only", NULL};
	same_stack(argv3, envp2);
	same_stack(one, NULL);
	same_stack(NULL, envp2);
	same_stack(NULL, NULL);
}

Test(execstack_packed, refuses_a_short_buffer_untouched)
{
	uint8_t small[64];
	uint64_t sp = 7;
	long len = execargs_pack(block, sizeof(block), "/p", argv3, envp2);
	struct execargs a;
	cr_assert_eq(execargs_check(block, (size_t)len, &a), 0);
	memset(small, 0x11, sizeof(small));
	cr_assert_eq(execstack_build_packed(small, sizeof(small), USER_STACK_TOP, &a, NULL, &sp),
	             -E2BIG);
	cr_assert_eq(sp, 7);
	cr_assert_eq(small[0], 0x11);
}

Test(execstack_packed, the_largest_block_fits_exec_arg_max)
{
	size_t fit = ARG_MAX - 16 - 8 - 1;
	char *s = arg_of(fit), *v[] = {s, NULL};
	static uint8_t img[EXEC_ARG_MAX];
	uint64_t sp;
	long len = execargs_pack(block, sizeof(block), "/x", v, NULL);
	struct execargs a;
	cr_assert_eq(execargs_check(block, (size_t)len, &a), 0);
	cr_assert_gt(execstack_build_packed(img, sizeof(img), USER_STACK_TOP, &a, NULL, &sp), 0);
	free(s);
}
