/* blk: the block-device server's handlers. Drives virtio-mmio block
 * devices (the legacy transport, QEMU 7.2's default, and the modern one)
 * whose registers come through host_mmio and whose interrupts are a
 * notification. A request is queued on the device and answered at once;
 * when the device finishes it the request waits in its slot, and the
 * client (fs) hears through the notification it attached and collects
 * it (BLK_COLLECT). Nothing here ever waits for the disk, so the same
 * handlers run in a user-mode server and inside the kernel.
 * Handles: slot 0 our endpoint (receive). */
#include <stdio.h>
#include <string.h>

#include "mica/errno.h"
#include "mica/host.h"
#include "mica/proto/blk.h"
#include "mica/server.h"
#include "blk.h"
#include "virtio.h"

#define EP         0
#define QSIZE      128 /* descriptors per queue: three per request */
#define NSLOTS     32  /* requests in flight or waiting to be collected, per disk */
#define IRQ_BIT(d) (1ul << (d))

enum slot_state { S_FREE, S_BUSY, S_DONE };

struct slot {
	enum slot_state state;
	unsigned long tag, seq; /* the client's tag; completion order */
	struct virtio_blk_hdr *hdr;
	volatile uint8_t *status;
	uint8_t *data; /* BLK_MAX_SECTORS * 512 bytes */
	unsigned long hdr_pa, status_pa, data_pa;
	unsigned type;
	size_t len; /* data bytes */
};

struct disk {
	volatile uint32_t *regs;
	long irq;
	uint64_t sectors;
	unsigned flags; /* BLK_F_* */
	struct vq q;
	struct slot slot[NSLOTS];
};

static struct {
	struct disk disk[BLK_MAX_DISKS];
	int ndisks;
	long client_ntfn; /* fs's notification, -1 until BLK_ATTACH */
	unsigned long seq;
} blk = {.client_ntfn = -1};

/* --- requests --------------------------------------------------------------- */

static struct disk *disk_of(unsigned long d)
{
	return d < (unsigned long)blk.ndisks ? &blk.disk[d] : NULL;
}

static struct slot *free_slot(struct disk *dk)
{
	for (int i = 0; i < NSLOTS; i++)
		if (dk->slot[i].state == S_FREE)
			return &dk->slot[i];
	return NULL;
}

/* Puts slot s (header and data ready) on dk's queue as one request. */
static void submit(struct disk *dk, struct slot *s)
{
	int i = (int)(s - dk->slot);
	bool in = s->type == VIRTIO_BLK_T_IN;
	struct vq_seg seg[3] = {
	    {s->hdr_pa, sizeof(*s->hdr), false},
	    {s->data_pa, (uint32_t)s->len, in},
	    {s->status_pa, 1, true},
	};
	*s->status = 0xff;
	s->state = S_BUSY;
	if (s->len)
		vq_add(&dk->q, i, seg, 3);
	else
		vq_add(&dk->q, i, (struct vq_seg[]){seg[0], seg[2]}, 2);
	virtio_notify(dk->regs);
}

/* Checks a request's disk and range; its slot, or NULL with *err. */
static struct slot *prepare(const struct srv_req *req, unsigned type, size_t count, int *err)
{
	struct disk *dk = disk_of(req->m[0]);
	*err = -ENXIO;
	if (!dk)
		return NULL;
	*err = -EINVAL;
	if (type != VIRTIO_BLK_T_FLUSH &&
	    (!count || count > BLK_MAX_SECTORS || req->m[1] >= dk->sectors ||
	     count > dk->sectors - req->m[1]))
		return NULL;
	*err = -EROFS;
	if (type == VIRTIO_BLK_T_OUT && (dk->flags & BLK_F_RO))
		return NULL;
	struct slot *s = free_slot(dk);
	*err = -EAGAIN; /* all slots busy: collect first */
	if (!s)
		return NULL;
	s->type = type;
	s->tag = req->m[3];
	s->len = count * BLK_SECTOR;
	s->hdr->type = type;
	s->hdr->reserved = 0;
	s->hdr->sector = type == VIRTIO_BLK_T_FLUSH ? 0 : req->m[1];
	*err = 0;
	return s;
}

static bool from_client(const struct srv_req *req)
{
	return req->badge == BLK_BADGE_FS;
}

static int do_read(struct server *sv, const struct srv_req *req, struct srv_rep *rep)
{
	(void)sv;
	int err = -EPERM;
	struct slot *s = from_client(req) ? prepare(req, VIRTIO_BLK_T_IN, req->m[2], &err) : NULL;
	if (s)
		submit(&blk.disk[req->m[0]], s);
	rep->result = err;
	return SRV_REPLY;
}

