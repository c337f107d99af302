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
	struct vfs_cred cr;       /* the caller's uid and gid (pm's rows), its pid for /proc/self */
	const char *path, *path2; /* after fsreq_paths */
	struct vnode base, base2; /* where path and path2 resolve from (cwd or a dirfd) */
	struct ofile *basef;      /* the file on the base fd of path, or NULL (the cwd) */
};

/* Seconds since the epoch, for times set to "now". */
uint64_t fs_now(void);

/* The request came from pm (FS_BADGE_PM). */
bool from_pm(const struct srv_req *req);

/* Who sent req: c->p (a new row if it had none) and c->cr. */
void fsreq_begin(struct fsreq *c, const struct srv_req *req);

/* The payload as one (or with two, two) NUL-terminated strings in
 * c->path (and c->path2), and their bases (m3; with two, m2 and m3).
 * -ENOMEM without a caller row, -EINVAL if the payload is empty, too
 * long or lacks a NUL; -EBADF for a base that is no open descriptor,
 * -ENOTDIR for one that is no directory under a relative path. */
int fsreq_paths(struct fsreq *c, bool two);

/* The caller's open file behind descriptor m[0] of req (and the caller's
 * row in *pp if pp), or NULL. */
struct ofile *fsreq_file(const struct srv_req *req, struct fsproc **pp);

/* The file c->path names (nofollow: not through a final symlink); an
 * empty path with a base fd names that fd's file. */
int fsreq_target(const struct fsreq *c, bool nofollow, struct vnode *vn);

/* May cr reach va in mode want (4 read, 2 write, 1 execute/search)?
 * Root may always read and write, and execute what anyone may. */
bool may_access(const struct vfs_cred *cr, const struct vattr *va, int want);

/* Sets the reply's result and payload length; SRV_REPLY. */
int fs_result(struct srv_rep *rep, long r, size_t len);

/* The mount a vnode lives in. */
const struct vfs_mount *mnt_of(struct vnode vn);

/* -EACCES unless c may add and remove dir's entries (write and search). */
int may_change_dir(const struct fsreq *c, struct vnode dir);

/* Resolves path's parent from base for c; *m its mount. -EINVAL for "."
 * or "..", -EACCES if c may not change that directory. */
int parent_of(const struct fsreq *c, struct vnode base, const char *path, struct vfs_lookup *lk,
              const struct vfs_mount **m);

/* A new open file of the right kind for vn (rendered for c's pid if it
 * is a /proc file), not yet installed; -ENXIO for a device node whose
 * number no device here has. */
int open_kind(const struct fsreq *c, struct vnode vn, const struct vattr *va, int flags,
              struct ofile **of);

/* The stat reply for vn into st. */
void to_stat(struct vnode vn, const struct vattr *va, struct fs_stat *st);

/* rw.c: FS_READ and FS_WRITE, and the buffer (FS_STAGE bytes, made on
 * first use; NULL without memory) a request copies its window through
 * when the file system cannot take the bytes where they lie. */
#define FS_STAGE (64u << 10)
void *fs_stage(void);
int fs_do_read(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int fs_do_write(struct server *s, const struct srv_req *req, struct srv_rep *rep);

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

/* attrs.c: metadata, access, FIFOs and poll */
int fs_do_chmod(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int fs_do_statfs(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int fs_do_chown(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int fs_do_utimens(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int fs_do_truncate(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int fs_do_access(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int fs_do_mknod(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int fs_do_poll(struct server *s, const struct srv_req *req, struct srv_rep *rep);

/* Opens the FIFO vn for c (flags FS_O_*): its descriptor, -errno, or
 * SRV_DEFER-worthy 1 when the open waits for the other end (answered
 * later with the descriptor). */
int fifo_open(const struct fsreq *c, struct vnode vn, int flags, int *fd);

/* pmops.c: operations only pm may ask for */
int fs_do_pm_fork(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int fs_do_pm_exit(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int fs_do_pm_limits(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int fs_do_pm_exec(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int fs_do_pm_open(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int fs_do_umask(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int fs_do_pm_dupfd(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int fs_do_pm_proc(struct server *s, const struct srv_req *req, struct srv_rep *rep);
int fs_do_pm_load(struct server *s, const struct srv_req *req, struct srv_rep *rep);

#endif
