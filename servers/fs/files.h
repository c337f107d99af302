/* The fs server's open files and per-process descriptor tables. Both are
 * allocated as they are needed: a process holds at most FS_MAX_FDS
 * descriptors, so no process can use up a table the others need. */
#ifndef FS_FILES_H
#define FS_FILES_H

#include "fsdev.h"
#include "pipe.h"

enum of_kind { OF_VNODE, OF_CONSOLE, OF_NULL, OF_ZERO, OF_PIPE_R, OF_PIPE_W, OF_TEXT };

/* One open file, shared by the descriptors dup and fork make. */
struct ofile {
	int refs; /* descriptors naming it; the last ofile_put frees it */
	enum of_kind kind;
	struct vnode vn;
	uint64_t off;
	int flags; /* O_ACCMODE bits and O_APPEND */
	struct pipe *pipe;
	char *text; /* OF_TEXT: rendered at open */
	size_t tlen;
	uint64_t cookie; /* directory position */
};

struct fsproc {
	int pid; /* pm itself is pid 0 and has a row too */
	struct vnode cwd;
	struct ofile *fd[FS_MAX_FDS]; /* NULL: closed */
	bool cloexec[FS_MAX_FDS];
};

/* pid's row; with create, a new one (cwd "/") if it has none. NULL if
 * there is none, or no memory for it. */
struct fsproc *fsproc_get(int pid, bool create);

/* Everything pid holds goes: its waiting pipe requests, its descriptors
 * (and through them open files and pipe ends), its row. */
void fsproc_drop(struct fsproc *p);

/* Rows in use. */
size_t fsproc_count(void);

/* Lowest free descriptor >= lowest, or -EMFILE. */
int fd_free(const struct fsproc *p, int lowest);

/* Installs f at the lowest free descriptor >= lowest (a reference). */
int fd_install(struct fsproc *p, struct ofile *f, int lowest);
struct ofile *fd_file(struct fsproc *p, long fd);

/* A new open file with no references yet; NULL without memory. An
 * ofile_put of it before it is installed frees it. */
struct ofile *ofile_new(enum of_kind kind);
void ofile_put(struct ofile *f);

#endif
