/* Scheduling niceness and vfork. pm runs every process at one priority,
 * so each has nice value 0; asking for another is ENOSYS rather than a
 * promise nothing keeps. vfork is fork (POSIX allows it). */
#include <errno.h>
#include <sys/resource.h>
#include <unistd.h>

int getpriority(int which, id_t who)
{
	(void)who;
	if (which != PRIO_PROCESS && which != PRIO_PGRP && which != PRIO_USER) {
		errno = EINVAL;
		return -1;
	}
	errno = 0;
	return 0;
}

int setpriority(int which, id_t who, int prio)
{
	if (getpriority(which, who) < 0)
		return -1;
	if (prio != 0) {
		errno = ENOSYS;
		return -1;
	}
	return 0;
}

int nice(int inc)
{
	if (inc != 0) {
		errno = ENOSYS;
		return -1;
	}
	return 0;
}

pid_t vfork(void)
{
	return fork();
}
