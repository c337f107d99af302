/* Path resolution and the mount table over two ramfs instances: "/" and
 * one mounted on /mnt. Covers ".", "..", symlinks (absolute, relative,
 * loops), mount crossing both ways, errors mid-path and getcwd paths. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../servers/fs/ramfs.h"
#include "../../servers/fs/vfs.h"

static struct vfs vfs;
static struct ramfs *rootfs, *subfs;
static struct vnode root;

static void vfs_setup(void)
{
	rootfs = ramfs_new(NULL, NULL);
	subfs = ramfs_new(NULL, NULL);
	cr_assert(rootfs && subfs);
	vfs_init(&vfs);
	struct vfs_fs f = {&ramfs_ops, rootfs, RAMFS_ROOT_INO, "ramfs", "rootfs", 0};
	cr_assert_eq(vfs_mount_root(&vfs, &f), 0);
	root = vfs_root(&vfs);
}

static void vfs_teardown(void)
{
	ramfs_destroy(rootfs);
	ramfs_destroy(subfs);
}

TestSuite(vfs, .init = vfs_setup, .fini = vfs_teardown);

static const struct fs_ops *ops_of(struct vnode vn)
{
	return vfs_mount_at(&vfs, vn.mnt)->ops;
}

static void *fs_of(struct vnode vn)
{
	return vfs_mount_at(&vfs, vn.mnt)->fs;
}

/* Resolves path from cwd; returns the error or 0 with *out filled. */
static int res_at(struct vnode cwd, const char *path, int flags, struct vnode *out)
{
	struct vfs_lookup lk;
	int r = vfs_resolve(&vfs, cwd, path, flags, &lk);
	if (r == 0 && out)
		*out = lk.vn;
	return r;
}

static struct vnode get(const char *path)
{
	struct vnode vn;
	int r = res_at(root, path, 0, &vn);
	cr_assert_eq(r, 0, "resolving %s: %d", path, r);
	return vn;
}

static int res(const char *path)
{
	return res_at(root, path, 0, NULL);
}

static struct vfs_lookup parent_of(const char *path)
{
	struct vfs_lookup lk;
	int r = vfs_resolve(&vfs, root, path, VFS_PARENT, &lk);
	cr_assert_eq(r, 0, "parent of %s: %d", path, r);
	return lk;
}

static struct vnode mkdir_p(const char *path)
{
	struct vfs_lookup lk = parent_of(path);
	uint64_t ino;
	cr_assert_eq(ops_of(lk.vn)->mkdir(fs_of(lk.vn), lk.vn.ino, lk.name, 0755, NULL, &ino), 0,
	             "mkdir %s", path);
	return (struct vnode){lk.vn.mnt, ino};
}

static struct vnode mkfile(const char *path)
{
	struct vfs_lookup lk = parent_of(path);
	uint64_t ino;
	cr_assert_eq(ops_of(lk.vn)->create(fs_of(lk.vn), lk.vn.ino, lk.name, 0644, NULL, &ino), 0,
	             "create %s", path);
	return (struct vnode){lk.vn.mnt, ino};
}

static struct vnode mklink(const char *path, const char *target)
{
	struct vfs_lookup lk = parent_of(path);
	uint64_t ino;
	cr_assert_eq(ops_of(lk.vn)->symlink(fs_of(lk.vn), lk.vn.ino, lk.name, target, NULL, &ino),
	             0, "symlink %s", path);
	return (struct vnode){lk.vn.mnt, ino};
}

static void assert_vn(struct vnode got, struct vnode want, const char *what)
{
	cr_assert(got.mnt == want.mnt && got.ino == want.ino, "%s: got %d:%llu, want %d:%llu", what,
	          got.mnt, (unsigned long long)got.ino, want.mnt, (unsigned long long)want.ino);
}

static void assert_path(const char *path, struct vnode want)
{
	assert_vn(get(path), want, path);
}

