/* Open files are shared by descriptors (dup, fork) and counted; the last
 * close releases the node or the pipe end. Pipes keep their blocked
 * readers and writers as deferred replies and finish them here. */
#include <stdlib.h>
#include <string.h>

#include "files.h"
#include "mica/errno.h"
#include "mica/proto/con.h"
#include "mica/runtime.h"
#include "mica/syscall.h"

struct ofile ofiles[MAX_OFILES];
struct pipe pipes[MAX_PIPES];
struct fsproc fsprocs[MAX_FSPROC];
extern struct vfs vfs;

struct fsproc *fsproc_get(int pid, bool create)
{
	struct fsproc *free_slot = NULL;
	for (int i = 0; i < MAX_FSPROC; i++) {
		if (fsprocs[i].used && fsprocs[i].pid == pid)
			return &fsprocs[i];
		if (!fsprocs[i].used && !free_slot)
			free_slot = &fsprocs[i];
	}
	if (!create || !free_slot)
		return NULL;
	*free_slot = (struct fsproc){.pid = pid, .used = true, .cwd = vfs_root(&vfs)};
	for (int i = 0; i < FS_MAX_FDS; i++)
		free_slot->fd[i] = -1;
	return free_slot;
}

void fsproc_drop(struct fsproc *p)
{
	for (int i = 0; i < FS_MAX_FDS; i++)
		if (p->fd[i] >= 0)
			ofile_put(p->fd[i]);
	p->used = false;
}

int fd_install(struct fsproc *p, int of, int lowest)
{
	for (int i = lowest < 0 ? 0 : lowest; i < FS_MAX_FDS; i++) {
		if (p->fd[i] < 0) {
			p->fd[i] = of;
			p->cloexec[i] = false;
			ofiles[of].refs++;
			return i;
		}
	}
	return -EMFILE;
}

struct ofile *fd_file(struct fsproc *p, long fd)
{
	if (!p || fd < 0 || fd >= FS_MAX_FDS || p->fd[fd] < 0)
		return NULL;
	return &ofiles[p->fd[fd]];
}

int ofile_new(enum of_kind kind)
{
	for (int i = 0; i < MAX_OFILES; i++) {
		if (ofiles[i].kind == OF_FREE) {
			ofiles[i] = (struct ofile){.kind = kind};
			return i;
		}
	}
	return -ENFILE;
}

static void reply(unsigned long token, long result, size_t len)
{
	struct ipc_msg m = {.tag = PROTO_TAG(result, len)};
	mica_reply(token, &m);
}

void ofile_put(int of)
{
	struct ofile *f = &ofiles[of];
	if (--f->refs > 0)
		return;
	if (f->kind == OF_VNODE) {
		const struct vfs_mount *m = vfs_mount_at(&vfs, f->vn.mnt);
		if (m && m->ops->unref)
			m->ops->unref(m->fs, f->vn.ino);
	} else if (f->kind == OF_PIPE_R || f->kind == OF_PIPE_W) {
		struct pipe *pp = f->pipe;
		if (f->kind == OF_PIPE_R)
			pp->buf.readers--;
		else
			pp->buf.writers--;
		pipe_wake(pp);
		if (!pp->buf.readers && !pp->buf.writers)
			pp->used = false;
	}
	free(f->text);
	f->kind = OF_FREE;
}

/* Readers take what is there; at EOF they get 0. Writers put what fits,
 * or get EPIPE when nobody reads. */
void pipe_wake(struct pipe *pp)
{
	char *ipc = mica_ipcbuf();
	while (pp->nreaders && (pipebuf_count(&pp->buf) || pipebuf_read_eof(&pp->buf))) {
		struct pipe_wait *w = &pp->readers[0];
		size_t n = pipebuf_read(&pp->buf, ipc, w->n);
		reply(w->token, (long)n, n);
		memmove(&pp->readers[0], &pp->readers[1], sizeof(*w) * (size_t)--pp->nreaders);
	}
	while (pp->nwriters) {
		struct pipe_wait *w = &pp->writers[0];
		if (pipebuf_write_epipe(&pp->buf)) {
			reply(w->token, w->done ? (long)w->done : -EPIPE, 0);
		} else {
			w->done += pipebuf_write(&pp->buf, w->data + w->done, w->n - w->done);
			if (w->done < w->n)
				break;
			reply(w->token, (long)w->n, 0);
		}
		free(w->data);
		memmove(&pp->writers[0], &pp->writers[1], sizeof(*w) * (size_t)--pp->nwriters);
	}
	if (pp->nreaders && pipebuf_count(&pp->buf))
		pipe_wake(pp); /* writers just refilled it */
}
