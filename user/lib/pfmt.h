/* printf(1)'s formatting: escapes, conversions with flags, width and
 * precision, and the format reused until the arguments run out. */
#ifndef USER_LIB_PFMT_H
#define USER_LIB_PFMT_H

#include <stdio.h>

/* Writes format applied to args[0..nargs) to out, reporting bad numbers
 * as "printf: ..." on standard error. Returns 0, 1 if an argument was not
 * a valid number, or -1 after an invalid conversion (output stops). */
int pfmt_run(FILE *out, const char *format, char **args, int nargs);

#endif
