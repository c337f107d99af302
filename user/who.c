/* who [-b] [-H] [-q] [-m | am i] [FILE]: the users logged in, from
 * /var/run/utmp, as coreutils prints them:
 * "user     console      2026-11-30 08:00". */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <utmp.h>

#include "mica/auth.h"

static void when(int32_t sec, char *out, size_t n)
{
	time_t t = sec;
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(out, n, "%Y-%m-%d %H:%M", &tm);
}

/* A fixed-size utmp field as a C string. */
static const char *field(const char *f, size_t n, char *out)
{
	memcpy(out, f, n);
	out[n] = '\0';
	return out;
}

static void line_of(const struct utmp *u, const char *name)
{
	char user[UT_NAMESIZE + 1], line[UT_LINESIZE + 1], host[UT_HOSTSIZE + 1], t[32];
	when(u->ut_tv.tv_sec, t, sizeof(t));
	printf("%-8s %-12s %s", name ? name : field(u->ut_user, UT_NAMESIZE, user),
	       field(u->ut_line, UT_LINESIZE, line), t);
	if (u->ut_host[0])
		printf(" (%s)", field(u->ut_host, UT_HOSTSIZE, host));
	putchar('\n');
}

int main(int argc, char **argv)
{
	int boot = 0, heading = 0, count = 0, me = 0, i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++)
		for (const char *c = argv[i] + 1; *c; c++)
			if (*c == 'b')
				boot = 1;
			else if (*c == 'H')
				heading = 1;
			else if (*c == 'q')
				count = 1;
			else if (*c == 'm')
				me = 1;
			else {
				fprintf(stderr, "who: invalid option -- '%c'\n", *c);
				fprintf(stderr, "Try 'who --help' for more information.\n");
				return 1;
			}
	if (argc - i == 2) /* who am i */
		me = 1;
	else if (argc - i == 1)
		utmpname(argv[i]);
	else if (argc - i > 2) {
		fprintf(stderr, "who: extra operand '%s'\n", argv[i + 2]);
		return 1;
	}
	const char *myline = me ? auth_line() : NULL;
	if (heading && !count)
		printf("%-8s %-12s %-16s\n", "NAME", "LINE", "TIME");
	struct utmp *u;
	int n = 0;
	setutent();
	while ((u = getutent())) {
		if (boot && u->ut_type == BOOT_TIME)
			line_of(u, "");
		if (boot || u->ut_type != USER_PROCESS || !u->ut_user[0])
			continue;
		if (myline && strncmp(u->ut_line, myline, UT_LINESIZE))
			continue;
		n++;
		if (count)
			printf("%.*s ", UT_NAMESIZE, u->ut_user);
		else
			line_of(u, NULL);
	}
	endutent();
	if (count)
		printf("\n# users=%d\n", n);
	return 0;
}
