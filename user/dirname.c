/* dirname NAME...: each NAME without its last component ("." if it has no
 * slash), as POSIX specifies. */
#include <stdio.h>
#include <string.h>

#include "mica/util.h"

static int zero;
static const struct util_opt opts[] = {{'z', "zero", &zero, 1}, {0}};
static const struct util_prog prog = {
    .name = "dirname",
    .help = "Usage: dirname [OPTION] NAME...\n"
            "Output each NAME with its last non-slash component and trailing slashes\n"
            "removed; if NAME contains no /'s, output '.' (meaning the current directory).\n\n"
            "  -z, --zero     end each output line with NUL, not newline\n",
    .usage_status = 1,
    .opts = opts,
};

static void print_dir(const char *s)
{
	size_t n = strlen(s);
	while (n > 1 && s[n - 1] == '/') /* trailing slashes */
		n--;
	while (n && s[n - 1] != '/') /* the last component */
		n--;
	if (!n) {
		fputs(*s == '/' ? "/" : ".", stdout);
	} else {
		while (n > 1 && s[n - 1] == '/') /* the slashes before it */
			n--;
		fwrite(s, 1, n, stdout);
	}
	putchar(zero ? 0 : '\n');
}

int main(int argc, char **argv)
{
	int n = util_parse_args(&prog, argc, argv);
	if (!n)
		util_usage_error(&prog, "missing operand");
	for (int i = 1; i <= n; i++)
		print_dir(argv[i]);
	return 0;
}
