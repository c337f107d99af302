/* hostile: programs that attack the system the way issue 7's table says,
 * one per subcommand. Each prints what the system answered; the system
 * scenarios check the answers and that everything else still works.
 * Usage: hostile TEST [N]; "hostile" alone lists the tests. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mica/posix.h"
#include "mica/proto/con.h"
#include "mica/proto/pm.h"
#include "mica/syscall.h"

static void say(const char *what, long r)
{
	printf("hostile: %s: %ld\n", what, r);
	fflush(stdout);
}

/* A task of ours with a thread that is ready to run, destroyed at once.
 * With a supervisor nobody listens to, the exit messages pile up until
 * the account's thread limit says no. */
static int destroy_ready(int n, bool supervised)
{
	long ep = supervised ? mica_ep_create() : -1;
	for (int i = 0; i < n; i++) {
		long t = mica_task_create("victim", ep, 7, 0);
		long th =
		    t < 0 ? t : mica_thread_create(t, (void *)0x10000, (void *)0x20000, 0, i % 9);
		long k = t < 0 ? t : mica_task_kill(t, 0);
		if (t < 0 || th < 0 || k < 0) {
			say("destroy-ready refused after", i);
			say("with error", t < 0 ? t : th < 0 ? th : k);
			return 1;
		}
		mica_handle_close(t);
	}
	say("destroyed tasks with ready threads", n);
	return 0;
}

/* A one-way "task exit" message to pm carrying our own badge. */
static int fake_exit(void)
{
	struct ipc_msg m = {.tag = MAKE_TAG(MSG_TASK_EXIT, 0), .m = {0, 0}};
	say("sent a forged exit message", mica_send(SLOT_PM, &m));
	m.tag = MAKE_TAG(MSG_TASK_FAULT, 0);
	say("sent a forged fault message", mica_send(SLOT_PM, &m));
	say("still alive as pid", getpid());
	return 0;
}

/* A task supervised by pm's endpoint with init's badge, then faulting. */
static int forge_super(void)
{
	long t = mica_task_create("forged", SLOT_PM, 1, 0);
	say("task_create with pm as supervisor", t);
	if (t >= 0) {
		mica_thread_create(t, (void *)0x10000, (void *)0x20000, 0, 1);
		sleep(1);
	}
	/* With our own endpoint it works, and the report is the kernel's. */
	long ep = mica_ep_create(), c = mica_task_create("own", ep, 42, 0);
	mica_thread_create(c, (void *)0x10000, (void *)0x20000, 0, 1);
	struct ipc_msg m;
	long r = mica_recv(ep, 2000000, &m);
	say("own supervisor heard a fault",
	    r == 0 && TAG_LABEL(m.tag) == MSG_TASK_FAULT && (m.tag & TAG_KERNEL) && m.badge == 42);
	return 0;
}

/* Keeps a handle to a dead task while n more tasks come and go. */
static int stale_handle(int n)
{
	long ep = mica_ep_create(), dead = mica_task_create("first", ep, 0, 0);
	unsigned long word = 0;
	mica_vm_map(dead, 0x10000, 4096, PROT_READ_ | PROT_WRITE_);
	mica_task_kill(dead, 0);
	for (int i = 0; i < n; i++) {
		long t = mica_task_create("next", ep, 0, 0);
		if (t < 0) {
			say("task_create failed at", i);
			return 1;
		}
		mica_vm_map(t, 0x10000, 4096, PROT_READ_ | PROT_WRITE_);
		if (i == n - 1) /* the newest task lives on while we try the stale handle */
			break;
		mica_task_kill(t, 0);
		mica_handle_close(t);
	}
	say("created and killed tasks", n);
	say("vm_read through the stale handle", mica_vm_read(dead, 0x10000, &word, 8));
	say("vm_write through the stale handle", mica_vm_write(dead, 0x10000, &word, 8));
	return 0;
}

/* Creates tasks and memory that only our death can free. */
static int leak(int tasks, int mib)
{
	long ep = mica_ep_create(), made = 0;
	for (int i = 0; i < tasks + 4; i++)
		made += mica_task_create("leak", ep, 0, 0) >= 0;
	say("tasks created (limit reached after)", made);
	if (mib) {
		long t = mica_task_create("big", ep, 0, 0);
		if (t < 0)
			t = HANDLE_SELF;
		say("mapped MiB", mica_vm_map(t, 0x40000000, (unsigned long)mib << 20,
		                              PROT_READ_ | PROT_WRITE_) == 0
		                      ? mib
		                      : -1);
	}
	return 0;
}

