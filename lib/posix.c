/* The POSIX layer over messages: process calls go to pm (slot 0), and
 * until the file-system server exists, descriptors 0, 1 and 2 are the
 * console (slot 1). Each call sets errno and returns -1 on failure. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mica/posix.h"
#include "mica/proto/con.h"
#include "mica/proto/pm.h"
#include "mica/runtime.h"
#include "mica/syscall.h"

char **environ;

static long fail(long r)
{
	if (r >= 0)
		return r;
	errno = (int)-r;
	return -1;
}

/* One request to a server; the result from the reply label. */
static long rpc(long slot, unsigned op, unsigned long m0, unsigned long m1, size_t len,
                struct ipc_msg *out)
{
	struct ipc_msg m = {.tag = MAKE_TAG(op, len), .m = {m0, m1}};
	if (!mica_ipcbuf()) /* replies may carry a payload: have somewhere to put it */
		return -ENOMEM;
	long r = mica_call(slot, &m);
	if (out)
		*out = m;
	return r < 0 ? r : PROTO_RESULT(m.tag);
}

pid_t getpid(void)
{
	return (pid_t)rpc(SLOT_PM, PM_GETPID, 0, 0, 0, NULL);
}

pid_t getppid(void)
{
	struct ipc_msg m;
	return rpc(SLOT_PM, PM_GETPID, 0, 0, 0, &m) < 0 ? -1 : (pid_t)m.m[0];
}

pid_t getpgrp(void)
{
	struct ipc_msg m;
	return rpc(SLOT_PM, PM_GETPID, 0, 0, 0, &m) < 0 ? -1 : (pid_t)m.m[1];
}

int setpgid(pid_t pid, pid_t pgid)
{
	return (int)fail(
	    rpc(SLOT_PM, PM_SETPGID, (unsigned long)pid, (unsigned long)pgid, 0, NULL));
}

pid_t fork(void)
{
	fflush(stdout);
	return (pid_t)fail(rpc(SLOT_PM, PM_FORK, 0, 0, 0, NULL));
}

/* Appends s and its NUL to the message buffer; -E2BIG if it does not fit. */
static long put(char *buf, size_t *len, const char *s)
{
	size_t n = strlen(s) + 1;
	if (*len + n > IPC_MAX)
		return -E2BIG;
	memcpy(buf + *len, s, n);
	*len += n;
	return 0;
}

int execve(const char *path, char *const argv[], char *const envp[])
{
	char *buf = mica_ipcbuf();
	size_t len = 0;
	long r = buf ? put(buf, &len, path) : -ENOMEM;
	for (int i = 0; r == 0 && argv && argv[i]; i++)
		r = put(buf, &len, argv[i]);
	if (r == 0)
		r = put(buf, &len, "");
	for (int i = 0; r == 0 && envp && envp[i]; i++)
		r = put(buf, &len, envp[i]);
	if (r == 0)
		r = put(buf, &len, "");
	if (r == 0) {
		fflush(stdout);
		r = rpc(SLOT_PM, PM_EXEC, 0, 0, len, NULL);
	}
	return (int)fail(r); /* only failures return */
}

pid_t waitpid(pid_t pid, int *status, int options)
{
	struct ipc_msg m;
	long r = rpc(SLOT_PM, PM_WAIT, (unsigned long)(long)pid,
	             (options & WNOHANG) ? PM_WNOHANG : 0, 0, &m);
	if (r > 0 && status)
		*status = (int)m.m[0];
	return (pid_t)fail(r);
}

pid_t wait(int *status)
{
	return waitpid(-1, status, 0);
}

int kill(pid_t pid, int sig)
{
	return (int)fail(
	    rpc(SLOT_PM, PM_KILL, (unsigned long)(long)pid, (unsigned long)sig, 0, NULL));
}

void mica_pm_exit(int status)
{
	struct ipc_msg m = {.tag = MAKE_TAG(PM_EXIT, 0), .m = {(unsigned long)status}};
	mica_call(SLOT_PM, &m); /* pm ends the task; no return */
	mica_exit(status);
}

int mica_ps(struct pm_procinfo *out, int max)
{
	long n = rpc(SLOT_PM, PM_PS, 0, 0, 0, NULL);
	if (n < 0)
		return (int)fail(n);
	n = n < max ? n : max;
	memcpy(out, mica_ipcbuf(), (size_t)n * sizeof(*out));
	return (int)n;
}

int mica_archive_read(const char *path, char *buf, size_t size)
{
	char *ipc = mica_ipcbuf();
	size_t len = strlen(path);
	if (len >= IPC_MAX)
		return (int)fail(-ENAMETOOLONG);
	memcpy(ipc, path, len);
	long n = rpc(SLOT_PM, PM_ARCHIVE, 0, 0, len, NULL);
	if (n < 0)
		return (int)fail(n);
	n = (size_t)n < size ? n : (long)size;
	memcpy(buf, ipc, (size_t)n);
	return (int)n;
}

int mica_reboot_poweroff(int code)
{
	fflush(stdout);
	return (int)fail(rpc(SLOT_PM, PM_POWEROFF, (unsigned long)code, 0, 0, NULL));
}

/* --- descriptors 0..2: the console ---------------------------------------- */

ssize_t write(int fd, const void *buf, size_t n)
{
	if (fd < 0 || fd > 2)
		return fail(-EBADF);
	size_t done = 0;
	char *ipc = mica_ipcbuf();
	while (done < n) {
		size_t chunk = n - done < IPC_MAX ? n - done : IPC_MAX;
		memcpy(ipc, (const char *)buf + done, chunk);
		long r = rpc(SLOT_CONSOLE, CON_WRITE, 0, 0, chunk, NULL);
		if (r < 0)
			return done ? (ssize_t)done : fail(r);
		done += (size_t)r;
	}
	return (ssize_t)done;
}

ssize_t read(int fd, void *buf, size_t n)
{
	if (fd < 0 || fd > 2)
		return fail(-EBADF);
	long r = rpc(SLOT_CONSOLE, CON_READ, n < IPC_MAX ? n : IPC_MAX, 0, 0, NULL);
	if (r > 0)
		memcpy(buf, mica_ipcbuf(), (size_t)r);
	return fail(r);
}

int isatty(int fd)
{
	return fd >= 0 && fd <= 2;
}

unsigned sleep(unsigned seconds)
{
	mica_sleep((long)seconds * 1000000L);
	return 0;
}

int usleep(useconds_t usec)
{
	mica_sleep((long)usec);
	return 0;
}

int mica_console_mode(int raw)
{
	return (int)fail(
	    rpc(SLOT_CONSOLE, CON_SETMODE, raw ? CON_MODE_RAW : CON_MODE_COOKED, 0, 0, NULL));
}

int tcsetpgrp(int fd, pid_t pgrp)
{
	(void)fd;
	return (int)fail(rpc(SLOT_CONSOLE, CON_SETFG, (unsigned long)pgrp, 0, 0, NULL));
}

uid_t getuid(void)
{
	struct ipc_msg m;
	return rpc(SLOT_PM, PM_GETPID, 0, 0, 0, &m) < 0 ? (uid_t)-1 : (uid_t)m.m[2];
}

gid_t getgid(void)
{
	struct ipc_msg m;
	return rpc(SLOT_PM, PM_GETPID, 0, 0, 0, &m) < 0 ? (gid_t)-1 : (gid_t)m.m[3];
}
