/* id [-u|-g|-G] [-n] [-r] [USER]: user and group ids, by default as
 * "uid=0(root) gid=0(root) groups=0(root)". Mica has no supplementary
 * groups: a user's groups are its primary group. */
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void print_id(unsigned id, const char *name, int names)
{
	if (names && name)
		printf("%s", name);
	else
		printf("%u", id);
}

static const char *user_name(uid_t u)
{
	struct passwd *pw = getpwuid(u);
	return pw ? pw->pw_name : NULL;
}

static const char *group_name(gid_t g)
{
	struct group *gr = getgrgid(g);
	return gr ? gr->gr_name : NULL;
}

static int usage(const char *msg, const char *arg)
{
	fprintf(stderr, msg, arg);
	fprintf(stderr, "Try 'id --help' for more information.\n");
	return 1;
}

int main(int argc, char **argv)
{
	int only = 0, names = 0, i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--help")) {
			printf("Usage: id [-u|-g|-G] [-n] [-r] [USER]\n");
			return 0;
		}
		for (const char *c = argv[i] + 1; *c; c++) {
			if (*c == 'u' || *c == 'g' || *c == 'G')
				only = only && only != *c ? -1 : *c;
			else if (*c == 'n')
				names = 1;
			else if (*c != 'r') {
				char s[2] = {*c, 0};
				return usage("id: invalid option -- '%s'\n", s);
			}
		}
	}
	if (only < 0)
		return usage("id: cannot print \"only\" of more than one choice%s\n", "");
	if (names && !only)
		return usage("id: cannot print only names or real IDs in default format%s\n", "");
	if (argc - i > 1)
		return usage("id: extra operand '%s'\n", argv[i + 1]);
	uid_t u = getuid();
	gid_t g = getgid();
	if (i < argc) {
		struct passwd *pw = getpwnam(argv[i]);
		if (!pw) {
			fprintf(stderr, "id: '%s': no such user\n", argv[i]);
			return 1;
		}
		u = pw->pw_uid, g = pw->pw_gid;
	}
	if (only == 'u')
		print_id(u, user_name(u), names);
	else if (only)
		print_id(g, group_name(g), names);
	else {
		printf("uid=%u", (unsigned)u);
		if (user_name(u))
			printf("(%s)", user_name(u));
		printf(" gid=%u", (unsigned)g);
		if (group_name(g))
			printf("(%s)", group_name(g));
		printf(" groups=%u", (unsigned)g);
		if (group_name(g))
			printf("(%s)", group_name(g));
	}
	putchar('\n');
	return 0;
}
