/* Task and thread lifetimes: allocation from the pools, address-space
 * set-up and teardown, and the death of a task (threads, handles,
 * memory, waiting clients, and the message to the supervisor). */
#include "task.h"
#include "errno.h"
#include "kassert.h"
#include "frame.h"
#include "ipc.h"
#include "kprintf.h"
#include "kstring.h"
#include "plic.h"
#include "riscv.h"
#include "trace.h"

struct thread threads[MAX_THREADS];
struct task tasks[MAX_TASKS];

uint64_t pool_free(enum resource res)
{
	uint64_t n = 0;
	struct frame_stats st;
	switch (res) {
	case RES_TASKS:
		for (int i = 0; i < MAX_TASKS; i++)
			n += !tasks[i].used;
		return n;
	case RES_THREADS:
		for (int i = 0; i < MAX_THREADS; i++)
			n += threads[i].state == TS_FREE;
		return n;
	case RES_FRAMES:
		frame_get_stats(&st);
		return st.free;
	default:
		return ipc_pool_free(res == RES_EPS);
	}
}

/* --- allocation -------------------------------------------------------- */

struct task *task_alloc(const char *name, uint32_t flags, struct task *creator, int *err)
{
	struct task *acct = creator ? creator->acct : NULL, *t = NULL;
	for (int i = 0; i < MAX_TASKS && !t; i++)
		t = tasks[i].used ? NULL : &tasks[i];
	paddr_t root = 0;
	*err = -EAGAIN;
	if (!t || acct_charge(acct, RES_TASKS, 1))
		return NULL;
	if (!(root = frame_alloc())) {
		acct_uncharge(acct, RES_TASKS, 1);
		return NULL;
	}
	uint64_t gen = t->gen;
	memset(t, 0, sizeof(*t));
	t->used = true;
	t->index = (uint16_t)(t - tasks);
	t->gen = gen;
	t->flags = flags;
	for (int k = 0; k < TASK_NAME - 1 && name[k]; k++)
		t->name[k] = name[k];
	t->root = pa2va(root);
	vm_share_kernel(t->root, kernel_root);
	t->satp = MAKE_SATP(root, 0);
	t->owner = creator;
	t->acct = acct_is_limited(acct) ? acct : t; /* a privileged creator opens an account */
	if (t->acct == t)
		acct_open(t);
	return t;
}

struct thread *thread_alloc(struct task *t, uint64_t pc, uint64_t sp, int prio, int *err)
{
	struct thread *th = NULL;
	for (int i = 0; i < MAX_THREADS && !th; i++)
		th = threads[i].state == TS_FREE ? &threads[i] : NULL;
	*err = -EAGAIN;
	if (!th || acct_charge(t->acct, RES_THREADS, 1))
		return NULL;
	uint64_t gen = th->gen;
	memset(th, 0, sizeof(*th));
	th->index = (uint16_t)(th - threads);
	th->gen = gen;
	th->task = t;
	payer_set(&th->paid, t->acct);
	th->tf.sepc = pc;
	th->tf.x[2] = sp;
	th->link.prio = (uint8_t)prio;
	th->work = t->tracer ? WORK_TRACE : 0;
	sched_place(th, t->threads); /* a sibling's share */
	th->sibling = t->threads;
	t->threads = th;
	t->nthreads++;
	th->state = TS_SLEEP; /* not runnable until sched_ready */
	upcall_reset(th);
	return th;
}

/* Takes th out of its task's list; th->task becomes NULL. */
static void thread_unlink(struct thread *th)
{
	struct task *t = th->task;
	if (!t)
		return;
	for (struct thread **p = &t->threads; *p; p = &(*p)->sibling) {
		if (*p == th) {
			*p = th->sibling;
			break;
		}
	}
	t->nthreads--;
	th->task = NULL;
}

void thread_free(struct thread *th)
{
	KASSERT(!th->link.on && !th->wake_tick); /* Invariant: waits on nothing */
	thread_unlink(th);
	payer_refund(&th->paid, RES_THREADS); /* a carrier paid until now */
	kst.ctxsw += th->nvcsw + th->nivcsw;  /* the live threads' are added on reading */
	th->state = TS_FREE;
	th->gen++;
}

/* Cancels th's wait and drops its bound notification: it is inert. */
static void thread_quiesce(struct thread *th)
{
	sched_cancel(th);
	if (th->bound) {
		struct ntfn *n = th->bound;
		th->bound = NULL;
		obj_put_ntfn(n);
	}
}

