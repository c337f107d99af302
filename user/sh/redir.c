/* Redirections (XCU 2.7): files, descriptor duplication and closing, and
 * here-documents through a pipe. In the shell itself each changed
 * descriptor is first saved above 10 so it can be put back afterwards. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sh.h"

#define SAVE_MIN 10

/* Keeps a copy of fd (or notes it was closed) before it changes. */
static int save_fd(struct saved_fds *save, int fd)
{
	if (!save)
		return 0;
	for (int i = 0; i < save->n; i++)
		if (save->fd[i] == fd)
			return 0;
	if (save->n == 16) {
		sh_error("too many redirections");
		return -1;
	}
	int copy = fcntl(fd, F_DUPFD_CLOEXEC, SAVE_MIN);
	if (copy < 0 && errno != EBADF) {
		sh_error("%d: %s", fd, strerror(errno));
		return -1;
	}
	save->fd[save->n] = fd;
	save->copy[save->n++] = copy;
	return 0;
}

void redir_restore(struct saved_fds *save)
{
	fflush(stdout);
	fflush(stderr);
	while (save->n > 0) {
		save->n--;
		int fd = save->fd[save->n], copy = save->copy[save->n];
		if (copy >= 0) {
			dup2(copy, fd);
			close(copy);
		} else {
			close(fd);
		}
	}
}

/* A pipe whose read end holds text; a writer child when it is long. */
static int heredoc_fd(const char *text)
{
	int fds[2];
	size_t len = strlen(text);
	if (pipe(fds) < 0)
		return -1;
	if (len <= 4000) {
		if (write(fds[1], text, len) < 0) {
			close(fds[0]);
			fds[0] = -1;
		}
		close(fds[1]);
		return fds[0];
	}
	sh_flush();
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		ssize_t w = write(fds[1], text, len);
		_exit(w < 0);
	}
	close(fds[1]);
	return fds[0];
}

/* The descriptor a redirection's target opens (or -2 for a plain close). */
static int open_target(const struct redir *r, const char *t)
{
	static const int flags[] = {[R_IN] = O_RDONLY,
	                            [R_OUT] = O_WRONLY | O_CREAT | O_TRUNC,
	                            [R_APPEND] = O_WRONLY | O_CREAT | O_APPEND,
	                            [R_RDWR] = O_RDWR | O_CREAT};
	if (r->kind == R_HEREDOC)
		return heredoc_fd(t);
	if (r->kind == R_DUPIN || r->kind == R_DUPOUT) {
		char *end;
		long fd = strtol(t, &end, 10);
		if (!strcmp(t, "-"))
			return -2;
		if (!*t || *end || fd < 0 || fd > 1023) {
			sh_error("%s: bad file descriptor", t);
			return -1;
		}
		if (fcntl((int)fd, F_GETFD) < 0) {
			sh_error("%ld: %s", fd, strerror(errno));
			return -1;
		}
		return -3 - (int)fd; /* dup this one, do not close it */
	}
	struct stat st;
	bool noclobber = r->kind == R_OUT && sh.opt_C && !r->force,
	     exists = noclobber && stat(t, &st) == 0;
	if (noclobber && exists && S_ISREG(st.st_mode)) {
		sh_error("%s: cannot overwrite existing file", t);
		return -1;
	}
	int fd = open(t, flags[r->kind] | (noclobber && !exists ? O_EXCL : 0), 0666);
	if (fd < 0)
		sh_error("%s: %s", t, strerror(errno));
	return fd;
}

static int apply_one(const struct redir *r, struct saved_fds *save)
{
	char *t = r->kind != R_HEREDOC ? x_string(&sh_xenv, r->word, false)
	          : r->quoted          ? strdup(r->body)
	                               : x_heredoc(&sh_xenv, r->body);
	if (!t)
		return sh_fatal_expansion(), -1;
	if (save_fd(save, r->fd)) {
		free(t);
		return -1;
	}
	int fd = open_target(r, t);
	free(t);
	if (fd == -1)
		return -1;
	if (fd == -2) {
		close(r->fd);
	} else if (fd <= -3) {
		if (-3 - fd != r->fd)
			dup2(-3 - fd, r->fd);
	} else if (fd != r->fd) {
		dup2(fd, r->fd);
		close(fd);
	}
	return 0;
}

int redir_apply(const struct redir *r, struct saved_fds *save)
{
	if (r)
		sh_flush();
	for (; r; r = r->next)
		if (apply_one(r, save))
			return -1;
	return 0;
}
