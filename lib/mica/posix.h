/* Mica extensions next to the POSIX calls of lib/posix.c. */
#ifndef MICA_POSIX_H
#define MICA_POSIX_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

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
mode_t mica_umask_get(void); /* the process's umask (fs keeps it) */

struct ipc_msg;
/* Signals (lib/signal.c). A blocking call that a signal may interrupt:
 * the kernel's status (the reply in *m); -EINTR, or 0 with a reply of
 * -EINTR, only after a handler without SA_RESTART ran, otherwise the
 * call is made again. A sleep until usec passed, or -EINTR once a
 * handler ran. How many handlers this thread has run. */
long mica_call_intr(long slot, struct ipc_msg *m, unsigned long win);
long mica_sleep_intr(long usec);
unsigned mica_sig_handled(void);

/* For the rest of the POSIX layer (lib/fsapi.c): a request to fs with
 * m0..m3 and len payload bytes at the IPC buffer (result or -errno, the
 * reply in *out); a result turned into errno and -1 (or passed on);
 * picolibc's O_* flags as fs's FS_O_* and back. */
struct ipc_msg;
long mica_fs_call(unsigned op, const unsigned long m[4], size_t len, struct ipc_msg *out);
long mica_fail(long r);
/* r, after the signal a write's -EPIPE or -EFBIG raises (SIGPIPE, SIGXFSZ). */
long mica_io_signal(long r);
int mica_fs_oflags(int flags);
int mica_posix_oflags(int fsflags);
struct fs_stat;
struct stat;
void mica_to_stat(const struct fs_stat *f, struct stat *st);

#endif