void thread_destroy(struct thread *th)
{
	thread_quiesce(th);
	thread_free(th);
}

struct thread *thread_by_token(uint64_t token)
{
	uint64_t i = (token & 0xFFFF) - 1;
	if (i >= MAX_THREADS || (threads[i].gen & 0xFFFFFFFFFFFFul) != (token >> 16) ||
	    threads[i].state == TS_FREE)
		return NULL;
	return &threads[i];
}

struct task *task_from_handle(long h, unsigned need, int *err)
{
	if (h == HANDLE_SELF)
		return self();
	struct handle *hd = handle_get(&self()->handles, h, H_TASK, need, err);
	if (!hd)
		return NULL;
	struct task *t = hd->obj;
	if (!t->used || t->gen != hd->gen) {
		*err = -ESRCH;
		return NULL;
	}
	return t;
}

/* Frames mapped with PTE_OWNED, counted per task; the account was
 * charged before each frame was taken and is refunded as they go. */
static void owned_add(struct task *t, long n)
{
	t->owned_pages += (uint64_t)n;
	if (t->owned_pages > t->peak_pages)
		t->peak_pages = t->owned_pages;
	if (n < 0)
		acct_uncharge(t->acct, RES_FRAMES, (uint64_t)-n);
}

int task_map_anon(struct task *t, uint64_t va, uint64_t len, uint64_t pte_perm)
{
	if (pte_perm & PTE_LAZY) /* a zone: each page is charged when touched */
		return dz_add(&t->dz, va, va + len, (pte_perm & ~PTE_LAZY) | PTE_U | PTE_OWNED);
	int err = acct_charge(t->acct, RES_FRAMES, len >> PAGE_SHIFT);
	if (err)
		return err;
	for (uint64_t off = 0; off < len; off += PAGE_SIZE) {
		paddr_t pa = frame_alloc();
		err = pa ? vm_map(t->root, va + off, pa, PAGE_SIZE, pte_perm | PTE_U | PTE_OWNED)
		         : -ENOMEM;
		if (err) {
			if (pa)
				frame_free(pa);
			acct_uncharge(t->acct, RES_FRAMES, (len - off) >> PAGE_SHIFT);
			task_unmap(t, va, off);
			return err;
		}
		owned_add(t, 1);
	}
	return 0;
}

long task_map_dma(struct task *t, uint64_t va, uint64_t len)
{
	uint64_t n = len >> PAGE_SHIFT;
	if (acct_charge(t->acct, RES_FRAMES, n))
		return -ENOMEM;
	paddr_t pa = frame_alloc_run(n);
	if (!pa || vm_map(t->root, va, pa, len, PTE_R | PTE_W | PTE_U | PTE_OWNED)) {
		if (pa)
			frame_free_run(pa, n);
		acct_uncharge(t->acct, RES_FRAMES, n);
		return -ENOMEM;
	}
	owned_add(t, (long)n);
	return (long)pa;
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
	for (struct thread *th = t->threads; th; th = th->sibling)
		if (th->ipc_buf >= va && th->ipc_buf - va < len)
			th->ipc_kva = NULL; /* no longer mapped there */
	uint64_t end = va + len;
	while (va < end) {
		uint64_t skip = absent_span(t->root, va);
		if (skip) {
			va = end - va > skip ? va + skip : end;
			continue;
		}
		pte_t *pte = vm_slot(t->root, va, false, NULL);
		if (pte && PTE_IS_MARK(*pte)) {
			*pte = 0; /* the pager's marker: its slot is the pager's to free */
		} else if (pte && (*pte & PTE_V)) {
			pte_t old = *pte;
			*pte = 0;
			sfence_vma_page(va);
			if (old & PTE_OWNED) {
				frame_free(PTE_PA(old));
				owned_add(t, -1);
			} else if (PTE_IS_SHARED(old)) {
				frame_free(PTE_PA(old)); /* one reference fewer */
				t->shared_pages--;
			}
		}
		va += PAGE_SIZE;
	}
}

