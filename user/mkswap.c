/* mkswap DEVICE|FILE: writes the swap area header Linux's mkswap writes
 * (version 1: the page size's last 10 bytes "SWAPSPACE2", the version,
 * the last page, no bad pages, a UUID) in the first page, so pm (swapon)
 * and Linux both accept the area. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mica/syscall.h"

#define PAGE 4096

int main(int argc, char **argv)
{
	if (argc != 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: mkswap DEVICE\n");
		return argc == 2 && !strcmp(argv[1], "--help") ? 0 : 1;
	}
	const char *dev = argv[1];
	int fd = open(dev, O_RDWR);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0) {
		fprintf(stderr, "mkswap: cannot open %s: %s\n", dev, strerror(errno));
		return 1;
	}
	off_t size = S_ISBLK(st.st_mode) ? lseek(fd, 0, SEEK_END) : st.st_size; /* a disk's size */
	uint64_t pages = size > 0 ? (uint64_t)size / PAGE : 0;
	if (pages < 10) {
		fprintf(stderr, "mkswap: error: swap area needs to be at least 40 KiB\n");
		return 1;
	}
	static unsigned char h[PAGE];
	uint32_t version = 1, last = (uint32_t)(pages - 1), bad = 0;
	memcpy(h + 1024, &version, 4);
	memcpy(h + 1028, &last, 4);
	memcpy(h + 1032, &bad, 4);
	unsigned char *uuid = h + 1036; /* version 4, from the clock: unique enough */
	uint64_t seed = (uint64_t)mica_time() * 6364136223846793005ull + (uint64_t)time(NULL);
	for (int i = 0; i < 16; i++) {
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		uuid[i] = (unsigned char)(seed >> 56);
	}
	uuid[6] = (uuid[6] & 0x0f) | 0x40, uuid[8] = (uuid[8] & 0x3f) | 0x80;
	memcpy(h + PAGE - 10, "SWAPSPACE2", 10);
	if (lseek(fd, 0, SEEK_SET) != 0 || write(fd, h, PAGE) != PAGE || fsync(fd) < 0) {
		fprintf(stderr, "mkswap: %s: unable to write signature page: %s\n", dev,
		        strerror(errno));
		return 1;
	}
	unsigned long long bytes = (unsigned long long)last * PAGE;
	printf("Setting up swapspace version 1, size = %llu KiB (%llu bytes)\nno label, UUID=",
	       bytes / 1024, bytes);
	for (int i = 0; i < 16; i++)
		printf("%02x%s", uuid[i], i == 3 || i == 5 || i == 7 || i == 9 ? "-" : "");
	printf("\n");
	return 0;
}
