/* The console server's line discipline: canonical editing and its echo,
 * ^C, ^D, raw mode, ONLCR output, buffer limits, and a long run of random
 * bytes checked against the module's invariants. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "../../servers/console/ldisc.h"

#define CTRL(c) ((char)((c)&0x1f))
#define DEL     '\x7f'
#define ECHO_SZ (LDISC_ECHO_MAX * 4)

static struct ldisc ld;
static char echo[ECHO_SZ]; /* everything echoed since the last reset */
static size_t echo_len;

static void setup(void)
{
	ldisc_init(&ld);
	echo_len = 0;
}

TestSuite(ldisc, .init = setup);

/* Types one byte; appends its echo to echo[]; returns ldisc_input's value. */
static int key(char c)
{
	size_t n = 12345;
	int r = ldisc_input(&ld, c, echo + echo_len, LDISC_ECHO_MAX, &n);
	cr_assert_leq(n, LDISC_ECHO_MAX);
	echo_len += n;
	cr_assert_lt(echo_len, ECHO_SZ - LDISC_ECHO_MAX, "test echo buffer full");
	return r;
}

/* Types n bytes, none of which may raise a signal. */
static void type_n(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(key(s[i]), 0, "byte %#x raised a signal", (unsigned char)s[i]);
}

static void type(const char *s)
{
	type_n(s, strlen(s));
}

/* Asserts the echo since the last check is exactly want[0..n), then forgets it. */
static void expect_echo_n(const char *want, size_t n)
{
	cr_assert_eq(echo_len, n, "echo is %zu bytes, expected %zu", echo_len, n);
	cr_assert_arr_eq(echo, want, n, "echo differs");
	echo_len = 0;
}

static void expect_echo(const char *want)
{
	expect_echo_n(want, strlen(want));
}

/* Reads with a buffer of n bytes and checks the result is exactly want
 * (a string; want NULL: expect the return value ret instead). */
static void expect_read(size_t n, const char *want)
{
	char buf[LDISC_BUF + 1];
	memset(buf, '#', sizeof(buf));
	long r = ldisc_read(&ld, buf, n);
	cr_assert_eq(r, (long)strlen(want), "read returned %ld, expected %zu", r, strlen(want));
	cr_assert_arr_eq(buf, want, strlen(want));
	cr_assert_eq(buf[r], '#', "read wrote past its count");
}

static void expect_read_ret(size_t n, long ret)
{
	char buf[LDISC_BUF];
	cr_assert_eq(ldisc_read(&ld, buf, n), ret);
}

static void expect_empty(void)
{
	char buf[16];
	cr_assert_not(ldisc_readable(&ld));
	cr_assert_eq(ldisc_read(&ld, buf, sizeof(buf)), -1);
}

Test(ldisc, init_is_canonical_with_echo_and_nothing_ready)
{
	cr_assert(ld.canon && ld.echo && ld.isig);
	expect_empty();
}

Test(ldisc, printable_bytes_echo_but_wait_for_enter)
{
	type("ls -l");
	expect_echo("ls -l");
	expect_empty();
}

Test(ldisc, cr_completes_the_line_with_newline)
{
	type("abc\r");
	expect_echo("abc\r\n");
	cr_assert(ldisc_readable(&ld));
	expect_read(64, "abc\n");
	expect_empty();
}

Test(ldisc, lf_completes_the_line_too)
{
	type("abc\n");
	expect_echo("abc\r\n");
	expect_read(64, "abc\n");
}

Test(ldisc, empty_line_reads_as_a_newline)
{
	type("\r");
	expect_echo("\r\n");
	expect_read(64, "\n");
	expect_empty();
}

Test(ldisc, backspace_erases_one_char)
{
	type("abc\x7f");
	expect_echo("abc\b \b");
	type("d\r");
	expect_read(64, "abd\n");
}

Test(ldisc, ctrl_h_erases_one_char)
{
	type("xy\b");
	expect_echo("xy\b \b");
	type("\r");
	expect_read(64, "x\n");
}

Test(ldisc, backspace_on_empty_line_echoes_nothing)
{
	type("\x7f\b\x7f");
	expect_echo("");
	type("a\x7f\x7f\x7fz\r");
	expect_echo("a\b \bz\r\n");
	expect_read(64, "z\n");
}

