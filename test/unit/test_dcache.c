/* The directory-entry cache, alone and under ext2: hits, negative
 * entries, forgetting, replacement within a set, and ext2 never answering
 * from a stale entry after create, unlink, rename and rmdir. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "../../servers/fs/dcache.h"
#include "ext2t.h"
#include "mica/errno.h"

static int fsa, fsb; /* two file systems' keys */

Test(dcache, hit_negative_and_miss)
{
	uint64_t ino = 0;
	cr_assert_eq(dcache_lookup(&fsa, 2, "alpha", &ino), 0);
	dcache_enter(&fsa, 2, "alpha", 12);
	dcache_enter(&fsa, 2, "ghost", 0);
	cr_assert_eq(dcache_lookup(&fsa, 2, "alpha", &ino), 1);
	cr_assert_eq(ino, 12);
	cr_assert_eq(dcache_lookup(&fsa, 2, "ghost", &ino), -ENOENT);
	cr_assert_eq(dcache_lookup(&fsb, 2, "alpha", &ino), 0, "another file system");
	cr_assert_eq(dcache_lookup(&fsa, 3, "alpha", &ino), 0, "another directory");
	cr_assert_eq(dcache_lookup(&fsa, 2, "alph", &ino), 0, "a prefix");
	dcache_forget_fs(&fsa);
}

Test(dcache, forgetting)
{
	uint64_t ino;
	dcache_enter(&fsa, 2, "a", 5);
	dcache_enter(&fsa, 2, "b", 6);
	dcache_enter(&fsa, 7, "c", 8);
	dcache_enter(&fsb, 2, "a", 9);
	dcache_forget(&fsa, 2, "a");
	cr_assert_eq(dcache_lookup(&fsa, 2, "a", &ino), 0);
	cr_assert_eq(dcache_lookup(&fsa, 2, "b", &ino), 1);
	dcache_forget_dir(&fsa, 2);
	cr_assert_eq(dcache_lookup(&fsa, 2, "b", &ino), 0);
	cr_assert_eq(dcache_lookup(&fsa, 7, "c", &ino), 1);
	dcache_forget_fs(&fsa);
	cr_assert_eq(dcache_lookup(&fsa, 7, "c", &ino), 0);
	cr_assert_eq(dcache_lookup(&fsb, 2, "a", &ino), 1, "the other file system keeps its own");
	dcache_forget_fs(&fsb);
}

Test(dcache, bounded_and_long_names_are_not_cached)
{
	char name[64], longname[DCACHE_NAME + 2];
	uint64_t ino;
	for (int i = 0; i < 4 * DCACHE_SETS * DCACHE_WAYS; i++) {
		snprintf(name, sizeof(name), "f%d", i);
		dcache_enter(&fsa, 2, name, (uint64_t)i + 100);
	}
	struct dcache_stats st;
	dcache_get_stats(&st);
	cr_assert_leq(st.entries, DCACHE_SETS * DCACHE_WAYS);
	int kept = 0;
	for (int i = 0; i < 4 * DCACHE_SETS * DCACHE_WAYS; i++) {
		snprintf(name, sizeof(name), "f%d", i);
		if (dcache_lookup(&fsa, 2, name, &ino) == 1) {
			cr_assert_eq(ino, (uint64_t)i + 100, "%s: a wrong inode", name);
			kept++;
		}
	}
	cr_assert_gt(kept, DCACHE_SETS * DCACHE_WAYS / 2, "the most recent ones stay: %d", kept);
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	dcache_enter(&fsa, 2, longname, 77);
	cr_assert_eq(dcache_lookup(&fsa, 2, longname, &ino), 0);
	dcache_forget_fs(&fsa);
}

TestSuite(dcache_ext2, .init = e2t_setup, .fini = e2t_teardown, .timeout = 60);

static long look(uint64_t dir, const char *name, uint64_t *ino)
{
	return RUN(OPS->lookup(E.fs, dir, name, ino));
}

Test(dcache_ext2, never_answers_from_a_stale_entry)
{
	mkimg(E.img, 1024, 128, true, 4096, NULL);
	cr_assert_eq(e2t_mount(true, 1 << 20), 0);
	uint64_t root = ext2_root(E.fs), a, b, d, got;
	cr_assert_eq(look(root, "a", &got), -ENOENT);
	cr_assert_eq(look(root, "a", &got), -ENOENT, "a negative entry");
	struct dcache_stats st;
	dcache_get_stats(&st);
	cr_assert_geq(st.neg_hits, 1);
	cr_assert_eq(RUN(OPS->create(E.fs, root, "a", 0644, NULL, &a)), 0);
	cr_assert_eq(look(root, "a", &got), 0, "created after a negative lookup");
	cr_assert_eq(got, a);
	cr_assert_eq(RUN(OPS->create(E.fs, root, "b", 0644, NULL, &b)), 0);
	cr_assert_eq(look(root, "b", &got), 0);
	cr_assert_eq(RUN(OPS->rename(E.fs, root, "a", root, "b")), 0);
	cr_assert_eq(look(root, "b", &got), 0);
	cr_assert_eq(got, a, "rename over b: b is a's inode");
	cr_assert_eq(look(root, "a", &got), -ENOENT);
	cr_assert_eq(RUN(OPS->unlink(E.fs, root, "b")), 0);
	cr_assert_eq(look(root, "b", &got), -ENOENT, "unlinked");
	/* a directory removed and another made, likely with the same number */
	cr_assert_eq(RUN(OPS->mkdir(E.fs, root, "d", 0755, NULL, &d)), 0);
	cr_assert_eq(RUN(OPS->create(E.fs, d, "inner", 0644, NULL, &a)), 0);
	cr_assert_eq(look(d, "inner", &got), 0);
	cr_assert_eq(RUN(OPS->unlink(E.fs, d, "inner")), 0);
	cr_assert_eq(RUN(OPS->rmdir(E.fs, root, "d")), 0);
	cr_assert_eq(RUN(OPS->mkdir(E.fs, root, "e", 0755, NULL, &b)), 0);
	cr_assert_eq(look(b, "inner", &got), -ENOENT, "nothing left from the old directory");
	e2t_unmount();
}
