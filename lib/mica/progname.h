/* The running program's name (argv[0]'s last part), for messages. */
#ifndef MICA_PROGNAME_H
#define MICA_PROGNAME_H

const char *mica_progname(void);

#endif