/* The data comes as the payload or, larger, through the window lent. */
static int do_write(struct server *sv, const struct srv_req *req, struct srv_rep *rep)
{
	int err = -EPERM;
	size_t bytes = req->len ? req->len : srv_window(req);
	if (from_client(req) && (bytes % BLK_SECTOR || req->trunc))
		err = -EINVAL;
	struct slot *s = from_client(req) && err == -EPERM
	                     ? prepare(req, VIRTIO_BLK_T_OUT, bytes / BLK_SECTOR, &err)
	                     : NULL;
	if (s && req->len)
		memcpy(s->data, req->data, s->len);
	else if (s && (err = srv_copy_in(sv, req->client, 0, s->data, s->len)) < 0)
		s = NULL; /* the slot stays free */
	if (s)
		submit(&blk.disk[req->m[0]], s);
	rep->result = err;
	return SRV_REPLY;
}

static int do_flush(struct server *sv, const struct srv_req *req, struct srv_rep *rep)
{
	(void)sv;
	int err = -EPERM;
	struct slot *s = from_client(req) ? prepare(req, VIRTIO_BLK_T_FLUSH, 0, &err) : NULL;
	if (s) {
		s->len = 0;
		if (!(blk.disk[req->m[0]].flags & BLK_F_FLUSH)) {
			s->state = S_DONE; /* no write cache: nothing to wait for */
			*s->status = VIRTIO_BLK_S_OK;
			s->seq = blk.seq++;
			mica_signal(blk.client_ntfn, BLK_NTFN_BIT);
		} else {
			submit(&blk.disk[req->m[0]], s);
		}
	}
	rep->result = err;
	return SRV_REPLY;
}

/* The oldest finished request, handed over and its slot freed. */
static int do_collect(struct server *sv, const struct srv_req *req, struct srv_rep *rep)
{
	struct slot *best = NULL;
	int bd = 0;
	for (int d = 0; from_client(req) && d < blk.ndisks; d++)
		for (int i = 0; i < NSLOTS; i++) {
			struct slot *s = &blk.disk[d].slot[i];
			if (s->state == S_DONE && (!best || s->seq < best->seq))
				best = s, bd = d;
		}
	rep->result = from_client(req) ? -EAGAIN : -EPERM;
	if (!best)
		return SRV_REPLY;
	rep->m[1] = (unsigned long)(*best->status == VIRTIO_BLK_S_OK ? 0 : -EIO);
	if (best->type == VIRTIO_BLK_T_IN && !rep->m[1]) {
		int err = 0;
		if (srv_window(req))
			err = srv_window(req) < best->len
			          ? -EMSGSIZE
			          : srv_copy_out(sv, req->client, 0, best->data, best->len);
		else if (best->len <= IPC_MAX)
			memcpy(srv_out(sv), best->data, rep->len = best->len);
		else
			err = -EMSGSIZE;
		if (err < 0) { /* it stays for a call that can take it */
			rep->result = err, rep->len = 0;
			return SRV_REPLY;
		}
		rep->m[3] = best->len;
	}
	rep->result = 0;
	rep->m[0] = best->tag;
	rep->m[2] = (unsigned long)bd;
	best->state = S_FREE;
	return SRV_REPLY;
}

static int do_info(struct server *sv, const struct srv_req *req, struct srv_rep *rep)
{
	(void)sv;
	struct disk *dk = disk_of(req->m[0]);
	rep->result = dk ? 0 : -ENXIO;
	rep->m[0] = dk ? dk->sectors : 0;
	rep->m[1] = dk ? dk->flags : 0;
	rep->m[2] = (unsigned long)blk.ndisks;
	return SRV_REPLY;
}

static int do_attach(struct server *sv, const struct srv_req *req, struct srv_rep *rep)
{
	(void)sv;
	if (!from_client(req) || req->handle < 0 || blk.client_ntfn >= 0) {
		rep->result = req->handle < 0 ? -EINVAL : -EPERM;
		return SRV_REPLY;
	}
	blk.client_ntfn = req->handle;
	rep->result = 0;
	return SRV_REPLY | SRV_KEEP_HANDLE;
}

/* --- interrupts -------------------------------------------------------------- */

/* Takes what disk dk finished off its used ring. */
static bool reap(struct disk *dk)
{
	bool any = false;
	int id;
	virtio_irq_ack(dk->regs);
	while ((id = vq_pop(&dk->q)) >= 0) {
		if (id >= NSLOTS || dk->slot[id].state != S_BUSY)
			continue; /* the device named no request of ours */
		dk->slot[id].state = S_DONE;
		dk->slot[id].seq = blk.seq++;
		any = true;
	}
	return any;
}

