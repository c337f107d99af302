/* pm's pager: every process's mappings (mmap, System V shared memory)
 * and the objects behind them, and the page faults the kernel hands over
 * for them (MSG_TASK_PAGEFAULT). Policy only: the kernel's mechanism is
 * pager zones (SYS_VM_MAP with PROT_PAGER_), SYS_VM_SHARE and
 * SYS_VM_PROTECT (docs/vm.md).
 *
 * Private anonymous memory is a demand-zero zone the kernel fills by
 * itself, as the heap and the stack are. Everything else is backed by an
 * object: shared anonymous memory, a System V segment or a file. An
 * object's pages live in a task of pm's with no threads (the holder), one
 * 1 GiB slot per object; a fault maps the holder's page into the process,
 * shared or (a private file mapping) copy-on-write. A file's pages are
 * read from fs at their first fault, and written back by msync, munmap
 * and exit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>

#include "ipcperm.h"
#include "mica/elf.h"
#include "mica/errno.h"
#include "mica/host.h"
#include "mica/mmregion.h"
#include "mica/proto/fs.h"
#include "mica/proto/pm.h"
#include "proc.h"

#define PAGE      4096ul
#define OBJ_MAX   96
#define OBJ_SPAN  (1ul << 30) /* the holder's addresses per object: its size limit */
#define HOLD_BASE (1ul << 30)
#define MMAP_BASE (USER_MAX_VA - (64ul << 30)) /* mmap's 64 GiB window */
#define MMAP_TOP  USER_MAX_VA

/* What backs a range (mm_range.kind). */
enum { K_ZERO, K_ANON, K_SHM, K_FILE };
/* mm_range.flags */
#define RF_SHARED 1

struct vmobj {
	bool used, rmid; /* rmid: a segment removed once nobody attaches */
	short kind;
	uint64_t size;
	long fd;                           /* K_FILE: pm's descriptor */
	int acc;                           /* its FS_O_ACCMODE */
	uint64_t dev, ino, fmtime, fctime; /* the file's identity and times */
	struct elf_image *img;             /* a program exec ran: its checked image (malloc) */
	unsigned long used_at; /* exec's clock when last run: the cache evicts the oldest */
	int exe_users;         /* live processes running it */
	/* K_SHM */
	int key, seq, mode, uid, gid, cuid, cgid, cpid, lpid;
	uint64_t atime, dtime, ctime;
};

static struct vmobj objs[OBJ_MAX + 1]; /* 0: none */
static unsigned long exec_clock;
static int procs_with_mm; /* processes with mappings: only they need a look */
#define PROG_CACHE 24     /* programs kept when nothing runs them */
static long holder = -1;
static char page_buf[PAGE];

static int result(struct srv_rep *rep, long r)
{
	rep->result = r;
	return SRV_REPLY;
}

static struct proc *sender(const struct srv_req *req)
{
	struct proc *p = proc_sender(req);
	return p && p->state == P_ALIVE ? p : NULL;
}

static uint64_t hold_va(int obj, uint64_t k)
{
	return HOLD_BASE + (uint64_t)(obj - 1) * OBJ_SPAN + k * PAGE;
}

static unsigned kprot(int prot)
{
	return (prot & PROT_READ ? PROT_READ_ : 0) | (prot & PROT_WRITE ? PROT_WRITE_ : 0) |
	       (prot & PROT_EXEC ? PROT_EXEC_ | PROT_READ_ : 0) |
	       (prot & PROT_WRITE ? PROT_READ_ : 0);
}

static uint64_t now_s(void)
{
	return (uint64_t)(mica_clock(CLOCK_ID_REALTIME) / 1000000000);
}

/* --- objects ------------------------------------------------------------------ */

static int holder_start(void)
{
	if (holder >= 0)
		return 0;
	holder = mica_task_create("vmobj", -1, 0, 0);
	return holder < 0 ? (int)holder : 0;
}

void vm_start(void)
{
	if (holder_start())
		printf("pm: no task for shared pages: mmap of files and shared memory will fail\n");
}

int vm_do_vmctl(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct proc *p = sender(req);
	if (!p || p->uid != 0)
		return result(rep, -EPERM);
	if (req->m[0] != PM_VM_DROP_CACHES)
		return result(rep, -EINVAL);
	unsigned long n = vm_reclaim(0);
	return result(rep, (long)(n > 32767 ? 32767 : n));
}

static int obj_new(short kind, uint64_t size)
{
	if (holder_start() || size > OBJ_SPAN)
		return size > OBJ_SPAN ? -EINVAL : -ENOMEM;
	for (int i = 1; i <= OBJ_MAX; i++)
		if (!objs[i].used) {
			int seq = objs[i].seq + 1;
			objs[i] = (struct vmobj){
			    .used = true, .kind = kind, .size = size, .fd = -1, .seq = seq};
			return i;
		}
	return -ENOSPC;
}

/* Whether any process maps it, and how many do (shm_nattch). */
static int obj_users(int obj)
{
	int n = objs[obj].exe_users;
	for (int i = 0; procs_with_mm && i < MAX_PROCS; i++) {
		struct mm_regions *m = pm.procs[i].mm;
		if (pm.procs[i].state != P_ALIVE || !m)
			continue;
		for (int j = 0; j < m->n; j++)
			if (m->r[j].obj == obj) {
				n++;
				break;
			}
	}
	return n;
}

