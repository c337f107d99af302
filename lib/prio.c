/* vfork is fork (POSIX allows it). Niceness is lib/nice.c's. */
#include <errno.h>
#include <sys/resource.h>
#include <unistd.h>

pid_t vfork(void)
{
	return fork();
}
