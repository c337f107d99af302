/* The kernel placement (mono): pm, fs and the console are linked into
 * the kernel. Each is a task flagged TASK_KERNEL (handles and identity,
 * no address space of its own) served by kern/serve.c; their system
 * calls are direct calls (mica_syscall below) made as that task, and
 * their memory is kernel memory: a heap for malloc, frames for file
 * data. Boot runs pm_start as pm, which starts the others through
 * host_spawn_server and init as pid 1, as its user-mode build does. */
#define MICA_MONO /* the declarations of mica/syscall.h this file defines */
#include "dtb.h"
#include "errno.h"
#include "frame.h"
#include "ipc.h"
#include "kprintf.h"
#include "kstring.h"
#include "mica/host.h"
#include "placement.h"
#include "serve.h"

const int placement_mono = 1;
const char placement_name[] = "mono (servers run inside the kernel)";

typedef long (*syscall_fn)(long, long, long, long, long, long, long);
extern const syscall_fn syscall_table[SYS_COUNT];
extern unsigned long mica_start_arg[3];

/* The servers linked in, and how each starts. */
extern struct server pm_server, fs_server, console_server, blk_server;
int pm_start(void);
int fs_start(void);
int console_start(void);
int blk_start(void);
static const struct {
	const char *name;
	int (*start)(void);
	struct server *srv;
} linked[] = {
    {"pm", pm_start, &pm_server},
    {"fs", fs_start, &fs_server},
    {"console", console_start, &console_server},
    {"blk", blk_start, &blk_server},
};

/* --- system calls made by a server in the kernel -------------------------- */

/* Calls that would block or switch the caller's thread make no sense for
 * a handler running on someone else's thread. */
static bool is_blocking(long n)
{
	return n == SYS_EXIT || n == SYS_THREAD_EXIT || n == SYS_YIELD || n == SYS_SLEEP ||
	       n == SYS_WAIT || n == SYS_RECV || n == SYS_REPLY_RECV || n == SYS_CALL ||
	       n == SYS_SEND || n == SYS_REPLY || n == SYS_IPC_BUFFER || n == SYS_FUTEX;
}

long mica_syscall(long n, long x0, long x1, long x2, long x3, long x4, long x5)
{
	if (!acting || (unsigned long)n >= SYS_COUNT || !syscall_table[n] || is_blocking(n))
		return -ENOSYS;
	return syscall_table[n](x0, x1, x2, x3, x4, x5, 0);
}

long mica_call(long ep, struct ipc_msg *msg)
{
	(void)ep, (void)msg;
	return -ENOSYS; /* servers call each other through host_call */
}

long mica_recv(long ep, long timeout_us, struct ipc_msg *msg)
{
	(void)ep, (void)timeout_us, (void)msg;
	return -ENOSYS;
}

long mica_reply_recv(long ep, unsigned long token, struct ipc_msg *msg)
{
	(void)ep, (void)token, (void)msg;
	return -ENOSYS;
}

void server_run(struct server *s)
{
	panic("server_run: %s: a server in the kernel is served by kern/serve.c", s->name);
}

/* --- host.h ------------------------------------------------------------------ */

void *host_buf(void)
{
	struct kserver *ks = acting ? kserve_of_task(acting) : NULL;
	return ks ? kserve_buf(ks) : NULL;
}

long host_call(long ep, struct host_call *c)
{
	struct kserver *from = acting ? kserve_of_task(acting) : NULL;
	int err = -EINVAL;
	struct handle *h =
	    from ? handle_get(&acting->handles, ep, H_ENDPOINT, RIGHT_SEND, &err) : NULL;
	if (!h)
		return err;
	struct endpoint *e = h->obj;
	if (!e->recv_refs)
		return -EPIPE;
	struct msg m = {
	    MAKE_TAG(c->op, c->len), {c->m[0], c->m[1], c->m[2], c->m[3]}, h->badge, true, false};
	if (c->handle >= 0)
		m.tag = TAG_WITH_HANDLE(m.tag, c->handle);
	struct srv_rep rep = {.handle = -1};
	struct kwindow w = {c->win, c->win ? c->win_len : 0, c->win_out};
	long r = kserve_call(from, e, &m, &rep, &w);
	if (r)
		return r;
	c->result = rep.result;
	memcpy(c->rm, rep.m, sizeof(c->rm));
	c->rlen = rep.len;
	return 0;
}

