/* chmod MODE FILE...: sets each FILE's permission bits to MODE, in octal
 * (755) or symbolic ([ugoa]*[+-=][rwxst]*, comma-separated) form, as
 * POSIX chmod does without -R. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* One symbolic clause applied to mode; -1 if it is malformed. */
static long clause(const char *c, size_t n, mode_t mode, mode_t umask_v)
{
	mode_t who = 0, perm = 0;
	size_t i = 0;
	for (; i < n && strchr("ugoa", c[i]); i++)
		who |= c[i] == 'u' ? 04700 : c[i] == 'g' ? 02070 : c[i] == 'o' ? 01007 : 07777;
	if (i == n || !strchr("+-=", c[i]))
		return -1;
	char op = c[i++];
	for (; i < n; i++) {
		const char *k = strchr("rwxst", c[i]);
		if (!k)
			return -1;
		static const mode_t bits[] = {0444, 0222, 0111, 06000, 01000};
		perm |= bits[k - "rwxst"];
	}
	if (!who) /* no who: all, less the umask */
		who = 07777 & ~umask_v;
	perm &= who;
	if (op == '+')
		return mode | perm;
	if (op == '-')
		return mode & ~perm;
	return (mode & ~(who & 0777)) | perm;
}

static long new_mode(const char *spec, mode_t mode, mode_t um)
{
	char *end;
	long v = strtol(spec, &end, 8);
	if (*spec >= '0' && *spec <= '7')
		return *end || v > 07777 ? -1 : v;
	for (const char *c = spec;;) {
		size_t n = strcspn(c, ",");
		long m = clause(c, n, mode, um);
		if (m < 0)
			return -1;
		mode = (mode_t)m;
		if (!c[n])
			return mode;
		c += n + 1;
	}
}

int main(int argc, char **argv)
{
	int rc = 0;
	mode_t um = umask(0);
	umask(um);
	if (argc < 3) {
		fprintf(stderr, "usage: chmod MODE FILE...\n");
		return 1;
	}
	for (int i = 2; i < argc; i++) {
		struct stat st;
		long m;
		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "chmod: %s: %s\n", argv[i], strerror(errno));
			rc = 1;
		} else if ((m = new_mode(argv[1], st.st_mode & 07777, um)) < 0) {
			fprintf(stderr, "chmod: invalid mode: '%s'\n", argv[1]);
			return 1;
		} else if (chmod(argv[i], (mode_t)m) < 0) {
			fprintf(stderr, "chmod: %s: %s\n", argv[i], strerror(errno));
			rc = 1;
		}
	}
	return rc;
}
