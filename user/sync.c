/* sync: writes every dirty disk block back and waits until it is there. */
#include <unistd.h>

int main(void)
{
	sync();
	return 0;
}
