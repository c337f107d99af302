/* pm's swapping policy: when free memory runs low, a clock over the
 * processes' private pages (their accessed bits, SYS_VM_PAGE's age)
 * takes the ones not used since the hand last passed, writes them to the
 * swap area through fs and leaves a marker in their page table; a touch
 * of one faults to pm, which reads it back and gives it back (fill).
 * Slots are counted: fork shares a swapped page as it shares a page in
 * memory. The kernel only moves pages; fs only moves bytes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mica/errno.h"
#include "mica/host.h"
#include "mica/mmregion.h"
#include "mica/proto/fs.h"
#include "mica/proto/pm.h"
#include "mica/runtime.h"
#include "proc.h"
#include "clock.h"
#include "swapmap.h"

#define PAGE     4096ul
#define SCAN_MAX (1ul << 16) /* pages one reclaim looks at: two passes over 128 MiB */
/* A swap map entry for a page back in memory whose slot still holds its
 * bytes (the swap cache): while the page stays clean (its dirty bit,
 * VMP_DIRTY) it goes out again without being written. */
#define CACHED (1ull << 62)

static struct {
	bool on;
	uint64_t slots, used, hint;
	uint8_t *refs; /* per slot: the page tables that point at it */
	char dev[64];
	struct clock hand;
	unsigned long evicted;   /* pages sent out since boot */
	unsigned long unwritten; /* of those, clean ones their slot still held */
} sw;

static uint8_t page[PAGE];   /* a page on its way out */
static uint8_t inpage[PAGE]; /* and one on its way in: making room for it sends pages out */

static int result(struct srv_rep *rep, long r)
{
	rep->result = r;
	return SRV_REPLY;
}

bool swap_on(void)
{
	return sw.on;
}

uint64_t swap_free_pages(void)
{
	return sw.on ? sw.slots - sw.used : 0;
}

static long slot_get(void)
{
	for (uint64_t n = 0; n < sw.slots; n++) {
		uint64_t s = (sw.hint + n) % sw.slots;
		if (!sw.refs[s]) {
			sw.refs[s] = 1, sw.used++, sw.hint = s + 1;
			return (long)s;
		}
	}
	return -ENOSPC;
}

static void slot_put(uint64_t s)
{
	if (s < sw.slots && sw.refs[s] && --sw.refs[s] == 0)
		sw.used--;
}

/* --- what the clock looks at ------------------------------------------------------ */

/* A process's k-th range of private memory (program data, heap, stack,
 * private mappings): false past the last. */
static bool region(const struct proc *p, int k, uint64_t *lo, uint64_t *hi)
{
	for (int i = 0; i < p->nseg; i++)
		if ((p->seg[i].prot & 2) && k-- == 0) {
			*lo = p->seg[i].lo, *hi = p->seg[i].hi;
			return true;
		}
	if (k-- == 0) {
		*lo = p->brk_start, *hi = (p->brk + PAGE - 1) & ~(PAGE - 1);
		return true;
	}
	if (k-- == 0) {
		*lo = USER_STACK_TOP - p->stack_size, *hi = USER_STACK_TOP;
		return true;
	}
	for (int i = 0; p->mm && i < p->mm->n; i++)
		if (!(p->mm->r[i].flags & 1 /* RF_SHARED */) && k-- == 0) {
			*lo = p->mm->r[i].lo, *hi = p->mm->r[i].hi;
			return true;
		}
	return false;
}

/* Takes p's page at va out to the swap area: 0, or -errno (-EAGAIN: fs
 * cannot take more writes now; -ENOSPC: the area is full). */
