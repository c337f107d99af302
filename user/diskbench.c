/* diskbench [DEVICE DIR]: disk benchmarks, in wall-clock time, on an
 * empty ext2 file system (default /dev/vda on /mnt; as pid 1, for make
 * bench, it mounts it itself and powers off at the end). Prints
 * "BENCH <name> <value> <unit>":
 *   disk_write_8m_fsync  8 MiB written in 64 KiB writes, then fsync
 *   disk_read_8m_cold    read back after a fresh mount (nothing cached)
 *   disk_read_8m_warm    read back again
 *   disk_create_1000     1,000 files of 100 bytes made in one directory
 *   disk_delete_1000     and removed
 * Throughput in KB/s (1000 bytes), times in microseconds. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mica/posix.h"

#define TOTAL (8L << 20)
#define CHUNK (64L << 10)
#define FILES 1000

static char buf[CHUNK];
static const char *dev = "/dev/vda", *dir = "/mnt";

static long now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000L + t.tv_nsec / 1000;
}

static void die(const char *what)
{
	printf("diskbench: %s: %s\n", what, strerror(errno));
	fflush(stdout);
	exit(1);
}

static void report(const char *name, long bytes, long us)
{
	if (bytes)
		printf("BENCH %s %ld KB/s\n", name, us ? bytes * 1000 / us : 0);
	else
		printf("BENCH %s %ld us\n", name, us);
	fflush(stdout);
}

static long read_all(const char *path)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		die(path);
	long t0 = now_us(), got = 0, n;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		got += n;
	long dt = now_us() - t0;
	close(fd);
	if (got != TOTAL)
		die("short read");
	return dt;
}

static void bench(void)
{
	char path[256], name[300];
	snprintf(path, sizeof(path), "%s/big", dir);
	for (long i = 0; i < CHUNK; i++)
		buf[i] = (char)(i * 7 + 3);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		die(path);
	long t0 = now_us();
	for (long done = 0; done < TOTAL; done += CHUNK)
		if (write(fd, buf, CHUNK) != CHUNK)
			die("write");
	if (fsync(fd) < 0)
		die("fsync");
	report("disk_write_8m_fsync", TOTAL, now_us() - t0);
	close(fd);
	if (umount(dir) < 0 || mount(dev, dir, "ext2", 0, NULL) < 0)
		die("remount");
	report("disk_read_8m_cold", TOTAL, read_all(path));
	report("disk_read_8m_warm", TOTAL, read_all(path));
	snprintf(path, sizeof(path), "%s/many", dir);
	if (mkdir(path, 0755) < 0)
		die(path);
	t0 = now_us();
	for (int i = 0; i < FILES; i++) {
		snprintf(name, sizeof(name), "%s/file%04d", path, i);
		if ((fd = open(name, O_WRONLY | O_CREAT | O_EXCL, 0644)) < 0 ||
		    write(fd, buf, 100) != 100)
			die(name);
		close(fd);
	}
	report("disk_create_1000", 0, now_us() - t0);
	t0 = now_us();
	for (int i = 0; i < FILES; i++) {
		snprintf(name, sizeof(name), "%s/file%04d", path, i);
		if (unlink(name) < 0)
			die(name);
	}
	report("disk_delete_1000", 0, now_us() - t0);
	if (rmdir(path) < 0)
		die("rmdir");
	sync();
}

int main(int argc, char **argv)
{
	int init = getpid() == 1;
	if (argc == 3)
		dev = argv[1], dir = argv[2];
	if (init) {
		for (int fd = 0; fd < 3; fd++) /* pid 1 starts with no descriptors */
			if (fcntl(fd, F_GETFD) < 0)
				open("/dev/console", O_RDWR);
		mkdir(dir, 0755);
		if (mount(dev, dir, "ext2", 0, NULL) < 0)
			die("mount");
	}
	bench();
	if (init) {
		if (umount(dir) < 0)
			die("umount");
		mica_reboot_poweroff(0);
	}
	return 0;
}
