/* The directory-entry cache (dcache.h): a set-associative table hashed
 * on (fs, dir, name); within a set the least recently used entry goes. */
#include <string.h>

#include "dcache.h"
#include "mica/errno.h"

struct dentry {
	const void *fs; /* NULL: unused */
	uint64_t dir, ino;
	uint64_t used; /* clock of the last hit or entry */
	uint8_t len;
	char name[DCACHE_NAME];
};

static struct dentry table[DCACHE_SETS][DCACHE_WAYS];
static uint64_t clock;
static struct dcache_stats st;

static struct dentry *set_of(const void *fs, uint64_t dir, const char *name, size_t len)
{
	uint64_t h = (uint64_t)(uintptr_t)fs * 0x9e3779b97f4a7c15ull ^ dir * 0xff51afd7ed558ccdull;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)name[i]) * 0x100000001b3ull;
	h ^= h >> 33; /* the finish of a 64-bit mix: every input bit moves the set */
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return table[h % DCACHE_SETS];
}

static struct dentry *find(const void *fs, uint64_t dir, const char *name, size_t len)
{
	struct dentry *set = set_of(fs, dir, name, len);
	for (int w = 0; w < DCACHE_WAYS; w++) {
		struct dentry *e = &set[w];
		if (e->fs == fs && e->dir == dir && e->len == len && !memcmp(e->name, name, len))
			return e;
	}
	return NULL;
}

int dcache_lookup(const void *fs, uint64_t dir, const char *name, uint64_t *ino)
{
	size_t len = strlen(name);
	struct dentry *e = len <= DCACHE_NAME ? find(fs, dir, name, len) : NULL;
	if (!e) {
		st.misses++;
		return 0;
	}
	e->used = ++clock;
	if (!e->ino) {
		st.neg_hits++;
		return -ENOENT;
	}
	st.hits++;
	*ino = e->ino;
	return 1;
}

void dcache_enter(const void *fs, uint64_t dir, const char *name, uint64_t ino)
{
	size_t len = strlen(name);
	if (!fs || len == 0 || len > DCACHE_NAME)
		return;
	struct dentry *e = find(fs, dir, name, len);
	if (!e) {
		struct dentry *set = set_of(fs, dir, name, len);
		e = &set[0];
		for (int w = 1; w < DCACHE_WAYS; w++)
			if (!set[w].fs || (e->fs && set[w].used < e->used))
				e = &set[w];
		if (!e->fs)
			st.entries++;
	}
	*e =
	    (struct dentry){.fs = fs, .dir = dir, .ino = ino, .used = ++clock, .len = (uint8_t)len};
	memcpy(e->name, name, len);
}

static void drop(struct dentry *e)
{
	if (e->fs)
		st.entries--;
	e->fs = NULL;
}

void dcache_forget(const void *fs, uint64_t dir, const char *name)
{
	size_t len = strlen(name);
	struct dentry *e = len <= DCACHE_NAME ? find(fs, dir, name, len) : NULL;
	if (e)
		drop(e);
}

/* Every entry for which fs matches and, with all false, dir too. */
static void forget_where(const void *fs, uint64_t dir, int all)
{
	for (int s = 0; s < DCACHE_SETS; s++)
		for (int w = 0; w < DCACHE_WAYS; w++) {
			struct dentry *e = &table[s][w];
			if (e->fs == fs && (all || e->dir == dir))
				drop(e);
		}
}

void dcache_forget_dir(const void *fs, uint64_t dir)
{
	forget_where(fs, dir, 0);
}

void dcache_forget_fs(const void *fs)
{
	forget_where(fs, 0, 1);
}

void dcache_get_stats(struct dcache_stats *out)
{
	*out = st;
}
