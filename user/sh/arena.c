/* The parser's bump allocator: a list of chunks, each big enough for its
 * first request, freed together when the command is done. */
#include <stdlib.h>
#include <string.h>

#include "ast.h"

#define CHUNK 4000

struct chunk {
	struct chunk *next;
	size_t used, size;
	_Alignas(16) unsigned char data[];
};

void *ar_alloc(struct arena *ar, size_t n)
{
	struct chunk *c = ar->chunks;
	n = (n + 15) & ~(size_t)15;
	if (!c || c->size - c->used < n) {
		size_t size = n > CHUNK ? n : CHUNK;
		c = malloc(sizeof(*c) + size);
		if (!c)
			return NULL;
		c->size = size;
		c->used = 0;
		c->next = ar->chunks;
		ar->chunks = c;
	}
	void *p = c->data + c->used;
	c->used += n;
	memset(p, 0, n);
	return p;
}

char *ar_strndup(struct arena *ar, const char *s, size_t n)
{
	char *d = ar_alloc(ar, n + 1);
	if (d)
		memcpy(d, s, n);
	return d;
}

void ar_free(struct arena *ar)
{
	while (ar->chunks) {
		struct chunk *c = ar->chunks;
		ar->chunks = c->next;
		free(c);
	}
	ar->keep = false;
}
