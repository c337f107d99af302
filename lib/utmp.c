/* /var/run/utmp (who is logged in on which line) and /var/log/wtmp
 * (every login and logout, appended): records of struct utmp. As in
 * glibc, the files are not created here: a system without them keeps
 * no records. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <utmp.h>

static const char *path = _PATH_UTMP;
static int fd = -1;
static struct utmp cur; /* the record getutent last read */

int utmpname(const char *file)
{
	endutent();
	path = file;
	return 0;
}

/* Opens the file, read-write if we may, read-only otherwise. */
static int open_utmp(void)
{
	if (fd < 0 && (fd = open(path, O_RDWR)) < 0)
		fd = open(path, O_RDONLY);
	return fd;
}

void setutent(void)
{
	if (open_utmp() >= 0)
		lseek(fd, 0, SEEK_SET);
}

void endutent(void)
{
	if (fd >= 0)
		close(fd);
	fd = -1;
}

struct utmp *getutent(void)
{
	if (open_utmp() < 0)
		return NULL;
	if (read(fd, &cur, sizeof(cur)) != (ssize_t)sizeof(cur))
		return NULL;
	return &cur;
}

static int is_process(short type)
{
	return type == INIT_PROCESS || type == LOGIN_PROCESS || type == USER_PROCESS ||
	       type == DEAD_PROCESS;
}

/* glibc's matching: run-level and clock records by type, process
 * records by ut_id. */
static int same_id(const struct utmp *a, const struct utmp *b)
{
	if (!is_process(b->ut_type))
		return a->ut_type == b->ut_type;
	return is_process(a->ut_type) && !strncmp(a->ut_id, b->ut_id, sizeof(a->ut_id));
}

struct utmp *getutid(const struct utmp *ut)
{
	struct utmp *u;
	while ((u = getutent()))
		if (same_id(u, ut))
			return u;
	return NULL;
}

struct utmp *getutline(const struct utmp *ut)
{
	struct utmp *u;
	while ((u = getutent()))
		if ((u->ut_type == USER_PROCESS || u->ut_type == LOGIN_PROCESS) &&
		    !strncmp(u->ut_line, ut->ut_line, sizeof(u->ut_line)))
			return u;
	return NULL;
}

/* Writes ut over the record with its id, or else at the end. */
struct utmp *pututline(const struct utmp *ut)
{
	static struct utmp saved;
	saved = *ut;
	setutent();
	if (fd < 0)
		return NULL;
	off_t at =
	    getutid(&saved) ? lseek(fd, -(off_t)sizeof(saved), SEEK_CUR) : lseek(fd, 0, SEEK_END);
	if (at < 0 || at % (off_t)sizeof(saved)) /* a torn file: append after it */
		at = lseek(fd, at < 0 ? 0 : at - at % (off_t)sizeof(saved), SEEK_SET);
	if (write(fd, &saved, sizeof(saved)) != (ssize_t)sizeof(saved))
		return NULL;
	return &saved;
}

void updwtmp(const char *wtmp_file, const struct utmp *ut)
{
	int w = open(wtmp_file, O_WRONLY | O_APPEND);
	if (w < 0)
		return;
	off_t end = lseek(w, 0, SEEK_END);
	if (end > 0 && end % (off_t)sizeof(*ut)) /* cut a torn record */
		ftruncate(w, end - end % (off_t)sizeof(*ut));
	(void)!write(w, ut, sizeof(*ut));
	close(w);
}
