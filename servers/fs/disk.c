/* Raw disks: /dev/vda, /dev/vdb, ... read and written through the blk
 * server. fs never waits for a disk: a request is handed to blk and its
 * client deferred; blk signals our notification when requests finish,
 * and the notify handler collects them and answers the clients. The
 * same code runs in both placements. A request covers at most the one
 * 4 KiB block its offset falls in (a short read or write, as a device
 * may give); a write of part of a sector reads the block first. */
#include <stdlib.h>
#include <string.h>

#include "blkdev.h"
#include "disk.h"
#include "mounts.h"
#include "files.h"
#include "fsreq.h"
#include "mica/errno.h"
#include "mica/host.h"
#include "mica/proto/blk.h"
#include "swap.h"

#define SLOT_BLK 1 /* our handle to blk, when pm gave us one */
#define BLOCK    4096u
#define MAX_IO   64

enum io_phase { IO_FREE, IO_READ, IO_RMW, IO_WRITE };

struct io {
	enum io_phase phase;
	bool queued; /* blk has it (else it waits for a free slot there) */
	srv_client client;
	struct ofile *f; /* held (refs) until the answer */
	int disk;
	uint64_t block; /* 4 KiB block number */
	size_t within, n;
	unsigned char *data; /* the block (writes) */
};

static struct {
	long ntfn; /* ours: blk's completions (bit 1), our write-back (bit 2) */
	int ndisks;
	uint64_t sectors[BLK_MAX_DISKS];
	unsigned flags[BLK_MAX_DISKS];
	struct io io[MAX_IO];
	struct server *srv;
} dk;

long disk_ntfn(void)
{
	return dk.ndisks ? dk.ntfn : -1;
}

int disk_count(void)
{
	return dk.ndisks;
}

uint64_t disk_bytes(int d)
{
	return d >= 0 && d < dk.ndisks ? dk.sectors[d] * BLK_SECTOR : 0;
}

static long blk_call(unsigned op, unsigned long m0, unsigned long m1, unsigned long m2,
                     unsigned long m3, size_t len, struct host_call *c)
{
	*c = (struct host_call){.op = op, .m = {m0, m1, m2, m3}, .len = len, .handle = -1};
	long r = host_call(SLOT_BLK, c);
	return r < 0 ? r : c->result;
}

int disk_start(struct server *s)
{
	struct host_call c;
	dk.srv = s;
	blkdev_init(0, NULL); /* an empty cache: sync works with no disks too */
	if (blk_call(BLK_INFO, 0, 0, 0, 0, 0, &c) < 0 || !c.rm[2])
		return 0; /* no blk, or no disks */
	long n = mica_ntfn_create();
	if (n < 0 || mica_ntfn_bind(n))
		return -EIO;
	dk.ntfn = n;
	if (mica_ntfn_timer(n, FS_NTFN_TICK, FS_TICK_US) < 0)
		return -EIO;
	c = (struct host_call){.op = BLK_ATTACH, .handle = n};
	if (host_call(SLOT_BLK, &c) < 0 || c.result < 0)
		return -EIO;
	for (unsigned long d = 0; d < BLK_MAX_DISKS; d++) {
		if (blk_call(BLK_INFO, d, 0, 0, 0, 0, &c) < 0)
			break;
		dk.sectors[d] = c.rm[0];
		dk.flags[d] = (unsigned)c.rm[1];
		dk.ndisks = (int)d + 1;
	}
	uint64_t bytes[BLK_MAX_DISKS];
	for (int d = 0; d < dk.ndisks; d++)
		bytes[d] = disk_bytes(d);
	blkdev_init(dk.ndisks, bytes);
	return 0;
}

/* --- requests ---------------------------------------------------------------- */

static unsigned count_of(const struct io *io)
{
	uint64_t first = io->block * (BLOCK / BLK_SECTOR), left = dk.sectors[io->disk] - first;
	return left < BLOCK / BLK_SECTOR ? (unsigned)left : BLOCK / BLK_SECTOR;
}

/* Hands io to blk: 0, 1 if blk is full (it stays queued here), or -errno. */
static long submit(struct io *io)
{
	struct host_call c;
	unsigned long tag = (unsigned long)(io - dk.io), sector = io->block * (BLOCK / BLK_SECTOR);
	long r;
	if (io->phase == IO_WRITE) {
		size_t len = count_of(io) * BLK_SECTOR;
		memcpy(host_buf(), io->data, len);
		r = blk_call(BLK_WRITE, (unsigned long)io->disk, sector, 0, tag, len, &c);
	} else {
		r = blk_call(BLK_READ, (unsigned long)io->disk, sector, count_of(io), tag, 0, &c);
	}
	io->queued = r == 0;
	return r == -EAGAIN ? 1 : r;
}