Test(ldisc, ctrl_u_erases_the_whole_line)
{
	type("abc");
	type((char[]){CTRL('U'), 0});
	expect_echo("abc\b \b\b \b\b \b");
	type("ok\r");
	expect_read(64, "ok\n");
	expect_empty();
}

Test(ldisc, ctrl_u_on_empty_line_echoes_nothing)
{
	type((char[]){CTRL('U'), 0});
	expect_echo("");
	expect_empty();
}

Test(ldisc, ctrl_c_signals_and_discards_the_line)
{
	type("rm -rf");
	cr_assert_eq(key(CTRL('C')), LDISC_SIGINT);
	expect_echo("rm -rf^C\r\n");
	expect_empty();
	type("ok\r");
	expect_read(64, "ok\n");
	expect_empty();
}

Test(ldisc, ctrl_z_and_ctrl_backslash_signal_like_ctrl_c)
{
	type("vi notes");
	cr_assert_eq(key(CTRL('Z')), LDISC_SIGTSTP);
	expect_echo("vi notes^Z\r\n");
	expect_empty();
	type("x");
	cr_assert_eq(key(CTRL('\\')), LDISC_SIGQUIT);
	expect_echo("x^\\\r\n");
	expect_empty();
	ld.isig = false;
	cr_assert_eq(key(CTRL('Z')), 0, "isig off: just a byte");
}

Test(ldisc, ctrl_c_keeps_completed_lines)
{
	type("first\rsecond");
	cr_assert_eq(key(CTRL('C')), LDISC_SIGINT);
	expect_read(64, "first\n");
	expect_empty();
}

Test(ldisc, ctrl_c_with_echo_off_signals_silently)
{
	ld.echo = false;
	type("abc");
	cr_assert_eq(key(CTRL('C')), LDISC_SIGINT);
	expect_echo("");
	type("\r");
	expect_read(64, "\n");
}

Test(ldisc, ctrl_c_without_isig_is_an_ordinary_control_char)
{
	ld.isig = false;
	type((char[]){'a', CTRL('C'), '\r', 0});
	expect_echo("a^C\r\n");
	expect_read(64, "a\x03\n");
}

Test(ldisc, eof_at_line_start_reads_zero_once)
{
	type((char[]){CTRL('D'), 0});
	expect_echo("");
	cr_assert(ldisc_readable(&ld));
	expect_read_ret(64, 0);
	expect_empty();
}

Test(ldisc, eof_then_a_line)
{
	type((char[]){CTRL('D'), 'h', 'i', '\r', 0});
	expect_read_ret(64, 0);
	expect_read(64, "hi\n");
	expect_empty();
}

Test(ldisc, line_then_eof)
{
	type((char[]){'h', 'i', '\r', CTRL('D'), 0});
	expect_read(64, "hi\n");
	expect_read_ret(64, 0);
	expect_empty();
}

Test(ldisc, eof_after_text_pushes_the_partial_line)
{
	type((char[]){'a', 'b', CTRL('D'), 0});
	expect_echo("ab");
	expect_read(64, "ab");
	expect_empty();
}

Test(ldisc, pushed_line_read_exactly_is_not_an_eof)
{
	type((char[]){'a', 'b', CTRL('D'), 0});
	expect_read(2, "ab");
	expect_empty();
}

Test(ldisc, pushed_line_read_in_pieces)
{
	type((char[]){'a', 'b', 'c', CTRL('D'), 'x', '\r', 0});
	expect_read(2, "ab");
	expect_read(64, "c");
	expect_read(64, "x\n");
	expect_empty();
}

Test(ldisc, double_ctrl_d_after_text_is_text_then_eof)
{
	type((char[]){'a', 'b', CTRL('D'), CTRL('D'), 0});
	expect_read(64, "ab");
	expect_read_ret(64, 0);
	expect_empty();
}

Test(ldisc, other_control_chars_echo_in_caret_notation)
{
	ld.isig = false; /* ^Z and ^\\ are data, not signals */
	const char in[] = {CTRL('A'), '\x1b', CTRL('Z'), '\0', CTRL('\\'), '\r'};
	type_n(in, sizeof(in));
	expect_echo("^A^[^Z^@^\\\r\n");
	char buf[8];
	cr_assert_eq(ldisc_read(&ld, buf, sizeof(buf)), 6);
	cr_assert_arr_eq(buf, "\x01\x1b\x1a\0\x1c\n", 6);
}