static long evict(struct proc *p, uint64_t va)
{
	uint64_t kept;
	if (p->swap && sm_get(p->swap, va, &kept) && (kept & CACHED)) {
		kept &= ~CACHED;
		long d = mica_vm_page(p->task, va, VMP_DIRTY, 0, NULL);
		if (d == 0 &&
		    mica_vm_page(p->task, va, VMP_EVICT, (unsigned long)kept, page) == 0) {
			sm_put(p->swap, va, kept); /* out again: its slot has its bytes */
			p->nswap++;
			sw.evicted++, sw.unwritten++;
			return 0;
		}
		sm_del(p->swap, va); /* written since: the slot's copy is stale */
		slot_put(kept);
	}
	long slot = slot_get();
	if (slot < 0)
		return slot;
	if (!p->swap && !(p->swap = calloc(1, sizeof(*p->swap)))) {
		slot_put((uint64_t)slot);
		return -ENOMEM;
	}
	/* room in the map first, then the bytes to fs, and only once fs has
	 * them the page goes: a failure on the way leaves it where it was
	 * (nothing of the process runs meanwhile, so the bytes stay right) */
	long r = sm_put(p->swap, va, (uint64_t)slot);
	if (!r)
		r = mica_vm_read(p->task, va, page, PAGE) == (long)PAGE ? 0 : -EFAULT;
	if (!r) {
		struct host_call c = {.op = FS_PM_SWAPOUT,
		                      .m = {(unsigned long)slot, sw.used},
		                      .handle = -1,
		                      .win = page,
		                      .win_len = PAGE,
		                      .win_out = false};
		r = host_call(pm.fs, &c);
		r = r < 0 ? r : c.result;
	}
	if (!r)
		r = mica_vm_page(p->task, va, VMP_EVICT, (unsigned long)slot, page);
	if (r < 0) {
		sm_del(p->swap, va);
		slot_put((uint64_t)slot);
		return r == -FS_EWAIT ? -EAGAIN : r;
	}
	p->nswap++;
	sw.evicted++;
	return 0;
}

unsigned long swap_evicted(void)
{
	return sw.evicted;
}

void swap_tell_fs(void)
{
	static uint64_t told, told_unwritten;
	if (!sw.on || (sw.used == told && sw.unwritten == told_unwritten))
		return;
	struct host_call c = {.op = FS_PM_SWAPON, .m = {2, sw.used, sw.unwritten}, .handle = -1};
	if (host_call(pm.fs, &c) == 0 && c.result == 0)
		told = sw.used, told_unwritten = sw.unwritten;
}

static bool clock_range(void *arg, int i, int k, uint64_t *lo, uint64_t *hi)
{
	(void)arg;
	const struct proc *p = &pm.procs[i];
	return p->state == P_ALIVE && p->task >= 0 && region(p, k, lo, hi);
}

static long clock_age(void *arg, int i, uint64_t va, uint64_t n, uint8_t *bits)
{
	(void)arg;
	return mica_vm_page(pm.procs[i].task, va, VMP_AGE, n, bits);
}

static long clock_evict(void *arg, int i, uint64_t va)
{
	(void)arg;
	return evict(&pm.procs[i], va);
}

static const struct clock_ops clock_ops = {
    .nprocs = MAX_PROCS, .range = clock_range, .age = clock_age, .evict = clock_evict};

unsigned long swap_reclaim(unsigned long want_free)
{
	struct kinfo k;
	if (!sw.on || mica_kinfo(&k) || k.frames_free >= want_free)
		return 0;
	return clock_run(&sw.hand, &clock_ops, want_free - k.frames_free, SCAN_MAX, -1);
}

/* --- faults ----------------------------------------------------------------------- */

/* The slot's page into inpage: 0, -FS_EWAIT (fs is reading it), -errno. */
static long read_slot(uint64_t slot)
{
	struct host_call c = {.op = FS_PM_SWAPIN,
	                      .m = {(unsigned long)slot, sw.used},
	                      .handle = -1,
	                      .win = inpage,
	                      .win_len = PAGE,
	                      .win_out = true};
	long r = host_call(pm.fs, &c);
	return r < 0 ? r : c.result;
}

