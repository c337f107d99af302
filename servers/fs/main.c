/* fs as a user-mode server (micro): start, then serve. */
#include "fs.h"

int main(void)
{
	if (fs_start())
		return 1;
	server_run(&fs_server);
}