static int mount_sub(const char *path)
{
	struct vfs_fs f = {&ramfs_ops, subfs, RAMFS_ROOT_INO, "ramfs", "sub", 0};
	return vfs_mount(&vfs, root, path, &f);
}

Test(vfs, absolute_and_relative_paths_reach_the_same_file)
{
	struct vnode a = mkdir_p("/a"), b = mkdir_p("/a/b"), f = mkfile("/a/b/f");
	assert_path("/", root);
	assert_path("/a/b/f", f);
	struct vnode got;
	cr_assert_eq(res_at(a, "b/f", 0, &got), 0);
	assert_vn(got, f, "b/f from /a");
	cr_assert_eq(res_at(b, "f", 0, &got), 0);
	assert_vn(got, f, "f from /a/b");
	cr_assert_eq(res_at(b, "/a", 0, &got), 0);
	assert_vn(got, a, "absolute from elsewhere");
}

Test(vfs, repeated_slashes_and_dots_are_ignored)
{
	mkdir_p("/a");
	struct vnode b = mkdir_p("/a/b"), f = mkfile("/a/b/f");
	assert_path("//a///b//f", f);
	assert_path("/./a/./b/./f", f);
	assert_path("/a/b/.", b);
	assert_path("/a/b/", b);
	assert_path("/a/b//.//", b);
	struct vnode got;
	cr_assert_eq(res_at(b, ".", 0, &got), 0);
	assert_vn(got, b, ".");
}

Test(vfs, dotdot_goes_up_and_stops_at_the_root)
{
	struct vnode a = mkdir_p("/a"), b = mkdir_p("/a/b");
	mkfile("/a/f");
	assert_path("/a/b/..", a);
	assert_path("/a/b/../../a/b", b);
	assert_path("/..", root);
	assert_path("/../../..", root);
	assert_path("/../a/../../a", a);
	struct vnode got;
	cr_assert_eq(res_at(b, "../../..", 0, &got), 0);
	assert_vn(got, root, "../../.. from /a/b");
	cr_assert_eq(res_at(b, "../f", 0, &got), 0);
	cr_assert_eq(res("/a/f/.."), -ENOTDIR, "no .. out of a file");
}

Test(vfs, missing_or_empty_paths_are_enoent)
{
	mkdir_p("/a");
	cr_assert_eq(res(""), -ENOENT);
	cr_assert_eq(res("/nope"), -ENOENT);
	cr_assert_eq(res("/a/nope/b"), -ENOENT);
	cr_assert_eq(res("/nope/.."), -ENOENT, ".. does not skip a missing name");
}

Test(vfs, a_file_in_the_middle_of_a_path_is_enotdir)
{
	mkdir_p("/a");
	mkfile("/a/f");
	cr_assert_eq(res("/a/f/x"), -ENOTDIR);
	cr_assert_eq(res("/a/f/."), -ENOTDIR);
	cr_assert_eq(res("/a/f/x/y"), -ENOTDIR);
	struct vnode f = get("/a/f");
	cr_assert_eq(res_at(f, "x", 0, NULL), -ENOTDIR, "cwd is a file");
}

Test(vfs, trailing_slash_requires_a_directory)
{
	struct vnode a = mkdir_p("/a");
	mkfile("/a/f");
	mklink("/dl", "/a");
	mklink("/fl", "/a/f");
	cr_assert_eq(res("/a/f/"), -ENOTDIR);
	cr_assert_eq(res("/a/f//"), -ENOTDIR);
	assert_path("/a/", a);
	assert_path("/dl/", a);
	cr_assert_eq(res("/fl/"), -ENOTDIR, "a link to a file, then a slash");
	struct vnode got;
	cr_assert_eq(res_at(root, "/dl/", VFS_NOFOLLOW, &got), 0);
	assert_vn(got, a, "a trailing slash follows even with NOFOLLOW");
}

