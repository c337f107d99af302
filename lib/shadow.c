/* /etc/shadow: getspnam and putspent. Lines that do not parse are
 * skipped; a missing file finds nobody (errno ENOENT). */
#include <errno.h>
#include <shadow.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mica/pwparse.h"

#define SHADOW "/etc/shadow"

int getspnam_r(const char *name, struct spwd *sp, char *buf, size_t n, struct spwd **res)
{
	*res = NULL;
	FILE *f = fopen(SHADOW, "r");
	if (!f)
		return errno;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int err = 0;
	while ((len = getline(&line, &cap, f)) >= 0) {
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		size_t nl = strcspn(line, ":");
		if (nl != strlen(name) || strncmp(line, name, nl))
			continue;
		int r = sp_parse(line, sp, buf, n);
		if (r == -2)
			err = ERANGE;
		if (r == 0)
			*res = sp;
		if (r != -1)
			break;
	}
	free(line);
	fclose(f);
	return err;
}

struct spwd *getspnam(const char *name)
{
	static struct spwd sp;
	static char *buf;
	static size_t cap = 256;
	struct spwd *res;
	for (;;) {
		if (!buf && !(buf = malloc(cap)))
			return errno = ENOMEM, NULL;
		int err = getspnam_r(name, &sp, buf, cap, &res);
		if (err != ERANGE) {
			if (err)
				errno = err;
			return res;
		}
		free(buf), buf = NULL, cap *= 2;
	}
}

/* A day field: empty for -1. */
static int put_days(FILE *f, long d, const char *sep)
{
	return d < 0 ? fprintf(f, "%s", sep) : fprintf(f, "%ld%s", d, sep);
}

int putspent(const struct spwd *sp, FILE *f)
{
	if (strchr(sp->sp_namp, ':') || strchr(sp->sp_pwdp, ':') || strchr(sp->sp_pwdp, '\n'))
		return errno = EINVAL, -1;
	int ok = fprintf(f, "%s:%s:", sp->sp_namp, sp->sp_pwdp) >= 0;
	long d[6] = {sp->sp_lstchg, sp->sp_min,   sp->sp_max,
	             sp->sp_warn,   sp->sp_inact, sp->sp_expire};
	for (int i = 0; i < 6; i++)
		ok &= put_days(f, d[i], ":") >= 0;
	ok &= fputc('\n', f) != EOF;
	return ok ? 0 : -1;
}
