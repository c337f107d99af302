/* kmain: bring the machine up in dependency order, log each step, then
 * idle. Runs on the boot hart only; interrupts stay off until the timer
 * is programmed. */
#include "bootarg.h"
#include "dtb.h"
#include "errno.h"
#include "frame.h"
#include "kstring.h"
#include "loader.h"
#include "placement.h"
#include "plic.h"
#include "task.h"
#include "kprintf.h"
#include "memlayout.h"
#include "panic.h"
#include "riscv.h"
#include "rtc.h"
#include "timer.h"
#include "trap.h"
#include "vm.h"

#define MICA_VERSION "0.1"
#define DTB_MAX_SIZE (2UL << 20)

extern char _kernel_start[], _text_start[], _end[];

static struct bootinfo bi; /* written once here, read-only afterwards */

const struct bootinfo *kmain_bootinfo(void)
{
	return &bi;
}

static void log_platform(uint64_t hartid, paddr_t dtb_pa)
{
	kprintf("Mica %s (riscv64, Sv39) booting on hart %lu (%d hart%s)\n", MICA_VERSION,
	        (unsigned long)hartid, bi.nharts, bi.nharts == 1 ? "" : "s");
	kprintf("isa: %s\n", bi.isa[0] ? bi.isa : "(not given)");
	kprintf("dtb: %u bytes at %p\n", bi.dtb_size, (void *)dtb_pa);
	for (int i = 0; i < bi.nmem; i++)
		kprintf("memory: %lu MiB at %p-%p\n", (unsigned long)(bi.mem[i].size >> 20),
		        (void *)bi.mem[i].base, (void *)(bi.mem[i].base + bi.mem[i].size - 1));
	kprintf("timebase: %lu Hz\n", (unsigned long)bi.timebase_hz);
	if (bi.uart.size)
		kprintf("uart: ns16550a at %p irq %u\n", (void *)bi.uart.base, bi.uart.irq);
	if (bi.plic.size)
		kprintf("plic: at %p, %u sources\n", (void *)bi.plic.base, bi.plic_ndev);
	if (bi.nvirtio)
		kprintf("virtio-mmio: %d slots, first at %p irq %u\n", bi.nvirtio,
		        (void *)bi.virtio[0].base, bi.virtio[0].irq);
	if (bi.test.size)
		kprintf("test device: at %p (power-off, exit codes)\n", (void *)bi.test.base);
	kprintf("bootargs: \"%s\"\n", bi.bootargs);
	if (bi.initrd_end > bi.initrd_start)
		kprintf("initrd: %p-%p (%lu bytes)\n", (void *)bi.initrd_start,
		        (void *)(bi.initrd_end - 1),
		        (unsigned long)(bi.initrd_end - bi.initrd_start));
	else
		kprintf("initrd: none\n");
}

/* RAM the frame allocator must never hand out: firmware, the kernel
 * image, the DTB and the initrd. */
static int collect_reserved(struct dt_range *r, int max, paddr_t dtb_pa)
{
	int n = 0;
	for (int i = 0; i < bi.nresv && n < max; i++)
		r[n++] = bi.resv[i];
	paddr_t kstart = va2pa(_kernel_start), kend = va2pa(_end);
	if (bi.nresv == 0 && bi.mem[0].base < kstart) {
		/* No reserved-memory node: assume firmware owns RAM below us. */
		kprintf("frames: no reserved-memory in the DTB; reserving %p-%p for firmware\n",
		        (void *)bi.mem[0].base, (void *)(kstart - 1));
		r[n++] = (struct dt_range){bi.mem[0].base, kstart - bi.mem[0].base};
	}
	r[n++] = (struct dt_range){kstart, kend - kstart};
	r[n++] = (struct dt_range){dtb_pa, bi.dtb_size};
	if (bi.initrd_end > bi.initrd_start)
		r[n++] = (struct dt_range){bi.initrd_start, bi.initrd_end - bi.initrd_start};
	return n;
}

static void mem_init(paddr_t dtb_pa)
{
	struct dt_range resv[DT_MAX_RESV + 4];
	int n = collect_reserved(resv, DT_MAX_RESV, dtb_pa);
	for (int i = 0; i < bi.nresv; i++)
		kprintf("reserved: %p-%p (firmware)\n", (void *)resv[i].base,
		        (void *)(resv[i].base + resv[i].size - 1));
	if (bi.nmem == 0)
		panic("mem_init: the device tree lists no memory");
	int err = frame_init(bi.mem[0].base, bi.mem[0].size, resv, n);
	if (err)
		panic("mem_init: frame_init failed (error %d)", err);
	struct frame_stats st;
	frame_get_stats(&st);
	kprintf("frames: %lu total, %lu free (%lu KiB), %lu reserved; kernel %p-%p\n",
	        (unsigned long)st.total, (unsigned long)st.free, (unsigned long)st.free * 4,
	        (unsigned long)st.reserved, (void *)va2pa(_kernel_start),
	        (void *)(va2pa(_end) - 1));
}

