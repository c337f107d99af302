/* The pipe ring buffer: byte order across the wrap-around, full and
 * empty, the blocking/EOF/EPIPE decisions from the reader and writer
 * counts, and all-or-nothing small writes. */
#include <criterion/criterion.h>
#include <string.h>

#include "../../servers/fs/pipebuf.h"

static struct pipebuf pb;

static void pb_setup(void)
{
	memset(&pb, 0xAA, sizeof(pb));
	pipebuf_init(&pb);
}

TestSuite(pipebuf, .init = pb_setup);

/* Byte number seq of a stream; not periodic in the ring's size, so a
 * stale byte left from an earlier lap never looks right. */
static uint8_t byte_at(unsigned seq)
{
	return (uint8_t)((seq * 7 + 3) ^ (seq / 251));
}

/* Fills buf with the stream from seq on and returns the next seq. */
static unsigned pattern(uint8_t *buf, size_t len, unsigned seq)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = byte_at(seq++);
	return seq;
}

static void check_pattern(const uint8_t *buf, size_t len, unsigned seq)
{
	for (size_t i = 0; i < len; i++, seq++)
		cr_assert_eq(buf[i], byte_at(seq), "byte %zu is %#x", i, buf[i]);
}

Test(pipebuf, starts_empty_with_one_reader_and_one_writer)
{
	cr_assert_eq(pipebuf_count(&pb), 0);
	cr_assert_eq(pipebuf_space(&pb), PIPE_BUF_SIZE);
	cr_assert_eq(pb.readers, 1);
	cr_assert_eq(pb.writers, 1);
	cr_assert(pipebuf_read_blocks(&pb));
	cr_assert_not(pipebuf_read_eof(&pb));
	cr_assert_not(pipebuf_write_epipe(&pb));
}

Test(pipebuf, bytes_come_out_in_order)
{
	uint8_t out[8];
	cr_assert_eq(pipebuf_write(&pb, "hello", 5), 5);
	cr_assert_eq(pipebuf_write(&pb, " you", 4), 4);
	cr_assert_eq(pipebuf_count(&pb), 9);
	cr_assert_eq(pipebuf_read(&pb, out, 3), 3);
	cr_assert_arr_eq(out, "hel", 3);
	cr_assert_eq(pipebuf_read(&pb, out, sizeof(out)), 6);
	cr_assert_arr_eq(out, "lo you", 6);
	cr_assert_eq(pipebuf_count(&pb), 0);
	cr_assert_eq(pipebuf_read(&pb, out, sizeof(out)), 0);
}

Test(pipebuf, data_wraps_around_the_end_of_the_ring)
{
	static uint8_t in[PIPE_BUF_SIZE], out[PIPE_BUF_SIZE];
	unsigned wseq = 0, rseq = 0;
	/* Shift the head to 3000 so later writes straddle the end. */
	wseq = pattern(in, 3000, wseq);
	cr_assert_eq(pipebuf_write(&pb, in, 3000), 3000);
	cr_assert_eq(pipebuf_read(&pb, out, 2999), 2999);
	check_pattern(out, 2999, rseq);
	rseq += 2999;
	for (int round = 0; round < 10; round++) {
		size_t n = 1500 + (size_t)round * 123;
		wseq = pattern(in, n, wseq);
		cr_assert_eq(pipebuf_write(&pb, in, n), n);
		size_t got = pipebuf_read(&pb, out, n);
		cr_assert_eq(got, n);
		check_pattern(out, got, rseq);
		rseq += (unsigned)got;
	}
	cr_assert_eq(pipebuf_count(&pb), 1);
}

Test(pipebuf, full_buffer_takes_nothing_more)
{
	static uint8_t in[PIPE_BUF_SIZE + 100], out[PIPE_BUF_SIZE];
	pattern(in, sizeof(in), 0);
	cr_assert_eq(pipebuf_write(&pb, in, sizeof(in)), PIPE_BUF_SIZE);
	cr_assert_eq(pipebuf_space(&pb), 0);
	cr_assert_eq(pipebuf_write(&pb, in, 1), 0);
	cr_assert(pipebuf_write_blocks(&pb, 1));
	cr_assert(pipebuf_write_blocks(&pb, 10000));
	cr_assert_eq(pipebuf_try_write(&pb, in, 1), -EAGAIN);
	cr_assert_eq(pipebuf_read(&pb, out, sizeof(out)), PIPE_BUF_SIZE);
	check_pattern(out, PIPE_BUF_SIZE, 0);
}

Test(pipebuf, read_of_empty_pipe_blocks_while_a_writer_is_open)
{
	char c;
	cr_assert(pipebuf_read_blocks(&pb));
	cr_assert_eq(pipebuf_try_read(&pb, &c, 1), -EAGAIN);
	pipebuf_write(&pb, "x", 1);
	cr_assert_not(pipebuf_read_blocks(&pb));
	cr_assert_eq(pipebuf_try_read(&pb, &c, 1), 1);
	cr_assert_eq(c, 'x');
}

