/* Disk file systems in the fs server: requests that wait for blocks,
 * mount/umount/sync, and writing dirty blocks back. A handler whose
 * operation missed a block (-EMISS: ext2 changed nothing) is saved with
 * its payload and its client deferred; when blk's completions bring
 * blocks, every saved request runs again from the start (docs/ext2.md).
 * Dirty blocks are written back every 5 s (a kernel timer signals our
 * notification every 100 ms), when they pass a quarter of the cache (the
 * request that crossed it signals us, so its reply goes first), and on
 * sync, fsync and umount. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blkdev.h"
#include "disk.h"
#include "ext2.h"
#include "fsreq.h"
#include "mica/errno.h"
#include "mica/host.h"
#include "mica/syscall.h"
#include "mounts.h"
#include "ramfs.h"
#include "files.h"

#ifndef ENOTBLK
#define ENOTBLK 15
#endif

#define MAX_SAVED  64
#define CACHE_STEP (1ul << 20) /* growth or shrinkage that has the cache measured again */
#define MAX_SYNC   16

struct saved {
	bool used;
	struct srv_req req;
	unsigned char data[IPC_MAX];
};

static struct {
	struct server *s;
	const srv_handler *real;
	long ntfn;     /* ours, signalled to write back after a request */
	long pm_ntfn;  /* pm's (FS_PM_WAKE), or -1 */
	bool pm_waits; /* pm was told FS_EWAIT since the last signal */
	bool flushing; /* writing every dirty block back: go on as blk makes room */
	struct saved saved[MAX_SAVED];
	srv_client syncers[MAX_SYNC];   /* sync and umount callers waiting for writes */
	struct ext2 *closing[MAX_SYNC]; /* with umount: the file system to free */
	int closing_disk[MAX_SYNC];
} mt;

void mounts_setup(struct server *s, const srv_handler *real, long ntfn)
{
	mt.s = s, mt.real = real, mt.ntfn = ntfn, mt.pm_ntfn = -1;
}

static int save(const struct srv_req *req, struct srv_rep *rep)
{
	for (int i = 0; req->call && i < MAX_SAVED; i++) {
		struct saved *sv = &mt.saved[i];
		if (sv->used)
			continue;
		sv->used = true;
		sv->req = *req;
		sv->req.handle = -1;
		memcpy(sv->data, req->data, req->len < IPC_MAX ? req->len : IPC_MAX);
		sv->req.data = sv->data;
		return SRV_DEFER;
	}
	rep->result = -EAGAIN; /* too many waiting for the disk */
	return SRV_REPLY;
}

/* Too much dirty: write back once the reply is out. A cache that grew
 * much is measured against free memory again. */
static void written_back_later(void)
{
	static size_t balanced;
	if (!mt.flushing && fs_bcache.st.dirty_bytes > fs_bcache.cap / 4 && mt.ntfn >= 0)
		mica_signal(mt.ntfn, FS_NTFN_FLUSH);
	if (fs_bcache.st.bytes > balanced + CACHE_STEP ||
	    fs_bcache.st.bytes + CACHE_STEP < balanced) {
		cache_balance();
		balanced = fs_bcache.st.bytes;
	}
}

/* Submits dirty blocks while blk takes them; the write-back ends when
 * none is left, or when nothing can be submitted and nothing is on its
 * way (a block that cannot be written fails the next sync). */
static void writeback(void)
{
	if (!mt.flushing)
		return;
	int r = bcache_flush(&fs_bcache, NULL);
	if (r >= 0 && fs_bcache.st.dirty == 0)
		mt.flushing = false;
	else if (r < 0 && bcache_writes_pending(&fs_bcache, NULL) == 0) {
		mt.flushing = false;
		fs_bcache.werr = -EIO;
	}
}

int fs_run(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	int r = mt.real[req->op](s, req, rep);
	if ((r & 0xff) == SRV_REPLY && rep->result == -EMISS) {
		/* pm cannot wait either: it hears "ask again" and is woken */
		if (from_pm(req)) {
			rep->result = -FS_EWAIT;
			mt.pm_waits = true;
			return r;
		}
		return save(req, rep);
	}
	written_back_later();
	return r;
}

/* Runs every saved request again; those that still miss stay. */
static void rerun(void)
{
	for (int i = 0; i < MAX_SAVED; i++) {
		struct saved *sv = &mt.saved[i];
		if (!sv->used)
			continue;
		struct srv_rep rep = {.handle = -1};
		int r = mt.real[sv->req.op](mt.s, &sv->req, &rep);
		if ((r & 0xff) == SRV_REPLY && rep.result == -EMISS)
			continue;
		if ((r & 0xff) == SRV_REPLY)
			srv_answer(mt.s, sv->req.client, &rep, srv_out(mt.s));
		sv->used = false;
	}
}