bool task_range_used(struct task *t, uint64_t va, uint64_t len)
{
	uint64_t end = va + len;
	if (dz_overlaps(&t->dz, va, end))
		return true;
	while (va < end) {
		uint64_t skip = absent_span(t->root, va);
		if (skip) { /* no table: nothing there */
			va += skip;
			continue;
		}
		pte_t *pte = vm_slot(t->root, va, false, NULL);
		if (!pte)
			return true; /* a large leaf */
		do {                 /* the rest of this last-level table */
			if (*pte++ & PTE_V)
				return true;
			va += PAGE_SIZE;
		} while (va < end && (va & (LEVEL_SIZE(1) - 1)));
	}
	return false;
}

/* A write to a page whose frame may be shared (copy-on-write, or a
 * read-only page that the kernel writes): the last mapping of the frame
 * keeps it, any other gets a copy of its own; a copy-on-write page
 * becomes writable. The task was charged for the page when it was
 * shared. */
int task_unshare(struct task *t, uint64_t va, pte_t *pte)
{
	(void)t;
	paddr_t old = PTE_PA(*pte);
	uint64_t w = (*pte & PTE_COW) ? PTE_W : 0, low = *pte & ((1UL << 10) - 1) & ~PTE_COW;
	if (!frame_shared(old)) {
		*pte = PA_TO_PTE(old) | low | w;
		kst.cow_reused++;
	} else {
		paddr_t pa = frame_alloc();
		if (!pa)
			return -ENOMEM;
		memcpy(pa2va(pa), pa2va(old), PAGE_SIZE);
		*pte = PA_TO_PTE(pa) | low | w;
		frame_free(old); /* one reference fewer */
		kst.cow_copied++;
	}
	sfence_vma_page(va & ~(uint64_t)(PAGE_SIZE - 1));
	return 0;
}

int task_fault_in(struct task *t, uint64_t va, uint64_t need)
{
	const struct dzone *z = dz_find(&t->dz, va);
	va &= ~(uint64_t)(PAGE_SIZE - 1);
	pte_t *pte = vm_walk(t->root, va, NULL);
	if (pte && (need & PTE_W) && (*pte & PTE_COW) && (*pte & PTE_U) && (*pte & PTE_OWNED))
		return task_unshare(t, va, pte);
	if (pte && (*pte & PTE_U) && (*pte & need) == need &&
	    (!(*pte & PTE_A) || ((need & PTE_W) && !(*pte & PTE_D)))) {
		*pte |= PTE_A | ((need & PTE_W) ? PTE_D : 0); /* a hart that faults for A/D */
		sfence_vma_page(va);
		return 0;
	}
	if (!pte && task_marker(t, va))
		return FAULT_PAGER; /* taken away by the pager: it brings it back */
	if (z && (z->pte & DZ_PAGER))
		return FAULT_PAGER; /* whatever it is, the pager decides */
	if (!z || (z->pte & need) != need || pte)
		return -EFAULT;
	if (acct_charge(t->acct, RES_FRAMES, 1))
		return -ENOMEM;
	paddr_t pa = frame_alloc();
	if (!pa || vm_map(t->root, va, pa, PAGE_SIZE, z->pte)) {
		if (pa)
			frame_free(pa);
		acct_uncharge(t->acct, RES_FRAMES, 1);
		return -ENOMEM;
	}
	owned_add(t, 1);
	kst.demand_zero++;
	return 0;
}

int task_share_page(struct task *dst, uint64_t dva, struct task *src, uint64_t sva, uint64_t perm,
                    bool cow)
{
	int lvl = 0;
	pte_t *sp = vm_walk(src->root, sva, &lvl);
	if (!sp || lvl || !(*sp & PTE_U) || !(*sp & (PTE_OWNED | PTE_SHARED)))
		return -EFAULT; /* only user frames someone holds a reference on */
	if (vm_walk(dst->root, dva, NULL))
		return -EEXIST;
	paddr_t pa = PTE_PA(*sp);
	if (cow && acct_charge(dst->acct, RES_FRAMES, 1))
		return -ENOMEM;
	int err = frame_share(pa);
	if (!err) {
		/* private: dst's own page, copied at its first write */
		uint64_t bits = cow ? PTE_OWNED | ((perm & PTE_W) ? PTE_COW : 0) : PTE_SHARED;
		err = vm_map(dst->root, dva, pa, PAGE_SIZE,
		             ((cow ? perm & ~PTE_W : perm) | PTE_U | bits));
		if (err)
			frame_free(pa);
	}
	if (err && cow)
		acct_uncharge(dst->acct, RES_FRAMES, 1);
	if (!err && cow)
		owned_add(dst, 1);
	else if (!err)
		dst->shared_pages++;
	return err;
}

