/* The block-device server as a user-mode server (micro): start, then serve. */
#include "blk.h"

int main(void)
{
	if (blk_start())
		return 1;
	server_run(&blk_server);
}
