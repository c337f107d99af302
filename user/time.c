/* time [-p] COMMAND [ARG]...: runs COMMAND and prints the time it took
 * on standard error: "real", "user" and "sys" in POSIX's -p format, else
 * bash's ("real\t0m1.004s"). User time is the child's CPU time from
 * times() (pm adds it when the child is waited for); Mica does not tell
 * system time apart, so sys is 0. The status is the command's, 127 if
 * it was not found, 126 if it could not run. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void show(const char *name, double s, int posix)
{
	if (posix)
		fprintf(stderr, "%s %.2f\n", name, s);
	else
		fprintf(stderr, "%s\t%dm%.3fs\n", name, (int)(s / 60), s - 60 * (int)(s / 60));
}

int main(int argc, char **argv)
{
	int posix = 0, i = 1;
	if (i < argc && !strcmp(argv[i], "-p"))
		posix = 1, i++;
	if (i < argc && !strcmp(argv[i], "--"))
		i++;
	if (i >= argc) {
		fprintf(stderr, "usage: time [-p] command [argument...]\n");
		return 2;
	}
	struct tms t0, t1;
	times(&t0);
	double start = now();
	pid_t pid = fork();
	if (pid < 0) {
		perror("time: fork");
		return 1;
	}
	if (pid == 0) {
		execvp(argv[i], argv + i);
		int e = errno;
		fprintf(stderr, "time: cannot run %s: %s\n", argv[i], strerror(e));
		_exit(e == ENOENT ? 127 : 126);
	}
	int st = 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	double real = now() - start;
	times(&t1);
	double user = (double)(t1.tms_cutime - t0.tms_cutime) / (double)sysconf(_SC_CLK_TCK);
	double sys = (double)(t1.tms_cstime - t0.tms_cstime) / (double)sysconf(_SC_CLK_TCK);
	if (!posix)
		fputc('\n', stderr);
	show("real", real, posix);
	show("user", user, posix);
	show("sys", sys, posix);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WEXITSTATUS(st);
}
