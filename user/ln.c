/* ln [-s] [-f] TARGET [LINK_NAME | DIRECTORY]: makes a hard link (-s: a
 * symbolic link) to TARGET; -f removes an existing LINK_NAME first. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mica/util.h"

static int symbolic, force;

static const struct util_opt opts[] = {
    {'s', "symbolic", &symbolic, 1},
    {'f', "force", &force, 1},
    {0},
};
static const struct util_prog prog = {
    .name = "ln",
    .help = "Usage: ln [OPTION]... TARGET LINK_NAME\n"
            "  or:  ln [OPTION]... TARGET\n"
            "  or:  ln [OPTION]... TARGET... DIRECTORY\n"
            "Create a link to TARGET with the name LINK_NAME, or links to each TARGET\n"
            "in DIRECTORY (by default the current directory). Hard links by default.\n\n"
            "  -f, --force     remove existing destination files\n"
            "  -s, --symbolic  make symbolic links instead of hard links\n",
    .usage_status = 1,
    .opts = opts,
};

/* The last component of path, without trailing slashes, into out. */
static void base_name(const char *path, char *out, size_t size)
{
	size_t len, b = util_base_name(path, &len);
	snprintf(out, size, "%.*s", (int)len, path + b);
}

/* The directory part of path ("." if none) into out. */
static void dir_name(const char *path, char *out, size_t size)
{
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	while (n > 0 && path[n - 1] != '/')
		n--;
	while (n > 1 && path[n - 1] == '/')
		n--;
	if (n == 0)
		snprintf(out, size, ".");
	else
		snprintf(out, size, "%.*s", (int)n, path);
}

/* a and b name the same directory entry. */
static int same_name(const char *a, const char *b)
{
	char ba[256], bb[256], da[4096], db[4096];
	struct stat sa, sb;
	base_name(a, ba, sizeof(ba)), base_name(b, bb, sizeof(bb));
	dir_name(a, da, sizeof(da)), dir_name(b, db, sizeof(db));
	return !strcmp(ba, bb) && stat(da, &sa) == 0 && stat(db, &sb) == 0 &&
	       util_same_file(&sa, &sb);
}

static int do_link(const char *target, const char *dst)
{
	struct stat st;
	if (!symbolic) {
		if (lstat(target, &st) < 0) {
			fprintf(stderr, "ln: failed to access '%s': %s\n", target, strerror(errno));
			return 1;
		}
		if (S_ISDIR(st.st_mode)) {
			fprintf(stderr, "ln: %s: hard link not allowed for directory\n", target);
			return 1;
		}
	}
	if (force && lstat(dst, &st) == 0) {
		if (same_name(target, dst)) {
			fprintf(stderr, "ln: '%s' and '%s' are the same file\n", target, dst);
			return 1;
		}
		if (!S_ISDIR(st.st_mode) && unlink(dst) < 0) {
			fprintf(stderr, "ln: cannot remove '%s': %s\n", dst, strerror(errno));
			return 1;
		}
	}
	if ((symbolic ? symlink(target, dst) : link(target, dst)) == 0)
		return 0;
	int err = errno;
	if (symbolic)
		fprintf(stderr, "ln: failed to create symbolic link '%s': %s\n", dst,
		        strerror(err));
	else if (err == EEXIST || err == ENOSPC || err == EROFS)
		fprintf(stderr, "ln: failed to create hard link '%s': %s\n", dst, strerror(err));
	else
		fprintf(stderr, "ln: failed to create hard link '%s' => '%s': %s\n", dst, target,
		        strerror(err));
	return 1;
}

int main(int argc, char **argv)
{
	char **ops = argv + 1;
	int nops = util_parse_args(&prog, argc, argv), rc = 0;
	if (!nops)
		util_usage_error(&prog, "missing file operand");
	const char *dir = NULL;
	int ntargets = nops - 1, err = util_check_dir(ops[nops - 1]);
	if (nops == 1) {
		dir = ".", ntargets = 1;
	} else if (!err) {
		dir = ops[nops - 1];
	} else if (nops > 2) {
		fprintf(stderr, "ln: target '%s': %s\n", ops[nops - 1], strerror(err));
		return 1;
	}
	if (!dir)
		return do_link(ops[0], ops[1]);
	for (int i = 0; i < ntargets; i++) {
		char base[256], *dst;
		base_name(ops[i], base, sizeof(base));
		if (!(dst = util_path_join(dir, base))) {
			fprintf(stderr, "ln: memory exhausted\n");
			return 1;
		}
		rc |= do_link(ops[i], dst);
		free(dst);
	}
	return rc;
}
