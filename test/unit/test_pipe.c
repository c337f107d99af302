/* Pipes with their waiting readers and writers: replies in arrival
 * order, bytes kept for the next reader when a reply fails, queues with
 * no small limit, a dead process's requests dropped, and the answers
 * every waiter gets when the ends close. Answers (srv_answer, through
 * the fake transport's hook) are recorded here. */
#include <criterion/criterion.h>
#include <string.h>

#include "../../servers/fs/pipe.h"
#include "fake_sys.h"

#define MAXREP 1024

static struct answer {
	unsigned long token;
	long result;
	char data[64]; /* the first bytes of a read's reply */
} answers[MAXREP];
static int nanswers;
static char scratch[4096];
static unsigned long gone[8]; /* clients that were killed */
static struct server srv = {.name = "pipe-test", .out = scratch};

static int fake_reply(srv_client token, const struct srv_rep *rep, const void *data)
{
	size_t len = rep->len;
	for (size_t i = 0; i < sizeof(gone) / sizeof(gone[0]); i++)
		if (gone[i] == token)
			return -3; /* -ESRCH */
	cr_assert_lt(nanswers, MAXREP);
	struct answer *a = &answers[nanswers++];
	a->token = token;
	a->result = rep->result;
	memset(a->data, 0, sizeof(a->data));
	memcpy(a->data, data, len < sizeof(a->data) - 1 ? len : sizeof(a->data) - 1);
	return 0;
}

static void setup(void)
{
	nanswers = 0;
	memset(gone, 0, sizeof(gone));
	fake_reset();
	fake.on_answer = fake_reply;
	pipe_setup(&srv);
}

static void teardown(void)
{
	cr_assert_eq(pipe_live(), 0, "a test left a pipe open");
}

TestSuite(pipe, .init = setup, .fini = teardown);

static void close_both(struct pipe *pp)
{
	pipe_close_end(pp, false);
	pipe_close_end(pp, true);
}

static void write_now(struct pipe *pp, const char *s)
{
	long r;
	cr_assert_not(pipe_write(pp, 1, 999, s, strlen(s), false, &r), "write of %s waited", s);
	cr_assert_eq(r, (long)strlen(s));
}

Test(pipe, a_waiting_reader_gets_the_next_write)
{
	struct pipe *pp = pipe_new();
	long r;
	cr_assert(pipe_read(pp, 1, 10, 100, false, &r));
	cr_assert_eq(nanswers, 0, "nothing to read yet");
	write_now(pp, "hello");
	cr_assert_eq(nanswers, 1);
	cr_assert_eq(answers[0].token, 10);
	cr_assert_eq(answers[0].result, 5);
	cr_assert_str_eq(answers[0].data, "hello");
	cr_assert(pipe_read(pp, 1, 11, 100, false, &r), "no data: it waits");
	cr_assert_eq(pipe_waiting(), 1);
	close_both(pp);
	cr_assert_eq(answers[1].token, 11);
	cr_assert_eq(answers[1].result, 0, "end of file when the writer closes");
}

Test(pipe, a_reader_killed_while_waiting_leaves_the_bytes_for_the_next)
{
	struct pipe *pp = pipe_new();
	long r;
	gone[0] = 20;
	cr_assert(pipe_read(pp, 2, 20, 100, false, &r));
	cr_assert(pipe_read(pp, 3, 21, 100, false, &r));
	write_now(pp, "precious");
	cr_assert_eq(nanswers, 1, "the dead reader got nothing");
	cr_assert_eq(answers[0].token, 21);
	cr_assert_str_eq(answers[0].data, "precious");
	cr_assert_eq(pipebuf_count(&pp->buf), 0);
	gone[1] = 22; /* and when it reads with data there, no wait */
	write_now(pp, "more");
	cr_assert(pipe_read(pp, 4, 22, 100, false, &r));
	cr_assert_eq(pipebuf_count(&pp->buf), 4, "still in the pipe");
	cr_assert(pipe_read(pp, 4, 23, 100, false, &r));
	cr_assert_str_eq(answers[1].data, "more");
	close_both(pp);
}