/* Sync and umount callers whose writes are all done. */
static void answer_syncers(void)
{
	if (mt.flushing || bcache_writes_pending(&fs_bcache, NULL))
		return;
	for (int i = 0; i < MAX_SYNC; i++) {
		if (!mt.syncers[i])
			continue;
		struct srv_rep rep = {.handle = -1};
		int d = mt.closing_disk[i];
		rep.result = bcache_sync(&fs_bcache, mt.closing[i] ? &fsdisks[d].bd : NULL);
		if (mt.closing[i]) {
			ext2_release(mt.closing[i]);
			fsdisks[d].fs = NULL;
		}
		srv_answer(mt.s, mt.syncers[i], &rep, NULL);
		mt.syncers[i] = 0, mt.closing[i] = NULL;
	}
}

void mounts_notify(unsigned long bits)
{
	/* only blocks that arrived can let a saved request go further; never
	 * re-run one in the flush that follows its own miss */
	if (bits & BLK_NTFN_BIT)
		rerun();
	/* Write back here, not by signalling ourselves again: while writes
	 * are in flight the blocks stay dirty, and a signal per notify would
	 * never end (inside the kernel, a recursion that ran off the stack). */
	static unsigned ticks;
	if (bits & FS_NTFN_TICK)
		cache_balance();
	if ((bits & FS_NTFN_FLUSH) || ((bits & FS_NTFN_TICK) && ++ticks % FS_WRITEBACK_TICKS == 0))
		mt.flushing = fs_bcache.st.dirty != 0;
	writeback();
	answer_syncers();
	if (mt.pm_waits && mt.pm_ntfn >= 0) {
		mt.pm_waits = false;
		mica_signal(mt.pm_ntfn, 1);
	}
}

int fs_do_pm_wake(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	if (!from_pm(req) || req->handle < 0 || mt.pm_ntfn >= 0)
		return fs_result(rep, -EPERM, 0);
	mt.pm_ntfn = req->handle;
	return fs_result(rep, 0, 0) | SRV_KEEP_HANDLE;
}

/* --- the cache's size ----------------------------------------------------------- */

/* Free memory above an eighth of RAM may hold cached blocks (up to half
 * of RAM); below it the cache shrinks until a quarter of RAM is free, so
 * programs get memory back within a tick (100 ms). Dirty and pinned
 * blocks stay either way. */
void cache_balance(void)
{
	struct kinfo k;
	if (mica_kinfo(&k))
		return;
	size_t total = k.frames_total * 4096, freeb = k.frames_free * 4096, low = total / 8;
	size_t cap = fs_bcache.st.bytes, lo = BCACHE_CAP_MIN, hi = total / 2;
	if (freeb > low)
		cap += freeb - low;
	else
		cap = cap > 2 * low - freeb ? cap - (2 * low - freeb) : 0;
	bcache_set_cap(&fs_bcache, cap < lo ? lo : cap > hi ? hi : cap);
}

void cache_info(struct cache_info *ci)
{
	const struct bcache_stats *st = &fs_bcache.st;
	*ci = (struct cache_info){.buffers = st->bytes - st->data_bytes,
	                          .cached = st->data_bytes,
	                          .dirty = st->dirty_bytes,
	                          .cap = fs_bcache.cap};
}

/* --- mount, umount, sync ------------------------------------------------------ */

static uint64_t clock_s(void *arg)
{
	(void)arg;
	return fs_now();
}

/* The disk a path names (a block device in /dev), or -errno. */
int disk_of_path(const struct fsreq *c, const char *path)
{
	struct vnode vn;
	struct vattr va;
	struct fsreq d = *c;
	d.path = path;
	int r = fsreq_target(&d, false, &vn);
	if (r < 0 || (r = vfs_getattr(&vfs, vn, &va)) < 0)
		return r;
	if (!VFS_ISBLK(va.mode))
		return -ENOTBLK;
	if (!DEV_IS_DISK(va.rdev))
		return -ENXIO;
	int k = DEV_DISK_NUM(va.rdev);
	return k < disk_count() ? k : -ENXIO;
}

/* FS_MOUNT with FS_MNT_ROOT: pm at boot, before init, when nothing is open
 * yet; the RAM root gives way and /dev and /proc move onto the disk's. */
static int mount_root(struct ext2 *fs, int d, const char *src, struct srv_rep *rep)
{
	struct vfs_fs f = {&ext2_ops, fs,  ext2_root(fs),
	                   "ext2",    src, ext2_is_rdonly(fs) ? VFS_MNT_RDONLY : 0};
	void *old;
	int r = files_open_in_mount(0) ? -EBUSY : vfs_switch_root(&vfs, &f, &old);
	if (r < 0) {
		ext2_release(fs);
		return fs_result(rep, r, 0);
	}
	files_move_cwds(0, vfs_root(&vfs));
	ramfs_destroy(old);
	fsdisks[d].fs = fs, fsdisks[d].mnt = 0;
	return fs_result(rep, 0, 0);
}

