/* <glob.h> in POSIX's shape (picolibc's has no glob() behind it and no
 * GLOB_NOMATCH): pathname expansion by lib/glob.c over opendir and
 * fnmatch. Replaces picolibc's header whole. */
#ifndef MICA_GLOB_H
#define MICA_GLOB_H

#include <stddef.h>

typedef struct {
	size_t gl_pathc; /* paths matched, not counting gl_offs */
	char **gl_pathv; /* gl_offs NULLs, the paths, then NULL */
	size_t gl_offs;  /* NULL slots reserved at the start (GLOB_DOOFFS) */
	int gl_flags;    /* the flags glob was last called with */
} glob_t;

#define GLOB_ERR      0x0001 /* stop at a directory that cannot be read */
#define GLOB_MARK     0x0002 /* append / to each directory */
#define GLOB_NOSORT   0x0004 /* leave the paths in directory order */
#define GLOB_DOOFFS   0x0008 /* reserve gl_offs slots */
#define GLOB_NOCHECK  0x0010 /* no match: return the pattern itself */
#define GLOB_APPEND   0x0020 /* add to the paths of an earlier call */
#define GLOB_NOESCAPE 0x0040 /* backslash is an ordinary character */
#define GLOB_PERIOD   0x0080 /* GNU: a leading . may match a wildcard */
#define GLOB_NOMAGIC  0x0100 /* GNU: GLOB_NOCHECK only without wildcards */
#define GLOB_ONLYDIR  0x2000 /* GNU: a hint; glob may ignore it */

#define GLOB_NOSPACE 1 /* out of memory */
#define GLOB_ABORTED 2 /* a read error stopped it */
#define GLOB_NOMATCH 3 /* nothing matched */
#define GLOB_NOSYS   4 /* not supported */
#define GLOB_ABEND   GLOB_ABORTED

int glob(const char *__restrict pattern, int flags, int (*errfunc)(const char *epath, int eerrno),
         glob_t *__restrict pglob);
void globfree(glob_t *pglob);

#endif