void vm_exe_set(struct proc *p, int obj)
{
	if (p->exe_obj > 0 && p->exe_obj <= OBJ_MAX)
		objs[p->exe_obj].exe_users--;
	p->exe_obj = obj > 0 && obj <= OBJ_MAX ? obj : 0;
	if (p->exe_obj)
		objs[p->exe_obj].exe_users++;
}

static void obj_free(int obj)
{
	struct vmobj *o = &objs[obj];
	mica_vm_unmap(holder, hold_va(obj, 0), OBJ_SPAN); /* mappings keep their own references */
	if (o->fd >= 0)
		fsc_call(FS_CLOSE, (unsigned long)o->fd, 0, 0, 0, -1);
	free(o->img);
	o->img = NULL;
	o->used = false;
}

/* The unused cached program run least recently, or 0. */
static int oldest_program(int *cached)
{
	int best = 0;
	*cached = 0;
	for (int i = 1; i <= OBJ_MAX; i++)
		if (objs[i].used && objs[i].img && !obj_users(i)) {
			++*cached;
			if (!best || objs[i].used_at < objs[best].used_at)
				best = i;
		}
	return best;
}

/* After mappings went: objects nobody maps any more go too (a segment
 * only once removed; the last PROG_CACHE programs stay cached). */
static void obj_collect(void)
{
	for (int i = 1; i <= OBJ_MAX; i++)
		if (objs[i].used && !objs[i].img && (objs[i].kind != K_SHM || objs[i].rmid) &&
		    !obj_users(i))
			obj_free(i);
	int cached, old;
	while ((old = oldest_program(&cached)) && cached > PROG_CACHE)
		obj_free(old);
}

unsigned long vm_reclaim(unsigned long pages)
{
	unsigned long freed = 0;
	struct kinfo k;
	int cached, old;
	while ((!pages || (mica_kinfo(&k) == 0 && k.frames_free < pages)) &&
	       (old = oldest_program(&cached))) {
		freed += (objs[old].size + PAGE - 1) / PAGE;
		obj_free(old);
	}
	return freed;
}

/* The file's bytes [off, off+n) into or out of buf through pm's fd. */
static long file_io(long fd, uint64_t off, void *buf, size_t n, bool write)
{
	long r = fsc_call(FS_LSEEK, (unsigned long)fd, off, 0 /* SEEK_SET */, 0, -1);
	if (r < 0)
		return r;
	struct host_call c = {.op = write ? FS_WRITE : FS_READ,
	                      .m = {(unsigned long)fd, n},
	                      .handle = -1,
	                      .win = buf,
	                      .win_len = n,
	                      .win_out = !write};
	r = host_call(pm.fs, &c);
	r = r < 0 ? r : c.result == 0 ? (long)c.rm[0] : c.result;
	if (r > 0 && c.result > 0 && !write) /* answered as a payload */
		memcpy(buf, host_buf(), (size_t)r);
	return r;
}

/* Page k of obj in the holder: made (zeroed) and, for a file, read. */
static long obj_page(int obj, uint64_t k)
{
	struct vmobj *o = &objs[obj];
	uint64_t va = hold_va(obj, k);
	long r = mica_vm_map(holder, va, PAGE, PROT_READ_ | PROT_WRITE_);
	if (r == -EEXIST)
		return 0;
	if (r < 0 || o->kind != K_FILE)
		return r;
	memset(page_buf, 0, PAGE);
	uint64_t off = k * PAGE;
	size_t n = o->size - off < PAGE ? o->size - off : PAGE;
	r = file_io(o->fd, off, page_buf, n, false);
	if (r >= 0)
		r = mica_vm_write(holder, va, page_buf, PAGE) < 0 ? -EFAULT : 0;
	if (r < 0)
		mica_vm_unmap(holder, va, PAGE); /* read again next time */
	return r;
}

