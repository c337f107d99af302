/* The fs server's open files, pipes and per-process descriptor tables. */
#ifndef FS_FILES_H
#define FS_FILES_H

#include "fsdev.h"
#include "pipebuf.h"

#define MAX_OFILES   256
#define MAX_PIPES    32
#define MAX_FSPROC   64
#define PIPE_WAITERS 8

enum of_kind { OF_FREE, OF_VNODE, OF_CONSOLE, OF_NULL, OF_ZERO, OF_PIPE_R, OF_PIPE_W, OF_TEXT };

struct pipe_wait {
	unsigned long token;
	size_t n;    /* read: bytes wanted; write: bytes in data */
	size_t done; /* write: bytes already in the pipe */
	char *data;  /* write: a copy of what is still to go */
};

struct pipe {
	bool used;
	struct pipebuf buf;
	struct pipe_wait readers[PIPE_WAITERS], writers[PIPE_WAITERS];
	int nreaders, nwriters;
};

struct ofile {
	int refs; /* descriptors sharing it; 0: free */
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
	int pid; /* 0: unused (pm itself is pid 0 and has a row too) */
	bool used;
	struct vnode cwd;
	int fd[FS_MAX_FDS]; /* index into ofiles, or -1 */
	bool cloexec[FS_MAX_FDS];
};

extern struct ofile ofiles[MAX_OFILES];
extern struct pipe pipes[MAX_PIPES];
extern struct fsproc fsprocs[MAX_FSPROC];

struct fsproc *fsproc_get(int pid, bool create);
void fsproc_drop(struct fsproc *p);
int fd_install(struct fsproc *p, int of, int lowest);
struct ofile *fd_file(struct fsproc *p, long fd);
int ofile_new(enum of_kind kind);
void ofile_put(int of);
void pipe_wake(struct pipe *pp); /* finish deferred readers and writers */

#endif
