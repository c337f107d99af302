/* fs requests only pm may make (badge FS_BADGE_PM): a process's
 * descriptors at fork, exit and exec, opening a program for exec, the
 * rows /proc shows, and filling the root from the boot archive. Anyone
 * else asking gets -EPERM. */
#include <stdlib.h>
#include <string.h>

#include "fsreq.h"
#include "mica/errno.h"
#include "mica/host.h"

int fs_do_pm_fork(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct fsproc *parent = from_pm(req) ? fsproc_get((int)req->m[0], true) : NULL;
	struct fsproc *child = parent ? fsproc_get((int)req->m[1], true) : NULL;
	if (!child)
		return fs_result(rep, from_pm(req) ? -ENOMEM : -EPERM, 0);
	if (parent->nfd && fd_room(child, parent->nfd - 1))
		return fs_result(rep, -ENOMEM, 0);
	/* May not fail after this point. */
	child->cwd = parent->cwd;
	child->umask = parent->umask;
	child->lim = parent->lim;
	child->lim.pid = child->pid;
	for (int i = 0; i < child->nfd; i++)
		fd_close(child, i);
	for (int i = 0; i < parent->nfd; i++) {
		if (parent->fd[i].f)
			parent->fd[i].f->refs++;
		child->fd[i] = parent->fd[i];
	}
	return fs_result(rep, 0, 0);
}

int fs_do_pm_exit(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct fsproc *p = from_pm(req) ? fsproc_get((int)req->m[0], false) : NULL;
	if (p)
		fsproc_drop(p);
	return fs_result(rep, from_pm(req) ? 0 : -EPERM, 0);
}

int fs_do_pm_exec(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct fsproc *p = from_pm(req) ? fsproc_get((int)req->m[0], false) : NULL;
	for (int i = 0; p && i < p->nfd; i++)
		if (p->fd[i].cloexec)
			fd_close(p, i);
	return fs_result(rep, from_pm(req) ? 0 : -EPERM, 0);
}

/* A process's limits and nice value, as pm keeps them (setrlimit,
 * setpriority); fork copies them (above), exec keeps them. */
int fs_do_pm_limits(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct pm_limits in;
	struct fsproc *p;
	if (!from_pm(req) || req->len != sizeof(in))
		return fs_result(rep, -EPERM, 0);
	memcpy(&in, req->data, sizeof(in));
	if (!(p = fsproc_get(in.pid, true)))
		return fs_result(rep, -ENOMEM, 0);
	p->lim = in;
	return fs_result(rep, 0, 0);
}

/* Opens a program for exec: resolved from that process's cwd, installed
 * in pm's own table (pid 0). */
/* umask: the process's file mode creation mask, which its runtime applies
 * (and caches) but fs keeps, so exec's new image finds it. */
int fs_do_umask(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct fsproc *p = from_pm(req) ? NULL : fsproc_get((int)(req->badge & 0xFFFFFFFF), true);
	if (!p)
		return fs_result(rep, -ENOMEM, 0);
	if (req->m[0] != FS_UMASK_ASK && (req->m[0] & ~0777ul))
		return fs_result(rep, -EINVAL, 0);
	unsigned old = p->umask;
	if (req->m[0] != FS_UMASK_ASK)
		p->umask = (unsigned)req->m[0];
	return fs_result(rep, old, 0);
}

int fs_do_pm_open(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct fsproc *who = from_pm(req) ? fsproc_get((int)req->m[0], true) : NULL;
	struct fsreq c;
	struct vfs_lookup lk;
	struct vattr va;
	struct ofile *of;
	fsreq_begin(&c, req); /* pm's own row */
	c.cr.pid = who ? who->pid : 0;
	const struct proc_row *r = who ? procfs_row(who->pid, false) : NULL;
	if (r) { /* the path is searched, and the program run, with its rights */
		c.cr.uid = (uint32_t)r->p.uid, c.cr.gid = (uint32_t)r->p.gid;
		c.cr.groups = r->p.groups, c.cr.ngroups = r->p.ngroups > 16 ? 16 : r->p.ngroups;
	}
	int err = who && c.p ? fsreq_paths(&c, false) : from_pm(req) ? -ENOMEM : -EPERM;
	if (!err)
		err = vfs_resolve_as(&vfs, who->cwd, c.path, 0, &c.cr, &lk);
	if (!err)
		err = vfs_getattr(&vfs, lk.vn, &va);
	if (!err && (!VFS_ISREG(va.mode) || !may_access(&c.cr, &va, 1)))
		err = -EACCES; /* a directory, a device, or not executable for it */
	if (!err)
		err = open_kind(&c, lk.vn, &va, FS_O_RDONLY, &of);
	if (err)
		return fs_result(rep, err, 0);
	int fd = fd_install(c.p, of, 0);
	if (fd < 0)
		ofile_put(of);
	return fs_result(rep, fd, 0);
}

/* mmap: pm's own descriptor on the file a process's fd names (its own
 * offset, the same access), through which the pager reads and writes
 * the file's pages. */
