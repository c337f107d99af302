/* pm: the process manager and root task. It starts the console, fs and
 * init (pid 1), then serves PM_* requests (proc.c): fork, exec, exit,
 * wait, kill, process groups and the process list. It supervises every
 * process: the kernel's exit and fault messages arrive with the pid as
 * badge. This file: building program images, and the start. No
 * transport here: see main.c for the user-mode server. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mica/elf.h"
#include "mica/errno.h"
#include "mica/execargs.h"
#include "mica/execstack.h"
#include "mica/host.h"
#include "mica/proto/fs.h"
#include "mica/proto/pm.h"
#include "mica/runtime.h"
#include "proc.h"

struct pm pm;

/* --- building a program image ------------------------------------------ */

/* The handles every process starts with, badged with its pid. */
long grant_std(long task, unsigned long badge)
{
	long a = mica_handle_grant(task, pm.ep, badge, RIGHT_SEND);
	long b = mica_handle_grant(task, pm.con_ep, badge, RIGHT_SEND);
	long c = mica_handle_grant(task, pm.fs_ep, badge, RIGHT_SEND);
	return a == SLOT_PM && b == SLOT_CONSOLE && c == SLOT_FS ? 0 : -EIO;
}

/* Keeps the arguments, NUL-separated, for /proc/<pid>/cmdline: as many
 * whole ones as fit. */
static void set_cmdline(struct proc *p, const struct execargs *a)
{
	const char *s = a->strs;
	p->cmdline_len = 0;
	for (uint32_t i = 0; i < a->argc; i++) {
		size_t n = strlen(s) + 1;
		if (p->cmdline_len + n > sizeof(p->cmdline))
			break;
		memcpy(p->cmdline + p->cmdline_len, s, n);
		p->cmdline_len += (unsigned)n;
		s += n;
	}
}

/* Initial stacks up to this size are built here; larger ones (up to
 * EXEC_ARG_MAX) in memory of their own, so pm (and, in mono, the kernel)
 * holds the big buffers only while it needs them. */
static unsigned char stack_image[IPC_MAX + 4096];
static long image_build(struct proc *p, const void *elf, int obj, const struct elf_image *img,
                        const struct execargs *a, unsigned flags);

/* The first page past the program's segments: where its heap starts. */
static unsigned long image_end(const struct elf_image *img)
{
	unsigned long end = 0;
	for (int i = 0; i < img->nsegs; i++)
		if (img->seg[i].vaddr + img->seg[i].memsz > end)
			end = img->seg[i].vaddr + img->seg[i].memsz;
	return (end + 4095) & ~4095ul;
}

/* Builds a new task running a checked block's program with its
 * arguments; returns its handle. */
long image_create(struct proc *p, const struct execargs *a, unsigned flags)
{
	void *elf = NULL;
	size_t size;
	const char *why;
	struct elf_image img;
	int obj = 0;
	long err;
	if (!pm.fs_dead) { /* from the page cache: text shared, data copy-on-write */
		err = vm_program(p->pid, a->path, &obj, &img);
	} else { /* the boot archive's copy */
		err = fsc_read_file(p->pid, a->path, &elf, &size);
		if (!err && elf_parse(elf, size, USER_MIN_VA, USER_MAX_VA, &img, &why))
			err = -ENOEXEC;
	}
	if (err) {
		free(elf);
		return err;
	}
	err = image_build(p, elf, obj, &img, a, flags);
	free(elf);
	if (err >= 0) {
		p->exe_next = obj;            /* the caller makes it the process's (vm_exe_set) */
		p->maps_state = FS_MAPS_TEXT; /* a new program: new maps */
		set_cmdline(p, a);
		p->brk_start = p->brk = image_end(&img);
		p->nseg = 0;
		for (int i = 0; i < img.nsegs && p->nseg < 4; i++) {
			const struct elf_seg *g = &img.seg[i];
			p->seg[p->nseg].lo = g->vaddr & ~4095ul;
			p->seg[p->nseg].hi = (g->vaddr + g->memsz + 4095) & ~4095ul;
			p->seg[p->nseg].off = g->offset & ~4095ul;
			p->seg[p->nseg++].prot = (g->flags & ELF_PF_R ? 1 : 0) |
			                         (g->flags & ELF_PF_W ? 2 : 0) |
			                         (g->flags & ELF_PF_X ? 4 : 0);
		}
		snprintf(p->exe, sizeof(p->exe), "%s", a->path);
		p->vm_peak = 0; /* a new address space */
		p->stack_size = rlimit_stack(p);
	}
	return err;
}

