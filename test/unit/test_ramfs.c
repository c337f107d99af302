/* ramfs through its fs_ops table: files with offsets, holes and
 * truncation, directories, links and nlink counts, rename rules, readdir,
 * open-but-unlinked files, and random operations checked against a model. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "../../servers/fs/pages.h"
#include "../../servers/fs/ramfs.h"

static struct ramfs *fs;
static uint64_t clk;
static const struct fs_ops *ops = &ramfs_ops;

#define ROOT RAMFS_ROOT_INO

static uint64_t test_clock(void *arg)
{
	return *(uint64_t *)arg;
}

static void fs_setup(void)
{
	clk = 1000;
	fs = ramfs_new(test_clock, &clk);
	cr_assert_not_null(fs);
}

static void fs_teardown(void)
{
	ramfs_destroy(fs);
	page_budget = -1;
}

TestSuite(ramfs, .init = fs_setup, .fini = fs_teardown);

static struct vattr attr(uint64_t ino)
{
	struct vattr va;
	cr_assert_eq(ops->getattr(fs, ino, &va), 0, "getattr %llu", (unsigned long long)ino);
	return va;
}

static uint64_t mkfile(uint64_t dir, const char *name)
{
	uint64_t ino;
	cr_assert_eq(ops->create(fs, dir, name, 0644, NULL, &ino), 0, "create %s", name);
	return ino;
}

static uint64_t mkdir_(uint64_t dir, const char *name)
{
	uint64_t ino;
	cr_assert_eq(ops->mkdir(fs, dir, name, 0755, NULL, &ino), 0, "mkdir %s", name);
	return ino;
}

static uint64_t lookup(uint64_t dir, const char *name)
{
	uint64_t ino;
	cr_assert_eq(ops->lookup(fs, dir, name, &ino), 0, "lookup %s", name);
	return ino;
}

static void put(uint64_t ino, uint64_t off, const char *s)
{
	size_t n = strlen(s);
	cr_assert_eq(ops->write(fs, ino, off, s, n), (long)n);
}

/* The whole file as a string (files in these tests are small). */
static const char *contents(uint64_t ino)
{
	static char buf[512];
	long n = ops->read(fs, ino, 0, buf, sizeof(buf) - 1);
	cr_assert_geq(n, 0);
	buf[n] = '\0';
	return buf;
}

Test(ramfs, new_fs_has_an_empty_root_directory_numbered_1)
{
	struct vattr va = attr(ROOT);
	cr_assert_eq(va.ino, 1);
	cr_assert_eq(va.mode, VFS_IFDIR | 0755);
	cr_assert_eq(va.nlink, 2);
	cr_assert_eq(va.uid, 0);
	cr_assert_eq(va.mtime, 1000);
	cr_assert_eq(lookup(ROOT, "."), ROOT);
	cr_assert_eq(lookup(ROOT, ".."), ROOT, "the root is its own parent");
	cr_assert_eq(ramfs_inode_count(fs), 1);
}

Test(ramfs, create_makes_an_empty_regular_file_owned_by_the_caller)
{
	struct vfs_cred cr = {.uid = 1000, .gid = 100};
	uint64_t ino;
	cr_assert_eq(ops->create(fs, ROOT, "f", 0640 | VFS_IFDIR, &cr, &ino), 0);
	cr_assert_eq(lookup(ROOT, "f"), ino);
	struct vattr va = attr(ino);
	cr_assert_eq(va.mode, VFS_IFREG | 0640, "type bits from the caller are ignored");
	cr_assert_eq(va.nlink, 1);
	cr_assert_eq(va.size, 0);
	cr_assert_eq(va.uid, 1000);
	cr_assert_eq(va.gid, 100);
	cr_assert_neq(ino, ROOT);
}

Test(ramfs, create_over_an_existing_name_is_eexist)
{
	uint64_t ino;
	mkfile(ROOT, "f");
	cr_assert_eq(ops->create(fs, ROOT, "f", 0644, NULL, &ino), -EEXIST);
	cr_assert_eq(ops->create(fs, ROOT, ".", 0644, NULL, &ino), -EEXIST);
	cr_assert_eq(ops->mkdir(fs, ROOT, "..", 0755, NULL, &ino), -EEXIST);
	cr_assert_eq(ops->mkdir(fs, ROOT, "f", 0755, NULL, &ino), -EEXIST);
	cr_assert_eq(ramfs_inode_count(fs), 2);
}

Test(ramfs, bad_names_are_refused)
{
	uint64_t ino;
	char longname[VFS_NAME_MAX + 2];
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	cr_assert_eq(ops->create(fs, ROOT, longname, 0644, NULL, &ino), -ENAMETOOLONG);
	longname[VFS_NAME_MAX] = '\0';
	cr_assert_eq(ops->create(fs, ROOT, longname, 0644, NULL, &ino), 0, "255 bytes is fine");
	cr_assert_eq(ops->create(fs, ROOT, "", 0644, NULL, &ino), -ENOENT);
	cr_assert_eq(ops->create(fs, ROOT, "a/b", 0644, NULL, &ino), -EINVAL);
	cr_assert_eq(ops->lookup(fs, ROOT, "nope", &ino), -ENOENT);
}