/* Writes the file's pages in [off, off+len) that are in memory. */
static long obj_writeback(int obj, uint64_t off, uint64_t len)
{
	struct vmobj *o = &objs[obj];
	uint64_t end = off + len < o->size ? off + len : o->size;
	for (uint64_t at = off & ~(PAGE - 1); at < end; at += PAGE) {
		if (mica_vm_read(holder, hold_va(obj, at / PAGE), page_buf, PAGE) < 0)
			continue; /* never touched: nothing to write */
		size_t n = o->size - at < PAGE ? o->size - at : PAGE;
		long r = file_io(o->fd, at, page_buf, n, true);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Writes back the shared writable file pages r maps in [lo, hi). */
static long range_writeback(const struct mm_range *r, uint64_t lo, uint64_t hi)
{
	if (r->kind != K_FILE || !(r->flags & RF_SHARED) || !(r->prot & PROT_WRITE))
		return 0;
	lo = lo > r->lo ? lo : r->lo;
	hi = hi < r->hi ? hi : r->hi;
	return lo < hi ? obj_writeback(r->obj, r->off + (lo - r->lo), hi - lo) : 0;
}

/* --- a process's mappings -------------------------------------------------------- */

static struct mm_regions *mm_of(struct proc *p)
{
	if (!p->mm && (p->mm = malloc(sizeof(*p->mm)))) {
		mr_init(p->mm, MMAP_BASE, MMAP_TOP);
		procs_with_mm++;
	}
	return p->mm;
}

void vm_fork(struct proc *child, const struct proc *parent)
{
	swap_fork(child, parent);
	child->mm = NULL;
	if (parent->mm && (child->mm = malloc(sizeof(*child->mm)))) {
		memcpy(child->mm, parent->mm, sizeof(*child->mm));
		procs_with_mm++;
	}
}

void vm_release(struct proc *p)
{
	swap_release(p);
	int exe = p->exe_obj;
	vm_exe_set(p, 0);
	if (exe && !objs[exe].exe_users)
		obj_collect(); /* a program nothing runs: the cache may keep it */
	if (!p->mm)
		return;
	for (int i = 0; i < p->mm->n; i++)
		range_writeback(&p->mm->r[i], 0, ~0ul);
	free(p->mm);
	p->mm = NULL;
	procs_with_mm--;
	obj_collect();
}

/* Removes [lo, hi) from p's mappings and its address space. */
static long unmap_range(struct proc *p, uint64_t lo, uint64_t hi)
{
	struct mm_regions *m = p->mm;
	if (!m)
		return 0;
	for (int i = 0; i < m->n; i++)
		range_writeback(&m->r[i], lo, hi);
	long r = mr_clear(m, lo, hi);
	if (r < 0)
		return r;
	mica_vm_unmap(p->task, lo, hi - lo);
	swap_forget(p, lo, hi);
	return 0;
}

/* Puts r into p's mappings and makes its zone. */
static long map_range(struct proc *p, const struct mm_range *r)
{
	struct mm_regions *m = mm_of(p);
	long e = m ? mr_put(m, r) : -ENOMEM;
	if (e < 0)
		return e == -EINVAL ? -ENOMEM : e;
	uint64_t len = r->hi - r->lo;
	if (r->kind == K_ZERO) {
		e = mica_vm_map(p->task, r->lo, len, PROT_LAZY_ | (kprot(r->prot) ?: PROT_READ_));
		if (!e && !r->prot)
			e = mica_vm_protect(p->task, r->lo, len, PROT_NONE_);
	} else {
		e = mica_vm_map(p->task, r->lo, len, PROT_PAGER_ | kprot(r->prot));
	}
	if (e < 0) {
		mica_vm_unmap(p->task, r->lo, len);
		mr_clear(m, r->lo, r->hi); /* a whole range of its own: no split */
	}
	return e == -EEXIST ? -ENOMEM : e;
}

/* Where a new mapping of len bytes goes: addr if MAP_FIXED (or a free
 * hint), else the highest gap. 0 if none. */
static uint64_t place(struct proc *p, uint64_t addr, uint64_t len, bool fixed)
{
	struct mm_regions *m = mm_of(p);
	if (!m)
		return 0;
	if (fixed)
		return addr >= MMAP_BASE && addr + len <= MMAP_TOP && addr + len > addr ? addr : 0;
	if (addr >= MMAP_BASE && addr + len <= MMAP_TOP && addr + len > addr &&
	    !(addr & (PAGE - 1))) {
		bool used = false;
		for (int i = 0; i < m->n; i++)
			used |= m->r[i].lo < addr + len && addr < m->r[i].hi;
		if (!used)
			return addr;
	}
	return mr_find_gap(m, len);
}

/* Places r (len bytes: at addr if fixed, or a free hint, else the
 * highest gap; a fixed one replaces what was there), maps it, answers
 * its address in m0 and tells /proc: 0 or -errno (-ENOMEM past
 * RLIMIT_AS or RLIMIT_DATA too). */
static long map_at(struct proc *p, struct mm_range *r, uint64_t addr, uint64_t len, bool fixed,
                   struct srv_rep *rep)
{
	bool data = !(r->flags & RF_SHARED) && (r->prot & PROT_WRITE); /* Linux's VmData */
	long e = rlimit_vm_check(p, len, data ? len : 0);
	uint64_t va = e ? 0 : place(p, addr, len, fixed);
	e = e ? e : va ? 0 : -ENOMEM;
	if (!e && fixed)
		e = unmap_range(p, va, va + len);
	r->lo = va, r->hi = va + len;
	if (!e)
		e = map_range(p, r);
	if (e)
		return e;
	rep->m[0] = va;
	p->maps_state = FS_MAPS_TEXT;
	fsc_proc_update(p, false);
	return 0;
}

static long file_object(struct proc *p, int fd, int *obj)
{
	struct host_call c = {
	    .op = FS_PM_DUPFD, .m = {(unsigned long)p->pid, (unsigned long)fd}, .handle = -1};
	long r = pm.fs_dead ? -EIO : host_call(pm.fs, &c);
	long pfd = r < 0 ? r : c.result;
	if (pfd < 0)
		return pfd;
	int acc = (int)c.rm[0];
	r = fsc_call(FS_FSTAT, (unsigned long)pfd, 0, 0, 0, -1);
	struct fs_stat st;
	memcpy(&st, host_buf(), sizeof(st));
	for (int i = 1; r >= 0 && i <= OBJ_MAX; i++) {
		struct vmobj *o = &objs[i];
		if (o->used && o->kind == K_FILE && o->dev == st.dev && o->ino == st.ino) {
			if (acc == FS_O_RDWR &&
			    o->acc != FS_O_RDWR) { /* keep the one that can write */
				long old = o->fd;
				o->fd = pfd, o->acc = acc, pfd = old;
			}
			o->size = st.size;
			fsc_call(FS_CLOSE, (unsigned long)pfd, 0, 0, 0, -1);
			*obj = i;
			return acc;
		}
	}
	int n = r < 0 ? (int)r : obj_new(K_FILE, 0);
	if (n < 0) {
		fsc_call(FS_CLOSE, (unsigned long)pfd, 0, 0, 0, -1);
		return n;
	}
	objs[n].fd = pfd, objs[n].acc = acc, objs[n].dev = st.dev, objs[n].ino = st.ino;
	objs[n].size = st.size, objs[n].fmtime = st.mtime, objs[n].fctime = st.ctime;
	*obj = n;
	return acc;
}

static int do_mmap_for(struct proc *p, const struct srv_req *req, struct srv_rep *rep)
{
	uint64_t addr = req->m[0], len = req->m[1], off = req->m[3];
	int prot = (int)(req->m[2] & 0xFF), flags = (int)((req->m[2] >> 8) & 0xFFFFFF);
	int fd = (int)(req->m[2] >> 32) - 1;
	uint64_t size = (len + PAGE - 1) & ~(PAGE - 1);
	int type = flags & (MAP_SHARED | MAP_PRIVATE);
	bool anon = flags & MAP_ANONYMOUS, fixed = flags & MAP_FIXED;
	if (!len || size < len || (off & (PAGE - 1)) || (fixed && (addr & (PAGE - 1))) ||
	    (prot & ~7) || (type != MAP_SHARED && type != MAP_PRIVATE) || off + size < off)
		return result(rep, -EINVAL);
	if ((prot & PROT_WRITE) && (prot & PROT_EXEC))
		return result(rep, -ENOTSUP); /* W^X, for every page a process runs */
	struct mm_range r = {.prot = prot, .flags = type == MAP_SHARED ? RF_SHARED : 0};
	if (!anon) {
		long acc = file_object(p, fd, &r.obj);
		if (acc < 0)
			return result(
			    rep, acc == -EBADF || acc == -ENODEV || acc == -EIO ? acc : -ENODEV);
		if (acc == FS_O_WRONLY ||
		    (type == MAP_SHARED && (prot & PROT_WRITE) && acc != FS_O_RDWR)) {
			obj_collect();
			return result(rep, -EACCES);
		}
		r.kind = K_FILE, r.off = off;
	} else if (type == MAP_SHARED) {
		int n = size > OBJ_SPAN ? -ENOMEM : obj_new(K_ANON, size);
		if (n < 0)
			return result(rep, n == -ENOSPC ? -ENOMEM : n);
		r.kind = K_ANON, r.obj = n;
	}
	long e = map_at(p, &r, addr, size, fixed, rep);
	if (e)
		obj_collect();
	return result(rep, e);
}

int vm_do_mmap(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct proc *p = sender(req);
	return p ? do_mmap_for(p, req, rep) : result(rep, -ESRCH);
}

/* Checks [m0, m0+m1) for munmap and friends: page-aligned, in the window. */
static long range_arg(const struct srv_req *req, uint64_t *lo, uint64_t *hi)
{
	*lo = req->m[0];
	*hi = *lo + ((req->m[1] + PAGE - 1) & ~(PAGE - 1));
	if ((*lo & (PAGE - 1)) || *hi < *lo || !req->m[1])
		return -EINVAL;
	return 0;
}

int vm_do_munmap(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct proc *p = sender(req);
	uint64_t lo, hi;
	long e = p ? range_arg(req, &lo, &hi) : -ESRCH;
	if (e)
		return result(rep, e);
	lo = lo < MMAP_BASE ? MMAP_BASE : lo;
	hi = hi > MMAP_TOP ? MMAP_TOP : hi;
	if (lo < hi && (e = unmap_range(p, lo, hi)) == 0) { /* nothing of mmap's there: done */
		obj_collect();
		p->maps_state = FS_MAPS_TEXT;
		fsc_proc_update(p, false);
	}
	return result(rep, e);
}

int vm_do_mprotect(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct proc *p = sender(req);
	uint64_t lo = req->m[0], hi = lo + ((req->m[1] + PAGE - 1) & ~(PAGE - 1));
	int prot = (int)req->m[2];
	if (!p)
		return result(rep, -ESRCH);
	if ((lo & (PAGE - 1)) || hi < lo || (prot & ~7))
		return result(rep, -EINVAL);
	if ((prot & PROT_WRITE) && (prot & PROT_EXEC))
		return result(rep, -ENOTSUP);
	if (lo == hi)
		return result(rep, 0);
	bool heap = lo >= (p->brk_start & ~(PAGE - 1)) && hi <= ((p->brk + PAGE - 1) & ~(PAGE - 1));
	bool stack = lo >= USER_STACK_TOP - p->stack_size && hi <= USER_STACK_TOP;
	if (!heap && !stack) {
		struct mm_regions *m = p->mm;
		if (!mr_covers(m, lo, hi)) /* mixed protections are fine; holes are not */
			return result(rep, -ENOMEM);
		for (int i = 0; i < m->n; i++) { /* a read-only file cannot be written through */
			const struct mm_range *r = &m->r[i];
			if (r->hi > lo && r->lo < hi && r->kind == K_FILE &&
			    (r->flags & RF_SHARED) && (prot & PROT_WRITE) &&
			    objs[r->obj].acc != FS_O_RDWR)
				return result(rep, -EACCES);
		}
		long e = mr_protect(m, lo, hi, prot);
		if (e)
			return result(rep, e);
	}
	long e = mica_vm_protect(p->task, lo, hi - lo, kprot(prot));
	if (!e)
		p->maps_state = FS_MAPS_TEXT;
	fsc_proc_update(p, false);
	return result(rep, e);
}

int vm_do_msync(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct proc *p = sender(req);
	uint64_t lo = req->m[0], hi = lo + ((req->m[1] + PAGE - 1) & ~(PAGE - 1));
	int flags = (int)req->m[2];
	if (!p)
		return result(rep, -ESRCH);
	if ((lo & (PAGE - 1)) || hi < lo || (flags & ~(MS_ASYNC | MS_SYNC | MS_INVALIDATE)) ||
	    ((flags & MS_ASYNC) && (flags & MS_SYNC)))
		return result(rep, -EINVAL);
	struct mm_regions *m = p->mm;
	if (!mr_covers(m, lo, hi))
		return result(rep, -ENOMEM);
	for (int i = 0; m && i < m->n; i++) {
		long e = range_writeback(&m->r[i], lo, hi);
		if (e == -FS_EWAIT) /* a block is being read: the whole msync runs again */
			return pm_later(vm_do_msync, req, rep, req->data);
		if (e < 0)
			return result(rep, -EIO);
	}
	return result(rep, 0);
}

int vm_do_madvise(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct proc *p = sender(req);
	uint64_t lo, hi;
	long e = p ? range_arg(req, &lo, &hi) : -ESRCH;
	int advice = (int)req->m[2];
	if (!e && (advice < MADV_NORMAL || advice > MADV_DONTNEED))
		e = -EINVAL;
	if (e || advice != MADV_DONTNEED)
		return result(rep, e);
	/* the pages go; the zones stay: private ones read as zeros (or the
	 * file) again, shared ones come back from their object */
	struct mm_regions *m = p->mm;
	for (int i = 0; m && i < m->n; i++) {
		struct mm_range r = m->r[i];
		uint64_t a = r.lo > lo ? r.lo : lo, b = r.hi < hi ? r.hi : hi;
		if (a >= b || !r.prot)
			continue;
		mica_vm_unmap(p->task, a, b - a);
		swap_forget(p, a, b);
		e = mica_vm_map(p->task, a, b - a,
		                r.kind == K_ZERO ? PROT_LAZY_ | kprot(r.prot)
		                                 : PROT_PAGER_ | kprot(r.prot));
		if (e)
			return result(rep, e);
	}
	return result(rep, 0);
}

/* --- exec from the page cache ------------------------------------------------------ */

long vm_program(int pid, const char *path, int *objp, struct elf_image *img)
{
	long fd = fsc_open_program(pid, path);
	if (fd < 0)
		return fd;
	struct fs_stat st;
	long r = fsc_call(FS_FSTAT, (unsigned long)fd, 0, 0, 0, -1);
	memcpy(&st, host_buf(), sizeof(st));
	pm.exec_mode = r >= 0 ? st.mode : 0; /* exec's set-id bits */
	pm.exec_uid = (int)st.uid, pm.exec_gid = (int)st.gid;
	int hit = 0;
	for (int i = 1; r >= 0 && i <= OBJ_MAX && !hit; i++) {
		struct vmobj *o = &objs[i];
		if (!o->used || o->kind != K_FILE || o->dev != st.dev || o->ino != st.ino)
			continue;
		if (o->img && o->fmtime == st.mtime && o->fctime == st.ctime && o->size == st.size)
			hit = i;
		else if (!obj_users(i))
			obj_free(i); /* changed since, or mapped pages of it only: read afresh */
		else
			o->dev = o->ino = 0; /* its users keep the old pages; nobody finds them */
	}
	void *elf = NULL;
	size_t size = 0;
	int n = hit;
	if (!n && r >= 0)
		r = fsc_read_fd(fd, &elf, &size);
	fsc_call(FS_CLOSE, (unsigned long)fd, 0, 0, 0, -1);
	if (r < 0)
		return r;
	if (!n) {
		const char *why;
		struct elf_image *im = malloc(sizeof(*im));
		if (!im || elf_parse(elf, size, USER_MIN_VA, USER_MAX_VA, im, &why)) {
			free(im), free(elf);
			return im ? -ENOEXEC : -ENOMEM;
		}
		uint64_t len = (size + PAGE - 1) & ~(PAGE - 1);
		n = size > OBJ_SPAN ? -EFBIG : obj_new(K_FILE, size);
		if (n > 0 && (r = mica_vm_map(holder, hold_va(n, 0), len ?: PAGE,
		                              PROT_READ_ | PROT_WRITE_)) == 0)
			r = mica_vm_write(holder, hold_va(n, 0), elf, size) < 0 ? -ENOMEM : 0;
		free(elf);
		if (n < 0 || r < 0) {
			free(im);
			if (n > 0)
				obj_free(n);
			return n < 0 ? (n == -ENOSPC ? -ENOMEM : n) : r;
		}
		struct vmobj *o = &objs[n];
		o->img = im, o->dev = st.dev, o->ino = st.ino, o->fmtime = st.mtime;
		o->fctime = st.ctime, o->acc = FS_O_RDONLY;
	}
	objs[n].used_at = ++exec_clock;
	*img = *objs[n].img;
	*objp = n;
	obj_collect(); /* the cache's limit */
	return 0;
}

/* Copies the file's bytes [lo, hi) of segment g into the task at the
 * same addresses (a page of its own: data next to bss, or unaligned). */
static long copy_bytes(long task, int obj, const struct elf_seg *g, uint64_t lo, uint64_t hi)
{
	uint64_t src = hold_va(obj, 0) + g->offset + (lo - g->vaddr);
	if (mica_vm_read(holder, src, page_buf, hi - lo) < 0 ||
	    mica_vm_write(task, lo, page_buf, hi - lo) < 0)
		return -EFAULT;
	return 0;
}

long vm_load(long task, int obj, const struct elf_image *img)
{
	for (int i = 0; i < img->nsegs; i++) {
		const struct elf_seg *g = &img->seg[i];
		uint64_t end = (g->vaddr + g->memsz + PAGE - 1) & ~(PAGE - 1);
		uint64_t fend = g->vaddr + g->filesz, mend = g->vaddr + g->memsz;
		bool w = g->flags & ELF_PF_W, aligned = (g->vaddr - g->offset) % PAGE == 0;
		unsigned prot = (g->flags & ELF_PF_R ? PROT_READ_ : 0) | (w ? PROT_WRITE_ : 0) |
		                (g->flags & ELF_PF_X ? PROT_EXEC_ : 0);
		for (uint64_t page = g->vaddr & ~(PAGE - 1); page < end; page += PAGE) {
			uint64_t lo = page > g->vaddr ? page : g->vaddr;
			uint64_t hi = page + PAGE < fend ? page + PAGE : fend;
			long e;
			if (lo >= hi) { /* only bss from here: zeros when touched */
				e = mica_vm_map(task, page, end - page, prot | PROT_LAZY_);
				if (e)
					return e;
				break;
			}
			/* the whole page comes from the file (or nothing past the
			 * file's part belongs to the segment): the cache's page */
			if (aligned && (hi == page + PAGE || mend <= fend)) {
				uint64_t src = hold_va(obj, 0) +
				               ((g->offset + (page - g->vaddr)) & ~(PAGE - 1));
				if (page < g->vaddr)
					src = hold_va(obj, 0) + (g->offset & ~(PAGE - 1));
				e = mica_vm_share(task, page, holder, src, PAGE,
				                  prot | (w ? PROT_COW_ : 0));
			} else {
				e = mica_vm_map(task, page, PAGE, prot);
				if (!e)
					e = copy_bytes(task, obj, g, lo, hi);
			}
			if (e)
				return e;
		}
	}
	return mica_vm_map(task, USER_STACK_TOP - USER_STACK_SIZE, USER_STACK_SIZE,
	                   PROT_READ_ | PROT_WRITE_ | PROT_LAZY_);
}

/* --- the fault path ------------------------------------------------------------------ */

int vm_fault(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	struct proc *p = sender(req);
	uint64_t va = req->m[0], scause = req->m[1] & ~(PF_NOMEM | PF_FATAL);
	if (req->m[1] & PF_FATAL) /* its signal's handler, or the end */
		return sig_fault(p, req, rep, p && p->mm && mr_at(p->mm, va) ? 2 : 1);
	if (p && req->m[2]) /* a page in the swap area */
		return swap_fault(s, req, rep, p, vm_fault);
	if (p && (req->m[1] & PF_NOMEM)) /* no frame for a page: make room */
		return swap_nomem(s, req, rep, vm_fault);
	const struct mm_range *r = p && p->mm ? mr_at(p->mm, va) : NULL;
	int need = scause == 12 ? PROT_EXEC : scause == 15 ? PROT_WRITE : PROT_READ;
	if (!r || !r->obj || !(r->prot & need)) /* SIGSEGV: SEGV_MAPERR or SEGV_ACCERR */
		return sig_fault(p, req, rep, r && r->obj ? 2 : 1);
	uint64_t page = va & ~(PAGE - 1), off = r->off + (page - r->lo), k = off / PAGE;
	const struct vmobj *o = &objs[r->obj];
	if (off >= OBJ_SPAN || (o->kind == K_FILE && off >= ((o->size + PAGE - 1) & ~(PAGE - 1))) ||
	    (o->kind != K_FILE && off >= o->size))
		return result(rep, -EFAULT); /* past the end of the file: SIGBUS on Linux */
	unsigned bits = kprot(r->prot) | ((r->flags & RF_SHARED) ? 0 : PROT_COW_);
	long e = mica_vm_share(p->task, page, holder, hold_va(r->obj, k), PAGE, bits);
	if (e == -EFAULT) { /* not in memory yet */
		e = obj_page(r->obj, k);
		if (e == -FS_EWAIT) /* fs reads it from a disk: this fault runs again */
			return pm_later(vm_fault, req, rep, req->data);
		if (!e)
			e = mica_vm_share(p->task, page, holder, hold_va(r->obj, k), PAGE, bits);
	}
	(void)s;
	if (e == -EEXIST) /* another thread's fault mapped it */
		e = 0;
	return result(rep, e ? -EFAULT : 0);
}

/* --- System V shared memory -------------------------------------------------------- */

#define SHM_PER_UID 32 /* segments one user other than root may have */
#define SHM_ID(i)   IPC_ID(objs[i].seq, i)

static int shm_find(long id)
{
	int i = IPC_SLOT(id);
	if (id < 0 || i < 1 || i > OBJ_MAX || !objs[i].used || objs[i].kind != K_SHM ||
	    SHM_ID(i) != id)
		return -EINVAL;
	return i;
}

/* A segment's owner and mode, for the checks all System V objects share. */
static struct ipc_perm_rec shm_perm(const struct vmobj *o)
{
	return (struct ipc_perm_rec){.key = o->key,
	                             .seq = o->seq,
	                             .mode = o->mode,
	                             .uid = o->uid,
	                             .gid = o->gid,
	                             .cuid = o->cuid,
	                             .cgid = o->cgid};
}

/* May p use segment o for mode bits want (4 read, 2 write)? */
static bool shm_may(const struct proc *p, const struct vmobj *o, int want)
{
	struct ipc_perm_rec r = shm_perm(o);
	return ipc_may(p, &r, want);
}

int vm_do_shmget(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct proc *p = sender(req);
	int key = (int)req->m[0], flg = (int)req->m[2];
	uint64_t size = req->m[1];
	if (!p)
		return result(rep, -ESRCH);
	int found = 0;
	for (int i = 1; key != IPC_PRIVATE && i <= OBJ_MAX && !found; i++)
		if (objs[i].used && objs[i].kind == K_SHM && !objs[i].rmid && objs[i].key == key)
			found = i;
	struct ipc_perm_rec fr = found ? shm_perm(&objs[found]) : (struct ipc_perm_rec){0};
	int e = ipc_lookup(p, key, flg, found ? &fr : NULL);
	if (e == 0 && size > objs[found].size)
		return result(rep, -EINVAL);
	if (e <= 0)
		return result(rep, e ? e : SHM_ID(found));
	if (!size || size > OBJ_SPAN)
		return result(rep, -EINVAL);
	int mine = 0; /* segments outlive their makers: a user may keep SHM_PER_UID */
	for (int j = 1; j <= OBJ_MAX; j++)
		mine += objs[j].used && objs[j].kind == K_SHM && objs[j].cuid == p->uid;
	if (!ipc_under_limit(p, mine, SHM_PER_UID))
		return result(rep, -ENOSPC);
	int i = obj_new(K_SHM, size);
	if (i < 0)
		return result(rep, -ENOSPC);
	struct vmobj *o = &objs[i];
	o->key = key, o->mode = flg & 0777, o->uid = o->cuid = p->uid, o->gid = o->cgid = p->gid;
	o->cpid = p->pid, o->ctime = now_s();
	return result(rep, SHM_ID(i));
}

int vm_do_shmat(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct proc *p = sender(req);
	int i = p ? shm_find((long)req->m[0]) : -ESRCH;
	uint64_t addr = req->m[1];
	int flg = (int)req->m[2];
	if (i < 0)
		return result(rep, i);
	struct vmobj *o = &objs[i];
	bool ro = flg & SHM_RDONLY;
	if (!shm_may(p, o, ro ? 4 : 6))
		return result(rep, -EACCES);
	if (addr && (flg & SHM_RND))
		addr &= ~(uint64_t)(SHMLBA - 1);
	if (addr & (PAGE - 1))
		return result(rep, -EINVAL);
	uint64_t size = (o->size + PAGE - 1) & ~(PAGE - 1);
	struct mm_range r = {
	    .prot = PROT_READ | (ro ? 0 : PROT_WRITE), .kind = K_SHM, .flags = RF_SHARED, .obj = i};
	long e = map_at(p, &r, addr, size, addr != 0, rep);
	if (e)
		return result(rep, e == -ENOMEM && addr ? -EINVAL : e);
	o->atime = now_s(), o->lpid = p->pid;
	return result(rep, 0);
}

int vm_do_shmdt(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct proc *p = sender(req);
	uint64_t addr = req->m[0];
	const struct mm_range *r = p && p->mm ? mr_at(p->mm, addr) : NULL;
	if (!p)
		return result(rep, -ESRCH);
	if (!r || r->kind != K_SHM || r->lo != addr || r->off)
		return result(rep, -EINVAL); /* no segment attached there */
	int i = r->obj;
	uint64_t size = (objs[i].size + PAGE - 1) & ~(PAGE - 1);
	long e = unmap_range(p, addr, addr + size);
	if (e)
		return result(rep, e);
	objs[i].dtime = now_s(), objs[i].lpid = p->pid;
	obj_collect();
	p->maps_state = FS_MAPS_TEXT;
	fsc_proc_update(p, false);
	return result(rep, 0);
}

int vm_do_shmctl(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct proc *p = sender(req);
	int cmd = (int)req->m[1];
	if (p && cmd == SHM_INFO) { /* the highest index in use */
		int top = 0;
		for (int j = 1; j <= OBJ_MAX; j++)
			if (objs[j].used && objs[j].kind == K_SHM)
				top = j - 1;
		return result(rep, top);
	}
	long idx = (long)req->m[0]; /* SHM_STAT: by index, answered as IPC_STAT with the id */
	if (p && cmd == SHM_STAT &&
	    (idx < 0 || idx >= OBJ_MAX || !objs[idx + 1].used || objs[idx + 1].kind != K_SHM))
		return result(rep, -EINVAL);
	int i = !p ? -ESRCH : cmd == SHM_STAT ? (int)req->m[0] + 1 : shm_find((long)req->m[0]);
	if (i < 0)
		return result(rep, i);
	struct vmobj *o = &objs[i];
	struct ipc_perm_rec pr = shm_perm(o);
	bool owner = ipc_owner(p, &pr);
	struct pm_shmid_ds d;
	switch (cmd) {
	case IPC_STAT:
	case SHM_STAT:
		if (!shm_may(p, o, 4))
			return result(rep, -EACCES);
		d = (struct pm_shmid_ds){.key = o->key,
		                         .uid = o->uid,
		                         .gid = o->gid,
		                         .cuid = o->cuid,
		                         .cgid = o->cgid,
		                         .mode = o->mode,
		                         .cpid = o->cpid,
		                         .lpid = o->lpid,
		                         .segsz = o->size,
		                         .nattch = (uint64_t)obj_users(i),
		                         .atime = o->atime,
		                         .dtime = o->dtime,
		                         .ctime = o->ctime};
		memcpy(srv_out(s), &d, sizeof(d));
		rep->len = sizeof(d);
		return result(rep, cmd == SHM_STAT ? SHM_ID(i) : 0);
	case IPC_SET:
		if (!owner)
			return result(rep, -EPERM);
		if (req->len < sizeof(d))
			return result(rep, -EINVAL);
		memcpy(&d, req->data, sizeof(d));
		o->uid = d.uid, o->gid = d.gid, o->mode = (o->mode & ~0777) | (d.mode & 0777);
		o->ctime = now_s();
		return result(rep, 0);
	case IPC_RMID:
		if (!owner)
			return result(rep, -EPERM);
		o->rmid = true;
		o->key = IPC_PRIVATE; /* no shmget finds it any more */
		obj_collect();
		return result(rep, 0);
	default:
		return result(rep, -EINVAL);
	}
}

/* --- what /proc shows ---------------------------------------------------------------- */

#define KB(bytes) ((bytes) >> 10)

void vm_stats(struct proc *p, struct fs_proc *row)
{
	uint64_t size = p->stack_size, data = 0, exe = 0;
	uint64_t heap = ((p->brk + PAGE - 1) & ~(PAGE - 1)) - p->brk_start;
	size += heap, data += heap;
	for (int i = 0; i < p->nseg; i++) {
		uint64_t n = p->seg[i].hi - p->seg[i].lo;
		size += n;
		data += p->seg[i].prot & PROT_WRITE ? n : 0;
		exe += p->seg[i].prot & PROT_EXEC ? n : 0;
	}
	for (int i = 0; p->mm && i < p->mm->n; i++) {
		const struct mm_range *r = &p->mm->r[i];
		size += r->hi - r->lo;
		if (!(r->flags & RF_SHARED) && (r->prot & PROT_WRITE))
			data += r->hi - r->lo; /* private and writable: Linux's VmData */
	}
	if (KB(size) > p->vm_peak)
		p->vm_peak = KB(size);
	row->vm_size = KB(size), row->vm_peak = p->vm_peak, row->vm_data = KB(data);
	row->vm_stk = KB(p->stack_size), row->vm_exe = KB(exe), row->vm_swap = p->nswap * 4;
}

/* One line of maps in Linux's layout: the name (if any) in column 74. */
static size_t map_line(char *buf, size_t cap, uint64_t lo, uint64_t hi, int prot, bool shared,
                       uint64_t off, uint64_t dev, uint64_t ino, const char *name)
{
	char line[160];
	int n = snprintf(line, sizeof(line), "%08lx-%08lx %c%c%c%c %08lx %02lx:%02lx %lu", lo, hi,
	                 prot & PROT_READ ? 'r' : '-', prot & PROT_WRITE ? 'w' : '-',
	                 prot & PROT_EXEC ? 'x' : '-', shared ? 's' : 'p', off, dev >> 8,
	                 dev & 0xff, ino);
	if (name && *name)
		n += snprintf(line + n, sizeof(line) - (size_t)n, "%*s%s", n < 73 ? 73 - n : 1, "",
		              name);
	n += snprintf(line + n, sizeof(line) - (size_t)n, "\n");
	if ((size_t)n >= cap)
		return 0;
	memcpy(buf, line, (size_t)n);
	return (size_t)n;
}

size_t vm_maps(const struct proc *p, char *buf, size_t cap)
{
	size_t n = 0;
	for (int i = 0; i < p->nseg; i++)
		n += map_line(buf + n, cap - n, p->seg[i].lo, p->seg[i].hi, p->seg[i].prot, false,
		              p->seg[i].off, 0, 0, p->exe);
	uint64_t heap_end = (p->brk + PAGE - 1) & ~(PAGE - 1);
	if (heap_end > p->brk_start)
		n += map_line(buf + n, cap - n, p->brk_start, heap_end, PROT_READ | PROT_WRITE,
		              false, 0, 0, 0, "[heap]");
	for (int i = 0; p->mm && i < p->mm->n; i++) {
		const struct mm_range *r = &p->mm->r[i];
		const struct vmobj *o = &objs[r->obj];
		char name[32] = "";
		if (r->kind == K_SHM)
			snprintf(name, sizeof(name), "/SYSV%08x%s", (unsigned)o->key,
			         o->rmid ? " (deleted)" : "");
		else if (r->kind == K_ANON)
			snprintf(name, sizeof(name), "/dev/zero (deleted)");
		n += map_line(buf + n, cap - n, r->lo, r->hi, r->prot, r->flags & RF_SHARED,
		              r->kind == K_FILE ? r->off : 0, r->kind == K_FILE ? o->dev : 0,
		              r->kind == K_FILE ? o->ino : 0, name);
	}
	n += map_line(buf + n, cap - n, USER_STACK_TOP - p->stack_size, USER_STACK_TOP,
	              PROT_READ | PROT_WRITE, false, 0, 0, 0, "[stack]");
	return n;
}
