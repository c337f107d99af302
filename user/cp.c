/* cp SOURCE DEST | cp SOURCE... DIRECTORY: copies regular files (their
 * contents; a new DEST gets SOURCE's permission bits). */
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
		fprintf(stderr, "Try 'cp --help' for more information.\n");
	else
		printf("Usage: cp SOURCE DEST\n"
		       "  or:  cp SOURCE... DIRECTORY\n"
		       "Copy SOURCE to DEST, or multiple SOURCE(s) to DIRECTORY.\n");
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

static int copy(const char *src, const char *dst)
{
	static char buf[4096];
	struct stat ss, ds;
	if (stat(src, &ss) < 0) {
		fprintf(stderr, "cp: cannot stat '%s': %s\n", src, strerror(errno));
		return 1;
	}
	if (S_ISDIR(ss.st_mode)) {
		fprintf(stderr, "cp: -r not specified; omitting directory '%s'\n", src);
		return 1;
	}
	if (stat(dst, &ds) < 0) {
		if (errno != ENOENT) {
			fprintf(stderr, "cp: cannot stat '%s': %s\n", dst, strerror(errno));
			return 1;
		}
		if (lstat(dst, &ds) == 0) {
			fprintf(stderr, "cp: not writing through dangling symlink '%s'\n", dst);
			return 1;
		}
	} else {
		if (ss.st_dev == ds.st_dev && ss.st_ino == ds.st_ino) {
			fprintf(stderr, "cp: '%s' and '%s' are the same file\n", src, dst);
			return 1;
		}
		if (S_ISDIR(ds.st_mode)) {
			fprintf(stderr, "cp: cannot overwrite directory '%s' with non-directory\n",
			        dst);
			return 1;
		}
	}
	int in = open(src, O_RDONLY), out, rc = 1;
	ssize_t n;
	if (in < 0) {
		fprintf(stderr, "cp: cannot open '%s' for reading: %s\n", src, strerror(errno));
		return 1;
	}
	if ((out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, ss.st_mode & 0777)) < 0) {
		fprintf(stderr, "cp: cannot create regular file '%s': %s\n", dst, strerror(errno));
		close(in);
		return 1;
	}
	while ((n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "cp: error reading '%s': %s\n", src, strerror(errno));
			goto out;
		}
		if (write_all(out, buf, (size_t)n) < 0) {
			fprintf(stderr, "cp: error writing '%s': %s\n", dst, strerror(errno));
			goto out;
		}
	}
	rc = 0;
out:
	close(in);
	if (close(out) < 0 && !rc) {
		fprintf(stderr, "cp: failed to close '%s': %s\n", dst, strerror(errno));
		rc = 1;
	}
	return rc;
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
			fprintf(stderr, "cp: unrecognized option '%s'\n", a);
			return usage(1);
		} else {
			fprintf(stderr, "cp: invalid option -- '%c'\n", a[1]);
			return usage(1);
		}
	}
	if (nops == 0) {
		fprintf(stderr, "cp: missing file operand\n");
		return usage(1);
	}
	if (nops == 1) {
		fprintf(stderr, "cp: missing destination file operand after '%s'\n", ops[0]);
		return usage(1);
	}
	struct stat st;
	const char *dir = ops[nops - 1];
	int err = stat(dir, &st) < 0 ? errno : S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
	if (err) {
		if (nops == 2)
			return copy(ops[0], ops[1]);
		fprintf(stderr, "cp: target '%s': %s\n", dir, strerror(err));
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
			fprintf(stderr, "cp: memory exhausted\n");
			return 1;
		}
		sprintf(dst, "%s%s%.*s", dir, dl && dir[dl - 1] == '/' ? "" : "/", (int)(n - b),
		        s + b);
		rc |= copy(s, dst);
		free(dst);
	}
	return rc;
}
