/* Parsing /etc/passwd and /etc/group lines into caller-provided storage,
 * pure code shared by lib/pwd.c and the host tests. */
#ifndef MICA_PWPARSE_H
#define MICA_PWPARSE_H

#include <grp.h>
#include <pwd.h>
#include <shadow.h>
#include <stddef.h>

/* A line "name:passwd:uid:gid:gecos:dir:shell" (no '\n') into *pw, its
 * strings copied into buf[0..n). 0; -1 if the line is malformed (wrong
 * field count, a uid or gid that is not a number); -2 if buf is too
 * small. */
int pw_parse(const char *line, struct passwd *pw, char *buf, size_t n);
/* "name:passwd:gid:member,member..." into *gr, gr_mem NULL-terminated;
 * the strings and the member array live in buf. Results as pw_parse. */
int gr_parse(const char *line, struct group *gr, char *buf, size_t n);
/* "name:hash:lastchg:min:max:warn:inact:expire:flag" into *sp (empty
 * day fields read -1, the flag is ignored). Results as pw_parse. */
int sp_parse(const char *line, struct spwd *sp, char *buf, size_t n);

#endif