Test(ramfs, writes_and_reads_at_offsets)
{
	uint64_t f = mkfile(ROOT, "f");
	char buf[16];
	put(f, 0, "hello world");
	put(f, 6, "there");
	cr_assert_str_eq(contents(f), "hello there");
	put(f, 11, "!!");
	cr_assert_eq(attr(f).size, 13);
	cr_assert_eq(ops->read(fs, f, 6, buf, 3), 3);
	cr_assert_arr_eq(buf, "the", 3);
	cr_assert_eq(ops->read(fs, f, 10, buf, sizeof(buf)), 3, "short read at the end");
	cr_assert_arr_eq(buf, "e!!", 3);
	cr_assert_eq(ops->read(fs, f, 13, buf, sizeof(buf)), 0, "end of file");
	cr_assert_eq(ops->read(fs, f, 1000, buf, sizeof(buf)), 0, "past the end");
	cr_assert_eq(ops->write(fs, f, 3, "", 0), 0);
	cr_assert_eq(attr(f).size, 13);
}

Test(ramfs, writing_past_the_end_leaves_a_hole_of_zeros)
{
	uint64_t f = mkfile(ROOT, "f");
	uint8_t buf[5000];
	put(f, 0, "ab");
	put(f, 4096, "z");
	cr_assert_eq(attr(f).size, 4097);
	cr_assert_eq(ops->read(fs, f, 0, buf, sizeof(buf)), 4097);
	cr_assert_eq(buf[0], 'a');
	cr_assert_eq(buf[1], 'b');
	for (int i = 2; i < 4096; i++)
		cr_assert_eq(buf[i], 0, "byte %d of the hole is %#x", i, buf[i]);
	cr_assert_eq(buf[4096], 'z');
}

Test(ramfs, truncate_shrinks_and_grows_with_zeros)
{
	uint64_t f = mkfile(ROOT, "f");
	char buf[16];
	put(f, 0, "abcdefgh");
	clk = 2000;
	cr_assert_eq(ops->truncate(fs, f, 3), 0);
	cr_assert_eq(attr(f).size, 3);
	cr_assert_eq(attr(f).mtime, 2000);
	cr_assert_str_eq(contents(f), "abc");
	cr_assert_eq(ops->truncate(fs, f, 6), 0);
	cr_assert_eq(ops->read(fs, f, 0, buf, sizeof(buf)), 6);
	cr_assert_arr_eq(buf, "abc\0\0\0", 6, "old bytes do not come back");
	cr_assert_eq(ops->truncate(fs, f, 0), 0);
	cr_assert_eq(ops->read(fs, f, 0, buf, sizeof(buf)), 0);
}

Test(ramfs, file_io_on_other_types_is_refused)
{
	uint64_t d = mkdir_(ROOT, "d"), l, c;
	char buf[4];
	cr_assert_eq(ops->symlink(fs, ROOT, "l", "d", NULL, &l), 0);
	cr_assert_eq(ops->mknod(fs, ROOT, "c", VFS_IFCHR | 0620, 0x0401, NULL, &c), 0);
	cr_assert_eq(ops->read(fs, d, 0, buf, 4), -EISDIR);
	cr_assert_eq(ops->write(fs, d, 0, "x", 1), -EISDIR);
	cr_assert_eq(ops->truncate(fs, d, 0), -EISDIR);
	cr_assert_eq(ops->read(fs, l, 0, buf, 4), -EINVAL);
	cr_assert_eq(ops->write(fs, c, 0, "x", 1), -EINVAL);
	cr_assert_eq(ops->read(fs, 999, 0, buf, 4), -ENOENT);
	cr_assert_eq(ops->lookup(fs, l, "x", &c), -ENOTDIR, "lookup in a symlink");
}

Test(ramfs, mkdir_links_parent_and_child)
{
	uint64_t a = mkdir_(ROOT, "a");
	uint64_t b = mkdir_(a, "b");
	cr_assert_eq(attr(ROOT).nlink, 3);
	cr_assert_eq(attr(a).nlink, 3);
	cr_assert_eq(attr(b).nlink, 2);
	cr_assert_eq(attr(a).mode, VFS_IFDIR | 0755);
	cr_assert_eq(lookup(b, ".."), a);
	cr_assert_eq(lookup(a, ".."), ROOT);
	cr_assert_eq(lookup(a, "b"), b);
}

Test(ramfs, rmdir_refuses_non_empty_and_non_directories)
{
	uint64_t a = mkdir_(ROOT, "a");
	mkfile(a, "f");
	cr_assert_eq(ops->rmdir(fs, ROOT, "a"), -ENOTEMPTY);
	cr_assert_eq(ops->rmdir(fs, a, "f"), -ENOTDIR);
	cr_assert_eq(ops->rmdir(fs, a, "."), -EINVAL);
	cr_assert_eq(ops->rmdir(fs, a, ".."), -ENOTEMPTY);
	cr_assert_eq(ops->rmdir(fs, a, "nope"), -ENOENT);
	cr_assert_eq(ops->unlink(fs, a, "f"), 0);
	cr_assert_eq(ops->rmdir(fs, ROOT, "a"), 0);
	cr_assert_eq(attr(ROOT).nlink, 2);
	cr_assert_eq(ramfs_inode_count(fs), 1, "directory and file freed");
	cr_assert_eq(ops->lookup(fs, ROOT, "a", &a), -ENOENT);
}

Test(ramfs, removed_directory_can_no_longer_be_used)
{
	uint64_t a = mkdir_(ROOT, "a"), ino;
	cr_assert_eq(ramfs_ref(fs, a), 0);
	cr_assert_eq(ops->rmdir(fs, ROOT, "a"), 0);
	cr_assert_eq(attr(a).nlink, 0);
	cr_assert_eq(ops->create(fs, a, "f", 0644, NULL, &ino), -ENOENT);
	cr_assert_eq(ops->lookup(fs, a, "..", &ino), -ENOENT);
	cr_assert_eq(ramfs_unref(fs, a), 0);
	cr_assert_eq(ramfs_inode_count(fs), 1);
}

