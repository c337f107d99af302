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
/* The program break through pm: 0 asks; returns the break or -errno. */
long mica_pm_brk(unsigned long want);
int mica_reboot_poweroff(int code);
int mica_console_mode(int raw);

#endif
