/* last [-n N] [-f FILE] [USER|TTY...]: logins and logouts from
 * /var/log/wtmp, newest first, as util-linux prints them:
 * "user     console                       Mon Nov 30 08:00 - 08:05  (00:05)"
 * with "still logged in" for an open session, and "wtmp begins ...". */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <utmp.h>

#define MAX_LINES 64

/* The logout last seen (reading backwards) on each line: what closes
 * the next login found on it. */
static struct {
	char line[UT_LINESIZE];
	int32_t when;
} outs[MAX_LINES];
static int nouts;
static int32_t boot_after; /* the latest boot newer than where we are */

static int32_t *logout_of(const char *line, int add)
{
	for (int i = 0; i < nouts; i++)
		if (!strncmp(outs[i].line, line, UT_LINESIZE))
			return &outs[i].when;
	if (!add || nouts == MAX_LINES)
		return NULL;
	memcpy(outs[nouts].line, line, UT_LINESIZE);
	return &outs[nouts++].when;
}

static void stamp(int32_t sec, const char *fmt, char *out, size_t n)
{
	time_t t = sec;
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(out, n, fmt, &tm);
}

static int wanted(const struct utmp *u, char **names, int n)
{
	if (!n)
		return 1;
	for (int i = 0; i < n; i++)
		if (!strncmp(u->ut_user, names[i], UT_NAMESIZE) ||
		    !strncmp(u->ut_line, names[i], UT_LINESIZE))
			return 1;
	return 0;
}

/* One login: its logout (or why there is none) after the start. */
static void print_login(const struct utmp *u, int boot)
{
	char start[32], end[64] = "", len[32] = "";
	int32_t *out = boot ? NULL : logout_of(u->ut_line, 0);
	stamp(u->ut_tv.tv_sec, "%a %b %e %H:%M", start, sizeof(start));
	if (out && *out) {
		int32_t d = *out - u->ut_tv.tv_sec, m = d / 60;
		stamp(*out, "- %H:%M", end, sizeof(end));
		if (m >= 24 * 60)
			snprintf(len, sizeof(len), "  (%d+%02d:%02d)", m / 1440, m / 60 % 24,
			         m % 60);
		else
			snprintf(len, sizeof(len), "  (%02d:%02d)", m / 60, m % 60);
	} else if (boot)
		snprintf(end, sizeof(end), boot_after ? "- crash" : "  still running");
	else if (boot_after)
		snprintf(end, sizeof(end), "- crash");
	else if (kill(u->ut_pid, 0) == 0 || errno == EPERM) /* alive, maybe not ours */
		snprintf(end, sizeof(end), "  still logged in");
	else
		snprintf(end, sizeof(end), "  gone - no logout");
	printf("%-8.*s %-12.*s %-16.16s %s %s%s\n", UT_NAMESIZE, boot ? "reboot" : u->ut_user,
	       UT_LINESIZE, boot ? "system boot" : u->ut_line, u->ut_host, start, end, len);
	if (out)
		*out = 0; /* that logout is used up */
}

int main(int argc, char **argv)
{
	const char *file = _PATH_WTMP;
	long max = -1;
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-f") && i + 1 < argc)
			file = argv[++i];
		else if (!strcmp(argv[i], "-n") && i + 1 < argc)
			max = atol(argv[++i]);
		else if (argv[i][1] >= '0' && argv[i][1] <= '9')
			max = atol(argv[i] + 1);
		else {
			fprintf(stderr, "last: invalid option -- '%s'\n", argv[i] + 1);
			fprintf(stderr, "Try 'last --help' for more information.\n");
			return 1;
		}
	}
	FILE *f = fopen(file, "r");
	if (!f) {
		fprintf(stderr, "last: cannot open %s: %s\n", file, strerror(errno));
		return 1;
	}
	struct stat st;
	fstat(fileno(f), &st);
	long n = (long)(st.st_size / (off_t)sizeof(struct utmp));
	struct utmp u;
	int32_t first = (int32_t)time(NULL);
	long shown = 0;
	for (long r = n - 1; r >= 0 && (max < 0 || shown < max); r--) {
		if (fseek(f, r * (long)sizeof(u), SEEK_SET) || fread(&u, sizeof(u), 1, f) != 1)
			break;
		first = u.ut_tv.tv_sec;
		if (u.ut_type == DEAD_PROCESS || (u.ut_type == USER_PROCESS && !u.ut_user[0])) {
			int32_t *out = logout_of(u.ut_line, 1);
			if (out)
				*out = u.ut_tv.tv_sec;
		} else if (u.ut_type == USER_PROCESS && wanted(&u, argv + i, argc - i)) {
			print_login(&u, 0), shown++;
		} else if (u.ut_type == BOOT_TIME) {
			if (wanted(&u, argv + i, argc - i) ||
			    (argc - i == 1 && !strcmp(argv[i], "reboot")))
				print_login(&u, 1), shown++;
			boot_after = u.ut_tv.tv_sec, nouts = 0;
		}
	}
	fclose(f);
	char begins[64];
	stamp(first, "%a %b %e %H:%M:%S %Y", begins, sizeof(begins));
	printf("\n%s begins %s\n", strrchr(file, '/') ? strrchr(file, '/') + 1 : file, begins);
	return 0;
}