Test(ramfs, unlink_removes_files_but_not_directories)
{
	uint64_t f = mkfile(ROOT, "f");
	mkdir_(ROOT, "d");
	put(f, 0, "data");
	cr_assert_gt(ramfs_bytes_used(fs), 0);
	cr_assert_eq(ops->unlink(fs, ROOT, "d"), -EISDIR);
	cr_assert_eq(ops->unlink(fs, ROOT, "."), -EISDIR);
	cr_assert_eq(ops->unlink(fs, ROOT, "nope"), -ENOENT);
	cr_assert_eq(ops->unlink(fs, ROOT, "f"), 0);
	cr_assert_eq(ops->lookup(fs, ROOT, "f", &f), -ENOENT);
	cr_assert_eq(ramfs_bytes_used(fs), 0, "data freed with the last link");
	cr_assert_eq(ramfs_inode_count(fs), 2);
}

Test(ramfs, hard_links_share_data_and_count_links)
{
	uint64_t d = mkdir_(ROOT, "d");
	uint64_t f = mkfile(ROOT, "f");
	put(f, 0, "shared");
	clk = 1500;
	cr_assert_eq(ops->link(fs, d, "g", f), 0);
	cr_assert_eq(lookup(d, "g"), f);
	cr_assert_eq(attr(f).nlink, 2);
	cr_assert_eq(attr(f).ctime, 1500);
	put(lookup(d, "g"), 0, "SH");
	cr_assert_str_eq(contents(f), "SHared");
	cr_assert_eq(ops->unlink(fs, ROOT, "f"), 0);
	cr_assert_eq(attr(f).nlink, 1);
	cr_assert_str_eq(contents(lookup(d, "g")), "SHared", "data lives while a link does");
	cr_assert_eq(ops->unlink(fs, d, "g"), 0);
	cr_assert_eq(ops->getattr(fs, f, &(struct vattr){0}), -ENOENT);
}

Test(ramfs, link_refuses_directories_and_existing_names)
{
	uint64_t d = mkdir_(ROOT, "d");
	uint64_t f = mkfile(ROOT, "f");
	cr_assert_eq(ops->link(fs, ROOT, "d2", d), -EPERM);
	cr_assert_eq(ops->link(fs, ROOT, "d", f), -EEXIST);
	cr_assert_eq(ops->link(fs, ROOT, "..", f), -EEXIST);
	cr_assert_eq(ops->link(fs, f, "x", f), -ENOTDIR);
	cr_assert_eq(ops->link(fs, ROOT, "x", 12345), -ENOENT);
	cr_assert_eq(attr(f).nlink, 1);
	cr_assert_eq(attr(d).nlink, 2);
}

Test(ramfs, unlinked_open_file_stays_usable_until_the_last_unref)
{
	uint64_t f = mkfile(ROOT, "f");
	put(f, 0, "still here");
	cr_assert_eq(ramfs_ref(fs, f), 0);
	cr_assert_eq(ops->ref(fs, f), 0, "a second open through the ops table");
	cr_assert_eq(ops->unlink(fs, ROOT, "f"), 0);
	cr_assert_eq(ops->lookup(fs, ROOT, "f", &(uint64_t){0}), -ENOENT);
	cr_assert_eq(attr(f).nlink, 0);
	cr_assert_str_eq(contents(f), "still here");
	put(f, 10, "!");
	cr_assert_str_eq(contents(f), "still here!");
	cr_assert_eq(ops->link(fs, ROOT, "back", f), -ENOENT, "no relinking a dead file");
	cr_assert_eq(ops->unref(fs, f), 0);
	cr_assert_eq(attr(f).size, 11, "one open reference left");
	cr_assert_eq(ramfs_unref(fs, f), 0);
	cr_assert_eq(ops->getattr(fs, f, &(struct vattr){0}), -ENOENT);
	cr_assert_eq(ramfs_bytes_used(fs), 0);
	cr_assert_eq(ramfs_unref(fs, f), -ENOENT);
}

Test(ramfs, unref_without_ref_is_einval_and_keeps_the_file)
{
	uint64_t f = mkfile(ROOT, "f");
	cr_assert_eq(ramfs_unref(fs, f), -EINVAL);
	cr_assert_eq(attr(f).nlink, 1);
	cr_assert_eq(ramfs_ref(fs, 777), -ENOENT);
}

Test(ramfs, symlinks_store_their_target)
{
	uint64_t l, f = mkfile(ROOT, "f");
	char buf[32];
	cr_assert_eq(ops->symlink(fs, ROOT, "l", "../some/where", NULL, &l), 0);
	struct vattr va = attr(l);
	cr_assert_eq(va.mode, VFS_IFLNK | 0777);
	cr_assert_eq(va.size, 13);
	memset(buf, '#', sizeof(buf));
	cr_assert_eq(ops->readlink(fs, l, buf, sizeof(buf), NULL), 13);
	cr_assert_arr_eq(buf, "../some/where#", 14, "no NUL added");
	cr_assert_eq(ops->readlink(fs, l, buf, 4, NULL), 4, "truncated to the buffer");
	cr_assert_arr_eq(buf, "../s", 4);
	cr_assert_eq(ops->readlink(fs, f, buf, sizeof(buf), NULL), -EINVAL);
	cr_assert_eq(ops->symlink(fs, ROOT, "e", "", NULL, &l), -ENOENT);
	cr_assert_eq(ops->symlink(fs, ROOT, "l", "x", NULL, &l), -EEXIST);
	cr_assert_eq(ops->unlink(fs, ROOT, "l"), 0);
	cr_assert_eq(ramfs_bytes_used(fs), 0);
}

