/* t_perm: in-guest checks of file permissions for a user other than
 * root: read, write and execute bits by owner, group and others,
 * directory search on every directory of a path, the sticky /tmp,
 * chmod and chown by others, umask; and root passing all but running
 * what nobody may. Run as root: it makes the files, then forks children
 * that setgid/setuid to 1000 or 1001.
 * Prints "t_perm: NAME ok" or "FAILED: why", then the totals. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/check.h"

/* Runs fn as uid (and gid) in a child: its return value, or -1. */
static int as_user(int uid, int (*fn)(void))
{
	pid_t pid = fork();
	if (pid == 0) {
		if (setgid((gid_t)uid) < 0 || setuid((uid_t)uid) < 0)
			_exit(100);
		_exit(fn() == 0 ? 0 : 1);
	}
	int st;
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static int make(const char *path, mode_t mode, const char *text)
{
	int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0600);
	if (fd < 0)
		return -1;
	write(fd, text, strlen(text));
	close(fd);
	return chmod(path, mode);
}

static int errno_of(int r)
{
	return r < 0 ? errno : 0;
}

/* --- as the user ------------------------------------------------------- */

static int u_rw_bits(void)
{
	if (errno_of(open("/tmp/p/secret", O_RDONLY)) != EACCES)
		return 1; /* 0600 root's */
	int fd = open("/tmp/p/public", O_RDONLY);
	if (fd < 0)
		return 2;
	close(fd);
	if (errno_of(open("/tmp/p/public", O_WRONLY)) != EACCES)
		return 3; /* 0644 */
	if (errno_of(open("/tmp/p/groupw", O_WRONLY)) != 0)
		return 4; /* 0664, group 1000 */
	return 0;
}

static int u_search(void)
{
	struct stat st;
	if (errno_of(stat("/tmp/p/locked/inside", &st)) != EACCES)
		return 1; /* a 0700 directory on the way */
	if (errno_of(open("/tmp/p/locked/inside", O_RDONLY)) != EACCES)
		return 2;
	if (errno_of(chdir("/tmp/p/locked")) != EACCES)
		return 3;
	if (errno_of(stat("/tmp/p/listonly/inside", &st)) != EACCES)
		return 4; /* 0744: readable, not searchable */
	return 0;
}

static int u_exec(void)
{
	char *argv[] = {"prog", NULL}, *envp[] = {NULL};
	execve("/tmp/p/noexec", argv, envp);
	if (errno != EACCES)
		return 1;
	execve("/tmp/p/rootonly", argv, envp);
	if (errno != EACCES)
		return 2;
	return 0;
}

static int u_chmod_chown(void)
{
	if (errno_of(chmod("/tmp/p/public", 0666)) != EPERM)
		return 1;
	if (errno_of(chown("/tmp/p/mine", 0, 0)) != EPERM)
		return 2; /* giving a file away */
	if (errno_of(chmod("/tmp/p/mine", 0600)) != 0)
		return 3; /* its own */
	return 0;
}

static int u_sticky_make(void)
{
	return make("/tmp/p/sticky/u1000", 0666, "x") == 0 ? 0 : 1;
}

static int u_sticky_other(void)
{
	if (errno_of(unlink("/tmp/p/sticky/u1000")) != EPERM)
		return 1; /* someone else's, in a sticky directory */
	if (errno_of(rename("/tmp/p/sticky/u1000", "/tmp/p/sticky/x")) != EPERM)
		return 2;
	return make("/tmp/p/sticky/u1001", 0666, "y") == 0 ? 0 : 3;
}

static int u_sticky_owner(void)
{
	return unlink("/tmp/p/sticky/u1000") == 0 ? 0 : 1;
}

static int u_umask(void)
{
	struct stat st;
	umask(077);
	if (make("/tmp/p/sticky/masked", 0, "") < 0)
		return 1;
	unlink("/tmp/p/sticky/masked");
	int fd = open("/tmp/p/sticky/masked", O_CREAT | O_WRONLY, 0666);
	if (fd < 0 || fstat(fd, &st) < 0)
		return 2;
	close(fd);
	return (st.st_mode & 0777) == 0600 ? 0 : 3;
}

/* --- checks ------------------------------------------------------------- */

static int t_read_write_bits(void)
{
	int r = as_user(1000, u_rw_bits);
	CHECK(r == 0, "as 1000: step %d", r);
	return 0;
}

static int t_directory_search(void)
{
	int r = as_user(1000, u_search);
	CHECK(r == 0, "as 1000: step %d", r);
	return 0;
}

static int t_execute_bits(void)
{
	int r = as_user(1000, u_exec);
	CHECK(r == 0, "as 1000: step %d", r);
	char *argv[] = {"x", NULL}, *envp[] = {NULL};
	pid_t pid = fork();
	if (pid == 0) {
		execve("/tmp/p/noexec", argv, envp);
		_exit(errno == EACCES ? 42 : 43);
	}
	int st;
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 42, "root ran a file nobody may run: %#x", st);
	return 0;
}

static int t_chmod_chown_by_others(void)
{
	int r = as_user(1000, u_chmod_chown);
	CHECK(r == 0, "as 1000: step %d", r);
	return 0;
}

