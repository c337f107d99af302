/* The console as a user-mode server (micro): start, then serve. */
#include "console.h"

int main(void)
{
	if (console_start())
		return 1;
	server_run(&console_server);
}
