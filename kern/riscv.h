/* RISC-V privileged-architecture helpers: every CSR access and special
 * instruction the kernel uses goes through one of these inlines, so the
 * logic above them reads as C and host builds never see inline assembly. */
#ifndef MICA_RISCV_H
#define MICA_RISCV_H

#include "types.h"

/* sstatus */
#define SSTATUS_SIE  (1UL << 1)
#define SSTATUS_SPIE (1UL << 5)
#define SSTATUS_SPP  (1UL << 8)
#define SSTATUS_SUM  (1UL << 18)

/* sie / sip */
#define SIE_SSIE (1UL << 1)
#define SIE_STIE (1UL << 5)
#define SIE_SEIE (1UL << 9)

/* scause */
#define SCAUSE_INTR          (1UL << 63)
#define IRQ_S_SOFT           1
#define IRQ_S_TIMER          5
#define IRQ_S_EXT            9
#define EXC_INST_MISALIGNED  0
#define EXC_INST_FAULT       1
#define EXC_ILLEGAL          2
#define EXC_BREAKPOINT       3
#define EXC_LOAD_MISALIGNED  4
#define EXC_LOAD_FAULT       5
#define EXC_STORE_MISALIGNED 6
#define EXC_STORE_FAULT      7
#define EXC_ECALL_U          8
#define EXC_ECALL_S          9
#define EXC_INST_PAGE_FAULT  12
#define EXC_LOAD_PAGE_FAULT  13
#define EXC_STORE_PAGE_FAULT 15

/* satp */
#define SATP_MODE_SV39           (8UL << 60)
#define MAKE_SATP(root_pa, asid) (SATP_MODE_SV39 | ((uint64_t)(asid) << 44) | ((root_pa) >> 12))

#ifndef HOST_TEST
#include "kstat.h"

#define CSR_READ(name)                                                                             \
	({                                                                                         \
		uint64_t v_;                                                                       \
		__asm__ volatile("csrr %0, " #name : "=r"(v_));                                    \
		v_;                                                                                \
	})
#define CSR_WRITE(name, v) __asm__ volatile("csrw " #name ", %0" ::"rK"((uint64_t)(v)))
#define CSR_SET(name, v)   __asm__ volatile("csrs " #name ", %0" ::"rK"((uint64_t)(v)))
#define CSR_CLEAR(name, v) __asm__ volatile("csrc " #name ", %0" ::"rK"((uint64_t)(v)))

static inline uint64_t r_sstatus(void)
{
	return CSR_READ(sstatus);
}
static inline void w_sstatus(uint64_t v)
{
	CSR_WRITE(sstatus, v);
}
static inline uint64_t r_scause(void)
{
	return CSR_READ(scause);
}
static inline uint64_t r_sepc(void)
{
	return CSR_READ(sepc);
}
static inline uint64_t r_stval(void)
{
	return CSR_READ(stval);
}
static inline uint64_t r_satp(void)
{
	return CSR_READ(satp);
}
static inline void w_stvec(uint64_t v)
{
	CSR_WRITE(stvec, v);
}
static inline void w_sscratch(uint64_t v)
{
	CSR_WRITE(sscratch, v);
}
static inline void sie_enable(uint64_t bits)
{
	CSR_SET(sie, bits);
}
static inline void sie_disable(uint64_t bits)
{
	CSR_CLEAR(sie, bits);
}
static inline uint64_t r_time(void)
{
	return CSR_READ(time);
}
static inline uint64_t r_instret(void)
{
	return CSR_READ(instret);
}
/* stimecmp is CSR 0x14d (Sstc); older assemblers do not know the name. */
static inline void w_stimecmp(uint64_t v)
{
	CSR_WRITE(0x14d, v);
}

static inline void intr_on(void)
{
	CSR_SET(sstatus, SSTATUS_SIE);
}
static inline void intr_off(void)
{
	CSR_CLEAR(sstatus, SSTATUS_SIE);
}
static inline bool intr_get(void)
{
	return (r_sstatus() & SSTATUS_SIE) != 0;
}

static inline void w_satp(uint64_t v)
{
	kst.satp++; /* and a TLB flush: SYS_KSTAT adds these to tlb_flush */
	__asm__ volatile("csrw satp, %0\n\tsfence.vma zero, zero" ::"r"(v) : "memory");
}
static inline void sfence_vma_all(void)
{
	kst.tlb_flush++;
	__asm__ volatile("sfence.vma zero, zero" ::: "memory");
}
static inline void sfence_vma_page(vaddr_t va)
{
	kst.tlb_flush++;
	__asm__ volatile("sfence.vma %0, zero" ::"r"(va) : "memory");
}
static inline void wfi(void)
{
	__asm__ volatile("wfi");
}
static inline uint64_t r_fp(void)
{
	uint64_t fp;
	__asm__ volatile("mv %0, s0" : "=r"(fp));
	return fp;
}
static inline uint64_t r_sp(void)
{
	uint64_t sp;
	__asm__ volatile("mv %0, sp" : "=r"(sp));
	return sp;
}
static inline void mmio_write32(volatile void *addr, uint32_t v)
{
	*(volatile uint32_t *)addr = v;
}
static inline uint32_t mmio_read32(const volatile void *addr)
{
	return *(const volatile uint32_t *)addr;
}

#else /* HOST_TEST: the TLB does not exist on the host */

static inline void sfence_vma_all(void)
{
}
static inline void sfence_vma_page(vaddr_t va)
{
	(void)va;
}
static inline uint64_t r_time(void) /* no clock, no satp: for task.h's inlines */
{
	return 0;
}
static inline void w_satp(uint64_t v)
{
	(void)v;
}

#endif /* HOST_TEST */

#endif
