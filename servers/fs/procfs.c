/* procfs: /proc. Files are rendered when opened, in Linux's layouts:
 * /proc/<pid>/status and cmdline (from the rows pm pushes and the
 * kernel's thread counters), /proc/<pid>/task/<lwp>/ with status and stat
 * per thread, /proc/meminfo, /proc/uptime, /proc/mounts, /proc/stat,
 * /proc/vmstat and the /proc/self link. Inodes: 1 root, 2..7 the fixed
 * entries, pid << 8 | 0x10 a process directory, | 0x11 status, | 0x12
 * cmdline, | 0x13 maps, | 0x14 task, | 0x15 limits, | 0x16 sched (those
 * two: proclimits.c); a thread's (lwp << 40) | pid << 8
 * | 0x20 its directory, | 0x21 status, | 0x22 stat. A thread's LWP id is
 * the kernel's thread number (SYS_THREAD_INFO's tid & 0xFFFF). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsdev.h"
#include "mounts.h"
#include "swap.h"
#include "mica/errno.h"
#include "mica/syscall.h"

extern struct vfs vfs;

static struct proc_row *proc_rows; /* grows; pid 0 rows are free */
static size_t nrows;

enum { P_ROOT = 1, P_MEMINFO, P_UPTIME, P_MOUNTS, P_STAT, P_VMSTAT, P_SWAPS, P_SELF };
#define PDIR(pid)            (((uint64_t)(pid) << 8) | 0x10)
#define PSTATUS(pid)         (((uint64_t)(pid) << 8) | 0x11)
#define PCMD(pid)            (((uint64_t)(pid) << 8) | 0x12)
#define PTASK(pid)           (((uint64_t)(pid) << 8) | 0x14)
#define PTHR(pid, lwp, kind) (((uint64_t)(lwp) << 40) | ((uint64_t)(pid) << 8) | (kind))
#define PID_OF(ino)          ((int)(((ino) >> 8) & 0xFFFFFFFFu))
#define LWP_OF(ino)          ((ino) >> 40)
#define KIND(ino)            ((ino)&0xFF)

static const char *const fixed[] = {
    [P_MEMINFO] = "meminfo", [P_UPTIME] = "uptime", [P_MOUNTS] = "mounts", [P_STAT] = "stat",
    [P_VMSTAT] = "vmstat",   [P_SWAPS] = "swaps",   [P_SELF] = "self"};

static struct proc_row *row(int pid)
{
	for (size_t i = 0; i < nrows; i++)
		if (pid > 0 && proc_rows[i].p.pid == pid)
			return &proc_rows[i];
	return NULL;
}

/* A free row, growing the table when all are used. */
static struct proc_row *free_row(void)
{
	for (size_t i = 0; i < nrows; i++)
		if (!proc_rows[i].p.pid)
			return &proc_rows[i];
	size_t old = nrows, n = nrows ? nrows * 2 : 64;
	struct proc_row *t = realloc(proc_rows, n * sizeof(*t));
	if (!t)
		return NULL;
	for (size_t i = old; i < n; i++)
		t[i] = (struct proc_row){.task = -1};
	proc_rows = t;
	nrows = n;
	return &proc_rows[old];
}

struct proc_row *procfs_row(int pid, bool create)
{
	struct proc_row *r = row(pid);
	return r || !create || pid <= 0 ? r : free_row();
}

/* The index-th thread of r's task (newest first): 0 and *ti, or -ENOENT. */
static int nth_thread(const struct proc_row *r, int index, struct thread_info *ti)
{
	if (r->p.state == 'Z' || r->task < 0 || mica_thread_info(r->task, index, ti) != 0)
		return -ENOENT;
	return 0;
}

/* The thread of r's task whose LWP id is lwp: 0 and *ti, or -ENOENT. */
static int thread_of(const struct proc_row *r, uint64_t lwp, struct thread_info *ti)
{
	for (int i = 0; lwp && nth_thread(r, i, ti) == 0; i++)
		if ((ti->tid & 0xFFFF) == lwp)
			return 0;
	return -ENOENT;
}

/* The row of a process or thread inode whose process (and thread) live. */
static struct proc_row *row_of(uint64_t ino)
{
	struct thread_info ti;
	struct proc_row *r = row(PID_OF(ino));
	return r && (KIND(ino) < 0x20 || thread_of(r, LWP_OF(ino), &ti) == 0) ? r : NULL;
}

