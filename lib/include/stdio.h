/* picolibc's <stdio.h> plus what it leaves out: POSIX getline and
 * getdelim (lib/getline.c, through lib/runtime.c), renameat
 * (lib/fsapi.c), popen and pclose (lib/exec.c). */
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

#endif
