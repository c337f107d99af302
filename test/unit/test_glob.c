/* lib/glob.c (built for the host as mica_glob) against the host's glob on
 * a temporary tree: wildcards in several components, hidden names,
 * escapes, GLOB_MARK, GLOB_NOCHECK, GLOB_DOOFFS, GLOB_APPEND, no match. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int mica_glob(const char *pattern, int flags, int (*errfunc)(const char *, int), glob_t *g);
void mica_globfree(glob_t *g);

static char tree[64];

static void touch(const char *name)
{
	int fd = open(name, O_CREAT | O_WRONLY, 0644);
	cr_assert(fd >= 0, "%s", name);
	close(fd);
}

/* A fresh tree, entered, for each test. */
static void setup(void)
{
	strcpy(tree, "/tmp/mica_globXXXXXX");
	cr_assert(mkdtemp(tree));
	cr_assert_eq(chdir(tree), 0);
	mkdir("src", 0755);
	mkdir("src/sub", 0755);
	mkdir("doc", 0755);
	const char *files[] = {"a.c",       "b.c",     "c.h",         ".hidden.c",
	                       "src/x.c",   "src/y.c", "src/sub/z.c", "doc/readme",
	                       "star*name", "q?mark",  "[br]"};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		touch(files[i]);
}

static void teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tree);
	cr_assert_eq(chdir("/"), 0);
	cr_assert_eq(system(cmd), 0);
}

/* Same result code and the same paths in the same order as the host's. */
static void same_as_host(const char *pattern, int flags)
{
	glob_t h = {0}, m = {0};
	h.gl_offs = m.gl_offs = 2;
	int hr = glob(pattern, flags, NULL, &h);
	int mr = mica_glob(pattern, flags, NULL, &m);
	cr_assert_eq(mr, hr, "%s: %d, host %d", pattern, mr, hr);
	if (hr != 0)
		return;
	cr_assert_eq(m.gl_pathc, h.gl_pathc, "%s: %zu paths, host %zu", pattern, m.gl_pathc,
	             h.gl_pathc);
	size_t offs = flags & GLOB_DOOFFS ? 2 : 0;
	for (size_t i = 0; i < offs; i++)
		cr_assert_null(m.gl_pathv[i]);
	for (size_t i = 0; i < h.gl_pathc; i++)
		cr_assert_str_eq(m.gl_pathv[offs + i], h.gl_pathv[offs + i], "%s: path %zu",
		                 pattern, i);
	cr_assert_null(m.gl_pathv[offs + m.gl_pathc]);
	globfree(&h);
	mica_globfree(&m);
}

TestSuite(glob, .init = setup, .fini = teardown);

Test(glob, one_wildcard_component_sorted)
{
	same_as_host("*.c", 0);
	same_as_host("*", 0);
	same_as_host("?.?", 0);
	same_as_host("[ab].c", 0);
	same_as_host("[!a]*.c", 0);
}

Test(glob, wildcards_in_several_components)
{
	same_as_host("*/*.c", 0);
	same_as_host("src/*/*.c", 0);
	same_as_host("*/sub/?.c", 0);
	same_as_host("*/*", 0);
	same_as_host("./s*/x.c", 0);
}

Test(glob, hidden_names_need_a_literal_dot)
{
	same_as_host(".*.c", 0);
	same_as_host("*hidden*", 0);
}

Test(glob, absolute_patterns_keep_their_prefix)
{
	char pat[128];
	snprintf(pat, sizeof(pat), "%s/src/*.c", tree);
	same_as_host(pat, 0);
	snprintf(pat, sizeof(pat), "%s//doc/*", tree);
	same_as_host(pat, 0);
}

Test(glob, escapes_and_literal_components)
{
	same_as_host("star\\*name", 0);
	same_as_host("q\\?mark", 0);
	same_as_host("\\[br]", 0);
	same_as_host("src/x.c", 0);
	same_as_host("src/none.c", 0);
}

Test(glob, no_match_is_glob_nomatch_or_the_pattern)
{
	same_as_host("*.zzz", 0);
	same_as_host("*.zzz", GLOB_NOCHECK);
	same_as_host("nodir/*.c", GLOB_NOCHECK);
}

Test(glob, mark_trailing_slash_dooffs_nosort)
{
	same_as_host("*", GLOB_MARK);
	same_as_host("*/", 0);
	same_as_host("s*/", GLOB_MARK);
	same_as_host("*.c", GLOB_DOOFFS);
}

Test(glob, append_adds_after_the_first_call)
{
	glob_t h = {0}, m = {0};
	cr_assert_eq(glob("*.c", 0, NULL, &h), 0);
	cr_assert_eq(glob("src/*.c", GLOB_APPEND, NULL, &h), 0);
	cr_assert_eq(mica_glob("*.c", 0, NULL, &m), 0);
	cr_assert_eq(mica_glob("src/*.c", GLOB_APPEND, NULL, &m), 0);
	cr_assert_eq(m.gl_pathc, h.gl_pathc);
	for (size_t i = 0; i < h.gl_pathc; i++)
		cr_assert_str_eq(m.gl_pathv[i], h.gl_pathv[i]);
	globfree(&h);
	mica_globfree(&m);
}

static int seen_errors;
static int count_error(const char *path, int err)
{
	(void)path;
	(void)err;
	seen_errors++;
	return 0;
}

Test(glob, unreadable_directory_goes_to_errfunc_or_aborts)
{
	if (geteuid() == 0)
		cr_skip_test("root reads every directory");
	mkdir("locked", 0);
	glob_t m = {0};
	seen_errors = 0;
	int r = mica_glob("locked/*", 0, count_error, &m);
	cr_assert_eq(r, GLOB_NOMATCH);
	cr_assert_eq(seen_errors, 1);
	cr_assert_eq(mica_glob("locked/*", GLOB_ERR, NULL, &m), GLOB_ABORTED);
	chmod("locked", 0755);
}