Test(ramfs, mknod_makes_character_devices_only)
{
	uint64_t c;
	cr_assert_eq(ops->mknod(fs, ROOT, "tty", VFS_IFCHR | 0620, 0x0501, NULL, &c), 0);
	struct vattr va = attr(c);
	cr_assert_eq(va.mode, VFS_IFCHR | 0620);
	cr_assert_eq(va.rdev, 0x0501);
	cr_assert_eq(ops->mknod(fs, ROOT, "x", VFS_IFREG | 0644, 0, NULL, &c), -EINVAL);
	cr_assert_eq(ops->mknod(fs, ROOT, "tty", VFS_IFCHR | 0620, 1, NULL, &c), -EEXIST);
}

struct listing {
	int n;
	char names[16][VFS_NAME_MAX + 1];
	uint64_t inos[16];
	uint8_t types[16];
};

static struct listing list_dir(uint64_t dir)
{
	struct listing l = {0};
	struct vfs_dirent de;
	uint64_t cookie = 0;
	int r;
	while ((r = ops->readdir(fs, dir, &cookie, &de)) == 1) {
		cr_assert_lt(l.n, 16);
		strcpy(l.names[l.n], de.name);
		l.inos[l.n] = de.ino;
		l.types[l.n++] = de.type;
	}
	cr_assert_eq(r, 0);
	return l;
}

Test(ramfs, readdir_lists_dot_dotdot_then_entries_in_creation_order)
{
	uint64_t d = mkdir_(ROOT, "d");
	uint64_t f = mkfile(d, "file"), s, c;
	uint64_t sub = mkdir_(d, "sub");
	cr_assert_eq(ops->symlink(fs, d, "link", "file", NULL, &s), 0);
	cr_assert_eq(ops->mknod(fs, d, "dev", VFS_IFCHR | 0600, 7, NULL, &c), 0);
	struct listing l = list_dir(d);
	const char *names[] = {".", "..", "file", "sub", "link", "dev"};
	uint64_t inos[] = {d, ROOT, f, sub, s, c};
	uint8_t types[] = {VFS_DT_DIR, VFS_DT_DIR, VFS_DT_REG, VFS_DT_DIR, VFS_DT_LNK, VFS_DT_CHR};
	cr_assert_eq(l.n, 6);
	for (int i = 0; i < 6; i++) {
		cr_assert_str_eq(l.names[i], names[i]);
		cr_assert_eq(l.inos[i], inos[i], "%s", names[i]);
		cr_assert_eq(l.types[i], types[i], "%s", names[i]);
	}
	cr_assert_eq(attr(d).size, 6, "a directory's size counts its entries");
	cr_assert_eq(ops->readdir(fs, f, &(uint64_t){0}, &(struct vfs_dirent){0}), -ENOTDIR);
}

Test(ramfs, readdir_cookie_stays_valid_while_entries_change)
{
	struct vfs_dirent de;
	uint64_t cookie = 0;
	mkfile(ROOT, "a");
	mkfile(ROOT, "b");
	mkfile(ROOT, "c");
	for (int i = 0; i < 3; i++) /* ".", "..", "a" */
		cr_assert_eq(ops->readdir(fs, ROOT, &cookie, &de), 1);
	cr_assert_str_eq(de.name, "a");
	cr_assert_eq(ops->unlink(fs, ROOT, "a"), 0);
	cr_assert_eq(ops->unlink(fs, ROOT, "b"), 0);
	mkfile(ROOT, "d");
	cr_assert_eq(ops->readdir(fs, ROOT, &cookie, &de), 1);
	cr_assert_str_eq(de.name, "c", "b is gone, c follows");
	cr_assert_eq(ops->readdir(fs, ROOT, &cookie, &de), 1);
	cr_assert_str_eq(de.name, "d", "new entries come at the end");
	cr_assert_eq(ops->readdir(fs, ROOT, &cookie, &de), 0);
	cr_assert_eq(ops->readdir(fs, ROOT, &cookie, &de), 0, "and the end stays the end");
}

Test(ramfs, rename_moves_a_file_within_and_between_directories)
{
	uint64_t d = mkdir_(ROOT, "d");
	uint64_t f = mkfile(ROOT, "f");
	clk = 3000;
	cr_assert_eq(ops->rename(fs, ROOT, "f", ROOT, "g"), 0);
	cr_assert_eq(lookup(ROOT, "g"), f);
	cr_assert_eq(ops->lookup(fs, ROOT, "f", &(uint64_t){0}), -ENOENT);
	cr_assert_eq(ops->rename(fs, ROOT, "g", d, "h"), 0);
	cr_assert_eq(lookup(d, "h"), f);
	cr_assert_eq(attr(f).nlink, 1);
	cr_assert_eq(attr(d).mtime, 3000);
	cr_assert_eq(ops->rename(fs, ROOT, "g", d, "x"), -ENOENT);
	cr_assert_eq(list_dir(ROOT).n, 3, ". .. d");
}

Test(ramfs, rename_replaces_an_existing_file)
{
	uint64_t a = mkfile(ROOT, "a"), b = mkfile(ROOT, "b");
	put(a, 0, "new");
	put(b, 0, "old contents");
	cr_assert_eq(ops->rename(fs, ROOT, "a", ROOT, "b"), 0);
	cr_assert_eq(lookup(ROOT, "b"), a);
	cr_assert_str_eq(contents(a), "new");
	cr_assert_eq(ops->getattr(fs, b, &(struct vattr){0}), -ENOENT, "old b freed");
	cr_assert_eq(ramfs_inode_count(fs), 2);
	cr_assert_eq(list_dir(ROOT).n, 3, ". .. b");
}

