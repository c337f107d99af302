/* The fs server's open files and per-process descriptor tables. Both are
 * allocated as they are needed: a process holds at most FS_MAX_FDS
 * descriptors, in a table that grows as it uses higher ones (most
 * processes hold a handful), so no process can use up what others need. */
#ifndef FS_FILES_H
#define FS_FILES_H

#include "fsdev.h"
#include "mica/proto/limits.h"
#include "pipe.h"

enum of_kind { OF_VNODE, OF_CONSOLE, OF_NULL, OF_ZERO, OF_PIPE_R, OF_PIPE_W, OF_TEXT, OF_DISK };

/* One open file, shared by the descriptors dup and fork make. */
struct ofile {
	int refs; /* descriptors naming it; the last ofile_put frees it */
	enum of_kind kind;
	struct vnode vn;
	uint64_t off;
	int flags; /* FS_O_ACCMODE bits, FS_O_APPEND and FS_O_NONBLOCK */
	struct pipe *pipe;
	char *text; /* OF_TEXT: rendered at open */
	size_t tlen;
	uint64_t cookie; /* directory position */
	int disk;        /* OF_DISK: which (0: vda) */
};

struct fdent {
	struct ofile *f; /* NULL: closed */
	bool cloexec;
};

struct fsproc {
	int pid; /* pm itself is pid 0 and has a row too */
	struct vnode cwd;
	struct fdent *fd; /* nfd slots, grown by fd_room up to FS_MAX_FDS */
	int nfd;
	struct pm_limits lim; /* its resource limits and nice value, as pm says (FS_PM_LIMITS) */
	unsigned umask;       /* FS_UMASK: kept here so it outlives exec */
};

/* p's soft limit res (MRLIM_*). */
static inline uint64_t fsproc_limit(const struct fsproc *p, int res)
{
	return p->lim.rlim[res].cur;
}

/* pid's row; with create, a new one (cwd "/") if it has none. NULL if
 * there is none, or no memory for it. */
struct fsproc *fsproc_get(int pid, bool create);
/* Whether some process has its cwd or an open file in mount slot mnt. */
bool files_use_mount(int mnt);
/* Whether some process has an open file in mount slot mnt. */
bool files_open_in_mount(int mnt);
/* Every cwd in mount slot mnt becomes to. */
void files_move_cwds(int mnt, struct vnode to);

/* Everything pid holds goes: its waiting pipe requests, its descriptors
 * (and through them open files and pipe ends), its row. */
void fsproc_drop(struct fsproc *p);

/* Rows in use. */
size_t fsproc_count(void);

/* Makes the table hold descriptor fd: 0, -EMFILE beyond FS_MAX_FDS or
 * the process's RLIMIT_NOFILE (or below 0), -ENOMEM. */
int fd_room(struct fsproc *p, long fd);

/* Lowest free descriptor >= lowest (the table grown to hold it), or
 * -EMFILE, or -ENOMEM. */
int fd_free(struct fsproc *p, int lowest);

/* Installs f at the lowest free descriptor >= lowest (a reference). */
int fd_install(struct fsproc *p, struct ofile *f, int lowest);
struct ofile *fd_file(struct fsproc *p, long fd);

/* Closes descriptor fd if it is open (a reference dropped). */
void fd_close(struct fsproc *p, int fd);

/* A new open file with no references yet; NULL without memory. An
 * ofile_put of it before it is installed frees it. */
struct ofile *ofile_new(enum of_kind kind);
void ofile_put(struct ofile *f);

#endif
