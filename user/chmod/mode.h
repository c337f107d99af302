/* chmod's mode operand: octal ("755") or symbolic clauses ("u+x,go-w,
 * a=r", "g=u", "+X"), as POSIX chmod defines them. Pure logic: the host
 * unit tests build it; find -perm uses it too. */
#ifndef USER_CHMOD_MODE_H
#define USER_CHMOD_MODE_H

#include <stdbool.h>

/* The new permission bits (07777) for a file whose mode is old, after
 * spec; is_dir decides X. Clauses without u/g/o/a leave the bits of
 * umask alone, as POSIX says. 0 and *out, or -1 if spec is invalid. */
int mode_apply(const char *spec, unsigned old, bool is_dir, unsigned umask, unsigned *out);

/* spec is valid (mode_apply would accept it). */
bool mode_valid(const char *spec);

#endif
