/* Access to user memory. The kernel never dereferences a user address:
 * every access walks the task's page table, checks U and the needed
 * permission, and goes through the direct map. A bad address is -EFAULT. */
#include "errno.h"
#include "kstring.h"
#include "task.h"

bool user_range_ok(uint64_t uva, size_t len)
{
	return uva < USER_TOP && len <= USER_TOP - uva;
}

/* Kernel pointer to the byte at uva, or NULL; *room: bytes to page end. */
static uint8_t *user_byte(struct task *t, uint64_t uva, uint64_t need, size_t *room)
{
	int lvl;
	pte_t *pte = vm_walk(t->root, uva, &lvl);
	if (!pte || !(*pte & PTE_U) || (*pte & need) != need)
		return NULL;
	uint64_t size = LEVEL_SIZE(lvl), off = uva & (size - 1);
	*room = size - off;
	return (uint8_t *)pa2va(PTE_PA(*pte)) + off;
}

static int copy_out(struct task *t, uint64_t uva, const void *src, size_t len, uint64_t need)
{
	if (!user_range_ok(uva, len))
		return -EFAULT;
	const uint8_t *s = src;
	while (len) {
		size_t room;
		uint8_t *d = user_byte(t, uva, need, &room);
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
	if (!user_range_ok(uva, len))
		return -EFAULT;
	uint8_t *d = dst;
	while (len) {
		size_t room;
		const uint8_t *s = user_byte(t, uva, PTE_R, &room);
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
	if (!user_range_ok(dva, len) || !user_range_ok(sva, len))
		return -EFAULT;
	while (len) {
		size_t droom, sroom;
		uint8_t *d = user_byte(dst, dva, force ? 0 : PTE_W, &droom);
		const uint8_t *s = user_byte(src, sva, PTE_R, &sroom);
		if (!d || !s)
			return -EFAULT;
		size_t n = MIN(len, MIN(droom, sroom));
		memmove(d, s, n);
		kst.copied += n;
		dva += n, sva += n, len -= n;
	}
	return 0;
}
