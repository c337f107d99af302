/* <shadow.h> for Mica (picolibc has none): /etc/shadow entries, glibc's
 * struct spwd. Numeric fields left empty in the file read as -1. */
#ifndef MICA_SHADOW_H
#define MICA_SHADOW_H

#include <stdio.h>

struct spwd {
	char *sp_namp;          /* login name */
	char *sp_pwdp;          /* hashed password ("$6$..."; "!" or "*": locked) */
	long sp_lstchg;         /* day of the last change, since 1970-01-01 */
	long sp_min, sp_max;    /* days between changes */
	long sp_warn, sp_inact; /* days of warning, of grace after expiry */
	long sp_expire;         /* day the account expires */
	unsigned long sp_flag;  /* reserved */
};

struct spwd *getspnam(const char *name);
int getspnam_r(const char *name, struct spwd *sp, char *buf, size_t n, struct spwd **res);
/* One entry as a line of /etc/shadow (with its '\n'): 0, or -1. */
int putspent(const struct spwd *sp, FILE *f);

#endif