Test(ldisc, erasing_a_control_char_clears_two_columns)
{
	type((char[]){'a', CTRL('A'), DEL, '\r', 0});
	expect_echo("a^A\b \b\b \b\r\n");
	expect_read(64, "a\n");
}

Test(ldisc, tab_echoes_and_erases_to_its_column)
{
	type("\t\x7f");
	expect_echo("\t\b\b\b\b\b\b\b\b");
	type("abc\t\x7f");
	expect_echo("abc\t\b\b\b\b\b");
	type("\r");
	expect_read(64, "abc\n");
}

Test(ldisc, tab_erase_counts_from_start_col)
{
	ld.start_col = 2; /* after a "$ " prompt */
	type("\t\x7f");
	expect_echo("\t\b\b\b\b\b\b");
}

Test(ldisc, enter_resets_start_col_and_eof_push_moves_it)
{
	ld.start_col = 5;
	type("\r\t\x7f");
	expect_echo("\r\n\t\b\b\b\b\b\b\b\b");
	type((char[]){'a', 'b', 'c', CTRL('D'), '\t', DEL, 0});
	expect_echo("abc\t\b\b\b\b\b"); /* the tab after "abc" spans columns 3..7 */
}

Test(ldisc, utf8_character_erased_as_one)
{
	type("a\xc3\xa9\xe2\x82\xac\x7f");
	expect_echo("a\xc3\xa9\xe2\x82\xac\b \b");
	type("\x7f\r");
	expect_echo("\b \b\r\n");
	expect_read(64, "a\n");
}

Test(ldisc, echo_off_echoes_nothing_but_edits)
{
	ld.echo = false;
	type((char[]){'a', 'b', 'c', DEL, 'd', CTRL('A'), '\r', 'x', 'y', CTRL('U'), 'z', '\n', 0});
	expect_echo("");
	expect_read(64, "abd\x01\n");
	expect_read(64, "z\n");
}

Test(ldisc, several_lines_queue_in_order_one_per_read)
{
	type("one\rtwo\n\rthree\r");
	expect_read(64, "one\n");
	expect_read(64, "two\n");
	expect_read(64, "\n");
	expect_read(64, "three\n");
	expect_empty();
}

Test(ldisc, short_reads_leave_the_rest_of_the_line)
{
	type("hello\rbye\r");
	expect_read(2, "he");
	expect_read(2, "ll");
	expect_read(2, "o\n");
	expect_read(64, "bye\n");
	expect_empty();
}

Test(ldisc, zero_byte_read_returns_zero_and_consumes_nothing)
{
	char buf[1];
	cr_assert_eq(ldisc_read(&ld, buf, 0), 0);
	type("a\r");
	cr_assert_eq(ldisc_read(&ld, buf, 0), 0);
	expect_read(64, "a\n");
}

Test(ldisc, full_line_drops_chars_but_accepts_enter)
{
	char line[LDISC_LINE_MAX + 50];
	memset(line, 'x', sizeof(line));
	type_n(line, sizeof(line));
	expect_echo_n(line, LDISC_LINE_MAX - 1);
	type("\r");
	expect_echo("\r\n");
	char want[LDISC_LINE_MAX + 1];
	memset(want, 'x', LDISC_LINE_MAX - 1);
	strcpy(want + LDISC_LINE_MAX - 1, "\n");
	expect_read(sizeof(line), want);
	expect_empty();
}

Test(ldisc, full_line_still_erases)
{
	char line[LDISC_LINE_MAX];
	memset(line, 'y', sizeof(line));
	type_n(line, sizeof(line));
	type("\x7fz\r");
	char buf[LDISC_LINE_MAX + 8];
	cr_assert_eq(ldisc_read(&ld, buf, sizeof(buf)), LDISC_LINE_MAX);
	cr_assert_eq(buf[LDISC_LINE_MAX - 3], 'y');
	cr_assert_eq(buf[LDISC_LINE_MAX - 2], 'z');
	cr_assert_eq(buf[LDISC_LINE_MAX - 1], '\n');
}

