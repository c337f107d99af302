/* The swap area: pm's pager writes pages it takes from processes to a
 * disk and reads them back, in 4 KiB slots after the header page Linux's
 * mkswap writes (slot s is the disk's page s + 1). fs only moves the
 * bytes; which page goes where is pm's. Nothing waits: a write is handed
 * to blk with the page as its payload (blk copies it) and answered at
 * once; a read is started and answered -EMISS, which pm hears as
 * FS_EWAIT, and pm asks again once the data has arrived (woken through
 * FS_PM_WAKE). A slot whose write is still on its way cannot be read:
 * its read waits for the write, so a disk that reorders requests never
 * returns the slot's old bytes. */
#include <string.h>

#include "bcache.h"
#include "blkdev.h"
#include "disk.h"
#include "fsreq.h"
#include "mica/errno.h"
#include "mica/host.h"
#include "mica/proto/blk.h"
#include "mounts.h"
#include "swap.h"

#define PAGE    4096u
#define SECTORS (PAGE / BLK_SECTOR)
#define READS   16      /* reads in flight or arrived, waiting for pm to ask again */
#define WRITES  128     /* writes in flight */
#define HEADER  (~0ull) /* the slot number of the header page's read */
#define SIG_OFF (PAGE - 10)

struct swap_read {
	bool used, queued, done;
	int disk;
	long status;
	uint64_t slot;
	uint8_t data[PAGE];
};

static struct {
	int disk; /* -1: no swap area */
	uint64_t pages;
	struct swap_read rd[READS];
	uint64_t wslot[WRITES];
	bool wbusy[WRITES];
	uint64_t used;            /* slots in use, as pm last said */
	uint64_t pswpin, pswpout; /* pages read and written */
	uint64_t unwritten;       /* pages pm sent out again without a write (swap cache) */
} sw = {.disk = -1};

void swap_info(struct swap_info *si)
{
	*si = (struct swap_info){.total = sw.disk >= 0 ? sw.pages : 0,
	                         .used = sw.disk >= 0 ? sw.used : 0,
	                         .pswpin = sw.pswpin,
	                         .pswpout = sw.pswpout,
	                         .unwritten = sw.unwritten,
	                         .disk = sw.disk};
}

static long blk(unsigned op, unsigned long m0, unsigned long m1, unsigned long m2, unsigned long m3,
                size_t len)
{
	struct host_call c = {.op = op, .m = {m0, m1, m2, m3}, .len = len, .handle = -1};
	long r = host_call(SWAP_SLOT_BLK, &c);
	return r < 0 ? r : c.result;
}

static bool writing(uint64_t slot)
{
	for (int i = 0; i < WRITES; i++)
		if (sw.wbusy[i] && sw.wslot[i] == slot)
			return true;
	return false;
}

static long start_read(struct swap_read *r)
{
	uint64_t page = r->slot == HEADER ? 0 : r->slot + 1;
	long e = blk(BLK_READ, (unsigned long)r->disk, page * SECTORS, SECTORS,
	             SWAP_TAG | (unsigned long)(r - sw.rd), 0);
	r->queued = e == 0;
	return e == -EAGAIN ? 0 : e; /* blk is full: sent again as it makes room */
}

/* The read of slot: its bytes copied out once arrived (1), or -EMISS
 * while on its way, or -errno. */
static long read_slot(uint64_t slot, int disk, uint8_t *out)
{
	struct swap_read *r = NULL, *free = NULL;
	for (int i = 0; i < READS; i++) {
		if (sw.rd[i].used && sw.rd[i].slot == slot)
			r = &sw.rd[i];
		else if (!sw.rd[i].used && !free)
			free = &sw.rd[i];
	}
	if (r && r->done) {
		long st = r->status;
		if (!st)
			memcpy(out, r->data, PAGE);
		r->used = false;
		return st ? st : 1;
	}
	if (r || writing(slot))
		return -EMISS;
	if (!free)
		return -EMISS; /* every buffer busy: one comes free as pm takes its page */
	*free = (struct swap_read){.used = true, .slot = slot, .disk = disk};
	long e = start_read(free);
	if (e < 0) {
		free->used = false;
		return e;
	}
	return -EMISS;
}

