/* Mica extensions next to the POSIX calls of lib/posix.c. */
#ifndef MICA_POSIX_H
#define MICA_POSIX_H

#include <stddef.h>
#include <stdio.h>

#include "mica/proto/pm.h"

/* True in a program started by pm (argv on the stack, pm and console
 * handles in slots 0 and 1). */
extern int mica_posix;

void mica_pm_exit(int status) __attribute__((noreturn));
int mica_ps(struct pm_procinfo *out, int max);
/* A file from the boot archive (until the file server exists). */
int mica_archive_read(const char *path, char *buf, size_t size);
int mica_reboot_poweroff(int code);
int mica_console_mode(int raw);

#endif
