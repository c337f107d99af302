/* basename NAME [SUFFIX], basename -a [-s SUFFIX] NAME...: the last
 * component of each NAME, without a trailing SUFFIX. */
#include <stdio.h>
#include <string.h>

#include "mica/util.h"

static const struct util_prog prog = {
    .name = "basename",
    .help = "Usage: basename NAME [SUFFIX]\n"
            "  or:  basename OPTION... NAME...\n"
            "Print NAME with any leading directory components removed.\n"
            "If specified, also remove a trailing SUFFIX.\n\n"
            "  -a, --multiple       support multiple arguments and treat each as a NAME\n"
            "  -s, --suffix=SUFFIX  remove a trailing SUFFIX; implies -a\n"
            "  -z, --zero           end each output line with NUL, not newline\n",
    .usage_status = 1,
};

static void print_base(const char *name, const char *suffix, char end)
{
	size_t len, off = util_base_name(name, &len);
	if (!len && *name == '/') /* only slashes */
		off = 0, len = 1;
	size_t sl = suffix ? strlen(suffix) : 0;
	if (sl && sl < len && !memcmp(name + off + len - sl, suffix, sl))
		len -= sl;
	fwrite(name + off, 1, len, stdout);
	putchar(end);
}

int main(int argc, char **argv)
{
	int multiple = 0, i;
	char end = '\n';
	const char *suffix = NULL;
	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		char *a = argv[i];
		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if (!strcmp(a, "--help"))
			util_help(&prog);
		if (!strcmp(a, "-a") || !strcmp(a, "--multiple")) {
			multiple = 1;
		} else if (!strcmp(a, "-z") || !strcmp(a, "--zero")) {
			end = 0;
		} else if (!strncmp(a, "--suffix=", 9)) {
			suffix = a + 9, multiple = 1;
		} else if (a[1] == 's') {
			suffix = a[2] ? a + 2 : argv[++i], multiple = 1;
			if (!suffix)
				util_usage_error(&prog, "option requires an argument -- 's'");
		} else {
			util_usage_error(&prog, "invalid option -- '%c'", a[1]);
		}
	}
	int n = argc - i;
	if (n < 1)
		util_usage_error(&prog, "missing operand");
	if (!multiple) {
		if (n > 2)
			util_usage_error(&prog, "extra operand '%s'", argv[i + 2]);
		print_base(argv[i], n == 2 ? argv[i + 1] : NULL, end);
		return 0;
	}
	for (; i < argc; i++)
		print_base(argv[i], suffix, end);
	return 0;
}
