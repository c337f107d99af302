/* Power-off and exit codes. QEMU's sifive_test device (found in the
 * device tree) powers off with status 0 when written 0x5555, or exits
 * with status `code` when written (code << 16) | 0x3333. Without it we
 * fall back to SBI SRST, which cannot carry a failure code. POWER_REBOOT
 * resets the machine instead (0x7777, or SRST's cold reboot). */
#include "dtb.h"
#include "memlayout.h"
#include "panic.h"
#include "riscv.h"
#include "sbi.h"

#define TEST_PASS            0x5555
#define TEST_FAIL            0x3333
#define TEST_RESET           0x7777 /* the machine resets (QEMU with -no-reboot exits) */
#define SBI_SRST_COLD_REBOOT 1

static volatile uint32_t *test_dev; /* set once at boot */

void power_init(const struct bootinfo *bi)
{
	if (bi->test.size)
		test_dev = pa2va(bi->test.base);
}

void poweroff(int code)
{
	intr_off();
	if (code == POWER_REBOOT) {
		if (test_dev)
			mmio_write32(test_dev, TEST_RESET);
		sbi_system_reset(SBI_SRST_COLD_REBOOT, SBI_SRST_REASON_NONE);
	}
	if (test_dev)
		mmio_write32(test_dev, code ? ((uint32_t)code << 16) | TEST_FAIL : TEST_PASS);
	sbi_system_reset(SBI_SRST_SHUTDOWN, code ? SBI_SRST_REASON_FAIL : SBI_SRST_REASON_NONE);
	for (;;)
		wfi();
}
