/* Inside the fs server: one request as its handlers see it (who sent
 * it, its path arguments), and the handlers the table in fs.c takes
 * from names.c and pmops.c. Nothing here knows the transport. */
#ifndef FS_FSREQ_H
#define FS_FSREQ_H

#include <stdbool.h>

#include "files.h"
#include "mica/server.h"

extern struct vfs vfs;

/* A request's caller and arguments. The paths point into the payload
 * (req->data): a handler is done with them before it writes srv_out. */
struct fsreq {
	const struct srv_req *req;
	struct fsproc *p;         /* the caller's row (pm's is pid 0); NULL: no memory */
	struct vfs_cred cr;       /* root, with the caller's pid for /proc/self */
	const char *path, *path2; /* after fsreq_paths */
};

/* The request came from pm (FS_BADGE_PM). */
bool from_pm(const struct srv_req *req);

/* Who sent req: c->p (a new row if it had none) and c->cr. */
void fsreq_begin(struct fsreq *c, const struct srv_req *req);

/* The payload as one (or with two, two) NUL-terminated strings in
 * c->path (and c->path2). -ENOMEM without a caller row, -EINVAL if the
 * payload is empty, too long or lacks a NUL. */
int fsreq_paths(struct fsreq *c, bool two);

/* Sets the reply's result and payload length; SRV_REPLY. */
int fs_result(struct srv_rep *rep, long r, size_t len);

/* The mount a vnode lives in. */
const struct vfs_mount *mnt_of(struct vnode vn);

/* Resolves path's parent for c; *m its mount. -EINVAL for "." or "..". */
int parent_of(const struct fsreq *c, struct fsproc *p, const char *path, struct vfs_lookup *lk,
              const struct vfs_mount **m);

/* A new open file of the right kind for vn (rendered for c's pid if it
 * is a /proc file), not yet installed. */
int open_kind(const struct fsreq *c, struct vnode vn, const struct vattr *va, int flags,
              struct ofile **of);

/* The stat reply for vn into st. */
void to_stat(struct vnode vn, const struct vattr *va, struct fs_stat *st);

/* names.c: requests that name files by path */
int fs_do_stat(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int fs_do_mkdir(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int fs_do_rmdir(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int fs_do_unlink(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int fs_do_symlink(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int fs_do_link(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int fs_do_rename(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int fs_do_readlink(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int fs_do_chdir(struct server *s, const struct srv_req *req, struct srv_rep *rep);

/* pmops.c: operations only pm may ask for */
int fs_do_pm_fork(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int fs_do_pm_exit(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int fs_do_pm_exec(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int fs_do_pm_open(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int fs_do_pm_proc(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int fs_do_pm_load(struct server *s, const struct srv_req *req, struct srv_rep *rep);

#endif