Test(vfs, absolute_symlinks_are_followed)
{
	mkdir_p("/a");
	mkdir_p("/a/b");
	struct vnode f = mkfile("/a/b/f");
	mkdir_p("/x");
	mklink("/x/to_b", "/a/b");
	mklink("/x/to_f", "/a/b/f");
	assert_path("/x/to_f", f);
	assert_path("/x/to_b/f", f);
	assert_path("/x/to_b/../b/f", f);
	mklink("/x/root", "/");
	assert_path("/x/root/a/b/f", f);
	assert_path("/x/root", root);
}

Test(vfs, relative_symlinks_start_in_the_links_directory)
{
	struct vnode a = mkdir_p("/a");
	mkdir_p("/a/b");
	struct vnode f = mkfile("/a/b/f");
	mkdir_p("/x");
	mkdir_p("/x/y");
	mklink("/x/y/up", "../../a/b/f");
	mklink("/a/same", "b/f");
	mklink("/a/dot", ".");
	assert_path("/x/y/up", f);
	assert_path("/a/same", f);
	assert_path("/a/dot", a);
	assert_path("/a/dot/dot/dot/b/f", f);
	struct vnode got;
	cr_assert_eq(res_at(get("/x"), "y/up", 0, &got), 0);
	assert_vn(got, f, "relative to the link, not to cwd");
}

Test(vfs, symlinks_in_the_middle_are_followed_and_at_the_end_on_request)
{
	mkdir_p("/a");
	struct vnode f = mkfile("/a/f");
	struct vnode l = mklink("/l", "/a/f");
	mklink("/al", "a");
	struct vnode got;
	cr_assert_eq(res_at(root, "/l", VFS_NOFOLLOW, &got), 0);
	assert_vn(got, l, "NOFOLLOW gives the link");
	cr_assert_eq(res_at(root, "/l", 0, &got), 0);
	assert_vn(got, f, "default follows");
	cr_assert_eq(res_at(root, "/al/f", VFS_NOFOLLOW, &got), 0);
	assert_vn(got, f, "NOFOLLOW is about the last name only");
}

Test(vfs, dangling_symlink_is_enoent_unless_not_followed)
{
	struct vnode l = mklink("/l", "/missing");
	struct vnode got;
	cr_assert_eq(res("/l"), -ENOENT);
	cr_assert_eq(res_at(root, "/l", VFS_NOFOLLOW, &got), 0);
	assert_vn(got, l, "lstat of a dangling link");
}

Test(vfs, symlink_loop_is_refused_with_eloop)
{
	mklink("/a", "b");
	mklink("/b", "/a");
	mklink("/self", "self");
	mkdir_p("/d");
	mklink("/d/up", "../d/up/x");
	cr_assert_eq(res("/a"), -ELOOP);
	cr_assert_eq(res("/b/x"), -ELOOP);
	cr_assert_eq(res("/self"), -ELOOP);
	cr_assert_eq(res("/d/up"), -ELOOP);
	cr_assert_eq(res_at(root, "/a", VFS_NOFOLLOW, NULL), 0, "the link itself is fine");
}

Test(vfs, forty_symlinks_in_a_row_are_allowed_but_not_forty_one)
{
	char name[32], target[32];
	struct vnode f = mkfile("/f");
	mklink("/l0", "f");
	for (int i = 1; i <= 40; i++) {
		snprintf(name, sizeof(name), "/l%d", i);
		snprintf(target, sizeof(target), "l%d", i - 1);
		mklink(name, target);
	}
	assert_path("/l39", f);
	cr_assert_eq(res("/l40"), -ELOOP);
}

Test(vfs, over_long_names_and_paths_are_enametoolong)
{
	static char path[VFS_PATH_MAX + 8];
	memset(path, 'n', 300);
	path[0] = '/';
	path[VFS_NAME_MAX + 2] = '\0';
	cr_assert_eq(res(path), -ENAMETOOLONG, "a 256-byte component");
	path[VFS_NAME_MAX + 1] = '\0';
	cr_assert_eq(res(path), -ENOENT, "255 bytes is allowed");
	for (int i = 0; i < VFS_PATH_MAX; i++)
		path[i] = i % 2 ? '.' : '/';
	path[VFS_PATH_MAX] = '\0';
	cr_assert_eq(res(path), -ENAMETOOLONG, "4096 bytes");
	path[VFS_PATH_MAX - 1] = '\0';
	cr_assert_eq(res(path), 0, "4095 bytes of /./././");
}