Test(ramfs, rename_between_hard_links_of_one_file_does_nothing)
{
	uint64_t a = mkfile(ROOT, "a");
	cr_assert_eq(ops->link(fs, ROOT, "b", a), 0);
	cr_assert_eq(ops->rename(fs, ROOT, "a", ROOT, "b"), 0);
	cr_assert_eq(lookup(ROOT, "a"), a);
	cr_assert_eq(lookup(ROOT, "b"), a);
	cr_assert_eq(attr(a).nlink, 2);
	cr_assert_eq(ops->rename(fs, ROOT, "a", ROOT, "a"), 0);
	cr_assert_eq(lookup(ROOT, "a"), a);
}

Test(ramfs, rename_of_directories_follows_posix_rules)
{
	uint64_t a = mkdir_(ROOT, "a"), e = mkdir_(ROOT, "empty"), full = mkdir_(ROOT, "full");
	mkfile(full, "x");
	mkfile(ROOT, "file");
	cr_assert_eq(ops->rename(fs, ROOT, "a", ROOT, "full"), -ENOTEMPTY);
	cr_assert_eq(ops->rename(fs, ROOT, "a", ROOT, "file"), -ENOTDIR);
	cr_assert_eq(ops->rename(fs, ROOT, "file", ROOT, "a"), -EISDIR);
	cr_assert_eq(ops->rename(fs, ROOT, "a", ROOT, "."), -EINVAL);
	cr_assert_eq(ops->rename(fs, ROOT, "..", ROOT, "z"), -EINVAL);
	cr_assert_eq(attr(ROOT).nlink, 5);
	cr_assert_eq(ops->rename(fs, ROOT, "a", ROOT, "empty"), 0);
	cr_assert_eq(lookup(ROOT, "empty"), a);
	cr_assert_eq(ops->getattr(fs, e, &(struct vattr){0}), -ENOENT, "replaced dir freed");
	cr_assert_eq(attr(ROOT).nlink, 4, "one subdirectory fewer");
}

Test(ramfs, rename_moves_a_directory_and_its_dotdot)
{
	uint64_t a = mkdir_(ROOT, "a"), b = mkdir_(ROOT, "b");
	uint64_t c = mkdir_(a, "c");
	cr_assert_eq(ops->rename(fs, a, "c", b, "c2"), 0);
	cr_assert_eq(lookup(b, "c2"), c);
	cr_assert_eq(lookup(c, ".."), b);
	cr_assert_eq(attr(a).nlink, 2);
	cr_assert_eq(attr(b).nlink, 3);
	cr_assert_eq(list_dir(c).inos[1], b, "readdir's .. moved too");
}

Test(ramfs, rename_of_a_directory_into_its_own_subtree_is_einval)
{
	uint64_t a = mkdir_(ROOT, "a");
	uint64_t b = mkdir_(a, "b");
	uint64_t c = mkdir_(b, "c");
	cr_assert_eq(ops->rename(fs, ROOT, "a", c, "a"), -EINVAL);
	cr_assert_eq(ops->rename(fs, ROOT, "a", a, "x"), -EINVAL);
	cr_assert_eq(ops->rename(fs, a, "b", b, "x"), -EINVAL);
	cr_assert_eq(lookup(ROOT, "a"), a, "nothing moved");
	cr_assert_eq(lookup(a, "b"), b);
	cr_assert_eq(ops->rename(fs, b, "c", ROOT, "c"), 0, "moving up is fine");
	cr_assert_eq(lookup(c, ".."), ROOT);
}

Test(ramfs, times_come_from_the_clock)
{
	clk = 100;
	uint64_t d = mkdir_(ROOT, "d");
	cr_assert_eq(attr(ROOT).mtime, 100);
	clk = 200;
	uint64_t f = mkfile(d, "f");
	struct vattr va = attr(f);
	cr_assert_eq(va.atime, 200);
	cr_assert_eq(va.mtime, 200);
	cr_assert_eq(va.ctime, 200);
	cr_assert_eq(attr(d).mtime, 200);
	clk = 300;
	put(f, 0, "x");
	cr_assert_eq(attr(f).mtime, 300);
	cr_assert_eq(attr(f).atime, 200);
	clk = 400;
	contents(f);
	cr_assert_eq(attr(f).atime, 400);
	cr_assert_eq(attr(f).mtime, 300);
	cr_assert_eq(attr(d).mtime, 200, "writing a file leaves its directory alone");
}

Test(ramfs, setattr_changes_permissions_owner_and_times)
{
	uint64_t f = mkfile(ROOT, "f");
	struct vattr va = {.mode = VFS_IFDIR | 04711, .uid = 5, .gid = 6, .atime = 7, .mtime = 8};
	clk = 50;
	cr_assert_eq(ops->setattr(fs, f, &va, VFS_SET_MODE | VFS_SET_UID | VFS_SET_MTIME), 0);
	struct vattr got = attr(f);
	cr_assert_eq(got.mode, VFS_IFREG | 04711, "the type never changes");
	cr_assert_eq(got.uid, 5);
	cr_assert_eq(got.gid, 0, "gid not asked for");
	cr_assert_eq(got.mtime, 8);
	cr_assert_eq(got.atime, 1000);
	cr_assert_eq(got.ctime, 50);
}