/* The initial stack for a, in stack_image or (when larger) in memory
 * of its own at *stack that the caller frees: its size, or -errno. */
static long stack_build(const struct execargs *a, unsigned char **stack, uint64_t *sp)
{
	static const unsigned char rnd[16] = "mica-at-random!";
	size_t need = a->strbytes + EXECARGS_WORD * (a->argc + a->envc) + (EXEC_ARG_MAX - ARG_MAX);
	size_t cap = need <= sizeof(stack_image) ? sizeof(stack_image) : need;
	*stack = cap == sizeof(stack_image) ? stack_image : malloc(cap);
	if (!*stack)
		return -ENOMEM;
	long n = execstack_build_packed(*stack, cap, USER_STACK_TOP, a, rnd, sp);
	if (n < 0 && *stack != stack_image)
		free(*stack);
	return n < 0 ? -E2BIG : n;
}

void image_run(struct proc *p)
{
	nice_apply(p->task, p->nice);
}

/* The loaders make a USER_STACK_SIZE stack: this one is size bytes. */
static long stack_resize(long task, unsigned long size)
{
	if (size < USER_STACK_SIZE)
		return mica_vm_unmap(task, USER_STACK_TOP - USER_STACK_SIZE,
		                     USER_STACK_SIZE - size);
	if (size > USER_STACK_SIZE)
		return mica_vm_map(task, USER_STACK_TOP - size, size - USER_STACK_SIZE,
		                   PROT_READ_ | PROT_WRITE_ | PROT_LAZY_);
	return 0;
}

/* The new task for image_create, from a checked ELF image. */
static long image_build(struct proc *p, const void *elf, int obj, const struct elf_image *ip,
                        const struct execargs *a, unsigned flags)
{
	struct elf_image img = *ip;
	uint64_t sp;
	unsigned char *stack;
	long n = stack_build(a, &stack, &sp);
	if (n < 0)
		return n;
	if ((unsigned long)n > rlimit_stack(p) / 4) { /* Linux's bound on the arguments */
		if (stack != stack_image)
			free(stack);
		return -E2BIG;
	}
	long task = mica_task_create(p->name, pm.ep, proc_badge(p), flags | TASK_FAULTS);
	long err = task < 0 ? task
	           : obj    ? vm_load(task, obj, &img)
	                    : mica_load_image(task, elf, &img);
	if (!err)
		err = stack_resize(task, rlimit_stack(p));
	if (!err)
		err = mica_vm_write(task, sp, stack, (unsigned long)n) < 0 ? -EFAULT : 0;
	if (stack != stack_image)
		free(stack);
	if (task < 0)
		return task;
	if (!err)
		err = grant_std(task, proc_badge(p));
	if (!err) {
		/* a0 marks a POSIX start: argc/argv/envp at sp. It waits at the
		 * lowest priority until pm has told fs about it (image_run), so
		 * it never reads its own /proc entry before that is right. */
		long tid = mica_thread_create(task, (void *)img.entry, (void *)sp, MICA_START_POSIX,
		                              PRIO_MIN);
		err = tid < 0 ? tid : 0;
	}
	if (err) {
		mica_task_kill(task, 0);
		mica_handle_close(task);
		return err;
	}
	return task;
}

/* The block-device server, before fs: fs gets a handle to it. */
static void start_blk(void)
{
	struct host_server o = {.name = "blk",
	                        .super_ep = pm.ep,
	                        .badge = PM_BADGE_BLK,
	                        .flags = TASK_PRIV,
	                        .prio = PRIO_DEFAULT + 2,
	                        .grant = &pm.blk_ep,
	                        .ngrant = 1};
	pm.blk_task = pm.blk_ep < 0 ? -1 : host_spawn_server(&o);
	if (pm.blk_task < 0)
		printf("pm: cannot start blk: no disks\n");
	/* blk alone receives on its endpoint */
	pm.blk_ep = handle_narrow(pm.blk_ep, RIGHT_SEND | RIGHT_GRANT);
}

static void start_console(void)
{
	/* its pm handle carries the console badge: ^C requests come from it */
	long g[] = {pm.con_ep, mica_handle_grant(HANDLE_SELF, pm.ep, PM_BADGE_CONSOLE,
	                                         RIGHT_SEND | RIGHT_GRANT)};
	struct host_server o = {.name = "console",
	                        .super_ep = pm.ep,
	                        .badge = PM_BADGE_CONSOLE,
	                        .flags = TASK_PRIV,
	                        .prio = PRIO_DEFAULT + 2,
	                        .grant = g,
	                        .ngrant = 2};
	if (g[1] < 0 || (pm.con_task = host_spawn_server(&o)) < 0)
		printf("pm: cannot start the console\n");
	mica_handle_close(g[1]);
	/* the console alone receives on its endpoint */
	pm.con_ep = handle_narrow(pm.con_ep, RIGHT_SEND | RIGHT_GRANT);
}

