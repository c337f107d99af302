/* Periodic timer tick. Deadlines advance by a fixed interval from the
 * previous deadline, so ticks do not drift with interrupt latency. */
#include "timer.h"
#include "riscv.h"
#include "sbi.h"

static struct {
	uint64_t timebase; /* time CSR ticks per second */
	uint64_t interval; /* time CSR ticks per kernel tick */
	uint64_t next;     /* next deadline */
	uint32_t hz;
	bool sstc;
	volatile uint64_t ticks; /* written only by the boot hart's handler */
} tm;

static void set_deadline(uint64_t when)
{
	if (tm.sstc)
		w_stimecmp(when);
	else
		sbi_set_timer(when);
}

void timer_init(uint64_t timebase_hz, uint32_t hz, bool use_sstc)
{
	tm.timebase = timebase_hz;
	tm.hz = hz;
	tm.interval = timebase_hz / hz;
	tm.sstc = use_sstc;
	tm.next = r_time() + tm.interval;
	set_deadline(tm.next);
	sie_enable(SIE_STIE);
}

void timer_interrupt(void)
{
	uint64_t now = r_time();
	tm.ticks++;
	tm.next += tm.interval;
	if (tm.next <= now) /* we fell behind (e.g. a debugger stop): resync */
		tm.next = now + tm.interval;
	set_deadline(tm.next);
}

uint64_t timer_ticks(void)
{
	return tm.ticks;
}

uint32_t timer_hz(void)
{
	return tm.hz;
}

uint64_t timer_uptime_us(void)
{
	return tm.timebase ? r_time() * 1000000 / tm.timebase : 0;
}

uint64_t timer_uptime_ns(void)
{
	if (!tm.timebase)
		return 0;
	uint64_t t = r_time(); /* split so t * 1e9 cannot overflow */
	return t / tm.timebase * 1000000000 + t % tm.timebase * 1000000000 / tm.timebase;
}

uint64_t timer_timebase(void)
{
	return tm.timebase;
}