static int pr_lookup(void *fs, uint64_t dir, const char *name, uint64_t *ino)
{
	(void)fs;
	if (!strcmp(name, ".") || !strcmp(name, "..")) {
		*ino = !strcmp(name, ".") ? dir : P_ROOT;
		return 0;
	}
	if (dir == P_ROOT) {
		for (int i = P_MEMINFO; i <= P_SELF; i++)
			if (!strcmp(name, fixed[i])) {
				*ino = (uint64_t)i;
				return 0;
			}
		char *end;
		long pid = strtol(name, &end, 10);
		if (*end || !row((int)pid))
			return -ENOENT;
		*ino = PDIR(pid);
		return 0;
	}
	if (KIND(dir) != 0x10 && KIND(dir) != 0x14 && KIND(dir) != 0x20)
		return -ENOTDIR;
	struct proc_row *r = row_of(dir);
	if (!r)
		return -ENOENT;
	uint64_t base = dir & ~0xFFul, kind = 0;
	if (KIND(dir) == 0x14) { /* task/: the threads by LWP id */
		struct thread_info ti;
		char *end;
		unsigned long lwp = strtoul(name, &end, 10);
		if (*end || thread_of(r, lwp, &ti))
			return -ENOENT;
		*ino = PTHR(PID_OF(dir), lwp, 0x20);
		return 0;
	}
	if (!strcmp(name, "status"))
		kind = KIND(dir) == 0x10 ? 0x11 : 0x21;
	else if (!strcmp(name, "stat") && KIND(dir) == 0x20)
		kind = 0x22;
	else if (KIND(dir) == 0x10)
		kind = !strcmp(name, "cmdline")  ? 0x12
		       : !strcmp(name, "maps")   ? 0x13
		       : !strcmp(name, "task")   ? 0x14
		       : !strcmp(name, "limits") ? 0x15
		       : !strcmp(name, "sched")  ? 0x16
		                                 : 0;
	if (!kind)
		return -ENOENT;
	*ino = base | kind;
	return 0;
}

bool procfs_is_file(uint64_t ino)
{
	return (ino >= P_MEMINFO && ino <= P_SWAPS) ||
	       (ino >= 0x100 && ((KIND(ino) >= 0x11 && KIND(ino) <= 0x16 && KIND(ino) != 0x14) ||
	                         KIND(ino) == 0x21 || KIND(ino) == 0x22));
}

static bool is_dir(uint64_t ino)
{
	return ino == P_ROOT ||
	       (ino >= 0x100 && (KIND(ino) == 0x10 || KIND(ino) == 0x14 || KIND(ino) == 0x20));
}

static int pr_getattr(void *fs, uint64_t ino, struct vattr *va)
{
	(void)fs;
	*va = (struct vattr){.ino = ino, .nlink = 1};
	if (is_dir(ino)) {
		if (ino != P_ROOT && !row_of(ino))
			return -ENOENT;
		va->mode = VFS_IFDIR | 0555;
		va->nlink = 2;
	} else if (ino == P_SELF) {
		va->mode = VFS_IFLNK | 0777;
		va->size = 8;
	} else if (procfs_is_file(ino) && (ino < 0x100 || row_of(ino))) {
		va->mode = VFS_IFREG | 0444; /* size 0, as Linux reports */
	} else {
		return -ENOENT;
	}
	return 0;
}

/* /proc/self: the pid of whoever asks. */
static long pr_readlink(void *fs, uint64_t ino, char *buf, size_t len, const struct vfs_cred *cr)
{
	(void)fs;
	char tmp[16];
	if (ino != P_SELF)
		return -EINVAL;
	int n = snprintf(tmp, sizeof(tmp), "%d", cr ? cr->pid : 0);
	n = (size_t)n < len ? n : (int)len;
	memcpy(buf, tmp, (size_t)n);
	return n;
}