Test(ramfs, data_limit_gives_enospc)
{
	uint64_t f = mkfile(ROOT, "f"), l;
	static char big[3000];
	ramfs_set_limit(fs, 4096);
	cr_assert_eq(ops->write(fs, f, 0, big, sizeof(big)), (long)sizeof(big));
	cr_assert_eq(ops->write(fs, f, 3000, big, 2000), -ENOSPC);
	cr_assert_eq(attr(f).size, 3000, "a refused write changes nothing");
	cr_assert_eq(ops->truncate(fs, f, 5000), 0, "growing leaves a hole: no space taken");
	cr_assert_eq(ops->write(fs, f, 4096, "x", 1), -ENOSPC, "a page past the limit");
	cr_assert_eq(ops->truncate(fs, f, 3000), 0);
	cr_assert_eq(ops->write(fs, f, 3000, big, 1096), 1096, "exactly up to the limit");
	cr_assert_eq(ops->symlink(fs, ROOT, "l", "target", NULL, &l), -ENOSPC);
	cr_assert_eq(ops->truncate(fs, f, 0), 0);
	cr_assert_eq(ops->symlink(fs, ROOT, "l", "target", NULL, &l), 0);
	cr_assert_leq(ramfs_bytes_used(fs), 4096);
}

#define PG FS_PAGE_SIZE

Test(ramfs, sparse_file_reads_zeros_and_holds_only_written_pages)
{
	uint64_t f = mkfile(ROOT, "f");
	static uint8_t buf[3 * PG];
	put(f, 10 << 20, "end");
	cr_assert_eq(attr(f).size, (10 << 20) + 3);
	cr_assert_eq(ramfs_pages_used(fs), 2, "one data page and its index page");
	cr_assert_eq(ramfs_bytes_used(fs), PG);
	memset(buf, 0x5a, sizeof(buf));
	cr_assert_eq(ops->read(fs, f, 5 << 20, buf, sizeof(buf)), (long)sizeof(buf));
	for (size_t i = 0; i < sizeof(buf); i++)
		cr_assert_eq(buf[i], 0, "hole byte %zu", i);
	cr_assert_eq(ops->read(fs, f, (10 << 20) - 2, buf, 10), 5);
	cr_assert_arr_eq(buf, "\0\0end", 5);
	cr_assert_eq(ops->truncate(fs, f, 1ull << 31), 0, "2 GiB of hole");
	cr_assert_eq(ramfs_pages_used(fs), 2);
}

Test(ramfs, writes_across_blocks_and_index_pages_read_back)
{
	uint64_t f = mkfile(ROOT, "f");
	static uint8_t in[3 * PG + 100], out[sizeof(in)];
	uint64_t off = 511ull * PG + 4000; /* the last block of the first index page */
	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(i * 7 + 1);
	cr_assert_eq(ops->write(fs, f, off, in, sizeof(in)), (long)sizeof(in));
	cr_assert_eq(ops->read(fs, f, off, out, sizeof(out)), (long)sizeof(out));
	cr_assert_arr_eq(out, in, sizeof(in));
	cr_assert_eq(ramfs_pages_used(fs), 5 + 2, "five data pages, two index pages");
}

Test(ramfs, truncate_frees_pages_past_the_end_and_keeps_the_rest)
{
	uint64_t f = mkfile(ROOT, "f");
	static uint8_t big[8 * PG];
	char buf[8];
	memset(big, 'a', sizeof(big));
	cr_assert_eq(ops->write(fs, f, 0, big, sizeof(big)), (long)sizeof(big));
	cr_assert_eq(ramfs_pages_used(fs), 9);
	cr_assert_eq(ops->truncate(fs, f, PG + 10), 0);
	cr_assert_eq(ramfs_pages_used(fs), 3, "two data pages left");
	cr_assert_eq(ramfs_bytes_used(fs), 2 * PG);
	cr_assert_eq(ops->truncate(fs, f, 4 * PG), 0);
	cr_assert_eq(ramfs_pages_used(fs), 3, "growing takes no pages");
	cr_assert_eq(ops->read(fs, f, PG + 8, buf, 4), 4);
	cr_assert_arr_eq(buf, "aa\0\0", 4, "the cut bytes do not come back");
	cr_assert_eq(ops->read(fs, f, 3 * PG, buf, 4), 4);
	cr_assert_arr_eq(buf, "\0\0\0\0", 4);
	cr_assert_eq(ops->truncate(fs, f, 0), 0);
	cr_assert_eq(ramfs_pages_used(fs), 0);
	cr_assert_eq(ramfs_bytes_used(fs), 0);
}

Test(ramfs, page_accounting_returns_to_zero_after_unlink)
{
	uint64_t f = mkfile(ROOT, "f"), g = mkfile(ROOT, "g"), l;
	static uint8_t big[5 * PG];
	cr_assert_eq(ops->write(fs, f, 0, big, sizeof(big)), (long)sizeof(big));
	cr_assert_eq(ops->write(fs, g, 3 << 20, big, 100), 100);
	cr_assert_eq(ops->symlink(fs, ROOT, "l", "f", NULL, &l), 0);
	cr_assert_eq(ops->link(fs, ROOT, "f2", f), 0);
	cr_assert_eq(ramfs_ref(fs, g), 0);
	cr_assert_eq(ramfs_pages_used(fs), 6 + 2);
	cr_assert_eq(ops->unlink(fs, ROOT, "f"), 0);
	cr_assert_eq(ramfs_pages_used(fs), 8, "a link is left");
	cr_assert_eq(ops->unlink(fs, ROOT, "f2"), 0);
	cr_assert_eq(ramfs_pages_used(fs), 2, "the last link took its pages");
	cr_assert_eq(ops->unlink(fs, ROOT, "g"), 0);
	cr_assert_eq(ramfs_pages_used(fs), 2, "open: kept");
	cr_assert_eq(ramfs_unref(fs, g), 0);
	cr_assert_eq(ops->unlink(fs, ROOT, "l"), 0);
	cr_assert_eq(ramfs_pages_used(fs), 0);
	cr_assert_eq(ramfs_bytes_used(fs), 0);
}

