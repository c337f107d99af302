/* File calls picolibc leaves to the system and lib/posix.c did not have:
 * pread and pwrite (seek, transfer, seek back: one thread per process),
 * dprintf, sync, mkdtemp, lockf and getdtablesize. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Runs read or write at off, leaving the file offset where it was. */
static ssize_t at_offset(int fd, void *buf, size_t n, off_t off, int writing)
{
	if (off < 0) {
		errno = EINVAL;
		return -1;
	}
	off_t was = lseek(fd, 0, SEEK_CUR);
	if (was < 0 || lseek(fd, off, SEEK_SET) < 0)
		return -1; /* ESPIPE on a pipe, as POSIX says */
	ssize_t r = writing ? write(fd, buf, n) : read(fd, buf, n);
	int e = errno;
	lseek(fd, was, SEEK_SET);
	errno = e;
	return r;
}

ssize_t pread(int fd, void *buf, size_t n, off_t off)
{
	return at_offset(fd, buf, n, off, 0);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	return at_offset(fd, (void *)buf, n, off, 1);
}

int vdprintf(int fd, const char *restrict fmt, va_list ap)
{
	char small[256], *p = small;
	va_list again;
	va_copy(again, ap);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	if (n >= (int)sizeof(small)) {
		p = malloc((size_t)n + 1);
		n = p ? vsnprintf(p, (size_t)n + 1, fmt, again) : -1;
	}
	va_end(again);
	for (int done = 0; n > 0 && done < n;) {
		ssize_t w = write(fd, p + done, (size_t)(n - done));
		if (w <= 0) {
			n = -1;
			break;
		}
		done += (int)w;
	}
	if (p != small)
		free(p);
	return n;
}

int dprintf(int fd, const char *restrict fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vdprintf(fd, fmt, ap);
	va_end(ap);
	return n;
}

int getdtablesize(void)
{
	return (int)sysconf(_SC_OPEN_MAX);
}

/* The trailing XXXXXX become letters and digits until mkdir succeeds. */
char *mkdtemp(char *tmpl)
{
	static const char set[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	size_t len = strlen(tmpl);
	if (len < 6 || strcmp(tmpl + len - 6, "XXXXXX") != 0) {
		errno = EINVAL;
		return NULL;
	}
	unsigned long seed = (unsigned long)time(NULL) ^ ((unsigned long)getpid() << 16) ^
	                     (unsigned long)(size_t)tmpl;
	for (int tries = 0; tries < 1000; tries++) {
		for (size_t i = len - 6; i < len; i++) {
			seed = seed * 6364136223846793005UL + 1442695040888963407UL;
			tmpl[i] = set[(seed >> 33) % (sizeof(set) - 1)];
		}
		if (mkdir(tmpl, 0700) == 0)
			return tmpl;
		if (errno != EEXIST)
			return NULL;
	}
	errno = EEXIST;
	return NULL;
}

/* No record locks: F_TEST reports the file unlocked only if nothing else
 * could hold a lock, which Mica cannot say, so every command is ENOSYS. */
int lockf(int fd, int cmd, off_t len)
{
	(void)fd;
	(void)cmd;
	(void)len;
	errno = ENOSYS;
	return -1;
}
