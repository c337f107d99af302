/* The platform-level interrupt controller. The kernel owns it but has no
 * drivers: a device interrupt becomes notification bits for the task that
 * bound it, and the source stays masked (claimed) until that task acks. */
#ifndef MICA_PLIC_H
#define MICA_PLIC_H

#include "types.h"

struct bootinfo;
struct ntfn;
struct task;

void plic_init(const struct bootinfo *bi, uint64_t hartid);
long plic_bind(uint32_t irq, struct ntfn *n, uint64_t bits, struct task *owner);
long plic_ack(uint32_t irq, struct task *t);
void plic_interrupt(void);              /* from the external-interrupt trap */
void plic_release_task(struct task *t); /* the owner died: unbind its sources */

#endif
