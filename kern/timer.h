/* The supervisor timer: a periodic tick at HZ, programmed through the
 * Sstc stimecmp CSR when the hart has it and SBI set_timer otherwise. */
#ifndef MICA_TIMER_H
#define MICA_TIMER_H

#include "types.h"

#ifndef HZ
#define HZ 100
#endif

/* Starts the tick. timebase_hz from the device tree; hz ticks a second. */
void timer_init(uint64_t timebase_hz, uint32_t hz, bool use_sstc);
void timer_interrupt(void);

uint64_t timer_ticks(void);
uint32_t timer_hz(void);
/* Time since boot in microseconds, from the time CSR. */
uint64_t timer_uptime_us(void);
/* The same in nanoseconds. */
uint64_t timer_uptime_ns(void);
uint64_t timer_timebase(void);

#endif
