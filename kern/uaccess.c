/* Access to user memory. The kernel never dereferences a user address:
 * every access walks the task's page table, checks U and the needed
 * permission, and goes through the direct map. A bad address is -EFAULT.
 * A server linked into the kernel (mono) is a task whose memory is the
 * kernel's: its pointers are used as they are. */
#include "errno.h"
#include "frame.h"
#include "kstring.h"
#include "task.h"

bool user_range_ok(uint64_t uva, size_t len)
{
	return uva < USER_TOP && len <= USER_TOP - uva;
}

static bool is_kernel_task(const struct task *t)
{
	return t->flags & TASK_KERNEL;
}

/* Kernel pointer to the byte at va in t, or NULL; *room: bytes that
 * follow it contiguously (to the page end, or all of len for the kernel). */
static uint8_t *span(struct task *t, uint64_t va, uint64_t need, bool write, size_t len,
                     size_t *room)
{
	if (is_kernel_task(t)) {
		*room = len;
		return (uint8_t *)va;
	}
	int lvl;
	pte_t *pte = vm_walk(t->root, va, &lvl);
	if (!pte && !task_fault_in(t, va, need | (write ? PTE_W : 0))) /* demand-zero */
		pte = vm_walk(t->root, va, &lvl);
	/* a write never reaches a frame another address space still maps:
	 * copy-on-write, or (forced, need 0) a shared read-only page */
	if (pte && write && (*pte & PTE_OWNED) &&
	    ((*pte & PTE_COW) || (!need && frame_shared(PTE_PA(*pte)))) &&
	    task_unshare(t, va, pte) < 0)
		return NULL;
	/* nor, even forced (a loader's), a shared page that is read-only:
	 * it is someone's program text or a read-only view of shared memory */
	if (pte && write && PTE_IS_SHARED(*pte) && !(*pte & PTE_W))
		return NULL;
	if (!pte || !(*pte & PTE_U) || (*pte & need) != need)
		return NULL;
	if (write) /* the kernel's stores skip the hart's walk: mark it as the hart would */
		*pte |= PTE_A | PTE_D;
	uint64_t size = LEVEL_SIZE(lvl), off = va & (size - 1);
	*room = size - off;
	return (uint8_t *)pa2va(PTE_PA(*pte)) + off;
}

static bool range_ok(const struct task *t, uint64_t va, size_t len)
{
	return is_kernel_task(t) || user_range_ok(va, len);
}

static int copy_out(struct task *t, uint64_t uva, const void *src, size_t len, uint64_t need)
{
	if (!range_ok(t, uva, len))
		return -EFAULT;
	const uint8_t *s = src;
	while (len) {
		size_t room;
		uint8_t *d = span(t, uva, need, true, len, &room);
		if (!d)
			return -EFAULT;
		size_t n = MIN(room, len);
		memcpy(d, s, n);
		kst.copied += n;
		s += n, uva += n, len -= n;
	}
	return 0;
}

int copy_to_user(struct task *t, uint64_t uva, const void *src, size_t len)
{
	return copy_out(t, uva, src, len, PTE_W);
}

int copy_to_user_force(struct task *t, uint64_t uva, const void *src, size_t len)
{
	return copy_out(t, uva, src, len, 0);
}

int copy_from_user(struct task *t, void *dst, uint64_t uva, size_t len)
{
	if (!range_ok(t, uva, len))
		return -EFAULT;
	uint8_t *d = dst;
	while (len) {
		size_t room;
		const uint8_t *s = span(t, uva, PTE_R, false, len, &room);
		if (!s)
			return -EFAULT;
		size_t n = MIN(room, len);
		memcpy(d, s, n);
		kst.copied += n;
		d += n, uva += n, len -= n;
	}
	return 0;
}

int copy_user_to_user(struct task *dst, uint64_t dva, struct task *src, uint64_t sva, size_t len,
                      bool force)
{
	if (!range_ok(dst, dva, len) || !range_ok(src, sva, len))
		return -EFAULT;
	while (len) {
		size_t droom, sroom;
		uint8_t *d = span(dst, dva, force ? 0 : PTE_W, true, len, &droom);
		const uint8_t *s = span(src, sva, PTE_R, false, len, &sroom);
		if (!d || !s)
			return -EFAULT;
		size_t n = MIN(len, MIN(droom, sroom));
		memmove(d, s, n);
		kst.copied += n;
		dva += n, sva += n, len -= n;
	}
	return 0;
}

/* The kernel address of a user page's byte at va, if t may access it
 * with need (PTE_R, PTE_W); NULL otherwise. For a payload within one page. */
void *user_page_ptr(struct task *t, uint64_t va, uint64_t need)
{
	size_t room;
	if (!range_ok(t, va, 1))
		return NULL;
	return span(t, va, need, (need & PTE_W) != 0, PAGE_SIZE, &room);
}

void *ipc_buf_ptr(struct thread *th)
{
	if (!th->ipc_kva && th->ipc_buf)
		th->ipc_kva = user_page_ptr(th->task, th->ipc_buf, PTE_R | PTE_W);
	return th->ipc_kva;
}
