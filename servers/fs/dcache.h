/* The directory-entry cache: (file system, directory, name) -> inode, or
 * "no such name" (a negative entry), so a path walk on a disk does not
 * scan directory blocks again. Bounded (DCACHE_SETS x DCACHE_WAYS entries,
 * names up to DCACHE_NAME bytes; longer ones are not cached), least
 * recently used replaced. The file system forgets a name whenever it
 * changes that directory entry, so an entry is never wrong; it enters
 * names only from lookups that change nothing (a transaction that aborts
 * must not leave its view behind). */
#ifndef FS_DCACHE_H
#define FS_DCACHE_H

#include <stdint.h>

#define DCACHE_SETS 256
#define DCACHE_WAYS 4
#define DCACHE_NAME 40

struct dcache_stats {
	uint64_t hits, neg_hits, misses, entries;
};

/* 1 and *ino if name is cached, -ENOENT if it is cached as absent, 0 if
 * not cached. */
int dcache_lookup(const void *fs, uint64_t dir, const char *name, uint64_t *ino);
/* Remembers name in dir as ino (0: absent). */
void dcache_enter(const void *fs, uint64_t dir, const char *name, uint64_t ino);
/* Forgets name in dir; every name in dir; everything of fs. */
void dcache_forget(const void *fs, uint64_t dir, const char *name);
void dcache_forget_dir(const void *fs, uint64_t dir);
void dcache_forget_fs(const void *fs);
void dcache_get_stats(struct dcache_stats *st);

#endif
