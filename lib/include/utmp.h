/* <utmp.h> for Mica: glibc's struct utmp for 64-bit Linux, byte for
 * byte (384 bytes), so /var/run/utmp and /var/log/wtmp read the same on
 * a Linux host (`utmpdump`, `last -f`). lib/utmp.c. */
#ifndef MICA_UTMP_H
#define MICA_UTMP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define _PATH_UTMP "/var/run/utmp"
#define _PATH_WTMP "/var/log/wtmp"
#define UTMP_FILE  _PATH_UTMP
#define WTMP_FILE  _PATH_WTMP

#define UT_LINESIZE 32
#define UT_NAMESIZE 32
#define UT_HOSTSIZE 256

#define EMPTY         0
#define RUN_LVL       1
#define BOOT_TIME     2
#define NEW_TIME      3
#define OLD_TIME      4
#define INIT_PROCESS  5
#define LOGIN_PROCESS 6
#define USER_PROCESS  7
#define DEAD_PROCESS  8
#define ACCOUNTING    9

struct exit_status {
	short e_termination;
	short e_exit;
};

struct utmp {
	short ut_type;
	pid_t ut_pid;
	char ut_line[UT_LINESIZE]; /* "console": the device less "/dev/" */
	char ut_id[4];             /* inittab id or the line's last 4 characters */
	char ut_user[UT_NAMESIZE];
	char ut_host[UT_HOSTSIZE];
	struct exit_status ut_exit;
	int32_t ut_session;
	struct {
		int32_t tv_sec, tv_usec;
	} ut_tv;
	int32_t ut_addr_v6[4];
	char __glibc_reserved[20];
};

_Static_assert(sizeof(struct utmp) == 384, "glibc's 64-bit struct utmp");
_Static_assert(offsetof(struct utmp, ut_user) == 44, "utmp layout");
_Static_assert(offsetof(struct utmp, ut_host) == 76, "utmp layout");
_Static_assert(offsetof(struct utmp, ut_tv) == 340, "utmp layout");

#define ut_name ut_user
#define ut_time ut_tv.tv_sec

void setutent(void);
struct utmp *getutent(void);
struct utmp *getutid(const struct utmp *ut);
struct utmp *getutline(const struct utmp *ut);
struct utmp *pututline(const struct utmp *ut);
void endutent(void);
int utmpname(const char *file);
void updwtmp(const char *wtmp_file, const struct utmp *ut);

#endif