int swap_fault(struct server *s, const struct srv_req *req, struct srv_rep *rep, struct proc *p,
               srv_handler again)
{
	uint64_t va = req->m[0] & ~(PAGE - 1), slot = req->m[2] - 1, have;
	if (!sw.on || !p->swap || !sm_get(p->swap, va, &have) || have != slot)
		return result(rep, -EFAULT); /* not one of ours: nothing to bring back */
	long r = read_slot(slot);
	if (r == -FS_EWAIT) /* on its way from the disk: asked again when it is here */
		return pm_later(again, req, rep, req->data);
	if (r < 0)
		return result(rep, -EIO);
	r = mica_vm_page(p->task, va, VMP_FILL, 0, inpage);
	if (r == -ENOMEM) { /* make room, then again */
		swap_reclaim(pm_low_water() + 16);
		r = mica_vm_page(p->task, va, VMP_FILL, 0, inpage);
	}
	if (r == -ENOMEM)
		return pm_later(again, req, rep, req->data); /* after the writes drain */
	if (r < 0)
		return result(rep, -EFAULT);
	sm_put(p->swap, va, slot | CACHED); /* the slot keeps a copy while the page is clean */
	p->nswap--;
	(void)s;
	return result(rep, 0);
}

int swap_nomem(struct server *s, const struct srv_req *req, struct srv_rep *rep, srv_handler again)
{
	(void)s;
	struct proc *p = proc_sender(req);
	struct kinfo k;
	if (!p || mica_kinfo(&k))
		return result(rep, -ENOMEM);
	if (!sw.on || sw.used == sw.slots) {
		/* nowhere to put anything. Memory itself short: the OOM killer
		 * picks the largest (maybe this one), as Linux's does at a
		 * failed allocation, and the fault runs again; only this
		 * process's account full: it is out of memory */
		if (k.frames_free < pm_low_water() && pm_oom_kill() && p->state == P_ALIVE)
			return result(rep, 0);
		return result(rep, -ENOMEM);
	}
	unsigned long want = pm_low_water() + 64;
	/* memory is short, or this process is at its account's limit: then
	 * its own pages make the room */
	if (k.frames_free < want
	        ? swap_reclaim(want)
	        : clock_run(&sw.hand, &clock_ops, 64, SCAN_MAX, (int)(p - pm.procs)))
		return result(rep, 0);
	/* nothing went out yet: fs's writes are full, or every page was used
	 * since the hand passed (the next pass takes them) */
	return pm_later(again, req, rep, req->data);
}

/* --- a process's swapped pages ------------------------------------------------------ */

static void put_slot(uint64_t va, uint64_t slot, void *arg)
{
	(void)va, (void)arg;
	slot_put(slot & ~CACHED);
}

static void ref_slot(uint64_t va, uint64_t slot, void *arg)
{
	(void)va, (void)arg;
	slot &= ~CACHED;
	if (slot < sw.slots && sw.refs[slot] < 255)
		sw.refs[slot]++;
}

void swap_fork(struct proc *child, const struct proc *parent)
{
	child->swap = NULL;
	child->nswap = parent->nswap;
	if (!parent->swap || !(child->swap = calloc(1, sizeof(*child->swap))))
		return;
	if (sm_copy(child->swap, parent->swap)) {
		free(child->swap);
		child->swap = NULL;
		return;
	}
	sm_each(child->swap, ref_slot, NULL);
}

void swap_release(struct proc *p)
{
	if (p->swap) {
		sm_each(p->swap, put_slot, NULL);
		sm_free(p->swap);
		free(p->swap);
		p->swap = NULL;
	}
	p->nswap = 0;
}

struct range {
	uint64_t lo, hi, n, va[64];
};

static void in_range(uint64_t va, uint64_t slot, void *arg)
{
	struct range *r = arg;
	(void)slot;
	if (va >= r->lo && va < r->hi && r->n < 64)
		r->va[r->n++] = va;
}

void swap_forget(struct proc *p, uint64_t lo, uint64_t hi)
{
	struct range r = {.lo = lo, .hi = hi};
	do { /* the kernel dropped their markers with the pages */
		r.n = 0;
		if (p->swap)
			sm_each(p->swap, in_range, &r);
		for (uint64_t i = 0; i < r.n; i++) {
			uint64_t slot = 0;
			sm_get(p->swap, r.va[i], &slot);
			slot_put(slot & ~CACHED);
			sm_del(p->swap, r.va[i]);
			p->nswap -= !(slot & CACHED);
		}
	} while (r.n == 64);
}