Test(vfs, symlink_expansion_past_the_path_limit_is_enametoolong)
{
	static char target[VFS_PATH_MAX];
	memset(target, '/', 3000);
	target[3000] = '\0';
	mklink("/l", target);
	static char path[2000];
	memset(path, '/', sizeof(path) - 3);
	memcpy(path, "/l", 2);
	path[sizeof(path) - 3] = 'x';
	path[sizeof(path) - 2] = '\0';
	cr_assert_eq(res(path), -ENAMETOOLONG);
	cr_assert_eq(res("/l"), 0, "3000 slashes alone are the root");
}

Test(vfs, parent_mode_stops_before_the_last_name)
{
	struct vnode a = mkdir_p("/a");
	mklink("/la", "/a");
	mklink("/a/l", "/nowhere");
	struct vfs_lookup lk = parent_of("/a/new");
	assert_vn(lk.vn, a, "parent");
	cr_assert_str_eq(lk.name, "new");
	cr_assert_not(lk.trailing_slash);
	lk = parent_of("/la/sub/");
	assert_vn(lk.vn, a, "parent through a symlink");
	cr_assert_str_eq(lk.name, "sub");
	cr_assert(lk.trailing_slash);
	lk = parent_of("/a/l");
	assert_vn(lk.vn, a, "a final symlink is not followed");
	cr_assert_str_eq(lk.name, "l");
	lk = parent_of("/");
	assert_vn(lk.vn, root, "/");
	cr_assert_str_eq(lk.name, ".");
	lk = parent_of("/a/..");
	assert_vn(lk.vn, a, "a/..");
	cr_assert_str_eq(lk.name, "..");
	cr_assert_eq(vfs_resolve(&vfs, root, "/nope/x", VFS_PARENT, &lk), -ENOENT);
}

Test(vfs, mounted_fs_hides_the_directory_below)
{
	struct vnode mnt = mkdir_p("/mnt");
	mkfile("/mnt/hidden");
	int k = mount_sub("/mnt");
	cr_assert_gt(k, 0);
	struct vnode top = get("/mnt");
	assert_vn(top, (struct vnode){k, RAMFS_ROOT_INO}, "/mnt is the sub root");
	cr_assert_eq(res("/mnt/hidden"), -ENOENT);
	struct vnode f = mkfile("/mnt/inside");
	cr_assert_eq(f.mnt, k, "created in the mounted fs");
	uint64_t ino;
	cr_assert_eq(ramfs_ops.lookup(subfs, RAMFS_ROOT_INO, "inside", &ino), 0);
	cr_assert_eq(ramfs_ops.lookup(rootfs, mnt.ino, "inside", &ino), -ENOENT);
	cr_assert(vfs_is_mount_root(&vfs, top));
	cr_assert_not(vfs_is_mount_root(&vfs, f));
}

Test(vfs, dotdot_leaves_a_mount_root_into_the_parent_fs)
{
	struct vnode a = mkdir_p("/a");
	mkdir_p("/a/mnt");
	int k = mount_sub("/a/mnt");
	struct vnode sub = mkdir_p("/a/mnt/sub");
	assert_path("/a/mnt/..", a);
	assert_path("/a/mnt/sub/../..", a);
	assert_path("/a/mnt/sub/../../../a/mnt/sub", sub);
	struct vnode got;
	cr_assert_eq(res_at(sub, "../../..", 0, &got), 0);
	assert_vn(got, root, "from a cwd inside the mount");
	cr_assert_eq(vfs_lookup_at(&vfs, (struct vnode){k, RAMFS_ROOT_INO}, "..", &got), 0);
	assert_vn(got, a, "lookup_at ..");
	cr_assert_eq(vfs_lookup_at(&vfs, a, "mnt", &got), 0);
	assert_vn(got, (struct vnode){k, RAMFS_ROOT_INO}, "lookup_at crosses down");
}

