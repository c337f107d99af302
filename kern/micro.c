/* The user-mode placement (micro): the servers are programs; the kernel
 * starts pm from the boot archive as the root task and pm starts the
 * rest. */
#include "loader.h"
#include "placement.h"

const int placement_mono = 0;
const char placement_name[] = "micro (servers are user-mode processes)";

int placement_start(const struct bootinfo *bi)
{
	return loader_start_root(bi, "sbin/pm");
}