void swap_completed(unsigned long tag, long status, const void *data, size_t len)
{
	unsigned i = (unsigned)(tag & 0x3FFF);
	if (tag & SWAP_TAG_WRITE) {
		if (i < WRITES)
			sw.wbusy[i] = false;
		return;
	}
	if (i >= READS || !sw.rd[i].used || !sw.rd[i].queued)
		return;
	struct swap_read *r = &sw.rd[i];
	r->queued = false, r->done = true, r->status = status ? -EIO : 0;
	if (!status)
		memcpy(r->data, data, len < PAGE ? len : PAGE);
}

void swap_retry(void)
{
	for (int i = 0; i < READS; i++)
		if (sw.rd[i].used && !sw.rd[i].queued && !sw.rd[i].done &&
		    start_read(&sw.rd[i]) < 0)
			sw.rd[i].done = true, sw.rd[i].status = -EIO;
}

/* FS_PM_SWAPON: payload a block device's path (m0 1: off instead). */
int fs_do_pm_swapon(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct fsreq c;
	if (!from_pm(req))
		return fs_result(rep, -EPERM, 0);
	if (req->m[0] == 1) { /* off: pm has taken every page back */
		sw.disk = -1, sw.pages = sw.used = 0;
		return fs_result(rep, 0, 0);
	}
	if (req->m[0] == 2) { /* pm's count of slots in use, and of clean pages not rewritten */
		sw.used = req->m[1], sw.unwritten = req->m[2];
		return fs_result(rep, 0, 0);
	}
	fsreq_begin(&c, req);
	int r = fsreq_paths(&c, false);
	int d = r < 0 ? r : disk_of_path(&c, c.path);
	if (d < 0)
		return fs_result(rep, d, 0);
	if (sw.disk >= 0)
		return fs_result(rep, -EBUSY, 0);
	if (fsdisks[d].fs)
		return fs_result(rep, -EBUSY, 0); /* a mounted file system */
	static uint8_t head[PAGE];
	long got = read_slot(HEADER, d, head);
	if (got < 0)
		return fs_result(rep, got, 0);
	uint32_t version, last;
	memcpy(&version, head + 1024, 4);
	memcpy(&last, head + 1028, 4);
	if (memcmp(head + SIG_OFF, "SWAPSPACE2", 10) || version != 1)
		return fs_result(rep, -EINVAL, 0); /* not made by mkswap */
	uint64_t have = disk_bytes(d) / PAGE;
	sw.pages = (last < have ? last : have - 1);
	sw.disk = d, sw.used = 0;
	rep->m[0] = sw.pages;
	return fs_result(rep, 0, 0);
}

/* FS_PM_SWAPOUT: m0 the slot, the page in pm's window. */
int fs_do_pm_swapout(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	uint64_t slot = req->m[0];
	if (!from_pm(req))
		return fs_result(rep, -EPERM, 0);
	if (sw.disk < 0 || slot >= sw.pages || srv_window(req) < PAGE)
		return fs_result(rep, -EINVAL, 0);
	int w = 0;
	while (w < WRITES && sw.wbusy[w])
		w++;
	if (w == WRITES || writing(slot))
		return fs_result(rep, -EMISS, 0); /* as writes finish */
	char *buf = host_buf();
	if (srv_copy_in(s, req->client, 0, buf, PAGE))
		return fs_result(rep, -EFAULT, 0);
	long e = blk(BLK_WRITE, (unsigned long)sw.disk, (slot + 1) * SECTORS, 0,
	             SWAP_TAG | SWAP_TAG_WRITE | (unsigned long)w, PAGE);
	if (e == -EAGAIN)
		return fs_result(rep, -EMISS, 0); /* blk is full: pm asks again */
	if (e < 0)
		return fs_result(rep, e, 0);
	sw.wbusy[w] = true, sw.wslot[w] = slot;
	sw.pswpout++;
	sw.used = req->m[1];
	return fs_result(rep, 0, 0);
}

/* FS_PM_SWAPIN: m0 the slot; its page into pm's window. */
int fs_do_pm_swapin(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	static uint8_t page[PAGE];
	uint64_t slot = req->m[0];
	if (!from_pm(req))
		return fs_result(rep, -EPERM, 0);
	if (sw.disk < 0 || slot >= sw.pages || srv_window(req) < PAGE)
		return fs_result(rep, -EINVAL, 0);
	long r = read_slot(slot, sw.disk, page);
	if (r < 0)
		return fs_result(rep, r, 0);
	if (srv_copy_out(s, req->client, 0, page, PAGE))
		return fs_result(rep, -EFAULT, 0);
	sw.pswpin++;
	sw.used = req->m[1];
	return fs_result(rep, 0, 0);
}
