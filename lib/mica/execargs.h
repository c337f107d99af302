/* PM_EXEC's argument block: packed by the runtime's execve, checked by pm
 * before anything changes. Layout: struct execargs_hdr (the counts), the
 * path, argc argument strings, envc environment strings, each
 * NUL-terminated, nothing after. The counts end the lists, so an empty
 * argument travels intact. */
#ifndef MICA_EXECARGS_H
#define MICA_EXECARGS_H

#include <stddef.h>
#include <stdint.h>

#include "mica/abi.h"
#include "mica/proto/pm.h"

struct execargs_hdr {
	uint32_t argc, envc;
};

#define EXECARGS_PATH_MAX  4096 /* the path with its NUL */
#define EXECARGS_WORD      8    /* a pointer on the new stack */
#define EXECARGS_BLOCK_MAX (sizeof(struct execargs_hdr) + EXECARGS_PATH_MAX + ARG_MAX)
/* The largest initial stack exec builds: the ARG_MAX area plus argc, the
 * auxiliary vector, AT_RANDOM's bytes and alignment. The stack mapped for
 * a new program must hold this and still leave it room to run. */
#define EXEC_ARG_MAX (ARG_MAX + 256)
/* The argument area takes at most a quarter of the stack (Linux's share),
 * leaving the program the rest to run in. */
_Static_assert(EXEC_ARG_MAX <= USER_STACK_SIZE / 4, "exec arguments fit the stack");

/* A checked block: pointers into it. */
struct execargs {
	const char *path;
	const char *strs; /* the argc + envc strings, back to back */
	size_t argbytes;  /* bytes of the argument strings, NULs included */
	size_t strbytes;  /* bytes of all the strings */
	uint32_t argc, envc;
};

/* Packs the block for path, argv and envp (either may be NULL: empty)
 * into buf, as snprintf does: returns the block's size, and the block is
 * complete in buf only if that is <= bufsize (nothing is written past
 * bufsize; buf may be NULL with bufsize 0). -E2BIG if argv and envp
 * charge more than ARG_MAX, -ENAMETOOLONG if the path is too long. */
long execargs_pack(void *buf, size_t bufsize, const char *path, char *const argv[],
                   char *const envp[]);
/* The size alone: execargs_pack(NULL, 0, ...). */
long execargs_size(const char *path, char *const argv[], char *const envp[]);

/* Checks len bytes at block and fills *a. Returns 0; -E2BIG if len or
 * the strings' charge is over the limit; -EINVAL if the block is
 * malformed (short, unterminated, counts that do not match the strings,
 * bytes after them); -ENOENT for an empty path, -ENAMETOOLONG for a long
 * one. *a is set only on success. */
int execargs_check(const void *block, size_t len, struct execargs *a);

#endif
