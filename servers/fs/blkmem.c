/* Memory for cached blocks (blkmem.h). A page split into blocks is a
 * slab: a bitmap of its free slots, found from a block's address through
 * a hash of page addresses; slabs with a free slot are also on a list per
 * block size, so allocation takes the first. */
#include <stdlib.h>

#include "blkmem.h"
#include "pages.h"

#define SLAB_HASH  1024
#define SIZES      4 /* 512, 1024, 2048: the sizes below a page */
#define PAGE_OF(p) ((uintptr_t)(p) & ~(uintptr_t)(FS_PAGE_SIZE - 1))

struct slab {
	uintptr_t page;
	uint32_t size, nfree, freemask; /* bit i: slot i is free */
	struct slab *hnext;             /* hash chain */
	struct slab *prev, *next;       /* slabs of this size with a free slot */
};

static struct slab *hash[SLAB_HASH];
static struct slab *partial[SIZES];
static size_t nslabs;

static unsigned size_index(uint32_t size)
{
	return size == 512 ? 0 : size == 1024 ? 1 : 2;
}

static struct slab **chain(uintptr_t page)
{
	return &hash[(page / FS_PAGE_SIZE) % SLAB_HASH];
}

static void list_add(struct slab *s)
{
	struct slab **head = &partial[size_index(s->size)];
	s->prev = NULL;
	s->next = *head;
	if (*head)
		(*head)->prev = s;
	*head = s;
}

static void list_del(struct slab *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		partial[size_index(s->size)] = s->next;
	if (s->next)
		s->next->prev = s->prev;
}

static struct slab *slab_new(uint32_t size)
{
	struct slab *s = calloc(1, sizeof(*s));
	void *pg = s ? page_alloc() : NULL;
	if (!pg) {
		free(s);
		return NULL;
	}
	uint32_t slots = FS_PAGE_SIZE / size;
	*s = (struct slab){.page = (uintptr_t)pg,
	                   .size = size,
	                   .nfree = slots,
	                   .freemask = slots == 32 ? ~0u : (1u << slots) - 1};
	s->hnext = *chain(s->page);
	*chain(s->page) = s;
	list_add(s);
	nslabs++;
	return s;
}

void *blkmem_alloc(uint32_t size)
{
	if (size >= FS_PAGE_SIZE)
		return size == FS_PAGE_SIZE ? page_alloc() : NULL;
	if (size < 512 || (size & (size - 1)))
		return NULL;
	struct slab *s = partial[size_index(size)];
	if (!s && !(s = slab_new(size)))
		return NULL;
	unsigned slot = (unsigned)__builtin_ctz(s->freemask);
	s->freemask &= ~(1u << slot);
	if (--s->nfree == 0)
		list_del(s);
	return (void *)(s->page + slot * size);
}

void blkmem_free(void *p, uint32_t size)
{
	if (!p)
		return;
	if (size >= FS_PAGE_SIZE) {
		page_free(p);
		return;
	}
	struct slab **pp = chain(PAGE_OF(p));
	while (*pp && (*pp)->page != PAGE_OF(p))
		pp = &(*pp)->hnext;
	struct slab *s = *pp;
	if (!s)
		return; /* not ours: a bug, but not one to corrupt memory over */
	if (s->nfree++ == 0)
		list_add(s);
	s->freemask |= 1u << (((uintptr_t)p - s->page) / s->size);
	if (s->nfree < FS_PAGE_SIZE / s->size)
		return;
	*pp = s->hnext; /* its last block: the page goes back */
	list_del(s);
	page_free((void *)s->page);
	free(s);
	nslabs--;
}

size_t blkmem_shared_pages(void)
{
	return nslabs;
}
