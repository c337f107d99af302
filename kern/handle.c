/* Handle-table operations: slot allocation, checked lookup, removal. */
#include "handle.h"
#include "errno.h"

int handle_alloc(struct handle_table *t, const struct handle *h)
{
	for (int i = 0; i < HANDLE_MAX; i++) {
		if (t->h[i].type == H_NONE) {
			t->h[i] = *h;
			return i;
		}
	}
	return -EMFILE;
}

struct handle *handle_get(struct handle_table *t, long slot, int type, unsigned need, int *err)
{
	if (slot < 0 || slot >= HANDLE_MAX || t->h[slot].type == H_NONE ||
	    (type != H_NONE && t->h[slot].type != type)) {
		*err = -EBADF;
		return NULL;
	}
	if ((t->h[slot].rights & need) != need) {
		*err = -EPERM;
		return NULL;
	}
	return &t->h[slot];
}

struct handle handle_take(struct handle_table *t, long slot)
{
	struct handle none = {.type = H_NONE};
	if (slot < 0 || slot >= HANDLE_MAX)
		return none;
	struct handle h = t->h[slot];
	t->h[slot] = none;
	return h;
}

int handle_count(const struct handle_table *t)
{
	int n = 0;
	for (int i = 0; i < HANDLE_MAX; i++)
		n += t->h[i].type != H_NONE;
	return n;
}
