/* pm as a client of fs: starting it, filling its root from the boot
 * archive, reading programs for exec, and keeping /proc's rows current.
 * pm calls fs through host_call (payloads at host_buf; file data through
 * a window of pm's memory, up to FS_RW_MAX a call); fs never calls pm,
 * so the two cannot deadlock. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mica/cpio.h"
#include "mica/errno.h"
#include "mica/host.h"
#include "mica/proto/blk.h"
#include "mica/proto/fs.h"
#include "mica/runtime.h"
#include "proc.h"

long fsc_call(unsigned op, unsigned long m0, unsigned long m1, unsigned long m2, size_t len,
              long handle)
{
	struct host_call c = {.op = op, .m = {m0, m1, m2}, .len = len, .handle = handle};
	if (pm.fs_dead)
		return -EIO;
	long r = host_call(pm.fs, &c);
	return r < 0 ? r : c.result;
}

/* Sends one archive entry: a directory, or a file's path with its bytes
 * lent as a window (read-only), FS_RW_MAX at a time. */
static int load_entry(const struct cpio_file *f)
{
	char *buf = host_buf();
	size_t plen = f->namelen + 1, off = 0;
	if (plen + 1 >= IPC_MAX)
		return -ENAMETOOLONG;
	if ((f->mode & 0170000) == 0040000) {
		buf[0] = '/';
		memcpy(buf + 1, f->name, f->namelen);
		buf[plen] = 0;
		return (int)fsc_call(FS_PM_LOAD, f->mode, 0, 1, plen + 1, -1);
	}
	do {
		size_t n = f->size - off < FS_RW_MAX ? f->size - off : FS_RW_MAX;
		struct host_call c = {.op = FS_PM_LOAD,
		                      .m = {f->mode, off},
		                      .len = plen + 1,
		                      .handle = -1,
		                      .win = n ? (char *)f->data + off : NULL,
		                      .win_len = n};
		buf[0] = '/';
		memcpy(buf + 1, f->name, f->namelen);
		buf[plen] = 0;
		long r = pm.fs_dead ? -EIO : host_call(pm.fs, &c);
		if ((r = r < 0 ? r : c.result) < 0)
			return (int)r;
		off += n;
	} while (off < f->size);
	return 0;
}

int fsc_start(void)
{
	size_t off = 0;
	struct cpio_file f;
	int files = 0;
	/* slot 0 its endpoint, slot 1 blk's (its disks) */
	long g[] = {pm.fs_ep, mica_handle_grant(HANDLE_SELF, pm.blk_ep, BLK_BADGE_FS,
	                                        RIGHT_SEND | RIGHT_GRANT)};
	struct host_server o = {.name = "fs",
	                        .super_ep = pm.ep,
	                        .badge = PM_BADGE_FS,
	                        .prio = PRIO_DEFAULT + 1,
	                        .grant = g,
	                        .ngrant = g[1] < 0 ? 1 : 2};
	pm.fs = mica_handle_grant(HANDLE_SELF, pm.fs_ep, FS_BADGE_PM, RIGHT_SEND);
	pm.fs_task = pm.fs < 0 ? -1 : host_spawn_server(&o);
	if (g[1] >= 0)
		mica_handle_close(g[1]);
	if (pm.fs_task < 0)
		return -ENOENT;
	/* file data is limited by memory (fs's own policy), not by a share */
	mica_task_limit(pm.fs_task, LIMIT_FRAMES, 0);
	/* fs alone receives on its endpoint: when it dies, callers hear so */
	pm.fs_ep = handle_narrow(pm.fs_ep, RIGHT_SEND | RIGHT_GRANT);
	while (cpio_next((const void *)mica_start_arg[0], mica_start_arg[1], &off, &f) == 1) {
		int err = load_entry(&f);
		if (err)
			printf("pm: /%.*s: not loaded (error %d)\n", (int)f.namelen, f.name, err);
		else
			files++;
	}
	printf("pm: %d files and directories from the boot archive in /\n", files);
	return 0;
}

/* With fs gone, exec still finds the programs of the boot archive, so
 * the shell can run poweroff. */