pte_t task_marker(struct task *t, uint64_t va)
{
	pte_t *slot = vm_slot(t->root, va, false, NULL);
	return slot && PTE_IS_MARK(*slot) ? *slot : 0;
}

long task_page_age(struct task *t, uint64_t va, uint64_t n, uint8_t *bits)
{
	long present = 0;
	for (uint64_t i = 0; i < n; i++, va += PAGE_SIZE) {
		pte_t *pte = vm_slot(t->root, va, false, NULL);
		unsigned b = 0;
		if (pte && (*pte & PTE_V) && (*pte & PTE_U) && (*pte & PTE_OWNED)) {
			b = 1 | ((*pte & PTE_A) ? 2 : 0);
			*pte &= ~(uint64_t)PTE_A;
			present++;
		}
		bits[i / 4] =
		    (uint8_t)((bits[i / 4] & ~(3u << (2 * (i % 4)))) | (b << (2 * (i % 4))));
	}
	sfence_vma_all(); /* the next touch sets A again */
	return present;
}

int task_page_evict(struct task *t, uint64_t va, uint64_t slot, void *kbuf)
{
	int lvl = 0;
	pte_t *pte = vm_walk(t->root, va, &lvl);
	if (!pte || lvl || !(*pte & PTE_U) || !(*pte & PTE_OWNED) || slot >= (1ul << 40))
		return -EFAULT;
	for (struct thread *th = t->threads; th; th = th->sibling)
		if ((th->ipc_buf & ~(uint64_t)(PAGE_SIZE - 1)) == va)
			return -EBUSY; /* the kernel writes messages there */
	pte_t old = *pte;
	memcpy(kbuf, pa2va(PTE_PA(old)), PAGE_SIZE);
	*pte = ((slot + 1) << 10) | (old & MARK_BITS);
	sfence_vma_page(va);
	frame_free(PTE_PA(old));
	owned_add(t, -1);
	return 0;
}

int task_page_fill(struct task *t, uint64_t va, const void *kbuf)
{
	pte_t *slot = vm_slot(t->root, va, false, NULL);
	if (!slot || !PTE_IS_MARK(*slot))
		return -EFAULT;
	if (acct_charge(t->acct, RES_FRAMES, 1))
		return -ENOMEM;
	paddr_t pa = frame_alloc();
	if (!pa) {
		acct_uncharge(t->acct, RES_FRAMES, 1);
		return -ENOMEM;
	}
	memcpy(pa2va(pa), kbuf, PAGE_SIZE);
	pte_t bits = *slot & (MARK_BITS & ~PTE_COW);
	if (*slot & PTE_COW) /* its own page now: no one shares it */
		bits |= PTE_W;
	*slot = PA_TO_PTE(pa) | bits | PTE_OWNED | PTE_V | PTE_A; /* clean: as on the disk */
	sfence_vma_page(va);
	owned_add(t, 1);
	return 0;
}

long task_page_dirty(struct task *t, uint64_t va)
{
	int lvl = 0;
	pte_t *pte = vm_walk(t->root, va, &lvl);
	if (!pte || lvl || !(*pte & PTE_OWNED))
		return -EFAULT;
	long d = (*pte & PTE_D) != 0;
	*pte &= ~(uint64_t)PTE_D;
	sfence_vma_page(va); /* the next store sets it again */
	return d;
}

/* One page's new permissions: a writable private page whose frame
 * someone else maps becomes copy-on-write instead; PTE_U off blocks
 * every access (PROT_NONE) while the frame stays. */
static void protect_pte(pte_t *pte, uint64_t perm)
{
	pte_t old = *pte;
	pte_t p = (old & ~(PTE_R | PTE_W | PTE_X | PTE_U)) | PTE_R;
	if (perm & (PTE_R | PTE_W | PTE_X))
		p |= PTE_U | (perm & PTE_X);
	if ((old & PTE_OWNED) && (perm & PTE_W)) {
		bool cow = (old & PTE_COW) || frame_shared(PTE_PA(old));
		p = cow ? p | PTE_COW : (p & ~PTE_COW) | PTE_W;
	} else if (old & PTE_OWNED) {
		p &= ~PTE_COW; /* read-only: a later PROT_WRITE asks frame_shared again */
	} else if (perm & PTE_W) {
		p |= PTE_W;
	}
	*pte = p;
}