Test(ramfs, failed_page_allocation_is_enospc_and_changes_nothing)
{
	uint64_t f = mkfile(ROOT, "f");
	static uint8_t big[3 * PG];
	char buf[4];
	put(f, 0, "keep");
	cr_assert_eq(ramfs_pages_used(fs), 2);
	memset(big, 'z', sizeof(big));
	page_budget = 2; /* the write below needs three */
	cr_assert_eq(ops->write(fs, f, 2, big, sizeof(big)), -ENOSPC);
	cr_assert_eq(attr(f).size, 4);
	cr_assert_eq(ramfs_pages_used(fs), 2, "the pages it did get went back");
	cr_assert_eq(ops->read(fs, f, 0, buf, 4), 4);
	cr_assert_arr_eq(buf, "keep", 4);
	page_budget = 0;
	cr_assert_eq(ops->write(fs, f, 3, "EP", 2), 2, "no new page needed");
	cr_assert_eq(ops->write(fs, f, 1 << 20, "x", 1), -ENOSPC, "a hole stays a hole");
	cr_assert_eq(attr(f).size, 5);
	page_budget = -1;
	cr_assert_eq(ops->write(fs, f, 2, big, sizeof(big)), (long)sizeof(big), "room again");
	cr_assert_eq(ramfs_pages_used(fs), 5);
}

Test(ramfs, huge_offsets_are_refused)
{
	uint64_t f = mkfile(ROOT, "f");
	cr_assert_eq(ops->write(fs, f, RAMFS_FILE_MAX, "x", 1), -ENOSPC);
	cr_assert_eq(ops->write(fs, f, UINT64_MAX, "x", 1), -ENOSPC);
	cr_assert_eq(ops->truncate(fs, f, RAMFS_FILE_MAX + 1), -ENOSPC);
	cr_assert_eq(attr(f).size, 0);
}

Test(ramfs, two_instances_are_independent)
{
	struct ramfs *other = ramfs_new(NULL, NULL);
	uint64_t ino;
	mkfile(ROOT, "only-here");
	cr_assert_eq(ops->lookup(other, ROOT, "only-here", &ino), -ENOENT);
	cr_assert_eq(ops->create(other, ROOT, "x", 0600, NULL, &ino), 0);
	cr_assert_eq(ops->lookup(fs, ROOT, "x", &ino), -ENOENT);
	struct vattr va;
	cr_assert_eq(ops->getattr(other, ino, &va), 0);
	cr_assert_eq(va.mtime, 0, "no clock: time 0");
	ramfs_destroy(other);
}

Test(ramfs, destroy_frees_open_and_linked_nodes)
{
	/* Checked under AddressSanitizer's leak detector: nothing remains. */
	uint64_t d = mkdir_(ROOT, "d");
	uint64_t f = mkfile(d, "f");
	put(f, 0, "data");
	ramfs_ref(fs, f);
	ops->unlink(fs, d, "f");
	mkfile(d, "g");
	cr_assert_eq(ramfs_inode_count(fs), 4);
}

/* Random operations against a model: NDIRS directories (the root and
 * two below it) times NNAMES names, each naming a model file or none. */
#define NDIRS   3
#define NNAMES  5
#define MAXSIZE 600
#define NOPS    4000

struct mfile {
	uint8_t data[MAXSIZE];
	size_t size;
	int nlink;
	uint64_t ino;
};

struct model {
	uint64_t dirs[NDIRS];
	int slot[NDIRS][NNAMES]; /* index into files, or -1 */
	struct mfile files[NDIRS * NNAMES];
	int done[8]; /* successful operations by kind */
	uint64_t rng;
};

static uint32_t rnd(struct model *m, uint32_t n)
{
	m->rng ^= m->rng << 13;
	m->rng ^= m->rng >> 7;
	m->rng ^= m->rng << 17;
	return (uint32_t)(m->rng >> 11) % n;
}

static const char *mname(int n)
{
	static const char *names[NNAMES] = {"a", "b", "c", "d", "e"};
	return names[n];
}

/* Drops one link of model file i; at 0 its slot in files[] is free. */
static void munlink(struct model *m, int i)
{
	m->files[i].nlink--;
}

static void op_create(struct model *m, int d, int n)
{
	uint64_t ino;
	int r = ops->create(fs, m->dirs[d], mname(n), 0644, NULL, &ino);
	if (m->slot[d][n] >= 0) {
		cr_assert_eq(r, -EEXIST);
		return;
	}
	cr_assert_eq(r, 0);
	int i = 0;
	while (m->files[i].nlink > 0) /* at most NDIRS * NNAMES are alive */
		i++;
	struct mfile *f = &m->files[i];
	memset(f, 0, sizeof(*f));
	f->nlink = 1;
	f->ino = ino;
	m->slot[d][n] = i;
	m->done[0]++;
}

static void op_write(struct model *m, int d, int n)
{
	uint8_t buf[MAXSIZE];
	size_t off = rnd(m, MAXSIZE / 2), len = rnd(m, MAXSIZE / 2);
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)rnd(m, 256);
	int i = m->slot[d][n];
	if (i < 0)
		return;
	struct mfile *f = &m->files[i];
	cr_assert_eq(ops->write(fs, f->ino, off, buf, len), (long)len);
	if (len == 0)
		return;
	if (off > f->size)
		memset(f->data + f->size, 0, off - f->size);
	memcpy(f->data + off, buf, len);
	if (off + len > f->size)
		f->size = off + len;
	m->done[1]++;
}

