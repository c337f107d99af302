/* The exec family over execve (lib/posix.c): the list forms, the PATH
 * search with a file that is not a binary run by /bin/sh (POSIX), and
 * running commands through the shell: system, popen and pclose. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define SHELL        "/bin/sh"
#define DEFAULT_PATH "/bin:/usr/bin"

extern char **environ;

int execv(const char *path, char *const argv[])
{
	return execve(path, argv, environ);
}

/* Runs a file exec refused as not a binary the way POSIX says: as a
 * script of /bin/sh, "sh path arg1 ...". */
static int exec_script(const char *path, char *const argv[], char *const envp[])
{
	int argc = 0;
	while (argv && argv[argc])
		argc++;
	char **v = malloc(sizeof(char *) * (size_t)(argc + 3));
	if (!v) {
		errno = ENOMEM;
		return -1;
	}
	v[0] = "sh";
	v[1] = (char *)path;
	for (int i = 1; i < argc; i++)
		v[i + 1] = argv[i];
	v[argc > 0 ? argc + 1 : 2] = NULL;
	execve(SHELL, v, envp);
	free(v);
	return -1;
}

/* execve, and a script through the shell; returns only on failure. */
static int exec_or_script(const char *path, char *const argv[], char *const envp[])
{
	execve(path, argv, envp);
	if (errno == ENOEXEC)
		exec_script(path, argv, envp);
	return -1;
}

/* Tries file in each directory of PATH; an empty entry is the current
 * one. Directories that do not have it (or cannot be searched) are
 * skipped; EACCES is remembered for the end, any other error ends the
 * search. */
int execvpe(const char *file, char *const argv[], char *const envp[])
{
	if (!file || !*file) {
		errno = ENOENT;
		return -1;
	}
	if (strchr(file, '/'))
		return exec_or_script(file, argv, envp);
	const char *p = getenv("PATH");
	size_t flen = strlen(file);
	int denied = 0;
	char path[PATH_MAX];
	for (p = p ? p : DEFAULT_PATH;; p++) {
		size_t n = strcspn(p, ":");
		if (n + 1 + flen < sizeof(path)) {
			memcpy(path, n ? p : ".", n ? n : 1);
			snprintf(path + (n ? n : 1), sizeof(path) - (n ? n : 1), "/%s", file);
			exec_or_script(path, argv, envp);
			if (errno == EACCES)
				denied = 1;
			else if (errno != ENOENT && errno != ENOTDIR)
				return -1;
		}
		p += n;
		if (!*p)
			break;
	}
	errno = denied ? EACCES : ENOENT;
	return -1;
}

int execvp(const char *file, char *const argv[])
{
	return execvpe(file, argv, environ);
}

/* Mica's fs cannot name an open file's path for exec. */
int fexecve(int fd, char *const argv[], char *const envp[])
{
	(void)fd, (void)argv, (void)envp;
	errno = ENOSYS;
	return -1;
}

/* The arguments after arg up to the NULL, as a vector (malloc); with
 * envp, *envp gets the pointer after the NULL (execle). */
static char **list_to_vector(const char *arg, va_list ap, char ***envp)
{
	va_list count;
	int n = 1;
	va_copy(count, ap);
	while (arg && va_arg(count, char *))
		n++;
	va_end(count);
	char **v = malloc(sizeof(char *) * (size_t)(n + 1));
	if (!v) {
		errno = ENOMEM;
		return NULL;
	}
	v[0] = (char *)arg;
	for (int i = 1; i <= n; i++)
		v[i] = arg ? va_arg(ap, char *) : NULL;
	if (envp)
		*envp = va_arg(ap, char **);
	return v;
}

int execl(const char *path, const char *arg, ...)
{
	va_list ap;
	va_start(ap, arg);
	char **v = list_to_vector(arg, ap, NULL);
	va_end(ap);
	if (v)
		execve(path, v, environ);
	free(v);
	return -1;
}

int execlp(const char *file, const char *arg, ...)
{
	va_list ap;
	va_start(ap, arg);
	char **v = list_to_vector(arg, ap, NULL);
	va_end(ap);
	if (v)
		execvp(file, v);
	free(v);
	return -1;
}

int execle(const char *path, const char *arg, ...)
{
	va_list ap;
	char **envp = NULL;
	va_start(ap, arg);
	char **v = list_to_vector(arg, ap, &envp);
	va_end(ap);
	if (v)
		execve(path, v, envp);
	free(v);
	return -1;
}

/* --- commands through the shell -------------------------------------------- */

/* The status of child once it ends; -1 if it cannot be waited for. */
static int wait_for(pid_t child)
{
	int status;
	while (waitpid(child, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return status;
}

int system(const char *cmd)
{
	if (!cmd)
		return access(SHELL, X_OK) == 0;
	pid_t child = fork();
	if (child < 0)
		return -1;
	if (child == 0) {
		execl(SHELL, "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	return wait_for(child);
}

/* Streams popen opened, with their children: pclose waits for the right
 * one, and each new child closes the others' descriptors (POSIX). */
struct popen_entry {
	FILE *f;
	pid_t pid;
	struct popen_entry *next;
};
static struct popen_entry *popen_list;

/* The child's side: the pipe end as its stdin or stdout, then the shell. */
static void popen_child(const int fds[2], int reading, const char *cmd)
{
	int mine = reading ? fds[1] : fds[0], target = reading ? 1 : 0;
	for (struct popen_entry *e = popen_list; e; e = e->next)
		close(fileno(e->f));
	if (mine != target) {
		dup2(mine, target);
		close(mine);
	}
	close(reading ? fds[0] : fds[1]);
	execl(SHELL, "sh", "-c", cmd, (char *)NULL);
	_exit(127);
}

FILE *popen(const char *cmd, const char *mode)
{
	int fds[2];
	if (!mode || (mode[0] != 'r' && mode[0] != 'w') || (mode[1] && mode[1] != 'e')) {
		errno = EINVAL;
		return NULL;
	}
	int reading = mode[0] == 'r';
	struct popen_entry *e = malloc(sizeof(*e));
	if (!e || pipe(fds) < 0) {
		free(e);
		return NULL;
	}
	pid_t child = fork();
	if (child == 0)
		popen_child(fds, reading, cmd);
	close(reading ? fds[1] : fds[0]);
	int mine = reading ? fds[0] : fds[1];
	FILE *f = child < 0 ? NULL : fdopen(mine, reading ? "r" : "w");
	if (!f) {
		int err = errno;
		close(mine);
		if (child > 0)
			wait_for(child);
		free(e);
		errno = err;
		return NULL;
	}
	if (mode[1] == 'e')
		fcntl(mine, F_SETFD, FD_CLOEXEC);
	*e = (struct popen_entry){f, child, popen_list};
	popen_list = e;
	return f;
}

int pclose(FILE *f)
{
	struct popen_entry **pp = &popen_list;
	while (*pp && (*pp)->f != f)
		pp = &(*pp)->next;
	if (!*pp) {
		errno = ECHILD;
		return -1;
	}
	struct popen_entry *e = *pp;
	*pp = e->next;
	fclose(f);
	int status = wait_for(e->pid);
	free(e);
	return status;
}