volatile void *host_mmio(unsigned long pa, size_t len)
{
	if (!acting || !(acting->flags & TASK_PRIV) || frame_range_is_ram(pa, len))
		return NULL;
	return (volatile void *)pa2va(pa); /* kvm_init mapped the devices */
}

void *host_dma_alloc(size_t len, unsigned long *pa)
{
	size_t n = (len + PAGE_SIZE - 1) >> PAGE_SHIFT;
	paddr_t p =
	    acting && (acting->flags & TASK_PRIV) && len <= DMA_MAX ? frame_alloc_run(n) : 0;
	if (!p)
		return NULL;
	*pa = p;
	return pa2va(p);
}

void *host_page_alloc(void)
{
	paddr_t pa = frame_alloc();
	if (!pa)
		return NULL;
	memset(pa2va(pa), 0, PAGE_SIZE);
	return pa2va(pa);
}

void host_page_free(void *page)
{
	frame_free(va2pa(page));
}

/* A server linked in, started as a task of its own with the handles
 * granted to it, then bound to the endpoint it serves. */
long host_spawn_server(const struct host_server *o)
{
	int k = -1, err;
	for (int i = 0; i < (int)(sizeof(linked) / sizeof(linked[0])); i++)
		if (!strcmp(linked[i].name, o->name))
			k = i;
	if (k < 0 || !acting)
		return -ENOENT;
	struct task *t = task_alloc(o->name, TASK_PRIV | TASK_KERNEL, acting, &err);
	struct kserver *ks = t ? kserve_new(t) : NULL;
	if (!ks)
		return t ? -EAGAIN : err;
	for (int i = 0; i < o->ngrant; i++) {
		struct handle *h = handle_get(&acting->handles, o->grant[i], H_NONE, 0, &err);
		if (h && handle_alloc(&t->handles, h) >= 0)
			handle_ref(h);
	}
	struct task *was = acting;
	acting = t;
	err = linked[k].start();
	if (!err)
		err = kserve_bind(ks, linked[k].srv);
	acting = was;
	if (err)
		return err;
	struct handle h = {.type = H_TASK, .rights = RIGHT_ALL, .gen = t->gen, .obj = t};
	return handle_alloc(&acting->handles, &h);
}

/* --- the servers' heap ------------------------------------------------------ */

/* malloc's memory: a region of the kernel half whose top-level entry
 * exists before any task does, so every address space shares it. */
#define HEAP_BASE 0xFFFFFFD000000000ul
#define HEAP_MAX  0x0000000040000000ul /* 1 GiB of addresses */
static uint64_t heap_top = HEAP_BASE, heap_mapped = HEAP_BASE;

void *kheap_sbrk(long incr)
{
	uint64_t old = heap_top, want = heap_top + (uint64_t)incr;
	if (incr < 0 || want > HEAP_BASE + HEAP_MAX)
		return (void *)-1;
	while (heap_mapped < want) {
		paddr_t pa = frame_alloc();
		if (!pa || vm_map(kernel_root, heap_mapped, pa, PAGE_SIZE, PTE_R | PTE_W | PTE_G)) {
			if (pa)
				frame_free(pa);
			return (void *)-1;
		}
		memset(pa2va(pa), 0, PAGE_SIZE);
		heap_mapped += PAGE_SIZE;
	}
	heap_top = want;
	return (void *)old;
}

/* --- boot -------------------------------------------------------------------- */

int placement_start(const struct bootinfo *bi)
{
	int err;
	if (kheap_sbrk(0) == (void *)-1 || kheap_sbrk(PAGE_SIZE) == (void *)-1)
		return -ENOMEM; /* the heap's tables exist before any task */
	mica_start_arg[0] = (unsigned long)pa2va(bi->initrd_start);
	mica_start_arg[1] = bi->initrd_end - bi->initrd_start;
	mica_start_arg[2] = (unsigned long)bi->bootargs;
	struct task *pm = task_alloc("pm", TASK_PRIV | TASK_KERNEL, NULL, &err);
	struct kserver *ks = pm ? kserve_new(pm) : NULL;
	if (!ks)
		return -ENOMEM;
	kserve_tls_init();
	acting = pm;
	err = pm_start();
	if (!err)
		err = kserve_bind(ks, &pm_server);
	acting = NULL;
	kserve_flush();
	kprintf("mono: pm, fs and the console run inside the kernel\n");
	return err;
}
