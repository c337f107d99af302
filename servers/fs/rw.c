/* fs: reading and writing on descriptors. The bytes travel as the
 * message payload (at most IPC_MAX), or, when the caller lent a window
 * (srv_window), between the file and the caller's memory directly, up
 * to FS_RW_MAX per request; the count then travels in m0 (the label may
 * not hold it). A file system that can (ramfs: read_to) hands its pages
 * straight to the window; any other read through a window is staged 64
 * KiB at a time and only what the file system gave whole is copied, so
 * a request that missed a disk block and runs again from the start
 * (mounts.c) copies the same bytes to the same place; a miss after the
 * first stage ends the read short instead (its blocks are on their way). */
#include <stdlib.h>
#include <string.h>

#include "disk.h"
#include "fsreq.h"
#include "mica/errno.h"

#define STAGE     FS_STAGE
#define MIN(a, b) ((a) < (b) ? (a) : (b))

void *fs_stage(void)
{
	static char *buf;
	if (!buf)
		buf = malloc(STAGE);
	return buf;
}

/* The answer to a read or write of r bytes (or -errno), with len bytes
 * of payload; through a window the count goes in m0. */
static int io_done(const struct srv_req *req, struct srv_rep *rep, long r, size_t len)
{
	if (srv_window(req) && r >= 0) {
		rep->m[0] = (unsigned long)r;
		r = 0;
	}
	return fs_result(rep, r, len);
}

/* How many bytes a request may move: through its window, or in one
 * message. */
static size_t io_max(const struct srv_req *req, size_t asked)
{
	size_t win = srv_window(req);
	return win ? MIN(MIN(asked, win), (size_t)FS_RW_MAX) : MIN(asked, (size_t)IPC_MAX);
}

/* --- read ----------------------------------------------------------------- */

struct to_window {
	struct server *s;
	srv_client c;
};

/* read_to's sink: bytes (or zeros) to the client's window. */
static int window_sink(void *arg, size_t at, const void *data, size_t n)
{
	static const char zeros[4096];
	const struct to_window *w = arg;
	int err = 0;
	if (data)
		return srv_copy_out(w->s, w->c, at, data, n);
	for (size_t k; n && !err; at += k, n -= k) {
		k = MIN(n, sizeof(zeros));
		err = srv_copy_out(w->s, w->c, at, zeros, k);
	}
	return err;
}

/* Up to n bytes of f (a file, or zeros) from offset off into the window
 * through the staging buffer: how many reached it, or -errno. */
static long read_staged(struct server *s, const struct srv_req *req, struct ofile *f, uint64_t off,
                        size_t n)
{
	char *buf = fs_stage();
	size_t done = 0;
	if (!buf)
		return -ENOMEM;
	while (done < n) {
		size_t k = MIN(n - done, (size_t)STAGE);
		long r = (long)k;
		if (f->kind == OF_ZERO)
			memset(buf, 0, k);
		else
			r = vfs_read(&vfs, f->vn, off + done, buf, k);
		if (r <= 0 && done)
			break; /* end of file, or a block on its way: what we have */
		if (r <= 0)
			return r;
		int err = srv_copy_out(s, req->client, done, buf, (size_t)r);
		if (err)
			return done ? (long)done : err;
		done += (size_t)r;
		if ((size_t)r < k)
			break;
	}
	return (long)done;
}

/* Up to n bytes of f (a file, or zeros) at its offset into the window,
 * straight from the file system's pages if it can; the offset moves by
 * what reached the window. */
static long read_window(struct server *s, const struct srv_req *req, struct ofile *f, size_t n)
{
	struct to_window w = {s, req->client};
	long r = f->kind == OF_ZERO ? read_staged(s, req, f, 0, n)
	                            : vfs_read_to(&vfs, f->vn, f->off, n, window_sink, &w);
	if (r == -ENOSYS) /* no read_to */
		r = read_staged(s, req, f, f->off, n);
	if (r > 0 && f->kind != OF_ZERO)
		f->off += (uint64_t)r;
	return r;
}

static long read_vnode(struct server *s, const struct srv_req *req, struct ofile *f, size_t n)
{
	struct vattr va;
	if (vfs_getattr(&vfs, f->vn, &va) == 0 && VFS_ISDIR(va.mode))
		return -EISDIR;
	if (srv_window(req))
		return read_window(s, req, f, n);
	long r = vfs_read(&vfs, f->vn, f->off, srv_out(s), n);
	if (r > 0)
		f->off += (uint64_t)r;
	return r;
}

/* A /proc file, rendered at open. */
static long read_text(struct server *s, const struct srv_req *req, struct ofile *f, size_t n)
{
	size_t k = f->off < f->tlen ? MIN(f->tlen - f->off, n) : 0;
	int err = 0;
	if (srv_window(req))
		err = srv_copy_out(s, req->client, 0, f->text + f->off, k);
	else
		memcpy(srv_out(s), f->text + f->off, k);
	if (err)
		return err;
	f->off += k;
	return (long)k;
}

