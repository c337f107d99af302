/* Task and thread lifetimes: allocation from the pools, address-space
 * set-up and teardown, and the death of a task (threads, handles,
 * memory, waiting clients, and the message to the supervisor). */
#include "task.h"
#include "errno.h"
#include "frame.h"
#include "ipc.h"
#include "kprintf.h"
#include "kstring.h"
#include "plic.h"
#include "riscv.h"

struct thread threads[MAX_THREADS];
struct task tasks[MAX_TASKS];

struct task *task_alloc(const char *name, uint32_t flags)
{
	for (int i = 0; i < MAX_TASKS; i++) {
		struct task *t = &tasks[i];
		if (t->used)
			continue;
		paddr_t root = frame_alloc();
		if (!root)
			return NULL;
		uint16_t gen = t->gen;
		memset(t, 0, sizeof(*t));
		t->used = true;
		t->index = (uint16_t)i;
		t->gen = gen;
		t->flags = flags;
		for (int k = 0; k < TASK_NAME - 1 && name[k]; k++)
			t->name[k] = name[k];
		t->root = pa2va(root);
		vm_share_kernel(t->root, kernel_root);
		t->satp = MAKE_SATP(root, 0);
		return t;
	}
	return NULL;
}

struct thread *thread_alloc(struct task *t, uint64_t pc, uint64_t sp, int prio)
{
	for (int i = 0; i < MAX_THREADS; i++) {
		struct thread *th = &threads[i];
		if (th->state != TS_FREE)
			continue;
		uint16_t gen = th->gen;
		memset(th, 0, sizeof(*th));
		th->index = (uint16_t)i;
		th->gen = gen;
		th->task = t;
		th->tf.sepc = pc;
		th->tf.x[2] = sp;
		th->link.prio = (uint8_t)prio;
		th->sibling = t->threads;
		t->threads = th;
		t->nthreads++;
		th->state = TS_SLEEP; /* not runnable until sched_ready */
		return th;
	}
	return NULL;
}

/* Unlinks th from its task's list and returns the slot to the pool. */
void thread_free(struct thread *th)
{
	struct task *t = th->task;
	if (t) {
		for (struct thread **p = &t->threads; *p; p = &(*p)->sibling) {
			if (*p == th) {
				*p = th->sibling;
				break;
			}
		}
		t->nthreads--;
	}
	th->state = TS_FREE;
	th->gen++;
}

struct thread *thread_by_token(uint64_t token)
{
	uint64_t i = (token & 0xFFFF) - 1;
	if (i >= MAX_THREADS || threads[i].gen != (token >> 16) || threads[i].state == TS_FREE)
		return NULL;
	return &threads[i];
}

struct task *task_from_handle(long h, int *err)
{
	if (h == HANDLE_SELF)
		return cur->task;
	struct handle *hd = handle_get(&cur->task->handles, h, H_TASK, 0, err);
	if (!hd)
		return NULL;
	struct task *t = hd->obj;
	if (!t->used || t->gen != hd->gen) {
		*err = -ESRCH;
		return NULL;
	}
	return t;
}

int task_map_anon(struct task *t, uint64_t va, uint64_t len, uint64_t pte_perm)
{
	for (uint64_t off = 0; off < len; off += PAGE_SIZE) {
		paddr_t pa = frame_alloc();
		int err =
		    pa ? vm_map(t->root, va + off, pa, PAGE_SIZE, pte_perm | PTE_U | PTE_OWNED)
		       : -ENOMEM;
		if (err) {
			if (pa)
				frame_free(pa);
			task_unmap(t, va, off);
			return err;
		}
		t->owned_pages++;
	}
	return 0;
}

/* Bytes from va to the end of the smallest table level that maps nothing
 * there (a whole 1 GiB or 2 MiB region can be skipped), or 0 if a leaf
 * or a 4 KiB slot is in use. */
static uint64_t absent_span(pte_t *root, uint64_t va)
{
	pte_t *t = root;
	for (int lvl = 2; lvl > 0; lvl--) {
		pte_t pte = t[VPN(va, lvl)];
		if (!(pte & PTE_V))
			return LEVEL_SIZE(lvl) - (va & (LEVEL_SIZE(lvl) - 1));
		if (PTE_IS_LEAF(pte))
			return 0;
		t = pa2va(PTE_PA(pte));
	}
	return 0;
}

/* Removes whatever is mapped in [va, va+len), freeing owned frames.
 * Empty regions are skipped whole, so a huge range costs little. */
void task_unmap(struct task *t, uint64_t va, uint64_t len)
{
	uint64_t end = va + len;
	while (va < end) {
		uint64_t skip = absent_span(t->root, va);
		if (skip) {
			va = end - va > skip ? va + skip : end;
			continue;
		}
		pte_t *pte = vm_walk(t->root, va, NULL);
		if (pte) {
			pte_t old = *pte;
			*pte = 0;
			sfence_vma_page(va);
			if (old & PTE_OWNED) {
				frame_free(PTE_PA(old));
				t->owned_pages--;
			}
		}
		va += PAGE_SIZE;
	}
}

