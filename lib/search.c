/* The <search.h> pieces picolibc lacks: linear search (lfind, lsearch,
 * which appends a missing key) and insque/remque on doubly linked queues
 * whose elements start with forward and backward pointers. */
#include <search.h>
#include <string.h>

void *lfind(const void *key, const void *base, size_t *nelp, size_t width,
            int (*compar)(const void *, const void *))
{
	const char *p = base;
	for (size_t i = 0; i < *nelp; i++, p += width)
		if (compar(key, p) == 0)
			return (void *)p;
	return NULL;
}

void *lsearch(const void *key, void *base, size_t *nelp, size_t width,
              int (*compar)(const void *, const void *))
{
	void *hit = lfind(key, base, nelp, width, compar);
	if (hit)
		return hit;
	char *end = (char *)base + *nelp * width;
	memcpy(end, key, width);
	++*nelp;
	return end;
}

struct qlink {
	struct qlink *next, *prev;
};

/* With pred NULL, elem starts a queue of its own (POSIX allows it). */
void insque(void *elem, void *pred)
{
	struct qlink *e = elem, *p = pred;
	if (!p) {
		e->next = e->prev = NULL;
		return;
	}
	e->next = p->next;
	e->prev = p;
	if (p->next)
		p->next->prev = e;
	p->next = e;
}

void remque(void *elem)
{
	struct qlink *e = elem;
	if (e->next)
		e->next->prev = e->prev;
	if (e->prev)
		e->prev->next = e->next;
}