Test(pipe, hundreds_of_blocked_readers_are_all_served_in_order)
{
	struct pipe *pp = pipe_new();
	char bytes[300];
	long r;
	for (int i = 0; i < 300; i++) {
		cr_assert(pipe_read(pp, 100 + i, 1000 + (unsigned long)i, 1, false, &r));
		bytes[i] = (char)('a' + i % 26);
	}
	cr_assert_eq(pipe_waiting(), 300);
	cr_assert_not(pipe_write(pp, 1, 5, bytes, 300, false, &r));
	cr_assert_eq(nanswers, 300);
	for (int i = 0; i < 300; i++) {
		cr_assert_eq(answers[i].token, 1000 + (unsigned long)i);
		cr_assert_eq(answers[i].result, 1);
		cr_assert_eq(answers[i].data[0], bytes[i]);
	}
	close_both(pp);
}

Test(pipe, hundreds_of_blocked_writers_all_get_in)
{
	struct pipe *pp = pipe_new();
	static char fill[PIPE_BUF_SIZE];
	char msg[100];
	int reads = 0, writes = 0;
	long r;
	cr_assert_not(pipe_write(pp, 1, 1, fill, sizeof(fill), false, &r));
	for (int i = 0; i < 200; i++) {
		memset(msg, 'A' + i % 26, sizeof(msg));
		cr_assert(
		    pipe_write(pp, 10 + i, 100 + (unsigned long)i, msg, sizeof(msg), false, &r));
	}
	cr_assert_eq(pipe_waiting(), 200);
	cr_assert(pipe_read(pp, 2, 5000, sizeof(fill), false, &r), "drains the fill, lets 40 in");
	for (int i = 0; i < 200; i++)
		cr_assert(pipe_read(pp, 2, 6000 + (unsigned long)i, sizeof(msg), false, &r));
	for (int i = 0; i < nanswers; i++) {
		struct answer *a = &answers[i];
		if (a->token >= 6000) { /* the reads, one message each, in order */
			cr_assert_eq(a->result, 100);
			cr_assert_eq(a->data[0], 'A' + reads % 26, "message %d out of order",
			             reads);
			reads++;
		} else if (a->token >= 100 && a->token < 300) {
			cr_assert_eq(a->token, 100 + (unsigned long)writes++, "writers in order");
			cr_assert_eq(a->result, 100);
		}
	}
	cr_assert_eq(reads, 200);
	cr_assert_eq(writes, 200);
	cr_assert_eq(pipe_waiting(), 0);
	close_both(pp);
}

Test(pipe, a_large_write_goes_in_part_by_part_without_repeats)
{
	struct pipe *pp = pipe_new();
	static char fill[4000], big[1000], out[PIPE_BUF_SIZE];
	long r;
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)(i % 251 + 1);
	cr_assert_not(pipe_write(pp, 1, 1, fill, sizeof(fill), false, &r));
	cr_assert(pipe_write(pp, 1, 2, big, sizeof(big), false, &r), "only 96 bytes fit");
	cr_assert_eq(pipebuf_count(&pp->buf), PIPE_BUF_SIZE);
	cr_assert(pipe_read(pp, 2, 3, sizeof(out), false, &r));
	cr_assert_eq(answers[0].token, 3);
	cr_assert_eq(answers[0].result, PIPE_BUF_SIZE);
	cr_assert_eq(answers[1].token, 2, "the writer finished");
	cr_assert_eq(answers[1].result, 1000);
	cr_assert_eq(pipebuf_count(&pp->buf), 1000 - 96, "no byte written twice");
	cr_assert_eq(pipebuf_read(&pp->buf, out, sizeof(out)), 904);
	cr_assert_arr_eq(out, big + 96, 904);
	close_both(pp);
}

