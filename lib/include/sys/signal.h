/* <sys/signal.h> is <signal.h>: one set of (Linux) signal numbers. */
#include <signal.h>