/* A process's, its task/ and a thread's directories. */
static int sub_readdir(uint64_t dir, uint64_t c, struct vfs_dirent *out)
{
	static const char *const names[] = {".",    "..",   "status", "cmdline",
	                                    "maps", "task", "limits", "sched"};
	static const char *const tnames[] = {".", "..", "status", "stat"};
	uint64_t base = dir & ~0xFFul;
	struct thread_info ti;
	struct proc_row *r = row_of(dir);
	out->type = VFS_DT_DIR;
	if (c < 2) { /* "..": the directory above */
		out->ino = c == 0              ? dir
		           : KIND(dir) == 0x10 ? P_ROOT
		           : KIND(dir) == 0x14 ? PDIR(PID_OF(dir))
		                               : PTASK(PID_OF(dir));
		snprintf(out->name, sizeof(out->name), "%s", names[c]);
	} else if (KIND(dir) == 0x10 && c < 8) {
		out->ino = base | (0x10 + c - 1);
		out->type = c == 5 ? VFS_DT_DIR : VFS_DT_REG;
		snprintf(out->name, sizeof(out->name), "%s", names[c]);
	} else if (KIND(dir) == 0x20 && c < 4) {
		out->ino = base | (0x20 + c - 1);
		out->type = VFS_DT_REG;
		snprintf(out->name, sizeof(out->name), "%s", tnames[c]);
	} else if (KIND(dir) == 0x14 && r && nth_thread(r, (int)c - 2, &ti) == 0) {
		out->ino = PTHR(PID_OF(dir), ti.tid & 0xFFFF, 0x20);
		snprintf(out->name, sizeof(out->name), "%lu", ti.tid & 0xFFFF);
	} else {
		return 0;
	}
	return 1;
}

static int pr_readdir(void *fs, uint64_t dir, uint64_t *cookie, struct vfs_dirent *out)
{
	(void)fs;
	uint64_t c = *cookie;
	if (dir != P_ROOT) {
		int n = sub_readdir(dir, c, out);
		*cookie = c + (uint64_t)n;
		return n;
	}
	if (c < 2 || c <= P_SELF) {
		out->ino = c < 2 ? P_ROOT : c;
		out->type = c < 2 ? VFS_DT_DIR : c == P_SELF ? VFS_DT_LNK : VFS_DT_REG;
		snprintf(out->name, sizeof(out->name), "%s",
		         c == 0   ? "."
		         : c == 1 ? ".."
		                  : fixed[c]);
		*cookie = c + 1;
		return 1;
	}
	for (uint64_t i = c - P_SELF - 1; i < nrows; i++) {
		if (proc_rows[i].p.pid <= 0)
			continue;
		out->ino = PDIR(proc_rows[i].p.pid);
		out->type = VFS_DT_DIR;
		snprintf(out->name, sizeof(out->name), "%d", proc_rows[i].p.pid);
		*cookie = P_SELF + 2 + i;
		return 1;
	}
	return 0;
}

static const char *state_name(char s)
{
	switch (s) {
	case 'R':
		return "R (running)";
	case 'Z':
		return "Z (zombie)";
	case 'T':
		return "T (stopped)";
	case 't':
		return "t (tracing stop)";
	default:
		return "S (sleeping)";
	}
}

/* The process's status, or (lwp not 0) one thread's: its state, its id
 * as Pid and its context switches. */
