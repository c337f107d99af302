/* Flattened device tree (DTB) reader: the one place where Mica learns the
 * machine it runs on. dtb_parse checks the blob and fills a struct
 * bootinfo; nothing else in the kernel looks at the DTB. */
#ifndef MICA_DTB_H
#define MICA_DTB_H

#include "types.h"

#define DT_MAX_MEM    4
#define DT_MAX_RESV   8
#define DT_MAX_VIRTIO 8
#define DT_MAX_HARTS  8
#define DT_STR_MAX    256

struct dt_range {
	uint64_t base, size;
};

struct dt_dev {
	uint64_t base, size; /* size == 0: not present */
	uint32_t irq;        /* first interrupt, 0 if none */
};

struct bootinfo {
	uint32_t dtb_size;               /* header totalsize */
	struct dt_range mem[DT_MAX_MEM]; /* /memory@... reg entries */
	int nmem;
	struct dt_range resv[DT_MAX_RESV]; /* /memreserve/ and /reserved-memory */
	int nresv;
	uint64_t timebase_hz;
	uint32_t harts[DT_MAX_HARTS]; /* hart ids of enabled cpus */
	int nharts;
	char isa[DT_STR_MAX]; /* riscv,isa of the first cpu */
	struct dt_dev uart;   /* ns16550a */
	struct dt_dev plic;   /* riscv,plic0 / sifive,plic-1.0.0 */
	uint32_t plic_ndev;   /* riscv,ndev */
	struct dt_dev test;   /* sifive,test0: power-off and exit codes */
	struct dt_dev rtc;    /* google,goldfish-rtc */
	struct dt_dev virtio[DT_MAX_VIRTIO];
	int nvirtio;
	char bootargs[DT_STR_MAX];         /* /chosen/bootargs, "" if none */
	uint64_t initrd_start, initrd_end; /* physical; both 0 if no initrd */
};

/* Parses the blob at fdt (at most max_size bytes readable).
 * Returns 0, or -EINVAL if the blob is malformed in any way it checks. */
int dtb_parse(const void *fdt, size_t max_size, struct bootinfo *bi);

/* Size the header claims, or 0 if the magic is wrong. */
uint32_t dtb_total_size(const void *fdt);

/* The machine as kmain parsed it at boot (read-only). */
const struct bootinfo *kmain_bootinfo(void);

/* True if the ISA string names the extension (e.g. "sstc", "zicsr"). */
bool dtb_isa_has(const struct bootinfo *bi, const char *ext);

#endif