/* Frees the user half: owned frames, then every page-table page. */
static void free_user_tables(pte_t *tbl, int lvl)
{
	for (int i = 0; i < PT_ENTRIES; i++) {
		pte_t pte = tbl[i];
		if (!(pte & PTE_V))
			continue;
		if (PTE_IS_LEAF(pte)) {
			if (pte & PTE_OWNED)
				frame_free(PTE_PA(pte));
		} else {
			free_user_tables(pa2va(PTE_PA(pte)), lvl - 1);
		}
	}
	frame_free(va2pa(tbl));
}

static void free_address_space(struct task *t)
{
	for (int i = 0; i < KERNEL_HALF_FIRST; i++) {
		pte_t pte = t->root[i];
		if ((pte & PTE_V) && !PTE_IS_LEAF(pte))
			free_user_tables(pa2va(PTE_PA(pte)), 1);
	}
	frame_free(va2pa(t->root));
	t->root = NULL;
}

void handle_release(struct handle h)
{
	if (h.type == H_ENDPOINT)
		obj_put_endpoint(h.obj);
	else if (h.type == H_NTFN)
		obj_put_ntfn(h.obj);
}

/* Takes th off every queue and timer it may be on. */
static void thread_detach(struct thread *th)
{
	sched_untimeout(th);
	if (th->link.on)
		ipc_unqueue(th);
	if (th->waiting && th->waiting->waiter == th)
		th->waiting->waiter = NULL;
	if (th->bound && th->bound->waiter == th)
		th->bound->waiter = NULL;
}

void task_destroy(struct task *t, uint64_t label, const uint64_t m[4])
{
	if (t->satp == hart_satp) /* its page tables are about to be freed */
		sched_kernel_satp();
	struct thread *carrier = NULL;
	while (t->threads) {
		struct thread *th = t->threads;
		thread_detach(th);
		if (!carrier && t->super_ep) {
			carrier = th; /* keeps its slot to carry the message */
			t->threads = th->sibling;
			t->nthreads--;
			th->task = NULL;
			continue;
		}
		thread_free(th);
	}
	/* Clients waiting for a reply from this task will never get one. */
	for (int i = 0; i < MAX_THREADS; i++)
		if (threads[i].state == TS_REPLY && threads[i].reply_from == t)
			sched_wake(&threads[i], -EPIPE);
	plic_release_task(t);
	struct endpoint *super = t->super_ep;
	uint64_t badge = t->super_badge;
	t->super_ep = NULL;
	for (int i = 0; i < HANDLE_MAX; i++)
		handle_release(handle_take(&t->handles, i));
	free_address_space(t);
	t->used = false;
	t->gen++;
	if (carrier)
		ipc_send_carrier(carrier, super, badge, label, m);
	else if (super)
		obj_put_endpoint(super);
}

/* Copies one user leaf into dst: owned frames are duplicated, others
 * (the boot archive, MMIO) shared as they are. */
static int clone_leaf(struct task *dst, vaddr_t va, pte_t pte)
{
	uint64_t perm = pte & (PTE_PERM_MASK | PTE_RSW);
	if (!(pte & PTE_OWNED))
		return vm_map(dst->root, va, PTE_PA(pte), PAGE_SIZE, perm);
	paddr_t pa = frame_alloc();
	if (!pa)
		return -ENOMEM;
	memcpy(pa2va(pa), pa2va(PTE_PA(pte)), PAGE_SIZE);
	int err = vm_map(dst->root, va, pa, PAGE_SIZE, perm);
	if (err)
		frame_free(pa);
	else
		dst->owned_pages++;
	return err;
}

static long clone_table(struct task *dst, const pte_t *tbl, int lvl, vaddr_t base)
{
	long pages = 0;
	int end = lvl == 2 ? KERNEL_HALF_FIRST : PT_ENTRIES; /* the user half only */
	for (int i = 0; i < end; i++) {
		pte_t pte = tbl[i];
		vaddr_t va = base + ((uint64_t)i << (PAGE_SHIFT + 9 * lvl));
		long n;
		if (!(pte & PTE_V))
			continue;
		if (!PTE_IS_LEAF(pte))
			n = clone_table(dst, pa2va(PTE_PA(pte)), lvl - 1, va);
		else if (lvl != 0)
			n = -EINVAL; /* user space uses 4 KiB pages only */
		else
			n = clone_leaf(dst, va, pte) ?: 1;
		if (n < 0)
			return n;
		pages += n;
	}
	return pages;
}

long task_clone_memory(struct task *dst, struct task *src)
{
	for (int i = 0; i < KERNEL_HALF_FIRST; i++)
		if (dst->root[i] & PTE_V)
			return -EEXIST;
	long n = clone_table(dst, src->root, 2, 0);
	if (n < 0) /* undo: drop whatever was copied */
		for (int i = 0; i < KERNEL_HALF_FIRST; i++)
			if ((dst->root[i] & PTE_V))
				task_unmap(dst, (uint64_t)i << 30, 1UL << 30);
	return n;
}
