/* The fs server's descriptor tables: rows and open files come and go
 * with no fixed limit, a process's limit is FS_MAX_FDS, and dropping a
 * process (FS_PM_EXIT) releases everything it held: descriptors, open
 * nodes, pipe ends and its requests still waiting in pipes. */
#include <criterion/criterion.h>
#include <string.h>

#include "../../servers/fs/files.h"
#include "../../servers/fs/ramfs.h"
#include "fake_sys.h"

extern struct vfs vfs; /* the fs server's mount table (fs.c) */
static struct ramfs *rootfs;
static int replies;
static char scratch[4096];
static struct server srv = {.name = "files-test", .out = scratch};

static int count_reply(srv_client token, const struct srv_rep *rep, const void *data)
{
	(void)token, (void)rep, (void)data;
	replies++;
	return 0;
}

static void setup(void)
{
	rootfs = ramfs_new(NULL, NULL);
	vfs_init(&vfs);
	struct vfs_fs f = {&ramfs_ops, rootfs, RAMFS_ROOT_INO, "ramfs", "rootfs", 0};
	cr_assert_eq(vfs_mount_root(&vfs, &f), 0);
	fake_reset();
	fake.on_answer = count_reply;
	pipe_setup(&srv);
	replies = 0;
}

static void teardown(void)
{
	cr_assert_eq(fsproc_count(), 0, "a test left a process row");
	cr_assert_eq(pipe_live(), 0, "a test left a pipe");
	ramfs_destroy(rootfs);
}

TestSuite(files, .init = setup, .fini = teardown);

/* Opens ino as the server does: an open file holding a ref. */
static int open_ino(struct fsproc *p, uint64_t ino)
{
	struct ofile *f = ofile_new(OF_VNODE);
	cr_assert_not_null(f);
	f->vn = (struct vnode){0, ino};
	cr_assert_eq(ramfs_ref(rootfs, ino), 0);
	int fd = fd_install(p, f, 0);
	if (fd < 0)
		ofile_put(f);
	return fd;
}

static int open_pipe(struct fsproc *p, int *rfd, int *wfd)
{
	struct ofile *r = ofile_new(OF_PIPE_R), *w = ofile_new(OF_PIPE_W);
	r->pipe = w->pipe = pipe_new();
	*rfd = fd_install(p, r, 0);
	*wfd = fd_install(p, w, 0);
	return *rfd >= 0 && *wfd >= 0 ? 0 : -1;
}

Test(files, rows_are_made_on_demand_for_more_than_65_processes)
{
	for (int pid = 0; pid < 300; pid++)
		cr_assert_not_null(fsproc_get(pid, true), "row for pid %d", pid);
	cr_assert_eq(fsproc_count(), 300);
	cr_assert_eq(fsproc_get(7, false), fsproc_get(7, true), "one row per pid");
	cr_assert_null(fsproc_get(1000, false));
	for (int pid = 299; pid >= 0; pid--)
		fsproc_drop(fsproc_get(pid, false));
}

Test(files, open_files_are_limited_per_process_not_in_total)
{
	uint64_t ino;
	cr_assert_eq(ramfs_ops.create(rootfs, RAMFS_ROOT_INO, "f", 0644, NULL, &ino), 0);
	for (int pid = 1; pid <= 20; pid++) { /* 20 * 32 = 640 open files */
		struct fsproc *p = fsproc_get(pid, true);
		for (int i = 0; i < FS_MAX_FDS; i++)
			cr_assert_eq(open_ino(p, ino), i, "pid %d fd %d", pid, i);
		cr_assert_eq(open_ino(p, ino), -EMFILE);
		cr_assert_eq(fd_free(p, 0), -EMFILE);
	}
	cr_assert_eq(ramfs_ops.unlink(rootfs, RAMFS_ROOT_INO, "f"), 0);
	cr_assert_eq(ramfs_inode_count(rootfs), 2, "open: the file lives");
	for (int pid = 1; pid <= 20; pid++)
		fsproc_drop(fsproc_get(pid, false));
	cr_assert_eq(ramfs_inode_count(rootfs), 1, "the last close freed it");
}

Test(files, exit_releases_descriptors_pipes_and_waiting_requests)
{
	struct fsproc *p[3] = {fsproc_get(5, true), fsproc_get(6, true), fsproc_get(7, true)};
	uint64_t ino;
	int r, w;
	long res;
	cr_assert_eq(ramfs_ops.create(rootfs, RAMFS_ROOT_INO, "f", 0644, NULL, &ino), 0);
	cr_assert_eq(open_ino(p[0], ino), 0);
	cr_assert_eq(ramfs_ops.unlink(rootfs, RAMFS_ROOT_INO, "f"), 0);
	for (int i = 0; i < 36; i++) { /* more than the old 32 pipes */
		cr_assert_eq(open_pipe(p[i % 3], &r, &w), 0, "pipe %d", i);
		if (i % 3 != 2) /* 5 and 6 wait to read their pipes, 7 does not */
			cr_assert(pipe_read(fd_file(p[i % 3], r)->pipe, p[i % 3]->pid, 100, 10,
			                    false, &res));
	}
	cr_assert_eq(pipe_live(), 36);
	cr_assert_eq(pipe_waiting(), 24);
	fsproc_drop(p[0]);
	cr_assert_eq(pipe_waiting(), 12, "only 6's requests are left");
	cr_assert_eq(replies, 0, "5 is gone: nobody is answered");
	cr_assert_eq(pipe_live(), 24);
	cr_assert_eq(ramfs_inode_count(rootfs), 1, "5's open unlinked file is freed");
	fsproc_drop(p[1]);
	cr_assert_eq(pipe_waiting(), 0);
	fsproc_drop(p[2]);
	cr_assert_eq(pipe_live(), 0, "every pipe end closed");
}

Test(files, shared_open_files_outlive_one_holder)
{
	struct fsproc *a = fsproc_get(1, true), *b = fsproc_get(2, true);
	int r, w;
	long res;
	cr_assert_eq(open_pipe(a, &r, &w), 0);
	struct ofile *wf = fd_file(a, w);
	cr_assert_eq(fd_install(b, wf, 0), 0, "as fork shares it");
	cr_assert_eq(fd_install(b, fd_file(a, r), 0), 1);
	fsproc_drop(a);
	cr_assert_eq(pipe_live(), 1);
	cr_assert_not(pipe_write(wf->pipe, 2, 1, "hi", 2, false, &res));
	cr_assert_eq(res, 2, "both ends still open through b");
	fsproc_drop(b);
}