Test(vfs, symlinks_cross_mounts_both_ways)
{
	mkdir_p("/mnt");
	mount_sub("/mnt");
	struct vnode data = mkfile("/data");
	struct vnode inner = mkfile("/mnt/inner");
	mklink("/mnt/abs", "/data");
	mklink("/mnt/rel", "../data");
	mklink("/in", "mnt/inner");
	assert_path("/mnt/abs", data);
	assert_path("/mnt/rel", data);
	assert_path("/in", inner);
}

Test(vfs, mount_needs_a_free_plain_directory)
{
	mkdir_p("/d");
	mkfile("/f");
	cr_assert_eq(mount_sub("/f"), -ENOTDIR);
	cr_assert_eq(mount_sub("/nope"), -ENOENT);
	cr_assert_eq(mount_sub("/"), -EBUSY);
	cr_assert_gt(mount_sub("/d"), 0);
	cr_assert_eq(mount_sub("/d"), -EBUSY);
	struct vfs_fs f = {&ramfs_ops, rootfs, RAMFS_ROOT_INO, "ramfs", "again", 0};
	cr_assert_eq(vfs_mount_root(&vfs, &f), -EBUSY);
}

Test(vfs, mount_table_holds_eight)
{
	char path[16];
	for (int i = 1; i < VFS_MAX_MOUNTS; i++) {
		snprintf(path, sizeof(path), "/m%d", i);
		mkdir_p(path);
		cr_assert_eq(mount_sub(path), i);
	}
	mkdir_p("/one-more");
	cr_assert_eq(mount_sub("/one-more"), -ENOSPC);
}

Test(vfs, nested_mounts_and_umount)
{
	mkdir_p("/mnt");
	int k = mount_sub("/mnt");
	mkdir_p("/mnt/in");
	struct ramfs *third = ramfs_new(NULL, NULL);
	struct vfs_fs f = {&ramfs_ops, third, RAMFS_ROOT_INO, "ramfs", "third", 0};
	int j = vfs_mount(&vfs, root, "/mnt/in", &f);
	cr_assert_gt(j, k);
	struct vnode deep = mkdir_p("/mnt/in/deep");
	cr_assert_eq(deep.mnt, j);
	assert_path("/mnt/in/deep/../../..", root);
	void *gone = NULL;
	cr_assert_eq(vfs_umount(&vfs, root, "/mnt", &gone), -EBUSY);
	cr_assert_eq(vfs_umount(&vfs, root, "/mnt/in", &gone), j);
	cr_assert_eq(gone, third);
	cr_assert_eq(res("/mnt/in/deep"), -ENOENT);
	cr_assert_eq(vfs_umount(&vfs, root, "/mnt/in", NULL), -EINVAL, "not a mount any more");
	cr_assert_eq(vfs_umount(&vfs, root, "/", NULL), -EINVAL);
	cr_assert_eq(vfs_umount(&vfs, root, "/mnt", NULL), k);
	assert_path("/mnt", get("/mnt"));
	cr_assert_eq(get("/mnt").mnt, 0, "back to the covered directory");
	ramfs_destroy(third);
}

