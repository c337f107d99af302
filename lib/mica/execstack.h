/* The initial user stack of a new program, in the Linux/RISC-V psABI
 * layout a C runtime's crt0 reads: argc, argv, envp, the auxiliary vector
 * and the strings. Built in a caller buffer with target virtual addresses. */
#ifndef MICA_EXECSTACK_H
#define MICA_EXECSTACK_H

#include <stddef.h>
#include <stdint.h>

/* Auxiliary-vector types (Linux's values); the builder emits exactly
 * AT_PAGESZ, AT_RANDOM, AT_NULL, in that order. */
#ifndef AT_NULL
#define AT_NULL 0
#endif
#ifndef AT_PAGESZ
#define AT_PAGESZ 6
#endif
#ifndef AT_RANDOM
#define AT_RANDOM 25
#endif

#define EXECSTACK_PAGESZ 4096 /* the AT_PAGESZ value */
#define EXECSTACK_AUXC   3    /* auxv pairs, AT_NULL included */

/* The layout, from the final sp (16-byte aligned) upwards, each word 8
 * bytes little-endian:
 *   argc | argv[0..argc-1] | 0 | envp[..] | 0 | auxv pairs ending AT_NULL |
 *   zero padding | 16 AT_RANDOM bytes (16-aligned) | argv strings, then envp
 *   strings, each NUL-terminated, the last one ending at stack_top. */

/* Bytes execstack_build needs for these arguments below stack_top, or
 * -E2BIG if they do not fit under stack_top. argv and envp may be NULL
 * (empty). */
long execstack_size(uint64_t stack_top, char *const argv[], char *const envp[]);

/* Lays out argv/envp for a stack whose highest address is stack_top
 * (exclusive). buf receives the bytes for [*sp_out, stack_top): copy it to
 * *sp_out in the new program. random16 may be NULL (16 zero bytes).
 * Returns the byte count (stack_top - *sp_out), or -E2BIG if it does not
 * fit in bufsize or below stack_top; then neither buf nor *sp_out is
 * touched. -EINVAL if sp_out is NULL. */
long execstack_build(void *buf, size_t bufsize, uint64_t stack_top, char *const argv[],
                     char *const envp[], const uint8_t random16[16], uint64_t *sp_out);

/* The same from a checked PM_EXEC block (mica/execargs.h): its strings
 * are copied as they lie, argv's then envp's. */
struct execargs;
long execstack_build_packed(void *buf, size_t bufsize, uint64_t stack_top, const struct execargs *a,
                            const uint8_t random16[16], uint64_t *sp_out);

/* The reverse, for a crt0 or a test. buf holds the bytes of
 * [stack_top - len, stack_top) and sp is the stack pointer inside it.
 * Checks that sp is 16-aligned, that argv and envp are NULL-terminated,
 * that every pointer in them names a NUL-terminated string inside the
 * image, and that the auxiliary vector ends with AT_NULL inside it. Sets
 * *argc and the virtual addresses of argv[0] and envp[0]; returns 0, or
 * -EINVAL (outputs untouched) if the image is malformed. */
int execstack_parse(const void *buf, size_t len, uint64_t sp, uint64_t stack_top, int *argc,
                    uint64_t *argv_va, uint64_t *envp_va);

/* The value of auxiliary-vector entry type in a well-formed image (as
 * execstack_parse accepts). Returns 0, -ENOENT if absent, or -EINVAL. */
int execstack_auxv(const void *buf, size_t len, uint64_t sp, uint64_t stack_top, uint64_t type,
                   uint64_t *value);

#endif
