/* picolibc's <stdlib.h>, with realpath (lib/fsapi.c) declared whatever
 * the feature macros say. */
#ifndef MICA_STDLIB_H
#define MICA_STDLIB_H

#include_next <stdlib.h>

char *realpath(const char *__restrict path, char *__restrict resolved);

#endif