int task_protect(struct task *t, uint64_t va, uint64_t len, uint64_t perm)
{
	uint64_t zbits = perm & (PTE_R | PTE_W | PTE_X);
	int err = dz_set_bits(&t->dz, va, va + len, PTE_R | PTE_W | PTE_X, zbits);
	if (err)
		return err;
	for (uint64_t end = va + len; va < end;) {
		uint64_t skip = absent_span(t->root, va);
		if (skip) {
			va = end - va > skip ? va + skip : end;
			continue;
		}
		pte_t *pte = vm_walk(t->root, va, NULL);
		if (pte && (*pte & (PTE_OWNED | PTE_SHARED)))
			protect_pte(pte, perm);
		va += PAGE_SIZE;
	}
	sfence_vma_all();
	for (struct thread *th = t->threads; th; th = th->sibling)
		th->ipc_kva = NULL; /* its buffer may have lost W */
	return 0;
}

/* Frees the user half: owned frames, then every page-table page. */
static void free_user_tables(pte_t *tbl, int lvl)
{
	unsigned lo, hi;
	frame_table_range(va2pa(tbl), &lo, &hi);
	for (unsigned i = lo; i < hi && i < PT_ENTRIES; i++) {
		pte_t pte = tbl[i];
		if (!(pte & PTE_V))
			continue;
		if (PTE_IS_LEAF(pte)) {
			if (pte & (PTE_OWNED | PTE_SHARED)) /* owned, or a shared reference */
				frame_free(PTE_PA(pte));
		} else {
			free_user_tables(pa2va(PTE_PA(pte)), lvl - 1);
		}
	}
	frame_free(va2pa(tbl));
}

static void free_address_space(struct task *t)
{
	unsigned lo, hi;
	frame_table_range(va2pa(t->root), &lo, &hi);
	for (unsigned i = lo; i < hi && i < KERNEL_HALF_FIRST; i++) {
		pte_t pte = t->root[i];
		if ((pte & PTE_V) && !PTE_IS_LEAF(pte))
			free_user_tables(pa2va(PTE_PA(pte)), 1);
	}
	frame_free(va2pa(t->root));
	t->root = NULL;
}

/* The death of one task that owns nothing (any more). */
static void task_teardown(struct task *t, uint64_t label, const uint64_t m[4])
{
	if (t->satp == hart_satp) /* its page tables are about to be freed */
		sched_kernel_satp();
	struct endpoint *super = t->super_ep;
	struct thread *carrier = NULL;
	while (t->threads) {
		struct thread *th = t->threads;
		if (!carrier && super) {
			thread_quiesce(th); /* keeps its slot to carry the message */
			thread_unlink(th);
			carrier = th;
			continue;
		}
		thread_destroy(th);
	}
	/* Clients waiting for a reply from this task will never get one. */
	for (int i = 0; i < MAX_THREADS; i++) {
		if (threads[i].reply_from != t)
			continue;
		if (threads[i].state == TS_REPLY)
			sched_wake(&threads[i], -EPIPE);
		else if (threads[i].state == TS_PAGER) { /* faults again, finds no pager */
			threads[i].reply_from = NULL;
			sched_ready(&threads[i]);
		}
	}
	plic_release_task(t);
	trace_release(t);
	t->super_ep = NULL;
	for (int i = 0; i < HANDLE_MAX; i++)
		handle_release(handle_take(&t->handles, i));
	acct_uncharge(t->acct, RES_FRAMES, t->owned_pages);
	free_address_space(t);
	if (t->acct != t)
		acct_uncharge(t->acct, RES_TASKS, 1);
	t->used = false;
	t->gen++;
	if (carrier)
		ipc_send_carrier(carrier, super, t->super_badge, label, m);
	else if (super)
		obj_put_endpoint(super);
}

void task_destroy(struct task *t, uint64_t label, const uint64_t m[4])
{
	struct task *u;
	while ((u = task_owned_leaf(t))) { /* its creator is gone: so is it */
		uint64_t gone[4] = {(uint64_t)-1, u->index, 0, 0};
		task_teardown(u, MSG_TASK_EXIT, gone);
	}
	task_teardown(t, label, m);
}