Test(ldisc, very_long_line_read_in_chunks)
{
	char line[LDISC_LINE_MAX - 1];
	for (size_t i = 0; i < sizeof(line); i++)
		line[i] = (char)('a' + i % 26);
	type_n(line, sizeof(line));
	type("\r");
	char got[LDISC_LINE_MAX + 100];
	size_t total = 0;
	long r;
	while ((r = ldisc_read(&ld, got + total, 100)) > 0) {
		cr_assert_leq(r, 100);
		total += (size_t)r;
	}
	cr_assert_eq(r, -1);
	cr_assert_eq(total, LDISC_LINE_MAX);
	cr_assert_arr_eq(got, line, sizeof(line));
	cr_assert_eq(got[LDISC_LINE_MAX - 1], '\n');
}

/* Fills the cooked buffer exactly with four full lines. */
static void fill_cooked(void)
{
	char line[LDISC_LINE_MAX - 1];
	memset(line, 'q', sizeof(line));
	for (int i = 0; i < LDISC_BUF / LDISC_LINE_MAX; i++) {
		type_n(line, sizeof(line));
		type("\r");
	}
	cr_assert_eq(ld.count, LDISC_BUF);
	echo_len = 0;
}

Test(ldisc, full_cooked_buffer_holds_enter_until_read)
{
	fill_cooked();
	type("ab\r");
	expect_echo("ab"); /* the Enter did not fit: dropped, the line stays */
	char buf[LDISC_BUF];
	cr_assert_eq(ldisc_read(&ld, buf, sizeof(buf)), LDISC_LINE_MAX);
	type("\r");
	expect_echo("\r\n");
	for (int i = 0; i < 3; i++)
		cr_assert_eq(ldisc_read(&ld, buf, sizeof(buf)), LDISC_LINE_MAX);
	expect_read(64, "ab\n");
	expect_empty();
}

Test(ldisc, full_cooked_buffer_drops_eof)
{
	fill_cooked();
	type((char[]){CTRL('D'), 0});
	char buf[LDISC_BUF];
	for (int i = 0; i < 4; i++)
		cr_assert_eq(ldisc_read(&ld, buf, sizeof(buf)), LDISC_LINE_MAX);
	expect_empty();
}

Test(ldisc, raw_mode_delivers_bytes_at_once_without_echo)
{
	ldisc_set_raw(&ld, true);
	cr_assert(!ld.canon && !ld.echo && !ld.isig);
	type("a");
	expect_echo("");
	cr_assert(ldisc_readable(&ld));
	expect_read(64, "a");
	expect_empty();
}

Test(ldisc, raw_mode_passes_special_bytes_through)
{
	ldisc_set_raw(&ld, true);
	const char in[] = {'\r', DEL, '\b', CTRL('U'), CTRL('C'), CTRL('D'), '\n', 'z'};
	type_n(in, sizeof(in));
	expect_echo("");
	char buf[64];
	cr_assert_eq(ldisc_read(&ld, buf, sizeof(buf)), (long)sizeof(in));
	cr_assert_arr_eq(buf, in, sizeof(in));
	expect_empty();
}

Test(ldisc, raw_reads_respect_the_count)
{
	ldisc_set_raw(&ld, true);
	type("abcdef");
	expect_read(4, "abcd");
	expect_read(4, "ef");
	expect_empty();
}

Test(ldisc, raw_buffer_full_drops_bytes)
{
	ldisc_set_raw(&ld, true);
	for (int i = 0; i < LDISC_BUF + 100; i++)
		key((char)('0' + i % 10));
	char buf[LDISC_BUF + 100];
	cr_assert_eq(ldisc_read(&ld, buf, sizeof(buf)), LDISC_BUF);
	cr_assert_eq(buf[LDISC_BUF - 1], (char)('0' + (LDISC_BUF - 1) % 10));
	expect_empty();
}

Test(ldisc, going_raw_makes_the_partial_line_readable)
{
	type("ab");
	ldisc_set_raw(&ld, true);
	type("c");
	expect_read(64, "abc");
}

Test(ldisc, back_to_canonical_edits_lines_again)
{
	ldisc_set_raw(&ld, true);
	type("r");
	expect_read(64, "r");
	ldisc_set_raw(&ld, false);
	cr_assert(ld.canon && ld.echo && ld.isig);
	type("xy\x7f\r");
	expect_echo("xy\b \b\r\n");
	expect_read(64, "x\n");
	cr_assert_eq(key(CTRL('C')), LDISC_SIGINT);
}

