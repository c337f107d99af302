/* rm [-r] [-f] FILE...: removes files; -r: directories and their contents
 * too; -f: no error for missing files. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mica/util.h"

static int recursive, force;

static const struct util_opt opts[] = {
    {'f', "force", &force, 1},
    {'r', "recursive", &recursive, 1},
    {'R', NULL, &recursive, 1},
    {0},
};
static const struct util_prog prog = {
    .name = "rm",
    .help = "Usage: rm [OPTION]... [FILE]...\n"
            "Remove (unlink) the FILE(s).\n\n"
            "  -f, --force      ignore nonexistent files, never prompt\n"
            "  -r, -R, --recursive  remove directories and their contents recursively\n",
    .usage_status = 1,
    .opts = opts,
};

static int fail(const char *path, int err)
{
	fprintf(stderr, "rm: cannot remove '%s': %s\n", path, strerror(err));
	return 1;
}

static int remove_path(const char *path);

/* Removes a directory's entries (read in full first), then the directory
 * unless an entry could not be removed. */
static int remove_tree(const char *path)
{
	DIR *d = opendir(path);
	if (!d)
		return fail(path, errno);
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	int rc = 0;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (n == cap) {
			char **nn = realloc(names, (cap = cap ? 2 * cap : 16) * sizeof(*names));
			if (!nn) {
				rc = fail(path, ENOMEM);
				break;
			}
			names = nn;
		}
		if (!(names[n] = util_path_join(path, de->d_name))) {
			rc = fail(path, ENOMEM);
			break;
		}
		n++;
	}
	closedir(d);
	for (size_t i = 0; i < n; i++) {
		rc |= remove_path(names[i]);
		free(names[i]);
	}
	free(names);
	if (!rc && rmdir(path) < 0)
		rc = fail(path, errno);
	return rc;
}

static int remove_path(const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return force && errno == ENOENT ? 0 : fail(path, errno);
	if (S_ISDIR(st.st_mode)) {
		if (!recursive)
			return fail(path, EISDIR);
		return remove_tree(path);
	}
	if (unlink(path) < 0)
		return force && errno == ENOENT ? 0 : fail(path, errno);
	return 0;
}

/* The last component of path, ignoring trailing slashes, is "." or "..". */
static int dot_or_dotdot(const char *path)
{
	size_t len, b = util_base_name(path, &len);
	return (len == 1 && path[b] == '.') || (len == 2 && path[b] == '.' && path[b + 1] == '.');
}

static int is_root(const char *path)
{
	while (*path == '/')
		path++;
	return !*path;
}

int main(int argc, char **argv)
{
	char **files = argv + 1;
	int nfiles = util_parse_args(&prog, argc, argv), rc = 0;
	if (!nfiles) {
		if (force)
			return 0;
		util_usage_error(&prog, "missing operand");
	}
	for (int i = 0; i < nfiles; i++) {
		if (recursive && dot_or_dotdot(files[i])) {
			fprintf(stderr,
			        "rm: refusing to remove '.' or '..' directory: skipping '%s'\n",
			        files[i]);
			rc = 1;
		} else if (recursive && files[i][0] == '/' && is_root(files[i])) {
			fprintf(stderr,
			        "rm: it is dangerous to operate recursively on '%s'%s\n"
			        "rm: use --no-preserve-root to override this failsafe\n",
			        files[i], strcmp(files[i], "/") ? " (same as '/')" : "");
			rc = 1;
		} else {
			rc |= remove_path(files[i]);
		}
	}
	return rc;
}
