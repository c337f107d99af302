/* trace's decoder for fs's requests (mica/proto/fs.h): open, read,
 * write, stat and the rest, as strace shows the POSIX calls they carry.
 * Long because it is a decoder: a case of a few lines per request. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "mica/proto/fs.h"
#include "tracedec.h"

static const struct flag open_flags[] = {
    {FS_O_CREAT, "O_CREAT"},       {FS_O_EXCL, "O_EXCL"},         {FS_O_TRUNC, "O_TRUNC"},
    {FS_O_APPEND, "O_APPEND"},     {FS_O_NONBLOCK, "O_NONBLOCK"}, {FS_O_DIRECTORY, "O_DIRECTORY"},
    {FS_O_NOFOLLOW, "O_NOFOLLOW"}, {FS_O_CLOEXEC, "O_CLOEXEC"},   {0, NULL},
};

static void open_call(struct out *o, const struct tf_call *c)
{
	static const char *const acc[] = {"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"};
	unsigned long f = M(c, 0);
	td_start(o, M(c, 3) ? "openat" : "open");
	td_path_arg(o, c, 3);
	td_sep(o);
	td_put(o, "%s", acc[f & FS_O_ACCMODE]);
	if (f & ~(unsigned long)FS_O_ACCMODE) {
		td_put(o, "|");
		td_flags(o, f & ~(unsigned long)FS_O_ACCMODE, open_flags, "0");
	}
	if (f & FS_O_CREAT) {
		td_sep(o);
		td_put(o, "%#lo", M(c, 1));
	}
	td_ret(o, td_result(c), false);
}

/* Data shown from a buffer: what was kept, cut at TF_STRMAX. */
void td_data(struct out *o, const unsigned char *d, size_t kept, long total)
{
	td_quote(o, d, kept, TF_STRMAX, total > (long)kept);
}

/* read and write: the data travels as the payload or through a window
 * (m1 the count); fs may say "the console" (FS_REDIRECT) and the
 * library asks the console server, whose answer finishes the call. */
void td_rw(struct out *o, const struct tf_call *c, bool is_read, long fd)
{
	bool con = td_server(c) == SRV_CON;
	long count = con                 ? (is_read ? (long)M(c, 0) : (long)TAG_LEN(TAG(c)))
	             : WIN(c) || is_read ? (long)M(c, 1)
	                                 : (long)TAG_LEN(TAG(c));
	long r = con ? td_result(c) : td_result_m0(c);
	td_start(o, is_read ? "read" : "write");
	td_fd(o, fd);
	if (is_read) {
		td_xsep(o);
		if (r >= 0)
			td_data(o, c->rdata, c->rlen, r);
		else
			td_put(o, "%#lx", WIN(c) ? WIN_VA(WIN(c)) : c->in.ipc_buf);
	} else {
		td_sep(o);
		td_data(o, c->data, c->len, count);
	}
	td_sep(o);
	td_put(o, "%ld", count);
	td_ret(o, r, false);
}

static void mode_bits(struct out *o, unsigned long mode)
{
	static const struct {
		unsigned long type;
		const char *name;
	} types[] = {{0140000, "S_IFSOCK"}, {0120000, "S_IFLNK"}, {0100000, "S_IFREG"},
	             {0060000, "S_IFBLK"},  {0040000, "S_IFDIR"}, {0020000, "S_IFCHR"},
	             {0010000, "S_IFIFO"}};
	static const struct flag special[] = {
	    {04000, "S_ISUID"}, {02000, "S_ISGID"}, {01000, "S_ISVTX"}, {0, NULL}};
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if ((mode & 0170000) == types[i].type)
			td_put(o, "%s|", types[i].name);
	if (mode & 07000) {
		td_flags(o, mode & 07000, special, "0");
		td_put(o, "|");
	}
	td_put(o, "%#lo", mode & 0777);
}

static void stat_arg(struct out *o, const struct tf_call *c)
{
	td_xsep(o);
	struct fs_stat st;
	if (td_result(c) < 0 || c->rlen < sizeof(st)) {
		td_put(o, "%#lx", c->in.ipc_buf);
		return;
	}
	memcpy(&st, c->rdata, sizeof(st));
	td_put(o, "{st_mode=");
	mode_bits(o, st.mode);
	if ((st.mode & 0170000) == 0020000 || (st.mode & 0170000) == 0060000)
		td_put(o, ", st_rdev=makedev(%#lx, %#lx)", (unsigned long)(st.rdev >> 8),
		       (unsigned long)(st.rdev & 0xFF));
	else
		td_put(o, ", st_size=%lu", (unsigned long)st.size);
	td_put(o, ", ...}");
}

