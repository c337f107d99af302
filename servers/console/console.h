/* The console server as its two transports see it. */
#ifndef CONSOLE_CONSOLE_H
#define CONSOLE_CONSOLE_H

#include "mica/server.h"

extern struct server console_server;
/* Drives the UART and takes its interrupt; 0 or -errno (said on the
 * kernel console). Then the transport serves console_server. */
int console_start(void);

#endif