static void op_truncate(struct model *m, int d, int n)
{
	size_t size = rnd(m, MAXSIZE);
	int i = m->slot[d][n];
	if (i < 0)
		return;
	struct mfile *f = &m->files[i];
	cr_assert_eq(ops->truncate(fs, f->ino, size), 0);
	if (size > f->size)
		memset(f->data + f->size, 0, size - f->size);
	f->size = size;
	m->done[3]++;
}

static void op_read(struct model *m, int d, int n)
{
	uint8_t buf[MAXSIZE];
	size_t off = rnd(m, MAXSIZE), len = rnd(m, MAXSIZE);
	int i = m->slot[d][n];
	if (i < 0)
		return;
	struct mfile *f = &m->files[i];
	size_t want = off >= f->size ? 0 : (f->size - off < len ? f->size - off : len);
	cr_assert_eq(ops->read(fs, f->ino, off, buf, len), (long)want);
	cr_assert_arr_eq(buf, f->data + off, want, "read %zu at %zu", len, off);
	m->done[4] += want > 0;
}

static void op_unlink(struct model *m, int d, int n)
{
	int r = ops->unlink(fs, m->dirs[d], mname(n));
	if (m->slot[d][n] < 0) {
		cr_assert_eq(r, -ENOENT);
		return;
	}
	cr_assert_eq(r, 0);
	munlink(m, m->slot[d][n]);
	m->slot[d][n] = -1;
	m->done[5]++;
}

static void op_link(struct model *m, int d, int n, int d2, int n2)
{
	int i = m->slot[d][n];
	if (i < 0)
		return;
	int r = ops->link(fs, m->dirs[d2], mname(n2), m->files[i].ino);
	if (m->slot[d2][n2] >= 0) {
		cr_assert_eq(r, -EEXIST);
		return;
	}
	cr_assert_eq(r, 0);
	m->files[i].nlink++;
	m->slot[d2][n2] = i;
	m->done[6]++;
}

static void op_rename(struct model *m, int d, int n, int d2, int n2)
{
	int r = ops->rename(fs, m->dirs[d], mname(n), m->dirs[d2], mname(n2));
	int i = m->slot[d][n], j = m->slot[d2][n2];
	if (i < 0) {
		cr_assert_eq(r, -ENOENT);
		return;
	}
	cr_assert_eq(r, 0);
	if (i == j)
		return; /* two links of one file: nothing happens */
	if (j >= 0)
		munlink(m, j);
	m->slot[d2][n2] = i;
	m->slot[d][n] = -1;
	m->done[j >= 0 ? 7 : 2]++;
}

/* Every name resolves as the model says, with the right size and link
 * count, and readdir lists exactly the model's names. */
static void check_model(struct model *m)
{
	for (int d = 0; d < NDIRS; d++) {
		int seen = 0, expect = 0;
		for (int n = 0; n < NNAMES; n++) {
			uint64_t ino;
			int i = m->slot[d][n];
			int r = ops->lookup(fs, m->dirs[d], mname(n), &ino);
			cr_assert_eq(r, i < 0 ? -ENOENT : 0, "dir %d name %s", d, mname(n));
			if (i < 0)
				continue;
			expect++;
			cr_assert_eq(ino, m->files[i].ino);
			cr_assert_eq(attr(ino).size, m->files[i].size);
			cr_assert_eq(attr(ino).nlink, (uint32_t)m->files[i].nlink);
		}
		struct listing l = list_dir(m->dirs[d]);
		for (int k = 2; k < l.n; k++)
			seen += strcmp(l.names[k], "sub0") && strcmp(l.names[k], "sub1");
		cr_assert_eq(seen, expect, "readdir of dir %d", d);
	}
}

static void random_op(struct model *m)
{
	int d = (int)rnd(m, NDIRS), n = (int)rnd(m, NNAMES);
	int d2 = (int)rnd(m, NDIRS), n2 = (int)rnd(m, NNAMES);
	switch (rnd(m, 8)) {
	case 0:
		op_create(m, d, n);
		break;
	case 1:
	case 2:
		op_write(m, d, n);
		break;
	case 3:
		op_truncate(m, d, n);
		break;
	case 4:
		op_read(m, d, n);
		break;
	case 5:
		op_unlink(m, d, n);
		break;
	case 6:
		op_link(m, d, n, d2, n2);
		break;
	default:
		op_rename(m, d, n, d2, n2);
		break;
	}
}

Test(ramfs, random_operations_match_a_model)
{
	static struct model m;
	memset(&m, 0, sizeof(m));
	memset(m.slot, -1, sizeof(m.slot));
	m.rng = 0x9E3779B97F4A7C15ULL;
	m.dirs[0] = ROOT;
	m.dirs[1] = mkdir_(ROOT, "sub0");
	m.dirs[2] = mkdir_(m.dirs[1], "sub1");
	for (int k = 0; k < NOPS; k++) {
		random_op(&m);
		if (k % 50 == 0)
			check_model(&m);
	}
	check_model(&m);
	for (int k = 0; k < 8; k++) /* each kind of operation really ran */
		cr_assert_gt(m.done[k], 20, "operation kind %d ran %d times", k, m.done[k]);
	for (int d = 0; d < NDIRS; d++)
		for (int n = 0; n < NNAMES; n++)
			if (m.slot[d][n] >= 0)
				op_unlink(&m, d, n);
	cr_assert_eq(ramfs_inode_count(fs), 3, "only the directories are left");
	cr_assert_eq(ramfs_bytes_used(fs), 0);
}
