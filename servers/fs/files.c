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
	procs.rows[procs.n++] = p;
	return p;
}

void fsproc_drop(struct fsproc *p)
{
	pipe_cancel(p->pid); /* first: its readers must not be served */
	for (int i = 0; i < FS_MAX_FDS; i++)
		if (p->fd[i])
			ofile_put(p->fd[i]);
	for (size_t i = 0; i < procs.n; i++)
		if (procs.rows[i] == p)
			procs.rows[i] = procs.rows[--procs.n];
	free(p);
}

size_t fsproc_count(void)
{
	return procs.n;
}

int fd_free(const struct fsproc *p, int lowest)
{
	for (int i = lowest < 0 ? 0 : lowest; i < FS_MAX_FDS; i++)
		if (!p->fd[i])
			return i;
	return -EMFILE;
}

int fd_install(struct fsproc *p, struct ofile *f, int lowest)
{
	int fd = fd_free(p, lowest);
	if (fd < 0)
		return fd;
	p->fd[fd] = f;
	p->cloexec[fd] = false;
	f->refs++;
	return fd;
}

struct ofile *fd_file(struct fsproc *p, long fd)
{
	if (!p || fd < 0 || fd >= FS_MAX_FDS)
		return NULL;
	return p->fd[fd];
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