static long archive_read_file(const char *path, void **data, size_t *size)
{
	const void *f;
	size_t n;
	while (*path == '/')
		path++;
	if (mica_archive_find(path, &f, &n) || !(*data = malloc(n ? n : 1)))
		return -ENOENT;
	memcpy(*data, f, n);
	*size = n;
	return 0;
}

long fsc_open_program(int pid, const char *path)
{
	char *buf = host_buf();
	size_t len = strlen(path);
	if (len + 1 > IPC_MAX)
		return -ENAMETOOLONG;
	memcpy(buf, path, len + 1);
	return fsc_call(FS_PM_OPEN, (unsigned long)pid, 0, 0, len + 1, -1);
}

long fsc_read_fd(long fd, void **data, size_t *size)
{
	size_t cap = 65536, have = 0;
	char *buf = host_buf(), *out = malloc(cap);
	long r = out ? 1 : -ENOMEM;
	while (r > 0) {
		if (have == cap && !(out = realloc(out, cap *= 2))) {
			r = -ENOMEM;
			break;
		}
		size_t n = cap - have < FS_RW_MAX ? cap - have : FS_RW_MAX;
		struct host_call c = {.op = FS_READ,
		                      .m = {(unsigned long)fd, n},
		                      .handle = -1,
		                      .win = out + have,
		                      .win_len = n,
		                      .win_out = true};
		r = host_call(pm.fs, &c);
		r = r < 0 ? r : c.result == 0 ? (long)c.rm[0] : c.result;
		if (r > 0 && c.result > 0) /* answered as a payload */
			memcpy(out + have, buf, (size_t)r);
		if (r > 0)
			have += (size_t)r;
	}
	if (r < 0) {
		free(out);
		return r;
	}
	*data = out;
	*size = have;
	return 0;
}

long fsc_read_file(int pid, const char *path, void **data, size_t *size)
{
	if (pm.fs_dead)
		return archive_read_file(path, data, size);
	long fd = fsc_open_program(pid, path);
	if (fd < 0)
		return fd;
	long r = fsc_read_fd(fd, data, size);
	fsc_call(FS_CLOSE, (unsigned long)fd, 0, 0, 0, -1);
	return r;
}

void fsc_proc_update(struct proc *p, bool with_task)
{
	struct fs_proc *row = host_buf();
	*row = (struct fs_proc){.pid = p->pid,
	                        .ppid = p->ppid,
	                        .uid = p->uid,
	                        .gid = p->gid,
	                        .state = p->state == P_FREE     ? 0
	                                 : p->state == P_ZOMBIE ? 'Z'
	                                 : p->stopped           ? 'T'
	                                                        : 'S',
	                        .cmdline_len = p->cmdline_len,
	                        .sigign = p->sa.ign,
	                        .sigcgt = p->sa.caught,
	                        .shdpnd = p->sigpend,
	                        .sigpnd = p->sig_pnd,
	                        .sigblk = p->sig_blk,
	                        .ruid = p->ruid,
	                        .rgid = p->rgid,
	                        .suid = p->suid,
	                        .sgid = p->sgid,
	                        .ngroups = p->ngroups};
	memcpy(row->groups, p->groups, sizeof(row->groups));
	memcpy(row->name, p->name, sizeof(row->name));
	memcpy(row->cmdline, p->cmdline, sizeof(row->cmdline));
	size_t len = sizeof(*row);
	if (p->state == P_ALIVE) {
		vm_stats(p, row);
		row->maps = (char)p->maps_state;
		if (p->maps_state == FS_MAPS_TEXT) /* changed since fs last heard */
			len += vm_maps(p, (char *)(row + 1), IPC_MAX - sizeof(*row));
		p->maps_state = FS_MAPS_KEEP;
	}
	/* fs may read the task's counters, nothing more */
	long ro = with_task && p->task >= 0
	              ? mica_handle_grant(HANDLE_SELF, p->task, 0, RIGHT_TASK_READ | RIGHT_GRANT)
	              : -1;
	fsc_call(FS_PM_PROC, 0, 0, 0, len, ro);
	if (ro >= 0)
		mica_handle_close(ro);
}
