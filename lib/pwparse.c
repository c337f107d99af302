/* /etc/passwd (7 fields) and /etc/group (4 fields) lines into structs
 * whose strings live in the caller's buffer (for getpwnam_r and kin).
 * and /etc/shadow (9 fields). Malformed lines are refused so that
 * callers skip them. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mica/pwparse.h"

#define MAXF 9

/* Copies line into buf and cuts it at ':' into at most MAXF fields;
 * the field count, or -2 if buf is too small. */
static int split(const char *line, char *buf, size_t n, char **f)
{
	size_t len = strlen(line);
	if (len + 1 > n)
		return -2;
	memcpy(buf, line, len + 1);
	int k = 0;
	char *p = buf;
	f[k++] = p;
	while ((p = strchr(p, ':'))) {
		*p++ = '\0';
		if (k == MAXF)
			return MAXF + 1;
		f[k++] = p;
	}
	return k;
}

/* A decimal id; -1 if s is not one. */
static long parse_id(const char *s)
{
	char *end;
	if (*s < '0' || *s > '9')
		return -1;
	unsigned long v = strtoul(s, &end, 10);
	return *end || v > UINT32_MAX - 1 ? -1 : (long)v;
}

int pw_parse(const char *line, struct passwd *pw, char *buf, size_t n)
{
	char *f[MAXF];
	int k = split(line, buf, n, f);
	if (k < 0)
		return k;
	if (k != 7 || !f[0][0])
		return -1;
	long uid = parse_id(f[2]), gid = parse_id(f[3]);
	if (uid < 0 || gid < 0)
		return -1;
	memset(pw, 0, sizeof(*pw));
	pw->pw_name = f[0], pw->pw_passwd = f[1];
	pw->pw_uid = (uid_t)uid, pw->pw_gid = (gid_t)gid;
	pw->pw_gecos = f[4];
	pw->pw_dir = f[5], pw->pw_shell = f[6];
	return 0;
}

int gr_parse(const char *line, struct group *gr, char *buf, size_t n)
{
	char *f[MAXF];
	int k = split(line, buf, n, f);
	if (k < 0)
		return k;
	if (k != 4 || !f[0][0])
		return -1;
	long gid = parse_id(f[2]);
	if (gid < 0)
		return -1;
	/* the member array goes after the strings, aligned */
	size_t used = strlen(line) + 1, nmem = 1;
	for (const char *p = f[3]; *p; p++)
		nmem += *p == ',';
	used = (used + sizeof(char *) - 1) & ~(sizeof(char *) - 1);
	if (used + (nmem + 1) * sizeof(char *) > n)
		return -2;
	char **mem = (char **)(void *)(buf + used);
	size_t m = 0;
	for (char *p = f[3]; *p;) {
		mem[m++] = p;
		p += strcspn(p, ",");
		if (*p)
			*p++ = '\0';
	}
	mem[m] = NULL;
	gr->gr_name = f[0], gr->gr_passwd = f[1], gr->gr_gid = (gid_t)gid, gr->gr_mem = mem;
	return 0;
}

/* A shadow day count: empty is -1; else a decimal number, or -2. */
static long parse_days(const char *s)
{
	return *s ? parse_id(s) < 0 ? -2 : parse_id(s) : -1;
}

int sp_parse(const char *line, struct spwd *sp, char *buf, size_t n)
{
	char *f[MAXF];
	int k = split(line, buf, n, f);
	if (k < 0)
		return k;
	if (k != 9 || !f[0][0])
		return -1;
	long d[6];
	for (int i = 0; i < 6; i++)
		if ((d[i] = parse_days(f[2 + i])) < -1)
			return -1;
	memset(sp, 0, sizeof(*sp));
	sp->sp_namp = f[0], sp->sp_pwdp = f[1];
	sp->sp_lstchg = d[0], sp->sp_min = d[1], sp->sp_max = d[2];
	sp->sp_warn = d[3], sp->sp_inact = d[4], sp->sp_expire = d[5];
	sp->sp_flag = ~0ul;
	return 0;
}
