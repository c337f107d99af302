/* fs requests that wait on the other end or ask who would wait: opening
 * a FIFO (named pipe) and poll's readiness of a set of descriptors. A
 * blocking FIFO open is a deferred reply, answered when the other end
 * opens; poll answers at once (the library repeats it until its time is
 * up, see docs/servers.md). */
#include <stdlib.h>
#include <string.h>

#include "fsreq.h"
#include "mica/errno.h"

int fifo_open(const struct fsreq *c, struct vnode vn, int flags, int *fd)
{
	int acc = flags & FS_O_ACCMODE;
	bool rd = acc == FS_O_RDONLY, nb = flags & FS_O_NONBLOCK;
	struct pipe *pp = pipe_fifo(vn.mnt, vn.ino, false);
	if (acc == FS_O_RDWR)
		return -EINVAL; /* one end per descriptor here */
	if (!rd && nb && (!pp || pp->buf.readers == 0))
		return -ENXIO; /* POSIX: nobody reads yet */
	struct ofile *of = ofile_new(rd ? OF_PIPE_R : OF_PIPE_W);
	if (!of || (!pp && !(pp = pipe_fifo(vn.mnt, vn.ino, true)))) {
		free(of);
		return -ENOMEM;
	}
	*fd = fd_free(c->p, 0); /* do_open made room for it */
	bool wait = !nb && (rd ? pp->buf.writers : pp->buf.readers) == 0;
	if (wait && pipe_wait_open(pp, c->p->pid, c->req->client, *fd, rd)) {
		pipe_open_end(pp, rd); /* nobody waits for it; frees a new pipe */
		pipe_close_end(pp, rd);
		free(of);
		return -ENOMEM;
	}
	/* May not fail after this point. */
	of->pipe = pp;
	of->vn = vn;
	of->flags = flags & (FS_O_ACCMODE | FS_O_APPEND | FS_O_NONBLOCK);
	pipe_open_end(pp, rd);
	fd_install(c->p, of, *fd);
	c->p->fd[*fd].cloexec = (flags & FS_O_CLOEXEC) != 0;
	return wait ? 1 : 0;
}

/* What descriptor fd of p is ready for, of events (and the conditions
 * poll always reports). */
static int poll_one(struct fsproc *p, int fd, int events)
{
	const int always = FS_POLLERR | FS_POLLHUP | FS_POLLNVAL;
	struct ofile *f = fd_file(p, fd);
	int r;
	if (fd < 0)
		return 0;
	if (!f)
		return FS_POLLNVAL;
	switch (f->kind) {
	case OF_CONSOLE: /* output is always taken; input: ask the console */
		return FS_POLLCONSOLE | (events & FS_POLLOUT);
	case OF_PIPE_R:
		r = pipebuf_count(&f->pipe->buf) ? FS_POLLIN : 0;
		r |= f->pipe->buf.writers == 0 ? FS_POLLHUP : 0;
		break;
	case OF_PIPE_W:
		r = f->pipe->buf.readers == 0  ? FS_POLLERR
		    : pipe_write_room(f->pipe) ? FS_POLLOUT
		                               : 0;
		break;
	default: /* files and devices never wait */
		r = FS_POLLIN | FS_POLLOUT;
		break;
	}
	return r & (events | always);
}

int fs_do_poll(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	struct fsreq c;
	struct fs_pollfd *out = srv_out(s), e;
	size_t n = req->len / sizeof(e);
	long ready = 0;
	fsreq_begin(&c, req);
	if (!c.p)
		return fs_result(rep, -ENOMEM, 0);
	if (req->len % sizeof(e) || req->len > IPC_MAX)
		return fs_result(rep, -EINVAL, 0);
	/* the reply overwrites the request in place, one entry at a time */
	for (size_t i = 0; i < n; i++) {
		memcpy(&e, (const char *)req->data + i * sizeof(e), sizeof(e));
		e.revents = (int16_t)poll_one(c.p, e.fd, e.events);
		if (e.revents & ~FS_POLLCONSOLE)
			ready++;
		memcpy(&out[i], &e, sizeof(e));
	}
	return fs_result(rep, ready, n * sizeof(e));
}
