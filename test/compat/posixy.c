/* posixy: the odds and ends portable programs lean on, each printing a
 * line the host must agree with: getopt_long, strtol's errors, strftime
 * and mktime, fnmatch, popen, isatty, signal, sigsetjmp, anonymous mmap,
 * strerror/perror, tmpfile, qsort and bsearch, setvbuf and ungetc. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <getopt.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static sigjmp_buf jump;
static volatile sig_atomic_t got;

static void on_int(int sig)
{
	got = sig;
}

static void recover(int depth)
{
	if (depth == 0)
		siglongjmp(jump, 42);
	recover(depth - 1);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {{"verbose", no_argument, NULL, 'v'},
	                                     {"name", required_argument, NULL, 'n'},
	                                     {NULL, 0, NULL, 0}};
	int c, verbose = 0;
	const char *name = "world";
	while ((c = getopt_long(argc, argv, "vn:", opts, NULL)) != -1) {
		if (c == 'v')
			verbose++;
		else if (c == 'n')
			name = optarg;
		else
			return 2;
	}
	printf("getopt_long: verbose %d name %s rest %d\n", verbose, name, argc - optind);

	errno = 0;
	long big = strtol("99999999999999999999", NULL, 10);
	printf("strtol: %s %d\n", big == LONG_MAX ? "LONG_MAX" : "?", errno == ERANGE);
	char *end;
	unsigned long ul = strtoul("0x1fz", &end, 0);
	printf("strtoul: %lu rest '%s'\n", ul, end);
	printf("strtod: %.3f\n", strtod("2.5e3", NULL));

	time_t t = 1700000000;
	struct tm tm, *g = gmtime_r(&t, &tm);
	char buf[128];
	strftime(buf, sizeof(buf), "%A %d %B %Y %H:%M:%S %j %a %b %y %e", g);
	printf("strftime: %s\n", buf);
	tm.tm_mday += 40;
	time_t later = timegm(&tm);
	printf("timegm: %lld %04d-%02d-%02d\n", (long long)later, tm.tm_year + 1900, tm.tm_mon + 1,
	       tm.tm_mday);
	printf("difftime: %.0f\n", difftime(later, t));

	printf("fnmatch: %d %d %d %d\n", fnmatch("*.c", "x.c", 0) == 0,
	       fnmatch("*.c", "x.h", 0) == 0, fnmatch("a/*", "a/b/c", FNM_PATHNAME) == 0,
	       fnmatch("[a-c]?", "bz", 0) == 0);

	signal(SIGINT, on_int); /* the result ignored, as classic code does */
	signal(SIGPIPE, SIG_IGN);
	int v = sigsetjmp(jump, 1);
	if (v == 0)
		recover(100);
	printf("siglongjmp: %d\n", v);

	size_t len = 3 * 4096 + 100;
	unsigned char *m =
	    mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	unsigned sum = 0;
	for (size_t i = 0; i < len; i++)
		sum += m[i];
	memset(m, 7, len);
	int written = m[len - 1] == 7;
	printf("mmap: zeroed %d written %d unmap %d\n", sum == 0, written, munmap(m, len));

	FILE *p = popen("echo from a pipe", "r");
	if (p && fgets(buf, sizeof(buf), p))
		printf("popen: %s", buf);
	printf("pclose: %d\n", p ? pclose(p) : -1);

	FILE *tf = tmpfile();
	fputs("tmpfile line\n", tf);
	rewind(tf);
	int first = fgetc(tf);
	ungetc(first, tf);
	fgets(buf, sizeof(buf), tf);
	printf("tmpfile: %s", buf);
	printf("isatty(tmpfile): %d\n", isatty(fileno(tf)));
	fclose(tf);

	errno = 0;
	if (open("/nonexistent/file", O_RDONLY) < 0)
		printf("open: %s\n", strerror(errno));
	printf("strerror(EACCES): %s\n", strerror(EACCES));

	int nums[200];
	for (int i = 0; i < 200; i++)
		nums[i] = (i * 7919) % 1009;
	qsort(nums, 200, sizeof(int), cmp_int);
	int key = nums[123];
	int *hit = bsearch(&key, nums, 200, sizeof(int), cmp_int);
	printf("qsort: %d %d %d bsearch: %d\n", nums[0], nums[100], nums[199], hit && *hit == key);

	char *s = NULL;
	if (asprintf(&s, "%s-%05.1f-%x", name, 3.14159, 255) > 0)
		printf("asprintf: %s\n", s);
	free(s);
	char str[] = "a,b,,c";
	char *rest = str, *tok;
	printf("strsep:");
	while ((tok = strsep(&rest, ",")))
		printf(" [%s]", tok);
	printf("\nsignal: %d\n", (int)got);
	return 0;
}
