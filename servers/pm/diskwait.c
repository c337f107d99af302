/* pm never waits for a disk either. When fs answers FS_EWAIT (a program,
 * or a directory on its path, is still being read from a disk), the exec
 * is saved with its payload and its caller stays blocked; fs signals our
 * notification when blocks have arrived, and every saved exec runs again
 * from the start (docs/ext2.md). The same in both placements. */
#include <stdio.h>
#include <string.h>

#include "mica/errno.h"
#include "mica/host.h"
#include "mica/proto/fs.h"
#include "mica/runtime.h"
#include "proc.h"

#define MAX_EXECS 16
static struct {
	struct srv_req req;
	srv_handler run;
	bool used;
	unsigned char data[IPC_MAX];
} saved[MAX_EXECS];

/* root=: the root file system's disk */
static char root_dev[32];

void pm_diskwait_start(void)
{
	long n = mica_ntfn_create();
	if (n < 0 || mica_ntfn_bind(n))
		return;
	/* the same notification ticks for the OOM killer (proc.c) */
	mica_ntfn_timer(n, PM_NTFN_OOM, PM_OOM_TICK_US);
	struct host_call c = {.op = FS_PM_WAKE, .handle = n};
	host_call(pm.fs, &c);
}

int pm_later(srv_handler run, const struct srv_req *req, struct srv_rep *rep, const void *payload)
{
	for (int i = 0; i < MAX_EXECS; i++) {
		if (saved[i].used)
			continue;
		saved[i].used = true;
		saved[i].run = run;
		saved[i].req = *req;
		saved[i].req.handle = -1;
		/* the payload's copy: the IPC buffer has carried fs calls since */
		memcpy(saved[i].data, payload, req->len < IPC_MAX ? req->len : IPC_MAX);
		saved[i].req.data = saved[i].data;
		return SRV_DEFER;
	}
	rep->result = -EAGAIN; /* too many execs wait for the disk */
	return SRV_REPLY;
}

void pm_diskwait_notify(struct server *s)
{
	for (int i = 0; i < MAX_EXECS; i++) {
		if (!saved[i].used)
			continue;
		struct srv_rep rep = {.handle = -1};
		saved[i].used = false; /* a second miss saves it again */
		int r = saved[i].run(s, &saved[i].req, &rep);
		if (r == SRV_REPLY)
			srv_answer(s, saved[i].req.client, &rep, NULL);
	}
	pm_boot_continue();
}

int pm_mount_root(void)
{
	if (!root_dev[0] && (mica_bootarg("root", root_dev, sizeof(root_dev)) != 0 || !root_dev[0]))
		return 0;
	static const char rest[] = "\0/\0ext2";
	size_t n = strlen(root_dev);
	char *buf = host_buf();
	memcpy(buf, root_dev, n);
	memcpy(buf + n, rest, sizeof(rest));
	long r = fsc_call(FS_MOUNT, FS_MNT_ROOT, 0, 0, n + sizeof(rest), -1);
	if (r == -FS_EWAIT)
		return 1;
	if (r < 0)
		printf("pm: cannot mount the root file system %s (error %ld): the RAM root stays\n",
		       root_dev, -r);
	else
		printf("pm: root file system: %s (ext2)\n", root_dev);
	return 0;
}