static void finish(struct io *io, long result)
{
	struct srv_rep rep = {.result = result, .handle = -1};
	if (result > 0) {
		io->f->off = io->block * BLOCK + io->within + (uint64_t)result;
		if (io->phase == IO_READ)
			rep.len = (size_t)result;
	}
	srv_answer(dk.srv, io->client, &rep, io->phase == IO_READ ? io->data + io->within : NULL);
	ofile_put(io->f);
	free(io->data);
	*io = (struct io){.phase = IO_FREE};
}

static struct io *io_new(struct ofile *f, srv_client client, size_t n)
{
	for (int i = 0; i < MAX_IO; i++) {
		struct io *io = &dk.io[i];
		if (io->phase != IO_FREE)
			continue;
		if (!(io->data = malloc(BLOCK)))
			return NULL;
		io->client = client;
		io->f = f;
		f->refs++;
		io->disk = f->disk;
		io->block = f->off / BLOCK;
		io->within = f->off % BLOCK;
		io->n = n < BLOCK - io->within ? n : BLOCK - io->within;
		if (f->off + io->n > disk_bytes(f->disk))
			io->n = disk_bytes(f->disk) - f->off;
		return io;
	}
	return NULL;
}

/* Starts io in phase ph: SRV_DEFER while blk works, or an answer now. */
static int start(struct io *io, enum io_phase ph, struct srv_rep *rep)
{
	io->phase = ph;
	long r = submit(io);
	if (r >= 0)
		return SRV_DEFER;
	io->client = 0; /* answered here instead */
	ofile_put(io->f);
	free(io->data);
	*io = (struct io){.phase = IO_FREE};
	return fs_result(rep, r, 0);
}

int disk_read(struct ofile *f, srv_client client, size_t n, struct srv_rep *rep)
{
	if (f->off >= disk_bytes(f->disk) || !n)
		return fs_result(rep, 0, 0); /* the end of the disk */
	struct io *io = io_new(f, client, n);
	if (!io)
		return fs_result(rep, -EAGAIN, 0);
	return start(io, IO_READ, rep);
}

int disk_write(struct ofile *f, srv_client client, const void *data, size_t n, struct srv_rep *rep)
{
	if (dk.flags[f->disk] & BLK_F_RO)
		return fs_result(rep, -EROFS, 0);
	if (f->off >= disk_bytes(f->disk))
		return fs_result(rep, n ? -ENOSPC : 0, 0);
	if (!n)
		return fs_result(rep, 0, 0);
	struct io *io = io_new(f, client, n);
	if (!io)
		return fs_result(rep, -EAGAIN, 0);
	bool whole = io->within == 0 && io->n == count_of(io) * BLK_SECTOR;
	memcpy(io->data + io->within, data, io->n);
	return start(io, whole ? IO_WRITE : IO_RMW, rep); /* part of the block: read it first */
}

/* --- completions ---------------------------------------------------------- */

static void completed(struct io *io, long status, const void *data, size_t len)
{
	io->queued = false;
	if (status) {
		finish(io, status);
		return;
	}
	switch (io->phase) {
	case IO_READ:
		memcpy(io->data, data, len < BLOCK ? len : BLOCK);
		finish(io, (long)io->n);
		break;
	case IO_RMW: { /* the block as it was around our bytes */
		size_t end = io->within + io->n, have = len < BLOCK ? len : BLOCK;
		memcpy(io->data, data, io->within < have ? io->within : have);
		if (end < have)
			memcpy(io->data + end, (const char *)data + end, have - end);
		io->phase = IO_WRITE;
		long r = submit(io);
		if (r < 0)
			finish(io, r);
		break;
	}
	case IO_WRITE:
		finish(io, (long)io->n);
		break;
	default:
		break;
	}
}

void disk_notify(void)
{
	/* a read's data comes into this window, up to a whole request */
	static uint8_t data[BLK_MAX_SECTORS * BLK_SECTOR];
	for (;;) {
		struct host_call c = {.op = BLK_COLLECT,
		                      .handle = -1,
		                      .win = data,
		                      .win_len = sizeof(data),
		                      .win_out = true};
		if (host_call(SLOT_BLK, &c) < 0 || c.result != 0)
			break;
		unsigned long tag = c.rm[0];
		size_t len = c.rm[3] < sizeof(data) ? c.rm[3] : sizeof(data);
		struct io *io = tag < MAX_IO ? &dk.io[tag] : NULL;
		if (tag >= BREQ_TAG)
			blkdev_completed(tag, (long)c.rm[1], data, len);
		else if (tag >= SWAP_TAG)
			swap_completed(tag, (long)c.rm[1], data, len);
		if (io && io->phase != IO_FREE && io->queued)
			completed(io, (long)c.rm[1], data, len);
	}
	blkdev_retry();
	swap_retry();
	for (int i = 0; i < MAX_IO; i++) /* what waited for room at blk */
		if (dk.io[i].phase != IO_FREE && !dk.io[i].queued) {
			long r = submit(&dk.io[i]);
			if (r < 0)
				finish(&dk.io[i], r);
			else if (r > 0)
				break;
		}
}
