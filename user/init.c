/* init: pid 1. Reads /etc/inittab (id:runlevels:action:process), runs
 * the sysinit, boot and bootwait entries, enters the initdefault
 * runlevel (its wait, once and respawn entries), keeps the respawn
 * entries running and reaps every orphan it inherits.
 *
 * telinit asks for a runlevel (0-6, S) or a reload (Q) by writing
 * /var/run/initctl and sending init SIGHUP. Changing level stops the
 * processes of entries not in the new level (SIGTERM, SIGKILL after
 * KILL_GRACE_US), then starts the new level's entries. 0 powers off,
 * 6 "reboots" (QEMU cannot be reset from here: it powers off with
 * status REBOOT_STATUS), 1 and S stop everything and leave a root shell.
 * The level is kept in /var/run/runlevel as "previous current".
 * Run as anything but pid 1, init is telinit. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mica/inittab.h"
#include "mica/posix.h"
#include "mica/syscall.h"

#define MAX_ENTRIES   32
#define DEFAULT_LEVEL '2'
#define KILL_GRACE_US 3000000ul /* SIGTERM to SIGKILL */
#define REBOOT_STATUS 6         /* QEMU's exit status for runlevel 6 */
#define INITCTL       "/var/run/initctl"
#define RUNLEVEL_FILE "/var/run/runlevel"

static struct inittab_entry tab[MAX_ENTRIES];
static pid_t running[MAX_ENTRIES];
static unsigned long started[MAX_ENTRIES][10]; /* last spawn times, microseconds */
static int ntab;
static char level = 'N', prevlevel = 'N';
static volatile sig_atomic_t got_request;

static void on_sighup(int sig)
{
	(void)sig;
	got_request = 1;
}

static void bad_line(void *ctx, int line, const char *msg)
{
	(void)ctx, (void)line;
	printf("init: /etc/inittab: %s\n", msg);
}

static unsigned long now_us(void)
{
	return (unsigned long)mica_time();
}

