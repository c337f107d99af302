/* Loading a checked ELF image into a task through system calls: used by
 * pm's exec in both placements (a user-mode pm traps, a pm inside the
 * kernel calls the kernel directly) and by mica_spawn. */
#include "mica/elf.h"
#include "mica/runtime.h"
#include "mica/syscall.h"

long mica_load_image(long task, const void *file, const struct elf_image *img)
{
	const unsigned char *elf = file;
	for (int i = 0; i < img->nsegs; i++) {
		const struct elf_seg *s = &img->seg[i];
		unsigned long start = s->vaddr & ~4095ul;
		unsigned long end = (s->vaddr + s->memsz + 4095) & ~4095ul;
		unsigned prot = ((s->flags & ELF_PF_R) ? PROT_READ_ : 0) |
		                ((s->flags & ELF_PF_W) ? PROT_WRITE_ : 0) |
		                ((s->flags & ELF_PF_X) ? PROT_EXEC_ : 0);
		long err = mica_vm_map(task, start, end - start, prot);
		if (err >= 0 && s->filesz)
			err = mica_vm_write(task, s->vaddr, elf + s->offset, s->filesz);
		if (err < 0)
			return err;
	}
	return mica_vm_map(task, USER_STACK_TOP - USER_STACK_SIZE, USER_STACK_SIZE,
	                   PROT_READ_ | PROT_WRITE_);
}

long mica_stack_fit(long task, unsigned long bytes)
{
	unsigned long extra = (bytes + 4095) & ~4095ul;
	if (bytes <= USER_STACK_SIZE / 4)
		return 0;
	return mica_vm_map(task, USER_STACK_TOP - USER_STACK_SIZE - extra, extra,
	                   PROT_READ_ | PROT_WRITE_);
}
