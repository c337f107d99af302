/* t_vm: in-guest checks of mappings: every mmap flavour (anonymous
 * private and shared, private and shared files with msync, MAP_FIXED,
 * MAP_NORESERVE), mprotect, madvise, System V and POSIX shared memory
 * between processes, and copy-on-write across two forks. Files go in
 * the directory given as argument (default /tmp).
 * Prints "t_vm: NAME ok" or "FAILED: why", then the totals.
 * "t_vm mkshm KEY SIZE" instead makes a System V segment (mode 600) and
 * prints its id, leaving it behind for ipcs and ipcrm to find. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/check.h"

#define PG 4096

static const char *dir = "/tmp";

static int wait_status(pid_t pid)
{
	int st;
	return pid > 0 && waitpid(pid, &st, 0) == pid ? st : -1;
}

static char *path(const char *name)
{
	static char buf[256];
	snprintf(buf, sizeof(buf), "%s/%s", dir, name);
	return buf;
}

/* A file of n bytes, byte i = (i * 7 + seed) & 0xff. */
static int make_file(const char *name, size_t n, int seed)
{
	int fd = open(path(name), O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	char buf[PG];
	for (size_t off = 0; off < n; off += sizeof(buf)) {
		size_t k = n - off < sizeof(buf) ? n - off : sizeof(buf);
		for (size_t i = 0; i < k; i++)
			buf[i] = (char)(((off + i) * 7 + (size_t)seed) & 0xff);
		if (write(fd, buf, k) != (ssize_t)k)
			return close(fd), -1;
	}
	return fd;
}

static int t_anon_private(void)
{
	size_t len = 64 * PG;
	unsigned char *p =
	    mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
	for (size_t i = 0; i < len; i += 997)
		CHECK(p[i] == 0, "byte %zu is %d, not 0", i, p[i]);
	memset(p, 0x5a, len);
	pid_t pid = fork();
	if (pid == 0) {
		memset(p, 0x11, len); /* the child's copy only */
		_exit(p[len - 1] == 0x11 ? 0 : 1);
	}
	CHECK(wait_status(pid) == 0, "the child failed");
	for (size_t i = 0; i < len; i += 997)
		CHECK(p[i] == 0x5a, "the child's write reached the parent at %zu", i);
	CHECK(munmap(p, len) == 0, "munmap: %s", strerror(errno));
	return 0;
}

static int t_anon_shared(void)
{
	size_t len = 16 * PG;
	volatile unsigned *p =
	    mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
	CHECK(p[0] == 0 && p[len / 4 - 1] == 0, "not zeroed");
	p[1] = 41;
	pid_t pid = fork();
	if (pid == 0) {
		p[0] = 1234;           /* seen by the parent */
		p[len / 4 - 1] = 5678; /* a page nobody touched before the fork */
		_exit(p[1] == 41 ? 0 : 1);
	}
	CHECK(wait_status(pid) == 0, "the child did not see the parent's write");
	CHECK(p[0] == 1234 && p[len / 4 - 1] == 5678, "the child's writes are not here: %u %u",
	      p[0], p[len / 4 - 1]);
	CHECK(munmap((void *)p, len) == 0, "munmap: %s", strerror(errno));
	return 0;
}

static int t_file_private(void)
{
	size_t n = 3 * PG + 100;
	int fd = make_file("vm_priv", n, 3);
	CHECK(fd >= 0, "cannot make the file: %s", strerror(errno));
	unsigned char *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
	for (size_t i = 0; i < n; i++)
		CHECK(p[i] == ((i * 7 + 3) & 0xff), "byte %zu is %d", i, p[i]);
	for (size_t i = n; i < 4 * PG; i++)
		CHECK(p[i] == 0, "past the end byte %zu is %d, not 0", i, p[i]);
	p[5] = 0xEE; /* private: the file stays as it was */
	unsigned char b;
	CHECK(pread(fd, &b, 1, 5) == 1 && b == ((5 * 7 + 3) & 0xff), "the write reached the file");
	/* an offset mapping sees the file from there */
	unsigned char *q = mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 2 * PG);
	CHECK(q != MAP_FAILED, "mmap at offset: %s", strerror(errno));
	CHECK(q[1] == (((2 * PG + 1) * 7 + 3) & 0xff), "offset mapping byte 1 is %d", q[1]);
	CHECK(p[5] == 0xEE, "the private copy went");
	close(fd);
	CHECK(munmap(p, n) == 0 && munmap(q, PG) == 0, "munmap: %s", strerror(errno));
	unlink(path("vm_priv"));
	return 0;
}

