/* Helpers shared by the Unix utilities in user/: option parsing and usage
 * messages in coreutils' style, I/O loops, copying files, paths and the
 * "drwxr-xr-x" mode string. Errors read "PROG: ..." on standard error. */
#ifndef MICA_UTIL_H
#define MICA_UTIL_H

#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

/* An option a utility accepts: -c and/or --name (0 or NULL: none). It
 * stores value in *flag; a NULL flag accepts the option and ignores it. */
struct util_opt {
	char c;
	const char *name;
	int *flag;
	int value;
};

/* A utility, as its option parsing and usage messages need it. */
struct util_prog {
	const char *name;            /* in messages: "cat" */
	const char *help;            /* what --help prints */
	const char *synopsis;        /* a line before "Try ..." after a usage error, or NULL */
	int usage_status;            /* the exit status after a usage error */
	const struct util_opt *opts; /* ending with an entry of zeros; NULL: no options */
};

/* Parses argv: bundled short options, long options, "--" and --help (which
 * prints p->help and exits 0). An unknown option is a usage error. The
 * operands, in order, are moved to argv[1]...; returns their number. */
int util_parse_args(const struct util_prog *p, int argc, char **argv);

/* Prints p->help on standard output and exits 0. */
void util_help(const struct util_prog *p) __attribute__((noreturn));

/* Prints p->synopsis (if any) and "Try 'NAME --help' for more
 * information." on standard error; exits with p->usage_status. */
void util_try_help(const struct util_prog *p) __attribute__((noreturn));

/* Prints "NAME: " and the message (printf's fmt), then util_try_help(p). */
void util_usage_error(const struct util_prog *p, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 2, 3)));

/* read() that retries after EINTR. */
ssize_t util_read(int fd, void *buf, size_t n);

/* Writes all n bytes of p to fd, retrying after EINTR; 0, or -1 (errno). */
int util_write_all(int fd, const void *p, size_t n);

/* util_copy_fd's failures; errno says why. */
#define UTIL_READ_ERROR  1
#define UTIL_WRITE_ERROR 2

/* Copies fd in to fd out until end of file, 4 KiB at a time: 0, or
 * UTIL_READ_ERROR or UTIL_WRITE_ERROR. */
int util_copy_fd(int in, int out);

/* util_copy_file's results after a failure (0: copied). */
#define UTIL_NOT_COPIED 1 /* dst was not opened: it is as it was */
#define UTIL_COPY_BROKE 2 /* dst was created or truncated and is incomplete */

/* Copies the contents of src into dst (created with mode if it is new,
 * truncated if not), reporting failures as cp does: "PROG: error reading
 * 'src': ..."; 0, UTIL_NOT_COPIED or UTIL_COPY_BROKE. */
int util_copy_file(const char *prog, const char *src, const char *dst, mode_t mode);

/* a and b describe the same file (device and inode). */
int util_same_file(const struct stat *a, const struct stat *b);

/* 0 if path names a directory (following symbolic links), else why not:
 * stat's errno, or ENOTDIR. */
int util_check_dir(const char *path);

/* Whether src (status ss) may replace the existing dst (status ds), as cp
 * and mv decide: not the same file, and a directory only replaces a
 * directory. 0, or 1 after reporting "PROG: ..." */
int util_check_replace(const char *prog, const char *src, const struct stat *ss, const char *dst,
                       const struct stat *ds);

/* The last component of path, trailing slashes ignored ("a/b/" gives
 * "b"): returns its offset in path and stores its length in *len. */
size_t util_base_name(const char *path, size_t *len);

/* "dir/name" in malloc'd memory (no '/' added after one that ends dir),
 * or NULL if memory ran out. */
char *util_path_join(const char *dir, const char *name);

/* cp's and mv's operands after the options: SOURCE DEST, or SOURCE...
 * DIRECTORY, each SOURCE going to DIRECTORY/ its last component. Calls
 * act(source, destination) for each and returns the exit status; missing
 * operands are usage errors. */
int util_to_dest(const struct util_prog *p, char **ops, int nops,
                 int (*act)(const char *src, const char *dst));

/* ls -l's mode string, "drwxr-xr-x" with s/S/t/T, into s[11]. */
void util_mode_string(mode_t m, char s[11]);

/* The major and minor numbers of a device, in Linux's dev_t encoding. */
unsigned util_dev_major(dev_t d);
unsigned util_dev_minor(dev_t d);

#endif
