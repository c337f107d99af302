/* pm never waits for a disk either. When fs answers FS_EWAIT (a program,
 * or a directory on its path, is still being read from a disk), the exec
 * is saved with its payload and its caller stays blocked; fs signals our
 * notification when blocks have arrived, and every saved exec runs again
 * from the start (docs/ext2.md). The same in both placements. */
#include <string.h>

#include "mica/errno.h"
#include "mica/host.h"
#include "mica/proto/fs.h"
#include "proc.h"

#define MAX_EXECS 16
static struct {
	struct srv_req req;
	bool used;
	unsigned char data[IPC_MAX];
} saved[MAX_EXECS];

void pm_diskwait_start(void)
{
	long n = mica_ntfn_create();
	if (n < 0 || mica_ntfn_bind(n))
		return;
	struct host_call c = {.op = FS_PM_WAKE, .handle = n};
	host_call(pm.fs, &c);
}

int pm_exec_later(const struct srv_req *req, struct srv_rep *rep, const void *payload)
{
	for (int i = 0; i < MAX_EXECS; i++) {
		if (saved[i].used)
			continue;
		saved[i].used = true;
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
		int r = pm_do_exec(s, &saved[i].req, &rep);
		if (r == SRV_REPLY)
			srv_answer(s, saved[i].req.client, &rep, NULL);
	}
}
