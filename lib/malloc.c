/* The C library's allocation functions over lib/heap.c, replacing
 * picolibc 1.8's (whose free walks a sorted list: 1.65 s to free 20,000
 * blocks). The heap grows with sbrk, which asks pm for demand-zero pages.
 * Threads take turns through mica_heap_lock (fork holds it too), once
 * there are threads (mica/lock.h). */
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mica/heap.h"
#include "mica/lock.h"

int mica_heap_lock;
#define LOCKED(expr)                                                                               \
	({                                                                                         \
		bool held_ = mica_rt_lock(&mica_heap_lock);                                        \
		__auto_type r_ = (expr);                                                           \
		if (held_)                                                                         \
			mica_unlock(&mica_heap_lock);                                              \
		r_;                                                                                \
	})

void *heap_morecore(ptrdiff_t incr)
{
	return sbrk(incr);
}

void heap_corrupt(const char *what, const void *p)
{
	fprintf(stderr, "malloc: %s at %p\n", what, p);
	abort();
}

static void *nomem(void *p)
{
	if (!p)
		errno = ENOMEM;
	return p;
}

void *malloc(size_t n)
{
	return nomem(LOCKED(heap_alloc(n)));
}

void free(void *p)
{
	LOCKED((heap_free(p), 0));
}

void *calloc(size_t nmemb, size_t size)
{
	return nomem(LOCKED(heap_calloc(nmemb, size)));
}

void *realloc(void *p, size_t n)
{
	return p && !n ? (free(p), NULL) : nomem(LOCKED(heap_realloc(p, n)));
}

void *reallocarray(void *p, size_t nmemb, size_t size)
{
	size_t n;
	if (__builtin_mul_overflow(nmemb, size, &n)) {
		errno = ENOMEM;
		return NULL;
	}
	return realloc(p, n);
}

void *memalign(size_t align, size_t n)
{
	if (!align || (align & (align - 1))) {
		errno = EINVAL;
		return NULL;
	}
	return nomem(LOCKED(heap_memalign(align, n)));
}

void *aligned_alloc(size_t align, size_t n)
{
	return memalign(align, n);
}

int posix_memalign(void **out, size_t align, size_t n)
{
	if (align < sizeof(void *) || (align & (align - 1)))
		return EINVAL;
	void *p = LOCKED(heap_memalign(align, n));
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}

void *valloc(size_t n)
{
	return memalign(4096, n);
}

void *pvalloc(size_t n)
{
	return memalign(4096, (n + 4095) & ~(size_t)4095);
}

size_t malloc_usable_size(void *p)
{
	return LOCKED(heap_usable(p));
}

int malloc_trim(size_t pad)
{
	return LOCKED(heap_trim(pad));
}

int mallopt(int param, int value)
{
	(void)param, (void)value;
	return 0; /* nothing to tune */
}

struct mallinfo mallinfo(void)
{
	struct heap_stats st;
	LOCKED((heap_stats(&st), 0));
	return (struct mallinfo){.arena = st.arena,
	                         .ordblks = st.nfree,
	                         .uordblks = st.in_use,
	                         .fordblks = st.free,
	                         .keepcost = st.top};
}

void malloc_stats(void)
{
	struct heap_stats st;
	LOCKED((heap_stats(&st), 0));
	fprintf(stderr,
	        "arena %zu bytes, in use %zu, free %zu in %zu chunks, top %zu, %zu sbrk calls\n",
	        st.arena, st.in_use, st.free, st.nfree, st.top, st.morecalls);
}