static void clock_init(void)
{
	long hz = bootarg_long(bi.bootargs, "mica.hz", HZ);
	if (hz < 1 || hz > 1000) {
		kprintf("timer: mica.hz=%ld out of range 1..1000, using %d\n", hz, HZ);
		hz = HZ;
	}
	bool sstc = dtb_isa_has(&bi, "sstc") && bootarg_long(bi.bootargs, "mica.sstc", 1);
	timer_init(bi.timebase_hz, (uint32_t)hz, sstc);
	kprintf("timer: %ld Hz via %s\n", hz, sstc ? "stimecmp (Sstc)" : "SBI set_timer");
}

/* mica.fault=KIND: a test-only deliberate kernel fault, so the system
 * tests can check the panic report. */
__attribute__((noinline)) static void inject_fault(const char *kind)
{
	static uint64_t not_code[2];             /* data: never executable */
	static volatile uintptr_t near_null = 8; /* hidden from the optimiser */
	kprintf("fault injection: %s\n", kind);
	if (!strcmp(kind, "load"))
		kprintf("read %lu\n", (unsigned long)*(volatile uint64_t *)near_null);
	else if (!strcmp(kind, "store"))
		*(volatile uint32_t *)_text_start = 0; /* text is read-only */
	else if (!strcmp(kind, "exec"))
		((void (*)(void))not_code)();
	else if (!strcmp(kind, "illegal"))
		__asm__ volatile(".word 0");
	else if (!strcmp(kind, "ebreak"))
		__asm__ volatile("ebreak");
	else if (!strcmp(kind, "panic"))
		panic("inject_fault: requested by mica.fault=panic");
	kprintf("fault injection: unknown kind \"%s\"\n", kind);
}

NORETURN static void idle(void)
{
	long heartbeat = bootarg_long(bi.bootargs, "mica.heartbeat", 0);
	long off_after = bootarg_long(bi.bootargs, "mica.poweroff", -1);
	uint64_t hz = timer_hz(), last_sec = 0;
	for (;;) {
		wfi();
		uint64_t ticks = timer_ticks(), sec = ticks / hz;
		if (sec == last_sec)
			continue;
		last_sec = sec;
		if (heartbeat && sec % (uint64_t)heartbeat == 0)
			kprintf("tick: %lu ticks, uptime %lu ms\n", (unsigned long)ticks,
			        (unsigned long)(timer_uptime_us() / 1000));
		if (off_after >= 0 && sec >= (uint64_t)off_after) {
			kprintf("poweroff: clean shutdown after %lu s\n", (unsigned long)sec);
			poweroff(0);
		}
	}
}

NORETURN void kmain(uint64_t hartid, paddr_t dtb_pa)
{
	trap_init();
	const void *fdt = pa2va(dtb_pa);
	uint32_t dtb_size = dtb_total_size(fdt);
	if (dtb_size == 0 || dtb_size > DTB_MAX_SIZE || dtb_parse(fdt, dtb_size, &bi) != 0)
		panic("kmain: no valid device tree at %p", (void *)dtb_pa);
	console_set_timebase(bi.timebase_hz);
	power_init(&bi);
	log_platform(hartid, dtb_pa);
	mem_init(dtb_pa);
	kvm_init(&bi);
	clock_init();
	rtc_init(&bi);
	plic_init(&bi, hartid);
	CSR_WRITE(scounteren, 7); /* user may read cycle, time, instret */

	struct frame_stats st;
	frame_get_stats(&st);
	kprintf("mica: ready (%lu free frames)\n", (unsigned long)st.free);
	char fault[16];
	if (bootarg_get(bi.bootargs, "mica.fault", fault, sizeof(fault)))
		inject_fault(fault);
	char init[64] = "";
	bootarg_get(bi.bootargs, "mica.init", init, sizeof(init));
	kprintf("mica: placement %s\n", placement_name);
	if (bi.initrd_end <= bi.initrd_start ||
	    (init[0] ? loader_start_root(&bi, init) : placement_start(&bi)) != 0) {
		kprintf("mica: no root task; idling\n");
		intr_on();
		idle();
	}
	sched_start();
}