static long render_status(struct proc_row *r, uint64_t lwp, int self, char *buf, size_t len)
{
	struct thread_info ti = {0};
	/* shared pages (program text, shared memory) count as RssFile */
	unsigned long vcs = 0, nvcs = 0, kb = 0, hwm = 0, shmem = 0;
	int threads = 0;
	char st = r->p.state;
	for (; nth_thread(r, threads, &ti) == 0; threads++) {
		bool mine = lwp ? (ti.tid & 0xFFFF) == lwp : true;
		if ((lwp ? mine : threads == 0) && r->p.state != 'T') /* pm's "stopped" stands */
			st = (char)ti.state;
		vcs += mine ? ti.nvcsw : 0, nvcs += mine ? ti.nivcsw : 0, kb = ti.task_pages * 4;
		hwm = ti.peak_pages * 4, shmem = ti.shared_pages * 4;
	}
	const struct fs_proc *v = &r->p;
	int nice = procfs_nice(r->p.pid); /* NI and PRI as ps -l shows them (80 + NI) */
	if (r->p.pid == self && !lwp)
		st = 'R'; /* it is reading this: it runs */
	char groups[16 * 7 + 1] = "";
	for (int i = 0, n = 0; i < r->p.ngroups && i < 16; i++)
		n += snprintf(groups + n, sizeof(groups) - (size_t)n, "%d ", (int)r->p.groups[i]);
	return snprintf(
	    buf, len,
	    "Name:\t%s\nState:\t%s\nTgid:\t%d\nPid:\t%d\nPPid:\t%d\n"
	    "Uid:\t%d\t%d\t%d\t%d\nGid:\t%d\t%d\t%d\t%d\nFDSize:\t%d\nGroups:\t%s\n"
	    "VmPeak:\t%8lu kB\nVmSize:\t%8lu kB\nVmHWM:\t%8lu kB\nVmRSS:\t%8lu kB\n"
	    "RssAnon:\t%8lu kB\nRssFile:\t%8lu kB\nRssShmem:\t%8lu kB\n"
	    "VmData:\t%8lu kB\nVmStk:\t%8lu kB\nVmExe:\t%8lu kB\nVmLib:\t%8lu kB\n"
	    "VmSwap:\t%8lu kB\nThreads:\t%d\n"
	    "SigQ:\t0/0\nSigPnd:\t%016lx\nShdPnd:\t%016lx\nSigBlk:\t%016lx\n"
	    "SigIgn:\t%016lx\nSigCgt:\t%016lx\n"
	    "voluntary_ctxt_switches:\t%lu\nnonvoluntary_ctxt_switches:\t%lu\n"
	    "NI:\t%d\nPRI:\t%d\n",
	    r->p.name, state_name(st), r->p.pid, lwp ? (int)lwp : r->p.pid, r->p.ppid, r->p.ruid,
	    r->p.uid, r->p.suid, r->p.uid, r->p.rgid, r->p.gid, r->p.sgid, r->p.gid, FS_MAX_FDS,
	    groups, (unsigned long)v->vm_peak, (unsigned long)v->vm_size, hwm + shmem, kb + shmem,
	    kb, shmem, 0ul, (unsigned long)v->vm_data, (unsigned long)v->vm_stk,
	    (unsigned long)v->vm_exe, 0ul, (unsigned long)v->vm_swap, threads,
	    (unsigned long)v->sigpnd, (unsigned long)v->shdpnd, (unsigned long)v->sigblk,
	    (unsigned long)v->sigign, (unsigned long)v->sigcgt, vcs, nvcs, nice, 80 + nice);
}

/* /proc/N/task/T/stat: Linux's first 24 fields. Mica has no split of
 * user and system time (utime has it all, in USER_HZ = 100 ticks), no
 * fault counts per thread, and fs knows no process group, session or
 * terminal: those are 0; priority is the kernel's (0..31), nice 0. */
static long render_thread_stat(struct proc_row *r, uint64_t lwp, char *buf, size_t len)
{
	struct thread_info ti, me;
	int threads = 0;
	while (nth_thread(r, threads, &ti) == 0)
		threads++;
	if (thread_of(r, lwp, &me))
		return -ENOENT;
	return snprintf(buf, len,
	                "%lu (%s) %c %d 0 0 0 -1 0 0 0 0 0 %lu 0 0 0 %lu 0 %d 0 0 %lu %lu\n", lwp,
	                r->p.name, (char)me.state, r->p.ppid, me.cpu_us / 10000, me.prio, threads,
	                (unsigned long)r->p.vm_size * 1024, me.task_pages + me.shared_pages);
}

/* /proc/stat in Linux's layout (times in USER_HZ = 100 ticks; the kernel
 * does not split user from system time, so busy time is all "system"),
 * then the kernel's own counters, which make compare reads too. */
static long render_stat(char *buf, size_t len)
{
	struct kinfo k;
	struct kstat st;
	if (mica_kinfo(&k) || mica_kstat(&st))
		return -EIO;
	unsigned long up = k.uptime_us / 10000, idle = k.idle_us / 10000, busy = up - idle;
	return snprintf(buf, len,
	                "cpu  0 0 %lu %lu 0 0 0 0 0 0\ncpu0 0 0 %lu %lu 0 0 0 0 0 0\n"
	                "intr %lu\nctxt %lu\nbtime 0\n"
	                "syscalls %lu\ntraps %lu\nipc %lu %lu\nsatp %lu\ntlb_flush %lu\n"
	                "copied %lu\nserved %lu\n",
	                busy, idle, busy, idle, st.interrupts, st.ctxsw, st.syscalls, st.traps,
	                st.ipc_msgs, st.ipc_bytes, st.satp, st.tlb_flush, st.copied, st.served);
}

/* /proc/vmstat: Linux's names for the kernel's paging counters. A page
 * fault here is a first touch of a demand-zero page or a write to a
 * copy-on-write one; none reads a disk yet (no swap, no mapped files), so
 * pgmajfault and the swap counts are 0. */
