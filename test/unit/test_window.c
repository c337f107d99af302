/* Requests that lend fs a window of the caller's memory (FS_READ and
 * FS_WRITE above 768 bytes): the bytes go straight between the file or the
 * pipe and the window (the fake transport's, test/unit/fake_sys.c), the
 * count comes back in m0, a bad window is -EFAULT with nothing consumed,
 * and a pipe's blocked readers and writers keep using theirs. Also the
 * pieces underneath: the ring's segments and ramfs's read_to. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../servers/fs/blockmap.h"
#include "../../servers/fs/fs.h"
#include "../../servers/fs/pipebuf.h"
#include "fake_sys.h"
#include "mica/errno.h"
#include "mica/proto/fs.h"

#define P5 5ul

static char out[IPC_MAX];
static srv_client next_client;

static void setup(void)
{
	fake_reset();
	cr_assert_eq(fs_start(), 0);
	fs_server.out = out;
	next_client = 100;
}

TestSuite(window, .init = setup);

/* Lends buf[len] as the next client's window (slot k of the fake's). */
static srv_client lend(int k, void *buf, size_t len, bool ro)
{
	fake.win[k] =
	    (struct fake_window){.client = ++next_client, .buf = buf, .len = len, .ro = ro};
	return next_client;
}

/* A request from pid 5 by client c: m0, m1, its window (0: none), a
 * payload; the verdict, *rep the reply. */
static int req(srv_client c, unsigned op, unsigned long m0, unsigned long m1, size_t win,
               const void *data, size_t len, struct srv_rep *rep)
{
	memcpy(out, data, len);
	struct srv_req r = {.op = op,
	                    .m = {m0, m1},
	                    .data = out,
	                    .len = len,
	                    .badge = P5,
	                    .handle = -1,
	                    .call = true,
	                    .client = c,
	                    .window = win};
	return srv_dispatch(&fs_server, &r, rep);
}

static long fs_open(const char *path, int flags)
{
	struct srv_rep rep;
	cr_assert_eq(req(++next_client, FS_OPEN, (unsigned long)flags, 0644, 0, path,
	                 strlen(path) + 1, &rep),
	             SRV_REPLY);
	return rep.result;
}

/* A read or write of n bytes through the window buf[n]: the count, or
 * -errno, as the library sees it. */
static long io(unsigned op, long fd, void *buf, size_t n, bool ro)
{
	struct srv_rep rep;
	srv_client c = lend(0, buf, n, ro);
	cr_assert_eq(req(c, op, (unsigned long)fd, n, n, NULL, 0, &rep), SRV_REPLY);
	cr_assert_eq(rep.len, 0, "no payload with a window");
	return rep.result < 0 ? rep.result : (long)rep.m[0];
}

static void fill(unsigned char *b, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		b[i] = (unsigned char)(i * 13 + seed + (i >> 12));
}

Test(window, a_file_goes_out_and_comes_back_through_windows)
{
	size_t n = 300000; /* over many pages, not a multiple of one */
	unsigned char *a = malloc(n), *b = calloc(1, n + 10);
	fill(a, n, 1);
	long fd = fs_open("/big", O_CREAT | O_RDWR);
	cr_assert_geq(fd, 0);
	cr_assert_eq(io(FS_WRITE, fd, a, n, true), (long)n, "a read-only window is enough");
	struct srv_rep rep;
	req(++next_client, FS_LSEEK, (unsigned long)fd, 0, 0, NULL, 0, &rep);
	cr_assert_eq(io(FS_READ, fd, b, n + 10, false), (long)n, "all of it, then the end");
	cr_assert_eq(memcmp(a, b, n), 0);
	cr_assert_eq(io(FS_READ, fd, b, 100, false), 0, "end of file");
	free(a);
	free(b);
}

Test(window, a_count_over_the_window_is_cut_to_it)
{
	char buf[5000], small[10];
	memset(buf, 'q', sizeof(buf));
	long fd = fs_open("/f", O_CREAT | O_RDWR);
	cr_assert_eq(io(FS_WRITE, fd, buf, sizeof(buf), true), 5000);
	struct srv_rep rep;
	req(++next_client, FS_LSEEK, (unsigned long)fd, 0, 0, NULL, 0, &rep);
	srv_client c = lend(0, small, sizeof(small), false);
	cr_assert_eq(req(c, FS_READ, (unsigned long)fd, 5000, sizeof(small), NULL, 0, &rep),
	             SRV_REPLY);
	cr_assert_eq(rep.result, 0);
	cr_assert_eq(rep.m[0], 10, "no more than the window holds");
}