Test(ldisc, lines_queued_before_raw_are_still_one_per_read)
{
	type((char[]){'a', '\r', CTRL('D'), 0});
	ldisc_set_raw(&ld, true);
	type("b");
	expect_read(64, "a\n");
	expect_read_ret(64, 0);
	expect_read(64, "b");
}

Test(ldisc, noncanonical_with_echo_echoes_each_byte)
{
	ld.canon = false;
	type((char[]){'a', CTRL('B'), '\r', 0});
	expect_echo("a^B\r\n");
	expect_read(64, "a\x02\r");
}

Test(ldisc, echo_longer_than_echo_max_is_cut_but_edit_happens)
{
	type("abc");
	echo_len = 0;
	char small[4 + 8];
	memset(small, '#', sizeof(small));
	size_t n;
	cr_assert_eq(ldisc_input(&ld, CTRL('U'), small, 4, &n), 0);
	cr_assert_eq(n, 4);
	cr_assert_arr_eq(small, "\b \b\b####", 8);
	type("\r");
	expect_read(64, "\n");
}

Test(ldisc, null_echo_and_necho_are_allowed)
{
	cr_assert_eq(ldisc_input(&ld, 'a', NULL, 0, NULL), 0);
	cr_assert_eq(ldisc_input(&ld, CTRL('C'), NULL, 0, NULL), LDISC_SIGINT);
	size_t n = 99;
	cr_assert_eq(ldisc_input(&ld, 'b', NULL, 0, &n), 0);
	cr_assert_eq(n, 0);
}

Test(ldisc, worst_echo_fits_echo_max)
{
	char tabs[LDISC_LINE_MAX - 1];
	memset(tabs, '\t', sizeof(tabs));
	type_n(tabs, sizeof(tabs));
	echo_len = 0;
	type((char[]){CTRL('U'), 0});
	cr_assert_eq(echo_len, 8 * (LDISC_LINE_MAX - 1));
	cr_assert_leq(echo_len, LDISC_ECHO_MAX);
	for (size_t i = 0; i < echo_len; i++)
		cr_assert_eq(echo[i], '\b');
}

Test(ldisc, output_turns_newline_into_crlf)
{
	char out[32];
	size_t used = 0;
	size_t n = ldisc_output("a\nb\n\n", 5, out, sizeof(out), &used);
	cr_assert_eq(n, 8);
	cr_assert_arr_eq(out, "a\r\nb\r\n\r\n", 8);
	cr_assert_eq(used, 5);
}

Test(ldisc, output_copies_other_bytes_unchanged)
{
	char out[8];
	size_t used;
	cr_assert_eq(ldisc_output("x\r\ty", 4, out, sizeof(out), &used), 4);
	cr_assert_arr_eq(out, "x\r\ty", 4);
	cr_assert_eq(used, 4);
}

Test(ldisc, output_respects_max_and_never_splits_crlf)
{
	char out[8];
	memset(out, '#', sizeof(out));
	size_t used;
	cr_assert_eq(ldisc_output("ab\ncd", 5, out, 3, &used), 2);
	cr_assert_eq(used, 2);
	cr_assert_eq(out[2], '#');
	cr_assert_eq(ldisc_output("ab\ncd", 5, out, 4, &used), 4);
	cr_assert_eq(used, 3);
	cr_assert_arr_eq(out, "ab\r\n#", 5);
	cr_assert_eq(ldisc_output("abcdef", 6, out, 2, &used), 2);
	cr_assert_eq(used, 2);
	cr_assert_eq(ldisc_output("\n", 1, out, 0, &used), 0);
	cr_assert_eq(used, 0);
}

Test(ldisc, output_in_pieces_matches_output_at_once)
{
	const char in[] = "line one\nline two\n\nend";
	size_t n = sizeof(in) - 1;
	char whole[64], pieces[64];
	size_t used, wlen = ldisc_output(in, n, whole, sizeof(whole), &used);
	cr_assert_eq(used, n);
	size_t off = 0, plen = 0;
	while (off < n) {
		plen += ldisc_output(in + off, n - off, pieces + plen, 3, &used);
		cr_assert_gt(used, 0);
		off += used;
	}
	cr_assert_eq(plen, wlen);
	cr_assert_arr_eq(pieces, whole, wlen);
}