static long render_vmstat(char *buf, size_t len)
{
	struct kstat st;
	struct kinfo k;
	struct swap_info si;
	if (mica_kstat(&st) || mica_kinfo(&k))
		return -EIO;
	swap_info(&si);
	return snprintf(buf, len,
	                "nr_free_pages %lu\npgfault %lu\npgmajfault %lu\npswpin %lu\npswpout %lu\n"
	                "cow_shared %lu\ncow_copied %lu\ncow_reused %lu\npager_faults %lu\n"
	                "fork_shared %lu\nswap_clean_evictions %lu\n",
	                k.frames_free,
	                st.demand_zero + st.cow_copied + st.cow_reused + st.pager_faults,
	                (unsigned long)si.pswpin, (unsigned long)si.pswpin,
	                (unsigned long)si.pswpout, st.cow_shared, st.cow_copied, st.cow_reused,
	                st.pager_faults, st.fork_shared, (unsigned long)si.unwritten);
}

long procfs_render(uint64_t ino, int self, char *buf, size_t len)
{
	struct kinfo k;
	if (ino == P_STAT)
		return render_stat(buf, len);
	if (ino == P_VMSTAT)
		return render_vmstat(buf, len);
	if (ino == P_SWAPS) { /* Linux's layout; pm pages at one priority */
		struct swap_info si;
		swap_info(&si);
		int n = snprintf(buf, len, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
		if (si.total)
			n += snprintf(buf + n, len - (size_t)n,
			              "/dev/vd%c%-32spartition\t%lu\t\t%lu\t\t-2\n", 'a' + si.disk,
			              "", (unsigned long)si.total * 4, (unsigned long)si.used * 4);
		return n;
	}
	if (ino == P_MEMINFO && !mica_kinfo(&k)) {
		/* Linux's layout; Buffers: cached disk blocks that are not file
		 * contents (metadata, raw devices), Cached: file contents */
		struct cache_info ci;
		struct swap_info si;
		cache_info(&ci);
		swap_info(&si);
		unsigned long clean = (ci.buffers + ci.cached - ci.dirty) / 1024;
		return snprintf(buf, len,
		                "MemTotal:       %8lu kB\nMemFree:        %8lu kB\n"
		                "MemAvailable:   %8lu kB\nBuffers:        %8lu kB\n"
		                "Cached:         %8lu kB\nSwapTotal:      %8lu kB\n"
		                "SwapFree:       %8lu kB\nDirty:          %8lu kB\n",
		                k.frames_total * 4, k.frames_free * 4, k.frames_free * 4 + clean,
		                (unsigned long)ci.buffers / 1024, (unsigned long)ci.cached / 1024,
		                (unsigned long)si.total * 4,
		                (unsigned long)(si.total - si.used) * 4,
		                (unsigned long)ci.dirty / 1024);
	}
	if (ino == P_UPTIME && !mica_kinfo(&k))
		return snprintf(buf, len, "%lu.%02lu %lu.%02lu\n", k.uptime_us / 1000000,
		                k.uptime_us / 10000 % 100, k.idle_us / 1000000,
		                k.idle_us / 10000 % 100);
	if (ino == P_MOUNTS)
		return (long)vfs_mounts(&vfs, buf, len);
	struct proc_row *r = row_of(ino);
	if (!r)
		return -ENOENT;
	if (KIND(ino) == 0x11 || KIND(ino) == 0x21)
		return render_status(r, KIND(ino) == 0x21 ? LWP_OF(ino) : 0, self, buf, len);
	if (KIND(ino) == 0x22)
		return render_thread_stat(r, LWP_OF(ino), buf, len);
	if (KIND(ino) == 0x15)
		return procfs_limits(r->p.pid, buf, len);
	if (KIND(ino) == 0x16)
		return procfs_sched(r, buf, len);
	const char *text = (ino & 0xFF) == 0x13 ? r->maps : r->p.cmdline;
	size_t have = (ino & 0xFF) == 0x13 ? r->maps_len : r->p.cmdline_len;
	size_t n = have < len ? have : len;
	if (n)
		memcpy(buf, text, n);
	return (long)n;
}

const struct fs_ops procfs_ops = {
    .lookup = pr_lookup,
    .getattr = pr_getattr,
    .readlink = pr_readlink,
    .readdir = pr_readdir,
};
