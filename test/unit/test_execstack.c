/* Initial user stack: the image is decoded here independently of the
 * module (little-endian words, target addresses translated back into the
 * buffer), then checked against execstack_parse, and every buffer size
 * too small for the arguments must be refused without a byte written. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mica/abi.h"
#include "mica/errno.h"
#include "mica/execstack.h"

#define TOP    USER_STACK_TOP /* far from any host address */
#define BUF_SZ 8192
#define CANARY 0xA5
#define SP_NIL 0xDEADBEEFUL

static const uint8_t rnd[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

/* A built image: the bytes of [sp, top). */
struct img {
	uint8_t *b;
	uint64_t sp, top;
	long len;
};

static uint64_t word_at(const struct img *m, uint64_t va)
{
	cr_assert_geq(va, m->sp, "%#lx below sp", (unsigned long)va);
	cr_assert_leq(va + 8, m->top, "%#lx past the top", (unsigned long)va);
	const uint8_t *p = m->b + (va - m->sp);
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* The NUL-terminated string at target address va, checked to end
 * inside the image. */
static const char *str_at(const struct img *m, uint64_t va)
{
	cr_assert_geq(va, m->sp, "string %#lx below sp", (unsigned long)va);
	cr_assert_lt(va, m->top, "string %#lx past the top", (unsigned long)va);
	const char *s = (const char *)m->b + (va - m->sp);
	cr_assert_not_null(memchr(s, '\0', m->top - va), "string at %#lx not terminated",
	                   (unsigned long)va);
	return s;
}

static struct img build(uint8_t *buf, size_t size, uint64_t top, char *const argv[],
                        char *const envp[], const uint8_t *random16)
{
	struct img m = {.b = buf, .sp = SP_NIL, .top = top};
	m.len = execstack_build(buf, size, top, argv, envp, random16, &m.sp);
	cr_assert_gt(m.len, 0, "build failed: %ld", m.len);
	cr_assert_eq(m.sp % 16, 0, "sp %#lx not 16-aligned", (unsigned long)m.sp);
	cr_assert_eq(m.sp + (uint64_t)m.len, top, "length %ld does not reach the top", m.len);
	return m;
}

static int count(char *const v[])
{
	int n = 0;
	while (v && v[n])
		n++;
	return n;
}

/* Decodes the whole image by hand and checks it holds argv, envp and a
 * terminated auxiliary vector with AT_PAGESZ and AT_RANDOM; returns the
 * address just past AT_NULL. */
static uint64_t check_image(const struct img *m, char *const argv[], char *const envp[],
                            const uint8_t *random16)
{
	int argc = count(argv), envc = count(envp);
	uint64_t va = m->sp;
	cr_assert_eq(word_at(m, va), (uint64_t)argc);
	va += 8;
	for (int i = 0; i < argc; i++, va += 8)
		cr_assert_str_eq(str_at(m, word_at(m, va)), argv[i], "argv[%d]", i);
	cr_assert_eq(word_at(m, va), 0, "argv not NULL-terminated");
	va += 8;
	for (int i = 0; i < envc; i++, va += 8)
		cr_assert_str_eq(str_at(m, word_at(m, va)), envp[i], "envp[%d]", i);
	cr_assert_eq(word_at(m, va), 0, "envp not NULL-terminated");
	va += 8;
	bool pagesz = false, random = false;
	for (;; va += 16) {
		uint64_t type = word_at(m, va), value = word_at(m, va + 8);
		if (type == AT_NULL)
			break;
		if (type == AT_PAGESZ) {
			cr_assert_eq(value, 4096);
			pagesz = true;
		}
		if (type == AT_RANDOM) {
			cr_assert_geq(value, m->sp);
			cr_assert_leq(value + 16, m->top);
			cr_assert_arr_eq(m->b + (value - m->sp), random16, 16);
			random = true;
		}
	}
	cr_assert(pagesz && random, "AT_PAGESZ %d, AT_RANDOM %d", pagesz, random);
	return va + 16;
}

static char *demo_argv[] = {"/bin/prog", "-x", "hello world", "", NULL};
static char *demo_envp[] = {"HOME=/", "PATH=/bin:/usr/bin", NULL};

Test(execstack, layout_holds_argc_argv_envp_and_auxv)
{
	static uint8_t buf[BUF_SZ];
	struct img m = build(buf, sizeof(buf), TOP, demo_argv, demo_envp, rnd);
	check_image(&m, demo_argv, demo_envp, rnd);
}

Test(execstack, strings_sit_at_the_top_in_order)
{
	static uint8_t buf[BUF_SZ];
	struct img m = build(buf, sizeof(buf), TOP, demo_argv, demo_envp, rnd);
	const char want[] = "/bin/prog\0-x\0hello world\0\0HOME=/\0PATH=/bin:/usr/bin";
	size_t n = sizeof(want); /* with the final NUL */
	cr_assert_arr_eq(m.b + m.len - n, want, n);
	cr_assert_eq(word_at(&m, m.sp + 8), TOP - n, "argv[0] is the lowest string");
}

Test(execstack, exact_layout_of_a_small_stack)
{
	uint8_t buf[256];
	char *argv[] = {"a", NULL};
	uint64_t sp = SP_NIL;
	/* Strings "a\0" at 0xffe; 16 random bytes at 0xfe0 (aligned down);
	 * 10 words (argc, argv[0], NULL, NULL, 3 auxv pairs) end at or below
	 * 0xfe0, so sp = (0xfe0 - 80) & ~15 = 0xf90. */
	cr_assert_eq(execstack_build(buf, sizeof(buf), 0x1000, argv, NULL, rnd, &sp), 0x70);
	cr_assert_eq(sp, 0xf90);
	struct img m = {buf, sp, 0x1000, 0x70};
	uint64_t want[] = {1, 0xffe, 0, 0, AT_PAGESZ, 4096, AT_RANDOM, 0xfe0, AT_NULL, 0};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		cr_assert_eq(word_at(&m, sp + 8 * i), want[i], "word %zu", i);
	cr_assert_arr_eq(buf + (0xfe0 - sp), rnd, 16);
	cr_assert_arr_eq(buf + (0xffe - sp), "a", 2);
	for (uint64_t va = sp + 80; va < 0xfe0; va++)
		cr_assert_eq(buf[va - sp], 0, "padding at %#lx", (unsigned long)va);
	cr_assert_eq(buf[0xff0 - sp], 0, "padding between random bytes and strings");
}

Test(execstack, words_are_little_endian)
{
	uint8_t buf[256];
	char *argv[] = {"a", NULL};
	uint64_t sp;
	cr_assert_eq(execstack_build(buf, sizeof(buf), 0x1000, argv, NULL, rnd, &sp), 0x70);
	const uint8_t argv0[8] = {0xfe, 0x0f, 0, 0, 0, 0, 0, 0};
	cr_assert_arr_eq(buf + 8, argv0, 8);
}

Test(execstack, pointers_are_target_addresses_not_host_ones)
{
	static uint8_t buf[BUF_SZ];
	struct img m = build(buf, sizeof(buf), TOP, demo_argv, demo_envp, rnd);
	for (int i = 0; i < 4; i++) {
		uint64_t p = word_at(&m, m.sp + 8 + 8 * (uint64_t)i);
		cr_assert(p >= m.sp && p < TOP, "argv[%d] = %#lx", i, (unsigned long)p);
		cr_assert(p < (uintptr_t)buf || p >= (uintptr_t)buf + sizeof(buf));
	}
}

Test(execstack, empty_argv_and_envp)
{
	uint8_t buf[256];
	char *empty[] = {NULL};
	struct img a = build(buf, sizeof(buf), TOP, NULL, NULL, rnd);
	uint64_t end = check_image(&a, NULL, NULL, rnd);
	cr_assert_eq(word_at(&a, a.sp), 0);
	cr_assert_eq(word_at(&a, a.sp + 8), 0);
	cr_assert_eq(word_at(&a, a.sp + 16), 0);
	cr_assert_eq(word_at(&a, a.sp + 24), AT_PAGESZ, "auxv right after the two NULLs");
	cr_assert_leq(end, TOP - 16);
	uint8_t buf2[256];
	struct img b = build(buf2, sizeof(buf2), TOP, empty, empty, rnd);
	cr_assert_eq(b.len, a.len);
	cr_assert_arr_eq(buf2, buf, (size_t)a.len, "NULL and {NULL} lay out the same");
}

Test(execstack, null_random_gives_zero_bytes)
{
	uint8_t buf[512];
	const uint8_t zeros[16] = {0};
	struct img m = build(buf, sizeof(buf), TOP, demo_argv, NULL, NULL);
	check_image(&m, demo_argv, NULL, zeros);
}

Test(execstack, many_long_arguments)
{
	enum { N = 300, LEN = 1000 };
	char **argv = calloc(N + 1, sizeof(char *));
	char *envp[] = {"A=1", NULL};
	cr_assert_not_null(argv);
	for (int i = 0; i < N; i++) {
		argv[i] = malloc(LEN + 1);
		cr_assert_not_null(argv[i]);
		memset(argv[i], 'a' + i % 26, LEN);
		argv[i][LEN] = '\0';
		snprintf(argv[i], 12, "%d", i); /* distinct strings */
		argv[i][strlen(argv[i])] = '-';
	}
	size_t size = N * (LEN + 1 + 8) + 4096;
	uint8_t *buf = malloc(size);
	cr_assert_not_null(buf);
	struct img m = build(buf, size, TOP, argv, envp, rnd);
	check_image(&m, argv, envp, rnd);
	cr_assert_eq(execstack_size(TOP, argv, envp), m.len);
	for (int i = 0; i < N; i++)
		free(argv[i]);
	free(argv);
	free(buf);
}

Test(execstack, unaligned_stack_top_still_gives_an_aligned_sp)
{
	uint8_t buf[512];
	for (uint64_t top = TOP - 15; top <= TOP; top++) {
		struct img m = build(buf, sizeof(buf), top, demo_argv, demo_envp, rnd);
		check_image(&m, demo_argv, demo_envp, rnd);
		cr_assert_eq(m.b[m.len - 1], '\0', "last string ends at top %#lx",
		             (unsigned long)top);
	}
}

Test(execstack, size_matches_build)
{
	uint8_t buf[512];
	uint64_t sp;
	long n = execstack_size(TOP, demo_argv, demo_envp);
	cr_assert_eq(execstack_build(buf, sizeof(buf), TOP, demo_argv, demo_envp, rnd, &sp), n);
	cr_assert_eq(execstack_size(0x1000, (char *[]){"a", NULL}, NULL), 0x70);
}

/* Every buffer size short of the need is refused with nothing written
 * (the canary covers the whole buffer, so also nothing past bufsize). */
Test(execstack, every_too_small_buffer_is_e2big_and_untouched)
{
	static uint8_t buf[1024];
	long need = execstack_size(TOP, demo_argv, demo_envp);
	cr_assert_gt(need, 0);
	cr_assert_lt(need + 64, (long)sizeof(buf));
	for (long bs = 0; bs < need; bs++) {
		uint64_t sp = SP_NIL;
		memset(buf, CANARY, sizeof(buf));
		cr_assert_eq(execstack_build(buf, (size_t)bs, TOP, demo_argv, demo_envp, rnd, &sp),
		             -E2BIG, "bufsize %ld", bs);
		cr_assert_eq(sp, SP_NIL, "sp set for bufsize %ld", bs);
		for (size_t i = 0; i < sizeof(buf); i++)
			cr_assert_eq(buf[i], CANARY, "bufsize %ld: byte %zu written", bs, i);
	}
	uint64_t sp = SP_NIL;
	memset(buf, CANARY, sizeof(buf));
	cr_assert_eq(execstack_build(buf, (size_t)need, TOP, demo_argv, demo_envp, rnd, &sp), need);
	for (size_t i = (size_t)need; i < sizeof(buf); i++)
		cr_assert_eq(buf[i], CANARY, "byte %zu past the image written", i);
}

Test(execstack, too_small_buffer_with_empty_arguments_is_e2big)
{
	uint8_t buf[96];
	uint64_t sp = SP_NIL;
	long need = execstack_size(TOP, NULL, NULL);
	/* argc, two NULLs and 3 auxv pairs (72 bytes) + 16 random bytes,
	 * rounded up to 16: 96. */
	cr_assert_eq(need, 96);
	cr_assert_eq(execstack_build(buf, 95, TOP, NULL, NULL, rnd, &sp), -E2BIG);
	cr_assert_eq(execstack_build(NULL, 0, TOP, NULL, NULL, rnd, &sp), -E2BIG);
	cr_assert_eq(sp, SP_NIL);
}

Test(execstack, stack_top_too_low_is_e2big)
{
	uint8_t buf[512];
	uint64_t sp = SP_NIL;
	cr_assert_eq(execstack_build(buf, sizeof(buf), 0, demo_argv, NULL, rnd, &sp), -E2BIG);
	cr_assert_eq(execstack_build(buf, sizeof(buf), 100, demo_argv, NULL, rnd, &sp), -E2BIG);
	cr_assert_eq(execstack_size(100, demo_argv, NULL), -E2BIG);
	cr_assert_eq(sp, SP_NIL);
	long need = execstack_size(0x1000, demo_argv, NULL);
	cr_assert_gt(need, 0);
	/* A stack reaching exactly down to address 0 fits. */
	cr_assert_eq(execstack_build(buf, sizeof(buf), (uint64_t)need, demo_argv, NULL, rnd, &sp),
	             need);
	cr_assert_eq(sp, 0);
}

Test(execstack, null_sp_out_is_einval)
{
	uint8_t buf[256];
	cr_assert_eq(execstack_build(buf, sizeof(buf), TOP, NULL, NULL, rnd, NULL), -EINVAL);
}

Test(execstack, round_trip_build_then_parse)
{
	static uint8_t buf[BUF_SZ];
	struct img m = build(buf, sizeof(buf), TOP, demo_argv, demo_envp, rnd);
	int argc = -1;
	uint64_t argv_va = 0, envp_va = 0;
	cr_assert_eq(execstack_parse(buf, (size_t)m.len, m.sp, TOP, &argc, &argv_va, &envp_va), 0);
	cr_assert_eq(argc, 4);
	cr_assert_eq(argv_va, m.sp + 8);
	cr_assert_eq(envp_va, m.sp + 8 * 6);
	for (int i = 0; i < argc; i++)
		cr_assert_str_eq(str_at(&m, word_at(&m, argv_va + 8 * (uint64_t)i)), demo_argv[i]);
	for (int i = 0; i < 2; i++)
		cr_assert_str_eq(str_at(&m, word_at(&m, envp_va + 8 * (uint64_t)i)), demo_envp[i]);
	cr_assert_eq(word_at(&m, envp_va + 16), 0);
}

Test(execstack, round_trip_of_empty_arguments)
{
	uint8_t buf[128];
	struct img m = build(buf, sizeof(buf), TOP, NULL, NULL, NULL);
	int argc = -1;
	uint64_t argv_va, envp_va;
	cr_assert_eq(execstack_parse(buf, (size_t)m.len, m.sp, TOP, &argc, &argv_va, &envp_va), 0);
	cr_assert_eq(argc, 0);
	cr_assert_eq(argv_va, m.sp + 8);
	cr_assert_eq(envp_va, m.sp + 16);
}

Test(execstack, parse_accepts_an_image_with_room_below_sp)
{
	static uint8_t buf[BUF_SZ];
	long need = execstack_size(TOP, demo_argv, demo_envp);
	uint64_t sp;
	size_t below = 48;
	memset(buf, CANARY, below);
	cr_assert_eq(
	    execstack_build(buf + below, sizeof(buf) - below, TOP, demo_argv, demo_envp, rnd, &sp),
	    need);
	int argc;
	uint64_t argv_va, envp_va;
	cr_assert_eq(execstack_parse(buf, (size_t)need + below, sp, TOP, &argc, &argv_va, &envp_va),
	             0);
	cr_assert_eq(argc, 4);
	cr_assert_eq(argv_va, sp + 8);
}

Test(execstack, auxv_lookup)
{
	uint8_t buf[512];
	struct img m = build(buf, sizeof(buf), TOP, demo_argv, demo_envp, rnd);
	uint64_t v = 0;
	cr_assert_eq(execstack_auxv(buf, (size_t)m.len, m.sp, TOP, AT_PAGESZ, &v), 0);
	cr_assert_eq(v, 4096);
	cr_assert_eq(execstack_auxv(buf, (size_t)m.len, m.sp, TOP, AT_RANDOM, &v), 0);
	cr_assert_arr_eq(buf + (v - m.sp), rnd, 16);
	v = 77;
	cr_assert_eq(execstack_auxv(buf, (size_t)m.len, m.sp, TOP, 3 /* AT_PHDR */, &v), -ENOENT);
	cr_assert_eq(v, 77);
	cr_assert_eq(execstack_auxv(buf, (size_t)m.len, m.sp + 16, TOP, AT_PAGESZ, &v), -EINVAL);
}

/* Builds the demo image into buf and returns its length and sp. */
static long demo(uint8_t *buf, size_t size, uint64_t *sp)
{
	long n = execstack_build(buf, size, TOP, demo_argv, demo_envp, rnd, sp);
	cr_assert_gt(n, 0);
	return n;
}

/* execstack_parse on len bytes placed right before a PROT_NONE page, so
 * any read past the image crashes the test; outputs must stay untouched
 * on failure. */
static int guarded_parse(const uint8_t *buf, size_t len, uint64_t sp)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	size_t body = (len + pg - 1) / pg * pg + pg;
	uint8_t *map =
	    mmap(NULL, body + pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	cr_assert_neq(map, MAP_FAILED);
	cr_assert_eq(mprotect(map + body, pg, PROT_NONE), 0);
	uint8_t *copy = map + body - len;
	memcpy(copy, buf, len);
	int argc = -7;
	uint64_t a = 1, e = 2;
	int r = execstack_parse(copy, len, sp, TOP, &argc, &a, &e);
	munmap(map, body + pg);
	if (r != 0)
		cr_assert(argc == -7 && a == 1 && e == 2, "outputs touched on failure");
	return r;
}

/* Parses in place and from a guarded copy; both must agree. */
static int parse_img(const uint8_t *buf, long len, uint64_t sp)
{
	int argc;
	uint64_t a, e;
	int r = execstack_parse(buf, (size_t)len, sp, TOP, &argc, &a, &e);
	cr_assert_eq(guarded_parse(buf, (size_t)len, sp), r);
	return r;
}

static void put_word(uint8_t *buf, uint64_t sp, uint64_t va, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		buf[va - sp + (uint64_t)i] = (uint8_t)(v >> (8 * i));
}

Test(execstack, parse_rejects_a_bad_sp)
{
	uint8_t buf[512];
	uint64_t sp;
	long n = demo(buf, sizeof(buf), &sp);
	cr_assert_eq(parse_img(buf, n, sp), 0);
	for (uint64_t d = 1; d < 16; d++)
		cr_assert_eq(parse_img(buf, n, sp + d), -EINVAL, "sp + %lu", (unsigned long)d);
	cr_assert_eq(parse_img(buf, n, sp - 16), -EINVAL, "sp below the image");
	cr_assert_eq(parse_img(buf, n, TOP), -EINVAL, "sp at the top");
	cr_assert_eq(parse_img(buf, n, 0), -EINVAL);
}

/* A well-formed frame (argc 0, two NULLs, AT_NULL) is refused at an
 * 8-aligned sp and accepted at a 16-aligned one. */
Test(execstack, parse_rejects_a_frame_at_an_unaligned_sp)
{
	uint8_t buf[64] = {0};
	cr_assert_eq(parse_img(buf, sizeof(buf), TOP - 64), 0);
	cr_assert_eq(parse_img(buf, sizeof(buf), TOP - 48), 0);
	cr_assert_eq(parse_img(buf, sizeof(buf), TOP - 56), -EINVAL);
	cr_assert_eq(parse_img(buf, sizeof(buf), TOP - 40), -EINVAL);
	cr_assert_eq(parse_img(buf, sizeof(buf), TOP - 32), -EINVAL, "no room for AT_NULL's value");
}

Test(execstack, parse_rejects_an_image_larger_than_its_address_range)
{
	uint8_t buf[512];
	uint64_t sp;
	long n = demo(buf, sizeof(buf), &sp);
	int argc;
	uint64_t a, e;
	cr_assert_eq(execstack_parse(buf, (size_t)n, sp, (uint64_t)n - 1, &argc, &a, &e), -EINVAL);
	cr_assert_eq(execstack_parse(NULL, 0, 0, TOP, &argc, &a, &e), -EINVAL);
}

Test(execstack, parse_rejects_a_wrong_argc)
{
	uint8_t buf[512];
	uint64_t sp;
	long n = demo(buf, sizeof(buf), &sp);
	put_word(buf, sp, sp, 3);
	cr_assert_eq(parse_img(buf, n, sp), -EINVAL, "argc smaller than argv");
	put_word(buf, sp, sp, 5);
	cr_assert_eq(parse_img(buf, n, sp), -EINVAL, "argc larger than argv");
	put_word(buf, sp, sp, (uint64_t)1 << 40);
	cr_assert_eq(parse_img(buf, n, sp), -EINVAL, "huge argc");
	put_word(buf, sp, sp, 4);
	cr_assert_eq(parse_img(buf, n, sp), 0);
}

Test(execstack, parse_rejects_pointers_outside_the_image)
{
	uint8_t buf[512];
	uint64_t sp;
	long n = demo(buf, sizeof(buf), &sp);
	uint64_t bad[] = {sp - 1, TOP, TOP + 100, (uint64_t)(uintptr_t)buf, 1};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint8_t copy[512];
		memcpy(copy, buf, (size_t)n);
		put_word(copy, sp, sp + 8 * 2, bad[i]); /* argv[1] */
		cr_assert_eq(parse_img(copy, n, sp), -EINVAL, "argv[1] = %#lx",
		             (unsigned long)bad[i]);
		memcpy(copy, buf, (size_t)n);
		put_word(copy, sp, sp + 8 * 7, bad[i]); /* envp[1] */
		cr_assert_eq(parse_img(copy, n, sp), -EINVAL, "envp[1] = %#lx",
		             (unsigned long)bad[i]);
	}
}

Test(execstack, parse_rejects_an_unterminated_last_string)
{
	uint8_t buf[512];
	uint64_t sp;
	long n = demo(buf, sizeof(buf), &sp);
	buf[n - 1] = 'x';
	cr_assert_eq(parse_img(buf, n, sp), -EINVAL);
}

Test(execstack, parse_rejects_an_image_cut_short)
{
	uint8_t buf[512];
	uint64_t sp;
	long n = demo(buf, sizeof(buf), &sp);
	/* Only the top len bytes: sp lies below them. */
	for (long len = 0; len < n; len++)
		cr_assert_eq(parse_img(buf + (n - len), len, sp), -EINVAL, "len %ld", len);
	cr_assert_eq(parse_img(buf, n, sp), 0);
}

/* Every word from sp + 8 up is a pointer to sp + 8, a valid (short)
 * string, so nothing terminates until a zero word is put in. */
Test(execstack, parse_rejects_vectors_and_auxv_without_terminator)
{
	uint8_t buf[256];
	uint64_t sp = TOP - sizeof(buf);
	put_word(buf, sp, sp, 0);
	for (uint64_t va = sp + 8; va < TOP; va += 8)
		put_word(buf, sp, va, sp + 8);
	cr_assert_eq(parse_img(buf, sizeof(buf), sp), -EINVAL, "argv unterminated");
	put_word(buf, sp, sp + 8, 0);
	cr_assert_eq(parse_img(buf, sizeof(buf), sp), -EINVAL, "envp unterminated");
	put_word(buf, sp, sp + 16, 0);
	cr_assert_eq(parse_img(buf, sizeof(buf), sp), -EINVAL, "auxv unterminated");
	put_word(buf, sp, sp + 24 + 16 * 5, AT_NULL);
	cr_assert_eq(parse_img(buf, sizeof(buf), sp), 0, "auxv ends after 5 pairs");
	uint64_t v;
	cr_assert_eq(execstack_auxv(buf, sizeof(buf), sp, TOP, sp + 8, &v), 0);
	cr_assert_eq(v, sp + 8);
}

Test(execstack, parse_never_reads_past_the_last_string)
{
	uint8_t buf[512];
	uint64_t sp;
	long n = demo(buf, sizeof(buf), &sp);
	cr_assert_eq(guarded_parse(buf, (size_t)n, sp), 0);
	buf[n - 1] = 'x'; /* the last string now runs into the guard page */
	cr_assert_eq(guarded_parse(buf, (size_t)n, sp), -EINVAL);
}