/* "a\0b\0": the two paths of link, symlink and rename. */
static void two_paths(struct out *o, const struct tf_call *c)
{
	td_sep(o);
	size_t next = td_path(o, c->data, c->len, 0);
	td_sep(o);
	td_path(o, c->data, c->len, next);
}

static const struct flag access_modes[] = {{4, "R_OK"}, {2, "W_OK"}, {1, "X_OK"}, {0, NULL}};

/* The requests that name a file by path (an empty one and a base: the
 * descriptor's file, fchmod and friends). */
static bool meta_call(struct out *o, const struct tf_call *c, unsigned op)
{
	static const char *const names[][3] = {
	    /* path, fd (empty path), at */
	    [FS_CHMOD] = {"chmod", "fchmod", "fchmodat"},
	    [FS_CHOWN] = {"chown", "fchown", "fchownat"},
	    [FS_UTIMENS] = {"utimensat", "futimens", "utimensat"},
	    [FS_TRUNCATE] = {"truncate", "ftruncate", "truncate"},
	    [FS_ACCESS] = {"access", "access", "faccessat"},
	    [FS_MKNOD] = {"mknod", "mknod", "mknodat"},
	    [FS_STATFS] = {"statfs", "fstatfs", "statfs"},
	    [FS_CHDIR] = {"chdir", "fchdir", "chdir"},
	};
	if (op >= sizeof(names) / sizeof(names[0]) || !names[op][0])
		return false;
	bool empty = !c->len || !c->data[0], at = M(c, 3) != 0;
	td_start(o, names[op][empty && at ? 1 : at ? 2 : 0]);
	if (empty && at)
		td_fd(o, (long)M(c, 3) - 1);
	else
		td_path_arg(o, c, 3);
	switch (op) {
	case FS_CHMOD:
	case FS_MKNOD:
		td_sep(o);
		op == FS_MKNOD ? mode_bits(o, M(c, 0)) : (void)td_put(o, "%#lo", M(c, 0));
		break;
	case FS_CHOWN:
		td_sep(o);
		td_put(o, "%ld, %ld", (long)(int32_t)M(c, 0), (long)(int32_t)M(c, 1));
		break;
	case FS_TRUNCATE:
		td_fd(o, (long)M(c, 0));
		break;
	case FS_ACCESS:
		td_sep(o);
		td_flags(o, M(c, 0), access_modes, "F_OK");
		break;
	case FS_UTIMENS:
		td_sep(o);
		td_put(o, "[%ld, %ld]", (long)M(c, 0), (long)M(c, 1));
		break;
	case FS_STATFS:
		td_xsep(o);
		if (td_result(c) < 0)
			td_put(o, "%#lx", c->in.ipc_buf);
		else
			td_put(o, "{...}");
		break;
	}
	td_ret(o, td_result(c), false);
	return true;
}

static void fcntl_call(struct out *o, const struct tf_call *c, unsigned op)
{
	long fd = (long)M(c, 0), arg = (long)M(c, 1);
	td_start(o, "fcntl");
	td_fd(o, fd);
	td_sep(o);
	if (op == FS_DUP)
		td_put(o, "%s, %ld", M(c, 2) ? "F_DUPFD_CLOEXEC" : "F_DUPFD", arg);
	else if (op == FS_SETFD)
		td_put(o, arg == -1 ? "F_GETFD" : arg ? "F_SETFD, FD_CLOEXEC" : "F_SETFD, 0");
	else if (arg == -1)
		td_put(o, "F_GETFL");
	else
		td_put(o, "F_SETFL, %s",
		       (arg & FS_O_APPEND) && (arg & FS_O_NONBLOCK) ? "O_APPEND|O_NONBLOCK"
		       : arg & FS_O_APPEND                          ? "O_APPEND"
		       : arg & FS_O_NONBLOCK                        ? "O_NONBLOCK"
		                                                    : "0");
	td_ret(o, td_result(c), false);
}