static int do_other(struct server *sv, const struct srv_req *req, struct srv_rep *rep)
{
	(void)sv;
	if (req->notify) {
		bool any = false;
		for (int d = 0; d < blk.ndisks; d++)
			if (req->m[0] & IRQ_BIT(d)) {
				any |= reap(&blk.disk[d]);
				mica_irq_ack(blk.disk[d].irq);
			}
		if (any && blk.client_ntfn >= 0)
			mica_signal(blk.client_ntfn, BLK_NTFN_BIT);
		return SRV_NONE;
	}
	rep->result = -ENOSYS;
	return req->call ? SRV_REPLY : SRV_NONE;
}

static const srv_handler handlers[BLK_NOPS] = {
    [BLK_INFO] = do_info,   [BLK_ATTACH] = do_attach, [BLK_READ] = do_read,
    [BLK_WRITE] = do_write, [BLK_FLUSH] = do_flush,   [BLK_COLLECT] = do_collect,
};

struct server blk_server = {
    .name = "blk", .ep = EP, .table = handlers, .nops = BLK_NOPS, .other = do_other};

/* --- start ----------------------------------------------------------------- */

/* DMA memory: the queue's two pages and a page of the requests' headers
 * and statuses in one area; the requests' data (32 KiB each) in areas of
 * DMA_MAX bytes. */
#define SLOT_DATA      (BLK_MAX_SECTORS * BLK_SECTOR)
#define SLOTS_PER_AREA (DMA_MAX / SLOT_DATA)

static int disk_init(struct disk *dk, volatile uint32_t *regs, long irq)
{
	unsigned long pa, dpa = 0;
	uint8_t *va = host_dma_alloc(VQ_BYTES + 4096, &pa), *dva = NULL;
	uint64_t feat;
	if (!va)
		return -ENOMEM;
	uint64_t want = 1ull << VIO_BLK_F_RO | 1ull << VIO_BLK_F_FLUSH;
	if (virtio_setup(regs, want, QSIZE, va, pa, &feat, &dk->q))
		return -EIO;
	dk->regs = regs;
	dk->irq = irq;
	dk->sectors =
	    (uint64_t)virtio_reg(regs, VIO_CONFIG + 4) << 32 | virtio_reg(regs, VIO_CONFIG);
	dk->flags = ((feat >> VIO_BLK_F_RO) & 1 ? BLK_F_RO : 0) |
	            ((feat >> VIO_BLK_F_FLUSH) & 1 ? BLK_F_FLUSH : 0);
	for (int i = 0; i < NSLOTS; i++) {
		struct slot *s = &dk->slot[i];
		unsigned long hoff = VQ_BYTES + 32ul * (unsigned long)i;
		unsigned long doff = (unsigned long)(i % SLOTS_PER_AREA) * SLOT_DATA;
		if (doff == 0 && !(dva = host_dma_alloc(DMA_MAX, &dpa)))
			return -ENOMEM;
		s->hdr = (struct virtio_blk_hdr *)(va + hoff);
		s->status = va + hoff + 16;
		s->data = dva + doff;
		s->hdr_pa = pa + hoff, s->status_pa = pa + hoff + 16, s->data_pa = dpa + doff;
	}
	return 0;
}

int blk_start(void)
{
	struct kinfo k;
	long n = mica_ntfn_create();
	if (mica_kinfo(&k) || n < 0)
		return -ENODEV;
	for (unsigned long i = 0; i < k.nvirtio && blk.ndisks < BLK_MAX_DISKS; i++) {
		volatile char *page = (volatile char *)host_mmio(k.virtio[i].pa & ~4095ul, 4096);
		volatile uint32_t *regs = (volatile uint32_t *)(page + (k.virtio[i].pa & 4095));
		if (!page || virtio_reg(regs, VIO_MAGIC) != VIO_MAGIC_VALUE ||
		    virtio_reg(regs, VIO_DEVICE_ID) != VIO_ID_BLOCK)
			continue;
		struct disk *dk = &blk.disk[blk.ndisks];
		if (disk_init(dk, regs, (long)k.virtio[i].irq) ||
		    mica_irq_bind((long)k.virtio[i].irq, n, IRQ_BIT(blk.ndisks))) {
			printf("blk: virtio slot %lu: the disk did not start\n", i);
			continue;
		}
		printf("blk: vd%c: %llu sectors (%llu MiB)%s\n", 'a' + blk.ndisks,
		       (unsigned long long)dk->sectors, (unsigned long long)(dk->sectors >> 11),
		       dk->flags & BLK_F_RO ? ", read-only" : "");
		blk.ndisks++;
	}
	return mica_ntfn_bind(n) ? -EIO : 0;
}
