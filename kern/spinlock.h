/* Spinlocks for data shared between harts or with interrupt handlers.
 * spin_lock_irqsave also masks interrupts on this hart, remembering
 * whether they were on, so a handler cannot deadlock on its own hart. */
#ifndef MICA_SPINLOCK_H
#define MICA_SPINLOCK_H

#include "riscv.h"

struct spinlock {
	volatile uint32_t locked;
	bool saved_sie; /* interrupt state before spin_lock_irqsave; owner only */
	const char *name;
};

#define SPINLOCK_INIT(n)                                                                           \
	{                                                                                          \
		0, false, (n)                                                                      \
	}

static inline void spin_lock(struct spinlock *l)
{
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		;
}

static inline void spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

static inline void spin_lock_irqsave(struct spinlock *l)
{
	bool was_on = intr_get();
	intr_off();
	spin_lock(l);
	l->saved_sie = was_on;
}

static inline void spin_unlock_irqrestore(struct spinlock *l)
{
	bool was_on = l->saved_sie;
	spin_unlock(l);
	if (was_on)
		intr_on();
}

/* Used only by panic: the hart that panics takes the lock by force. */
static inline void spin_force_release(struct spinlock *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

#endif
