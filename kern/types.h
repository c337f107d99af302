/* Machine words and the few types every kernel file uses.
 * Freestanding: only the compiler's own headers are included. */
#ifndef MICA_TYPES_H
#define MICA_TYPES_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t paddr_t; /* a physical address */
typedef uint64_t vaddr_t; /* a virtual address */
typedef uint64_t pte_t;   /* one Sv39 page-table entry */

#define ARRAY_SIZE(a)     (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a)    (((x) + (a)-1) & ~((uint64_t)(a)-1))
#define ALIGN_DOWN(x, a)  ((x) & ~((uint64_t)(a)-1))
#define IS_ALIGNED(x, a)  (((x) & ((uint64_t)(a)-1)) == 0)
#define MIN(a, b)         ((a) < (b) ? (a) : (b))
#define MAX(a, b)         ((a) > (b) ? (a) : (b))
#define UNUSED(x)         ((void)(x))
#define NORETURN          __attribute__((noreturn))
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))

#endif
