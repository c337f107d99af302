/* <sys/termios.h> is <termios.h>. */
#include <termios.h>