int fs_do_read(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	struct fsproc *p;
	struct ofile *f = fsreq_file(req, &p);
	size_t n = io_max(req, req->m[1]);
	bool win = srv_window(req) != 0;
	long r;
	if (!f || (f->flags & FS_O_ACCMODE) == FS_O_WRONLY)
		return fs_result(rep, -EBADF, 0);
	switch (f->kind) {
	case OF_CONSOLE:
		return fs_result(rep, FS_REDIRECT, 0);
	case OF_NULL:
		return io_done(req, rep, 0, 0);
	case OF_ZERO:
		if (win)
			return io_done(req, rep, read_window(s, req, f, n), 0);
		memset(srv_out(s), 0, n);
		return fs_result(rep, (long)n, n);
	case OF_TEXT:
		r = read_text(s, req, f, n);
		return io_done(req, rep, r, win || r < 0 ? 0 : (size_t)r);
	case OF_PIPE_R: /* answered by the pipe, now or later */
		if ((f->flags & FS_O_NONBLOCK) && n && pipe_read_waits(f->pipe))
			return fs_result(rep, -EAGAIN, 0);
		if (pipe_read(f->pipe, p->pid, req->client, n, win, &r))
			return SRV_DEFER;
		return io_done(req, rep, r, 0);
	case OF_VNODE:
		r = read_vnode(s, req, f, n);
		return io_done(req, rep, r, win || r < 0 ? 0 : (size_t)r);
	case OF_DISK: /* one block at most: answered as a payload even with a window */
		return disk_read(f, req->client, MIN(n, (size_t)IPC_MAX), rep);
	default:
		return fs_result(rep, -EBADF, 0);
	}
}

/* --- write ---------------------------------------------------------------- */

/* Up to n bytes at f's offset (the end with O_APPEND), none past fsize
 * (RLIMIT_FSIZE): from there -EFBIG, as Linux; the library then raises
 * SIGXFSZ. */
static long write_vnode(struct ofile *f, const void *data, size_t n, uint64_t fsize)
{
	struct vattr va;
	if ((f->flags & FS_O_APPEND) && vfs_getattr(&vfs, f->vn, &va) == 0)
		f->off = va.size;
	if (n && f->off >= fsize)
		return -EFBIG;
	n = MIN(n, fsize - f->off);
	long r = vfs_write(&vfs, f->vn, f->off, data, n);
	if (r > 0)
		f->off += (uint64_t)r;
	return r;
}

/* n bytes of the window into f, a stage at a time; a failure after the
 * first stage ends the write short (what is written stays written). */
static long write_window(struct server *s, const struct srv_req *req, struct ofile *f, size_t n,
                         uint64_t fsize)
{
	char *buf = fs_stage();
	size_t done = 0;
	if (!buf)
		return -ENOMEM;
	while (done < n) {
		size_t k = MIN(n - done, (size_t)STAGE);
		int err = srv_copy_in(s, req->client, done, buf, k);
		long r = err ? err : write_vnode(f, buf, k, fsize);
		if (r <= 0)
			return done ? (long)done : r;
		done += (size_t)r;
		if ((size_t)r < k)
			break;
	}
	return (long)done;
}

/* A non-blocking write of n bytes: how many may go in now (a small
 * write only whole), -EAGAIN if none, -EPIPE or 0 as a write answers. */
static long nonblock_room(const struct pipe *pp, size_t n)
{
	size_t room = pipe_write_room(pp);
	if (n == 0 || pipebuf_write_epipe(&pp->buf))
		return n ? -EPIPE : 0;
	if (room == 0 || (n <= PIPEBUF_ATOMIC && room < n))
		return -EAGAIN;
	return (long)(room < n ? room : n);
}

/* A raw disk takes one block at most: through a window, its first bytes. */
static int write_disk(struct server *s, const struct srv_req *req, struct ofile *f, size_t n,
                      struct srv_rep *rep)
{
	char *buf;
	if (!srv_window(req))
		return disk_write(f, req->client, req->data, n, rep);
	buf = fs_stage();
	n = MIN(n, (size_t)IPC_MAX);
	int err = buf ? srv_copy_in(s, req->client, 0, buf, n) : -ENOMEM;
	return err ? fs_result(rep, err, 0) : disk_write(f, req->client, buf, n, rep);
}

int fs_do_write(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	struct fsproc *p;
	struct ofile *f = fsreq_file(req, &p);
	bool win = srv_window(req) != 0;
	size_t n = win ? io_max(req, req->m[1]) : req->len;
	long r;
	if (!f || (f->flags & FS_O_ACCMODE) == FS_O_RDONLY)
		return fs_result(rep, -EBADF, 0);
	switch (f->kind) {
	case OF_CONSOLE:
		return fs_result(rep, FS_REDIRECT, 0);
	case OF_NULL:
	case OF_ZERO:
		return io_done(req, rep, (long)n, 0);
	case OF_PIPE_W:
		if ((f->flags & FS_O_NONBLOCK) && (r = nonblock_room(f->pipe, n)) <= 0)
			return io_done(req, rep, r, 0);
		if ((f->flags & FS_O_NONBLOCK) && (size_t)r < n)
			n = (size_t)r; /* what fits now: a short count */
		if (pipe_write(f->pipe, p->pid, req->client, req->data, n, win, &r))
			return SRV_DEFER;
		return io_done(req, rep, r, 0);
	case OF_VNODE: {
		uint64_t fsize = fsproc_limit(p, MRLIM_FSIZE);
		r = win ? write_window(s, req, f, n, fsize) : write_vnode(f, req->data, n, fsize);
		return io_done(req, rep, r, 0);
	}
	case OF_DISK:
		return write_disk(s, req, f, n, rep);
	default:
		return fs_result(rep, -EBADF, 0);
	}
}