static int t_file_shared_msync(void)
{
	size_t n = 2 * PG;
	int fd = make_file("vm_shared", n, 9);
	CHECK(fd >= 0, "cannot make the file: %s", strerror(errno));
	char *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
	memcpy(p + 10, "hello, mapped world", 19);
	memcpy(p + PG + 1, "second page", 11);
	CHECK(msync(p, n, MS_SYNC) == 0, "msync: %s", strerror(errno));
	char buf[32] = {0};
	CHECK(pread(fd, buf, 19, 10) == 19 && !memcmp(buf, "hello, mapped world", 19),
	      "read after msync: '%s'", buf);
	CHECK(pread(fd, buf, 11, PG + 1) == 11 && !memcmp(buf, "second page", 11),
	      "second page after msync: '%.11s'", buf);
	/* a child's writes through its inherited mapping reach the file too */
	pid_t pid = fork();
	if (pid == 0) {
		memcpy(p + 100, "from the child", 14);
		_exit(munmap(p, n) == 0 ? 0 : 1);
	}
	CHECK(wait_status(pid) == 0, "the child failed");
	CHECK(!memcmp(p + 100, "from the child", 14), "the parent does not see the child's write");
	CHECK(munmap(p, n) == 0, "munmap: %s", strerror(errno));
	CHECK(pread(fd, buf, 14, 100) == 14 && !memcmp(buf, "from the child", 14),
	      "read after munmap: '%.14s'", buf);
	struct stat st;
	CHECK(fstat(fd, &st) == 0 && st.st_size == (off_t)n, "the file's size changed");
	close(fd);
	/* read-only descriptor: no shared writable mapping */
	fd = open(path("vm_shared"), O_RDONLY);
	CHECK(mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED &&
	          errno == EACCES,
	      "a read-only file mapped shared writable: %s", strerror(errno));
	close(fd);
	unlink(path("vm_shared"));
	return 0;
}

