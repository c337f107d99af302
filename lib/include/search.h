/* picolibc's <search.h> (hsearch, tsearch) plus the linear searches and
 * queue links it leaves out: lfind, lsearch, insque, remque
 * (lib/search.c). */
#ifndef MICA_SEARCH_H
#define MICA_SEARCH_H

#include_next <search.h>

void *lfind(const void *key, const void *base, size_t *nelp, size_t width,
            int (*compar)(const void *, const void *));
void *lsearch(const void *key, void *base, size_t *nelp, size_t width,
              int (*compar)(const void *, const void *));
void insque(void *elem, void *pred);
void remque(void *elem);

#endif