/* The ldisc with guards on both sides, to catch writes outside it. */
static struct {
	uint8_t before[64];
	struct ldisc l;
	uint8_t after[64];
} fz;

static void check_invariants(const struct ldisc *l)
{
	cr_assert_lt(l->len, LDISC_LINE_MAX);
	cr_assert_leq(l->count, LDISC_BUF);
	cr_assert_lt(l->head, LDISC_BUF);
	cr_assert_eq(ldisc_readable(l), l->count > 0);
	for (size_t i = 0; i < sizeof(fz.before); i++)
		cr_assert(fz.before[i] == 0xa5 && fz.after[i] == 0xa5, "guard %zu hit", i);
}

/* One random input byte with a random echo room; the echo must stay in it. */
static void fuzz_input(char c)
{
	char eb[LDISC_ECHO_MAX + 16];
	size_t room = (size_t)(rand() % 4 ? LDISC_ECHO_MAX : rand() % 8);
	size_t n = 0;
	memset(eb, 0x5a, sizeof(eb));
	int r = ldisc_input(&fz.l, c, eb, room, &n);
	cr_assert(r == 0 || (fz.l.isig && ((r == LDISC_SIGINT && c == CTRL('C')) ||
	                                   (r == LDISC_SIGQUIT && c == CTRL('\\')) ||
	                                   (r == LDISC_SIGTSTP && c == CTRL('Z')))));
	cr_assert_leq(n, room);
	for (size_t i = room; i < sizeof(eb); i++)
		cr_assert_eq((uint8_t)eb[i], 0x5a, "echo wrote past its room");
}

/* One random read; checks its bounds and, in canonical-only runs, that it
 * holds at most one line with no editing byte in it. */
static void fuzz_read(bool canon_only)
{
	char rb[LDISC_BUF + 16];
	size_t n = (size_t)(rand() % 3 ? rand() % 16 : rand() % (LDISC_BUF + 1));
	bool was_readable = ldisc_readable(&fz.l);
	memset(rb, 0x5a, sizeof(rb));
	long r = ldisc_read(&fz.l, rb, n);
	cr_assert(r >= -1 && r <= (long)n);
	cr_assert_eq(r == -1, n > 0 && !was_readable);
	for (size_t i = r > 0 ? (size_t)r : 0; i < sizeof(rb); i++)
		cr_assert_eq((uint8_t)rb[i], 0x5a, "read wrote past its count");
	for (long i = 0; canon_only && i < r; i++) {
		cr_assert(rb[i] != '\n' || i == r - 1, "two lines in one read");
		cr_assert(!memchr("\r\x7f\b\x15\x03\x04", rb[i], 6), "editing byte %#x read",
		          (unsigned char)rb[i]);
	}
}

static void fuzz(unsigned seed, bool canon_only)
{
	memset(&fz, 0xa5, sizeof(fz));
	ldisc_init(&fz.l);
	srand(seed);
	for (int i = 0; i < 200000; i++) {
		int op = rand() % 100;
		/* bias toward the special bytes so that editing happens often */
		char c = (char)(rand() % 3 ? rand() % 256 : "\r\n\x7f\b\x15\x03\x04\t"[rand() % 8]);
		if (op < 70)
			fuzz_input(c);
		else if (op < 97)
			fuzz_read(canon_only);
		else if (!canon_only)
			ldisc_set_raw(&fz.l, rand() % 2);
		check_invariants(&fz.l);
	}
	char rb[LDISC_BUF];
	while (ldisc_read(&fz.l, rb, sizeof(rb)) >= 0)
		check_invariants(&fz.l);
	cr_assert_not(ldisc_readable(&fz.l));
}

Test(ldisc, random_bytes_canonical_keep_invariants)
{
	fuzz(1234, true);
}

Test(ldisc, random_bytes_and_mode_switches_keep_invariants)
{
	fuzz(98765, false);
}

Test(ldisc, random_bytes_without_reads_never_overflow)
{
	memset(&fz, 0xa5, sizeof(fz));
	ldisc_init(&fz.l);
	srand(42);
	for (int i = 0; i < 20000; i++) {
		fuzz_input((char)(rand() % 256));
		check_invariants(&fz.l);
		if (i == 10000)
			ldisc_set_raw(&fz.l, true);
	}
	cr_assert_eq(fz.l.count, LDISC_BUF, "raw bytes fill the buffer to the brim");
}