Test(pipe, a_small_write_waits_for_room_for_all_of_it)
{
	struct pipe *pp = pipe_new();
	static char fill[4000], out[PIPE_BUF_SIZE];
	long r;
	cr_assert_not(pipe_write(pp, 1, 1, fill, sizeof(fill), false, &r));
	cr_assert(pipe_write(pp, 1, 2,
	                     "0123456789abcdefghij0123456789abcdefghij0123456789abcdefghij"
	                     "0123456789abcdefghij0123456789abcdefghij0123456789abcdefghij"
	                     "0123456789abcdefghij0123456789abcdefghij0123456789abcdefghij"
	                     "0123456789abcdefghij",
	                     200, false, &r));
	cr_assert(pipe_read(pp, 2, 3, 50, false, &r));
	cr_assert_eq(pipebuf_count(&pp->buf), 4000 - 50, "146 bytes free: not enough");
	cr_assert(pipe_read(pp, 2, 4, 100, false, &r));
	cr_assert_eq(pipebuf_count(&pp->buf), 4000 - 150 + 200, "then all 200 at once");
	cr_assert_eq(answers[2].token, 2);
	(void)out;
	close_both(pp);
}

Test(pipe, a_writer_whose_reply_fails_is_dropped)
{
	struct pipe *pp = pipe_new();
	static char fill[PIPE_BUF_SIZE];
	long r;
	cr_assert_not(pipe_write(pp, 1, 1, fill, sizeof(fill), false, &r));
	gone[0] = 7;
	cr_assert(pipe_write(pp, 5, 7, "late", 4, false, &r));
	cr_assert(pipe_read(pp, 2, 8, 10, false, &r));
	cr_assert_eq(pipe_waiting(), 0);
	cr_assert_eq(nanswers, 1, "only the reader heard back");
	close_both(pp);
}

Test(pipe, cancel_drops_the_requests_of_a_process_that_exited)
{
	struct pipe *pp = pipe_new(), *other = pipe_new();
	static char fill[PIPE_BUF_SIZE];
	long r;
	cr_assert(pipe_read(pp, 5, 50, 10, false, &r));
	cr_assert(pipe_read(pp, 6, 60, 10, false, &r));
	cr_assert(pipe_read(pp, 5, 51, 10, false, &r));
	cr_assert_not(pipe_write(other, 1, 1, fill, sizeof(fill), false, &r));
	cr_assert(pipe_write(other, 5, 52, "dead", 4, false, &r));
	cr_assert(pipe_write(other, 6, 61, "live", 4, false, &r));
	pipe_cancel(5);
	cr_assert_eq(pipe_waiting(), 2);
	write_now(pp, "x");
	cr_assert_eq(answers[0].token, 60, "the first live reader");
	cr_assert(pipe_read(other, 6, 62, sizeof(fill), false, &r));
	cr_assert_eq(answers[1].token, 62);
	cr_assert_eq(answers[2].token, 61, "the live writer went in");
	cr_assert_eq(pipebuf_count(&other->buf), 4);
	cr_assert_eq(pipebuf_read(&other->buf, fill, 4), 4);
	cr_assert_arr_eq(fill, "live", 4, "the dead writer's bytes never arrive");
	close_both(pp);
	close_both(other);
}

Test(pipe, closing_answers_every_waiter_and_frees_the_pipe)
{
	struct pipe *pp = pipe_new();
	static char fill[PIPE_BUF_SIZE];
	long r;
	cr_assert_not(pipe_write(pp, 1, 1, fill, sizeof(fill), false, &r));
	cr_assert(pipe_write(pp, 1, 2, "a", 1, false, &r));
	cr_assert(pipe_write(pp, 1, 3, "b", 1, false, &r));
	pipe_close_end(pp, true);
	cr_assert_eq(nanswers, 2);
	cr_assert(answers[0].token == 2 && answers[0].result == -EPIPE);
	cr_assert(answers[1].token == 3 && answers[1].result == -EPIPE);
	cr_assert_not(pipe_write(pp, 1, 4, "c", 1, false, &r));
	cr_assert_eq(r, -EPIPE);
	cr_assert_eq(pipe_live(), 1);
	pipe_close_end(pp, false);
	cr_assert_eq(pipe_live(), 0);
}

Test(pipe, zero_byte_requests_answer_at_once)
{
	struct pipe *pp = pipe_new();
	long r = -1;
	cr_assert_not(pipe_read(pp, 1, 1, 0, false, &r));
	cr_assert_eq(r, 0);
	cr_assert_not(pipe_write(pp, 1, 2, "", 0, false, &r));
	cr_assert_eq(r, 0);
	cr_assert_eq(nanswers, 0);
	close_both(pp);
}