/* FS_MOUNT: payload "source\0target\0type\0", m0 FS_MNT_RDONLY. */
int fs_do_mount(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct fsreq c;
	fsreq_begin(&c, req);
	const char *src = req->data, *end = (const char *)req->data + req->len;
	const char *tgt = memchr(src, 0, req->len) ? src + strlen(src) + 1 : end;
	const char *type =
	    tgt < end && memchr(tgt, 0, (size_t)(end - tgt)) ? tgt + strlen(tgt) + 1 : end;
	if (type >= end || !memchr(type, 0, (size_t)(end - type)))
		return fs_result(rep, -EINVAL, 0);
	bool root = req->m[0] & FS_MNT_ROOT;
	if (c.cr.uid != 0 || (root && !from_pm(req)))
		return fs_result(rep, -EPERM, 0);
	if (strcmp(type, "ext2"))
		return fs_result(rep, -ENODEV, 0);
	int d = disk_of_path(&c, src);
	if (d < 0)
		return fs_result(rep, d, 0);
	if (fsdisks[d].fs)
		return fs_result(rep, -EBUSY, 0);
	struct ext2 *fs;
	unsigned fl = (req->m[0] & FS_MNT_RDONLY) ? EXT2_MNT_RDONLY : 0;
	int r = ext2_mount(&fs_bcache, &fsdisks[d].bd, fl, clock_s, NULL, &fs);
	if (r < 0)
		return fs_result(rep, r, 0); /* -EMISS: fs_run waits for the block */
	if (root)
		return mount_root(fs, d, src, rep);
	struct vfs_fs f = {&ext2_ops, fs,  ext2_root(fs),
	                   "ext2",    src, ext2_is_rdonly(fs) ? VFS_MNT_RDONLY : 0};
	r = vfs_mount(&vfs, c.p ? c.p->cwd : vfs_root(&vfs), tgt, &f);
	if (r < 0) {
		ext2_release(fs);
		return fs_result(rep, r, 0);
	}
	fsdisks[d].fs = fs, fsdisks[d].mnt = r;
	return fs_result(rep, 0, 0);
}

static int wait_writes(const struct srv_req *req, struct srv_rep *rep, struct ext2 *closing, int d)
{
	for (int i = 0; i < MAX_SYNC; i++)
		if (!mt.syncers[i]) {
			mt.syncers[i] = req->client;
			mt.closing[i] = closing, mt.closing_disk[i] = d;
			answer_syncers(); /* nothing to write: at once */
			return SRV_DEFER;
		}
	return fs_result(rep, -EAGAIN, 0);
}

/* FS_UMOUNT: payload the mount point. */
int fs_do_umount(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct fsreq c;
	fsreq_begin(&c, req);
	int r = fsreq_paths(&c, false);
	if (r < 0)
		return fs_result(rep, r, 0);
	if (c.cr.uid != 0)
		return fs_result(rep, -EPERM, 0);
	struct vfs_lookup lk;
	if ((r = vfs_resolve(&vfs, c.base, c.path, 0, &lk)) < 0)
		return fs_result(rep, r, 0);
	int d = 0;
	while (d < disk_count() && !(fsdisks[d].fs && fsdisks[d].mnt == lk.vn.mnt))
		d++;
	if (d == disk_count() || !vfs_is_mount_root(&vfs, lk.vn))
		return fs_result(rep, -EINVAL, 0);
	if (files_use_mount(lk.vn.mnt))
		return fs_result(rep, -EBUSY, 0);
	/* writing the blocks back reuses the buffer the path arrived in */
	static char path[VFS_PATH_MAX];
	snprintf(path, sizeof(path), "%s", c.path);
	if ((r = ext2_unmount(fsdisks[d].fs)) < 0)
		return fs_result(rep, r, 0);
	mt.flushing = true; /* what blk could not take yet goes as it makes room */
	writeback();
	if ((r = vfs_umount(&vfs, c.base, path, NULL)) < 0)
		return fs_result(rep, r, 0);
	return wait_writes(req, rep, fsdisks[d].fs, d);
}

/* FS_SHUTDOWN: pm powers off once every mounted ext2 is marked clean and
 * everything is on the disks; until then pm hears FS_EWAIT and is woken. */
int fs_do_shutdown(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	static bool marked;
	if (!from_pm(req))
		return fs_result(rep, -EPERM, 0);
	for (int d = 0; !marked && d < disk_count(); d++)
		if (fsdisks[d].fs && ext2_unmount(fsdisks[d].fs) < 0)
			return fs_result(rep, -EIO, 0); /* -EMISS: fs_run tells pm to wait */
	if (!marked) {
		marked = true;
		mt.flushing = true;
		writeback();
	}
	if (mt.flushing || bcache_writes_pending(&fs_bcache, NULL)) {
		mt.pm_waits = true;
		return fs_result(rep, -FS_EWAIT, 0);
	}
	for (int d = 0; d < disk_count(); d++)
		if (fsdisks[d].fs)
			bcache_sync(&fs_bcache, &fsdisks[d].bd);
	return fs_result(rep, 0, 0);
}

/* FS_SYNC (sync, and fsync of a file on a disk): answered once every
 * dirty block is on the disk. */
int fs_do_sync(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	if (!req->call)
		return SRV_NONE;
	mt.flushing = true;
	writeback();
	return wait_writes(req, rep, NULL, 0);
}