/* Calls pm n times, each carrying a handle of ours. */
static int send_handles(int n)
{
	long ep = mica_ep_create(), ok = 0;
	for (int i = 0; i < n; i++) {
		struct ipc_msg m = {.tag = TAG_WITH_HANDLE(MAKE_TAG(PM_GETPID, 0), ep)};
		ok += mica_call(SLOT_PM, &m) == 0;
	}
	say("calls to pm with a handle", ok);
	return 0;
}

/* Forks until refused; every child leaves the group first. */
static __attribute__((noreturn)) int forkbomb(void)
{
	for (;;) {
		pid_t p = fork();
		if (p == 0) {
			setpgid(0, 0);
			continue;
		}
		if (p < 0)
			sleep(100);
	}
}

/* n children each waiting to read a line from the console. */
static int readers(int n)
{
	for (int i = 0; i < n; i++) {
		if (fork() == 0) {
			char line[64];
			ssize_t r = read(0, line, sizeof(line));
			printf("hostile: reader %d got %zd bytes\n", i, r);
			_exit(0);
		}
	}
	while (wait(NULL) > 0)
		;
	return 0;
}

/* A child waits for a console line and is killed; the line typed after
 * that must reach us, not the dead child. */
static int dead_reader(void)
{
	char line[64];
	pid_t c = fork();
	if (c == 0) {
		ssize_t r = read(0, line, sizeof(line));
		printf("hostile: the dead reader got %zd bytes\n", r);
		_exit(0);
	}
	sleep(1);
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);
	printf("hostile: reader killed; type a line\n");
	fflush(stdout);
	ssize_t r = read(0, line, sizeof(line) - 1);
	line[r > 0 ? r : 0] = 0;
	printf("hostile: parent got: %s", line);
	return 0;
}

/* n children that each bind a notification and exit. */
static int bound(int n)
{
	for (int i = 0; i < n; i++) {
		pid_t p = fork();
		if (p == 0) {
			long nt = mica_ntfn_create();
			_exit(nt < 0 || mica_ntfn_bind(nt) < 0);
		}
		int st;
		waitpid(p, &st, 0);
		if (st) {
			say("bind failed in child", i);
			return 1;
		}
	}
	say("children bound a notification and died", n);
	say("one more notification", mica_ntfn_create() >= 0);
	return 0;
}

static int srvkill(const char *name)
{
	struct ipc_msg m = {.tag = MAKE_TAG(PM_SRVKILL, 0),
	                    .m = {strcmp(name, "fs") ? PM_SRV_CONSOLE : PM_SRV_FS}};
	long r = mica_call(SLOT_PM, &m);
	say("server kill", r < 0 ? r : PROTO_RESULT(m.tag));
	return 0;
}

/* --- tracers that do not answer ------------------------------------------ */

static long pm_trace(long pid, long ep)
{
	struct ipc_msg m = {.tag = TAG_WITH_HANDLE(MAKE_TAG(PM_TRACE, 0), ep),
	                    .m = {(unsigned long)pid, 0}};
	long r = mica_call(SLOT_PM, &m);
	return r < 0 ? r : PROTO_RESULT(m.tag);
}

/* A child that writes a byte to fd every 10 ms and checks every write:
 * a traced call must run with its own arguments. */
static pid_t ticker(int fds[2])
{
	pid_t c = fork();
	if (c == 0) {
		close(fds[0]);
		for (;;) {
			if (write(fds[1], "x", 1) != 1)
				_exit(3);
			usleep(10000);
		}
	}
	return c;
}

/* Bytes the ticker wrote in ms milliseconds (the pipe does not block). */
static long ticks(int fd, int ms)
{
	char buf[256];
	long n = 0, r;
	for (int t = 0; t <= ms; t += 20) {
		while ((r = read(fd, buf, sizeof(buf))) > 0)
			n += r;
		usleep(20000);
	}
	return n;
}

static char state_of(pid_t pid)
{
	static struct pm_procinfo ps[IPC_MAX / sizeof(struct pm_procinfo)];
	int n = mica_ps(ps, (int)(sizeof(ps) / sizeof(ps[0])));
	for (int i = 0; i < n; i++)
		if (ps[i].pid == pid)
			return ps[i].state;
	return '?';
}

/* pm's policy, a tracer that never answers (only the traced process
 * waits, and closing the endpoint frees it), one that dies holding a
 * report, and a process killed while it waits for its tracer. */
