/* Kernel invariants: KASSERT(cond) states one and panics with the place
 * and the condition when it is false. On in every build unless the
 * Makefile passes KASSERTS=0 (they are off the IPC fast path). */
#ifndef MICA_KASSERT_H
#define MICA_KASSERT_H

#ifndef KASSERTS
#define KASSERTS 1
#endif

#if defined(HOST_TEST) /* unit tests: the host's assert */
#include <assert.h>
#define KASSERT(cond) assert(cond)
#elif KASSERTS
#include "panic.h"
#define KASSERT(cond)                                                                              \
	do {                                                                                       \
		if (!(cond))                                                                       \
			panic("assert: %s:%d: %s", __FILE__, __LINE__, #cond);                     \
	} while (0)
#else
#define KASSERT(cond) ((void)0)
#endif

#endif