static int t_fixed_and_noreserve(void)
{
	char *p = mmap(NULL, 8 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
	memset(p, 7, 8 * PG);
	char *q = mmap(p + 2 * PG, 2 * PG, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK(q == p + 2 * PG, "MAP_FIXED gave %p, not %p", (void *)q, (void *)(p + 2 * PG));
	CHECK(q[0] == 0 && q[2 * PG - 1] == 0, "MAP_FIXED did not replace the pages");
	CHECK(p[0] == 7 && p[4 * PG] == 7, "MAP_FIXED disturbed its neighbours");
	CHECK(munmap(p, 8 * PG) == 0, "munmap: %s", strerror(errno));
	/* a large reservation costs nothing until touched */
	size_t big = 1ul << 32;
	char *r = mmap(NULL, big, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	CHECK(r != MAP_FAILED, "4 GiB MAP_NORESERVE: %s", strerror(errno));
	r[0] = 1, r[big - 1] = 2;
	CHECK(r[0] == 1 && r[big - 1] == 2, "the ends of the reservation");
	CHECK(munmap(r, big) == 0, "munmap: %s", strerror(errno));
	return 0;
}

static int write_to(volatile char *p)
{
	*p = 1;
	return 0;
}

static int t_mprotect_write_faults(void)
{
	char *p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
	p[0] = 42;
	CHECK(mprotect(p, PG, PROT_READ) == 0, "mprotect: %s", strerror(errno));
	CHECK(p[0] == 42, "the data went with the protection");
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		_exit(write_to(p) + 3); /* never gets there */
	int st = wait_status(pid);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "a write to a read-only page: status %#x",
	      st);
	p[PG] = 5; /* the other page stays writable */
	CHECK(mprotect(p, PG, PROT_NONE) == 0, "mprotect none: %s", strerror(errno));
	pid = fork();
	if (pid == 0)
		_exit(p[0]);
	st = wait_status(pid);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "a read of PROT_NONE: status %#x", st);
	CHECK(mprotect(p, PG, PROT_READ | PROT_WRITE) == 0, "mprotect back: %s", strerror(errno));
	p[0]++;
	CHECK(p[0] == 43, "after PROT_NONE and back the page holds %d", p[0]);
	CHECK(mprotect(p, PG, PROT_WRITE | PROT_EXEC) == -1, "W+X was allowed");
	CHECK(munmap(p, 2 * PG) == 0, "munmap: %s", strerror(errno));
	return 0;
}

static int t_madvise_dontneed(void)
{
	char *p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
	memset(p, 9, 4 * PG);
	CHECK(madvise(p, 4 * PG, MADV_DONTNEED) == 0, "madvise: %s", strerror(errno));
	CHECK(p[0] == 0 && p[4 * PG - 1] == 0, "private pages did not read as zero again");
	CHECK(munmap(p, 4 * PG) == 0, "munmap: %s", strerror(errno));
	return 0;
}

static int t_sysv_shm(void)
{
	int id = shmget(IPC_PRIVATE, 3 * PG, IPC_CREAT | 0600);
	CHECK(id >= 0, "shmget: %s", strerror(errno));
	volatile int *a = shmat(id, NULL, 0);
	CHECK(a != (void *)-1, "shmat: %s", strerror(errno));
	a[0] = 0;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		/* a second attachment in the child: the same memory */
		volatile int *b = shmat(id, NULL, 0);
		if (b == (void *)-1)
			_exit(2);
		while (b[0] != 1) /* wait for the parent */
			usleep(1000);
		b[PG / 4] = 777;
		b[1] = 2;
		_exit(shmdt((void *)b) == 0 ? 0 : 3);
	}
	struct shmid_ds ds;
	CHECK(shmctl(id, IPC_STAT, &ds) == 0, "IPC_STAT: %s", strerror(errno));
	CHECK(ds.shm_segsz == 3 * PG && ds.shm_cpid == getpid(), "IPC_STAT: size %zu cpid %d",
	      ds.shm_segsz, ds.shm_cpid);
	a[0] = 1;
	for (int i = 0; i < 5000 && a[1] != 2; i++)
		usleep(1000);
	CHECK(a[1] == 2 && a[PG / 4] == 777, "the child's writes: %d %d", a[1], a[PG / 4]);
	CHECK(wait_status(pid) == 0, "the child failed");
	CHECK(shmctl(id, IPC_RMID, NULL) == 0, "IPC_RMID: %s", strerror(errno));
	CHECK(a[PG / 4] == 777, "removed while attached: the memory stays until shmdt");
	CHECK(shmdt((void *)a) == 0, "shmdt: %s", strerror(errno));
	CHECK(shmat(id, NULL, 0) == (void *)-1 && errno == EINVAL, "attached a removed segment");
	/* keys: the same segment by key; IPC_EXCL refuses a second */
	key_t key = 0x6d696361;
	int k1 = shmget(key, PG, IPC_CREAT | 0600);
	CHECK(k1 >= 0 && shmget(key, PG, 0) == k1, "by key: %d", k1);
	CHECK(shmget(key, PG, IPC_CREAT | IPC_EXCL | 0600) == -1 && errno == EEXIST,
	      "IPC_EXCL gave no EEXIST");
	CHECK(shmget(key, 2 * PG, 0) == -1 && errno == EINVAL, "a larger size was allowed");
	CHECK(shmctl(k1, IPC_RMID, NULL) == 0, "IPC_RMID: %s", strerror(errno));
	CHECK(shmget(key, PG, 0) == -1 && errno == ENOENT, "a removed key still found");
	return 0;
}

static int t_posix_shm(void)
{
	int fd = shm_open("/t_vm_shm", O_RDWR | O_CREAT | O_EXCL, 0600);
	CHECK(fd >= 0, "shm_open: %s", strerror(errno));
	CHECK(ftruncate(fd, 2 * PG) == 0, "ftruncate: %s", strerror(errno));
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) { /* another process opens it by name */
		int f = shm_open("/t_vm_shm", O_RDWR, 0);
		char *c = f < 0 ? MAP_FAILED
		                : mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, f, 0);
		if (c == MAP_FAILED)
			_exit(2);
		strcpy(c + PG, "posix shm");
		_exit(munmap(c, 2 * PG) ? 3 : 0);
	}
	CHECK(wait_status(pid) == 0, "the child failed");
	char *p = mmap(NULL, 2 * PG, PROT_READ, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
	CHECK(!strcmp(p + PG, "posix shm"), "the parent reads '%.16s'", p + PG);
	CHECK(munmap(p, 2 * PG) == 0, "munmap");
	close(fd);
	CHECK(shm_unlink("/t_vm_shm") == 0, "shm_unlink: %s", strerror(errno));
	CHECK(shm_open("/t_vm_shm", O_RDWR, 0) == -1 && errno == ENOENT,
	      "still there after unlink");
	return 0;
}

