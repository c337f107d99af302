/* init: pid 1. Reads /etc/inittab (id:runlevels:action:process), runs
 * the sysinit entries, then wait and once entries, then keeps the
 * respawn entries running; reaps every orphan it inherits. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mica/inittab.h"
#include "mica/posix.h"
#include "mica/syscall.h"

#define MAX_ENTRIES 32
#define RUNLEVEL    '2'

static struct inittab_entry tab[MAX_ENTRIES];
static pid_t running[MAX_ENTRIES];
static unsigned long started[MAX_ENTRIES][10]; /* last spawn times, microseconds */
static int ntab;

static void bad_line(void *ctx, int line, const char *msg)
{
	(void)ctx, (void)line;
	printf("init: /etc/inittab: %s\n", msg);
}

/* Splits the process field on blanks into argv (in place). */
static pid_t start(struct inittab_entry *e)
{
	char *argv[16], *envp[] = {"PATH=/bin", "HOME=/", "TERM=vt100", NULL};
	int argc = 0;
	for (char *t = strtok(e->process, " \t"); t && argc < 15; t = strtok(NULL, " \t"))
		argv[argc++] = t;
	argv[argc] = NULL;
	if (!argc)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		setsid(); /* its own session: a shell there leads its jobs */
		execve(argv[0], argv, envp);
		printf("init: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	return pid;
}

static void run_and_wait(struct inittab_entry *e)
{
	char copy[sizeof(e->process)];
	memcpy(copy, e->process, sizeof(copy));
	pid_t pid = start(e);
	memcpy(e->process, copy, sizeof(copy));
	int status;
	while (pid > 0 && waitpid(pid, &status, 0) != pid)
		;
}

/* sysvinit's guard: ten respawns within five seconds is a loop (a
 * program that cannot start, a dead console); wait before the next. */
static void respawn_guard(int i)
{
	unsigned long now = (unsigned long)mica_time();
	memmove(&started[i][1], &started[i][0], sizeof(started[i]) - sizeof(started[i][0]));
	started[i][0] = now;
	if (started[i][9] && now - started[i][9] < 5000000) {
		printf("init: Id \"%s\" respawning too fast: disabled for 5 seconds\n", tab[i].id);
		fflush(stdout);
		sleep(5);
		memset(started[i], 0, sizeof(started[i]));
	}
}

static void spawn_entry(int i)
{
	if (tab[i].action == IA_RESPAWN)
		respawn_guard(i);
	char copy[sizeof(tab[i].process)];
	memcpy(copy, tab[i].process, sizeof(copy));
	running[i] = start(&tab[i]);
	memcpy(tab[i].process, copy, sizeof(copy));
}

/* pid 1 starts with no descriptors: the console becomes 0, 1 and 2. */
static void open_console(void)
{
	if (fcntl(0, F_GETFD) >= 0)
		return;
	for (int fd = 0; fd < 3; fd++)
		if (open("/dev/console", O_RDWR) != fd)
			mica_debug_write("init: cannot open /dev/console\n", 31);
}

static int read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY), n = 0, r = 0;
	if (fd < 0)
		return -1;
	while ((size_t)n < size && (r = (int)read(fd, buf + n, size - (size_t)n)) > 0)
		n += r;
	close(fd);
	return r < 0 ? -1 : n;
}

int main(void)
{
	static char text[4096];
	open_console();
	int n = read_file("/etc/inittab", text, sizeof(text));
	if (n < 0) {
		printf("init: cannot read /etc/inittab; starting /bin/sh\n");
		n = snprintf(text, sizeof(text), "sh::respawn:/bin/sh\n");
	}
	ntab = inittab_parse(text, (size_t)n, tab, MAX_ENTRIES, bad_line, NULL);
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < ntab; i++) {
			enum inittab_action a = tab[i].action;
			if (!inittab_in_runlevel(&tab[i], RUNLEVEL))
				continue;
			if (pass == 0 && a == IA_SYSINIT)
				run_and_wait(&tab[i]);
			else if (pass == 1 && a == IA_WAIT)
				run_and_wait(&tab[i]);
			else if (pass == 1 && (a == IA_ONCE || a == IA_RESPAWN))
				spawn_entry(i);
		}
	for (;;) { /* reap; restart what must keep running */
		int status;
		pid_t pid = wait(&status);
		if (pid < 0) {
			sleep(1);
			continue;
		}
		for (int i = 0; i < ntab; i++) {
			if (running[i] != pid)
				continue;
			running[i] = 0;
			if (tab[i].action == IA_RESPAWN)
				spawn_entry(i);
		}
	}
}