/* --- swapon and swapoff -------------------------------------------------------------- */

static long swapon(const char *dev)
{
	size_t n = strlen(dev);
	if (!n || n >= sizeof(sw.dev))
		return -EINVAL;
	if (sw.on)
		return -EBUSY;
	memcpy(host_buf(), dev, n + 1);
	struct host_call c = {.op = FS_PM_SWAPON, .len = n + 1, .handle = -1};
	long r = host_call(pm.fs, &c);
	r = r < 0 ? r : c.result;
	if (r < 0)
		return r;
	uint64_t slots = c.rm[0];
	if (!slots || !(sw.refs = calloc(slots, 1))) {
		c = (struct host_call){.op = FS_PM_SWAPON, .m = {1}, .handle = -1};
		host_call(pm.fs, &c);
		return slots ? -ENOMEM : -EINVAL;
	}
	sw.on = true, sw.slots = slots, sw.used = 0, sw.hint = 0;
	memcpy(sw.dev, dev, n + 1);
	printf("pm: swap on %s: %lu KiB\n", dev, (unsigned long)slots * 4);
	return 0;
}

/* Brings every swapped page back: 0, or -FS_EWAIT while reads are on
 * their way (called again), or -ENOMEM (no room for them). */
static long swapoff(void)
{
	for (int i = 0; i < MAX_PROCS; i++) {
		struct proc *p = &pm.procs[i];
		while (p->state == P_ALIVE && p->swap && p->swap->n) {
			struct range r = {.lo = 0, .hi = ~0ul};
			sm_each(p->swap, in_range, &r);
			for (uint64_t j = 0; j < r.n; j++) {
				uint64_t slot = 0;
				sm_get(p->swap, r.va[j], &slot);
				if (slot & CACHED) { /* in memory: only the slot's copy goes */
					sm_del(p->swap, r.va[j]);
					slot_put(slot & ~CACHED);
					continue;
				}
				long e = read_slot(slot);
				if (e < 0)
					return e == -FS_EWAIT ? e : -EIO;
				e = mica_vm_page(p->task, r.va[j], VMP_FILL, 0, inpage);
				if (e < 0 && e != -EFAULT)
					return e;
				sm_del(p->swap, r.va[j]);
				slot_put(slot);
				p->nswap--;
			}
		}
	}
	if (sw.used)
		return -EBUSY;
	struct host_call c = {.op = FS_PM_SWAPON, .m = {1}, .handle = -1};
	host_call(pm.fs, &c);
	printf("pm: swap off %s\n", sw.dev);
	free(sw.refs);
	sw = (typeof(sw)){0};
	return 0;
}

/* PM_SWAPON: payload the device (m0 1: swapoff). uid 0 only. */
int swap_do_swapon(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct proc *p = proc_sender(req);
	char dev[64];
	if (!p || p->uid != 0)
		return result(rep, -EPERM);
	long r;
	if (req->m[0] == 1) {
		r = sw.on ? swapoff() : -EINVAL;
	} else {
		size_t n = req->len < sizeof(dev) ? req->len : 0;
		if (!n || memchr(req->data, 0, n) == NULL)
			return result(rep, -EINVAL);
		memcpy(dev, req->data, n);
		r = swapon(dev);
	}
	if (r == -FS_EWAIT)
		return pm_later(swap_do_swapon, req, rep, req->data);
	return result(rep, r);
}

/* swap= at boot: 1 while fs reads the area's header (called again). */
int swap_boot(void)
{
	static char dev[64];
	static bool done;
	if (done || (mica_bootarg("swap", dev, sizeof(dev)) != 0 || !dev[0]))
		return 0;
	long r = swapon(dev);
	if (r == -FS_EWAIT)
		return 1;
	if (r < 0)
		printf("pm: cannot swap on %s (error %ld)\n", dev, -r);
	done = true;
	return 0;
}