static char cow_page[PG] __attribute__((aligned(PG)));

static int t_cow_second_fork(void)
{
	memset(cow_page, 'P', PG);
	int fds[2];
	CHECK(pipe(fds) == 0, "pipe");
	pid_t pid = fork();
	if (pid == 0) {
		cow_page[0] = 'C';
		pid_t g = fork();
		if (g == 0) {
			cow_page[1] = 'G'; /* the grandchild's own copy */
			_exit(cow_page[0] == 'C' ? 0 : 1);
		}
		int st = wait_status(g);
		char ok = st == 0 && cow_page[1] == 'P' && cow_page[0] == 'C' ? 'y' : 'n';
		write(fds[1], &ok, 1);
		_exit(0);
	}
	char ok = 0;
	read(fds[0], &ok, 1);
	wait_status(pid);
	close(fds[0]), close(fds[1]);
	CHECK(ok == 'y', "the child or grandchild saw another's write");
	CHECK(cow_page[0] == 'P' && cow_page[1] == 'P', "the parent's page changed");
	return 0;
}

static int t_bad_arguments(void)
{
	CHECK(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED &&
	          errno == EINVAL,
	      "len 0");
	CHECK(mmap(NULL, PG, PROT_READ, MAP_ANONYMOUS, -1, 0) == MAP_FAILED && errno == EINVAL,
	      "neither shared nor private");
	CHECK(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, 999, 0) == MAP_FAILED && errno == EBADF,
	      "a bad descriptor: %s", strerror(errno));
	int p[2];
	CHECK(pipe(p) == 0, "pipe");
	CHECK(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, p[0], 0) == MAP_FAILED && errno == ENODEV,
	      "a pipe: %s", strerror(errno));
	close(p[0]), close(p[1]);
	CHECK(munmap((void *)0x1001, PG) == -1 && errno == EINVAL, "unaligned munmap");
	CHECK(msync((void *)0x7000, PG, MS_SYNC) == -1 && errno == ENOMEM, "msync of nothing");
	CHECK(shmat(12345, NULL, 0) == (void *)-1 && errno == EINVAL, "shmat of no segment");
	CHECK(shmdt((void *)0x1000) == -1 && errno == EINVAL, "shmdt of nothing");
	return 0;
}

static void run(const char *name, int (*fn)(void))
{
	check_run("t_vm", name, fn);
}

/* t_vm mkshm KEY SIZE: KEY in decimal or 0x hex. */
static int mkshm(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: t_vm mkshm KEY SIZE\n");
		return 2;
	}
	key_t key = (key_t)strtoul(argv[2], NULL, 0);
	int id = shmget(key, (size_t)strtoul(argv[3], NULL, 0), IPC_CREAT | 0600);
	if (id < 0) {
		fprintf(stderr, "t_vm: shmget: %s\n", strerror(errno));
		return 1;
	}
	printf("%d\n", id);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "mkshm"))
		return mkshm(argc, argv);
	if (argc > 1)
		dir = argv[1];
	run("anon_private", t_anon_private);
	run("anon_shared", t_anon_shared);
	run("file_private", t_file_private);
	run("file_shared_msync", t_file_shared_msync);
	run("fixed_and_noreserve", t_fixed_and_noreserve);
	run("mprotect_write_faults", t_mprotect_write_faults);
	run("madvise_dontneed", t_madvise_dontneed);
	run("sysv_shm", t_sysv_shm);
	run("posix_shm", t_posix_shm);
	run("cow_second_fork", t_cow_second_fork);
	run("bad_arguments", t_bad_arguments);
	printf("t_vm: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