Test(vfs, path_of_a_directory_walks_up_through_mounts)
{
	char buf[64];
	mkdir_p("/usr");
	mkdir_p("/usr/lib");
	mkdir_p("/mnt");
	mount_sub("/mnt");
	mkdir_p("/mnt/sub");
	cr_assert_eq(vfs_path(&vfs, root, buf, sizeof(buf)), 1);
	cr_assert_str_eq(buf, "/");
	cr_assert_eq(vfs_path(&vfs, get("/usr/lib"), buf, sizeof(buf)), 8);
	cr_assert_str_eq(buf, "/usr/lib");
	cr_assert_eq(vfs_path(&vfs, get("/mnt"), buf, sizeof(buf)), 4);
	cr_assert_str_eq(buf, "/mnt");
	cr_assert_eq(vfs_path(&vfs, get("/mnt/sub"), buf, sizeof(buf)), 8);
	cr_assert_str_eq(buf, "/mnt/sub");
	cr_assert_eq(vfs_path(&vfs, get("/usr/lib"), buf, 8), -ERANGE, "no room for the NUL");
	cr_assert_eq(vfs_path(&vfs, get("/usr/lib"), buf, 9), 8);
}

Test(vfs, path_follows_renames_and_fails_for_removed_directories)
{
	char buf[64];
	struct vnode a = mkdir_p("/a");
	struct vnode b = mkdir_p("/a/b");
	cr_assert_eq(ramfs_ops.rename(rootfs, root.ino, "a", root.ino, "z"), 0);
	cr_assert_eq(vfs_path(&vfs, b, buf, sizeof(buf)), 4);
	cr_assert_str_eq(buf, "/z/b");
	cr_assert_eq(ramfs_ops.rmdir(rootfs, a.ino, "b"), 0);
	cr_assert_eq(vfs_path(&vfs, b, buf, sizeof(buf)), -ENOENT);
}

Test(vfs, mounts_are_listed_like_proc_mounts)
{
	char buf[256];
	mkdir_p("/a");
	mkdir_p("/a/mnt");
	mount_sub("/a/mnt");
	const char *want = "rootfs / ramfs rw 0 0\nsub /a/mnt ramfs rw 0 0\n";
	cr_assert_eq(vfs_mounts(&vfs, buf, sizeof(buf)), strlen(want));
	cr_assert_str_eq(buf, want);
	cr_assert_eq(vfs_mounts(&vfs, buf, 10), strlen(want), "full length when truncated");
	cr_assert_str_eq(buf, "rootfs / ");
	cr_assert_eq(vfs_mounts(&vfs, NULL, 0), strlen(want));
	const struct vfs_mount *m = vfs_mount_at(&vfs, 1);
	cr_assert_not_null(m);
	cr_assert_str_eq(m->path, "/a/mnt");
	cr_assert_null(vfs_mount_at(&vfs, 2));
	cr_assert_null(vfs_mount_at(&vfs, -1));
}

Test(vfs, mount_point_path_over_255_bytes_is_refused)
{
	char path[400] = "";
	for (int i = 0; i < 4; i++) {
		strcat(path, "/");
		memset(path + strlen(path), 'd' + i, 80);
		path[(i + 1) * 81] = '\0';
		mkdir_p(path);
	}
	cr_assert_eq(mount_sub(path), -ENAMETOOLONG);
	cr_assert_null(vfs_mount_at(&vfs, 1));
}

/* A file system with only the two required operations, like procfs has
 * few: root 1 holds "f" (2, a file) and "l" (3, a symlink). */
static int bare_lookup(void *fs, uint64_t dir, const char *name, uint64_t *ino)
{
	(void)fs;
	if (dir != 1)
		return -ENOTDIR;
	*ino = !strcmp(name, ".") || !strcmp(name, "..") ? 1 : !strcmp(name, "f") ? 2 : 3;
	return !strcmp(name, "f") || !strcmp(name, "l") || *ino == 1 ? 0 : -ENOENT;
}

static int bare_getattr(void *fs, uint64_t ino, struct vattr *va)
{
	(void)fs;
	static const uint32_t modes[] = {0, VFS_IFDIR | 0555, VFS_IFREG | 0444, VFS_IFLNK | 0777};
	if (ino < 1 || ino > 3)
		return -ENOENT;
	*va = (struct vattr){.ino = ino, .mode = modes[ino], .nlink = 1};
	return 0;
}

