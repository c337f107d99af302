/* Calls into OpenSBI (the M-mode firmware) through ecall.
 * Only the extensions Mica needs: legacy console, TIME, SRST, HSM. */
#ifndef MICA_SBI_H
#define MICA_SBI_H

#include "types.h"

#define SBI_EXT_LEGACY_PUTCHAR 0x01
#define SBI_EXT_LEGACY_GETCHAR 0x02
#define SBI_EXT_BASE           0x10
#define SBI_EXT_TIME           0x54494D45
#define SBI_EXT_HSM            0x48534D
#define SBI_EXT_SRST           0x53525354

#define SBI_SRST_SHUTDOWN    0
#define SBI_SRST_REASON_NONE 0
#define SBI_SRST_REASON_FAIL 1

struct sbiret {
	long error;
	long value;
};

static inline struct sbiret sbi_call(uint64_t ext, uint64_t fid, uint64_t a0, uint64_t a1,
                                     uint64_t a2)
{
	register uint64_t r_a0 __asm__("a0") = a0;
	register uint64_t r_a1 __asm__("a1") = a1;
	register uint64_t r_a2 __asm__("a2") = a2;
	register uint64_t r_a6 __asm__("a6") = fid;
	register uint64_t r_a7 __asm__("a7") = ext;
	__asm__ volatile("ecall"
	                 : "+r"(r_a0), "+r"(r_a1)
	                 : "r"(r_a2), "r"(r_a6), "r"(r_a7)
	                 : "memory");
	return (struct sbiret){.error = (long)r_a0, .value = (long)r_a1};
}

static inline void sbi_console_putchar(int c)
{
	sbi_call(SBI_EXT_LEGACY_PUTCHAR, 0, (uint64_t)c, 0, 0);
}

/* Returns the next byte from the console, or -1 if none is waiting. */
static inline int sbi_console_getchar(void)
{
	return (int)sbi_call(SBI_EXT_LEGACY_GETCHAR, 0, 0, 0, 0).error;
}

static inline void sbi_set_timer(uint64_t when)
{
	sbi_call(SBI_EXT_TIME, 0, when, 0, 0);
}

static inline long sbi_probe_extension(uint64_t ext)
{
	return sbi_call(SBI_EXT_BASE, 3, ext, 0, 0).value;
}

static inline void sbi_system_reset(uint32_t type, uint32_t reason)
{
	sbi_call(SBI_EXT_SRST, 0, type, reason, 0);
}

#endif
