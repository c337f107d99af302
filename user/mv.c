/* mv SOURCE DEST | mv SOURCE... DIRECTORY: renames SOURCE to DEST, or moves
 * the SOURCEs into DIRECTORY; regular files are copied across file systems. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int usage(int status)
{
	if (status)
		fprintf(stderr, "Try 'mv --help' for more information.\n");
	else
		printf("Usage: mv SOURCE DEST\n"
		       "  or:  mv SOURCE... DIRECTORY\n"
		       "Rename SOURCE to DEST, or move SOURCE(s) to DIRECTORY.\n");
	return status;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w, n -= (size_t)w;
	}
	return 0;
}

/* rename across file systems for a regular file: copy, then unlink. */
static int copy_file(const char *src, const char *dst, const struct stat *st)
{
	static char buf[4096];
	int in = open(src, O_RDONLY), out = -1, rc = 1;
	ssize_t n;
	if (in < 0) {
		fprintf(stderr, "mv: cannot open '%s' for reading: %s\n", src, strerror(errno));
		return 1;
	}
	if ((out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, st->st_mode & 07777)) < 0) {
		fprintf(stderr, "mv: cannot create regular file '%s': %s\n", dst, strerror(errno));
		close(in);
		return 1;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write_all(out, buf, (size_t)n) < 0) {
			fprintf(stderr, "mv: error writing '%s': %s\n", dst, strerror(errno));
			goto out;
		}
	if (n < 0) {
		fprintf(stderr, "mv: error reading '%s': %s\n", src, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	close(in);
	if (close(out) < 0 && !rc) {
		fprintf(stderr, "mv: error writing '%s': %s\n", dst, strerror(errno));
		rc = 1;
	}
	if (rc)
		unlink(dst);
	else if (unlink(src) < 0) {
		fprintf(stderr, "mv: cannot remove '%s': %s\n", src, strerror(errno));
		rc = 1;
	}
	return rc;
}

static int move(const char *src, const char *dst)
{
	struct stat ss, ds;
	if (lstat(src, &ss) < 0) {
		fprintf(stderr, "mv: cannot stat '%s': %s\n", src, strerror(errno));
		return 1;
	}
	if (lstat(dst, &ds) == 0) {
		if (ss.st_dev == ds.st_dev && ss.st_ino == ds.st_ino) {
			fprintf(stderr, "mv: '%s' and '%s' are the same file\n", src, dst);
			return 1;
		}
		if (S_ISDIR(ss.st_mode) && !S_ISDIR(ds.st_mode)) {
			fprintf(stderr,
			        "mv: cannot overwrite non-directory '%s' with directory '%s'\n",
			        dst, src);
			return 1;
		}
		if (!S_ISDIR(ss.st_mode) && S_ISDIR(ds.st_mode)) {
			fprintf(stderr, "mv: cannot overwrite directory '%s' with non-directory\n",
			        dst);
			return 1;
		}
	}
	if (rename(src, dst) == 0)
		return 0;
	if (errno == EXDEV && S_ISREG(ss.st_mode))
		return copy_file(src, dst, &ss);
	if (errno == EINVAL && S_ISDIR(ss.st_mode))
		fprintf(stderr, "mv: cannot move '%s' to a subdirectory of itself, '%s'\n", src,
		        dst);
	else
		fprintf(stderr, "mv: cannot move '%s' to '%s': %s\n", src, dst, strerror(errno));
	return 1;
}

int main(int argc, char **argv)
{
	char **ops = argv + 1;
	int nops = 0, rc = 0, dashdash = 0;
	for (int i = 1; i < argc; i++) {
		char *a = argv[i];
		if (dashdash || a[0] != '-' || !a[1]) {
			ops[nops++] = a;
		} else if (!strcmp(a, "--")) {
			dashdash = 1;
		} else if (!strcmp(a, "--help")) {
			return usage(0);
		} else if (a[1] == '-') {
			fprintf(stderr, "mv: unrecognized option '%s'\n", a);
			return usage(1);
		} else {
			fprintf(stderr, "mv: invalid option -- '%c'\n", a[1]);
			return usage(1);
		}
	}
	if (nops == 0) {
		fprintf(stderr, "mv: missing file operand\n");
		return usage(1);
	}
	if (nops == 1) {
		fprintf(stderr, "mv: missing destination file operand after '%s'\n", ops[0]);
		return usage(1);
	}
	struct stat st;
	const char *dir = ops[nops - 1];
	int err = stat(dir, &st) < 0 ? errno : S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
	if (err) {
		if (nops == 2)
			return move(ops[0], ops[1]);
		fprintf(stderr, "mv: target '%s': %s\n", dir, strerror(err));
		return 1;
	}
	for (int i = 0; i < nops - 1; i++) {
		/* DIRECTORY/ the last component of SOURCE */
		const char *s = ops[i];
		size_t n = strlen(s), dl = strlen(dir);
		while (n > 1 && s[n - 1] == '/')
			n--;
		size_t b = n;
		while (b > 0 && s[b - 1] != '/')
			b--;
		char *dst = malloc(dl + (n - b) + 2);
		if (!dst) {
			fprintf(stderr, "mv: memory exhausted\n");
			return 1;
		}
		sprintf(dst, "%s%s%.*s", dir, dl && dir[dl - 1] == '/' ? "" : "/", (int)(n - b),
		        s + b);
		rc |= move(s, dst);
		free(dst);
	}
	return rc;
}