int fs_do_pm_dupfd(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct fsproc *who = from_pm(req) ? fsproc_get((int)req->m[0], false) : NULL;
	struct ofile *f = who ? fd_file(who, (long)req->m[1]) : NULL;
	struct fsreq c;
	struct vattr va;
	struct ofile *of;
	if (!from_pm(req))
		return fs_result(rep, -EPERM, 0);
	if (!f)
		return fs_result(rep, -EBADF, 0);
	fsreq_begin(&c, req); /* pm's own row */
	int err = f->kind != OF_VNODE ? -ENODEV : c.p ? vfs_getattr(&vfs, f->vn, &va) : -ENOMEM;
	if (!err && !VFS_ISREG(va.mode))
		err = -ENODEV; /* a pipe, a device, a directory: nothing to map */
	if (!err)
		err = open_kind(&c, f->vn, &va, f->flags & FS_O_ACCMODE, &of);
	if (err)
		return fs_result(rep, err, 0);
	int fd = fd_install(c.p, of, 0);
	if (fd < 0)
		ofile_put(of);
	rep->m[0] = (unsigned long)(f->flags & FS_O_ACCMODE);
	return fs_result(rep, fd, 0);
}

/* A /proc row from pm, with the task handle fs may read counters from
 * (kept: SRV_KEEP_HANDLE). State 0 removes the row. */
int fs_do_pm_proc(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct fs_proc in;
	struct proc_row *r;
	if (!from_pm(req) || req->len < sizeof(in))
		return fs_result(rep, -EPERM, 0);
	memcpy(&in, req->data, sizeof(in));
	if (!(r = procfs_row(in.pid, in.state != 0)))
		return fs_result(rep, in.state ? -ENOMEM : 0, 0);
	const char *text = (const char *)req->data + sizeof(in);
	size_t n = req->len - sizeof(in); /* the maps text after the row */
	if (in.maps == FS_MAPS_PARENT) {  /* a fork: the same mappings as its parent */
		struct proc_row *pr = procfs_row(in.ppid, false);
		text = pr && pr->maps ? pr->maps : NULL, n = pr && pr->maps ? pr->maps_len : 0;
	}
	if (!in.state || (in.maps != FS_MAPS_KEEP && !n)) {
		free(r->maps);
		r->maps = NULL, r->maps_len = 0;
	} else if (in.maps != FS_MAPS_KEEP) {
		char *maps = malloc(n); /* (not realloc: text may be another row's) */
		if (maps) {
			memcpy(maps, text, n);
			free(r->maps);
			r->maps = maps, r->maps_len = n;
		}
	}
	if (req->handle >= 0 || !in.state) { /* a new task, or none */
		if (r->task >= 0)
			mica_handle_close(r->task);
		r->task = req->handle;
	}
	r->p = in;
	if (!in.state)
		r->p.pid = 0;
	return fs_result(rep, 0, 0) | (req->handle >= 0 ? SRV_KEEP_HANDLE : 0);
}

/* n bytes of pm's window into file ino from offset off, a stage at a
 * time. */
static int load_window(struct server *s, const struct srv_req *req, const struct vfs_mount *m,
                       uint64_t ino, uint64_t off, size_t n)
{
	char *buf = fs_stage();
	int err = buf ? 0 : -ENOMEM;
	for (size_t done = 0, k; !err && done < n; done += k) {
		k = n - done < FS_STAGE ? n - done : FS_STAGE;
		long w = (err = srv_copy_in(s, req->client, done, buf, k))
		             ? err
		             : m->ops->write(m->fs, ino, off + done, buf, k);
		err = w < 0 ? (int)w : 0;
	}
	return err;
}

/* A directory (m[2]) or a piece of a file at offset m[1] (creating it
 * at offset 0), under the parent lk in mount m: the bytes after the path
 * in the payload, or all of pm's window. */
static int load_into(struct server *s, const struct srv_req *req, const struct vfs_mount *m,
                     const struct vfs_lookup *lk, const char *data, size_t n)
{
	uint64_t ino;
	int err;
	if (req->m[2]) {
		err = m->ops->mkdir(m->fs, lk->vn.ino, lk->name, (uint32_t)req->m[0] & 07777, NULL,
		                    &ino);
		return err == -EEXIST ? 0 : err;
	}
	err = 0;
	if (req->m[1] == 0)
		err = m->ops->create(m->fs, lk->vn.ino, lk->name, (uint32_t)req->m[0] & 07777, NULL,
		                     &ino);
	if (!err || err == -EEXIST)
		err = m->ops->lookup(m->fs, lk->vn.ino, lk->name, &ino);
	if (!err && srv_window(req))
		return load_window(s, req, m, ino, req->m[1], srv_window(req));
	if (!err && n) {
		long w = m->ops->write(m->fs, ino, req->m[1], data, n);
		err = w < 0 ? (int)w : 0;
	}
	return err;
}

/* Fills the root from the boot archive, a piece at a time: payload
 * "path\0data", or "path\0" and the data in pm's window. */
int fs_do_pm_load(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	const char *data = req->data;
	size_t len = req->len, plen = strnlen(data, len);
	struct fsreq c;
	struct vfs_lookup lk;
	const struct vfs_mount *m;
	fsreq_begin(&c, req); /* pm's own row */
	if (!from_pm(req) || plen >= len || !c.p)
		return fs_result(rep, c.p ? -EPERM : -ENOMEM, 0);
	int err = parent_of(&c, c.p->cwd, data, &lk, &m);
	if (!err && (!m->ops->mkdir || !m->ops->create || !m->ops->write))
		err = -EPERM; /* not into /dev or /proc */
	if (!err)
		err = load_into(s, req, m, &lk, data + plen + 1, len - plen - 1);
	return fs_result(rep, err, 0);
}
