/* t_bulk: in-guest checks of large reads and writes, which the library
 * sends to fs with the caller's buffer lent as a window (docs/syscalls.md,
 * "Windows"): files across the size where the window starts, short
 * reads and end of file, holes, devices and /proc, pipes with big writes
 * and blocked readers, and bad buffers (EFAULT, nothing consumed). Works
 * in /tmp/t_bulk.PID; prints "t_bulk: NAME ok" or "FAILED: why", then
 * the counts. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/check.h"

#define MIB (1 << 20)

static char dir[64];
static unsigned char *big, *back; /* 4 MiB each */

static const char *p(const char *name)
{
	static char buf[4][128];
	static int k;
	char *b = buf[k++ & 3];
	snprintf(b, sizeof(buf[0]), "%s/%s", dir, name);
	return b;
}

static void pattern(unsigned char *b, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		b[i] = (unsigned char)((i * 7 + seed + (i >> 12)) & 0xff);
}

/* Reads until n bytes or the end: the total, or -1. */
static long read_all(int fd, unsigned char *b, size_t n, size_t step)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, b + got, n - got < step ? n - got : step);
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (long)got;
}

/* One write of n bytes, read back in reads of step bytes. */
static int roundtrip(size_t n, size_t step)
{
	int fd = open(p("f"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	OK(fd);
	pattern(big, n, (unsigned)n);
	memset(back, 0xEE, n + 16);
	ssize_t w = write(fd, big, n);
	CHECK(w == (ssize_t)n, "write of %zu gave %zd (%s)", n, w, strerror(errno));
	OK(lseek(fd, 0, SEEK_SET));
	long r = read_all(fd, back, n + 16, step);
	close(fd);
	CHECK(r == (long)n, "%zu bytes read back as %ld (steps of %zu)", n, r, step);
	CHECK(!memcmp(big, back, n), "%zu bytes read back differ (steps of %zu)", n, step);
	CHECK(back[n] == 0xEE, "a read past the end wrote into the buffer");
	return 0;
}

static int t_sizes_around_the_window(void)
{
	static const size_t sizes[] = {1, 767, 768, 769, 4095, 4096, 4097, 65536, 65537, 300001};
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		if (roundtrip(sizes[i], sizes[i]) || roundtrip(sizes[i], 1000) ||
		    roundtrip(sizes[i], 64 << 10))
			return -1;
	}
	return 0;
}

static int t_megabytes_in_one_call(void)
{
	if (roundtrip(3 * MIB + 123, 4 * MIB))
		return -1;
	int fd = open(p("f"), O_RDONLY);
	OK(fd);
	OK(lseek(fd, 4097, SEEK_SET));
	ssize_t r = read(fd, back, 100000);
	CHECK(r == 100000 && !memcmp(back, big + 4097, 100000), "a read at 4097: %zd", r);
	CHECK(lseek(fd, 0, SEEK_CUR) == 104097, "the offset moved to %ld",
	      (long)lseek(fd, 0, SEEK_CUR));
	OK(lseek(fd, 0, SEEK_SET));
	r = read(fd, back, 4 * MIB);
	CHECK(r > 0 && r <= 4 * MIB && !memcmp(back, big, (size_t)r), "one 4 MiB read: %zd", r);
	close(fd);
	return 0;
}

static int t_short_reads_and_eof(void)
{
	int fd = open(p("s"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	OK(fd);
	pattern(big, 10000, 3);
	CHECK(write(fd, big, 10000) == 10000, "write");
	OK(lseek(fd, 9000, SEEK_SET));
	CHECK(read(fd, back, 65536) == 1000 && !memcmp(back, big + 9000, 1000), "the last 1000");
	CHECK(read(fd, back, 65536) == 0, "end of file");
	OK(lseek(fd, 20000, SEEK_SET));
	CHECK(read(fd, back, 65536) == 0, "past the end");
	close(fd);
	return 0;
}

static int t_holes_read_as_zeros(void)
{
	int fd = open(p("h"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	OK(fd);
	OK(lseek(fd, MIB + 5, SEEK_SET));
	CHECK(write(fd, "end", 3) == 3, "write after the hole");
	OK(lseek(fd, 0, SEEK_SET));
	memset(back, 0xEE, 2 * MIB);
	long r = read_all(fd, back, 2 * MIB, 256 << 10);
	close(fd);
	CHECK(r == MIB + 8, "read %ld", r);
	for (long i = 0; i < MIB + 5; i++)
		CHECK(back[i] == 0, "byte %ld of the hole is %u", i, back[i]);
	CHECK(!memcmp(back + MIB + 5, "end", 3), "the bytes after the hole");
	return 0;
}

static int t_append_and_devices(void)
{
	int fd = open(p("a"), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
	OK(fd);
	pattern(big, 200000, 9);
	CHECK(write(fd, big, 100000) == 100000 && write(fd, big + 100000, 100000) == 100000,
	      "appends");
	close(fd);
	struct stat st;
	OK(stat(p("a"), &st));
	CHECK(st.st_size == 200000, "size %ld", (long)st.st_size);
	fd = open("/dev/zero", O_RDONLY);
	memset(back, 0xEE, 300000);
	CHECK(read(fd, back, 300000) == 300000, "/dev/zero");
	close(fd);
	for (int i = 0; i < 300000; i++)
		CHECK(back[i] == 0, "byte %d of /dev/zero is %u", i, back[i]);
	fd = open("/dev/null", O_RDWR);
	CHECK(write(fd, big, 2 * MIB) == 2 * MIB, "/dev/null takes all");
	CHECK(read(fd, back, 65536) == 0, "/dev/null reads nothing");
	close(fd);
	fd = open("/proc/meminfo", O_RDONLY);
	ssize_t r = read(fd, back, 65536);
	close(fd);
	CHECK(r > 20 && !memcmp(back, "MemTotal:", 9), "/proc/meminfo: %zd", r);
	return 0;
}

/* A child writes n bytes in one write; we read them in steps. */
static int pipe_transfer(size_t n, size_t step)
{
	int fds[2], st;
	OK(pipe(fds));
	pattern(big, n, 5);
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		_exit(write(fds[1], big, n) == (ssize_t)n ? 0 : 1);
	}
	close(fds[1]);
	long r = read_all(fds[0], back, n + 1, step);
	close(fds[0]);
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the writer's write was short");
	CHECK(r == (long)n && !memcmp(big, back, n), "%zu bytes through a pipe: %ld", n, r);
	return 0;
}

static int t_pipes_with_big_writes(void)
{
	return pipe_transfer(MIB + 7, 64 << 10) || pipe_transfer(300000, 3000) ||
	               pipe_transfer(5000, MIB)
	           ? -1
	           : 0;
}

/* A reader waiting with a window gets what a later small write brings. */
static int t_blocked_reader(void)
{
	int fds[2], st;
	OK(pipe(fds));
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		usleep(50000);
		_exit(write(fds[1], "late bytes", 10) == 10 ? 0 : 1);
	}
	close(fds[1]);
	ssize_t r = read(fds[0], back, 256 << 10);
	CHECK(r == 10 && !memcmp(back, "late bytes", 10), "the blocked read got %zd", r);
	CHECK(read(fds[0], back, 256 << 10) == 0, "end of file");
	close(fds[0]);
	waitpid(pid, &st, 0);
	return 0;
}

int main(void);

/* Bad buffers: EFAULT, and nothing read or written is lost or made up. */
static int t_bad_buffers(void)
{
	unsigned char *text = (unsigned char *)((unsigned long)main & ~4095ul);
	unsigned char *kernel = (unsigned char *)0xFFFFFFC000000000ul,
	              *none = (unsigned char *)4096;
	int fd = open(p("b"), O_RDWR | O_CREAT | O_TRUNC, 0644), fds[2];
	OK(fd);
	pattern(big, 20000, 1);
	CHECK(write(fd, big, 20000) == 20000, "write");
	OK(lseek(fd, 0, SEEK_SET));
	errno = 0;
	CHECK(read(fd, none, 8192) == -1 && errno == EFAULT, "into nothing: %s", strerror(errno));
	CHECK(read(fd, kernel, 8192) == -1 && errno == EFAULT, "into the kernel");
	CHECK(read(fd, text, 8192) == -1 && errno == EFAULT, "into our text");
	CHECK(read(fd, back, 8192) == 8192 && !memcmp(back, big, 8192), "the offset moved");
	CHECK(write(fd, none, 8192) == -1 && errno == EFAULT, "from nothing");
	CHECK(write(fd, kernel, 8192) == -1 && errno == EFAULT, "from the kernel");
	close(fd);
	struct stat st;
	OK(stat(p("b"), &st));
	CHECK(st.st_size == 20000, "a failed write changed the size: %ld", (long)st.st_size);
	OK(pipe(fds));
	CHECK(write(fds[1], big, 3000) == 3000, "pipe write");
	CHECK(read(fds[0], none, 8192) == -1 && errno == EFAULT, "a pipe into nothing");
	CHECK(read(fds[0], back, 8192) == 3000 && !memcmp(back, big, 3000), "the pipe lost bytes");
	CHECK(write(fds[1], none, 8192) == -1 && errno == EFAULT, "a pipe from nothing");
	close(fds[0]);
	close(fds[1]);
	return 0;
}

static void run(const char *name, int (*fn)(void))
{
	check_run("t_bulk", name, fn);
}

int main(void)
{
	static const struct {
		const char *name;
		int (*fn)(void);
	} checks[] = {
	    {"sizes_around_the_window", t_sizes_around_the_window},
	    {"megabytes_in_one_call", t_megabytes_in_one_call},
	    {"short_reads_and_eof", t_short_reads_and_eof},
	    {"holes_read_as_zeros", t_holes_read_as_zeros},
	    {"append_and_devices", t_append_and_devices},
	    {"pipes_with_big_writes", t_pipes_with_big_writes},
	    {"blocked_reader", t_blocked_reader},
	    {"bad_buffers", t_bad_buffers},
	};
	big = malloc(4 * MIB + 64);
	back = malloc(4 * MIB + 64);
	if (!big || !back) {
		printf("t_bulk: no memory\n");
		return 1;
	}
	snprintf(dir, sizeof(dir), "/tmp/t_bulk.%d", getpid());
	if (mkdir(dir, 0755) < 0) {
		printf("t_bulk: mkdir %s: %s\n", dir, strerror(errno));
		return 1;
	}
	for (unsigned i = 0; i < sizeof(checks) / sizeof(checks[0]); i++)
		run(checks[i].name, checks[i].fn);
	const char *names[] = {"f", "s", "h", "a", "b"};
	for (unsigned i = 0; i < 5; i++)
		unlink(p(names[i]));
	rmdir(dir);
	printf("t_bulk: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
