/* The kernel's address space: the image with per-section permissions,
 * a direct map of all RAM, and the MMIO devices from the device tree.
 * Everything sits in the upper half so user roots can share it. */
#include "dtb.h"
#include "frame.h"
#include "kprintf.h"
#include "panic.h"
#include "riscv.h"
#include "vm.h"

pte_t *kernel_root;

extern char _text_start[], _text_end[], _rodata_start[], _rodata_end[];
extern char _data_start[], _end[];

static void map_or_panic(vaddr_t va, paddr_t pa, uint64_t size, uint64_t perm, const char *what)
{
	int err = vm_map_large(kernel_root, va, pa, size, perm);
	if (err)
		panic("kvm_init: cannot map %s at %p (error %d)", what, (void *)va, err);
}

static void map_section(char *start, char *end, uint64_t perm, const char *what)
{
	map_or_panic((vaddr_t)start, va2pa(start), (uint64_t)(end - start), perm, what);
}

static void map_device(const struct dt_dev *d, const char *what)
{
	if (!d->size)
		return;
	paddr_t base = ALIGN_DOWN(d->base, PAGE_SIZE);
	uint64_t size = ALIGN_UP(d->base + d->size, PAGE_SIZE) - base;
	map_or_panic((vaddr_t)pa2va(base), base, size, PTE_R | PTE_W | PTE_G, what);
}

void kvm_init(const struct bootinfo *bi)
{
	paddr_t root_pa = frame_alloc();
	if (!root_pa)
		panic("kvm_init: no frame for the root table");
	kernel_root = pa2va(root_pa);

	map_section(_text_start, _text_end, PTE_R | PTE_X | PTE_G, "text");
	map_section(_rodata_start, _rodata_end, PTE_R | PTE_G, "rodata");
	map_section(_data_start, _end, PTE_R | PTE_W | PTE_G, "data/bss");
	for (int i = 0; i < bi->nmem; i++)
		map_or_panic((vaddr_t)pa2va(bi->mem[i].base), bi->mem[i].base, bi->mem[i].size,
		             PTE_R | PTE_W | PTE_G, "RAM");
	map_device(&bi->uart, "uart");
	map_device(&bi->plic, "plic");
	map_device(&bi->test, "test device");
	map_device(&bi->rtc, "rtc");
	for (int i = 0; i < bi->nvirtio; i++)
		map_device(&bi->virtio[i], "virtio-mmio");

	int wx = vm_count_wx(kernel_root);
	if (wx)
		panic("kvm_init: %d mappings are both writable and executable", wx);
	w_satp(MAKE_SATP(root_pa, 0));
	kprintf("vm: Sv39 on; text r-x %lu KiB, rodata r-- %lu KiB, data+bss rw- %lu KiB, "
	        "no W+X\n",
	        (unsigned long)(_text_end - _text_start) / 1024,
	        (unsigned long)(_rodata_end - _rodata_start) / 1024,
	        (unsigned long)(_end - _data_start) / 1024);
}
