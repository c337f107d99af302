/* Per-task handle tables. A handle names a kernel object (endpoint,
 * notification, task), carries rights and, for endpoints, a badge the
 * receiver sees. A task can reach only what its table holds. These
 * functions know nothing of the objects: reference counts are the
 * caller's business. */
#ifndef MICA_HANDLE_H
#define MICA_HANDLE_H

#include "types.h"
#include "mica/abi.h"

enum handle_type { H_NONE, H_ENDPOINT, H_NTFN, H_TASK };

struct __attribute__((aligned(32))) handle { /* 32 bytes: slot -> offset by a shift */
	uint8_t type;                        /* enum handle_type; H_NONE: free slot */
	uint8_t rights;                      /* RIGHT_* */
	void *obj;
	uint64_t badge;
	uint64_t gen; /* H_TASK: generation of the task slot it names (64 bits: never wraps) */
};
_Static_assert(sizeof(struct handle) == 32, "handle: one shift from slot to offset");

struct handle_table {
	struct handle h[HANDLE_MAX];
};

/* Lowest free slot filled with the given handle, or -EMFILE. */
int handle_alloc(struct handle_table *t, const struct handle *h);
/* The handle at slot if it has this type (H_NONE: any) and all the
 * rights in need; else NULL and *err is -EBADF or -EPERM. */
struct handle *handle_get(struct handle_table *t, long slot, int type, unsigned need, int *err);
/* Empties a slot; returns the handle it held (type H_NONE if none). */
struct handle handle_take(struct handle_table *t, long slot);
int handle_count(const struct handle_table *t);

#endif