static int t_sticky_tmp(void)
{
	struct stat st;
	CHECK(stat("/tmp", &st) == 0 && (st.st_mode & 01777) == 01777, "/tmp is %o",
	      (unsigned)st.st_mode & 07777);
	int r = as_user(1000, u_sticky_make);
	CHECK(r == 0, "1000 makes a file: %d", r);
	r = as_user(1001, u_sticky_other);
	CHECK(r == 0, "1001 in the sticky directory: step %d", r);
	r = as_user(1000, u_sticky_owner);
	CHECK(r == 0, "the owner removes its file: %d", r);
	return 0;
}

static int t_umask(void)
{
	int r = as_user(1000, u_umask);
	CHECK(r == 0, "umask 077: step %d", r);
	return 0;
}

/* As a set-user-ID root copy of ourselves, run by 1000 ("ids"): the
 * effective uid is root's, files open as root's, and the saved uid lets
 * it drop to the real one and come back. */
static int suid_body(void)
{
	uid_t r, e, s;
	if (getresuid(&r, &e, &s) < 0 || r != 1000 || e != 0 || s != 0)
		return 1;
	if (getuid() != 1000 || geteuid() != 0)
		return 2;
	int fd = open("/tmp/p/secret", O_RDONLY);
	if (fd < 0)
		return 3;
	close(fd);
	if (seteuid(1000) < 0 || errno_of(open("/tmp/p/secret", O_RDONLY)) != EACCES)
		return 4;
	if (seteuid(0) < 0 || geteuid() != 0)
		return 5;
	if (setuid(1000) < 0 || seteuid(0) == 0)
		return 6; /* root's setuid is for good */
	return 0;
}

static int u_run_suid(void)
{
	char *argv[] = {"t_perm", "ids", NULL}, *envp[] = {NULL};
	pid_t pid = fork();
	if (pid == 0) {
		execve("/tmp/p/suid", argv, envp);
		_exit(99);
	}
	int st;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 98;
}

static int t_set_user_id(void)
{
	int in = open("/proc/self/exe", O_RDONLY);
	if (in < 0)
		in = open("/bin/t_perm", O_RDONLY);
	int out = open("/tmp/p/suid", O_CREAT | O_TRUNC | O_WRONLY, 0700);
	char buf[4096];
	ssize_t n;
	CHECK(in >= 0 && out >= 0, "copy: %s", strerror(errno));
	while ((n = read(in, buf, sizeof(buf))) > 0)
		write(out, buf, (size_t)n);
	close(in), close(out);
	CHECK(chmod("/tmp/p/suid", 04755) == 0, "chmod 4755");
	int r = as_user(1000, u_run_suid);
	CHECK(r == 0, "set-user-ID run as 1000: step %d", r);
	struct stat st;
	CHECK(stat("/tmp/p/suid", &st) == 0 && (st.st_mode & 04000), "the bit stayed");
	return 0;
}

static int t_root_passes(void)
{
	int fd = open("/tmp/p/nobody", O_RDWR);
	CHECK(fd >= 0, "root could not open a 0000 file: %s", strerror(errno));
	close(fd);
	struct stat st;
	CHECK(stat("/tmp/p/locked/inside", &st) == 0, "root could not search a 0700 directory");
	return 0;
}

static int setup(void)
{
	mkdir("/tmp/p", 0755);
	mkdir("/tmp/p/locked", 0700);
	mkdir("/tmp/p/listonly", 0744);
	mkdir("/tmp/p/sticky", 01777);
	chmod("/tmp/p/sticky", 01777);
	if (make("/tmp/p/secret", 0600, "s") || make("/tmp/p/public", 0644, "p") ||
	    make("/tmp/p/groupw", 0664, "g") || make("/tmp/p/locked/inside", 0644, "i") ||
	    make("/tmp/p/listonly/inside", 0644, "l") ||
	    make("/tmp/p/noexec", 0644, "#!/bin/sh\n") || make("/tmp/p/nobody", 0, "n") ||
	    make("/tmp/p/mine", 0644, "m"))
		return -1;
	if (chown("/tmp/p/groupw", 0, 1000) || chown("/tmp/p/mine", 1000, 1000))
		return -1;
	/* a real program only root may run */
	int in = open("/bin/true", O_RDONLY),
	    out = open("/tmp/p/rootonly", O_CREAT | O_WRONLY, 0700);
	char buf[4096];
	ssize_t n;
	while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof(buf))) > 0)
		write(out, buf, (size_t)n);
	close(in), close(out);
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(void);
} tests[] = {
    {"rw-bits", t_read_write_bits}, {"search", t_directory_search},
    {"exec", t_execute_bits},       {"chmod-chown", t_chmod_chown_by_others},
    {"sticky", t_sticky_tmp},       {"umask", t_umask},
    {"root", t_root_passes},        {"set-user-id", t_set_user_id},
};

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "ids"))
		return suid_body();
	if (getuid() != 0 || setup() < 0) {
		fprintf(stderr, "t_perm: run me as root (setup: %s)\n", strerror(errno));
		return 2;
	}
	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		check_run("t_perm", tests[i].name, tests[i].fn);
	}
	printf("t_perm: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