void td_fs(struct out *o, const struct tf_call *c)
{
	unsigned op = td_op(c);
	long r = td_result(c);
	switch (op) {
	case FS_OPEN:
		return open_call(o, c);
	case FS_CLOSE:
	case FS_DUP:
		if (op == FS_DUP && (M(c, 1) || M(c, 2)))
			return fcntl_call(o, c, op);
		td_start(o, op == FS_CLOSE ? "close" : "dup");
		td_fd(o, (long)M(c, 0));
		return td_ret(o, r, false);
	case FS_READ:
	case FS_WRITE:
		return td_rw(o, c, op == FS_READ, (long)M(c, 0));
	case FS_LSEEK: {
		static const char *const whence[] = {"SEEK_SET", "SEEK_CUR", "SEEK_END"};
		td_start(o, "lseek");
		td_fd(o, (long)M(c, 0));
		td_sep(o);
		td_put(o, "%ld, ", (long)M(c, 1));
		if (M(c, 2) < 3)
			td_put(o, "%s", whence[M(c, 2)]);
		else
			td_put(o, "%#lx", M(c, 2));
		return td_ret(o, td_result_m0(c), false);
	}
	case FS_STAT:
		td_start(o, M(c, 3) ? "newfstatat" : M(c, 0) ? "lstat" : "stat");
		td_path_arg(o, c, 3);
		stat_arg(o, c);
		if (M(c, 3)) {
			td_sep(o);
			td_put(o, M(c, 0) ? "AT_SYMLINK_NOFOLLOW" : "0");
		}
		return td_ret(o, r, false);
	case FS_FSTAT:
		td_start(o, "fstat");
		td_fd(o, (long)M(c, 0));
		stat_arg(o, c);
		return td_ret(o, r, false);
	case FS_MKDIR:
		td_start(o, M(c, 3) ? "mkdirat" : "mkdir");
		td_path_arg(o, c, 3);
		td_sep(o);
		td_put(o, "%#lo", M(c, 0));
		return td_ret(o, r, false);
	case FS_RMDIR:
	case FS_UNLINK:
		td_start(o, op == FS_RMDIR ? "rmdir" : M(c, 3) ? "unlinkat" : "unlink");
		td_path_arg(o, c, 3);
		return td_ret(o, r, false);
	case FS_LINK:
	case FS_SYMLINK:
	case FS_RENAME:
		td_start(o, op == FS_LINK ? "link" : op == FS_SYMLINK ? "symlink" : "rename");
		two_paths(o, c);
		return td_ret(o, r, false);
	case FS_READLINK:
		td_start(o, M(c, 3) ? "readlinkat" : "readlink");
		td_path_arg(o, c, 3);
		td_xsep(o);
		if (r >= 0)
			td_quote(o, c->rdata, c->rlen, TF_STRMAX, r > (long)c->rlen);
		else
			td_put(o, "%#lx", c->in.ipc_buf);
		return td_ret(o, r, false);
	case FS_GETDENTS:
		td_start(o, "getdents64");
		td_fd(o, (long)M(c, 0));
		td_xsep(o);
		td_put(o, "/* %ld entries */", r > 0 ? r : 0);
		return td_ret(o, r, false);
	case FS_GETCWD:
		td_start(o, "getcwd");
		td_xsep(o);
		if (r >= 0)
			td_path(o, c->rdata, c->rlen, 0);
		else
			td_put(o, "%#lx", c->in.ipc_buf);
		return td_ret(o, r, false);
	case FS_DUP2:
		td_start(o, "dup2");
		td_fd(o, (long)M(c, 0));
		td_fd(o, (long)M(c, 1));
		return td_ret(o, r, false);
	case FS_SETFD:
	case FS_SETFL:
		return fcntl_call(o, c, op);
	case FS_PIPE:
		td_start(o, "pipe");
		td_xsep(o);
		if (r >= 0)
			td_put(o, "[%ld, %ld]", (long)RM(c, 0), (long)RM(c, 1));
		else
			td_put(o, "%#lx", c->in.ipc_buf);
		return td_ret(o, r, false);
	case FS_POLL: {
		struct fs_pollfd p;
		size_t n = c->len / sizeof(p);
		td_start(o, "poll");
		td_sep(o);
		td_put(o, "[");
		for (size_t i = 0; i < n; i++) {
			memcpy(&p, c->data + i * sizeof(p), sizeof(p));
			td_put(o, "%s{fd=%d, events=%#x}", i ? ", " : "", (int)p.fd,
			       (unsigned)p.events);
		}
		td_put(o, "], %zu", n);
		return td_ret(o, r, false);
	}
	case FS_MOUNT: {
		td_start(o, "mount");
		td_sep(o);
		size_t at = td_path(o, c->data, c->len, 0);
		td_sep(o);
		at = td_path(o, c->data, c->len, at);
		td_sep(o);
		td_path(o, c->data, c->len, at);
		td_sep(o);
		td_put(o, M(c, 0) & FS_MNT_RDONLY ? "MS_RDONLY, NULL" : "0, NULL");
		return td_ret(o, r, false);
	}
	case FS_UMOUNT:
		td_start(o, "umount2");
		td_sep(o);
		td_path(o, c->data, c->len, 0);
		td_put(o, ", 0");
		return td_ret(o, r, false);
	case FS_SYNC:
		td_start(o, "sync");
		return td_ret(o, r, false);
	default:
		if (!meta_call(o, c, op))
			td_generic(o, c, "fs");
	}
}
