/* chown [-R] [-h] [-v] OWNER[:GROUP] FILE... (or :GROUP): changes a
 * file's owner and group, by name or number; "OWNER:" also sets the
 * owner's login group. -R does not follow symbolic links. */
#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int recursive, nofollow, verbose;
static uid_t uid = (uid_t)-1;
static gid_t gid = (gid_t)-1;

/* A number, or -1 if s is not all digits. */
static long number(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);
	return *s && !*end && v >= 0 && v <= 65534 ? v : -1;
}

/* OWNER[:GROUP] into uid and gid; 0, or 1 after the message. */
static int parse_spec(char *spec)
{
	char *colon = strchr(spec, ':');
	if (!colon)
		colon = strchr(spec, '.');
	if (colon)
		*colon = '\0';
	if (*spec) {
		struct passwd *pw = getpwnam(spec);
		long n = pw ? pw->pw_uid : number(spec);
		if (n < 0) {
			fprintf(stderr, "chown: invalid user: '%s'\n", spec);
			return 1;
		}
		uid = (uid_t)n;
		if (colon && !colon[1]) { /* "OWNER:": the login group */
			struct passwd *p2 = pw ? pw : getpwuid(uid);
			if (!p2) {
				fprintf(stderr, "chown: invalid spec: '%s:'\n", spec);
				return 1;
			}
			gid = p2->pw_gid;
		}
	}
	if (colon && colon[1]) {
		struct group *gr = getgrnam(colon + 1);
		long n = gr ? gr->gr_gid : number(colon + 1);
		if (n < 0) {
			fprintf(stderr, "chown: invalid group: '%s'\n", colon + 1);
			return 1;
		}
		gid = (gid_t)n;
	}
	return 0;
}

static int change(const char *path, int top);

static int walk(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int rc = 0;
	if (!d) {
		fprintf(stderr, "chown: cannot read directory '%s': %s\n", dir, strerror(errno));
		return 1;
	}
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char *p = malloc(strlen(dir) + strlen(e->d_name) + 2);
		if (!p)
			break;
		sprintf(p, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", e->d_name);
		rc |= change(p, 0);
		free(p);
	}
	closedir(d);
	return rc;
}

static int change(const char *path, int top)
{
	struct stat st;
	int follow = top && !nofollow;
	if ((follow ? stat(path, &st) : lstat(path, &st)) < 0) {
		fprintf(stderr, "chown: cannot access '%s': %s\n", path, strerror(errno));
		return 1;
	}
	int rc = 0;
	if ((follow ? chown(path, uid, gid) : lchown(path, uid, gid)) < 0) {
		fprintf(stderr, "chown: changing ownership of '%s': %s\n", path, strerror(errno));
		rc = 1;
	} else if (verbose) {
		printf("ownership of '%s' retained or changed\n", path);
	}
	if (recursive && S_ISDIR(st.st_mode))
		rc |= walk(path);
	return rc;
}

int main(int argc, char **argv)
{
	int i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		if (!strcmp(argv[i], "--help")) {
			printf("Usage: chown [-Rhv] OWNER[:[GROUP]] FILE...\n"
			       "  or:  chown [-Rhv] :GROUP FILE...\n");
			return 0;
		}
		for (const char *c = argv[i] + 1; *c; c++) {
			if (*c == 'R')
				recursive = 1;
			else if (*c == 'h')
				nofollow = 1;
			else if (*c == 'v')
				verbose = 1;
			else {
				fprintf(stderr,
				        "chown: invalid option -- '%c'\n"
				        "Try 'chown --help' for more information.\n",
				        *c);
				return 1;
			}
		}
	}
	if (argc - i < 2) {
		fprintf(stderr,
		        argc - i ? "chown: missing operand after '%s'\n"
		                 : "chown: missing operand\n",
		        argv[i]);
		fprintf(stderr, "Try 'chown --help' for more information.\n");
		return 1;
	}
	if (parse_spec(argv[i++]))
		return 1;
	int rc = 0;
	for (; i < argc; i++)
		rc |= change(argv[i], 1);
	return rc;
}
