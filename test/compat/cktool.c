/* cktool: file checksums in the manner of cksum, reading with fread in
 * 4 KiB blocks: CRC-32 (IEEE), size and name per file. Arguments are
 * glob patterns, expanded by glob() (Mica's shell does not glob); -m
 * also makes a fixture: files with fixed contents and times (utime). */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <glob.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utime.h>

static uint32_t table[256];

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
		table[i] = c;
	}
}

static int sum_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fflush(stdout);
		fprintf(stderr, "cktool: %s: %s\n", path, strerror(errno));
		return 1;
	}
	unsigned char buf[4096];
	uint32_t crc = 0xFFFFFFFFu;
	unsigned long long size = 0;
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		for (size_t i = 0; i < n; i++)
			crc = table[(crc ^ buf[i]) & 0xff] ^ (crc >> 8);
		size += n;
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		fprintf(stderr, "cktool: %s: read error\n", path);
		return 1;
	}
	printf("%08x %llu %s\n", (unsigned)(crc ^ 0xFFFFFFFFu), size, path);
	return 0;
}

/* A small tree: dirs, files of several sizes, a symlink, fixed mtimes. */
static int make_fixture(const char *dir)
{
	char path[512];
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		perror(dir);
		return 1;
	}
	snprintf(path, sizeof(path), "%s/sub", dir);
	mkdir(path, 0750);
	for (int i = 0; i < 6; i++) {
		snprintf(path, sizeof(path), "%s/%s%d.%s", dir, i < 3 ? "" : "sub/", i,
		         i % 2 ? "txt" : "dat");
		FILE *f = fopen(path, "w");
		if (!f) {
			perror(path);
			return 1;
		}
		for (int j = 0; j < i * 700 + 3; j++)
			fputc('a' + (i * 7 + j) % 26, f);
		fclose(f);
		struct utimbuf t = {.actime = 1700000000 + i, .modtime = 1700000000 + i * 86400};
		utime(path, &t);
	}
	snprintf(path, sizeof(path), "%s/.hidden", dir);
	fclose(fopen(path, "w"));
	snprintf(path, sizeof(path), "%s/link", dir);
	symlink("0.dat", path);
	return 0;
}

int main(int argc, char **argv)
{
	int c, status = 0;
	while ((c = getopt(argc, argv, "m:")) != -1) {
		if (c == 'm')
			return make_fixture(optarg);
		return 2;
	}
	crc_init();
	for (int i = optind; i < argc; i++) {
		glob_t g;
		int r = glob(argv[i], 0, NULL, &g);
		if (r == GLOB_NOMATCH) {
			fflush(stdout);
			fprintf(stderr, "cktool: %s: no match\n", argv[i]);
			status = 1;
			continue;
		}
		if (r != 0) {
			fprintf(stderr, "cktool: %s: glob failed\n", argv[i]);
			return 1;
		}
		for (size_t j = 0; j < g.gl_pathc; j++)
			status |= sum_file(g.gl_pathv[j]);
		globfree(&g);
	}
	return status;
}
