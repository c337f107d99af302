/* The wall clock: QEMU virt's Goldfish RTC, read once at boot. Later
 * readings add the time CSR's uptime to that one reading. */
#ifndef MICA_RTC_H
#define MICA_RTC_H

#include "dtb.h"
#include "types.h"

/* Reads the RTC (if the device tree has one) and logs the time. */
void rtc_init(const struct bootinfo *bi);
/* Nanoseconds since the epoch at boot (uptime 0); 0 without an RTC. */
uint64_t rtc_boot_epoch_ns(void);

#endif
