/* poweroff: a clean shutdown; QEMU exits with status 0. */
#include <stdio.h>

#include "mica/posix.h"

int main(void)
{
	printf("poweroff: shutting down\n");
	mica_reboot_poweroff(0);
	perror("poweroff");
	return 1;
}
