/* Open files are shared by descriptors (dup, fork) and counted; the last
 * close releases the node or the pipe end. Process rows live in an array
 * of pointers that grows, so a row stays where it is. */
#include <stdlib.h>
#include <string.h>

#include "files.h"
#include "mica/errno.h"

extern struct vfs vfs;

static struct {
	struct fsproc **rows;
	size_t n, cap;
} procs;

struct fsproc *fsproc_get(int pid, bool create)
{
	for (size_t i = 0; i < procs.n; i++)
		if (procs.rows[i]->pid == pid)
			return procs.rows[i];
	if (!create)
		return NULL;
	if (procs.n == procs.cap) {
		size_t ncap = procs.cap ? procs.cap * 2 : 32;
		struct fsproc **t = realloc(procs.rows, ncap * sizeof(*t));
		if (!t)
			return NULL;
		procs.rows = t;
		procs.cap = ncap;
	}
	struct fsproc *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->pid = pid;
	p->cwd = vfs_root(&vfs);
	p->umask = 022;
	p->lim.pid = pid;
	mrlimit_defaults(p->lim.rlim);
	procs.rows[procs.n++] = p;
	return p;
}

void fsproc_drop(struct fsproc *p)
{
	pipe_cancel(p->pid); /* first: its readers must not be served */
	for (int i = 0; i < p->nfd; i++)
		fd_close(p, i);
	free(p->fd);
	for (size_t i = 0; i < procs.n; i++)
		if (procs.rows[i] == p)
			procs.rows[i] = procs.rows[--procs.n];
	free(p);
}

bool files_open_in_mount(int mnt)
{
	for (size_t i = 0; i < procs.n; i++) {
		struct fsproc *p = procs.rows[i];
		for (int k = 0; k < p->nfd; k++)
			if (p->fd[k].f && p->fd[k].f->kind == OF_VNODE && p->fd[k].f->vn.mnt == mnt)
				return true;
	}
	return false;
}

bool files_use_mount(int mnt)
{
	for (size_t i = 0; i < procs.n; i++)
		if (procs.rows[i]->cwd.mnt == mnt)
			return true;
	return files_open_in_mount(mnt);
}

void files_move_cwds(int mnt, struct vnode to)
{
	for (size_t i = 0; i < procs.n; i++)
		if (procs.rows[i]->cwd.mnt == mnt)
			procs.rows[i]->cwd = to;
}

size_t fsproc_count(void)
{
	return procs.n;
}

int fd_room(struct fsproc *p, long fd)
{
	if (fd < 0 || fd >= FS_MAX_FDS || (uint64_t)fd >= fsproc_limit(p, MRLIM_NOFILE))
		return -EMFILE;
	if (fd < p->nfd)
		return 0;
	int n = p->nfd ? p->nfd * 2 : 8;
	while (n <= fd)
		n *= 2;
	n = n < FS_MAX_FDS ? n : FS_MAX_FDS;
	struct fdent *t = realloc(p->fd, (size_t)n * sizeof(*t));
	if (!t)
		return -ENOMEM;
	memset(t + p->nfd, 0, (size_t)(n - p->nfd) * sizeof(*t));
	p->fd = t;
	p->nfd = n;
	return 0;
}

int fd_free(struct fsproc *p, int lowest)
{
	int i = lowest < 0 ? 0 : lowest;
	while (i < p->nfd && p->fd[i].f)
		i++;
	int err = fd_room(p, i);
	return err ? err : i;
}

int fd_install(struct fsproc *p, struct ofile *f, int lowest)
{
	int fd = fd_free(p, lowest);
	if (fd < 0)
		return fd;
	p->fd[fd] = (struct fdent){f, false};
	f->refs++;
	return fd;
}

struct ofile *fd_file(struct fsproc *p, long fd)
{
	if (!p || fd < 0 || fd >= p->nfd)
		return NULL;
	return p->fd[fd].f;
}

void fd_close(struct fsproc *p, int fd)
{
	struct ofile *f = fd_file(p, fd);
	if (!f)
		return;
	p->fd[fd].f = NULL;
	ofile_put(f);
}

struct ofile *ofile_new(enum of_kind kind)
{
	struct ofile *f = calloc(1, sizeof(*f));
	if (f)
		f->kind = kind;
	return f;
}

void ofile_put(struct ofile *f)
{
	if (f->refs > 0 && --f->refs > 0)
		return;
	if (f->kind == OF_VNODE) {
		const struct vfs_mount *m = vfs_mount_at(&vfs, f->vn.mnt);
		if (m && m->ops->unref)
			m->ops->unref(m->fs, f->vn.ino);
	} else if (f->kind == OF_PIPE_R || f->kind == OF_PIPE_W) {
		pipe_close_end(f->pipe, f->kind == OF_PIPE_R);
	}
	free(f->text);
	free(f);
}