/* Splits the process field on blanks into argv (in place). */
static pid_t start(struct inittab_entry *e)
{
	char *argv[16], *envp[] = {"PATH=/bin", "HOME=/", "TERM=vt100", NULL};
	char runlevel[] = "RUNLEVEL=?", prev[] = "PREVLEVEL=?";
	int argc = 0;
	for (char *t = strtok(e->process, " \t"); t && argc < 15; t = strtok(NULL, " \t"))
		argv[argc++] = t;
	argv[argc] = NULL;
	if (!argc)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		char *env[] = {envp[0], envp[1], envp[2], runlevel, prev, NULL};
		runlevel[9] = level;
		prev[10] = prevlevel;
		signal(SIGHUP, SIG_DFL);
		setsid(); /* its own session: a shell there leads its jobs */
		execve(argv[0], argv, env);
		printf("init: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	return pid;
}

/* Runs e's process with the field intact afterwards. */
static pid_t start_copy(struct inittab_entry *e)
{
	char copy[sizeof(e->process)];
	memcpy(copy, e->process, sizeof(copy));
	pid_t pid = start(e);
	memcpy(e->process, copy, sizeof(copy));
	return pid;
}

static void note_exit(pid_t pid);

static void run_and_wait(struct inittab_entry *e)
{
	pid_t pid = start_copy(e), got;
	int status;
	while (pid > 0 && (got = wait(&status)) != pid)
		if (got > 0)
			note_exit(got);
		else if (errno == ECHILD)
			break;
}

/* sysvinit's guard: ten respawns within five seconds is a loop (a
 * program that cannot start, a dead console); wait before the next. */
static void respawn_guard(int i)
{
	unsigned long now = now_us();
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
	running[i] = start_copy(&tab[i]);
}

static bool in_level(int i, char l)
{
	return inittab_action_used(tab[i].action) && inittab_in_runlevel(&tab[i], l);
}

/* A child ended: forget it, and restart it if it must keep running. */
static void note_exit(pid_t pid)
{
	for (int i = 0; i < ntab; i++) {
		if (running[i] != pid)
			continue;
		running[i] = 0;
		if (tab[i].action == IA_RESPAWN && in_level(i, level))
			spawn_entry(i);
	}
}

/* Reaps without restarting anything (init is between levels). */
static void forget_exit(pid_t pid, pid_t *v, int n)
{
	for (int i = 0; i < ntab; i++)
		if (running[i] == pid)
			running[i] = 0;
	for (int j = 0; j < n; j++)
		if (v[j] == pid)
			v[j] = 0;
}

static int alive(const pid_t *v, int n)
{
	int k = 0;
	for (int j = 0; j < n; j++)
		k += v[j] > 0;
	return k;
}

static void signal_all(const pid_t *v, int n, int sig)
{
	for (int j = 0; j < n; j++)
		if (v[j] > 0) {
			kill(-v[j], sig); /* its session's group, with what it started */
			kill(v[j], sig);  /* in case it has not called setsid yet */
		}
}

/* Stops the n processes of v (everything but init when n < 0): SIGTERM,
 * reaping for KILL_GRACE_US, then SIGKILL and reaping. */
static void stop_pids(pid_t *v, int n)
{
	bool everyone = n < 0;
	if (everyone)
		kill(-1, SIGTERM);
	else if (alive(v, n))
		signal_all(v, n, SIGTERM);
	else
		return;
	for (int pass = 0; pass < 2; pass++) {
		unsigned long end = now_us() + KILL_GRACE_US;
		while (now_us() < end && (everyone || alive(v, n))) {
			int status;
			pid_t pid = waitpid(-1, &status, WNOHANG);
			if (pid > 0)
				forget_exit(pid, v, everyone ? 0 : n);
			else if (pid < 0 && errno == ECHILD)
				break;
			else
				usleep(20000);
		}
		if (pass == 0 && everyone)
			kill(-1, SIGKILL);
		else if (pass == 0 && alive(v, n))
			signal_all(v, n, SIGKILL);
		else if (pass == 0)
			break;
	}
}

/* Stops the entries that have no place in level l. */
static void stop_others(char l)
{
	pid_t v[MAX_ENTRIES];
	int n = 0;
	for (int i = 0; i < ntab; i++)
		if (running[i] > 0 && !in_level(i, l))
			v[n++] = running[i];
	if (n) {
		printf("INIT: Sending processes the TERM signal\n");
		fflush(stdout);
	}
	stop_pids(v, n);
}

/* Starts level l's entries: wait and once only when entering it. */
static void start_level(char l, bool entering)
{
	for (int i = 0; i < ntab; i++) {
		if (!in_level(i, l) || running[i] > 0)
			continue;
		enum inittab_action a = tab[i].action;
		if (a == IA_WAIT && entering)
			run_and_wait(&tab[i]);
		else if ((a == IA_ONCE && entering) || a == IA_RESPAWN)
			spawn_entry(i);
	}
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

static void write_runlevel(void)
{
	char line[] = {prevlevel, ' ', level, '\n'};
	int fd = open(RUNLEVEL_FILE, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0) {
		if (write(fd, line, sizeof(line)) < 0)
			printf("init: %s: %s\n", RUNLEVEL_FILE, strerror(errno));
		close(fd);
	}
}

/* Reads /etc/inittab into t; adds a root shell for 1 and S (sysvinit's
 * built-in sulogin) if no entry names them. */
static int load(struct inittab_entry *t)
{
	static char text[4096];
	int n = read_file("/etc/inittab", text, sizeof(text));
	if (n < 0) {
		printf("init: cannot read /etc/inittab; starting /bin/sh\n");
		n = snprintf(text, sizeof(text), "sh:2345:respawn:/bin/sh\n");
	}
	int k = inittab_parse(text, (size_t)n, t, MAX_ENTRIES - 1, bad_line, NULL);
	bool named_s = false, named_1 = false;
	for (int i = 0; i < k; i++) {
		if (!t[i].runlevels[0] || t[i].action == IA_INITDEFAULT)
			continue;
		named_s |= inittab_in_runlevel(&t[i], 'S');
		named_1 |= inittab_in_runlevel(&t[i], '1');
	}
	if (!named_s || !named_1) {
		struct inittab_entry *e = &t[k++];
		memset(e, 0, sizeof(*e));
		strcpy(e->id, "~~");
		strcpy(e->runlevels, !named_s && !named_1 ? "S1" : !named_s ? "S" : "1");
		e->action = IA_RESPAWN;
		strcpy(e->process, "/bin/sh");
	}
	return k;
}

/* Re-reads /etc/inittab (telinit q): entries keep their processes by id;
 * those gone or no longer in this level are stopped, new ones started. */
static void reload(void)
{
	static struct inittab_entry next[MAX_ENTRIES];
	static pid_t next_running[MAX_ENTRIES];
	static unsigned long next_started[MAX_ENTRIES][10];
	pid_t gone[MAX_ENTRIES];
	int ngone = 0, n = load(next);
	printf("INIT: Re-reading inittab\n");
	memset(next_running, 0, sizeof(next_running));
	memset(next_started, 0, sizeof(next_started));
	for (int i = 0; i < ntab; i++) {
		int j = 0;
		while (j < n && strcmp(next[j].id, tab[i].id) != 0)
			j++;
		if (j < n) {
			next_running[j] = running[i];
			memcpy(next_started[j], started[i], sizeof(started[i]));
		} else if (running[i] > 0) {
			gone[ngone++] = running[i];
		}
	}
	memcpy(tab, next, sizeof(tab));
	memcpy(running, next_running, sizeof(running));
	memcpy(started, next_started, sizeof(started));
	ntab = n;
	stop_pids(gone, ngone);
	stop_others(level);
	start_level(level, false);
}

static void power_down(char l)
{
	printf("INIT: %s\n", l == '0' ? "powering off" : "rebooting");
	fflush(stdout);
	sync();
	if (l == '6')
		printf("init: Mica cannot reset QEMU; powering off with status %d\n",
		       REBOOT_STATUS);
	mica_reboot_poweroff(l == '0' ? 0 : REBOOT_STATUS);
	printf("init: power off failed: %s\n", strerror(errno));
}

static void change_level(char l)
{
	printf("INIT: Switching to runlevel: %c\n", l);
	fflush(stdout);
	stop_others(l);
	if (l == '0' || l == '6' || l == 'S' || l == '1') {
		printf("INIT: Sending processes the KILL signal\n");
		fflush(stdout);
		stop_pids(NULL, -1);
	}
	if (l != level) {
		prevlevel = level;
		level = l;
	}
	write_runlevel();
	if (l == '0' || l == '6')
		power_down(l);
	start_level(l, true);
}

static char fold(char c)
{
	return c == 's' ? 'S' : c == 'q' ? 'Q' : c;
}

static bool valid_level(char c)
{
	return (c >= '0' && c <= '6') || c == 'S';
}

static void handle_request(void)
{
	char buf[8];
	int n = read_file(INITCTL, buf, sizeof(buf));
	if (n <= 0)
		return;
	unlink(INITCTL);
	char c = fold(buf[0]);
	if (c == 'Q')
		reload();
	else if (valid_level(c))
		change_level(c);
	else
		printf("init: bad request '%c' in %s\n", buf[0], INITCTL);
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

static void boot(void)
{
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < ntab; i++) {
			enum inittab_action a = tab[i].action;
			if ((pass == 0 && a == IA_SYSINIT) || (pass == 1 && a == IA_BOOTWAIT))
				run_and_wait(&tab[i]);
			else if (pass == 1 && a == IA_BOOT)
				running[i] = start_copy(&tab[i]);
		}
	mkdir("/var", 0755);
	mkdir("/var/run", 0755);
	unlink(INITCTL);
	char l = inittab_initdefault(tab, ntab);
	if (!valid_level(l) || l == '0' || l == '6') {
		if (l)
			printf("init: initdefault %c is not a level to boot into; using %c\n", l,
			       DEFAULT_LEVEL);
		l = DEFAULT_LEVEL;
	}
	level = l;
	write_runlevel();
	start_level(level, true);
}

int main(int argc, char **argv)
{
	if (getpid() != 1) {
		argv[0] = "telinit";
		execv("/bin/telinit", argv);
		perror("init: /bin/telinit");
		(void)argc;
		return 1;
	}
	open_console();
	struct sigaction sa = {.sa_handler = on_sighup}; /* no SA_RESTART: wait ends */
	sigaction(SIGHUP, &sa, NULL);
	ntab = load(tab);
	boot();
	for (;;) { /* reap; restart what must keep running; serve telinit */
		if (got_request) {
			got_request = 0;
			handle_request();
			continue;
		}
		int status;
		pid_t pid = wait(&status);
		if (pid > 0)
			note_exit(pid);
		else if (errno != EINTR)
			sleep(1);
	}
}
