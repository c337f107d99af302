/* <sys/ioctl.h> for Mica: the terminal requests the console answers
 * (Linux's numbers); anything else, or a descriptor that is not the
 * console, is ENOTTY. */
#ifndef MICA_SYS_IOCTL_H
#define MICA_SYS_IOCTL_H

#ifdef __cplusplus
extern "C" {
#endif

struct winsize {
	unsigned short ws_row, ws_col;
	unsigned short ws_xpixel, ws_ypixel;
};

#define TCGETS     0x5401
#define TCSETS     0x5402
#define TCSETSW    0x5403
#define TCSETSF    0x5404
#define TIOCGPGRP  0x540F
#define TIOCSPGRP  0x5410
#define TIOCGWINSZ 0x5413
#define TIOCSWINSZ 0x5414
#define FIONREAD   0x541B
#define TIOCINQ    FIONREAD

int ioctl(int fd, unsigned long request, ...);

#ifdef __cplusplus
}
#endif

#endif
