/* termios and terminal ioctls over the console server: tcgetattr reads
 * the line discipline's real switches (CON_GETATTR), tcsetattr sets
 * ICANON, ECHO and ISIG (CON_SETATTR); the other fields read back as
 * the console always behaves. Only the console is a terminal. */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "mica/proto/con.h"
#include "mica/proto/pm.h"
#include "mica/syscall.h"

/* What the line discipline does whatever the mode (servers/console/ldisc.h). */
#define FIXED_IFLAG (ICRNL | IUTF8)
#define FIXED_OFLAG (OPOST | ONLCR)
#define FIXED_CFLAG (CS8 | CREAD | CLOCAL | B115200)
#define FIXED_LFLAG (ECHOE | ECHOK | ECHOCTL | ECHOKE)

struct con_attr {
	unsigned flags, rows, cols;
	unsigned long queued, fg;
};

/* 0, or -1 with errno ENOTTY (EBADF for a closed descriptor). */
static int check_tty(int fd)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return -1;
	if (!S_ISCHR(st.st_mode) || st.st_rdev != DEV_CONSOLE)
		return errno = ENOTTY, -1;
	return 0;
}

/* One request to the console; 0, or -1 with errno. */
static int con_call(unsigned op, unsigned long m0, unsigned long m1, struct ipc_msg *out)
{
	struct ipc_msg m = {.tag = MAKE_TAG(op, 0), .m = {m0, m1}};
	long r = mica_call(SLOT_CONSOLE, &m);
	r = r < 0 ? r : PROTO_RESULT(m.tag);
	if (r < 0)
		return errno = r == -22 ? EINVAL : EIO, -1;
	if (out)
		*out = m;
	return 0;
}

static int get_attr(int fd, struct con_attr *a)
{
	struct ipc_msg m;
	if (check_tty(fd) < 0 || con_call(CON_GETATTR, 0, 0, &m) < 0)
		return -1;
	a->flags = (unsigned)m.m[0];
	a->rows = (unsigned)(m.m[1] >> 16), a->cols = (unsigned)(m.m[1] & 0xFFFF);
	a->queued = m.m[2], a->fg = m.m[3];
	return 0;
}

int tcgetattr(int fd, struct termios *t)
{
	struct con_attr a;
	if (get_attr(fd, &a) < 0)
		return -1;
	memset(t, 0, sizeof(*t));
	t->c_iflag = (a.flags & CON_F_CANON) ? FIXED_IFLAG : IUTF8;
	t->c_oflag = FIXED_OFLAG;
	t->c_cflag = FIXED_CFLAG;
	t->c_lflag = FIXED_LFLAG | ((a.flags & CON_F_CANON) ? ICANON : 0) |
	             ((a.flags & CON_F_ECHO) ? ECHO : 0) | ((a.flags & CON_F_ISIG) ? ISIG : 0);
	t->c_cc[VINTR] = 0x03, t->c_cc[VQUIT] = 0x1c, t->c_cc[VERASE] = 0x7f;
	t->c_cc[VKILL] = 0x15, t->c_cc[VEOF] = 0x04, t->c_cc[VMIN] = 1, t->c_cc[VTIME] = 0;
	t->c_cc[VSTART] = 0x11, t->c_cc[VSTOP] = 0x13, t->c_cc[VSUSP] = 0x1a;
	t->c_ispeed = t->c_ospeed = B115200;
	return 0;
}

/* The three switches the console has; other bits and characters are
 * what they are (tcgetattr shows them), as POSIX allows. */
int tcsetattr(int fd, int optional_actions, const struct termios *t)
{
	if (optional_actions != TCSANOW && optional_actions != TCSADRAIN &&
	    optional_actions != TCSAFLUSH)
		return errno = EINVAL, -1;
	if (check_tty(fd) < 0)
		return -1;
	unsigned f = ((t->c_lflag & ICANON) ? CON_F_CANON : 0) |
	             ((t->c_lflag & ECHO) ? CON_F_ECHO : 0) |
	             ((t->c_lflag & ISIG) ? CON_F_ISIG : 0);
	return con_call(CON_SETATTR, f, 0, NULL);
}

void cfmakeraw(struct termios *t)
{
	t->c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
	t->c_oflag &= ~(tcflag_t)OPOST;
	t->c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
	t->c_cflag &= ~(tcflag_t)(CSIZE | PARENB);
	t->c_cflag |= CS8;
	t->c_cc[VMIN] = 1, t->c_cc[VTIME] = 0;
}

speed_t cfgetispeed(const struct termios *t)
{
	return t->c_ispeed;
}

speed_t cfgetospeed(const struct termios *t)
{
	return t->c_ospeed;
}

static int valid_speed(speed_t s)
{
	return s <= B38400 || (s >= B57600 && s <= B460800);
}

int cfsetispeed(struct termios *t, speed_t speed)
{
	if (!valid_speed(speed))
		return errno = EINVAL, -1;
	t->c_ispeed = speed;
	return 0;
}

int cfsetospeed(struct termios *t, speed_t speed)
{
	if (!valid_speed(speed))
		return errno = EINVAL, -1;
	t->c_ospeed = speed;
	t->c_cflag = (t->c_cflag & ~(tcflag_t)CBAUD) | speed;
	return 0;
}

int cfsetspeed(struct termios *t, speed_t speed)
{
	return cfsetospeed(t, speed) < 0 ? -1 : cfsetispeed(t, speed);
}

/* Output reaches the UART in order; a write returns once it is queued. */
int tcdrain(int fd)
{
	return check_tty(fd);
}

int tcflush(int fd, int queue)
{
	(void)queue;
	if (check_tty(fd) < 0)
		return -1;
	return errno = ENOSYS, -1; /* the console cannot discard queued input yet */
}

int tcflow(int fd, int action)
{
	(void)action;
	return check_tty(fd) < 0 ? -1 : (errno = ENOSYS, -1);
}

int tcsendbreak(int fd, int duration)
{
	(void)duration;
	return check_tty(fd);
}

pid_t tcgetpgrp(int fd)
{
	struct con_attr a;
	return get_attr(fd, &a) < 0 ? -1 : (pid_t)a.fg;
}

static int winsize(int fd, struct winsize *ws, int set)
{
	struct con_attr a;
	if (set)
		return check_tty(fd) < 0 ? -1
		                         : con_call(CON_SETWINSZ, ws->ws_row, ws->ws_col, NULL);
	if (get_attr(fd, &a) < 0)
		return -1;
	*ws = (struct winsize){.ws_row = (unsigned short)a.rows, .ws_col = (unsigned short)a.cols};
	return 0;
}

int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	va_start(ap, request);
	void *arg = va_arg(ap, void *);
	va_end(ap);
	struct con_attr a;
	switch (request) {
	case TCGETS:
		return tcgetattr(fd, arg);
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		return tcsetattr(fd, (int)(request - TCSETS), arg);
	case TIOCGWINSZ:
	case TIOCSWINSZ:
		return winsize(fd, arg, request == TIOCSWINSZ);
	case TIOCGPGRP:
		return get_attr(fd, &a) < 0 ? -1 : (*(pid_t *)arg = (pid_t)a.fg, 0);
	case TIOCSPGRP:
		return check_tty(fd) < 0 ? -1 : tcsetpgrp(fd, *(pid_t *)arg);
	case FIONREAD:
		return get_attr(fd, &a) < 0 ? -1 : (*(int *)arg = (int)a.queued, 0);
	default:
		return check_tty(fd) < 0 ? -1 : (errno = ENOTTY, -1);
	}
}
