/* Loading the root task from the boot archive. */
#ifndef MICA_LOADER_H
#define MICA_LOADER_H

struct bootinfo;

/* Loads path from the archive and makes its first thread runnable.
 * 0, or a negative error after logging why. */
int loader_start_root(const struct bootinfo *bi, const char *path);

#endif
