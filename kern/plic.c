/* PLIC register layout (RISC-V PLIC specification): source priorities at
 * 4*irq, per-context enable bits at 0x2000 + 0x80*ctx, threshold and
 * claim/complete at 0x200000 + 0x1000*ctx. On QEMU virt hart h's S-mode
 * context is 2h+1. */
#include "plic.h"
#include "dtb.h"
#include "errno.h"
#include "ipc.h"
#include "memlayout.h"
#include "riscv.h"

#define MAX_IRQ 128

static volatile uint8_t *plic; /* direct-mapped base; NULL if absent */
static uint32_t ndev, ctx;
static struct {
	struct ntfn *n;
	uint64_t bits;
	struct task *owner;
	bool claimed; /* delivered, waiting for plic_ack */
} irqs[MAX_IRQ];

static volatile uint32_t *reg(uint64_t off)
{
	return (volatile uint32_t *)(plic + off);
}

void plic_init(const struct bootinfo *bi, uint64_t hartid)
{
	if (!bi->plic.size)
		return;
	plic = pa2va(bi->plic.base);
	ndev = MIN(bi->plic_ndev, MAX_IRQ - 1);
	ctx = 2 * (uint32_t)hartid + 1;
	mmio_write32(reg(0x200000 + 0x1000 * ctx), 0); /* threshold: take all */
	sie_enable(SIE_SEIE);
}

static void set_enabled(uint32_t irq, bool on)
{
	volatile uint32_t *en = reg(0x2000 + 0x80 * ctx + 4 * (irq / 32));
	uint32_t v = mmio_read32(en);
	mmio_write32(en, on ? v | (1u << (irq % 32)) : v & ~(1u << (irq % 32)));
}

long plic_bind(uint32_t irq, struct ntfn *n, uint64_t bits, struct task *owner)
{
	if (!plic || irq == 0 || irq > ndev || !bits)
		return -EINVAL;
	if (irqs[irq].n)
		return -EBUSY;
	n->refs++;
	irqs[irq].n = n;
	irqs[irq].bits = bits;
	irqs[irq].owner = owner;
	mmio_write32(reg(4 * irq), 1); /* priority 1: above threshold 0 */
	set_enabled(irq, true);
	return 0;
}

long plic_ack(uint32_t irq, struct task *t)
{
	if (irq == 0 || irq >= MAX_IRQ || !irqs[irq].n || irqs[irq].owner != t)
		return -EINVAL;
	if (irqs[irq].claimed) {
		irqs[irq].claimed = false;
		mmio_write32(reg(0x200004 + 0x1000 * ctx), irq); /* complete */
	}
	return 0;
}

void plic_interrupt(void)
{
	uint32_t irq;
	while (plic && (irq = mmio_read32(reg(0x200004 + 0x1000 * ctx))) != 0) {
		if (irq < MAX_IRQ && irqs[irq].n) {
			irqs[irq].claimed = true;
			ntfn_signal(irqs[irq].n, irqs[irq].bits);
		} else {
			/* Nobody listens: complete it and keep it off. */
			set_enabled(irq, false);
			mmio_write32(reg(0x200004 + 0x1000 * ctx), irq);
		}
	}
}

void plic_release_task(struct task *t)
{
	for (uint32_t i = 1; i < MAX_IRQ; i++) {
		if (irqs[i].owner != t || !irqs[i].n)
			continue;
		set_enabled(i, false);
		if (irqs[i].claimed)
			mmio_write32(reg(0x200004 + 0x1000 * ctx), i);
		obj_put_ntfn(irqs[i].n);
		irqs[i].n = NULL;
		irqs[i].owner = NULL;
		irqs[i].claimed = false;
	}
}
