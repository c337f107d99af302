/* The fs server's data pages, from the system one at a time through
 * host_page_alloc (mapped into a user-mode fs, kernel frames for a fs
 * inside the kernel) and given back when freed. Files stop PAGES_ROOM
 * frames above the reserve the kernel keeps for privileged tasks (1/32
 * of RAM, at least 256 frames; see docs/security.md): a full /tmp must
 * leave room to fork the rm that empties it. */
#include <stdbool.h>

#include "mica/host.h"
#include "pages.h"

#define PAGES_ROOM 1024 /* frames (4 MiB) file data leaves to processes */

unsigned long page_room(void)
{
	struct kinfo k;
	if (mica_kinfo(&k))
		return 0;
	unsigned long kernel_reserve = k.frames_total / 32 > 256 ? k.frames_total / 32 : 256;
	unsigned long keep = kernel_reserve + PAGES_ROOM;
	return k.frames_free > keep ? k.frames_free - keep : 0;
}

static bool memory_low(void)
{
	struct kinfo k;
	if (mica_kinfo(&k))
		return false;
	unsigned long kernel_reserve = k.frames_total / 32 > 256 ? k.frames_total / 32 : 256;
	return k.frames_free < kernel_reserve + PAGES_ROOM;
}

void *page_alloc(void)
{
	return memory_low() ? NULL : host_page_alloc();
}

void page_free(void *pg)
{
	host_page_free(pg);
}