Test(window, a_bad_window_is_efault_and_moves_nothing)
{
	char buf[8192];
	memset(buf, 'z', sizeof(buf));
	long fd = fs_open("/f", O_CREAT | O_RDWR);
	cr_assert_eq(io(FS_WRITE, fd, buf, sizeof(buf), true), 8192);
	struct srv_rep rep;
	req(++next_client, FS_LSEEK, (unsigned long)fd, 0, 0, NULL, 0, &rep);
	cr_assert_eq(io(FS_READ, fd, buf, sizeof(buf), true), -EPERM, "a read-only window");
	srv_client c = lend(0, buf, sizeof(buf), false);
	fake.win[0].bad = true;
	req(c, FS_READ, (unsigned long)fd, sizeof(buf), sizeof(buf), NULL, 0, &rep);
	cr_assert_eq(rep.result, -EFAULT);
	c = lend(0, buf, sizeof(buf), false);
	fake.win[0].bad = true;
	req(c, FS_WRITE, (unsigned long)fd, sizeof(buf), sizeof(buf), NULL, 0, &rep);
	cr_assert_eq(rep.result, -EFAULT);
	req(++next_client, FS_LSEEK, (unsigned long)fd, 0, 1 /* SEEK_CUR */, NULL, 0, &rep);
	cr_assert_eq(rep.m[0], 0, "the offset did not move");
}

Test(window, zeros_and_devices_fill_windows)
{
	char buf[20000];
	memset(buf, 'x', sizeof(buf));
	long fd = fs_open("/dev/zero", O_RDWR);
	cr_assert_eq(io(FS_READ, fd, buf, sizeof(buf), false), (long)sizeof(buf));
	for (size_t i = 0; i < sizeof(buf); i++)
		cr_assert_eq(buf[i], 0);
	cr_assert_eq(io(FS_WRITE, fd, buf, sizeof(buf), true), (long)sizeof(buf), "taken");
	long tr = fs_open("/big", O_CREAT | O_RDWR);
	struct srv_rep rep;
	char end[] = "end";
	req(++next_client, FS_LSEEK, (unsigned long)tr, 9000, 0, NULL, 0, &rep);
	cr_assert_eq(req(++next_client, FS_WRITE, (unsigned long)tr, 0, 0, end, 3, &rep),
	             SRV_REPLY);
	req(++next_client, FS_LSEEK, (unsigned long)tr, 0, 0, NULL, 0, &rep);
	memset(buf, 'x', sizeof(buf));
	cr_assert_eq(io(FS_READ, tr, buf, sizeof(buf), false), 9003, "a hole, then three bytes");
	for (size_t i = 0; i < 9000; i++)
		cr_assert_eq(buf[i], 0, "byte %zu of the hole", i);
	cr_assert_eq(memcmp(buf + 9000, "end", 3), 0);
}

/* Answers the pipes gave, by client (100 + i). */
static struct srv_rep answered[64];

static int keep_answer(srv_client c, const struct srv_rep *rep, const void *data)
{
	(void)data;
	cr_assert(c > 100 && c < 164);
	answered[c - 100] = *rep;
	return 0;
}

/* A pipe read of up to n bytes into buf's window, answered now or by the
 * pipe: the count or -errno; -1000 if it waits. */
static long pipe_io(unsigned op, long fd, void *buf, size_t n, bool bad)
{
	struct srv_rep rep;
	srv_client c = lend(op == FS_READ ? 1 : 0, buf, n, op == FS_WRITE);
	fake.win[op == FS_READ ? 1 : 0].bad = bad;
	answered[c - 100] = (struct srv_rep){.result = -1000};
	if (req(c, op, (unsigned long)fd, n, n, NULL, 0, &rep) == SRV_REPLY)
		answered[c - 100] = rep;
	rep = answered[c - 100];
	return rep.result < 0 ? rep.result : (long)rep.m[0];
}

static void make_pipe(long *r, long *w)
{
	struct srv_rep rep;
	cr_assert_eq(req(++next_client, FS_PIPE, 0, 0, 0, NULL, 0, &rep), SRV_REPLY);
	*r = (long)rep.m[0], *w = (long)rep.m[1];
}

Test(window, a_big_pipe_write_waits_in_the_writers_memory_until_read)
{
	long r, w;
	size_t n = 3 * PIPE_BUF_SIZE + 100;
	unsigned char *a = malloc(n), *b = calloc(1, n);
	fill(a, n, 7);
	fake.on_answer = keep_answer;
	make_pipe(&r, &w);
	srv_client writer = next_client + 1;
	cr_assert_eq(pipe_io(FS_WRITE, w, a, n, false), -1000, "more than the ring: it waits");
	size_t got = 0;
	for (int i = 0; got < n && i < 10; i++) { /* each read gives what is in */
		long k = pipe_io(FS_READ, r, b + got, n - got, false);
		cr_assert_gt(k, 0);
		got += (size_t)k;
	}
	cr_assert_eq(got, n);
	cr_assert_eq(memcmp(a, b, n), 0);
	cr_assert_eq(answered[writer - 100].result, 0, "the writer, once all of it was in");
	cr_assert_eq(answered[writer - 100].m[0], n, "its count in m0");
	free(a);
	free(b);
}

