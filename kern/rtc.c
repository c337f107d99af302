/* The wall clock. The Goldfish RTC counts nanoseconds since the Unix epoch
 * in two 32-bit registers; reading TIME_LOW latches TIME_HIGH. It is read
 * once, at boot; the time CSR carries the clock on from there. */
#include "rtc.h"
#include "kprintf.h"
#include "memlayout.h"
#include "riscv.h"
#include "timer.h"

#define RTC_TIME_LOW  0x00 /* read first: latches TIME_HIGH */
#define RTC_TIME_HIGH 0x04

static uint64_t boot_epoch_ns; /* written once by the boot hart, before any task */

static uint64_t rtc_read_ns(volatile uint8_t *regs)
{
	uint64_t lo = mmio_read32((volatile uint32_t *)(regs + RTC_TIME_LOW));
	uint64_t hi = mmio_read32((volatile uint32_t *)(regs + RTC_TIME_HIGH));
	return hi << 32 | lo;
}

void rtc_init(const struct bootinfo *bi)
{
	if (!bi->rtc.size) {
		kprintf("rtc: none; realtime is time since boot\n");
		return;
	}
	uint64_t now = rtc_read_ns(pa2va(bi->rtc.base));
	uint64_t up = timer_uptime_ns();
	boot_epoch_ns = now > up ? now - up : 0;
	kprintf("rtc: %lu\n", (unsigned long)(now / 1000000000));
}

uint64_t rtc_boot_epoch_ns(void)
{
	return boot_epoch_ns;
}
