/* free [-b|-k|-m|-g|-h] [-w]: memory as procps free(1) shows it, from
 * /proc/meminfo: total, used (neither free nor cache), free, shared,
 * buff/cache (Buffers + Cached; -w: apart) and available. Mica has no
 * swap yet: its line is zeros. */
#include <stdio.h>
#include <string.h>

#include "mica/util.h"

static const struct util_prog prog = {
    .name = "free",
    .help = "Usage:\n free [options]\n\n"
            "Options:\n -b, -k, -m, -g  show output in bytes, KiB (default), MiB, GiB\n"
            " -h              show human-readable output\n"
            " -w              wide output: buffers and cache apart\n",
    .usage_status = 1,
};

static char unit = 'k';

/* kB -> a column in the chosen unit. */
static void col(unsigned long kb, int width)
{
	if (unit == 'h' && kb == 0) {
		printf("%*s", width, "0B");
		return;
	}
	if (unit == 'h') {
		static const char sfx[] = "KMGT";
		double v = (double)kb;
		int i = 0;
		while (v >= 1024 && i < 3)
			v /= 1024, i++;
		char s[16];
		snprintf(s, sizeof(s), i ? "%.1f%ci" : "%.0f%ci", v, sfx[i]);
		printf("%*s", width, s);
		return;
	}
	unsigned long long v = kb;
	if (unit == 'b')
		v *= 1024;
	else if (unit == 'm')
		v /= 1024;
	else if (unit == 'g')
		v /= 1024 * 1024;
	printf("%*llu", width, v);
}

static unsigned long field(const char *text, const char *name)
{
	const char *p = strstr(text, name);
	unsigned long v = 0;
	if (p)
		sscanf(p + strlen(name), " %lu", &v);
	return v;
}

int main(int argc, char **argv)
{
	int wide = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help"))
			util_help(&prog);
		if (a[0] != '-' || !a[1])
			util_usage_error(&prog, "extra operand '%s'", a);
		for (const char *c = a + 1; *c; c++) {
			if (strchr("bkmgh", *c))
				unit = *c;
			else if (*c == 'w')
				wide = 1;
			else
				util_usage_error(&prog, "invalid option -- '%c'", *c);
		}
	}
	char text[2048];
	FILE *f = fopen("/proc/meminfo", "r");
	size_t n = f ? fread(text, 1, sizeof(text) - 1, f) : 0;
	if (f)
		fclose(f);
	if (!n) {
		fprintf(stderr, "free: /proc/meminfo: cannot read\n");
		return 1;
	}
	text[n] = '\0';
	unsigned long total = field(text, "MemTotal:"), freek = field(text, "MemFree:");
	unsigned long avail = field(text, "MemAvailable:"), buffers = field(text, "Buffers:");
	unsigned long cached = field(text, "Cached:");
	unsigned long used = total - freek - buffers - cached;
	const int w = 12;
	printf("%19s%*s%*s%*s", "total", w, "used", w, "free", w, "shared");
	if (wide)
		printf("%*s%*s", w, "buffers", w, "cache");
	else
		printf("%*s", w, "buff/cache");
	printf("%*s\n%-7s", w, "available", "Mem:");
	col(total, w), col(used, w), col(freek, w), col(0, w);
	if (wide)
		col(buffers, w), col(cached, w);
	else
		col(buffers + cached, w);
	col(avail, w);
	unsigned long stotal = field(text, "SwapTotal:"), sfree = field(text, "SwapFree:");
	printf("\n%-7s", "Swap:");
	col(stotal, w), col(stotal - sfree, w), col(sfree, w);
	putchar('\n');
	return 0;
}
