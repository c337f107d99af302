/* poll and select. fs answers for its own descriptors in one FS_POLL
 * (pipes, files, /dev/null) and marks console ones, whose input the
 * console server is asked about (CON_POLL). Neither server keeps a
 * poller waiting, so until one is ready the library looks again after a
 * short sleep: 1 ms, doubling to at most 10 ms (docs/servers.md). */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>

#include "mica/posix.h"
#include "mica/proto/con.h"
#include "mica/proto/fs.h"
#include "mica/runtime.h"
#include "mica/syscall.h"

#define POLL_FIRST_US 1000
#define POLL_MAX_US   10000

static long now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

/* Input waiting at the console. */
static bool console_readable(void)
{
	struct ipc_msg m = {.tag = MAKE_TAG(CON_POLL, 0)};
	long r = mica_call(SLOT_CONSOLE, &m);
	return r >= 0 && PROTO_RESULT(m.tag) > 0;
}

/* One look at every descriptor: the ready count or -errno. */
static long poll_once(struct pollfd *fds, nfds_t n)
{
	struct fs_pollfd *q = mica_ipcbuf();
	const unsigned long m[4] = {0};
	long ready = 0;
	if (!q)
		return -ENOMEM;
	for (nfds_t i = 0; i < n; i++)
		q[i] = (struct fs_pollfd){.fd = fds[i].fd, .events = fds[i].events};
	long r = mica_fs_call(FS_POLL, m, n * sizeof(*q), NULL);
	if (r < 0)
		return r;
	for (nfds_t i = 0; i < n; i++) /* first: the console's answer reuses the buffer */
		fds[i].revents = q[i].revents;
	for (nfds_t i = 0; i < n; i++) {
		if (fds[i].revents & FS_POLLCONSOLE) {
			fds[i].revents &= ~FS_POLLCONSOLE;
			if ((fds[i].events & POLLIN) && console_readable())
				fds[i].revents |= POLLIN;
		}
		ready += fds[i].revents != 0;
	}
	return ready;
}

int poll(struct pollfd *fds, nfds_t nfds, int timeout)
{
	long deadline = timeout > 0 ? now_us() + (long)timeout * 1000 : 0, step = POLL_FIRST_US;
	if (nfds > IPC_MAX / sizeof(struct fs_pollfd))
		return (int)mica_fail(-22);
	for (;;) {
		long r = poll_once(fds, nfds);
		if (r != 0 || timeout == 0)
			return (int)mica_fail(r);
		long left = timeout > 0 ? deadline - now_us() : POLL_MAX_US;
		if (left <= 0)
			return 0;
		mica_sleep(left < step ? left : step);
		step = step * 2 < POLL_MAX_US ? step * 2 : POLL_MAX_US;
	}
}

/* select over poll: the sets become what is ready, the count is of bits. */
static int select_ms(int nfds, fd_set *rd, fd_set *wr, fd_set *ex, int ms)
{
	struct pollfd p[FD_SETSIZE];
	int n = 0, count = 0;
	if (nfds < 0 || nfds > FD_SETSIZE)
		return (int)mica_fail(-22);
	for (int fd = 0; fd < nfds; fd++) {
		short ev = (rd && FD_ISSET(fd, rd) ? POLLIN : 0) |
		           (wr && FD_ISSET(fd, wr) ? POLLOUT : 0) |
		           (ex && FD_ISSET(fd, ex) ? POLLPRI : 0);
		if (ev)
			p[n++] = (struct pollfd){.fd = fd, .events = ev};
	}
	int r = poll(p, (nfds_t)n, ms);
	if (r < 0)
		return r;
	for (int i = 0; i < n; i++)
		if (p[i].revents & POLLNVAL)
			return (int)mica_fail(-9); /* EBADF */
	for (int i = 0; i < n; i++) {
		int fd = p[i].fd;
		bool in = p[i].revents & (POLLIN | POLLHUP | POLLERR);
		bool out = p[i].revents & (POLLOUT | POLLERR);
		if (rd && FD_ISSET(fd, rd) && !in)
			FD_CLR(fd, rd);
		if (wr && FD_ISSET(fd, wr) && !out)
			FD_CLR(fd, wr);
		if (ex && FD_ISSET(fd, ex))
			FD_CLR(fd, ex); /* no out-of-band data here */
		count += (rd && FD_ISSET(fd, rd)) + (wr && FD_ISSET(fd, wr));
	}
	return count;
}

int select(int nfds, fd_set *rd, fd_set *wr, fd_set *ex, struct timeval *tv)
{
	if (tv && (tv->tv_sec < 0 || tv->tv_usec < 0 || tv->tv_usec >= 1000000))
		return (int)mica_fail(-22);
	int ms = tv ? (int)(tv->tv_sec * 1000 + (tv->tv_usec + 999) / 1000) : -1;
	return select_ms(nfds, rd, wr, ex, ms);
}

int pselect(int nfds, fd_set *rd, fd_set *wr, fd_set *ex, const struct timespec *ts,
            const sigset_t *mask)
{
	(void)mask; /* no signal handlers run here yet */
	if (ts && (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000))
		return (int)mica_fail(-22);
	int ms = ts ? (int)(ts->tv_sec * 1000 + (ts->tv_nsec + 999999) / 1000000) : -1;
	return select_ms(nfds, rd, wr, ex, ms);
}