Test(pipebuf, eof_only_after_the_data_is_drained)
{
	char buf[8];
	pipebuf_write(&pb, "abc", 3);
	pb.writers = 0;
	cr_assert_not(pipebuf_read_eof(&pb), "data left: not EOF yet");
	cr_assert_not(pipebuf_read_blocks(&pb));
	cr_assert_eq(pipebuf_try_read(&pb, buf, sizeof(buf)), 3);
	cr_assert(pipebuf_read_eof(&pb));
	cr_assert_not(pipebuf_read_blocks(&pb));
	cr_assert_eq(pipebuf_try_read(&pb, buf, sizeof(buf)), 0);
}

Test(pipebuf, write_without_readers_is_epipe)
{
	pb.readers = 0;
	cr_assert(pipebuf_write_epipe(&pb));
	cr_assert_not(pipebuf_write_blocks(&pb, 10), "EPIPE, not a wait");
	cr_assert_eq(pipebuf_try_write(&pb, "abc", 3), -EPIPE);
	cr_assert_eq(pipebuf_count(&pb), 0, "nothing was stored");
	cr_assert_eq(pipebuf_try_write(&pb, "abc", 0), 0, "empty write succeeds");
}

Test(pipebuf, small_write_is_all_or_nothing)
{
	static uint8_t in[PIPE_BUF_SIZE], out[PIPE_BUF_SIZE];
	pattern(in, sizeof(in), 0);
	size_t fill = PIPE_BUF_SIZE - 100;
	cr_assert_eq(pipebuf_write(&pb, in, fill), fill);
	/* 101 bytes do not fit in 100: the whole write waits. */
	cr_assert(pipebuf_write_blocks(&pb, 101));
	cr_assert_eq(pipebuf_try_write(&pb, in, 101), -EAGAIN);
	cr_assert_eq(pipebuf_count(&pb), fill, "no partial write");
	cr_assert_not(pipebuf_write_blocks(&pb, 100));
	cr_assert_eq(pipebuf_try_write(&pb, in, PIPEBUF_ATOMIC), -EAGAIN);
	cr_assert_eq(pipebuf_read(&pb, out, PIPEBUF_ATOMIC - 100), PIPEBUF_ATOMIC - 100);
	cr_assert_eq(pipebuf_try_write(&pb, in, PIPEBUF_ATOMIC), PIPEBUF_ATOMIC);
	cr_assert_eq(pipebuf_space(&pb), 0);
}

Test(pipebuf, large_write_goes_in_part_by_part)
{
	static uint8_t in[PIPE_BUF_SIZE * 2], out[PIPE_BUF_SIZE * 2];
	pattern(in, sizeof(in), 0);
	pipebuf_write(&pb, in, PIPE_BUF_SIZE - 10);
	size_t len = PIPEBUF_ATOMIC + 1;
	cr_assert_not(pipebuf_write_blocks(&pb, len), "larger than atomic: takes what fits");
	cr_assert_eq(pipebuf_try_write(&pb, in + PIPE_BUF_SIZE - 10, len), 10);
	cr_assert(pipebuf_write_blocks(&pb, len));
	cr_assert_eq(pipebuf_read(&pb, out, sizeof(out)), PIPE_BUF_SIZE);
	check_pattern(out, PIPE_BUF_SIZE, 0);
}

Test(pipebuf, peek_leaves_the_bytes_and_skip_drops_them)
{
	uint8_t in[2 * PIPE_BUF_SIZE], out[PIPE_BUF_SIZE];
	pattern(in, sizeof(in), 0);
	cr_assert_eq(pipebuf_write(&pb, in, 3000), 3000);
	cr_assert_eq(pipebuf_read(&pb, out, 2000), 2000);
	cr_assert_eq(pipebuf_write(&pb, in + 3000, 1096 + 2000), 1096 + 2000, "wraps around");
	cr_assert_eq(pipebuf_peek(&pb, out, sizeof(out)), PIPE_BUF_SIZE);
	check_pattern(out, PIPE_BUF_SIZE, 2000);
	cr_assert_eq(pipebuf_count(&pb), PIPE_BUF_SIZE, "peek took nothing");
	pipebuf_skip(&pb, 100);
	cr_assert_eq(pipebuf_peek(&pb, out, 10), 10);
	check_pattern(out, 10, 2100);
	pipebuf_skip(&pb, PIPE_BUF_SIZE * 2);
	cr_assert_eq(pipebuf_count(&pb), 0, "skip stops at the count");
	cr_assert_eq(pipebuf_peek(&pb, out, 10), 0);
}