/* Copies one user leaf into dst: owned frames are shared (writable ones
 * copy-on-write in both: *src_pte loses W), others (the boot archive,
 * MMIO) mapped as they are. A frame 255 mappings share already is
 * copied. */
static int clone_leaf(struct task *dst, vaddr_t va, pte_t *src_pte)
{
	pte_t pte = *src_pte;
	uint64_t perm = pte & (PTE_PERM_MASK | PTE_RSW);
	if (PTE_IS_SHARED(pte)) { /* shared memory stays shared */
		if (frame_share(PTE_PA(pte)))
			return -ENOMEM;
		int err = vm_map(dst->root, va, PTE_PA(pte), PAGE_SIZE, perm);
		if (err)
			frame_free(PTE_PA(pte));
		else
			dst->shared_pages++, kst.fork_shared++;
		return err;
	}
	if (!(pte & PTE_OWNED))
		return vm_map(dst->root, va, PTE_PA(pte), PAGE_SIZE, perm);
	if (acct_charge(dst->acct, RES_FRAMES, 1) == 0) {
		if (frame_share(PTE_PA(pte)) == 0) {
			if (pte & (PTE_W | PTE_COW)) /* read-only pages are just shared */
				perm = (perm & ~PTE_W) | PTE_COW, pte = (pte & ~PTE_W) | PTE_COW;
			int err = vm_map(dst->root, va, PTE_PA(pte), PAGE_SIZE, perm);
			if (err) {
				frame_free(PTE_PA(pte));
				acct_uncharge(dst->acct, RES_FRAMES, 1);
				return err;
			}
			*src_pte = pte;
			owned_add(dst, 1);
			kst.cow_shared++;
			return 0;
		}
		acct_uncharge(dst->acct, RES_FRAMES, 1);
	}
	int err = acct_charge(dst->acct, RES_FRAMES, 1);
	paddr_t pa = err ? 0 : frame_alloc();
	if (!pa) {
		if (!err)
			acct_uncharge(dst->acct, RES_FRAMES, 1);
		return -ENOMEM;
	}
	memcpy(pa2va(pa), pa2va(PTE_PA(pte)), PAGE_SIZE);
	err = vm_map(dst->root, va, pa, PAGE_SIZE, perm);
	if (err) {
		frame_free(pa);
		acct_uncharge(dst->acct, RES_FRAMES, 1);
	} else {
		owned_add(dst, 1);
	}
	return err;
}

static long clone_table(struct task *dst, pte_t *tbl, int lvl, vaddr_t base)
{
	long pages = 0;
	unsigned lo, hi; /* only the entries ever used */
	frame_table_range(va2pa(tbl), &lo, &hi);
	int end = lvl == 2 ? KERNEL_HALF_FIRST : PT_ENTRIES; /* the user half only */
	end = (int)hi < end ? (int)hi : end;
	for (int i = (int)lo; i < end; i++) {
		pte_t pte = tbl[i];
		vaddr_t va = base + ((uint64_t)i << (PAGE_SHIFT + 9 * lvl));
		long n;
		if (lvl == 0 && PTE_IS_MARK(pte)) { /* the child shares the pager's copy */
			if ((n = vm_set_slot(dst->root, va, pte)))
				return n;
			continue;
		}
		if (!(pte & PTE_V))
			continue;
		if (!PTE_IS_LEAF(pte))
			n = clone_table(dst, pa2va(PTE_PA(pte)), lvl - 1, va);
		else if (lvl != 0)
			n = -EINVAL; /* user space uses 4 KiB pages only */
		else
			n = clone_leaf(dst, va, &tbl[i]) ?: 1;
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
	dst->dz = src->dz; /* the zones' untouched pages stay untouched */
	long n = clone_table(dst, src->root, 2, 0);
	/* src's writable pages are copy-on-write now: no stale TLB entry or
	 * kernel pointer (an IPC buffer's) may still write them */
	sfence_vma_all();
	for (struct thread *th = src->threads; th; th = th->sibling)
		th->ipc_kva = NULL;
	if (n >= 0)
		return n;
	dst->dz = (struct dzone_set){0}; /* undo: drop whatever was copied */
	for (int i = 0; i < KERNEL_HALF_FIRST; i++)
		if ((dst->root[i] & PTE_V))
			task_unmap(dst, (uint64_t)i << 30, 1UL << 30);
	return n;
}