Test(window, a_blocked_reader_gets_a_later_write_in_its_window)
{
	long r, w;
	struct srv_rep rep;
	char buf[8192];
	fake.on_answer = keep_answer;
	make_pipe(&r, &w);
	srv_client reader = next_client + 1;
	cr_assert_eq(pipe_io(FS_READ, r, buf, sizeof(buf), false), -1000, "it waits");
	cr_assert_eq(req(++next_client, FS_WRITE, (unsigned long)w, 0, 0, "ping", 4, &rep),
	             SRV_REPLY);
	cr_assert_eq(rep.result, 4, "a small write answers in the label");
	cr_assert_eq(answered[reader - 100].result, 0);
	cr_assert_eq(answered[reader - 100].m[0], 4);
	cr_assert_eq(answered[reader - 100].len, 0);
	cr_assert_eq(memcmp(buf, "ping", 4), 0);
}

Test(window, a_reader_whose_window_fails_leaves_the_bytes_in_the_pipe)
{
	long r, w;
	struct srv_rep rep;
	char buf[4096];
	fake.on_answer = keep_answer;
	make_pipe(&r, &w);
	req(++next_client, FS_WRITE, (unsigned long)w, 0, 0, "kept", 4, &rep);
	cr_assert_eq(pipe_io(FS_READ, r, buf, sizeof(buf), true), -EFAULT);
	cr_assert_eq(pipe_io(FS_READ, r, buf, sizeof(buf), false), 4, "still there");
	cr_assert_eq(memcmp(buf, "kept", 4), 0);
	cr_assert_eq(pipe_io(FS_WRITE, w, buf, sizeof(buf), true), -EFAULT, "a bad writer");
}

/* --- the pieces ------------------------------------------------------------ */

Test(window, the_ring_shows_its_bytes_and_room_in_at_most_two_runs)
{
	struct pipebuf pb;
	const uint8_t *seg;
	uint8_t *room;
	static uint8_t in[PIPE_BUF_SIZE];
	pipebuf_init(&pb);
	cr_assert_eq(pipebuf_wseg(&pb, &room), PIPE_BUF_SIZE);
	cr_assert_eq(pipebuf_write(&pb, in, PIPE_BUF_SIZE - 100), PIPE_BUF_SIZE - 100);
	pipebuf_skip(&pb, PIPE_BUF_SIZE - 200); /* 100 held near the end */
	cr_assert_eq(pipebuf_wseg(&pb, &room), 100, "up to the array's end");
	memcpy(room, "abc", 3);
	pipebuf_commit(&pb, 100);
	cr_assert_eq(pipebuf_wseg(&pb, &room), PIPE_BUF_SIZE - 200, "then from its start");
	cr_assert_eq(room, pb.data);
	pipebuf_commit(&pb, 50);
	cr_assert_eq(pipebuf_count(&pb), 250);
	cr_assert_eq(pipebuf_rseg(&pb, 0, &seg), 200, "the held bytes to the end");
	cr_assert_eq(memcmp(seg + 100, "abc", 3), 0);
	cr_assert_eq(pipebuf_rseg(&pb, 200, &seg), 50, "the rest from the start");
	cr_assert_eq(seg, pb.data);
	cr_assert_eq(pipebuf_rseg(&pb, 250, &seg), 0, "nothing past the count");
}

struct runs {
	size_t n, at[16], len[16];
	const void *data[16];
	int fail_at; /* refuse the run at this index, or -1 */
};

static int record(void *arg, size_t at, const void *data, size_t n)
{
	struct runs *r = arg;
	if ((int)r->n == r->fail_at)
		return -EFAULT;
	r->at[r->n] = at, r->len[r->n] = n, r->data[r->n] = data;
	r->n++;
	return 0;
}

Test(window, read_to_gives_runs_of_pages_holes_as_null)
{
	struct blockmap bm = {0};
	static uint8_t page[FS_PAGE_SIZE];
	memset(page, 7, sizeof(page));
	cr_assert_eq(bmap_write(&bm, 0, page, FS_PAGE_SIZE), 0);
	cr_assert_eq(bmap_write(&bm, 3 * FS_PAGE_SIZE, page, FS_PAGE_SIZE), 0);
	struct runs r = {.fail_at = -1};
	cr_assert_eq(bmap_read_to(&bm, 100, 4 * FS_PAGE_SIZE - 200, record, &r),
	             4 * FS_PAGE_SIZE - 200);
	cr_assert_eq(r.n, 3, "a page, a two-page hole, a page");
	cr_assert(r.data[0] && !r.data[1] && r.data[2]);
	cr_assert_eq(r.at[0], 0);
	cr_assert_eq(r.len[0], FS_PAGE_SIZE - 100);
	cr_assert_eq(r.at[1], FS_PAGE_SIZE - 100);
	cr_assert_eq(r.len[1], 2 * FS_PAGE_SIZE);
	cr_assert_eq(r.at[2], 3 * FS_PAGE_SIZE - 100);
	cr_assert_eq(r.len[2], FS_PAGE_SIZE - 100);
	struct runs f = {.fail_at = 1};
	cr_assert_eq(bmap_read_to(&bm, 0, 4 * FS_PAGE_SIZE, record, &f), FS_PAGE_SIZE,
	             "the bytes before the refusal");
	struct runs g = {.fail_at = 0};
	cr_assert_eq(bmap_read_to(&bm, 0, 10, record, &g), -EFAULT);
	bmap_truncate(&bm, 0);
}
