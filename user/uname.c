/* uname [-asnrvmpo]: the system's name and version (lib/uname.c), in
 * coreutils' order; -p (processor) and -o (operating system) as GNU
 * prints them. No option means -s. */
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

enum { S = 1, N = 2, R = 4, V = 8, M = 16, P = 32, O = 64, ALL = 127 };

static const struct {
	char c;
	const char *name;
	int bit;
} opts[] = {{'a', "all", ALL},          {'s', "kernel-name", S},     {'n', "nodename", N},
            {'r', "kernel-release", R}, {'v', "kernel-version", V},  {'m', "machine", M},
            {'p', "processor", P},      {'o', "operating-system", O}};

static int opt_bit(char c, const char *name)
{
	for (unsigned i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if ((c && opts[i].c == c) || (name && !strcmp(name, opts[i].name)))
			return opts[i].bit;
	return 0;
}

static int bad(const char *fmt, const char *s)
{
	fprintf(stderr, fmt, s);
	fprintf(stderr, "Try 'uname --help' for more information.\n");
	return 1;
}

int main(int argc, char **argv)
{
	int want = 0;
	struct utsname u;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help")) {
			printf("Usage: uname [-asnrvmpo]\n");
			return 0;
		}
		if (a[0] != '-' || !a[1])
			return bad("uname: extra operand '%s'\n", a);
		if (a[1] == '-') {
			int b = opt_bit(0, a + 2);
			if (!b)
				return bad("uname: unrecognized option '%s'\n", a);
			want |= b;
			continue;
		}
		for (const char *c = a + 1; *c; c++) {
			int b = opt_bit(*c, NULL);
			if (!b) {
				char s[2] = {*c, 0};
				return bad("uname: invalid option -- '%s'\n", s);
			}
			want |= b;
		}
	}
	if (!want)
		want = S;
	if (uname(&u) < 0) {
		perror("uname");
		return 1;
	}
	const char *field[] = {u.sysname, u.nodename, u.release, u.version,
	                       u.machine, u.machine,  "Mica"};
	int first = 1;
	for (int i = 0; i < 7; i++) {
		if (!(want & (1 << i)))
			continue;
		printf("%s%s", first ? "" : " ", field[i]);
		first = 0;
	}
	putchar('\n');
	return 0;
}