static int mute_tracer(void)
{
	int fds[2];
	if (pipe(fds) < 0 || fcntl(fds[0], F_SETFL, O_NONBLOCK) < 0)
		return 1;
	pid_t c = ticker(fds);
	long ep = mica_ep_create(), ep2 = mica_ep_create();
	say("ticker runs", ticks(fds[0], 200) > 0);
	say("trace of a child", pm_trace(c, ep));
	ticks(fds[0], 100); /* what it wrote before its next call */
	say("traced child stopped at its next call", ticks(fds[0], 300) == 0);
	say("ps shows it in tracing stop", state_of(c) == 't');
	say("a second tracer", pm_trace(c, ep2));
	say("trace init", pm_trace(1, ep2));
	say("trace a server", pm_trace(2, ep2));
	say("trace ourselves", pm_trace(getpid(), ep2));
	say("trace nobody", pm_trace(99999, ep2));
	pid_t u = fork(); /* another user may not trace root's process */
	if (u == 0)
		_exit(setuid(65534) < 0 ? 2 : pm_trace(c, mica_ep_create()) == -EPERM);
	int st_u;
	waitpid(u, &st_u, 0);
	say("another user's trace refused", WIFEXITED(st_u) ? WEXITSTATUS(st_u) : -1);
	struct stat st;
	say("the system answers meanwhile", getppid() > 0 && stat("/", &st) == 0);
	mica_handle_close(ep);
	say("child runs on once the tracer let go", ticks(fds[0], 300) > 0);
	/* a tracer process that takes one report and dies without answering */
	pid_t t = fork();
	if (t == 0) {
		struct ipc_msg m;
		long e = mica_ep_create(); /* handles other than 0..2 are not forked */
		if (pm_trace(c, e) < 0 || mica_recv(e, 2000000, &m) < 0)
			_exit(1);
		_exit(0);
	}
	int st_t;
	waitpid(t, &st_t, 0);
	say("tracer took a report and died", WIFEXITED(st_t) ? WEXITSTATUS(st_t) : -1);
	ticks(fds[0], 100);
	say("child runs on after its tracer died", ticks(fds[0], 300) > 0);
	/* stopped for a report of ours, then killed */
	long ep3 = mica_ep_create();
	struct ipc_msg m;
	say("traced again", pm_trace(c, ep3));
	say("report received", mica_recv(ep3, 2000000, &m) == 0 && (m.tag & TAG_KERNEL));
	kill(c, SIGKILL);
	int st_c;
	waitpid(c, &st_c, 0);
	say("killed while stopped, signal", WIFSIGNALED(st_c) ? WTERMSIG(st_c) : -1);
	mica_handle_close(ep2);
	mica_handle_close(ep3);
	return 0;
}

int main(int argc, char **argv)
{
	const char *t = argc > 1 ? argv[1] : "";
	int n = argc > 2 ? atoi(argv[2]) : 0;
	if (!strcmp(t, "destroy-ready"))
		return destroy_ready(n ? n : 100, false);
	if (!strcmp(t, "unheard-exits"))
		return destroy_ready(n ? n : 100, true);
	if (!strcmp(t, "fake-exit"))
		return fake_exit();
	if (!strcmp(t, "forge-super"))
		return forge_super();
	if (!strcmp(t, "stale-handle"))
		return stale_handle(n ? n : 65600);
	if (!strcmp(t, "leak"))
		return leak(16, n);
	if (!strcmp(t, "send-handles"))
		return send_handles(n ? n : 70);
	if (!strcmp(t, "forkbomb"))
		return forkbomb();
	if (!strcmp(t, "dead-reader"))
		return dead_reader();
	if (!strcmp(t, "mute-tracer"))
		return mute_tracer();
	if (!strcmp(t, "readers"))
		return readers(n ? n : 16);
	if (!strcmp(t, "vm-write-text")) {
		say("SYS_VM_WRITE on our own text",
		    mica_vm_write(HANDLE_SELF, (unsigned long)main, "\0\0\0\0", 4));
		/* a copy of ourselves with no thread yet takes a loader's writes,
		 * but its text is the page cache's, which every process running
		 * this program shares: the write must not reach it */
		long t2 = mica_task_create("clone", -1, 0, 0);
		long r = t2 < 0 ? t2 : mica_vm_clone(t2, HANDLE_SELF);
		if (r >= 0)
			r = mica_vm_write(t2, (unsigned long)main, "\0\0\0\0", 4);
		say("SYS_VM_WRITE on a clone's shared text", r);
		unsigned first;
		memcpy(&first, (const void *)main, 4);
		say("our text still runs", first != 0 ? 0 : -1);
	} else if (!strcmp(t, "bound"))
		return bound(n ? n : 150);
	else if (!strcmp(t, "srvkill") && argc > 2)
		return srvkill(argv[2]);
	else
		fprintf(stderr,
		        "usage: hostile "
		        "destroy-ready|unheard-exits|fake-exit|forge-super|stale-handle|leak|"
		        "send-handles|forkbomb|readers|dead-reader|vm-write-text|bound|mute-tracer|"
		        "srvkill "
		        "[N|fs|console]\n");
	return 0;
}
