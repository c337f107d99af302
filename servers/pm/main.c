/* pm as a user-mode server (micro): the root task starts the system,
 * then serves. */
#include "proc.h"

int main(void)
{
	if (pm_start())
		return 1;
	server_run(&pm_server);
}
