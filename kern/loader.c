/* Starts the root task: the one ELF the kernel loads itself, from the
 * boot archive (cpio newc, QEMU -initrd). Everything after it, servers
 * and programs, is loaded by user space through the task system calls.
 * The root task is privileged, gets the archive mapped read-only, and
 * starts with a0 = archive address, a1 = its size, a2 = the boot
 * arguments (a string on its stack). */
#include "dtb.h"
#include "errno.h"
#include "kprintf.h"
#include "kstring.h"
#include "loader.h"
#include "mica/cpio.h"
#include "mica/elf.h"
#include "task.h"

static uint64_t seg_perm(uint32_t flags)
{
	return PTE_R | ((flags & ELF_PF_W) ? PTE_W : 0) | ((flags & ELF_PF_X) ? PTE_X : 0);
}

static int load_segments(struct task *t, const uint8_t *file, const struct elf_image *img)
{
	for (int i = 0; i < img->nsegs; i++) {
		const struct elf_seg *s = &img->seg[i];
		uint64_t start = ALIGN_DOWN(s->vaddr, PAGE_SIZE);
		uint64_t end = ALIGN_UP(s->vaddr + s->memsz, PAGE_SIZE);
		int err = task_map_anon(t, start, end - start, seg_perm(s->flags));
		if (!err)
			err = copy_to_user_force(t, s->vaddr, file + s->offset, s->filesz);
		if (err)
			return err;
	}
	return 0;
}

/* Maps the archive read-only (not owned: it stays reserved RAM). */
static int map_initrd(struct task *t, const struct bootinfo *bi)
{
	paddr_t start = ALIGN_DOWN(bi->initrd_start, PAGE_SIZE);
	uint64_t len = ALIGN_UP(bi->initrd_end, PAGE_SIZE) - start;
	return vm_map(t->root, USER_INITRD_BASE, start, len, PTE_R | PTE_U);
}

int loader_start_root(const struct bootinfo *bi, const char *path)
{
	if (bi->initrd_end <= bi->initrd_start) {
		kprintf("loader: no boot archive (QEMU -initrd) to start %s from\n", path);
		return -ENOENT;
	}
	const void *archive = pa2va(bi->initrd_start);
	size_t size = bi->initrd_end - bi->initrd_start;
	struct cpio_file f;
	int err = cpio_find(archive, size, path, &f);
	if (err) {
		kprintf("loader: %s: %s\n", path,
		        err == -ENOENT ? "not in the boot archive" : "boot archive is malformed");
		return err;
	}
	struct elf_image img;
	const char *why = "";
	if (elf_parse(f.data, f.size, USER_MIN_VA, USER_MAX_VA, &img, &why)) {
		kprintf("loader: %s: refused: %s\n", path, why);
		return -ENOEXEC;
	}
	const char *base = strchr(path, '/') ? path + strlen(path) : path;
	while (base > path && base[-1] != '/')
		base--;
	struct task *t = task_alloc(base, TASK_PRIV, NULL, &err);
	if (!t)
		return err;
	size_t alen = strlen(bi->bootargs) + 1;
	uint64_t sp = ALIGN_DOWN(USER_STACK_TOP - alen, 16);
	err = load_segments(t, f.data, &img);
	if (!err)
		err = task_map_anon(t, USER_STACK_TOP - USER_STACK_SIZE, USER_STACK_SIZE,
		                    PTE_R | PTE_W | PTE_LAZY);
	if (!err)
		err = copy_to_user(t, sp, bi->bootargs, alen);
	if (!err)
		err = map_initrd(t, bi);
	struct thread *th = err ? NULL : thread_alloc(t, img.entry, sp, PRIO_DEFAULT, &err);
	if (!th) {
		kprintf("loader: %s: cannot build the task (error %d)\n", path,
		        err ? err : -ENOMEM);
		task_destroy(t, 0, (uint64_t[4]){0});
		return err ? err : -ENOMEM;
	}
	th->tf.x[10] = USER_INITRD_BASE + (bi->initrd_start & (PAGE_SIZE - 1));
	th->tf.x[11] = size;
	th->tf.x[12] = sp;
	sched_ready(th);
	kprintf("loader: started %s (%d segments, entry %p) as task %u\n", path, img.nsegs,
	        (void *)img.entry, t->index);
	return 0;
}
