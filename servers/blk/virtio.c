/* The virtio-mmio transport and a split virtqueue (see virtio.h). */
#include "virtio.h"
#include "mica/errno.h"

#define PAGE 4096u

uint32_t virtio_reg(volatile uint32_t *regs, unsigned off)
{
	return regs[off / 4];
}

static void put(volatile uint32_t *regs, unsigned off, uint32_t v)
{
	regs[off / 4] = v;
}

static void put64(volatile uint32_t *regs, unsigned off, uint64_t v)
{
	put(regs, off, (uint32_t)v);
	put(regs, off + 4, (uint32_t)(v >> 32));
}

static uint64_t features_of(volatile uint32_t *regs)
{
	put(regs, VIO_DEV_FEAT_SEL, 1);
	uint64_t hi = virtio_reg(regs, VIO_DEV_FEATURES);
	put(regs, VIO_DEV_FEAT_SEL, 0);
	return hi << 32 | virtio_reg(regs, VIO_DEV_FEATURES);
}

static void queue_layout(struct vq *q, unsigned size, void *va)
{
	q->size = size;
	q->desc = va;
	q->avail = (volatile uint16_t *)((char *)va + 16 * size);
	q->used = (volatile uint16_t *)((char *)va + PAGE);
	q->last_used = 0;
}

int virtio_setup(volatile uint32_t *regs, uint64_t want, unsigned size, void *va, unsigned long pa,
                 uint64_t *features, struct vq *q)
{
	bool legacy = virtio_reg(regs, VIO_VERSION) == 1;
	put(regs, VIO_STATUS, 0); /* reset */
	put(regs, VIO_STATUS, VIO_S_ACKNOWLEDGE);
	put(regs, VIO_STATUS, VIO_S_ACKNOWLEDGE | VIO_S_DRIVER);
	uint64_t agreed = features_of(regs) & (want | (legacy ? 0 : 1ull << VIO_F_VERSION_1));
	if (!legacy && !(agreed & (1ull << VIO_F_VERSION_1)))
		return -EIO;
	put(regs, VIO_DRV_FEAT_SEL, 1);
	put(regs, VIO_DRV_FEATURES, (uint32_t)(agreed >> 32));
	put(regs, VIO_DRV_FEAT_SEL, 0);
	put(regs, VIO_DRV_FEATURES, (uint32_t)agreed);
	uint32_t st = VIO_S_ACKNOWLEDGE | VIO_S_DRIVER;
	if (!legacy) {
		put(regs, VIO_STATUS, st |= VIO_S_FEATURES_OK);
		if (!(virtio_reg(regs, VIO_STATUS) & VIO_S_FEATURES_OK))
			return -EIO;
	}
	put(regs, VIO_QUEUE_SEL, 0);
	if (virtio_reg(regs, VIO_QUEUE_NUM_MAX) < size)
		return -EIO;
	put(regs, VIO_QUEUE_NUM, size);
	queue_layout(q, size, va);
	if (legacy) {
		put(regs, VIO_GUEST_PAGE, PAGE);
		put(regs, VIO_QUEUE_ALIGN, PAGE);
		put(regs, VIO_QUEUE_PFN, (uint32_t)(pa / PAGE));
	} else {
		put64(regs, VIO_QUEUE_DESC_LO, pa);
		put64(regs, VIO_QUEUE_AVAIL_LO, pa + 16 * size);
		put64(regs, VIO_QUEUE_USED_LO, pa + PAGE);
		put(regs, VIO_QUEUE_READY, 1);
	}
	put(regs, VIO_STATUS, st | VIO_S_DRIVER_OK);
	*features = agreed;
	return 0;
}

void vq_add(struct vq *q, int id, const struct vq_seg *seg, int n)
{
	int head = 3 * id;
	for (int i = 0; i < n; i++) {
		volatile struct vq_desc *d = &q->desc[head + i];
		d->addr = seg[i].pa;
		d->len = seg[i].len;
		d->flags = (uint16_t)((i + 1 < n ? VQ_DESC_NEXT : 0) |
		                      (seg[i].device_writes ? VQ_DESC_WRITE : 0));
		d->next = (uint16_t)(head + i + 1);
	}
	uint16_t idx = q->avail[1];
	q->avail[2 + idx % q->size] = (uint16_t)head;
	__sync_synchronize(); /* the chain before the index that publishes it */
	q->avail[1] = (uint16_t)(idx + 1);
	__sync_synchronize();
}

int vq_pop(struct vq *q)
{
	__sync_synchronize();
	if (q->last_used == q->used[1])
		return -1;
	volatile uint32_t *elem = (volatile uint32_t *)(q->used + 2) + 2 * (q->last_used % q->size);
	uint32_t head = elem[0];
	q->last_used++;
	return head % 3 ? (int)q->size : (int)(head / 3); /* a foreign head: out of range */
}

void virtio_notify(volatile uint32_t *regs)
{
	put(regs, VIO_QUEUE_NOTIFY, 0);
}

void virtio_irq_ack(volatile uint32_t *regs)
{
	put(regs, VIO_INT_ACK, virtio_reg(regs, VIO_INT_STATUS) & 3);
}
