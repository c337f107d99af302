/* whoami: the name of the effective user. */
#include <pwd.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc > 1) {
		fprintf(stderr,
		        "whoami: extra operand '%s'\n"
		        "Try 'whoami --help' for more information.\n",
		        argv[1]);
		return 1;
	}
	struct passwd *pw = getpwuid(geteuid());
	if (!pw) {
		fprintf(stderr, "whoami: cannot find name for user ID %u\n", (unsigned)geteuid());
		return 1;
	}
	puts(pw->pw_name);
	return 0;
}
