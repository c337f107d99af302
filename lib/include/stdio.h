/* picolibc's <stdio.h> plus what it leaves out: POSIX getline and
 * getdelim (lib/getline.c, through lib/runtime.c), renameat
 * (lib/fsapi.c), popen and pclose (lib/exec.c), dprintf (lib/fileio.c),
 * ctermid (lib/tty.c), the stream locks and _unlocked forms and
 * fgetpos/fsetpos (lib/stdiox.c). */
#ifndef MICA_STDIO_H
#define MICA_STDIO_H

#include_next <stdio.h>
#include <sys/types.h>

ssize_t getdelim(char **__restrict lineptr, size_t *__restrict n, int delim,
                 FILE *__restrict stream);
ssize_t getline(char **__restrict lineptr, size_t *__restrict n, FILE *__restrict stream);
int renameat(int olddirfd, const char *old, int newdirfd, const char *new);
FILE *popen(const char *command, const char *mode);
int pclose(FILE *stream);
int dprintf(int fd, const char *__restrict fmt, ...) __attribute__((format(printf, 2, 3)));
int vdprintf(int fd, const char *__restrict fmt, __gnuc_va_list ap);
#define L_ctermid 16
char *ctermid(char *s);
FILE *open_memstream(char **bufp, size_t *sizep);

/* One thread per process: the locks have nothing to exclude. */
void flockfile(FILE *f);
int ftrylockfile(FILE *f);
void funlockfile(FILE *f);
int getc_unlocked(FILE *f);
int getchar_unlocked(void);
int putc_unlocked(int c, FILE *f);
int putchar_unlocked(int c);

#endif