long handle_narrow(long h, unsigned rights)
{
	long n = mica_handle_grant(HANDLE_SELF, h, 0, rights);
	mica_handle_close(h);
	return n;
}

/* pid 1: /bin/init, or the program named by the init= boot argument. */
static long start_init(void)
{
	static char path[64] = "/bin/init";
	static char block[256];
	mica_bootarg("init", path, sizeof(path));
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	char *argv[] = {(char *)base, NULL}, *envp[] = {"PATH=/bin", "HOME=/", NULL};
	struct execargs a;
	long len = execargs_pack(block, sizeof(block), path, argv, envp);
	struct proc *p = NULL;
	if (len < 0 || (size_t)len > sizeof(block) || execargs_check(block, (size_t)len, &a) ||
	    !(p = proc_alloc(0))) {
		printf("pm: cannot start %s\n", path);
		return -ENOMEM;
	}
	p->sid = p->job = p->pid;
	size_t bl = strlen(base) < sizeof(p->name) - 1 ? strlen(base) : sizeof(p->name) - 1;
	memcpy(p->name, base, bl);
	p->name[bl] = 0;
	long task = image_create(p, &a, 0);
	if (task < 0) {
		if (task != -FS_EWAIT) /* else: again once the disk has answered */
			printf("pm: cannot start %s: error %ld\n", path, task);
		proc_free(p);
		pm.next_pid--; /* init is pid 1 however often it waits */
		return task;
	}
	p->task = task;
	p->pgid = p->pid;
	vm_exe_set(p, p->exe_next);
	fsc_proc_update(p, true);
	image_run(p);
	return 0;
}

/* The servers as processes, the way MINIX lists its servers: in user
 * mode each is its own task; inside the kernel they show in brackets,
 * as Linux shows its kernel threads ([kthreadd]). Their pids follow
 * init's; they have no parent and take no signals. */
static void add_servers(void)
{
	static const char *const names[] = {"pm", "console", "fs", "blk"};
	long tasks[] = {HANDLE_SELF, pm.con_task, pm.fs_task, pm.blk_task};
	struct kinfo k;
	bool mono = mica_kinfo(&k) == 0 && k.mono;
	for (int i = 0; i < 4; i++) {
		struct proc *p = proc_alloc(0);
		if (!p)
			return;
		p->state = P_SERVER;
		p->task = tasks[i];
		p->sid = p->pgid = p->job = p->pid;
		snprintf(p->name, sizeof(p->name), mono ? "[%s]" : "%s", names[i]);
		p->cmdline_len = (unsigned)strlen(p->name) + 1;
		memcpy(p->cmdline, p->name, p->cmdline_len);
		fsc_proc_update(p, tasks[i] >= 0);
	}
}

int pm_start(void)
{
	pm.ep = mica_ep_create();
	pm.con_ep = mica_ep_create();
	pm.fs_ep = mica_ep_create();
	pm.blk_ep = mica_ep_create();
	if (pm.ep < 0 || pm.con_ep < 0 || pm.fs_ep < 0 || !host_buf()) {
		printf("pm: out of resources at start\n");
		return -ENOMEM;
	}
	pm_server.ep = pm.ep;
	/* above the processes, as the other servers are: it works for them
	 * (its CPU time, charged to it, must not hold back its own timers
	 * behind theirs), and its tick checks their CPU limits */
	mica_task_prio(HANDLE_SELF, PRIO_DEFAULT + 1, 0);
	printf("pm: process manager started\n");
	char hooks[4] = "";
	pm.testhooks = mica_bootarg("pm.testhooks", hooks, sizeof(hooks)) == 0 && hooks[0] == '1';
	start_console();
	start_blk();
	vm_start();
	if (fsc_start())
		printf("pm: cannot start sbin/fs\n");
	else
		pm_diskwait_start();
	pm_boot_continue();
	fflush(stdout);
	return 0;
}

void pm_boot_continue(void)
{
	static enum { B_ROOT, B_SWAP, B_INIT, B_DONE } stage;
	if (stage == B_ROOT && !pm_mount_root())
		stage = B_SWAP;
	if (stage == B_SWAP && !swap_boot())
		stage = B_INIT;
	if (stage == B_INIT && start_init() != -FS_EWAIT) {
		add_servers();
		stage = B_DONE;
	}
	fflush(stdout);
}