static const struct fs_ops bare_ops = {.lookup = bare_lookup, .getattr = bare_getattr};

Test(vfs, mount_refuses_a_file_system_without_lookup_or_getattr)
{
	static const struct fs_ops no_getattr = {.lookup = bare_lookup};
	static const struct fs_ops no_lookup = {.getattr = bare_getattr};
	struct vfs_fs f = {&no_getattr, NULL, 1, "bare", "bare", 0};
	mkdir_p("/b");
	cr_assert_eq(vfs_mount(&vfs, root, "/b", &f), -EINVAL);
	f.ops = &no_lookup;
	cr_assert_eq(vfs_mount(&vfs, root, "/b", &f), -EINVAL);
	f.ops = NULL;
	cr_assert_eq(vfs_mount(&vfs, root, "/b", &f), -EINVAL);
}

Test(vfs, missing_optional_operations_are_errors_not_calls)
{
	struct vfs_fs f = {&bare_ops, NULL, 1, "bare", "bare", 0};
	char buf[8];
	mkdir_p("/b");
	int k = vfs_mount(&vfs, root, "/b", &f);
	cr_assert_gt(k, 0);
	struct vnode file = get("/b/f");
	cr_assert_eq(file.mnt, k);
	cr_assert_eq(vfs_read(&vfs, file, 0, buf, sizeof(buf)), -EINVAL);
	cr_assert_eq(vfs_write(&vfs, file, 0, "x", 1), -EACCES, "as Linux for /proc files");
	cr_assert_eq(vfs_truncate(&vfs, file, 0), -EACCES);
	cr_assert_eq(res("/b/l"), -EINVAL, "a symlink without readlink");
	cr_assert_eq(res_at(root, "/b/l", VFS_NOFOLLOW, NULL), 0);
	cr_assert_eq(vfs_path(&vfs, get("/b"), buf, sizeof(buf)), 2,
	             "a mount root needs no readdir");
	cr_assert_str_eq(buf, "/b");
	cr_assert_eq(vfs_read(&vfs, (struct vnode){7, 1}, 0, buf, 1), -ENOENT, "no such mount");
}

Test(vfs, file_data_goes_through_to_the_file_system)
{
	struct vnode f = mkfile("/f");
	char buf[8] = {0};
	cr_assert_eq(vfs_write(&vfs, f, 0, "abcdef", 6), 6);
	cr_assert_eq(vfs_truncate(&vfs, f, 3), 0);
	cr_assert_eq(vfs_read(&vfs, f, 0, buf, sizeof(buf)), 3);
	cr_assert_str_eq(buf, "abc");
}

Test(vfs, mount_points_are_busy_and_other_names_are_not)
{
	mkdir_p("/mnt");
	mkdir_p("/plain");
	mkfile("/file");
	cr_assert_eq(vfs_busy(&vfs, root, "mnt"), 0, "not mounted on yet");
	int k = mount_sub("/mnt");
	cr_assert_gt(k, 0);
	cr_assert_eq(vfs_busy(&vfs, root, "mnt"), -EBUSY);
	cr_assert_eq(vfs_busy(&vfs, get("/mnt/.."), "mnt"), -EBUSY);
	cr_assert_eq(vfs_busy(&vfs, root, "plain"), 0);
	cr_assert_eq(vfs_busy(&vfs, root, "file"), 0);
	cr_assert_eq(vfs_busy(&vfs, root, "nope"), 0);
	cr_assert_eq(vfs_busy(&vfs, root, "."), 0);
	struct vnode inside = mkdir_p("/mnt/d");
	cr_assert_eq(inside.mnt, k);
	cr_assert_eq(vfs_busy(&vfs, get("/mnt"), "d"), 0, "names inside the mount are free");
	cr_assert_eq(vfs_umount(&vfs, root, "/mnt", NULL), k);
	cr_assert_eq(vfs_busy(&vfs, root, "mnt"), 0, "free again after umount");
}
