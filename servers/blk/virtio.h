/* The virtio-mmio transport (legacy version 1 and modern version 2) and
 * one split virtqueue, as the virtio 1.1 specification lays them out.
 * Registers are 32-bit words at the byte offsets below. */
#ifndef BLK_VIRTIO_H
#define BLK_VIRTIO_H

#include <stdbool.h>
#include <stdint.h>

#define VIO_MAGIC          0x000 /* "virt" */
#define VIO_VERSION        0x004 /* 1 legacy, 2 modern */
#define VIO_DEVICE_ID      0x008 /* 2: block device; 0: empty slot */
#define VIO_DEV_FEATURES   0x010
#define VIO_DEV_FEAT_SEL   0x014
#define VIO_DRV_FEATURES   0x020
#define VIO_DRV_FEAT_SEL   0x024
#define VIO_GUEST_PAGE     0x028 /* legacy */
#define VIO_QUEUE_SEL      0x030
#define VIO_QUEUE_NUM_MAX  0x034
#define VIO_QUEUE_NUM      0x038
#define VIO_QUEUE_ALIGN    0x03c /* legacy */
#define VIO_QUEUE_PFN      0x040 /* legacy */
#define VIO_QUEUE_READY    0x044 /* modern */
#define VIO_QUEUE_NOTIFY   0x050
#define VIO_INT_STATUS     0x060
#define VIO_INT_ACK        0x064
#define VIO_STATUS         0x070
#define VIO_QUEUE_DESC_LO  0x080 /* modern, and the two pairs after it */
#define VIO_QUEUE_AVAIL_LO 0x090
#define VIO_QUEUE_USED_LO  0x0a0
#define VIO_CONFIG         0x100 /* device-specific: a block device's capacity */

#define VIO_MAGIC_VALUE   0x74726976u
#define VIO_ID_BLOCK      2
#define VIO_S_ACKNOWLEDGE 1u
#define VIO_S_DRIVER      2u
#define VIO_S_DRIVER_OK   4u
#define VIO_S_FEATURES_OK 8u
#define VIO_S_FAILED      128u

#define VIO_F_VERSION_1 32 /* feature bit numbers */
#define VIO_BLK_F_RO    5
#define VIO_BLK_F_FLUSH 9

#define VIRTIO_BLK_T_IN    0
#define VIRTIO_BLK_T_OUT   1
#define VIRTIO_BLK_T_FLUSH 4
#define VIRTIO_BLK_S_OK    0

struct virtio_blk_hdr {
	uint32_t type, reserved;
	uint64_t sector;
};

#define VQ_DESC_NEXT  1
#define VQ_DESC_WRITE 2 /* the device writes this buffer */

struct vq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};

/* One split virtqueue in a DMA area of VQ_BYTES: descriptors, the
 * driver's ring, then the device's ring on the next page (the legacy
 * transport's 4096-byte alignment, which the modern one accepts too). */
#define VQ_BYTES 8192
struct vq {
	unsigned size;
	volatile struct vq_desc *desc;
	volatile uint16_t *avail; /* flags, idx, ring[size] */
	volatile uint16_t *used;  /* flags, idx, then {u32 id, u32 len}[size] */
	uint16_t last_used;
};

struct vq_seg {
	uint64_t pa;
	uint32_t len;
	bool device_writes;
};

/* Resets the device at regs, negotiates features (those in want that it
 * offers, plus VERSION_1 on the modern transport) and sets up queue 0 of
 * size entries in the DMA area (va, pa). *features: what was agreed.
 * 0, or -EIO (the device refused). */
int virtio_setup(volatile uint32_t *regs, uint64_t want, unsigned size, void *va, unsigned long pa,
                 uint64_t *features, struct vq *q);
/* Puts a chain of n segments headed by descriptor 3 * id on the queue. */
void vq_add(struct vq *q, int id, const struct vq_seg *seg, int n);
/* The id of the next finished chain, or -1. */
int vq_pop(struct vq *q);
void virtio_notify(volatile uint32_t *regs);
void virtio_irq_ack(volatile uint32_t *regs);
uint32_t virtio_reg(volatile uint32_t *regs, unsigned off);

#endif
